package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"workbench/datasets"
	"workbench/sessions"
)

// serveKeys is the Serve pane's keys while the try-it row is not edited.
type serveKeys struct {
	Try, Send, Pin, Example key.Binding
}

type servePane struct {
	env
	files         files // where f writes the example body
	keys          serveKeys
	width, height int

	formFor *sessions.Session // the session the try-it form was built for
	form    *form
	truth   string
	fixed   []float64 // the example row; the form edits its first fields
	answer  string
	ansErr  string
	// ansKey and truthKey are the tryKey the answer was for and the row
	// values the true label belongs to: once the row or the server
	// changes, they no longer describe what is on screen.
	ansKey, truthKey string
	// examplePath is where f last wrote the example body, for the row
	// exampleKey; exampleNote says why it was not.
	examplePath, exampleKey, exampleNote string
}

func newServePane(e env, fl files) *servePane {
	return &servePane{
		env: e, files: fl,
		keys: serveKeys{
			Try:     k("e", "edit try-it row", "e"),
			Send:    k("enter", "send row", "enter"),
			Pin:     k("P", "pin the served session (stop following the current model)", "P"),
			Example: k("f", "write the example request body to a file (wide data)", "f"),
		},
	}
}

func (p *servePane) Title() string    { return "Serve" }
func (p *servePane) Init() tea.Cmd    { return nil }
func (p *servePane) Capturing() bool  { return p.form != nil && p.form.active }
func (p *servePane) SetSize(w, h int) { p.width, p.height = w, h }

func (p *servePane) ShortHelp() []key.Binding {
	if p.Capturing() {
		return p.form.ShortHelp()
	}
	keys := []key.Binding{brief(p.keys.Try, "edit row"), brief(p.keys.Send, "send"), brief(p.keys.Pin, "pin")}
	if p.wide() {
		keys = append(keys, brief(p.keys.Example, "example file"))
	}
	return keys
}

func (p *servePane) FullHelp() [][]key.Binding {
	return [][]key.Binding{{p.keys.Try, p.keys.Send, p.keys.Pin, p.keys.Example}, {formKeys.Next, formKeys.Apply, formKeys.Cancel}}
}

// target is the session the form and curl describe: what is served, else
// the current one.
func (p *servePane) target() *sessions.Session {
	if s := p.sh.Serving().Sess; s != nil {
		return s
	}
	return p.sh.Current()
}

func (p *servePane) targetData(s *sessions.Session) *datasets.Dataset {
	for _, ds := range []*datasets.Dataset{p.sh.CurrentData(), p.sh.Data(), p.sh.Run().DS} {
		if ds != nil && s != nil && ds.Ref == s.Data.Ref {
			return ds
		}
	}
	return nil
}

// syncForm rebuilds the try-it row when the target session changes kind.
func (p *servePane) syncForm() {
	s := p.target()
	if s == nil {
		p.form, p.formFor = nil, nil
		return
	}
	if p.formFor != nil && p.form != nil && p.formFor.Data.Ref == s.Data.Ref && len(p.fixed) == len(s.Data.Features) {
		p.formFor = s
		return
	}
	row, truth, ok := sampleRow(s, p.targetData(s))
	if !ok {
		row = make([]float64, len(s.Data.Features))
	}
	f := newForm(p.st, p.ask, "try it")
	for i, name := range s.Data.Features {
		if i == maxTryFields {
			break
		}
		f.add(shortName(name), strconv.FormatFloat(row[i], 'g', 4, 64), checkNumber)
	}
	p.form, p.formFor, p.truth, p.answer, p.ansErr = f, s, truth, "", ""
	p.fixed, p.truthKey = row, p.rowKey()
	p.examplePath, p.exampleKey, p.exampleNote = "", "", ""
}

