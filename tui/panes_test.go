package tui

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

func TestLayerFormValidation(t *testing.T) {
	st := DefaultStyles(asciiRenderer())
	cases := []struct {
		name                   string
		kind, units, act, rate string
		want                   engine.LayerSpec
		wantErr                string
	}{
		{"dense", "dense", "64", "tanh", "0.2", engine.LayerSpec{Kind: "dense", Units: 64, Activation: "tanh"}, ""},
		{"dropout", "dropout", "64", "tanh", "0.5", engine.LayerSpec{Kind: "dropout", Rate: 0.5}, ""},
		{"zero units", "dense", "0", "relu", "", engine.LayerSpec{}, "units: 0 is outside"},
		{"more units than the engine takes", "dense", "70000", "relu", "", engine.LayerSpec{}, "units: 70000 is outside 1…65536"},
		{"the engine's widest", "dense", "65536", "relu", "", engine.LayerSpec{Kind: "dense", Units: 65536, Activation: "relu"}, ""},
		{"not a number", "dense", "ten", "relu", "", engine.LayerSpec{}, `units: "ten" is not a whole number`},
		{"bad activation", "dense", "8", "swish", "", engine.LayerSpec{}, `activation: "swish" is not one of relu`},
		{"rate 1", "dropout", "", "", "1", engine.LayerSpec{}, "dropout rate: 1 must be in [0, 1)"},
		{"negative rate", "dropout", "", "", "-0.1", engine.LayerSpec{}, "dropout rate: -0.1 must be in [0, 1)"},
		{"bad kind", "conv", "8", "relu", "", engine.LayerSpec{}, `kind: "conv" is not dense or dropout`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := layerForm(st, func(tea.Msg) {}, engine.LayerSpec{Kind: "dense", Units: 1, Activation: "relu"})
			for i, v := range []string{c.kind, c.units, c.act, c.rate} {
				f.inputs[i].SetValue(v)
			}
			got, err := layerFromForm(f)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err %v, want it to contain %q", err, c.wantErr)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

// TestModelPaneEditing drives the layer editor by keys: add, move, delete,
// and an invalid edit refused in place with the plan unchanged.
// TestKeysInOneMessage: keys typed faster than a frame (or sent by tmux or
// an SSH client) arrive as one message of several runes; each must act on
// the state the one before it left, exactly as when they come one by one.
func TestKeysInOneMessage(t *testing.T) {
	one, burst := newTestApp(t, Options{}), newTestApp(t, Options{})
	spec := func(a *App) string { return engine.FormatLayers(a.impl.plan.Layers) }
	press(one, "2")
	press(burst, "2")
	for _, keys := range []string{"aa", "KK", "JJ", "jk", "dd", "ad", "ddd"} {
		for _, k := range keys {
			press(one, string(k))
		}
		press(burst, keys)
		if got, want := spec(burst), spec(one); got != want {
			t.Fatalf("%q in one message gives layers %q, one by one %q", keys, got, want)
		}
	}
	if spec(one) != "" {
		t.Errorf("the sequence should end with every layer deleted, got %q", spec(one))
	}
}

func TestModelPaneEditing(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 100, 30)
	w := a.impl
	press(a, "2")
	spec := func() string { return engine.FormatLayers(w.plan.Layers) }
	if spec() != "32:relu,32:relu" {
		t.Fatalf("default layers %q", spec())
	}
	press(a, "a") // after the cursor (first layer)
	if got := spec(); got != "32:relu,16:relu,32:relu" {
		t.Fatalf("after a: %q", got)
	}
	press(a, "K")
	if got := spec(); got != "16:relu,32:relu,32:relu" {
		t.Fatalf("after K: %q", got)
	}
	press(a, "J", "J")
	if got := spec(); got != "32:relu,32:relu,16:relu" {
		t.Fatalf("after J J: %q", got)
	}
	// edit units to an invalid value: refused, form stays open, plan unchanged
	press(a, "enter", "tab", "backspace", "backspace", "0", "enter")
	mp := a.impl.panes[paneModel].(*modelPane)
	if !mp.Capturing() || !strings.Contains(mp.layer.err, "units") {
		t.Fatalf("invalid units accepted: capturing %v, err %q", mp.Capturing(), mp.layer.err)
	}
	if !strings.Contains(a.View(), "units: 0 is outside") {
		t.Errorf("the reason is not shown in place:\n%s", a.View())
	}
	if got := spec(); got != "32:relu,32:relu,16:relu" {
		t.Fatalf("refused edit changed the plan: %q", got)
	}
	press(a, "backspace", "8", "enter")
	if got := spec(); got != "32:relu,32:relu,8:relu" {
		t.Fatalf("after a valid edit: %q", got)
	}
	press(a, "d", "d", "d", "d")
	if got := spec(); got != "" {
		t.Fatalf("after deleting everything: %q", got)
	}
	if !strings.Contains(a.View(), "no hidden layer to delete") {
		t.Errorf("deleting from an empty stack says nothing")
	}
	// The summary follows the stack: with no hidden layer iris has 4*3+3 params.
	if !strings.Contains(a.View(), "15 parameters") {
		t.Errorf("summary did not update:\n%s", a.View())
	}
}

func TestHyperFormRefusesBadValues(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 100, 30)
	press(a, "2", "t", "tab") // lr field
	for range 10 {
		press(a, "backspace")
	}
	press(a, "-", "1", "enter")
	mp := a.impl.panes[paneModel].(*modelPane)
	if !mp.Capturing() || !strings.Contains(mp.hyper.err, "lr: -1 must be above 0") {
		t.Fatalf("negative lr not refused: %q", mp.hyper.err)
	}
	if a.impl.plan.Hyper.LearningRate <= 0 {
		t.Fatal("refused value reached the plan")
	}
	press(a, "backspace", "backspace", "0", ".", "5", "enter")
	if got := a.impl.plan.Hyper.LearningRate; got != 0.5 {
		t.Fatalf("lr %v after a valid edit, want 0.5", got)
	}
}

func TestCatalogFilter(t *testing.T) {
	cat := []datasets.Info{
		{Name: "iris", Kind: "real", Task: datasets.Classification, Description: "Fisher's flowers"},
		{Name: "diabetes", Kind: "real", Task: datasets.Regression, Description: "disease progression"},
		{Name: "spiral", Kind: "synthetic", Task: datasets.Classification, Description: "two arms"},
	}
	cases := []struct {
		filter string
		want   []string
	}{
		{"", []string{"iris", "diabetes", "spiral"}},
		{"IRIS", []string{"iris"}},
		{"regression", []string{"diabetes"}},
		{"synthetic arms", []string{"spiral"}},
		{"real flowers", []string{"iris"}},
		{"nothing", nil},
	}
	for _, c := range cases {
		var got []string
		for _, in := range cat {
			if matches(in, c.filter) {
				got = append(got, in.Name)
			}
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("filter %q: got %v, want %v", c.filter, got, c.want)
		}
	}
}

// TestDataPaneFilterAndLoad types a filter, picks the match, and loads it;
// a bad path is reported in words and changes nothing.
func TestDataPaneFilterAndLoad(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 120, 40)
	dp := a.impl.panes[paneData].(*dataPane)
	press(a, "1", "/", "m", "o", "o", "n", "enter")
	in, ok := dp.selected()
	if !ok || in.Name != "moons" {
		t.Fatalf("filter moon selected %+v", in)
	}
	cmd := dp.updateKey(tea.KeyMsg{Type: tea.KeyEnter})
	a.Update(cmd())
	if a.impl.data.Name != "moons" || !strings.HasPrefix(a.impl.plan.DataRef, "moons") {
		t.Fatalf("moons not loaded: %s", a.impl.plan.DataRef)
	}
	if v := a.View(); !strings.Contains(v, "scatter") {
		t.Errorf("2-D data shows no scatter:\n%s", v)
	}
	before := a.impl.plan.DataRef
	press(a, "o")
	for _, r := range "/no/such/file.csv" {
		press(a, string(r))
	}
	cmd = dp.updateKey(tea.KeyMsg{Type: tea.KeyEnter})
	a.Update(cmd())
	if a.impl.plan.DataRef != before || a.impl.data.Name != "moons" {
		t.Fatalf("a bad path changed the plan to %q", a.impl.plan.DataRef)
	}
	if v := a.View(); !strings.Contains(v, "could not load /no/such/file.csv") {
		t.Errorf("load error not shown:\n%s", v)
	}
}

