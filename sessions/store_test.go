package sessions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"workbench/engine"
)

func TestHomeDir(t *testing.T) {
	abs := func(p string) string { a, _ := filepath.Abs(p); return a }
	tests := []struct {
		name, flag, env, xdg, home, want string
	}{
		{"flag wins", "/flag", "/env", "/xdg", "/home/u", "/flag"},
		{"relative flag made absolute", "rel/dir", "", "", "/home/u", abs("rel/dir")},
		{"tilde flag", "~/wb", "", "", "/home/u", "/home/u/wb"},
		{"env", "", "/env", "/xdg", "/home/u", "/env"},
		{"xdg", "", "", "/xdg", "/home/u", "/xdg/workbench"},
		{"relative xdg ignored", "", "", "xdg", "/home/u", "/home/u/.local/share/workbench"},
		{"default", "", "", "", "/home/u", "/home/u/.local/share/workbench"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("WORKBENCH_HOME", tc.env)
			t.Setenv("XDG_DATA_HOME", tc.xdg)
			t.Setenv("HOME", tc.home)
			got, err := HomeDir(tc.flag)
			if err != nil || got != tc.want {
				t.Fatalf("HomeDir(%q) = %q, %v; want %q", tc.flag, got, err, tc.want)
			}
		})
	}
}

