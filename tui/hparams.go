package tui

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/sessions"
)

// The metric-vs-setting view of a sweep (TensorBoard's HParams): for each
// setting the sweep varied, every run's metric against that setting's
// values, one strip a value.

// hpMetrics are the figures y cycles through.
var hpMetrics = []string{"val_metric", "test_metric", "best_val_loss", "duration_s"}

// hpKeys is the keys of the view.
type hpKeys struct{ Open, Metric, Back key.Binding }

func newHPKeys() hpKeys {
	return hpKeys{
		Open:   k("H", "metric vs setting", "H"),
		Metric: k("y", "next metric", "y"),
		Back:   k("esc", "back", "esc", "q"),
	}
}

// hpState is the open view: the sweep, the metrics y cycles (the sweep's
// own first) and the settings it varied, from its record when one is kept
// (nil = read from the runs: the values that differ).
type hpState struct {
	sweep   string
	metrics []string
	metric  int
	keys    []string
}

// openHP opens the view on the selected run's sweep.
func (p *sessionsPane) openHP() tea.Cmd {
	r, ok := p.selected()
	if !ok || r.Get("sweep").Text == "" {
		p.msg = "the selected run is not part of a sweep (w on the Model pane starts one)"
		return nil
	}
	p.hp = &hpState{sweep: r.Get("sweep").Text, metrics: hpMetrics}
	if i := slices.Index(hpMetrics, p.table.sortField); i >= 0 {
		p.hp.metric = i
	}
	st, id := p.store, p.hp.sweep
	return func() tea.Msg {
		var si sessions.SweepInfo
		err := safely(func() error {
			var err error
			si, err = st.LoadSweep(id)
			return err
		})
		return sweepInfoMsg{info: si, id: id, err: err}
	}
}

// hpLoaded takes the sweep's record: its metric comes first and its axes
// give the strips' order. Without one (an older store) the view keeps to
// what the runs show.
func (p *sessionsPane) hpLoaded(msg sweepInfoMsg) {
	hp := p.hp
	if hp == nil || hp.sweep != msg.id || msg.err != nil {
		return
	}
	if f, err := sessions.MetricField(msg.info.Metric); err == nil {
		hp.metrics = append([]string{f.Name}, slices.DeleteFunc(slices.Clone(hpMetrics), func(m string) bool { return m == f.Name })...)
		hp.metric = 0
	}
	hp.keys = hp.keys[:0]
	for _, a := range msg.info.Axes {
		if len(a.Values) > 1 {
			hp.keys = append(hp.keys, a.Key)
		}
	}
}

func (p *sessionsPane) hpKey(msg tea.KeyMsg) {
	switch {
	case key.Matches(msg, p.hpKeys.Back):
		p.hp = nil
	case key.Matches(msg, p.hpKeys.Metric):
		p.hp.metric = (p.hp.metric + 1) % len(p.hp.metrics)
	}
}

// settingOf is a run's value of a sweep key as the sweep typed it.
func settingOf(r sessions.Record, key string) string {
	if key == "epochs" && r.Session != nil {
		return strconv.Itoa(r.Session.Hyper.Epochs) // the record's epochs are those trained
	}
	return r.Format(key)
}

// hpVaried lists the sweep keys whose values differ among runs.
func hpVaried(runs []sessions.Record) []string {
	var out []string
	for _, k := range sessions.SweepKeys {
		if len(runs) > 0 && slices.ContainsFunc(runs, func(r sessions.Record) bool { return settingOf(r, k) != settingOf(runs[0], k) }) {
			out = append(out, k)
		}
	}
	return out
}

