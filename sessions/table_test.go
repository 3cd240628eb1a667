package sessions

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"workbench/datasets"
)

// tableCSV writes a small mixed table: an id, a category with gaps, a
// number with gaps, a date and a class.
func tableCSV(t testing.TB) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,name,colour,size,day,y\n")
	colours := []string{"red", "green", "", "blue"}
	for i := range 120 {
		size := fmt.Sprint(i % 17)
		if i%10 == 3 {
			size = "NA"
		}
		fmt.Fprintf(&b, "%d,item %d,%s,%s,2024-01-%02d,%d\n", i, i, colours[i%4], size, 1+i%28, i%2)
	}
	p := filepath.Join(t.TempDir(), "mixed.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func tableSession(t testing.TB, st *Store) *Session {
	t.Helper()
	pr := prepare(t, Plan{Name: "table", DataRef: tableCSV(t), Hyper: Hyper{Epochs: 2, Seed: 1},
		Load: datasets.LoadOptions{Target: "y", Table: &datasets.TableOptions{Impute: datasets.ImputeMedian, Drop: []string{"id"}}}})
	s, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTableSessionStoresPreprocessing(t *testing.T) {
	st := openStore(t)
	s := tableSession(t, st)
	p := s.Preprocess
	if p == nil {
		t.Fatal("a mixed table trained without a Preprocessor")
	}
	if got := p.InputNames(); !slices.Equal(got, []string{"colour", "size", "day"}) {
		t.Errorf("inputs %v, want colour, size, day (id dropped, name an identifier)", got)
	}
	if !slices.Equal(s.Data.Features, p.FeatureNames()) || s.Model.Config().Inputs != p.Outputs() || len(s.Scaler.Mean) != p.Outputs() {
		t.Errorf("features %v, model inputs %d, scaler %d; want the %d encoded features", s.Data.Features, s.Model.Config().Inputs, len(s.Scaler.Mean), p.Outputs())
	}
	loaded, err := st.Load(s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := samePreprocess(s.Preprocess, loaded.Preprocess); err != nil {
		t.Errorf("preprocessing changed in a round trip: %v", err)
	}
	if tb := loaded.Data.Table; tb == nil || tb.Impute != datasets.ImputeMedian || !slices.Equal(tb.Drop, []string{"id"}) {
		t.Errorf("table options read back as %+v", tb)
	}
	// Continuing refits to the same preprocessing and trains on.
	pr, err := Reprepare(loaded)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Train(context.Background(), pr, nil, nil); err != nil {
		t.Fatal(err)
	}
	// Figures that sweep raw feature values are refused, not drawn over
	// one-hot columns.
	if _, err := loaded.DecisionGrid(pr.Dataset, 4, 4); err == nil || !strings.Contains(err.Error(), "preprocessed") {
		t.Errorf("DecisionGrid on a table session: %v", err)
	}
}

// A numeric session is written as before tables: no preprocess, no table.
func TestNumericSessionFormatUnchanged(t *testing.T) {
	st := openStore(t)
	s := trained(t, st, "iris", 1)
	b, err := os.ReadFile(filepath.Join(st.Dir, s.ID, "session.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"preprocess"`, `"table"`} {
		if strings.Contains(string(b), key) {
			t.Errorf("a numeric session's session.json holds %s", key)
		}
	}
	if s.Preprocess != nil {
		t.Error("iris has a Preprocessor")
	}
}

func TestDamagedPreprocessingIsRefused(t *testing.T) {
	st := openStore(t)
	good := tableSession(t, st)
	edit := func(f func(pre map[string]any)) func(m map[string]any) {
		return func(m map[string]any) { f(m["preprocess"].(map[string]any)) }
	}
	for _, tc := range []struct {
		name   string
		edit   func(m map[string]any)
		reason string
	}{
		{"newer version", edit(func(p map[string]any) { p["version"] = 2 }), "version 2 is not one this build reads"},
		{"unknown kind", edit(func(p map[string]any) { p["inputs"].([]any)[0].(map[string]any)["kind"] = "colourful" }), `unknown kind "colourful"`},
		{"unsorted categories", edit(func(p map[string]any) {
			in := p["inputs"].([]any)[0].(map[string]any)
			c := in["categories"].([]any)
			c[0], c[1] = c[1], c[0]
		}), "not sorted"},
		{"a category more than the model takes", edit(func(p map[string]any) {
			in := p["inputs"].([]any)[0].(map[string]any)
			in["categories"] = append(in["categories"].([]any), "zzz")
		}), "the preprocessing makes"},
		{"an input fewer", edit(func(p map[string]any) { p["inputs"] = p["inputs"].([]any)[:2] }), "the preprocessing makes"},
		{"no inputs", edit(func(p map[string]any) { p["inputs"] = []any{} }), "no input columns"},
		{"unknown impute", func(m map[string]any) { m["data"].(map[string]any)["table"].(map[string]any)["impute"] = "guess" }, `data.table: unknown --impute "guess"`},
		{"negative skip_rows", func(m map[string]any) { m["data"].(map[string]any)["table"].(map[string]any)["skip_rows"] = -2 }, "data.table: skip_rows -2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := writeSession(t, st, good)
			if err := editJSON(filepath.Join(st.Dir, id), tc.edit); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Load(id); err == nil || !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("Load: %v, want %q", err, tc.reason)
			}
			entries, err := st.List()
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if e.ID == id && !strings.Contains(e.Damaged, tc.reason) {
					t.Errorf("List shows it as %q, want damaged with %q", e.Damaged, tc.reason)
				}
			}
		})
	}
}

// A vocabulary too large for session.json to hold is refused before
// training, not saved as a session that never loads.
func TestPreprocessTooLargeToStore(t *testing.T) {
	defer func(n int) { maxPreprocessBytes = n }(maxPreprocessBytes)
	maxPreprocessBytes = 200
	_, err := Prepare(Plan{DataRef: tableCSV(t), Layers: "4:relu", Hyper: Hyper{Epochs: 1},
		Load: datasets.LoadOptions{Target: "y", Table: &datasets.TableOptions{Impute: datasets.ImputeMean}}})
	if err == nil || !strings.Contains(err.Error(), "more than a session stores") || !strings.Contains(err.Error(), "--drop") {
		t.Fatalf("Prepare: %v", err)
	}
}
