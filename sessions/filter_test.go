package sessions

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"workbench/datasets"
	"workbench/engine"
)

// rec builds a record without a store: a classification session with the
// given figures.
func rec(id, name, ref, layers string, lr float64, testAcc float64, sweep string) Record {
	s := &Session{ID: id, Name: name, Status: Finished, Created: time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC),
		Data:   DataInfo{Ref: ref, Task: datasets.Classification, Classes: []string{"a", "b"}, TrainRows: 100},
		Layers: layers, Hyper: Hyper{Optimizer: "adam", LearningRate: lr, BatchSize: 32, Seed: 1}, Sweep: sweep,
		History: []engine.EpochStats{{Epoch: 1, ValLoss: 0.5, ValAccuracy: testAcc - 0.01, Seconds: 2}}, BestEpoch: 1}
	if !math.IsNaN(testAcc) {
		s.Test = &engine.Metrics{Loss: 0.3, Accuracy: testAcc}
	}
	return RecordOf(Entry{ID: id, Session: s})
}

func sampleRecords() []Record {
	return []Record{
		rec("a", "iris", "iris", "64:relu", 0.01, 0.95, ""),
		rec("b", "digits", "digits", "64:relu,dropout:0.2", 0.001, 0.98, "digits-sweep"),
		rec("c", "Digits-2", "digits", "32:tanh", 0.1, 0.96, "digits-sweep"),
		rec("d", "digits-3", "digits", "32:relu", 0.01, math.NaN(), ""), // no test split
		RecordOf(Entry{ID: "e", Damaged: "model.safetensors is missing"}),
	}
}

func ids(rs []Record) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return strings.Join(out, ",")
}

func TestFilterGood(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"", "a,b,c,d,e"},
		{"   ", "a,b,c,d,e"},
		{"dataset=digits", "b,c,d"},
		{"DATASET = DIGITS", "b,c,d"}, // names and text case-insensitive
		{"dataset=digits and test_accuracy>=0.97", "b"},
		{"dataset=digits and test_accuracy>=0.96 and layers~relu", "b"},
		{"test_accuracy>0.955", "b,c"}, // missing matches nothing
		{"test_accuracy<0.97", "a,c"},
		{"test_accuracy<=0.95", "a"},
		{"lr=0.01", "a,d"},
		{"lr=1e-2", "a,d"}, // numbers compare as numbers
		{"lr!=0.01", "b,c"},
		{"name~digits", "b,c,d"},
		{"name=digits-2", "c"},
		{"name>digits", "a,c,d"}, // text order, case-insensitive: Digits-2, digits-3, iris
		{"layers~'relu,dropout'", "b"},
		{`name="Digits-2"`, "c"},
		{"sweep=digits-sweep", "b,c"},
		{"sweep=''", "a,d"},
		{"sweep!=''", "b,c"},
		{"val_accuracy>=0.97", "b"}, // alias of best_val_accuracy
		{"dropout>0", "b"},
		{"dropout=0", "a,c,d"},
		{"status=damaged", "e"},
		{"id=e", "e"},
		{"created>=2026-12-07", "a,b,c,d"},
		{"duration_s=2 and samples_per_s=50", "a,b,c,d"},
		{"test_metric>0.97 AND dataset=digits", "b"},
	}
	for _, tc := range tests {
		f, err := ParseFilter(tc.expr)
		if err != nil {
			t.Errorf("ParseFilter(%q): %v", tc.expr, err)
			continue
		}
		if got := ids(FilterRecords(sampleRecords(), f)); got != tc.want {
			t.Errorf("filter %q kept %s, want %s", tc.expr, got, tc.want)
		}
	}
}

