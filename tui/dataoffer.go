package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// The Data pane's "train it now" offer: enter on a dataset loads it and
// then asks whether to train it, so choosing data leads straight to a run.
// The offer takes no keys of its own but y and enter: any other key
// declines it and does what it always does.

// offerKeys answer the offer.
type offerKeys struct{ Train, Not key.Binding }

var dataOfferKeys = offerKeys{
	Train: k("y/enter", "train it now", "y", "enter"),
	Not:   k("n/esc", "not now", "n", "esc"),
}

// offerAfterLoad marks ref to be offered for training once it loads
// (not while a run is going: it could not start).
func (p *dataPane) offerAfterLoad(ref string) {
	p.offering, p.offerRef = false, ""
	if !p.sh.Run().Active {
		p.offerRef = ref
	}
}

// loadedForOffer turns a pending offer into a question once its data loaded.
func (p *dataPane) loadedForOffer(msg dataLoadedMsg) {
	if p.offerRef != "" && msg.ref == p.offerRef && msg.err == nil {
		p.offering = true
	}
	p.offerRef = ""
}

// answerOffer handles a key while the offer shows: true when the key
// was the answer (and so is used up).
func (p *dataPane) answerOffer(msg tea.KeyMsg) bool {
	if !p.offering {
		return false
	}
	p.offering = false
	switch {
	case key.Matches(msg, dataOfferKeys.Train):
		p.ask(switchPaneMsg{to: paneTrain})
		p.ask(startRunMsg{})
		return true
	case key.Matches(msg, dataOfferKeys.Not):
		return true
	}
	return false
}

// offerView is the question's line, "" when there is none.
func (p *dataPane) offerView() string {
	d := p.sh.Data()
	if !p.offering || d == nil {
		return ""
	}
	return p.st.Warn.Render("train on "+d.Name+" now? ") + p.st.Key.Render("y/enter") + " train · " + p.st.Key.Render("n") + " not now"
}
