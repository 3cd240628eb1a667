package sessions

// The runs table: every figure of a listed session by name, typed, so the
// CLI's `sessions --sort/--filter/--json` and the TUI's Sessions pane sort,
// filter and print the same values under the same names. A record is built
// from what List already read (session.json; the weights List checks give
// the parameter count), never from the history file.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"workbench/engine"
)

// Kind is how a field's values compare: numbers as numbers, text
// case-insensitively.
type Kind int

const (
	Text Kind = iota
	Number
)

// Field is one column of the runs table.
type Field struct {
	Name string // as the filter, --sort, --json and sweep metrics spell it
	Kind Kind
	// Better is the direction of a metric: -1 lower is better (losses,
	// errors, time), +1 higher is better (accuracy, R², speed), 0 for a
	// setting that is no metric.
	Better int
	Doc    string
}

// Fields lists every field of a record in the order tables and JSON show
// them. val_metric and test_metric are accuracy for classification and R²
// for regression, so one column serves runs of both tasks.
var Fields = []Field{
	{"id", Text, 0, "session id"},
	{"name", Text, 0, "session name"},
	{"dataset", Text, 0, "dataset reference"},
	{"task", Text, 0, "classification or regression"},
	{"layers", Text, 0, "hidden-layer spec"},
	{"optimizer", Text, 0, "optimizer"},
	{"lr", Number, 0, "learning rate"},
	{"schedule", Text, 0, "learning-rate schedule"},
	{"batch", Number, 0, "mini-batch size"},
	{"l1", Number, 0, "L1 penalty"},
	{"l2", Number, 0, "L2 penalty"},
	{"dropout", Number, 0, "largest dropout rate in layers (0 = none)"},
	{"clip", Number, 0, "gradient clip norm (0 = off)"},
	{"patience", Number, 0, "early-stopping patience (0 = off)"},
	{"seed", Number, 0, "seed of split, weights and shuffling"},
	{"dtype", Text, 0, "compute type: float32 or float64"},
	{"epochs", Number, 0, "epochs trained"},
	{"best_epoch", Number, 0, "the epoch whose weights are kept"},
	{"params", Number, 0, "trainable parameters"},
	{"best_val_loss", Number, -1, "validation loss at the best epoch"},
	{"best_val_accuracy", Number, +1, "validation accuracy at the best epoch (classification)"},
	{"best_val_r2", Number, +1, "validation R² at the best epoch (regression)"},
	{"val_metric", Number, +1, "best_val_accuracy or best_val_r2, by task"},
	{"test_loss", Number, -1, "test loss"},
	{"test_accuracy", Number, +1, "test accuracy (classification)"},
	{"test_r2", Number, +1, "test R² (regression)"},
	{"test_mse", Number, -1, "test MSE (regression)"},
	{"test_mae", Number, -1, "test MAE (regression)"},
	{"test_metric", Number, +1, "test_accuracy or test_r2, by task"},
	{"samples_per_s", Number, +1, "training samples per second over the whole run"},
	{"duration_s", Number, -1, "seconds spent training"},
	{"status", Text, 0, "running, finished, stopped, failed, interrupted or damaged"},
	{"created", Text, 0, "when training began (UTC, RFC 3339; compares as text)"},
	{"sweep", Text, 0, "the sweep the run belongs to (empty if none)"},
}

// fieldAliases are shorter names the filter, --sort and --metric accept.
var fieldAliases = map[string]string{
	"val_loss": "best_val_loss", "val_accuracy": "best_val_accuracy", "val_r2": "best_val_r2",
	"accuracy": "test_accuracy", "r2": "test_r2", "session": "id",
}

var fieldIndex = func() map[string]int {
	m := make(map[string]int, len(Fields))
	for i, f := range Fields {
		m[f.Name] = i
	}
	return m
}()

// LookupField finds a field by its name or an alias (case-insensitive).
func LookupField(name string) (Field, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	if a, ok := fieldAliases[n]; ok {
		n = a
	}
	i, ok := fieldIndex[n]
	if !ok {
		return Field{}, false
	}
	return Fields[i], true
}

// FieldNames lists the field names, for error messages and help.
func FieldNames() []string {
	out := make([]string, len(Fields))
	for i, f := range Fields {
		out[i] = f.Name
	}
	return out
}

// Value is one field of one record. Missing is set when the session has no
// such figure (a damaged session, no test split, a classification run's R²).
type Value struct {
	Kind    Kind
	Num     float64
	Text    string
	Missing bool
}

func num(v float64) Value {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Value{Kind: Number, Missing: true}
	}
	return Value{Kind: Number, Num: v}
}

func text(s string) Value { return Value{Kind: Text, Text: s} }

// Record is one row of the runs table: a listed session's fields by name.
// Session is nil for a damaged entry (Damaged says why); its fields other
// than id and status are missing.
type Record struct {
	ID      string
	Session *Session
	Damaged string
	vals    []Value // by index of Fields
}

// Records makes the runs table of a listing, in the listing's order.
func Records(entries []Entry) []Record {
	out := make([]Record, len(entries))
	for i, e := range entries {
		out[i] = RecordOf(e)
	}
	return out
}