func TestFilterBad(t *testing.T) {
	tests := []struct {
		expr, token string
		pos         int
		msg         string
	}{
		{"acc>0.9", "acc", 1, "unknown field"},
		{"dataset=digits and bogus=1", "bogus", 20, "unknown field"},
		{"dataset digits", "digits", 9, "expected an operator"},
		{"dataset", "dataset", 8, "expected an operator"},
		{"lr=>0.1", "=>", 3, "unknown operator"},
		{"lr>fast", "fast", 4, "is a number"},
		{"lr>", "", 4, "expected a number"},
		{"lr~0.1", "~", 3, "compares text"},
		{"dataset=digits test_accuracy>1", "test_accuracy>1", 16, `expected "and"`},
		{"dataset=digits and", "", 19, "after \"and\""},
		{"=digits", "=digits", 1, "field name"},
		{"name='open", "'open", 6, "unterminated quote"},
		{"dataset=digits or lr>1", "or", 16, `expected "and"`},
	}
	for _, tc := range tests {
		_, err := ParseFilter(tc.expr)
		var fe *FilterError
		if !errors.As(err, &fe) {
			t.Errorf("ParseFilter(%q) = %v, want a FilterError", tc.expr, err)
			continue
		}
		if fe.Token != tc.token || fe.Pos != tc.pos || !strings.Contains(fe.Msg, tc.msg) {
			t.Errorf("ParseFilter(%q): token %q at %d, %q; want %q at %d, %q", tc.expr, fe.Token, fe.Pos, fe.Msg, tc.token, tc.pos, tc.msg)
		}
		if tc.token != "" && !strings.Contains(err.Error(), tc.token) {
			t.Errorf("ParseFilter(%q): %q does not name the token", tc.expr, err)
		}
	}
}

func TestSortRecords(t *testing.T) {
	tests := []struct{ key, want string }{
		{"", "a,b,c,d,e"},
		{"test_accuracy", "a,c,b,d,e"},  // missing (d no test, e damaged) last
		{"-test_accuracy", "b,c,a,d,e"}, // ... also when descending
		{"lr", "b,a,d,c,e"},             // stable: a before d at lr 0.01
		{"-lr", "c,a,d,b,e"},            // stable descending too
		{"name", "b,c,d,a,e"},           // case-insensitive: digits, Digits-2, digits-3, iris
		{"-name", "a,d,c,b,e"},
		{"+dataset", "b,c,d,a,e"},
		{"val_accuracy", "a,c,b,d,e"},
	}
	for _, tc := range tests {
		rs := sampleRecords()
		if err := SortRecords(rs, tc.key); err != nil {
			t.Errorf("SortRecords(%q): %v", tc.key, err)
			continue
		}
		if got := ids(rs); got != tc.want {
			t.Errorf("sort %q: %s, want %s", tc.key, got, tc.want)
		}
	}
	for _, bad := range []string{"bogus", "-", "--lr"} {
		if err := SortRecords(sampleRecords(), bad); err == nil || !strings.Contains(err.Error(), "unknown field") {
			t.Errorf("SortRecords(%q) = %v, want unknown field", bad, err)
		}
	}
}

func TestRecordFields(t *testing.T) {
	r := sampleRecords()[1]
	for field, want := range map[string]string{
		"name": "digits", "lr": "0.001", "batch": "32", "dropout": "0.2", "test_accuracy": "0.9800",
		"test_r2": "-", "duration_s": "2.0s", "samples_per_s": "50", "sweep": "digits-sweep", "status": "finished",
		"layers": "64:relu,dropout:0.2", "best_val_loss": "0.5000",
	} {
		if got := r.Format(field); got != want {
			t.Errorf("Format(%s) = %q, want %q", field, got, want)
		}
	}
	if v := r.Get("lr"); v.Kind != Number || v.Num != 0.001 {
		t.Errorf("Get(lr) = %+v", v)
	}
	// Every field has a value or is missing, never an unset kind.
	for _, f := range Fields {
		if v := r.Get(f.Name); v.Kind != f.Kind {
			t.Errorf("%s: kind %v, want %v", f.Name, v.Kind, f.Kind)
		}
	}
	if !slices.Contains(FieldNames(), "samples_per_s") {
		t.Error("FieldNames lacks samples_per_s")
	}
}
