package tui

import (
	"errors"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

type trainState int

const (
	trainIdle trainState = iota
	trainPreparing
	trainWaiting
	trainRunning
	trainPaused
	trainStopping
	trainDone
)

type trainPane struct {
	env
	fl            files // the user's files: loads stay inside them and their memory budget
	keys          trainKeys
	width, height int

	state   trainState
	place   int // place in the training queue while waiting (1 = next; 0 = unknown)
	runID   int
	history []engine.EpochStats
	// continued are the first epochs of continued segments (Session.Continued).
	continued []int
	epochs    int // planned total
	prog      engine.Event
	haveProg  bool
	best      int
	task      datasets.Task
	classes   []string
	reason    string
	errText   string
	nothing   string // sessions.ErrNothingTrained's message: stopped before epoch 1, not a failure
	test      *engine.Metrics
	pairs     *sessions.Pairs // a regression's test split, predicted against actual
	pairsFor  string          // the session they were asked for
	pairsErr  string
	name      string
	patience  int

	runStart      time.Time
	runStartEpoch int

	ds        *datasets.Dataset
	fitPts    fitPoints // ds sorted for the fit plot
	grid      *boundaryGrid
	gridEpoch int
	computing bool
	mapW      int
	mapH      int

	view int // narrow layouts: 0 charts, 1 map, 2 results

	neurons neuronState // the hidden neurons' maps (u, ] and [)

	// the misclassified gallery of image data (g)
	showGallery bool
	gallery     []galleryItem // nil until computed
	galleryFor  string        // the session it is of
	galleryErr  string
	speed       int // index into watchSpeeds

	// the map's points: which are shown, and the split they come from
	points  pointsShown
	split   sessions.SplitInfo
	splitDS *datasets.Dataset // the data splits was made of
	splitOf sessions.SplitInfo
	splits  *datasets.Split

	save        *plotPrompt         // the save-picture prompt (p)
	saveNote    string              // how the last save ended, until the next key
	ctl         chartCtl            // how the curves are shown (chart keys)
	lrRange     [2]float64          // the learning rate's range when drawn, for the legend
	smoothCache map[string]smoothed // smoothed curves by metric (smoothedOf)

	// chart cache
	lossChart, accChart string
	chartW, chartH      int
	dirty               bool
	redrawPending       bool
	lastRender          time.Time
}

func newTrainPane(e env, fl files) *trainPane {
	return &trainPane{
		env:  e,
		fl:   fl,
		keys: newTrainKeys(),
		save: newPlotPrompt(e.st, fl),
		ctl:  newChartCtl(),
		task: datasets.Classification,
	}
}

func (p *trainPane) Title() string { return "Train" }

func (p *trainPane) Init() tea.Cmd { return nil }

func (p *trainPane) Capturing() bool { return p.save.active }

func (p *trainPane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.lossChart, p.accChart = "", ""
}

func (p *trainPane) wide() bool { return p.width >= 120 && p.height >= 34 }

func (p *trainPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return p.updateKey(msg)
	case trainStartedMsg:
		if msg.run != p.runID {
			return nil
		}
		info := msg.info
		p.history = append([]engine.EpochStats(nil), info.History...)
		p.smoothCache = nil // a new history
		p.continued = append([]int(nil), info.Continued...)
		if n := len(p.history); n > 0 {
			p.continued = append(p.continued, p.history[n-1].Epoch+1)
		}
		p.runStartEpoch = len(p.history)
		p.epochs = info.Hyper.Epochs + len(p.history)
		p.patience = info.Hyper.Patience
		p.task, p.classes, p.name = info.Data.Task, info.Data.Classes, sessionName(info)
		p.split = info.Split
		p.ds = msg.ds
		p.grid = nil
		p.setHidden(info)
		if p.twoD() {
			p.ask(watchMapMsg{run: p.runID})
		}
		p.invalidate()
	case sweepRunStartedMsg:
		if msg.run == p.runID {
			// The next run of a sweep: its charts start afresh.
			p.best, p.test, p.haveProg = 0, nil, false
			p.reason, p.errText, p.nothing = "", "", ""
			p.state = trainPreparing
		}
	case trainWaitingMsg:
		// A place update racing x must not undo "stopping".
		if msg.run == p.runID && p.state != trainStopping {
			p.state, p.place = trainWaiting, msg.place
		}
	case trainRunningMsg:
		if msg.run == p.runID && p.state != trainStopping {
			p.state = trainRunning
			p.runStart = time.Now()
		}
	case trainEventMsg:
		if msg.run != p.runID {
			return nil
		}
		return p.onEvent(msg.e)
	case paneResizedMsg:
		return p.refreshMap()
	case redrawMsg:
		p.redrawPending = false
		if p.dirty {
			p.renderCharts()
		}
	case boundaryMsg:
		p.computing = false
		if msg.grid != nil {
			p.grid, p.gridEpoch = msg.grid, msg.epoch
		}
		if msg.grid != nil && p.state == trainDone && !p.gridCurrent() {
			return p.finalMap() // the layout or layer changed while it was computed
		}
		return p.maybeMap()
	case trainDoneMsg:
		if msg.run != p.runID {
			return nil
		}
		p.state = trainDone
		p.haveProg = false
		if errors.Is(msg.err, sessions.ErrNothingTrained) {
			// x before the first epoch ended: a new session was not kept,
			// a continued one is as it was. The user's choice, no failure.
			p.nothing = msg.err.Error()
		} else if msg.err != nil {
			p.errText = msg.err.Error()
		}
		switch {
		case msg.sess != nil:
			p.loadSession(msg.sess)
			p.askPairs(msg.sess)
		case p.nothing != "":
			p.reason = string(sessions.Stopped)
		case msg.err != nil:
			p.reason = "could not start"
		}
		p.invalidate()
		return p.finalMap()
	case runLaunchedMsg:
		p.reset()
		p.state, p.runID = trainPreparing, msg.run
	case freshLoadedMsg:
		if msg.err != nil {
			p.errText = msg.err.Error()
		}
	case sessionOpenedMsg:
		if msg.err != nil || msg.sess == nil || p.sh.Run().Active {
			return nil
		}
		p.state = trainDone
		p.errText, p.nothing = "", ""
		p.ds = msg.ds
		p.grid = nil
		p.loadSession(msg.sess)
		p.askPairs(msg.sess)
		p.invalidate()
		if msg.cont && msg.sess.ID != "" {
			return nil // the root continues it
		}
		return p.finalMap()
	case pictureSavedMsg:
		if msg.p == p.save {
			p.save.Update(msg)
			if !p.save.active { // saved; a failure stays in the open prompt
				p.saveNote = p.save.line
			}
		}
	case galleryMsg:
		if msg.id == p.galleryFor {
			p.gallery, p.galleryErr = msg.items, ""
			if msg.err != nil {
				p.galleryErr = msg.err.Error()
			}
			if p.gallery == nil && msg.err == nil {
				p.gallery = []galleryItem{}
			}
		}
	case testPairsMsg:
		p.onPairs(msg)
	case dataLoadedMsg:
		if msg.err == nil && p.state == trainIdle {
			p.ds, p.grid = msg.ds, nil
			p.task = msg.ds.Task
			p.invalidate()
		}
	}
	return nil
}