func TestSplitFormRefusesNoTraining(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 120, 40)
	press(a, "1", "e", "backspace", "backspace", "backspace", "0", ".", "6", "tab", "backspace", "backspace", "backspace", "0", ".", "5", "enter")
	dp := a.impl.panes[paneData].(*dataPane)
	if !dp.Capturing() || !strings.Contains(dp.split.err, "leaves nothing to train on") {
		t.Fatalf("val+test >= 1 accepted: %q", dp.split.err)
	}
	if a.impl.plan.Val != 0.2 {
		t.Fatalf("refused split reached the plan: %v", a.impl.plan.Val)
	}
}

func TestCompareRows(t *testing.T) {
	mk := func(layers string, lr float64, status sessions.Status) *sessions.Session {
		h := sessions.DefaultHyper()
		h.LearningRate = lr
		return &sessions.Session{Name: layers, Layers: layers, Hyper: h, Status: status,
			Data: sessions.DataInfo{Ref: "iris", Classes: []string{"a", "b"}}}
	}
	names, vals := compareTable([]*sessions.Session{mk("16:relu", 0.01, sessions.Finished), mk("32:tanh", 0.01, sessions.Stopped)})
	diff := map[string]bool{}
	for i, n := range names {
		if vals[i][0] != vals[i][1] {
			diff[n] = true
		}
	}
	for _, want := range []string{"layers", "status"} {
		if !diff[want] {
			t.Errorf("%s differs but is not flagged", want)
		}
	}
	for _, same := range []string{"lr", "data", "optimizer", "batch"} {
		if diff[same] {
			t.Errorf("%s is equal but flagged", same)
		}
	}
}

