package tui

import "strings"

// The first minute: until the user has trained once (in this store), a
// line above the footer says what to do next from where they are, so a
// new user needs neither the README nor help to reach a trained model.

// hint is the next step for the current state, "" once the user has
// trained (a finished run, an opened session, or sessions in the store).
func (a *app) hint() string {
	if a.trained {
		return ""
	}
	name := a.plan.DataRef
	if i := strings.IndexAny(name, "?"); i >= 0 {
		name = name[:i]
	}
	switch {
	case a.training():
		return "training… when it ends, S serves the model and 4 shows how to call it"
	case a.active == paneTrain:
		return "next: press space to train on " + name
	case a.active == paneData:
		return "next: press 3, then space to train " + name + " (enter on a dataset: train it now)"
	}
	return "next: press 3, then space to train on " + name
}

// hintLines is the height the hint takes from the panes.
func (a *app) hintLines() int {
	if a.hint() == "" {
		return 0
	}
	return 1
}

// hintView is the hint's line, w cells wide.
func (a *app) hintView(w int) string {
	return fitLine(" "+a.st.Warn.Render("→ "+a.hint()), w)
}
