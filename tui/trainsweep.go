package tui

import (
	"fmt"
	"strings"
)

// sweepOf is the sweep whose run the pane shows, nil when it shows a run
// of its own or a session opened since.
func (p *trainPane) sweepOf() *sweepView {
	sv := p.sh.Run().Sweep
	if sv == nil || sv.Run != p.runID || p.runID == 0 {
		return nil
	}
	return sv
}

// sweepTitle heads the progress box during a sweep: "sweep digits-sweep ·
// run 3 of 6 · lr=0.01 layers=64:relu".
func (p *trainPane) sweepTitle(sv *sweepView) string {
	if sv.Done {
		word := "done"
		if sv.Stopped {
			word = "stopped"
		}
		best := "no run finished"
		if len(sv.Board) > 0 {
			best = "best " + sessionName(sv.Board[0].Session)
		}
		return fmt.Sprintf("sweep %s %s · %d runs · %s", sv.ID, word, len(sv.Board), best)
	}
	if sv.K == 0 {
		return "sweep · preparing the first run"
	}
	return fmt.Sprintf("sweep %s · run %d of %d · %s", sv.ID, sv.K, sv.N, sv.Label)
}

// boardBody is the live leaderboard: the finished runs, best first by the
// sweep's metric (sessions' rule), with the settings that made each.
func (p *trainPane) boardBody(sv *sweepView, w int) string {
	st := p.st
	if len(sv.Board) == 0 {
		return st.Dim.Render("finished runs appear here, best first by " + sv.Metric)
	}
	mw := max(len(sv.Metric), 6)
	nw := 4
	for _, r := range sv.Board {
		nw = max(nw, min(24, cellWidth(sessionName(r.Session))))
	}
	lines := []string{st.Bold.Render(fmt.Sprintf("%2s %-*s %*s  %s", "#", nw, "run", mw, sv.Metric, "settings"))}
	for i, r := range sv.Board {
		l := fmt.Sprintf("%2d %-*s %*s  %s", i+1, nw, trunc(sessionName(r.Session), nw), mw, r.Format(sv.Metric), sv.Labels[r.ID])
		if cellWidth(l) > w {
			l = trunc(l, w)
		}
		if i == 0 {
			l = st.Good.Render(l)
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}

// boardTitle names the leaderboard box.
func boardTitle(sv *sweepView) string {
	return fmt.Sprintf("leaderboard · %d of %d runs · by %s", len(sv.Board), sv.N, sv.Metric)
}