// TestSessionsCompareMarks: up to eight marks, = compares them, c always
// continues (it used to compare when two were marked).
func TestSessionsCompareMarks(t *testing.T) {
	a := newTestApp(t, Options{})
	sp := a.impl.panes[paneSessions].(*sessionsPane)
	mk := func(id string) sessions.Entry {
		return sessions.Entry{ID: id, Session: &sessions.Session{ID: id, Name: id, Hyper: sessions.DefaultHyper(),
			History: []engine.EpochStats{{Epoch: 1, Loss: 1, ValLoss: 1.1}, {Epoch: 2, Loss: 0.5, ValLoss: 0.7}}}}
	}
	size(a, 160, 48)
	press(a, "5")
	var es []sessions.Entry
	for i := range 10 {
		es = append(es, mk(fmt.Sprintf("s%d", i)))
	}
	a.Update(sessionsListedMsg{entries: es})
	press(a, "=")
	if sp.cmp != nil || !strings.Contains(sp.msg, "mark two") {
		t.Fatalf("compare without marks: comparing %v, msg %q", sp.cmp != nil, sp.msg)
	}
	for range 8 {
		press(a, "m", "j")
	}
	press(a, "m")
	if len(sp.marked) != maxCompare || !strings.Contains(sp.msg, "unmark one") {
		t.Fatalf("9 marks gave %v, msg %q; want the first 8 kept and a note", sp.marked, sp.msg)
	}
	if v := a.View(); !strings.Contains(v, "8 marked") {
		t.Errorf("the list does not say how many are marked:\n%s", v)
	}
	press(a, "c")
	if sp.cmp != nil {
		t.Fatal("c with two marks compared; c continues, = compares")
	}
	press(a, "=")
	if sp.cmp == nil {
		t.Fatal("= with eight marks does not compare")
	}
	hist := make([][]engine.EpochStats, len(sp.cmp.ids))
	for i := range hist {
		for e := 1; e <= 10*(i+1); e++ {
			hist[i] = append(hist[i], engine.EpochStats{Epoch: e, Loss: 1 / float64(e+i), ValLoss: 1.2 / float64(e)})
		}
	}
	a.Update(compareHistoriesMsg{ids: sp.cmp.ids, hist: hist})
	for _, sz := range [][2]int{{80, 24}, {160, 48}} {
		size(a, sz[0], sz[1])
		v := a.View()
		checkFits(t, v, sz[0], sz[1])
		for i := range maxCompare {
			if !strings.Contains(v, string(runMark(i))+" s"+fmt.Sprint(i)) {
				t.Errorf("%v: run s%d has no legend row with its glyph:\n%s", sz, i, v)
			}
		}
	}
	press(a, "esc")
	if sp.cmp != nil {
		t.Fatal("esc does not leave the comparison")
	}
}