func TestNewID(t *testing.T) {
	at := time.Date(2026, 11, 30, 15, 42, 33, 0, time.UTC)
	tests := []struct{ name, ref, want string }{
		{"iris", "iris", "20261130-154233-iris"},
		{"", "spiral?n=600&noise=0.2", "20261130-154233-spiral"},
		{"", "./data/My Data.csv", "20261130-154233-my-data"},
		{"Big Run #2!", "iris", "20261130-154233-big-run-2"},
		{"ünïcode", "", "20261130-154233-n-code"},
		{"///", "", "20261130-154233-session"},
	}
	for _, tc := range tests {
		if got := newID(at, tc.name, tc.ref); got != tc.want {
			t.Errorf("newID(%q, %q) = %q, want %q", tc.name, tc.ref, got, tc.want)
		}
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		plan Plan
	}{
		{"classification", Plan{DataRef: "iris", Layers: "8:relu,dropout:0.1,4:tanh"}},
		// No validation split: the history holds NaN val metrics, which
		// JSON cannot carry as numbers.
		{"regression without validation", Plan{DataRef: "sine?n=120&seed=3", Layers: "8:tanh", Val: 0, Test: 0.25}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			tc.plan.Hyper = Hyper{Epochs: 4, Seed: 2}
			pr := prepare(t, tc.plan)
			s, err := st.Train(context.Background(), pr, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if s.Status != Finished || len(s.History) != 4 || s.Test == nil {
				t.Fatalf("after Train: status %s, %d epochs, test %v", s.Status, len(s.History), s.Test)
			}
			got, err := st.Load(s.ID)
			if err != nil {
				t.Fatal(err)
			}
			x := pr.Dataset.X
			if !sameBits(s.Predict(x), got.Predict(x)) {
				t.Fatal("the loaded session predicts differently from the saved one")
			}
			// Everything but the model survives the trip as it was.
			a, b := *s, *got
			a.Model, b.Model = nil, nil
			if !reflect.DeepEqual(jsonOf(t, a), jsonOf(t, b)) {
				t.Fatalf("session changed on the round trip:\nsaved  %s\nloaded %s", jsonOf(t, a), jsonOf(t, b))
			}
			if tc.plan.Val == 0 && tc.plan.Test != 0 && !math.IsNaN(got.History[0].ValLoss) {
				t.Fatalf("val loss without validation data = %v, want NaN", got.History[0].ValLoss)
			}
			raw, err := os.ReadFile(filepath.Join(st.Dir, s.ID, "session.json"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(raw), "\n  \"version\": 2,") {
				t.Fatalf("session.json is not indented with its version:\n%.200s", raw)
			}
		})
	}
}

func jsonOf(t *testing.T, s Session) string {
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestIDsUniqueInOneSecond(t *testing.T) {
	st := openStore(t)
	pr := prepare(t, Plan{Name: "twin"})
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	seen := map[string]bool{}
	for range 3 {
		s := *pr.Session
		s.Created = at
		if err := st.Save(&s); err != nil {
			t.Fatal(err)
		}
		if seen[s.ID] {
			t.Fatalf("id %s given twice", s.ID)
		}
		seen[s.ID] = true
	}
	for _, id := range []string{"20260102-030405-twin", "20260102-030405-twin-2", "20260102-030405-twin-3"} {
		if !seen[id] {
			t.Errorf("missing id %s; got %v", id, seen)
		}
	}
}

// writeSession saves a copy of s under a fresh id and returns the id.
func writeSession(t *testing.T, st *Store, s *Session) string {
	t.Helper()
	c := *s
	c.ID = ""
	c.stored = false
	if err := st.Save(&c); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func TestDamagedSessionsAreListed(t *testing.T) {
	st := openStore(t)
	good := trained(t, st, "good", 2)
	damage := []struct {
		name   string
		harm   func(dir string) error
		reason string
	}{
		{"bad json", func(d string) error {
			return os.WriteFile(filepath.Join(d, "session.json"), []byte("{\"version\": 1, oops"), 0o644)
		}, "not valid JSON"},
		{"no json", func(d string) error { return os.Remove(filepath.Join(d, "session.json")) }, "session.json is missing"},
		{"no weights", func(d string) error { return os.Remove(filepath.Join(d, "model.safetensors")) }, "model.safetensors is missing"},
		{"truncated weights", func(d string) error {
			p := filepath.Join(d, "model.safetensors")
			fi, err := os.Stat(p)
			if err != nil {
				return err
			}
			return os.Truncate(p, fi.Size()-5)
		}, "truncated"},
		{"garbage weights", func(d string) error {
			return os.WriteFile(filepath.Join(d, "model.safetensors"), []byte("garbage!garbage!"), 0o644)
		}, "model.safetensors"},
		{"newer version", func(d string) error { return setVersion(d, 3) }, "written by a newer workbench (format 3); this one reads 2"},
		{"no version", func(d string) error { return setVersion(d, -1) }, "no format version"},
		{"scaler mismatch", func(d string) error {
			return editJSON(d, func(m map[string]any) { m["scaler"] = map[string]any{"mean": []float64{1}, "std": []float64{1}} })
		}, "scaler does not match"},
	}
	ids := map[string]int{} // id → index in damage
	for i, d := range damage {
		id := writeSession(t, st, good)
		if err := d.harm(filepath.Join(st.Dir, id)); err != nil {
			t.Fatal(err)
		}
		ids[id] = i
	}
	entries, err := st.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(damage)+1 {
		t.Fatalf("listed %d sessions, want %d", len(entries), len(damage)+1)
	}
	for _, e := range entries {
		if e.ID == good.ID {
			if e.Damaged != "" || e.Session == nil || e.Session.Name != "good" {
				t.Errorf("the intact session is listed as %+v", e)
			}
			continue
		}
		d := damage[ids[e.ID]]
		if e.Session != nil || !strings.Contains(e.Damaged, d.reason) {
			t.Errorf("%s: listed as damaged %q, want it to mention %q", d.name, e.Damaged, d.reason)
		}
		if _, err := st.Load(e.ID); err == nil || !strings.Contains(err.Error(), d.reason) {
			t.Errorf("%s: Load error %v, want it to mention %q", d.name, err, d.reason)
		}
		// A damaged session can still be named exactly, so it can be removed.
		if id, err := st.Resolve(e.ID); err != nil || id != e.ID {
			t.Errorf("%s: Resolve = %q, %v", d.name, id, err)
		}
	}
	if _, err := st.Load(good.ID); err != nil {
		t.Fatalf("the intact session no longer loads: %v", err)
	}
}

func editJSON(dir string, edit func(map[string]any)) error {
	p := filepath.Join(dir, "session.json")
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	edit(m)
	b, err = json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(p, b, 0o644)
}

// setVersion sets the format version; -1 removes it.
func setVersion(dir string, v int) error {
	return editJSON(dir, func(m map[string]any) {
		if v < 0 {
			delete(m, "version")
		} else {
			m["version"] = v
		}
	})
}

func TestNewerVersionIsRefusedAndKept(t *testing.T) {
	st := openStore(t)
	s := trained(t, st, "future", 1)
	dir := filepath.Join(st.Dir, s.ID)
	if err := setVersion(dir, 3); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "session.json"))
	const msg = "written by a newer workbench (format 3); this one reads 2"
	_, err := st.Load(s.ID)
	if err == nil || !strings.Contains(err.Error(), msg) {
		t.Fatalf("Load: %v, want %q", err, msg)
	}
	if err := st.Save(s); err == nil || !strings.Contains(err.Error(), msg) {
		t.Fatalf("Save over a newer session: %v, want refusal", err)
	}
	if err := st.Rename(s.ID, "x"); err == nil || !strings.Contains(err.Error(), msg) {
		t.Fatalf("Rename of a newer session: %v, want refusal", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "session.json"))
	if string(before) != string(after) {
		t.Fatal("a session written by a newer workbench was changed")
	}
}

func TestResolve(t *testing.T) {
	st := openStore(t)
	pr := prepare(t, Plan{})
	mk := func(name string, at time.Time) string {
		s := *pr.Session
		// Names chosen by hand, so two may be the same.
		s.Name, s.Created, s.autoName = name, at, ""
		if err := st.Save(&s); err != nil {
			t.Fatal(err)
		}
		return s.ID
	}
	t0 := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	oldIris := mk("iris", t0)                       // 20261130-100000-iris
	newIris := mk("iris", t0.Add(time.Minute))      // 20261130-100100-iris
	other := mk("spiral run", t0.Add(time.Hour))    // 20261130-110000-spiral-run
	newest := mk("latest-ish", t0.Add(2*time.Hour)) // 20261130-120000-latest-ish
	// The newest of all is damaged: "latest" still names it, so that
	// loading it says why rather than quietly using an older one.
	broken := mk("broken", t0.Add(3*time.Hour))
	os.Remove(filepath.Join(st.Dir, broken, "model.safetensors"))

	tests := []struct {
		query, want, err string
	}{
		{oldIris, oldIris, ""},
		{"20261130-10", "", "matches 2 sessions: " + newIris + ", " + oldIris},
		{"20261130-1000", oldIris, ""},
		{"20261130-11", other, ""},
		{"iris", newIris, ""},
		{"spiral run", other, ""},
		{"latest", broken, ""},
		{"latest-ish", newest, ""},
		{broken, broken, ""},
		{"nope", "", "no session matches \"nope\""},
		{"", "", "no session given"},
		{"../etc", "", "no session matches"},
	}
	for _, tc := range tests {
		got, err := st.Resolve(tc.query)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Resolve(%q) = %q, %v; want error %q", tc.query, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", tc.query, got, err, tc.want)
		}
	}
	if _, err := openStore(t).Resolve("latest"); !errors.Is(err, ErrNotFound) {
		t.Errorf("latest in an empty store: %v", err)
	}
}

