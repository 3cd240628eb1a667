package sessions

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"workbench/engine"
)

// TestDefaultNamesAreUnique: runs nobody named read iris, iris-2, iris-3;
// a chosen name is kept as it is; two saves at once (separate Store
// values, as two processes have) never take the same name.
func TestDefaultNamesAreUnique(t *testing.T) {
	st := openStore(t)
	var names []string
	for range 3 {
		pr := prepare(t, Plan{})
		if err := st.Save(pr.Session); err != nil {
			t.Fatal(err)
		}
		names = append(names, pr.Session.Name)
	}
	if got := strings.Join(names, " "); got != "iris iris-2 iris-3" {
		t.Errorf("default names: %s, want iris iris-2 iris-3", got)
	}
	chosen := prepare(t, Plan{Name: "iris"})
	if err := st.Save(chosen.Session); err != nil || chosen.Session.Name != "iris" {
		t.Errorf("a chosen name: %q, %v; want iris kept", chosen.Session.Name, err)
	}

	const n = 8
	var wg sync.WaitGroup
	got := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			other, err := Open(filepath.Dir(st.Dir))
			if err != nil {
				t.Error(err)
				return
			}
			pr, err := Prepare(Plan{DataRef: "iris", Layers: "4:relu", Hyper: Hyper{Epochs: 1}})
			if err != nil {
				t.Error(err)
				return
			}
			if err := other.Save(pr.Session); err != nil {
				t.Error(err)
			}
			got[i] = pr.Session.Name
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, name := range got {
		if seen[name] {
			t.Errorf("two concurrent saves both took %q: %v", name, got)
		}
		seen[name] = true
	}
	entries, err := st.List()
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]int{}
	for _, e := range entries {
		all[e.Session.Name]++
	}
	if all["iris"] != 2 { // the default one and the chosen one
		t.Errorf("names in the store: %v", all)
	}
	for name, c := range all {
		if name != "iris" && c > 1 {
			t.Errorf("%d sessions named %q", c, name)
		}
	}
}