func TestLineChartFits(t *testing.T) {
	st := DefaultStyles(asciiRenderer())
	ys := []float64{1, 0.5, math.NaN(), 0.25, math.Inf(1), 0.1}
	for _, sz := range [][2]int{{12, 4}, {40, 10}, {77, 20}, {200, 50}} {
		out := lineChart(chartSpec{w: sz[0], h: sz[1], series: []series{{ys: ys, x0: 1, style: st.Train}, {ys: ys, x0: 1, style: st.Val, dotted: true}},
			xMin: 1, xMax: 100, yMin: math.NaN(), yMax: math.NaN(), markX: 4, markStyle: st.Best, axis: st.Axis})
		checkFits(t, out, sz[0], sz[1])
		if !strings.Contains(out, "▲") {
			t.Errorf("%v: best marker missing", sz)
		}
	}
}

func TestNextFreeAddr(t *testing.T) {
	if _, ok := nextFreeAddr("127.0.0.1:0"); ok {
		t.Error("port 0 has no next port")
	}
	if a, ok := nextFreeAddr("127.0.0.1:40000"); !ok || a == "127.0.0.1:40000" {
		t.Errorf("next free after 40000: %q %v", a, ok)
	}
}

// TestFitsEverySize: every pane at several sizes fills the screen exactly.
func TestFitsEverySize(t *testing.T) {
	a := newTestApp(t, Options{User: "ana"})
	fillHistory(a, 50)
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {120, 34}, {160, 48}, {240, 70}, {60, 16}, {40, 10}} {
		size(a, sz[0], sz[1])
		for _, k := range []string{"1", "2", "3", "4", "5", "?"} {
			press(a, k)
			checkFits(t, a.View(), sz[0], sz[1])
			if k == "?" {
				press(a, "?")
			}
		}
	}
}

// fillHistory puts n made-up epochs and test metrics into the Train pane,
// as a finished run would (deterministic, for goldens and benchmarks).
func fillHistory(a *App, n int) *trainPane {
	tp := a.impl.panes[paneTrain].(*trainPane)
	tp.state = trainDone
	tp.reason = string(sessions.Finished)
	tp.name = "iris-demo"
	tp.classes = []string{"setosa", "versicolor", "virginica"}
	tp.history = nil
	for i := 1; i <= n; i++ {
		x := float64(i)
		tp.history = append(tp.history, engine.EpochStats{
			Epoch: i, Loss: 1.1 * math.Exp(-x/15), Accuracy: 1 - 0.6*math.Exp(-x/10),
			ValLoss: 1.1*math.Exp(-x/18) + 0.05 + 0.02*math.Sin(x), ValAccuracy: 1 - 0.6*math.Exp(-x/12) - 0.02,
			LearningRate: 0.01, Seconds: 0.01, SamplesPerSec: 90000,
		})
	}
	tp.epochs = n
	tp.best = engine.BestEpoch(tp.history)
	tp.test = &engine.Metrics{Loss: 0.07, Accuracy: 0.967, Confusion: [][]int{{10, 0, 0}, {0, 9, 1}, {0, 0, 10}}}
	tp.invalidate()
	return tp
}

// TestGoldens pins stable screens at 80×24 and 160×48 (colour off).
func TestGoldens(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {160, 48}} {
		a := newTestApp(t, Options{})
		a.impl.plan.Hyper.Epochs = 100
		size(a, sz[0], sz[1])
		for _, k := range []struct{ key, name string }{{"1", "data"}, {"2", "model"}, {"3", "train-ready"}, {"4", "serve-off"}, {"5", "sessions-empty"}} {
			press(a, k.key)
			a.impl.panes[paneSessions].Update(sessionsListedMsg{})
			v := a.View()
			checkFits(t, v, sz[0], sz[1])
			golden(t, k.name+"-"+itoa(sz[0])+"x"+itoa(sz[1])+".golden", v)
		}
		fillHistory(a, 60)
		press(a, "3")
		golden(t, "train-done-"+itoa(sz[0])+"x"+itoa(sz[1])+".golden", a.View())
		press(a, "?")
		golden(t, "help-"+itoa(sz[0])+"x"+itoa(sz[1])+".golden", a.View())
	}
}

