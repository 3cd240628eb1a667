package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

func (p *trainPane) metricName() string {
	if p.task == datasets.Regression {
		return "R²"
	}
	return "accuracy"
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

// bottomHeight is the wide layout's lower row: half the pane for the
// decision map, else just what the status and confusion matrix need, so
// the charts get the rest.
func (p *trainPane) bottomHeight() int {
	return min(p.height/2, max(8, p.resultsHeight()+2))
}

func (p *trainPane) viewWide(w, h int) string {
	if p.twoD() {
		return p.viewWideMap(w, h)
	}
	topH := h - p.bottomHeight()
	lw := w / 2
	p.ensureCharts(lw-2, topH-3)
	top := hjoin(p.chartBox("loss", p.lossChart, lw, topH), p.chartBox(p.metricName(), p.accChart, w-lw, topH))
	bh := h - topH
	sw := w / 2
	left := p.st.box(p.progressTitle(), p.statusBody(sw-2), sw, bh, false)
	right := p.st.box("test", p.resultsBody(w-sw-2, bh-2), w-sw, bh, false)
	if sv := p.sweepOf(); sv != nil {
		right = p.st.box(boardTitle(sv), p.boardBody(sv, w-sw-2), w-sw, bh, false)
	}
	return top + "\n" + hjoin(left, right)
}

// viewWideMap gives a 2-D dataset's map the pane's full height and up to
// 11/20 of its width; the charts and the status share the rest.
func (p *trainPane) viewWideMap(w, h int) string {
	left, mw := p.mapColumn(p.mapTitle())
	rw := w - mw
	topH := h * 11 / 20
	bh := h - topH
	lw := rw / 2
	p.ensureCharts(lw-2, topH-3)
	top := hjoin(p.chartBox("loss", p.lossChart, lw, topH), p.chartBox(p.metricName(), p.accChart, rw-lw, topH))
	sb := p.statusBody(rw - 2)
	body := sb + "\n\n" + p.resultsBody(rw-2, bh-2-2-strings.Count(sb, "\n")-1)
	if sv := p.sweepOf(); sv != nil {
		body = sb + "\n\n" + p.boardBody(sv, rw-2)
	}
	return hjoin(left, top+"\n"+p.st.box(p.progressTitle(), body, rw, bh, false))
}

// narrowStatusH is the status box's height in the narrow layout: the
// map view gives it fewer rows so the map is larger.
func (p *trainPane) narrowStatusH() int {
	sh := 7
	if p.sweepOf() != nil {
		sh = 8 // the sweep's line above the run's
	}
	if p.view == 1 && p.twoD() {
		sh -= 2
	}
	return sh
}

func (p *trainPane) viewNarrow(w, h int) string {
	sh := p.narrowStatusH()
	status := p.st.box(p.progressTitle(), p.statusBody(w-2), w, sh, false)
	rest := h - sh
	switch {
	case p.view == 1 && p.twoD():
		m, _ := p.mapColumn(p.mapTitle() + " · v next view")
		return status + "\n" + m
	case p.view == 2 && p.sweepOf() != nil:
		sv := p.sweepOf()
		return status + "\n" + p.st.box(boardTitle(sv)+" · v next view", p.boardBody(sv, w-2), w, rest, false)
	case p.view == 2:
		return status + "\n" + p.st.box("test · v next view", p.resultsBody(w-2, rest-2), w, rest, false)
	}
	if w >= 70 {
		lw := w / 2
		p.ensureCharts(lw-2, rest-3)
		return status + "\n" + hjoin(p.chartBox("loss", p.lossChart, lw, rest), p.chartBox(p.metricName(), p.accChart, w-lw, rest))
	}
	p.ensureCharts(w-2, rest-3)
	return status + "\n" + p.chartBox("loss", p.lossChart, w, rest)
}

func (p *trainPane) progressTitle() string {
	if sv := p.sweepOf(); sv != nil && !sv.Done && sv.K > 0 {
		return fmt.Sprintf("run %d/%d · %s", sv.K, sv.N, p.runTitle())
	}
	return p.runTitle()
}

func (p *trainPane) runTitle() string {
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
		d, pl := p.sh.Data(), p.sh.Plan()
		if d == nil {
			return st.Warn.Render("no dataset loaded — pick one on the Data pane (1)")
		}
		s := st.Good.Render("ready") + " — press " + st.Key.Render("space") + " to train " + pl.DataRef + " with " +
			layerChain(engine.FormatLayers(pl.Layers), d.Outputs())
		if pace := p.pace(); pace != 0 {
			s += st.Warn.Render(" · " + speedLabel(pace))
		}
		return s
	case trainPreparing:
		return st.Warn.Render("preparing data…")
	case trainWaiting:
		return st.Warn.Render("waiting for a training slot"+queuePlace(p.place)) + st.Dim.Render(" — others are training; this run starts when one ends")
	case trainRunning:
		s := st.Good.Render("training") + " " + p.name
		switch pace := p.pace(); {
		case pace == stepOnly:
			s += st.Warn.Render(" · step by step") + st.Dim.Render(" — n trains the next epoch, w changes speed")
		case pace > 0:
			s += st.Warn.Render(" · "+speedLabel(pace)) + st.Dim.Render(" — w changes speed")
		}
		return s
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
	if p.save.active {
		p.save.width = w
		return p.statusLine() + "\n" + p.save.View()
	}
	lines := []string{p.statusLine()}
	if p.saveNote != "" {
		style := st.Warn
		if p.state == trainDone && !p.save.active && strings.HasPrefix(p.saveNote, "saved") {
			style = st.Good
		}
		lines = append(lines, style.Render(trunc(p.saveNote, w)))
	}
	if sv := p.sweepOf(); sv != nil {
		lines = append([]string{st.Bold.Render(trunc(p.sweepTitle(sv), w))}, lines...)
	}
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

// queuePlace says where a waiting run stands: "" when not known.
func queuePlace(n int) string {
	switch {
	case n <= 0:
		return ""
	case n == 1:
		return " (next in line)"
	case n == 2:
		return " (1 run ahead)"
	}
	return fmt.Sprintf(" (%d runs ahead)", n-1)
}
