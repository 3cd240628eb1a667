package sessions

// This file holds the sessions package's public types; the functions of the
// fixed API live beside their implementation (home.go, hyper.go,
// session.go, prepare.go, store.go, resolve.go, rename.go, delete.go,
// train.go).

import (
	"time"

	"workbench/datasets"
	"workbench/engine"
)

// FormatVersion is the session.json format this build writes; it reads
// every format from 1 up. Format 2 keeps the per-epoch history in
// history.bin beside session.json (format 1 kept it inline).
const FormatVersion = 2

// Status of a session.
type Status string

const (
	Running  Status = "running"
	Finished Status = "finished"
	Stopped  Status = "stopped"
	Failed   Status = "failed"

	// Interrupted is how List and Load show a session stored as running
	// whose training process is gone (killed, crashed, machine restarted):
	// no process holds its run lock. Continue it like a stopped one.
	Interrupted Status = "interrupted"
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

	// DropMissing and Dropped record LoadOptions.DropMissing and how many
	// rows it dropped, so Reprepare loads the same rows again.
	DropMissing bool `json:"drop_missing,omitempty"`
	Dropped     int  `json:"dropped,omitempty"`

	// Table records LoadOptions.Table (the columns chosen, forced
	// categories, imputation, skipped lines), so Reprepare loads the same
	// columns; nil for sessions trained without table handling (built-in
	// data, and every session saved before tables existed).
	Table *datasets.TableOptions `json:"table,omitempty"`
}

// SplitInfo records how the data was split.
type SplitInfo struct {
	Val  float64 `json:"val"`
	Test float64 `json:"test"`
	Seed int64   `json:"seed"`
	// TestRef is the official test set used as the test split (the data's
	// datasets.Dataset.TestRef, e.g. "fashion-mnist?split=test"); the
	// training file then gives train and validation only, and Test is 0.
	// Empty: the test split is the Test fraction of the data, as before.
	TestRef string `json:"test_ref,omitempty"`
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
	// KeepLast keeps the last epoch's weights instead of restoring the best
	// epoch's when training ends (`--restore-best=false`; Keras
	// restore_best_weights=False). The best epoch is still reported.
	KeepLast bool `json:"keep_last,omitempty"`
	// DType is the type the weights are kept and trained in: "float32"
	// (the default for new runs) or "float64". A session saved before
	// float32 existed has "" and is float64, as its weights say.
	DType string `json:"dtype,omitempty"`
}

// Session is one run: data, split, scaler, spec, weights and history.
//
// A Session is not safe for concurrent use: while Store.Train runs on it,
// read its progress from the events, not from the struct.
type Session struct {
	Version int              `json:"version"`
	ID      string           `json:"id"`
	Name    string           `json:"name"`
	Created time.Time        `json:"created"`
	Updated time.Time        `json:"updated"`
	Status  Status           `json:"status"`
	Error   string           `json:"error,omitempty"`
	Data    DataInfo         `json:"data"`
	Split   SplitInfo        `json:"split"`
	Scaler  *datasets.Scaler `json:"scaler"`
	// Preprocess turns raw rows (text, dates, gaps) into the features
	// Data.Features names, which the scaler and the model take; nil for a
	// session whose data needed none (numbers only, as before tables).
	// Fitted on the training split, like the scaler.
	Preprocess *datasets.Preprocessor `json:"preprocess,omitempty"`
	Layers     string                 `json:"layers"` // hidden-layer spec string
	Hyper      Hyper                  `json:"hyper"`
	History    []engine.EpochStats    `json:"history"`
	BestEpoch  int                    `json:"best_epoch"`
	// Continued lists the first epoch of each continued segment (training
	// resumed with --session or c), in order, so charts and `sessions show`
	// can mark where each one starts.
	Continued []int           `json:"continued,omitempty"`
	Test      *engine.Metrics `json:"test,omitempty"`
	// Sweep is the id of the sweep this run belongs to ("" for a run of
	// its own; sessions saved before sweeps existed read as "").
	Sweep string `json:"sweep,omitempty"`

	// Model holds the trained weights (nil until trained or loaded).
	Model *engine.Model `json:"-"`

	// stored is set once this value was saved to or loaded from a store, so
	// a later Save of a session deleted meanwhile is refused instead of
	// silently bringing it back.
	stored bool
	// storedName is the name as last saved or loaded, so that Save keeps a
	// rename made meanwhile by another process.
	storedName string
	// disk is session.json's account of history.bin for a session read
	// without its history (List, Rename); nil once History holds it all.
	disk *historyLog
	// histSaved is how many leading epochs of History history.bin holds.
	histSaved int
	// params is the model's parameter count, kept by List, which drops
	// the model it checked.
	params int
	// autoName is the default name given when none was chosen: if the
	// session still bears it, its first Save makes it unique in the store
	// (iris, iris-2, ...).
	autoName string
}

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

	// Epochs is how many epochs the next Train runs; 0 means
	// Session.Hyper.Epochs. Set it to continue a saved session for a chosen
	// number of further epochs without changing its recorded Hyper.
	Epochs int
}

// Store is the sessions folder under a home directory.
type Store struct {
	Dir string // <home>/sessions
}

// Entry is one listed session: Session without its model, or Damaged with
// the reason.
type Entry struct {
	ID      string
	Session *Session
	Damaged string

	at time.Time // Created from a readable session.json, even if Damaged
}