// TestSyntheticParams edits a synthetic set's parameters into its reference;
// a bad value is refused in place.
func TestSyntheticParams(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 120, 40)
	dp := a.impl.panes[paneData].(*dataPane)
	press(a, "1", "/", "s", "p", "i", "r", "a", "l", "enter", "p")
	if dp.params == nil || !dp.params.active {
		t.Fatal("p did not open the parameters of spiral")
	}
	// n is the first parameter: make it 0 (refused), then 300
	for range 8 {
		press(a, "backspace")
	}
	press(a, "0", "enter")
	if !dp.params.active || !strings.Contains(dp.params.err, "n: 0 is outside") {
		t.Fatalf("n=0 accepted: %q", dp.params.err)
	}
	press(a, "backspace", "3", "0", "0")
	loaded := loadAfter(a, tea.KeyMsg{Type: tea.KeyEnter})
	if loaded == nil {
		t.Fatalf("valid parameters did not load: %q", dp.params.err)
	}
	a.Update(loaded)
	ref := a.impl.plan.DataRef
	if !strings.HasPrefix(ref, "spiral?") || !strings.Contains(ref, "n=300") || a.impl.data.Rows() != 300 {
		t.Fatalf("plan %q with %d rows, want spiral with n=300", ref, a.impl.data.Rows())
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	if _, err := New(Options{}); err == nil || !strings.Contains(err.Error(), "Store") {
		t.Errorf("New without a store: %v", err)
	}
	_, err := New(Options{Store: newStore(t), SessionID: "no-such-session"})
	if err == nil || !strings.Contains(err.Error(), "no-such-session") {
		t.Errorf("New with a missing session: %v", err)
	}
	for _, addr := range []string{"nonsense", "127.0.0.1:http", "127.0.0.1:70000", ":-1"} {
		if _, err := New(Options{Store: newStore(t), ServeAddr: addr}); err == nil || !strings.Contains(err.Error(), "serve address") {
			t.Errorf("New with serve address %q: %v", addr, err)
		}
	}
}

// The split form's seed is the seed the run uses (sessions.Prepare splits
// with Hyper.Seed): editing it must change the run, not a copy of its own.
func TestSplitSeedReachesTheRun(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 120, 40)
	press(a, "1", "e", "tab", "tab", "backspace", "backspace", "7", "enter")
	if got := a.impl.plan.sessionsPlan().Hyper.Seed; got != 7 {
		t.Fatalf("split seed 7 gave the run seed %d", got)
	}
	if v := a.View(); !strings.Contains(v, "seed 7") {
		t.Errorf("split line does not show seed 7:\n%s", v)
	}
}