// RecordOf gives every field of a listed (or just trained) session.
func RecordOf(e Entry) Record {
	r := Record{ID: e.ID, Session: e.Session, Damaged: e.Damaged, vals: make([]Value, len(Fields))}
	for i, f := range Fields {
		r.vals[i] = Value{Kind: f.Kind, Missing: true}
	}
	set := func(name string, v Value) { r.vals[fieldIndex[name]] = v }
	set("id", text(e.ID))
	s := e.Session
	if s == nil {
		set("status", text("damaged"))
		return r
	}
	h := s.Hyper
	set("name", text(s.Name))
	set("dataset", text(s.Data.Ref))
	set("task", text(string(s.Data.Task)))
	set("layers", text(s.Layers))
	set("optimizer", text(h.Optimizer))
	set("lr", num(h.LearningRate))
	set("schedule", text(h.Schedule))
	set("batch", num(float64(h.BatchSize)))
	set("l1", num(h.L1))
	set("l2", num(h.L2))
	set("dtype", text(h.EngineDType().String()))
	if layers, err := engine.ParseLayers(s.Layers); err == nil {
		d := 0.0
		for _, l := range layers {
			if l.Kind == "dropout" {
				d = max(d, l.Rate)
			}
		}
		set("dropout", num(d))
	}
	set("clip", num(h.ClipNorm))
	set("patience", num(float64(h.Patience)))
	set("seed", num(float64(h.Seed)))
	set("epochs", num(float64(s.Epochs())))
	if s.BestEpoch > 0 {
		set("best_epoch", num(float64(s.BestEpoch)))
	}
	if p := s.Params(); p > 0 {
		set("params", num(float64(p)))
	}
	cls := s.IsClassification()
	if b, ok := s.Best(); ok {
		set("best_val_loss", num(b.ValLoss))
		if cls {
			set("best_val_accuracy", num(b.ValAccuracy))
		} else {
			set("best_val_r2", num(b.ValAccuracy))
		}
		set("val_metric", num(b.ValAccuracy))
	}
	if t := s.Test; t != nil {
		set("test_loss", num(t.Loss))
		if cls {
			set("test_accuracy", num(t.Accuracy))
			set("test_metric", num(t.Accuracy))
		} else {
			set("test_r2", num(t.R2))
			set("test_mse", num(t.MSE))
			set("test_mae", num(t.MAE))
			set("test_metric", num(t.R2))
		}
	}
	secs, rate := s.TrainingTime()
	set("samples_per_s", num(rate))
	set("duration_s", num(secs))
	set("status", text(string(s.Status)))
	if !s.Created.IsZero() {
		set("created", text(s.Created.UTC().Format(time.RFC3339)))
	}
	set("sweep", text(s.Sweep))
	return r
}

// Get returns the named field (aliases accepted); an unknown name is
// missing.
func (r Record) Get(name string) Value {
	f, ok := LookupField(name)
	if !ok || r.vals == nil {
		return Value{Missing: true}
	}
	return r.vals[fieldIndex[f.Name]]
}

// Format writes the named field for a table cell, in full (never clipped;
// text made printable), "-" when missing.
func (r Record) Format(name string) string {
	f, _ := LookupField(name)
	v := r.Get(name)
	if v.Missing {
		return "-"
	}
	switch f.Name {
	case "created":
		if r.Session != nil {
			return r.Session.Created.Local().Format("2006-01-02 15:04")
		}
	case "layers":
		if v.Text == "" {
			return "(none)"
		}
	case "samples_per_s":
		return HumanRate(v.Num)
	case "duration_s":
		return ShortDuration(time.Duration(v.Num * float64(time.Second)))
	}
	if v.Kind == Text {
		return Printable(v.Text)
	}
	if f.Better != 0 {
		if math.Abs(v.Num) >= 1e6 { // a diverged loss
			return strconv.FormatFloat(v.Num, 'g', 4, 64)
		}
		return FormatMetric(v.Num)
	}
	if v.Num == math.Trunc(v.Num) && math.Abs(v.Num) < 1e15 {
		return strconv.FormatInt(int64(v.Num), 10)
	}
	return strconv.FormatFloat(v.Num, 'g', -1, 64)
}

// Params is the number of trainable parameters: from the model when it is
// loaded, else from the weights List checked.
func (s *Session) Params() int {
	if s.Model != nil {
		return s.Model.ParamCount()
	}
	return s.params
}

// TrainingTime is the seconds spent in training epochs and the samples per
// second over them (training rows × epochs ÷ seconds). A session saved
// before the total was recorded (and read without its history) falls back
// to its lifetime (updated − created) and its best epoch's rate.
func (s *Session) TrainingTime() (seconds, samplesPerSec float64) {
	epochs := s.HistoryLen()
	switch {
	case s.disk != nil && s.disk.Seconds > 0:
		seconds = s.disk.Seconds
	case s.disk == nil && len(s.History) > 0:
		for _, e := range s.History {
			if !math.IsNaN(e.Seconds) && e.Seconds > 0 {
				seconds += e.Seconds
			}
		}
	default:
		if !s.Updated.IsZero() && s.Updated.After(s.Created) {
			seconds = s.Updated.Sub(s.Created).Seconds()
		}
		samplesPerSec = math.NaN()
		if b, ok := s.Best(); ok {
			samplesPerSec = b.SamplesPerSec
		}
		if seconds == 0 {
			seconds = math.NaN()
		}
		return seconds, samplesPerSec
	}
	if seconds <= 0 || math.IsInf(seconds, 0) || math.IsNaN(seconds) || epochs == 0 {
		return math.NaN(), math.NaN()
	}
	return seconds, float64(s.Data.TrainRows) * float64(epochs) / seconds
}

// String names a record for messages: its name and id.
func (r Record) String() string {
	if r.Session == nil {
		return r.ID
	}
	return fmt.Sprintf("%s (%s)", Printable(r.Session.Name), r.ID)
}