func (p *trainPane) loadSession(s *sessions.Session) {
	p.history = append([]engine.EpochStats(nil), s.History...)
	p.smoothCache = nil // a new history
	p.continued = append([]int(nil), s.Continued...)
	p.best = s.BestEpoch
	p.test = s.Test
	p.task, p.classes, p.name = s.Data.Task, s.Data.Classes, sessionName(s)
	p.split = s.Split
	p.setHidden(s)
	// A finished or opened run's x axis ends at its last epoch.
	p.epochs = max(len(p.history), 1)
	if n := len(p.history); n > 0 {
		p.epochs = p.history[n-1].Epoch
	}
	p.patience = s.Hyper.Patience
	p.reason = string(s.Status)
	if s.Error != "" {
		p.errText = s.Error
	}
}

func (p *trainPane) updateKey(msg tea.KeyMsg) tea.Cmd {
	if p.save.active {
		return p.save.Update(msg)
	}
	p.saveNote = ""
	if p.ctl.update(msg, p.keys.Chart) {
		p.invalidate()
		return nil
	}
	switch {
	case key.Matches(msg, p.keys.Start):
		switch p.state {
		case trainIdle, trainDone:
			p.ask(startRunMsg{})
		case trainRunning:
			if p.sh.Run().Active {
				p.ask(pauseRunMsg{})
				p.state = trainPaused
			}
		case trainPaused:
			if p.sh.Run().Active {
				p.ask(pauseRunMsg{resume: true})
				p.state = trainRunning
			}
		}
	case key.Matches(msg, p.keys.Stop):
		if p.sh.Run().Active && p.state != trainStopping {
			p.ask(stopRunMsg{})
			p.state = trainStopping
		}
	case key.Matches(msg, p.keys.Reset):
		if !p.sh.Run().Active {
			p.reset()
		}
	case key.Matches(msg, p.keys.Continue):
		c := p.sh.Current()
		if p.sh.Run().Active || c == nil || c.ID == "" {
			return nil
		}
		p.ask(continueRunMsg{id: c.ID})
	case key.Matches(msg, p.keys.Speed):
		p.speed = (p.speed + 1) % len(watchSpeeds)
		p.ask(watchSpeedMsg{pace: p.pace()})
	case key.Matches(msg, p.keys.Step):
		if p.pace() == stepOnly && p.sh.Run().Active {
			p.ask(stepEpochMsg{})
		}
	case key.Matches(msg, p.keys.Gallery):
		return p.toggleGallery()
	case key.Matches(msg, p.keys.Neurons, p.keys.NextNeurons, p.keys.PrevNeurons):
		return p.neuronKey(msg)
	case key.Matches(msg, p.keys.Points):
		p.points = (p.points + 1) % 4
	case key.Matches(msg, p.keys.Save):
		p.openSave()
	case key.Matches(msg, p.keys.View):
		p.view = (p.view + 1) % 3
		if p.view == 1 && !p.twoD() {
			p.view = 2
		}
		return p.refreshMap()
	}
	return nil
}