// A CSV whose target is not the last column, or that has missing values,
// could not be used in the TUI at all: the Data pane loaded every file with
// default options. t now sets what train's --target, --task and
// --drop-missing set, and the run gets them.
func TestCSVOptionsForm(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 120, 40)
	path := filepath.Join(t.TempDir(), "houses.csv")
	var b strings.Builder
	b.WriteString("price,rooms,area\n")
	for i := range 40 {
		if i == 5 {
			b.WriteString("NA,3,80\n")
			continue
		}
		fmt.Fprintf(&b, "%d,%d,%d\n", 100000+i*1000, 1+i%5, 50+i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	dp := a.impl.panes[paneData].(*dataPane)
	press(a, "1", "o")
	for _, r := range path {
		press(a, string(r))
	}
	a.Update(dp.updateKey(tea.KeyMsg{Type: tea.KeyEnter})())
	if !strings.Contains(dp.loadErr, "missing value") || !strings.Contains(dp.loadFix, "press t") {
		t.Fatalf("load error %q does not offer t", dp.loadErr)
	}
	press(a, "t")
	if dp.csv == nil || !dp.csv.active {
		t.Fatal("t did not open the CSV options")
	}
	press(a, "p", "r", "i", "c", "e", "tab", "tab", "backspace", "backspace", "y", "e", "s")
	loaded := loadAfter(a, tea.KeyMsg{Type: tea.KeyEnter})
	if loaded == nil {
		t.Fatalf("options not applied: %q", dp.csv.err)
	}
	a.Update(loaded)
	w := a.impl
	if w.plan.DataRef != path || w.data == nil || w.data.Task != "regression" || w.data.Dropped != 1 || w.data.Features() != 2 {
		t.Fatalf("plan %q, data %+v; want %s as regression on price with 1 row dropped", w.plan.DataRef, w.data, path)
	}
	if sp := w.plan.sessionsPlan(); sp.Load.Target != "price" || !sp.Load.DropMissing {
		t.Fatalf("the run would load with %+v", sp.Load)
	}
	// Choosing a built-in set forgets the file's options.
	press(a, "/", "i", "r", "i", "s", "enter")
	a.Update(dp.updateKey(tea.KeyMsg{Type: tea.KeyEnter})())
	if sp := w.plan.sessionsPlan(); sp.DataRef != "iris" || sp.Load != (datasets.LoadOptions{}) {
		t.Fatalf("iris plan kept the CSV options: %+v", sp)
	}
}

// A predicted price reads in the same notation and precision as the true
// value beside it (not 1.5038e+05 next to "true: 1.518e+05").
func TestFmtTarget(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{150380.4, "150,380"}, {-2500.6, "-2,501"}, {1000, "1,000"}, {152.34, "152.3"},
		{0.012345, "0.01235"}, {0, "0"}, {1e20, "1e+20"}, {math.NaN(), "NaN"},
	} {
		if got := fmtTarget(tc.v); got != tc.want {
			t.Errorf("fmtTarget(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

// At 80 columns the status column (finished, failed, interrupted) and the
// rename/delete/export keys stay on screen.
func TestSessionsListAt80Columns(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 80, 24)
	press(a, "5")
	s := &sessions.Session{ID: "20261130-174500-iris", Name: "iris", Status: sessions.Failed, Hyper: sessions.DefaultHyper(),
		History: []engine.EpochStats{{Epoch: 1, Loss: 1, ValLoss: 1.1}}}
	s.Data.Ref = "spiral?n=50000&noise=0.2&seed=1&arms=2"
	a.Update(sessionsListedMsg{entries: []sessions.Entry{{ID: s.ID, Session: s}}})
	v := a.View()
	checkFits(t, v, 80, 24)
	for _, want := range []string{"failed", "(none)", "R rename · d delete · e export"} {
		if !strings.Contains(v, want) {
			t.Errorf("80×24 sessions list lacks %q:\n%s", want, v)
		}
	}
}

// At 80 columns the compare table's B column was cut off entirely.
func TestCompareAt80Columns(t *testing.T) {
	a := newTestApp(t, Options{})
	mk := func(id string, lr float64) sessions.Entry {
		h := sessions.DefaultHyper()
		h.LearningRate = lr
		return sessions.Entry{ID: id, Session: &sessions.Session{ID: id, Name: id, Hyper: h,
			History: []engine.EpochStats{{Epoch: 1, Loss: 1, ValLoss: 1.1}, {Epoch: 2, Loss: 0.5, ValLoss: 0.7}}}}
	}
	size(a, 80, 24)
	press(a, "5")
	a.Update(sessionsListedMsg{entries: []sessions.Entry{mk("first", 0.01), mk("second", 0.5)}})
	press(a, "m", "j", "m", "c")
	if sp := a.impl.panes[paneSessions].(*sessionsPane); sp.cmp != nil {
		t.Fatal("c with two marks compared; c only continues, = compares")
	}
	press(a, "=")
	a.Update(compareHistoriesMsg{ids: []string{"first", "second"}, hist: [][]engine.EpochStats{
		{{Epoch: 1, Loss: 1}, {Epoch: 2, Loss: 0.5}}, {{Epoch: 1, Loss: 0.9}, {Epoch: 2, Loss: 0.4}}}})
	v := a.View()
	checkFits(t, v, 80, 24)
	for _, want := range []string{"● first", "▲ second", "0.01", "0.5"} {
		if !strings.Contains(v, want) {
			t.Errorf("80×24 compare lacks %q:\n%s", want, v)
		}
	}
}

// Enter on an empty name keeps the prompt open and says why: closing it
// without a word would look as if the rename had worked.
func TestRenameRefusesEmptyName(t *testing.T) {
	store := newStore(t)
	a := newTestApp(t, Options{Store: store})
	size(a, 80, 24)
	pr, err := sessions.Prepare(sessions.Plan{DataRef: "iris", Hyper: sessions.Hyper{Epochs: 1}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Train(t.Context(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	sp := a.impl.panes[paneSessions].(*sessionsPane)
	press(a, "5")
	a.Update(sp.refresh()())
	press(a, "R")
	for range len(s.Name) {
		press(a, "backspace")
	}
	press(a, "enter")
	if !sp.renaming || !strings.Contains(a.View(), "a session needs a name") {
		t.Fatalf("empty name: renaming %v, view:\n%s", sp.renaming, a.View())
	}
	checkFits(t, a.View(), 80, 24)
	press(a, "esc")
	if got, _ := store.Load(s.ID); got == nil || got.Name != s.Name {
		t.Fatalf("the name changed: %+v", got)
	}
}

// The delete question was cut at 80 columns, hiding "n keep".
func TestDeleteQuestionFits80(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 80, 24)
	press(a, "5")
	s := &sessions.Session{ID: "20261130-174413-a-long-session-name", Name: "x", Hyper: sessions.DefaultHyper()}
	a.Update(sessionsListedMsg{entries: []sessions.Entry{{ID: s.ID, Session: s}}})
	press(a, "d")
	v := a.View()
	checkFits(t, v, 80, 24)
	if !strings.Contains(v, "n keep") || !strings.Contains(v, s.ID) {
		t.Errorf("delete question incomplete:\n%s", v)
	}
	press(a, "n")
}

// At 80 columns a load error with its "press t" hint took more than the
// three lines it was given, so the hint was cut off.
func TestLoadErrorHintFits80(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 80, 24)
	path := filepath.Join(t.TempDir(), "fruit.csv")
	if err := os.WriteFile(path, []byte("weight,diameter,colour_score,kind\n1,2,3,apple\n2,3,4,pear\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dp := a.impl.panes[paneData].(*dataPane)
	press(a, "1")
	dp.fileRef = path
	a.Update(dataLoadedMsg{ref: path, opts: datasets.LoadOptions{Target: "nope"}, err: fmt.Errorf("%s: %w: no column named \"nope\"; columns are \"weight\", \"diameter\", \"colour_score\", \"kind\"", path, datasets.ErrTargetNotFound)})
	v := a.View()
	checkFits(t, v, 80, 24)
	if !strings.Contains(strings.ReplaceAll(v, "│", ""), "missing values") {
		t.Errorf("the t hint is cut off:\n%s", v)
	}
}

// "could not load a.csv: a.csv line 3: ..." said the path twice.
func TestLoadErrorNamesThePathOnce(t *testing.T) {
	a := newTestApp(t, Options{})
	dp := a.impl.panes[paneData].(*dataPane)
	for _, tc := range []struct{ ref, err, want string }{
		{"/d/a.csv", "/d/a.csv line 3: wrong number of fields", "could not load /d/a.csv line 3: wrong number of fields"},
		{"nosuch", "unknown dataset \"nosuch\"", "could not load nosuch: unknown dataset \"nosuch\""},
	} {
		a.Update(dataLoadedMsg{ref: tc.ref, err: errors.New(tc.err)})
		if dp.loadErr != tc.want {
			t.Errorf("loadErr %q, want %q", dp.loadErr, tc.want)
		}
	}
}

// A run that stopped early (patience) or was stopped by hand was titled
// "epoch 45/45", as if every planned epoch had run.
func TestDoneTitleSaysWhyItEnded(t *testing.T) {
	a := newTestApp(t, Options{})
	tp := a.impl.panes[paneTrain].(*trainPane)
	hist := func(n int) []engine.EpochStats {
		var h []engine.EpochStats
		for i := 1; i <= n; i++ {
			h = append(h, engine.EpochStats{Epoch: i, Loss: 1, ValLoss: 1})
		}
		return h
	}
	for _, tc := range []struct {
		status       sessions.Status
		n, best, pat int
		want         string
	}{
		{sessions.Finished, 45, 25, 20, "epoch 45 · stopped early (no better val_loss for 20 epochs)"},
		{sessions.Stopped, 6, 5, 20, "epoch 6 · stopped"},
		{sessions.Finished, 8, 8, 20, "epoch 8/8"},
		{sessions.Finished, 100, 90, 20, "epoch 100/100"},
		{sessions.Finished, 100, 10, 0, "epoch 100/100"}, // patience off
	} {
		h := sessions.DefaultHyper()
		h.Patience = tc.pat
		tp.state = trainDone
		tp.loadSession(&sessions.Session{Status: tc.status, Hyper: h, BestEpoch: tc.best, History: hist(tc.n)})
		if got := tp.progressTitle(); got != tc.want {
			t.Errorf("%s after %d (best %d, patience %d): title %q, want %q", tc.status, tc.n, tc.best, tc.pat, got, tc.want)
		}
	}
}

func TestPreviewTitleSingular(t *testing.T) {
	a := newTestApp(t, Options{})
	dp := a.impl.panes[paneData].(*dataPane)
	ds, err := datasets.Load("sine?n=50", datasets.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a.Update(dataLoadedMsg{ref: "sine?n=50", ds: ds})
	if got := dp.previewTitle(); !strings.Contains(got, "· 1 feature ·") {
		t.Errorf("title %q", got)
	}
}

// The try-it row refused nothing ParseFloat took, so NaN went to the
// server as an empty body.
func TestParseFeature(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"5.1", 5.1, true}, {"-2e3", -2000, true}, {"0", 0, true},
		{"NaN", 0, false}, {"inf", 0, false}, {"-Infinity", 0, false}, {"1e400", 0, false}, {"abc", 0, false}, {"", 0, false},
	} {
		got, err := parseFeature(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseFeature(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if cerr := checkNumber(tc.in); (cerr == nil) != tc.ok {
			t.Errorf("checkNumber(%q) = %v, want ok %v", tc.in, cerr, tc.ok)
		}
	}
}

// The fit plot's points are sorted once per dataset, not every frame; a
// new dataset must still be drawn as itself.
func TestFitPlotFollowsTheDataset(t *testing.T) {
	a := newTestApp(t, Options{})
	tp := a.impl.panes[paneTrain].(*trainPane)
	load := func(ref string) *datasets.Dataset {
		ds, err := datasets.Load(ref, datasets.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	first, second := load("sine?n=50&seed=1"), load("sine?n=80&seed=2")
	tp.ds = first
	got1 := tp.mapView(40, 12)
	if got1 == "" || got1 != tp.st.fitPlot(sortedByX(first), nil, 40, 12) {
		t.Fatalf("fit plot of the first dataset:\n%s", got1)
	}
	if again := tp.mapView(40, 12); again != got1 {
		t.Errorf("second frame differs from the first:\n%s\n---\n%s", again, got1)
	}
	tp.ds = second
	if got2, want := tp.mapView(40, 12), tp.st.fitPlot(sortedByX(second), nil, 40, 12); got2 != want || got2 == got1 {
		t.Errorf("after a new dataset the plot is still the old one:\n%s", got2)
	}
	if got := tp.st.fitPlot(fitPoints{}, nil, 40, 12); got != "" {
		t.Errorf("no points drew %q", got)
	}
}

// A shutdown started by the context (the SSH host stopping) keeps the
// server's stop error; Close, which then finds nothing to stop, reports it.
func TestCloseReportsTheContextShutdownError(t *testing.T) {
	for _, want := range []error{nil, errors.New("stop predict server: boom")} {
		a := newTestApp(t, Options{})
		a.Update(shutdownDoneMsg{err: want})
		if got := a.Close(); !errors.Is(got, want) {
			t.Errorf("Close() = %v, want %v", got, want)
		}
	}
}

// TestTrainPaneNothingTrained: a run stopped before its first epoch ended
// shows why nothing was kept, as a stop, not as a failure.
func TestTrainPaneNothingTrained(t *testing.T) {
	a := newTestApp(t, Options{})
	tp := a.impl.panes[paneTrain].(*trainPane)
	tp.state = trainRunning
	tp.Update(trainDoneMsg{run: tp.runID, err: sessions.ErrNothingTrained})
	got := tp.statusLine()
	if !strings.Contains(got, sessions.ErrNothingTrained.Error()) || strings.Contains(got, "failed") || strings.Contains(got, "(saved)") {
		t.Errorf("status line %q, want the ErrNothingTrained message, neither failed nor saved", got)
	}
}
