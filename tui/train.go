package tui

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
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

// chartGap bounds chart re-rendering to ten times a second however fast
// epochs arrive, so drawing never competes with training for the CPU.
const chartGap = 100 * time.Millisecond

type trainKeys struct {
	Start, Stop, Reset, Continue, View key.Binding
}

type trainPane struct {
	w             *workbench
	st            *Styles
	keys          trainKeys
	width, height int

	state    trainState
	runID    int
	history  []engine.EpochStats
	epochs   int // planned total
	prog     engine.Event
	haveProg bool
	best     int
	task     datasets.Task
	classes  []string
	reason   string
	errText  string
	nothing  string // sessions.ErrNothingTrained's message: stopped before epoch 1, not a failure
	test     *engine.Metrics
	name     string
	patience int

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

	// chart cache
	lossChart, accChart string
	chartW, chartH      int
	dirty               bool
	redrawPending       bool
	lastRender          time.Time
}

func newTrainPane(w *workbench) *trainPane {
	return &trainPane{
		w:  w,
		st: w.st,
		keys: trainKeys{
			Start:    k("space", "start/pause", " ", "space"),
			Stop:     k("x", "stop", "x"),
			Reset:    k("r", "reset", "r"),
			Continue: k("c", "continue", "c"),
			View:     k("v", "view", "v"),
		},
		task: datasets.Classification,
	}
}

func (p *trainPane) Title() string   { return "Train" }
func (p *trainPane) Init() tea.Cmd   { return nil }
func (p *trainPane) Capturing() bool { return false }

func (p *trainPane) ShortHelp() []key.Binding {
	start := p.keys.Start
	switch p.state {
	case trainRunning:
		start.SetHelp("space", "pause")
	case trainPaused:
		start.SetHelp("space", "resume")
	case trainPreparing, trainWaiting, trainStopping:
		start.SetHelp("space", "…")
	default:
		start.SetHelp("space", "train")
	}
	b := []key.Binding{start, p.keys.Stop}
	if !p.wide() {
		b = append(b, p.keys.View)
	}
	b = append(b, p.keys.Reset)
	if p.state == trainDone && p.w.current != nil {
		b = append(b, p.keys.Continue)
	}
	return b
}

func (p *trainPane) FullHelp() [][]key.Binding {
	return [][]key.Binding{{p.keys.Start, p.keys.Stop, p.keys.Reset}, {p.keys.Continue, p.keys.View}}
}

func (p *trainPane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.lossChart, p.accChart = "", ""
}

func (p *trainPane) wide() bool { return p.width >= 120 && p.height >= 34 }

// twoD reports a map beside the charts: decision regions for 2-D
// classification, a fit plot for 1-D regression.
func (p *trainPane) twoD() bool {
	return p.ds != nil && ((p.ds.Features() == 2 && p.task == datasets.Classification) || isFit(p.ds))
}