func (p *servePane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case settledMsg:
		p.syncForm()
	case formDoneMsg:
		if msg.f == p.form && msg.applied {
			return p.send()
		}
	case tea.KeyMsg:
		p.syncForm()
		if p.form == nil {
			return nil
		}
		if p.form.active {
			return p.form.Update(msg)
		}
		switch {
		case key.Matches(msg, p.keys.Pin):
			p.ask(pinServeMsg{})
			return nil
		case key.Matches(msg, p.keys.Try):
			return p.form.open()
		case key.Matches(msg, p.keys.Send):
			return p.send()
		case key.Matches(msg, p.keys.Example):
			if !p.wide() {
				p.exampleNote = "" // the example above is whole already
				return nil
			}
			return p.writeExample()
		}
	case exampleWrittenMsg:
		p.exampleDone(msg)
	case tryResultMsg:
		p.answer, p.ansErr, p.ansKey = "", "", msg.key
		if msg.err != nil {
			p.ansErr = msg.err.Error()
			return nil
		}
		p.answer = p.describe(msg.out) + p.st.Dim.Render(" via "+msg.via)
	}
	return nil
}

func (p *servePane) describe(out []float64) string {
	s := p.formFor
	if s != nil && len(s.Data.Classes) > 0 && len(out) == len(s.Data.Classes) {
		best := floats.MaxIdx(out)
		return p.st.class(best).Render(s.Data.Classes[best]) + fmt.Sprintf(" %.2f", out[best])
	}
	var parts []string
	for _, v := range out {
		parts = append(parts, fmtTarget(v))
	}
	return strings.Join(parts, ", ")
}

func (p *servePane) row() ([]float64, error) {
	row := append([]float64(nil), p.fixed...)
	if len(row) < len(p.form.inputs) {
		row = make([]float64, len(p.form.inputs))
	}
	for i := range p.form.inputs {
		v, err := parseFeature(p.form.value(i))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.form.labels[i], err)
		}
		row[i] = v
	}
	return row, nil
}

// send asks the running server (over HTTP, as any client would) or, with
// the server off, the current model directly.
func (p *servePane) send() tea.Cmd {
	tk := p.tryKey()
	row, err := p.row()
	if err != nil {
		p.answer, p.ansErr, p.ansKey = "", err.Error(), tk
		return nil
	}
	if sv := p.sh.Serving(); sv.On {
		addr := sv.Addr
		return func() tea.Msg {
			out, err := postPredict(addr, row)
			return tryResultMsg{out: out, via: "POST /predict", err: err, key: tk}
		}
	}
	s := p.sh.Current()
	if s == nil || s.Model == nil {
		p.answer, p.ansErr, p.ansKey = "", "no trained model yet: train one first (3, then space)", tk
		return nil
	}
	return func() tea.Msg {
		var out []float64
		err := safely(func() error {
			pr := s.Predict(mat.NewDense(1, len(row), row))
			out = append([]float64(nil), pr.RawRowView(0)...)
			return nil
		})
		return tryResultMsg{out: out, via: "the model (server off)", err: err, key: tk}
	}
}

// curl returns the example request's URL and its quoted -d body (a
// narrow row: wide ones are written to a file, see exampleLines).
func (p *servePane) curl(s *sessions.Session) (url, body string) {
	sv := p.sh.Serving()
	addr := sv.Addr
	if addr == "" {
		addr = sv.Want
	}
	row := "…"
	if p.form != nil {
		var vals []string
		for i := range p.form.inputs {
			vals = append(vals, p.form.value(i))
		}
		row = strings.Join(vals, ", ")
	}
	return "http://" + addr + "/predict", fmt.Sprintf(`'{"input_data": [[%s]]}'`, row)
}