// TestSweep2x2: a 2 × 2 grid trains 4 sessions, all tagged with one sweep
// id and named after it, and the best is the one BestRecord picks by the
// metric, whatever its direction.
func TestSweep2x2(t *testing.T) {
	st := openStore(t)
	lr, err := ParseAxis("lr=0.05|0.001")
	if err != nil {
		t.Fatal(err)
	}
	layers, err := ParseAxis("layers=8:relu|4:tanh,dropout:0.1")
	if err != nil {
		t.Fatal(err)
	}
	sw := Sweep{Base: Plan{DataRef: "iris", Hyper: Hyper{Epochs: 3, Seed: 1}}, Axes: []Axis{lr, layers}, Metric: "val_accuracy"}
	var mu sync.Mutex
	started, events := map[int]string{}, 0
	res, err := st.RunSweep(context.Background(), sw, SweepHooks{
		Parallel: 2,
		Start: func(k int, run Run, pr *Prepared) {
			mu.Lock()
			started[k] = pr.Session.Name + " " + run.String()
			mu.Unlock()
		},
		Event: func(k int, e engine.Event) {
			mu.Lock()
			if e.Kind == engine.EpochEnd {
				events++
			}
			mu.Unlock()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.ID != "iris-sweep" || res.Metric != "best_val_accuracy" || res.Stopped || res.Finished() != 4 {
		t.Fatalf("result: id %q metric %q stopped %v finished %d", res.ID, res.Metric, res.Stopped, res.Finished())
	}
	if started[3] != "iris-sweep-4 lr=0.001 layers=4:tanh,dropout:0.1" || events != 12 {
		t.Errorf("hooks: started %v, %d epoch events", started, events)
	}
	entries, err := st.List()
	if err != nil {
		t.Fatal(err)
	}
	f, _ := ParseFilter("sweep=" + res.ID)
	recs := FilterRecords(Records(entries), f)
	if len(recs) != 4 {
		t.Fatalf("%d sessions tagged %s, want 4", len(recs), res.ID)
	}
	combos := map[string]bool{}
	for _, r := range recs {
		combos[r.Format("lr")+" "+r.Format("layers")] = true
		if !strings.HasPrefix(r.Session.Name, "iris-sweep-") {
			t.Errorf("run named %q", r.Session.Name)
		}
	}
	if len(combos) != 4 {
		t.Errorf("combinations: %v", combos)
	}
	for _, metric := range []string{"val_accuracy", "best_val_loss", "test_loss"} {
		field, _ := MetricField(metric)
		best, ok := BestRecord(recs, metric)
		if !ok {
			t.Fatalf("no best by %s", metric)
		}
		for _, r := range recs {
			if Better(field, r.Get(metric), best.Get(metric)) {
				t.Errorf("by %s, %s (%s) beats the best %s (%s)", metric, r.ID, r.Format(metric), best.ID, best.Format(metric))
			}
		}
	}
	if best, _ := BestRecord(recs, "val_accuracy"); res.Best == nil || res.Best.ID != best.ID {
		t.Errorf("res.Best %v, want %s", res.Best, best.ID)
	}
	si, err := st.LoadSweep(res.ID)
	if err != nil || si.Metric != "best_val_accuracy" || si.Runs != 4 || len(si.Axes) != 2 || si.Axes[1].Values[1] != "4:tanh,dropout:0.1" {
		t.Errorf("LoadSweep: %+v, %v", si, err)
	}
	if _, err := st.LoadSweep("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("LoadSweep(nope): %v", err)
	}
	// A second sweep of the same data gets its own id.
	res2, err := st.RunSweep(context.Background(), Sweep{Base: sw.Base, Axes: []Axis{{Key: "seed", Values: []string{"2"}}}}, SweepHooks{})
	if err != nil || res2.ID != "iris-sweep-2" || res2.Done[0].Name != "iris-sweep-2-1" {
		t.Errorf("second sweep: %+v, %v", res2, err)
	}
}

// TestSweepStops: a cancelled sweep keeps the finished runs, saves the
// running one as stopped and starts no other; it is no error.
func TestSweepStops(t *testing.T) {
	st := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ax, _ := ParseAxis("seed=1|2|3|4")
	sw := Sweep{Base: Plan{DataRef: "iris", Layers: "8:relu", Hyper: Hyper{Epochs: 50, Patience: 0, Seed: 1}}, Axes: []Axis{ax}}
	res, err := st.RunSweep(ctx, sw, SweepHooks{
		Event: func(k int, e engine.Event) {
			if k == 1 && e.Kind == engine.EpochEnd && e.Epoch == 3 {
				cancel() // the second run is stopped in its fourth epoch
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Stopped || res.Done[0] == nil || res.Done[0].Status != Finished || res.Done[1] == nil ||
		res.Done[1].Status != Stopped || res.Done[2] != nil || res.Done[3] != nil || res.NotStarted() != 2 {
		t.Fatalf("stopped sweep: %+v", res)
	}
	entries, _ := st.List()
	if len(entries) != 2 {
		t.Errorf("%d sessions stored, want 2", len(entries))
	}
}

func TestSweepChecksEverythingFirst(t *testing.T) {
	base := Plan{DataRef: "iris", Hyper: Hyper{Epochs: 1}}
	tests := []struct {
		axes   []string
		random int
		metric string
		want   string
	}{
		{[]string{"lr=0.1|fast"}, 0, "", `--set lr: "fast" is not a number`},
		{[]string{"optimizer=adam|adamx"}, 0, "", `unknown optimizer "adamx"`},
		{[]string{"layers=8:relu|8:rleu"}, 0, "", `--set layers=8:rleu`},
		{[]string{"dropout=0.5|1.5"}, 0, "", "dropout: 1.5 is out of range"},
		{[]string{"batch=0|8"}, 0, "", `--set batch: "0" must be 1 or more`},
		{[]string{"lr=0.1", "lr=0.2"}, 0, "", "--set lr is given twice"},
		{[]string{"seed=1|2"}, 3, "", "--random 3: the grid has only 2"},
		{[]string{"seed=1|2"}, 0, "lr", `--metric: "lr" is not a metric`},
		{nil, 0, "", "at least one --set"},
	}
	for _, tc := range tests {
		sw := Sweep{Base: base, Random: tc.random, Metric: tc.metric}
		for _, s := range tc.axes {
			a, err := ParseAxis(s)
			if err != nil {
				t.Fatalf("ParseAxis(%q): %v", s, err)
			}
			sw.Axes = append(sw.Axes, a)
		}
		if _, err := sw.Runs(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v random %d metric %q: %v, want %q", tc.axes, tc.random, tc.metric, err, tc.want)
		}
	}
	for _, s := range []string{"colour=red|blue", "lr", "=1", "l2=0.1||0.2", "seed=1|1"} {
		if _, err := ParseAxis(s); err == nil {
			t.Errorf("ParseAxis(%q) accepted", s)
		}
	}
	// Random draws: distinct, the asked count, reproducible by seed.
	a, _ := ParseAxis("seed=1|2|3|4|5|6")
	b, _ := ParseAxis("lr=0.1|0.01")
	draw := func(seed int64) string {
		runs, err := Sweep{Base: base, Axes: []Axis{a, b}, Random: 5, Seed: seed}.Runs()
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		var out []string
		for _, r := range runs {
			if seen[r.String()] {
				t.Errorf("drawn twice: %s", r)
			}
			seen[r.String()] = true
			out = append(out, r.String())
		}
		if len(out) != 5 {
			t.Errorf("%d draws, want 5", len(out))
		}
		return fmt.Sprint(out)
	}
	if draw(7) != draw(7) {
		t.Error("the same seed drew different runs")
	}
	// dropout rewrites the layers, whatever order the flags came in.
	d, _ := ParseAxis("dropout=0|0.3")
	l, _ := ParseAxis("layers=16:relu,16:relu")
	runs, err := Sweep{Base: base, Axes: []Axis{d, l}}.Runs()
	if err != nil {
		t.Fatal(err)
	}
	if runs[0].Plan.Layers != "16:relu,16:relu" || runs[1].Plan.Layers != "16:relu,dropout:0.3,16:relu,dropout:0.3" {
		t.Errorf("dropout applied: %q, %q", runs[0].Plan.Layers, runs[1].Plan.Layers)
	}
}

// TestLeaderboardRanksFailedRunsLast: a diverged run's tiny loss does not
// top the leaderboard; the top is BestRecord's pick.
func TestLeaderboardRanksFailedRunsLast(t *testing.T) {
	rs := sampleRecords()
	rs[3].Session.Status = Failed // d: no test metric anyway
	rs[2].Session.Status = Failed // c: test_accuracy 0.96
	for _, metric := range []string{"test_accuracy", "test_loss", "val_accuracy"} {
		rs := slices.Clone(rs)
		if err := Leaderboard(rs, metric); err != nil {
			t.Fatal(err)
		}
		best, _ := BestRecord(rs, metric)
		if rs[0].ID != best.ID {
			t.Errorf("by %s the leaderboard starts with %s, the best is %s", metric, rs[0].ID, best.ID)
		}
		if got := ids(rs); !strings.HasSuffix(got, "c,d,e") && !strings.HasSuffix(got, "c,e,d") && !strings.HasSuffix(got, "d,c,e") {
			t.Errorf("by %s: %s, want the failed and damaged runs last", metric, got)
		}
	}
	if err := Leaderboard(rs, "lr"); err == nil {
		t.Error("a leaderboard by lr (no metric) was accepted")
	}
}

func TestNameInHead(t *testing.T) {
	for _, tc := range []struct {
		head, want string
		ok         bool
	}{
		{`{"version": 2, "id": "x", "name": "iris-2", "data": {}}`, "iris-2", true},
		{`{"version": 2, "id": "x", "name": "ir`, "", false},                 // cut: read it all
		{`{"version": 2, "data": {"name": "no"}, "name": "yes"}`, "", false}, // not plain before it
		{`{"version": 2, "name": 7}`, "", false},
		{`[1, 2]`, "", false},
	} {
		got, ok := nameInHead([]byte(tc.head))
		if got != tc.want || ok != tc.ok {
			t.Errorf("nameInHead(%s) = %q, %v; want %q, %v", tc.head, got, ok, tc.want, tc.ok)
		}
	}
}

// TestBestAgreesWithTheSortedList: on a tie, BestRecord, the leaderboard
// and a stable sort of List's newest-first order all put the same run
// first, whatever order the records come in (exptui's request: a sweep's
// best and `sessions --sort -val_accuracy` disagreed on a tie).
func TestBestAgreesWithTheSortedList(t *testing.T) {
	mk := func(id string, at int, acc float64) Record {
		r := rec(id, id, "digits", "64:relu", 0.01, acc, "s")
		r.Session.Created = time.Date(2026, 12, 7, 10, 0, at, 0, time.UTC)
		return RecordOf(Entry{ID: id, Session: r.Session})
	}
	runOrder := []Record{mk("run1", 1, 0.97), mk("run2", 2, 0.95), mk("run3", 3, 0.97), mk("run4", 4, 0.96)}
	listOrder := slices.Clone(runOrder)
	slices.SortStableFunc(listOrder, newerFirst)
	for _, rs := range [][]Record{runOrder, listOrder} {
		best, _ := BestRecord(rs, "val_accuracy")
		board := slices.Clone(rs)
		Leaderboard(board, "val_accuracy")
		if best.ID != "run3" || board[0].ID != "run3" {
			t.Errorf("input %s: best %s, leaderboard first %s; want run3 (the newer of the tie)", ids(rs), best.ID, board[0].ID)
		}
	}
	sorted := slices.Clone(listOrder)
	SortRecords(sorted, "-val_accuracy")
	if sorted[0].ID != "run3" {
		t.Errorf("sessions --sort -val_accuracy starts with %s", sorted[0].ID)
	}
}