func (p *trainPane) reset() {
	p.state = trainIdle
	p.history, p.test, p.best, p.continued = nil, nil, 0, nil
	p.smoothCache = nil // a new history
	p.pairs, p.pairsFor, p.pairsErr = nil, "", ""
	p.haveProg, p.reason, p.errText, p.nothing = false, "", "", ""
	p.grid, p.gridEpoch = nil, 0
	pl := p.sh.Plan()
	p.epochs = pl.Hyper.Epochs
	p.patience = pl.Hyper.Patience
	p.ds = p.sh.Data()
	if p.ds != nil {
		p.task = p.ds.Task
	}
	p.invalidate()
}

func (p *trainPane) onEvent(e engine.Event) tea.Cmd {
	if p.state == trainPreparing || p.state == trainWaiting {
		p.state = trainRunning
		p.runStart = time.Now()
	}
	p.epochs = max(p.epochs, e.Epochs)
	if e.Kind == engine.Progress {
		p.prog, p.haveProg = e, true
		return nil
	}
	p.prog, p.haveProg = e, false
	p.history = append(p.history, engine.EpochStats{
		Epoch: e.Epoch, Loss: e.Loss, Accuracy: e.Accuracy, ValLoss: e.ValLoss,
		ValAccuracy: e.ValAccuracy, LearningRate: e.LearningRate,
		Seconds: e.Duration.Seconds(), SamplesPerSec: e.SamplesPerSec,
	})
	p.best = engine.BestEpoch(p.history)
	p.dirty = true
	var cmds []tea.Cmd
	if time.Since(p.lastRender) >= chartGap {
		p.renderCharts()
	} else if !p.redrawPending {
		p.redrawPending = true
		cmds = append(cmds, tea.Tick(chartGap, func(time.Time) tea.Msg { return redrawMsg{} }))
	}
	cmds = append(cmds, p.maybeMap())
	return tea.Batch(cmds...)
}
