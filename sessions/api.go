package sessions

// This file fixes the sessions package's public API so that serve, tui and
// main can be built in parallel. Bodies marked "not implemented" are filled
// in by the package's own files; keep the signatures (add, don't change)
// unless every caller is updated in the same commit.

import (
	"context"
	"time"

	"gonum.org/v1/gonum/mat"

	"workbench/datasets"
	"workbench/engine"
)

// FormatVersion is the session.json format this build writes and reads.
const FormatVersion = 1

// Status of a session.
type Status string

const (
	Running  Status = "running"
	Finished Status = "finished"
	Stopped  Status = "stopped"
	Failed   Status = "failed"
)

// DataInfo records the dataset a session was trained on.
type DataInfo struct {
	Ref       string        `json:"ref"`
	Target    string        `json:"target,omitempty"`
	Task      datasets.Task `json:"task"`
	Rows      int           `json:"rows"`
	TrainRows int           `json:"train_rows"`
	ValRows   int           `json:"val_rows"`
	TestRows  int           `json:"test_rows"`
	Features  []string      `json:"features"`
	Classes   []string      `json:"classes,omitempty"`
	Targets   []string      `json:"targets,omitempty"`
}

// SplitInfo records how the data was split.
type SplitInfo struct {
	Val  float64 `json:"val"`
	Test float64 `json:"test"`
	Seed int64   `json:"seed"`
}

// Hyper is the training configuration a user chose (the serialisable part of
// engine.FitOptions).
type Hyper struct {
	Epochs       int     `json:"epochs"`
	BatchSize    int     `json:"batch_size"`
	Optimizer    string  `json:"optimizer"`
	LearningRate float64 `json:"lr"`
	Schedule     string  `json:"schedule"`
	L1           float64 `json:"l1"`
	L2           float64 `json:"l2"`
	ClipNorm     float64 `json:"clip_norm"`
	Patience     int     `json:"patience"`
	Seed         int64   `json:"seed"`
}

// DefaultHyper is what `workbench train --data iris` and the TUI start from.
func DefaultHyper() Hyper { panic("not implemented") }

// FitOptions converts h to engine options.
func (h Hyper) FitOptions() engine.FitOptions { panic("not implemented") }

// Session is one run: data, split, scaler, spec, weights and history.
type Session struct {
	Version   int                 `json:"version"`
	ID        string              `json:"id"`
	Name      string              `json:"name"`
	Created   time.Time           `json:"created"`
	Updated   time.Time           `json:"updated"`
	Status    Status              `json:"status"`
	Error     string              `json:"error,omitempty"`
	Data      DataInfo            `json:"data"`
	Split     SplitInfo           `json:"split"`
	Scaler    *datasets.Scaler    `json:"scaler"`
	Layers    string              `json:"layers"` // hidden-layer spec string
	Hyper     Hyper               `json:"hyper"`
	History   []engine.EpochStats `json:"history"`
	BestEpoch int                 `json:"best_epoch"`
	Test      *engine.Metrics     `json:"test,omitempty"`

	// Model holds the trained weights (nil until trained or loaded).
	Model *engine.Model `json:"-"`
}

// Predict applies the scaler, then the model, to raw feature rows. It panics
// on a column mismatch (callers validate input first).
func (s *Session) Predict(x *mat.Dense) *mat.Dense { panic("not implemented") }

// Plan is what a user asks to train.
type Plan struct {
	Name    string
	DataRef string
	Load    datasets.LoadOptions
	Val     float64 // default 0.2 when both Val and Test are 0
	Test    float64 // default 0.2 when both Val and Test are 0
	Layers  string  // hidden-layer spec
	Hyper   Hyper
}

// Prepared is a plan made concrete: data loaded, split, scaled, model built.
type Prepared struct {
	Session          *Session // status Running, no history yet
	Dataset          *datasets.Dataset
	Train, Val, Test engine.Data // scaled
}

// Prepare loads the data, splits it, fits the scaler on the training split and
// builds a fresh model. Bad references, specs or hyper-parameters are errors
// that name the problem.
func Prepare(p Plan) (*Prepared, error) { panic("not implemented") }

// Reprepare rebuilds the data of a saved session (same ref, split and scaler)
// so training can continue; the session keeps its model and history.
func Reprepare(s *Session) (*Prepared, error) { panic("not implemented") }

// Store is the sessions folder under a home directory.
type Store struct {
	Dir string // <home>/sessions
}

// HomeDir resolves the home directory: flag, else $WORKBENCH_HOME, else
// $XDG_DATA_HOME/workbench, else ~/.local/share/workbench.
func HomeDir(flag string) (string, error) { panic("not implemented") }

// Open opens (creating if needed) the store under home.
func Open(home string) (*Store, error) { panic("not implemented") }

// Train runs engine.Fit for p (continuing the history if it has some), saves
// the session when it ends (finished, stopped on cancel, or failed with the
// reason) and after each epoch at most every few seconds, evaluates the test
// split, and returns the saved session. ctl may be nil.
func (st *Store) Train(ctx context.Context, p *Prepared, onEvent func(engine.Event), ctl *engine.Control) (*Session, error) {
	panic("not implemented")
}

// Save writes s atomically (temporary file, fsync, rename), assigning an ID
// if it has none.
func (st *Store) Save(s *Session) error { panic("not implemented") }

// Load reads a session with its model.
func (st *Store) Load(id string) (*Session, error) { panic("not implemented") }

// Entry is one listed session: Session without its model, or Damaged with
// the reason.
type Entry struct {
	ID      string
	Session *Session
	Damaged string
}

// List returns every session, newest first; damaged ones are listed, never
// hidden.
func (st *Store) List() ([]Entry, error) { panic("not implemented") }

// Resolve finds a session by id, unique id prefix, name (newest of that
// name) or "latest".
func (st *Store) Resolve(query string) (string, error) { panic("not implemented") }

// Rename changes a session's display name.
func (st *Store) Rename(id, name string) error { panic("not implemented") }

// Delete removes a session.
func (st *Store) Delete(id string) error { panic("not implemented") }
