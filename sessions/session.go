package sessions

import (
	"bytes"
	"encoding/json"
	"math"

	"gonum.org/v1/gonum/mat"

	"workbench/datasets"
	"workbench/engine"
)

// Predict applies the scaler, then the model, to raw feature rows. It panics
// on a column mismatch (callers validate input first).
func (s *Session) Predict(x *mat.Dense) *mat.Dense {
	if s.Scaler != nil {
		x = s.Scaler.Transform(x)
	}
	return s.Model.Predict(x)
}

// IsClassification reports whether the session predicts classes.
func (s *Session) IsClassification() bool {
	return s.Data.Task != datasets.Regression
}

// Best returns the history entry of the best epoch, if there is one. A
// session from List knows it without its history.
func (s *Session) Best() (engine.EpochStats, bool) {
	if s.disk != nil {
		if b := s.disk.best(); b != nil && b.Epoch == s.BestEpoch {
			return *b, true
		}
		return engine.EpochStats{}, false
	}
	for _, e := range s.History {
		if e.Epoch == s.BestEpoch {
			return e, true
		}
	}
	return engine.EpochStats{}, false
}

// Epochs is the number of epochs trained so far.
func (s *Session) Epochs() int {
	if s.disk != nil {
		return s.disk.LastEpoch
	}
	if n := len(s.History); n > 0 {
		return s.History[n-1].Epoch
	}
	return 0
}

// HistoryLen is the number of epochs in the history, also for a session
// from List, which reads no history (its History is empty).
func (s *Session) HistoryLen() int {
	if s.disk != nil {
		return s.disk.Epochs
	}
	return len(s.History)
}

// JSONFloat writes NaN and ±Inf as null (JSON has no such numbers) and reads
// null back as NaN: the engine reports NaN validation metrics when a session
// has no validation split, and those must survive a round trip.
type JSONFloat float64

func (f JSONFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(v)
}

func (f *JSONFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = JSONFloat(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = JSONFloat(v)
	return nil
}

// epochJSON mirrors engine.EpochStats with NaN-safe numbers.
type epochJSON struct {
	Epoch         int       `json:"epoch"`
	Loss          JSONFloat `json:"loss"`
	Accuracy      JSONFloat `json:"accuracy"`
	ValLoss       JSONFloat `json:"val_loss"`
	ValAccuracy   JSONFloat `json:"val_accuracy"`
	LearningRate  JSONFloat `json:"lr"`
	Seconds       JSONFloat `json:"seconds"`
	SamplesPerSec JSONFloat `json:"samples_per_sec"`
}

// metricsJSON mirrors engine.Metrics with NaN-safe numbers.
type metricsJSON struct {
	Loss      JSONFloat `json:"loss"`
	Accuracy  JSONFloat `json:"accuracy,omitempty"`
	Confusion [][]int   `json:"confusion,omitempty"`
	MSE       JSONFloat `json:"mse,omitempty"`
	MAE       JSONFloat `json:"mae,omitempty"`
	R2        JSONFloat `json:"r2,omitempty"`
}

type sessionAlias Session

// sessionJSON is Session on disk: the embedded alias gives every field its
// tag, the shallower History and Test fields replace the NaN-unsafe ones.
// Format 2 writes no History, only Log (the epochs are in history.bin);
// format 1 files have History inline.
type sessionJSON struct {
	*sessionAlias
	History []epochJSON  `json:"history,omitempty"`
	Log     *historyLog  `json:"history_log,omitempty"`
	Test    *metricsJSON `json:"test,omitempty"`
}

// MarshalJSON writes the session as session.json holds it; NaN metrics
// become null.
func (s Session) MarshalJSON() ([]byte, error) {
	out := sessionJSON{sessionAlias: (*sessionAlias)(&s), Log: logOf(&s)}
	if t := s.Test; t != nil {
		out.Test = &metricsJSON{JSONFloat(t.Loss), JSONFloat(t.Accuracy), t.Confusion, JSONFloat(t.MSE), JSONFloat(t.MAE), JSONFloat(t.R2)}
	}
	return EncodeJSON(out, "")
}

// EncodeJSON encodes v without escaping &, < and >, so references such as
// spiral?n=600&noise=0.2 read as they were typed, indented when indent is
// not empty, without a trailing newline. session.json and the CLI's JSON
// output are written by it, so both show a reference alike.
func EncodeJSON(v any, indent string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads what MarshalJSON wrote (null metrics become NaN).
func (s *Session) UnmarshalJSON(b []byte) error {
	in := sessionJSON{sessionAlias: (*sessionAlias)(s)}
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	s.History = make([]engine.EpochStats, len(in.History))
	for i, e := range in.History {
		s.History[i] = e.stats()
	}
	s.disk, s.histSaved = in.Log, 0
	if in.Log != nil {
		s.History = nil
	}
	s.Test = nil
	if t := in.Test; t != nil {
		s.Test = &engine.Metrics{Loss: float64(t.Loss), Accuracy: float64(t.Accuracy), Confusion: t.Confusion,
			MSE: float64(t.MSE), MAE: float64(t.MAE), R2: float64(t.R2)}
	}
	return nil
}