// "latest" when the newest or every session is damaged names the newest
// one, and loading it gives the damage reason, never "no sessions yet".
func TestResolveLatestDamaged(t *testing.T) {
	pr := prepare(t, Plan{})
	t0 := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		intact  int // sessions kept intact, oldest first
		damaged int // newer sessions whose session.json is broken
	}{
		{"none damaged", 2, 0},
		{"newest damaged", 2, 1},
		{"every one damaged", 0, 3},
		{"only one, damaged", 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			var ids []string
			for i := 0; i < tc.intact+tc.damaged; i++ {
				s := *pr.Session
				s.Name, s.Created = fmt.Sprintf("s%d", i), t0.Add(time.Duration(i)*time.Minute)
				if err := st.Save(&s); err != nil {
					t.Fatal(err)
				}
				if i >= tc.intact {
					if err := os.WriteFile(filepath.Join(st.Dir, s.ID, "session.json"), []byte("{oops"), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				ids = append(ids, s.ID)
			}
			newest := ids[len(ids)-1]
			id, err := st.Resolve("latest")
			if err != nil || id != newest {
				t.Fatalf("Resolve(latest) = %q, %v; want the newest session %s", id, err, newest)
			}
			_, err = st.Load(id)
			if tc.damaged == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), newest+" is damaged") || !strings.Contains(err.Error(), "not valid JSON") {
				t.Errorf("Load(latest): %v; want the damage of %s", err, newest)
			}
		})
	}
}

func TestListNewestFirst(t *testing.T) {
	st := openStore(t)
	pr := prepare(t, Plan{})
	t0 := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	var want []string
	for _, d := range []time.Duration{time.Hour, 0, 3 * time.Hour, 2 * time.Hour} {
		s := *pr.Session
		s.Created = t0.Add(d)
		if err := st.Save(&s); err != nil {
			t.Fatal(err)
		}
		want = append(want, s.ID)
	}
	want = []string{want[2], want[3], want[0], want[1]}
	entries, err := st.List()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.ID)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("List order %v, want %v", got, want)
	}
}

// Sessions made in the same second sort by their exact creation time even
// when the newer one's weights are damaged (its id alone has only seconds,
// and here its slug sorts before the older one's).
func TestListSameSecondDamagedWeights(t *testing.T) {
	st := openStore(t)
	pr := prepare(t, Plan{})
	t0 := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	var ids []string
	for _, c := range []struct {
		name string
		at   time.Duration
	}{{"zz older", 100 * time.Millisecond}, {"aa newer", 900 * time.Millisecond}} {
		s := *pr.Session
		s.Name, s.Created = c.name, t0.Add(c.at)
		if err := st.Save(&s); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	if err := os.Remove(filepath.Join(st.Dir, ids[1], "model.safetensors")); err != nil {
		t.Fatal(err)
	}
	entries, err := st.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].ID != ids[1] || entries[0].Damaged == "" {
		t.Fatalf("List %+v, want the damaged newer %s first", entries, ids[1])
	}
	if id, err := st.Resolve("latest"); err != nil || id != ids[1] {
		t.Errorf("Resolve(latest) = %q, %v; want %s", id, err, ids[1])
	}
}