// mapView draws the decision map or the fit plot in w×h cells.
func (p *trainPane) mapView(w, h int) string {
	if isFit(p.ds) {
		if p.fitPts.ds != p.ds {
			p.fitPts = sortedByX(p.ds)
		}
		return p.st.fitPlot(p.fitPts, p.grid, w, h)
	}
	return p.st.plot2d(p.ds, p.grid, w, h)
}

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
		p.runStartEpoch = len(p.history)
		p.epochs = info.Hyper.Epochs + len(p.history)
		p.patience = info.Hyper.Patience
		p.task, p.classes, p.name = info.Data.Task, info.Data.Classes, sessionName(info)
		p.ds = msg.ds
		p.grid = nil
		if r := p.w.run; r != nil && p.twoD() {
			r.wantMap.Store(true)
		}
		p.invalidate()
	case trainWaitingMsg:
		if msg.run == p.runID {
			p.state = trainWaiting
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
		case p.nothing != "":
			p.reason = string(sessions.Stopped)
		case msg.err != nil:
			p.reason = "could not start"
		}
		p.invalidate()
		return p.finalMap()
	case sessionOpenedMsg:
		if msg.err != nil || msg.sess == nil || p.w.training() {
			return nil
		}
		p.state = trainDone
		p.errText, p.nothing = "", ""
		p.ds = msg.ds
		p.grid = nil
		p.loadSession(msg.sess)
		p.invalidate()
		if msg.cont && msg.sess.ID != "" {
			fresh, err := loadFresh(p.w.store, msg.sess.ID)
			if err != nil {
				p.errText = err.Error()
				return nil
			}
			return p.start(fresh)
		}
		return p.finalMap()
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
	p.best = s.BestEpoch
	p.test = s.Test
	p.task, p.classes, p.name = s.Data.Task, s.Data.Classes, sessionName(s)
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
	switch {
	case key.Matches(msg, p.keys.Start):
		switch p.state {
		case trainIdle, trainDone:
			return p.start(nil)
		case trainRunning:
			if r := p.w.run; r != nil {
				r.ctl.Pause()
				p.state = trainPaused
			}
		case trainPaused:
			if r := p.w.run; r != nil {
				r.ctl.Resume()
				p.state = trainRunning
			}
		}
	case key.Matches(msg, p.keys.Stop):
		if r := p.w.run; r != nil && p.state != trainStopping {
			r.stop()
			p.state = trainStopping
		}
	case key.Matches(msg, p.keys.Reset):
		if !p.w.training() {
			p.reset()
		}
	case key.Matches(msg, p.keys.Continue):
		if p.w.training() || p.w.current == nil || p.w.current.ID == "" {
			return nil
		}
		fresh, err := loadFresh(p.w.store, p.w.current.ID)
		if err != nil {
			p.errText = err.Error()
			return nil
		}
		return p.start(fresh)
	case key.Matches(msg, p.keys.View):
		p.view = (p.view + 1) % 3
		if p.view == 1 && !p.twoD() {
			p.view = 2
		}
		return p.refreshMap()
	}
	return nil
}

// loadFresh loads a session anew so that continuing trains a model nobody
// else (server, maps, the current view) holds.
func loadFresh(st *sessions.Store, id string) (*sessions.Session, error) {
	var s *sessions.Session
	err := safely(func() error {
		var err error
		s, err = st.Load(id)
		return err
	})
	return s, err
}

// start begins a run: the plan, or continuing cont.
func (p *trainPane) start(cont *sessions.Session) tea.Cmd {
	if p.w.training() {
		return nil
	}
	p.reset()
	p.state = trainPreparing
	var r *trainRun
	var cmd tea.Cmd
	if cont != nil {
		r, cmd = p.w.startRun(sessions.Plan{}, cont)
	} else {
		r, cmd = p.w.startRun(p.w.plan.sessionsPlan(), nil)
	}
	p.runID = r.id
	return cmd
}

