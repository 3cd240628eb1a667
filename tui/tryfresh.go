package tui

import (
	"fmt"
	"strings"
)

// The try-it result describes one row sent to one server state; the true
// label describes the example row. Both are shown only while they still
// describe what is on screen: an edited row has no known label, and an
// answer from "the model (server off)" is stale once S starts the server.

// rowKey is the try-it row as typed.
func (p *servePane) rowKey() string {
	if p.form == nil {
		return ""
	}
	vals := make([]string, len(p.form.inputs))
	for i := range p.form.inputs {
		vals[i] = p.form.value(i)
	}
	return strings.Join(vals, "\x00")
}

// serverKey is what decides who answers a sent row: the server (and the
// session it serves) or, with it off, the current model.
func (p *servePane) serverKey() string {
	sv := p.sh.Serving()
	if !sv.On {
		return "off"
	}
	return fmt.Sprintf("on %s %s", sv.Addr, sv.ID)
}

// tryKey is the row and the server state together: an answer is fresh
// while its tryKey is the current one.
func (p *servePane) tryKey() string { return p.serverKey() + "\x01" + p.rowKey() }

// tryResult is the line under the try-it row.
func (p *servePane) tryResult() string {
	st := p.st
	res := st.Dim.Render("→ press enter to predict")
	switch fresh := p.ansKey == p.tryKey(); {
	case fresh && p.ansErr != "":
		res = st.Error.Render("✗ " + p.ansErr)
	case fresh && p.answer != "":
		res = "→ " + p.answer
	case p.answer != "" || p.ansErr != "":
		why := "row changed"
		if !strings.HasPrefix(p.ansKey, p.serverKey()+"\x01") {
			switch on := p.sh.Serving().On; {
			case !on:
				why = "server now off"
			case strings.HasPrefix(p.ansKey, "off"):
				why = "server now on"
			default:
				why = "another model served"
			}
		}
		res = st.Dim.Render("→ " + why + ": enter predicts again")
	}
	switch {
	case p.truth == "":
	case p.rowKey() == p.truthKey:
		res += st.Dim.Render("   (true: " + p.truth + ")")
	default:
		res += st.Dim.Render("   (edited: no true label)")
	}
	return res
}