func (p *sessionsPane) hpView() string {
	st, hp := p.st, p.hp
	var runs []sessions.Record
	for _, r := range p.table.records {
		if r.Session != nil && r.Get("sweep").Text == hp.sweep {
			runs = append(runs, r)
		}
	}
	metric := hp.metrics[hp.metric]
	varied := hp.keys
	if varied == nil {
		varied = hpVaried(runs)
	}
	lines := []string{fmt.Sprintf("%s %s · %d runs · %s", st.Key.Render("y"), metric, len(runs), st.Dim.Render("esc back"))}
	if len(varied) == 0 {
		lines = append(lines, st.Dim.Render("the runs of this sweep differ in no setting"))
		return st.box("metric vs setting · sweep "+hp.sweep, strings.Join(lines, "\n"), p.width, p.height, true)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range runs {
		if v := r.Get(metric); !v.Missing {
			lo, hi = math.Min(lo, v.Num), math.Max(hi, v.Num)
		}
	}
	inner, h := p.width-2, p.height-3
	per := max(1, min(len(varied), inner/24)) // strips side by side
	rows := (len(varied) + per - 1) / per
	ch := max(5, h/rows)
	var blocks []string
	for i := 0; i < len(varied); i += per {
		var row []string
		for j, k := range varied[i:min(i+per, len(varied))] {
			w := inner / per
			if j == per-1 {
				w = inner - (per-1)*(inner/per)
			}
			row = append(row, fitBlock(k+"\n"+stripChart(runs, k, metric, lo, hi, w, ch-1, st), w, ch))
		}
		blocks = append(blocks, hjoin(row...))
	}
	lines = append(lines, blocks...)
	return st.box("metric vs setting · sweep "+hp.sweep, strings.Join(lines, "\n"), p.width, p.height, true)
}

// stripChart draws each run's metric above its value of setting key: the
// values are columns in their own order (numbers ascending), a glyph a run
// (● one run, a digit for several in one cell).
func stripChart(runs []sessions.Record, key, metric string, lo, hi float64, w, h int, st *Styles) string {
	if math.IsInf(lo, 0) {
		return st.Dim.Render("no run has " + metric)
	}
	if hi-lo < 1e-12 {
		lo, hi = lo-0.5, hi+0.5
	}
	var vals []string
	for _, r := range runs {
		if v := settingOf(r, key); !slices.Contains(vals, v) {
			vals = append(vals, v)
		}
	}
	slices.SortFunc(vals, func(a, b string) int {
		fa, ea := strconv.ParseFloat(a, 64)
		fb, eb := strconv.ParseFloat(b, 64)
		if ea == nil && eb == nil {
			return cmp.Compare(fa, fb)
		}
		return strings.Compare(a, b)
	})
	labels := [2]string{fmtF(hi), fmtF(lo)}
	lw := max(len(labels[0]), len(labels[1]))
	pw, ph := w-lw-2, h-2
	if pw < len(vals) || ph < 2 {
		return st.Dim.Render(fmt.Sprintf("%d values: widen the terminal", len(vals)))
	}
	count := make([]int, pw*ph)
	colOf := func(i int) int { return (2*i + 1) * pw / (2 * len(vals)) }
	for _, r := range runs {
		v := r.Get(metric)
		if v.Missing {
			continue
		}
		y := int(math.Round((hi - v.Num) / (hi - lo) * float64(ph-1)))
		count[y*pw+colOf(slices.Index(vals, settingOf(r, key)))]++
	}
	var b strings.Builder
	for y := 0; y < ph; y++ {
		l := ""
		switch y {
		case 0:
			l = labels[0]
		case ph - 1:
			l = labels[1]
		}
		b.WriteString(st.Axis.Render(strings.Repeat(" ", lw-len(l)) + l + "│"))
		for x := 0; x < pw; x++ {
			switch n := count[y*pw+x]; {
			case n == 0:
				b.WriteByte(' ')
			case n == 1:
				b.WriteString(st.class(0).Render("●"))
			default:
				b.WriteString(st.class(1).Render(strconv.Itoa(min(n, 9))))
			}
		}
		b.WriteByte('\n')
	}
	b.WriteString(st.Axis.Render(strings.Repeat(" ", lw) + "└" + strings.Repeat("─", pw)))
	b.WriteByte('\n')
	xl := []rune(strings.Repeat(" ", pw))
	slot := max(1, pw/len(vals))
	for i, v := range vals {
		t := []rune(trunc(v, slot-1+boolInt(slot == 1)))
		c := max(0, min(colOf(i)-len(t)/2, pw-len(t)))
		copy(xl[c:], t)
	}
	b.WriteString(strings.Repeat(" ", lw+1) + string(xl))
	return b.String()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