func (p *trainPane) reset() {
	p.state = trainIdle
	p.history, p.test, p.best = nil, nil, 0
	p.haveProg, p.reason, p.errText, p.nothing = false, "", "", ""
	p.grid, p.gridEpoch = nil, 0
	p.epochs = p.w.plan.Hyper.Epochs
	p.patience = p.w.plan.Hyper.Patience
	p.ds = p.w.data
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
	p.best = bestEpoch(p.history)
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

// bestEpoch is the epoch with the lowest validation loss (training loss
// when there is no validation data).
func bestEpoch(h []engine.EpochStats) int {
	best, bestV := 0, math.Inf(1)
	for _, s := range h {
		v := s.ValLoss
		if math.IsNaN(v) {
			v = s.Loss
		}
		if v < bestV {
			best, bestV = s.Epoch, v
		}
	}
	return best
}

// mapVisible reports whether the decision map is on screen.
func (p *trainPane) mapVisible() bool {
	return p.twoD() && (p.wide() || p.view == 1)
}

// maybeMap starts a boundary computation on the newest snapshot, one at a
// time, so maps refresh a few times a second at most.
func (p *trainPane) maybeMap() tea.Cmd {
	r := p.w.run
	if r == nil || r.id != p.runID || !p.mapVisible() || p.computing || p.mapW <= 0 {
		return nil
	}
	snap := r.mapSnap.Load()
	if snap == nil || snap.epoch == p.gridEpoch {
		return nil
	}
	p.computing = true
	return computeBoundary(snap, p.ds, p.mapW, p.mapH)
}

// refreshMap recomputes the map when its size changed or it came into view.
func (p *trainPane) refreshMap() tea.Cmd {
	p.layoutMap()
	if p.grid != nil && p.grid.w == p.mapW && p.grid.h == p.mapH {
		return nil
	}
	if p.w.run != nil && p.w.run.id == p.runID {
		p.gridEpoch = 0
		return p.maybeMap()
	}
	if p.state == trainDone && !p.computing {
		return p.finalMap()
	}
	return nil
}

// finalMap draws the boundary of a finished or opened session's model.
func (p *trainPane) finalMap() tea.Cmd {
	c := p.w.current
	p.layoutMap()
	if !p.mapVisible() || c == nil || c.Model == nil || p.mapW <= 0 {
		return nil
	}
	snap := &snapshot{sess: copySession(c, c.Model.Clone()), epoch: len(p.history)}
	p.computing = true
	return computeBoundary(snap, p.ds, p.mapW, p.mapH)
}

func (p *trainPane) invalidate() { p.lossChart, p.accChart = "", "" }

// ---- view ----

func (p *trainPane) metricName() string {
	if p.task == datasets.Regression {
		return "R²"
	}
	return "accuracy"
}

func (p *trainPane) renderCharts() {
	p.dirty = false
	p.lastRender = time.Now()
	w, h := p.chartW, p.chartH
	if w <= 0 || h <= 0 {
		p.lossChart, p.accChart = "", ""
		return
	}
	n := len(p.history)
	loss, vloss := make([]float64, n), make([]float64, n)
	acc, vacc := make([]float64, n), make([]float64, n)
	for i, s := range p.history {
		loss[i], vloss[i], acc[i], vacc[i] = s.Loss, s.ValLoss, s.Accuracy, s.ValAccuracy
	}
	x0 := 1.0
	if n > 0 {
		x0 = float64(p.history[0].Epoch)
	}
	spec := func(a, b []float64, yMin, yMax float64) string {
		return lineChart(chartSpec{
			w: w, h: h,
			series: []series{{ys: a, x0: x0, style: p.st.Train}, {ys: b, x0: x0, style: p.st.Val, dotted: !p.st.Colour}},
			xMin:   1, xMax: float64(max(p.epochs, 2)),
			yMin: yMin, yMax: yMax,
			markX: float64(p.best), markStyle: p.st.Best, axis: p.st.Axis,
		})
	}
	p.lossChart = spec(loss, vloss, math.NaN(), math.NaN())
	if p.task == datasets.Regression {
		p.accChart = spec(acc, vacc, math.NaN(), 1)
	} else {
		p.accChart = spec(acc, vacc, math.NaN(), 1)
	}
}

func (p *trainPane) legend() string {
	val := "━ val"
	if !p.st.Colour {
		val = "┄ val" // without colour the validation line is dotted
	}
	s := p.st.Train.Render("━ train") + "  " + p.st.Val.Render(val)
	if p.best > 0 {
		s += "  " + p.st.Best.Render(fmt.Sprintf("▲ best %d", p.best))
	}
	return s
}

func (p *trainPane) chartBox(title, chart string, w, h int) string {
	return p.st.box(title, p.legend()+"\n"+chart, w, h, false)
}

func (p *trainPane) View() string {
	w, h := p.width, p.height
	if w <= 0 || h <= 0 {
		return ""
	}
	if p.wide() {
		return p.viewWide(w, h)
	}
	return p.viewNarrow(w, h)
}

func (p *trainPane) ensureCharts(cw, ch int) {
	if cw != p.chartW || ch != p.chartH || p.lossChart == "" {
		p.chartW, p.chartH = cw, ch
		p.renderCharts()
	}
}

// bottomHeight is the wide layout's lower row: half the pane for the
// decision map, else just what the status and confusion matrix need, so
// the charts get the rest.
func (p *trainPane) bottomHeight() int {
	h := p.height
	if p.twoD() {
		return h - h*11/20
	}
	need := 8
	if p.task == datasets.Classification {
		need = max(need, len(p.classes)+6)
	}
	return min(h/2, need)
}

func (p *trainPane) viewWide(w, h int) string {
	topH := h - p.bottomHeight()
	lw := w / 2
	p.ensureCharts(lw-2, topH-3)
	top := hjoin(p.chartBox("loss", p.lossChart, lw, topH), p.chartBox(p.metricName(), p.accChart, w-lw, topH))
	bh := h - topH
	if p.twoD() {
		mw := p.mapWidth(w*2/5, bh)
		p.setMap(mw-2, bh-2)
		left := p.st.box(p.mapTitle(), p.mapView(mw-2, bh-2), mw, bh, false)
		body := p.statusBody(w-mw-2) + "\n\n" + p.resultsBody(w-mw-2)
		return top + "\n" + hjoin(left, p.st.box(p.progressTitle(), body, w-mw, bh, false))
	}
	sw := w / 2
	left := p.st.box(p.progressTitle(), p.statusBody(sw-2), sw, bh, false)
	right := p.st.box("test", p.resultsBody(w-sw-2), w-sw, bh, false)
	return top + "\n" + hjoin(left, right)
}

func (p *trainPane) viewNarrow(w, h int) string {
	sh := 7
	status := p.st.box(p.progressTitle(), p.statusBody(w-2), w, sh, false)
	rest := h - sh
	switch {
	case p.view == 1 && p.twoD():
		mw := p.mapWidth(w, rest)
		p.setMap(mw-2, rest-2)
		return status + "\n" + p.st.box(p.mapTitle()+" · v next view", p.mapView(mw-2, rest-2), mw, rest, false)
	case p.view == 2:
		return status + "\n" + p.st.box("test · v next view", p.resultsBody(w-2), w, rest, false)
	}
	if w >= 70 {
		lw := w / 2
		p.ensureCharts(lw-2, rest-3)
		return status + "\n" + hjoin(p.chartBox("loss", p.lossChart, lw, rest), p.chartBox(p.metricName(), p.accChart, w-lw, rest))
	}
	p.ensureCharts(w-2, rest-3)
	return status + "\n" + p.chartBox("loss", p.lossChart, w, rest)
}

// mapWidth keeps decision maps square on screen (cells are about twice as
// tall as wide); fit plots take all the width they are given.
func (p *trainPane) mapWidth(room, h int) int {
	if isFit(p.ds) {
		return room
	}
	return min(room, 2*(h-2)+2)
}

// layoutMap sets the map's grid size from the pane's size, as View lays it out.
func (p *trainPane) layoutMap() {
	w, h := p.width, p.height
	if p.wide() {
		bh := p.bottomHeight()
		mw := p.mapWidth(w*2/5, bh)
		p.setMap(mw-2, bh-2)
		return
	}
	rest := h - 7
	mw := p.mapWidth(w, rest)
	p.setMap(mw-2, rest-2)
}

func (p *trainPane) setMap(w, h int) {
	if w != p.mapW || h != p.mapH {
		p.mapW, p.mapH = w, h
		if p.grid != nil && (p.grid.w != w || p.grid.h != h) {
			p.gridEpoch = 0 // recompute at the new size
		}
	}
}

func (p *trainPane) mapTitle() string {
	if isFit(p.ds) {
		if p.grid != nil && p.gridEpoch > 0 {
			return fmt.Sprintf("fit · epoch %d", p.gridEpoch)
		}
		return "fit"
	}
	if p.grid != nil && p.gridEpoch > 0 {
		return fmt.Sprintf("decision boundary · epoch %d", p.gridEpoch)
	}
	return "decision boundary"
}

func (p *trainPane) progressTitle() string {
	done := 0
	if n := len(p.history); n > 0 {
		done = p.history[n-1].Epoch
	}
	if p.state == trainDone && done > 0 {
		// "epoch 45/45" read as if every epoch asked for had run. The plan
		// itself is not known here (a continued session's Hyper.Epochs is
		// its first run's), but whether the run ended early is.
		switch {
		case p.reason == string(sessions.Stopped):
			return fmt.Sprintf("epoch %d · stopped", done)
		case p.reason == string(sessions.Finished) && p.patience > 0 && p.best > 0 && done-p.best >= p.patience:
			return fmt.Sprintf("epoch %d · stopped early (no better val_loss for %d epochs)", done, p.patience)
		}
	}
	if p.epochs > 0 {
		return fmt.Sprintf("epoch %d/%d", done, p.epochs)
	}
	return "training"
}

func (p *trainPane) statusLine() string {
	st := p.st
	switch p.state {
	case trainIdle:
		if p.w.data == nil {
			return st.Warn.Render("no dataset loaded — pick one on the Data pane (1)")
		}
		return st.Good.Render("ready") + " — press " + st.Key.Render("space") + " to train " + p.w.plan.DataRef + " with " +
			layerChain(engine.FormatLayers(p.w.plan.Layers), p.w.data.Outputs())
	case trainPreparing:
		return st.Warn.Render("preparing data…")
	case trainWaiting:
		return st.Warn.Render("waiting for a training slot") + st.Dim.Render(" — others are training; this run starts when one ends")
	case trainRunning:
		return st.Good.Render("training") + " " + p.name
	case trainPaused:
		return st.Warn.Render("paused") + st.Dim.Render(" — space resumes, x stops and saves")
	case trainStopping:
		return st.Warn.Render("stopping… saving the session")
	}
	if p.errText != "" {
		return st.Error.Render("failed: ") + p.errText
	}
	if p.nothing != "" {
		return st.Warn.Render(p.nothing) + st.Dim.Render(" — space trains anew")
	}
	s := p.reason
	switch sessions.Status(p.reason) {
	case sessions.Finished:
		s = st.Good.Render("finished")
	case sessions.Stopped:
		s = st.Warn.Render("stopped") + " (saved)"
	}
	return s + " · " + p.name + st.Dim.Render(" — space trains anew, c continues, S serves")
}

func (p *trainPane) statusBody(w int) string {
	st := p.st
	lines := []string{p.statusLine()}
	done := 0
	if n := len(p.history); n > 0 {
		done = p.history[n-1].Epoch
	}
	if p.epochs > 0 && (p.state == trainRunning || p.state == trainPaused || p.state == trainStopping) {
		lines = append(lines, p.progressLines(done, w)...)
	}
	if n := len(p.history); n > 0 {
		last := p.history[n-1]
		m := "acc"
		if p.task == datasets.Regression {
			m = "R²"
		}
		lines = append(lines, st.kv("loss", fmtF(last.Loss), m, fmtF(last.Accuracy),
			"val_loss", fmtF(last.ValLoss), "val_"+m, fmtF(last.ValAccuracy), "lr", strconv.FormatFloat(last.LearningRate, 'g', 3, 64)))
		info := fmt.Sprintf("%s samples/s", fmtInt(int64(last.SamplesPerSec)))
		if p.best > 0 && p.best-p.history[0].Epoch < n && p.best >= p.history[0].Epoch {
			b := p.history[p.best-p.history[0].Epoch]
			info += fmt.Sprintf(" · best epoch %d (val_loss %s)", p.best, fmtF(b.ValLoss))
			if p.patience > 0 {
				info += fmt.Sprintf(" · patience %d/%d", min(done-p.best, p.patience), p.patience)
			}
		}
		lines = append(lines, info)
	}
	return strings.Join(lines, "\n")
}

// progressLines are the run's and the current epoch's bars with ETAs.
func (p *trainPane) progressLines(done, w int) []string {
	st := p.st
	bw := max(10, min(40, w-44))
	// seconds per epoch: from the run so far, else from the epoch in flight
	per := 0.0
	if ran := done - p.runStartEpoch; ran > 0 {
		sum := 0.0
		for _, h := range p.history[len(p.history)-ran:] {
			sum += h.Seconds
		}
		per = sum / float64(ran)
	}
	frac := 0.0
	if p.haveProg && p.prog.Steps > 0 {
		frac = float64(p.prog.Step) / float64(p.prog.Steps)
		if per == 0 && frac > 0 {
			per = p.prog.Duration.Seconds() / frac
		}
	}
	eta := "ETA –"
	if per > 0 {
		left := per*float64(p.epochs-done) - per*frac
		eta = "ETA " + fmtDur(time.Duration(max(left, 0)*float64(time.Second)))
	}
	run := float64(done) / float64(p.epochs)
	lines := []string{st.Dim.Render("run   ") + st.Train.Render(bar(run, bw)) + fmt.Sprintf(" %d/%d epochs  %s", done, p.epochs, eta)}
	if p.haveProg && p.prog.Steps > 0 {
		lines = append(lines, st.Dim.Render("epoch ")+st.Val.Render(bar(frac, bw))+
			fmt.Sprintf(" %3.0f%%  step %d/%d  %s samples/s", frac*100, p.prog.Step, p.prog.Steps, fmtInt(int64(p.prog.SamplesPerSec))))
	}
	return lines
}

func (p *trainPane) resultsBody(w int) string {
	st := p.st
	if p.test == nil {
		if p.state == trainDone || p.state == trainIdle {
			return st.Dim.Render("test metrics and the confusion matrix appear when training ends")
		}
		return st.Dim.Render("test metrics appear when training ends")
	}
	t := p.test
	var lines []string
	if p.task == datasets.Regression {
		lines = append(lines, st.Bold.Render("test")+"  "+st.kv("loss", fmtF(t.Loss), "R²", fmtF(t.R2), "MSE", fmtF(t.MSE), "MAE", fmtTarget(t.MAE)))
		return strings.Join(lines, "\n")
	}
	lines = append(lines, st.Bold.Render("test")+"  "+st.kv("loss", fmtF(t.Loss), "accuracy", fmtF(t.Accuracy)))
	if len(t.Confusion) > 0 {
		lines = append(lines, "", p.confusion(t.Confusion, w))
	}
	return strings.Join(lines, "\n")
}

// confusion renders [true][predicted] counts with the diagonal highlighted.
func (p *trainPane) confusion(c [][]int, w int) string {
	st := p.st
	names := make([]string, len(c))
	lw := 9 // "true\pred"
	for i := range c {
		n := fmt.Sprint(i)
		if i < len(p.classes) {
			n = p.classes[i]
		}
		names[i] = n
		lw = max(lw, min(len(n), 12))
	}
	cw := 5
	for _, row := range c {
		for _, v := range row {
			cw = max(cw, len(fmt.Sprint(v))+1)
		}
	}
	// Whole class names as column heads when they fit.
	wide := cw
	for _, n := range names {
		wide = max(wide, min(len(n), 11)+1)
	}
	if lw+1+wide*len(c) <= w {
		cw = wide
	}
	// Column heads are cut names, or class numbers when cut names clash.
	heads := make([]string, len(c))
	seen := map[string]bool{}
	unique := true
	for j := range c {
		h := trunc(names[j], cw-1)
		heads[j] = h
		if seen[h] {
			unique = false
		}
		seen[h] = true
	}
	if !unique {
		for j := range heads {
			heads[j] = fmt.Sprint(j)
			names[j] = trunc(fmt.Sprintf("%d %s", j, names[j]), lw)
		}
	}
	var b strings.Builder
	b.WriteString(st.Dim.Render(fmt.Sprintf("%-*s", lw+1, "true\\pred")))
	for j := range c {
		b.WriteString(st.Dim.Render(fmt.Sprintf("%*s", cw, heads[j])))
	}
	for i, row := range c {
		b.WriteString("\n")
		n := trunc(names[i], lw)
		b.WriteString(st.class(i).Render(fmt.Sprintf("%-*s", lw+1, n)))
		for j, v := range row {
			cell := fmt.Sprintf("%*d", cw, v)
			switch {
			case i == j:
				b.WriteString(st.Good.Render(cell))
			case v > 0:
				b.WriteString(st.Error.Render(cell))
			default:
				b.WriteString(st.Dim.Render(cell))
			}
		}
	}
	return b.String()
}

func fmtF(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	a := math.Abs(v)
	if a != 0 && (a < 1e-3 || a >= 1e5) {
		return fmt.Sprintf("%.2e", v)
	}
	return fmt.Sprintf("%.4f", v)
}

func fmtDur(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// fmtTarget writes a value in a regression target's own units: 150380
// rather than 1.5038e+05 (a price is read in whole units), 0.0123 as is.
func fmtTarget(v float64) string {
	if a := math.Abs(v); a >= 1000 && a < 1e15 {
		return fmtInt(int64(math.Round(v)))
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// fmtInt writes 182400 as 182,400.
func fmtInt(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