func (p *servePane) View() string {
	st, sv := p.st, p.sh.Serving()
	s := p.target()
	title := "predict server " + sv.Badge
	if sv.Err == nothingToServe && !sv.On && s == nil {
		title = "predict server ○ off" // the body says why, once
	}
	if sv.On {
		title += st.Dim.Render(fmt.Sprintf(" · %s %s (epoch %d)", sv.Name, shortID(sv.ID), sv.Epoch))
		if sv.Pinned {
			title += st.Warn.Render(" · pinned")
		} else {
			title += st.Dim.Render(" · follows the current model (P pins)")
		}
	}
	var lines []string
	if sv.Err != "" && !(sv.Err == nothingToServe && !sv.On && s == nil) {
		for _, l := range wrapRunes(sv.Err, max(10, p.width-4), 3) {
			lines = append(lines, st.Error.Render(l))
		}
		lines = append(lines, "")
	}
	switch {
	case !sv.On && sv.Pending:
		lines = append(lines, st.Warn.Render("The server starts with the first finished epoch's weights."))
	case !sv.On && s == nil:
		lines = append(lines, "Nothing to serve yet. Train a model ("+st.Key.Render("3")+", then "+st.Key.Render("space")+") or open a saved session ("+st.Key.Render("5")+").",
			"", st.Dim.Render("Then press S on any pane: the model is served on "+sv.Want+"."))
	case !sv.On:
		lines = append(lines, "Server off. Press "+st.Key.Render("S")+" to serve "+sessionName(s)+" on "+sv.Want+".")
	}
	if s != nil && p.wide() {
		url, _ := p.curl(s)
		lines = append(lines, p.exampleLines(url)...)
	} else if s != nil {
		url, body := p.curl(s)
		one := "curl -s " + url + " -d " + body
		if lipgloss.Width(one)+9 <= p.width-4 {
			lines = append(lines, "", st.Bold.Render("example")+"  "+one)
		} else {
			// Too wide for one line: break where the shell allows it, so the
			// command still runs when copied from the screen.
			lines = append(lines, "", st.Bold.Render("example"), "curl -s "+url+` \`, "  -d "+body)
		}
	}
	if sv.On && len(sv.Others) > 0 {
		lines = append(lines, "", st.Bold.Render("also served")+"  "+st.Dim.Render("POST /models/NAME/predict: ")+strings.Join(sv.Others, ", "))
	}
	if sv.On {
		stt := sv.Stats
		rps := 0.0
		if n := len(stt.PerSecond); n > 0 {
			rps = stt.PerSecond[n-1]
		}
		lines = append(lines, "", st.kv("requests", fmtInt(stt.Requests), "now", fmt.Sprintf("%.0f/s", rps),
			"p50", fmtLatency(stt.P50), "p99", fmtLatency(stt.P99), "errors", fmtInt(stt.Errors)))
		lines = append(lines, st.Train.Render(sparkline(stt.PerSecond, min(60, p.width-30)))+st.Dim.Render("  requests/s, last 60 s"))
	}
	if p.form != nil {
		note := "e edits the row, enter sends it"
		if n := len(p.formFor.Data.Features); n > len(p.form.inputs) {
			note = fmt.Sprintf("e edits the first %d of %d features (the rest stay as in the example), enter sends", len(p.form.inputs), n)
		}
		lines = append(lines, "", st.Bold.Render("try it")+"  "+st.Dim.Render(note))
		img := p.tryImage(p.height - 2 - len(lines) - 3)
		lines = append(lines, render(p.form, p.width-4-imageWidth(img)))
		lines = append(lines, p.tryResult())
		lines = besideImage(lines, img)
	}
	if sv.On {
		lines = append(lines, "", st.Bold.Render("last requests"))
		room := p.height - 2 - len(lines)
		for i, r := range sv.Stats.Recent {
			if i >= room {
				break
			}
			status := st.Good.Render(fmt.Sprint(r.Status))
			if r.Status >= 400 {
				status = st.Error.Render(fmt.Sprint(r.Status))
			}
			rows := fmt.Sprintf("%3d rows", r.Rows)
			switch r.Rows {
			case 0:
				rows = "       -" // health, metadata or a refused body: no rows predicted
			case 1:
				rows = "  1 row "
			}
			l := fmt.Sprintf("%s  %-4s %-24s %s  %s  %s", r.Time.Format("15:04:05"), r.Method, r.Path, status, rows, fmtLatency(r.Duration))
			if r.Error != "" {
				l += "  " + st.Error.Render(r.Error)
			}
			lines = append(lines, l)
		}
		if len(sv.Stats.Recent) == 0 {
			lines = append(lines, st.Dim.Render("no requests yet — try the curl above"))
		}
	}
	return st.box(title, strings.Join(lines, "\n"), p.width, p.height, true)
}

// shortID drops the date from a session id (20261130-154233-iris-2 →
// 154233-iris-2): enough to tell today's runs of one name apart.
func shortID(id string) string {
	if len(id) > 9 && id[8] == '-' {
		return id[9:]
	}
	return id
}
