package tui

import (
	"workbench/datasets"
	"workbench/engine"
	"workbench/serve"
	"workbench/sessions"
)

// trainStartedMsg: the run's data is prepared; info is a model-less copy of
// its session and ds the raw dataset (read-only from here on).
type trainStartedMsg struct {
	run  int
	info *sessions.Session
	ds   *datasets.Dataset
}

// trainWaitingMsg: every training slot is taken; the run is queued.
type trainWaitingMsg struct{ run int }

// trainRunningMsg: the run has its slot and Fit is starting.
type trainRunningMsg struct{ run int }

// trainEventMsg carries one engine event of a run.
type trainEventMsg struct {
	run int
	e   engine.Event
}

// trainDoneMsg: the run ended and its session was saved (sess may be nil if
// preparing failed).
type trainDoneMsg struct {
	run  int
	sess *sessions.Session
	err  error
}

// boundaryMsg delivers a computed decision-boundary grid.
type boundaryMsg struct {
	epoch int
	grid  *boundaryGrid
}

// redrawMsg asks the train pane to re-render charts it deferred.
type redrawMsg struct{}

// statsTickMsg polls the predict server's counters.
type statsTickMsg struct{ srv *serve.Server }

// tryResultMsg is the answer to the Serve pane's "try it" row.
type tryResultMsg struct {
	out []float64
	via string
	err error
}

// dataLoadedMsg: a dataset reference was loaded (or failed) for the Data pane.
type dataLoadedMsg struct {
	ref  string
	opts datasets.LoadOptions
	ds   *datasets.Dataset
	err  error
}

// sessionOpenedMsg: a saved session was loaded with its dataset.
type sessionOpenedMsg struct {
	sess *sessions.Session
	ds   *datasets.Dataset
	err  error
	cont bool // continue training once opened
}

// sessionsListedMsg refreshes the Sessions pane.
type sessionsListedMsg struct {
	entries []sessions.Entry
	err     error
}

// shutdownMsg: Options.Context ended.
type shutdownMsg struct{}

// shutdownDoneMsg: training stopped and saved, server stopped.
type shutdownDoneMsg struct{ err error }

// switchPaneMsg moves to another tab.
type switchPaneMsg struct{ to int }

// planChangedMsg: the Data or Model pane changed what the next run trains.
type planChangedMsg struct{}

// sessionExportedMsg: an export from the Sessions pane finished.
type sessionExportedMsg struct {
	name  string   // session name as listed
	path  string   // the file, or for triton the model's folder
	files []string // every file written
	size  int64    // their total size in bytes
	err   error
}