func TestRenameAndDelete(t *testing.T) {
	st := openStore(t)
	s := trained(t, st, "first", 1)
	if err := st.Rename(s.ID, "  second  "); err != nil {
		t.Fatal(err)
	}
	got, err := st.Load(s.ID)
	if err != nil || got.Name != "second" || got.ID != s.ID || !got.Updated.Equal(s.Updated) {
		t.Fatalf("after rename: %+v, %v", got, err)
	}
	for _, bad := range []string{"", "   ", "a\nb", strings.Repeat("x", 101)} {
		if err := st.Rename(s.ID, bad); err == nil {
			t.Errorf("Rename to %q accepted", bad)
		}
	}
	// A process that loaded the session before the rename keeps the new
	// name when it saves again.
	s.History = append(s.History, s.History[0])
	if err := st.Save(s); err != nil || s.Name != "second" {
		t.Fatalf("save after another's rename: name %q, %v", s.Name, err)
	}

	if err := st.Delete(s.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Load(s.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Load after Delete: %v", err)
	}
	if err := st.Save(s); err == nil || !strings.Contains(err.Error(), "deleted") {
		t.Fatalf("Save after Delete brought the session back: %v", err)
	}
	if err := st.Delete(s.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Delete: %v", err)
	}
	if err := st.Rename(s.ID, "x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Rename after Delete: %v", err)
	}
	entries, _ := st.List()
	if len(entries) != 0 {
		t.Fatalf("listed after delete: %+v", entries)
	}
	for _, bad := range []string{"../x", ".lock", "a/b", ""} {
		if err := st.Delete(bad); err == nil {
			t.Errorf("Delete(%q) accepted", bad)
		}
	}
}

// TestConcurrentWriters has goroutines save the same sessions with models
// of different shapes while others list, load, rename and delete: every
// session must end with weights that match its own session.json.
func TestConcurrentWriters(t *testing.T) {
	st := openStore(t)
	const writers, rounds = 4, 6
	base := prepare(t, Plan{}).Session
	shared := *base
	if err := st.Save(&shared); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for w := range writers {
		wg.Go(func() {
			m := modelWithUnits(t, 4+w)
			layers := engine.FormatLayers(m.Config().Layers)
			for r := range rounds {
				mine := *base // a new session each round
				mine.ID, mine.Model, mine.Layers = "", m, layers
				if err := st.Save(&mine); err != nil {
					errs <- err
					return
				}
				s := shared // the same session from every writer
				s.stored = false
				s.Model, s.Layers = m, layers
				if err := st.Save(&s); err != nil {
					errs <- err
					return
				}
				if r%2 == 1 {
					if err := st.Delete(mine.ID); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	for range 2 {
		wg.Go(func() {
			for range rounds * 2 {
				entries, err := st.List()
				if err != nil {
					errs <- err
					return
				}
				for _, e := range entries {
					if e.Damaged != "" {
						errs <- errors.New(e.ID + " listed as damaged: " + e.Damaged)
						return
					}
				}
				if err := st.Rename(shared.ID, "renamed"); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	entries, err := st.List()
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + writers*rounds/2; len(entries) != want {
		t.Errorf("%d sessions at the end, want %d", len(entries), want)
	}
	checkConsistent(t, st)
}

// checkConsistent loads every session and checks its weights have the shape
// its session.json claims: weights and metadata from different writers
// never mix.
func checkConsistent(t *testing.T, st *Store) {
	t.Helper()
	entries, err := st.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		s, err := st.Load(e.ID)
		if err != nil {
			t.Errorf("%s: %v", e.ID, err)
			continue
		}
		if got := engine.FormatLayers(s.Model.Config().Layers); got != s.Layers {
			t.Errorf("%s: session.json says layers %q, the weights are %q", e.ID, s.Layers, got)
		}
	}
}

func modelWithUnits(t testing.TB, units int) *engine.Model {
	layers, err := engine.ParseLayers(engine.FormatLayers([]engine.LayerSpec{{Kind: "dense", Units: units, Activation: "relu"}}))
	if err != nil {
		t.Fatal(err)
	}
	m, err := engine.NewModel(engine.Config{Inputs: 4, Outputs: 3, Layers: layers, Seed: int64(units)})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestPredictAppliesScaler(t *testing.T) {
	st := openStore(t)
	s := trained(t, st, "", 2)
	x := mat.NewDense(2, 4, []float64{5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3})
	want := s.Model.Predict(s.Scaler.Transform(x))
	if got := s.Predict(x); !sameBits(got, want) {
		t.Fatal("Session.Predict is not the model applied to scaled input")
	}
	if sameBits(s.Model.Predict(x), want) {
		t.Fatal("scaling made no difference; the test cannot tell")
	}
}
