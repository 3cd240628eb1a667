package tui

// Every message of the program, in three groups: results of background
// work (commands), requests a pane makes of the root, and notices the root
// gives panes. Requests are queued by a pane's ask and handled by the root
// before the next message, so a pane never writes shared state itself.

import (
	"workbench/datasets"
	"workbench/engine"
	"workbench/serve"
	"workbench/sessions"
)

// ---- results of background work ----

// trainStartedMsg: the run's data is prepared; info is a model-less copy of its session and ds the raw dataset (read-only from here on).
type trainStartedMsg struct {
	run  int
	info *sessions.Session
	ds   *datasets.Dataset
}

// trainWaitingMsg: every training slot is taken; the run is queued, at
// place (1 = next; 0 = not known).
type trainWaitingMsg struct{ run, place int }

// trainRunningMsg: the run has its slot and Fit is starting.
type trainRunningMsg struct{ run int }

// trainEventMsg carries one engine event of a run.
type trainEventMsg struct {
	run int
	e   engine.Event
}

// trainDoneMsg: the run ended and its session was saved (sess is nil if preparing failed).
type trainDoneMsg struct {
	run  int
	sess *sessions.Session
	err  error
}

// sweepRunStartedMsg: run k of n of sweep id (the active run) is saved as running; label is its settings.
type sweepRunStartedMsg struct {
	run, k, n int
	id, label string
}

// sweepRunDoneMsg: run k of the sweep ended; sess is nil when it was not kept.
type sweepRunDoneMsg struct {
	run, k int
	sess   *sessions.Session
	err    error
}

// sweepDoneMsg: the sweep ended (res is nil when it could not start); trainDoneMsg follows.
type sweepDoneMsg struct {
	run int
	res *sessions.SweepResult
	err error
}

// sweepInfoMsg: sweep id's record was read (what it varied, its metric), or not.
type sweepInfoMsg struct {
	id   string
	info sessions.SweepInfo
	err  error
}

// freshLoadedMsg: a session was loaded anew to continue training it (a model nothing else holds).
type freshLoadedMsg struct {
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

// serverStartedMsg: a predict server was started (or failed to bind; next is then a free port to offer).
type serverStartedMsg struct {
	srv   *serve.Server
	addr  string
	err   error
	next  string
	sess  *sessions.Session
	epoch int
	run   int
	snap  *snapshot
}

// serveAlsoMsg: + on the Sessions pane, serve session id alongside on the running server.
type serveAlsoMsg struct{ id string }

// alsoLoadedMsg: the session asked by serveAlsoMsg was loaded (or not).
type alsoLoadedMsg struct {
	sess *sessions.Session
	err  error
}

// pinServeMsg: P on the Serve pane, pin or unpin the served session.
type pinServeMsg struct{}

// serverStoppedMsg: a predict server stopped (err says why it did not stop cleanly).
type serverStoppedMsg struct{ err error }

// tryResultMsg is the answer to the Serve pane's "try it" row.
type tryResultMsg struct {
	out []float64
	via string
	err error
	key string // tryKey of the row and server it answers
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
	id   string // as asked for (openSessionMsg)
	sess *sessions.Session
	ds   *datasets.Dataset
	err  error
	cont bool // continue training once opened
}

// compareHistoriesMsg carries the histories of the sessions compared, in the order of ids.
type compareHistoriesMsg struct {
	ids  []string
	hist [][]engine.EpochStats
	err  error
}

// sessionsListedMsg refreshes the Sessions pane.
type sessionsListedMsg struct {
	entries []sessions.Entry
	err     error
}

// sessionRenamedMsg: a rename in the store finished.
type sessionRenamedMsg struct {
	id, name string
	err      error
}

// sessionDeletedMsg: a delete in the store finished.
type sessionDeletedMsg struct {
	id  string
	err error
}

// sessionExportedMsg: an export from the Sessions pane finished.
type sessionExportedMsg struct {
	name  string   // session name as listed
	path  string   // the file, or for triton the model's folder
	files []string // every file written
	size  int64    // their total size in bytes
	err   error
}

// shutdownMsg: Options.Context ended.
type shutdownMsg struct{}

// shutdownDoneMsg: training stopped and saved, server stopped.
type shutdownDoneMsg struct{ err error }

// ---- requests panes make of the root ----

// planChangedMsg asks the root to make plan what the next run trains (Data and Model panes).
type planChangedMsg struct{ plan plan }

// startRunMsg asks the root to train the plan.
type startRunMsg struct{}

// startSweepMsg asks the root to run a sweep (its runs are checked: sweep.Runs() passed).
type startSweepMsg struct{ sweep sessions.Sweep }

// continueRunMsg asks the root to continue training the saved session id.
type continueRunMsg struct{ id string }

// pauseRunMsg asks the root to pause (or, with resume, resume) the active run.
type pauseRunMsg struct{ resume bool }

// stopRunMsg asks the root to stop the active run; it is saved as stopped.
type stopRunMsg struct{}

// watchMapMsg asks run to publish snapshots for the decision map.
type watchMapMsg struct{ run int }

// openSessionMsg asks the root to open the saved session id (and continue training it).
type openSessionMsg struct {
	id   string
	cont bool
}

// renameSessionMsg asks the root to rename the saved session id.
type renameSessionMsg struct{ id, name string }

// deleteSessionMsg asks the root to delete the saved session id.
type deleteSessionMsg struct{ id string }

// switchPaneMsg moves to another tab.
type switchPaneMsg struct{ to int }

// formDoneMsg: form f closed, applied (every field passed its check) or cancelled.
type formDoneMsg struct {
	f       *form
	applied bool
}

// exportDoneMsg: an export ended (the prompt stays open on failure) or the prompt was cancelled (line is then "").
type exportDoneMsg struct {
	p    *exportPrompt
	line string
}

// ---- notices the root gives panes ----

// runLaunchedMsg: the root launched run; its data is being prepared.
type runLaunchedMsg struct{ run int }

// showSweepMsg: a sweep ended; the Sessions pane shows its runs, best first by metric.
type showSweepMsg struct{ id, metric string }

// paneResizedMsg follows a resize, so panes can start work that depends on their size (the decision map's grid).
type paneResizedMsg struct{}

// paneFocusMsg tells a pane it became the active tab (to refresh lists).
type paneFocusMsg struct{}

// settledMsg goes to the active pane after every message the root handled, so it can bring derived state (the try-it row) up to date outside View.
type settledMsg struct{}

// testPairsAskMsg asks the root for the current session's test split,
// predicted against actual (regression results).
type testPairsAskMsg struct{ id string }

// testPairsMsg delivers a session's test pairs, or why there are none.
type testPairsMsg struct {
	id    string
	pairs sessions.Pairs
	err   error
}

// pictureSavedMsg: a save-picture prompt's file was written, or why not.
type pictureSavedMsg struct {
	p    *plotPrompt
	name string // the picture, as the prompt offers it
	path string
	size int64
	err  error
}

// watchSpeedMsg asks the root to pace this and later runs (watchSpeeds).
type watchSpeedMsg struct{ pace int }

// stepEpochMsg asks the root to let a stepped run train one more epoch.
type stepEpochMsg struct{}

// galleryMsg delivers a session's misclassified test images.
type galleryMsg struct {
	id    string
	items []galleryItem
	err   error
}
