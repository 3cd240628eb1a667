package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"
)

func (a *app) view() string {
	if a.width < minWidth || a.height < minHeight {
		msg := fmt.Sprintf("workbench needs at least %d×%d (this terminal is %d×%d)", minWidth, minHeight, a.width, a.height)
		return fitBlock(msg, max(a.width, 1), max(a.height, 1))
	}
	if a.quitting {
		return ""
	}
	w, h := a.width, a.height
	header := a.headerView(w)
	var body string
	switch {
	case a.shutting:
		body = fitBlock("\n\n  "+a.st.Banner.Render(" server shutting down… ")+"\n\n  stopping training (it is saved as stopped) and the predict server.", w, h-2)
	case a.confirmQuit:
		body = fitBlock(a.quitQuestion(w), w, h-2)
	case a.palette != nil:
		body = a.paletteView(w, h-2-a.hintLines())
	case a.showHelp:
		body = a.helpView(w, h-2)
	default:
		body = a.panes[a.active].View()
	}
	if hl := a.hintLines(); hl > 0 && !a.shutting {
		return header + "\n" + fitBlock(body, w, h-2-hl) + "\n" + a.hintView(w) + "\n" + a.footerView(w)
	}
	return header + "\n" + fitBlock(body, w, h-2) + "\n" + a.footerView(w)
}

func (a *app) headerView(w int) string {
	st := a.st
	var b strings.Builder
	b.WriteString(st.Title.Render(" workbench "))
	for i, p := range a.panes {
		label := fmt.Sprintf(" %d %s ", i+1, p.Title())
		if i == a.active && !st.Colour {
			// without colour (NO_COLOR) reverse video is gone too
			label = fmt.Sprintf("[%d %s]", i+1, p.Title())
		}
		if i == a.active {
			b.WriteString(st.TabActive.Render(label))
		} else {
			b.WriteString(st.TabInactive.Render(label))
		}
	}
	left := b.String()
	room := w - ansi.StringWidth(left) - 2
	if room < 12 {
		return fitLine(left, w)
	}
	info := ""
	for _, long := range []bool{true, false} {
		info = "session: " + a.sessionLabel(long)
		if !long {
			info = a.sessionLabel(long)
		}
		if a.opts.User != "" {
			info = a.opts.User + " · " + info
		}
		if ansi.StringWidth(info) <= room {
			break
		}
	}
	info = ansi.Truncate(info, room, "…")
	pad := w - ansi.StringWidth(left) - ansi.StringWidth(info) - 1
	return left + strings.Repeat(" ", max(pad, 1)) + st.HeaderInfo.Render(info)
}

func (a *app) footerView(w int) string {
	// The global keys and the server state always show; the pane's keys
	// get what is left (all of them are in ? help).
	right := a.shortHelp([]key.Binding{a.keys.Serve, a.keys.Help, a.keys.Quit}, w) + "  " + a.srv.badge()
	rw := ansi.StringWidth(right)
	keys := a.panes[a.active].ShortHelp()
	if a.palette != nil {
		keys = []key.Binding{paletteKeys.Run, paletteKeys.Close}
	}
	left := " " + a.shortHelp(keys, w-rw-4)
	if a.note != "" {
		left = " " + a.st.Warn.Render(fitLine(a.note, max(w-rw-4, 1)))
	}
	pad := w - ansi.StringWidth(left) - rw - 1
	return fitLine(left+strings.Repeat(" ", max(pad, 1))+right, w)
}

// shortHelp renders bindings in at most w cells, ending in … when some do
// not fit (bubbles' help keeps adding items when even … does not fit).
func (a *app) shortHelp(bindings []key.Binding, w int) string {
	var b strings.Builder
	used := 0
	sep := a.st.Dim.Render(" • ")
	for _, kb := range bindings {
		if !kb.Enabled() {
			continue
		}
		item := a.st.Key.Render(kb.Help().Key) + " " + a.st.KeyDesc.Render(kb.Help().Desc)
		iw := ansi.StringWidth(item)
		if used > 0 {
			iw += 3
		}
		if used+iw > w {
			if used+2 <= w {
				b.WriteString(a.st.Dim.Render(" …"))
			}
			break
		}
		if used > 0 {
			b.WriteString(sep)
		}
		b.WriteString(item)
		used += iw
	}
	return b.String()
}

func (a *app) helpView(w, h int) string {
	global := [][]key.Binding{
		{a.keys.Panes[0], a.keys.Panes[1], a.keys.Panes[2], a.keys.Panes[3], a.keys.Panes[4]},
		{a.keys.Next, a.keys.Prev, a.keys.Serve, a.keys.Help, a.keys.Palette, a.keys.Quit, a.keys.Suspend, a.keys.Background},
	}
	p := a.panes[a.active]
	a.help.Width = w - 4
	body := a.st.Bold.Render("everywhere") + "\n" + a.help.FullHelpView(global) + "\n\n" +
		a.st.Bold.Render(p.Title()+" pane") + "\n" + a.help.FullHelpView(p.FullHelp()) +
		"\n\n" + a.st.Dim.Render("? or esc closes this help · keys are typed into a focused text field; esc leaves it")
	return a.st.box("keys", body, w, h, true)
}

// quitQuestion asks before q ends a training run or the predict server,
// saying what stops.
func (a *app) quitQuestion(w int) string {
	var what, then, keep string
	sv := a.srv.view()
	switch {
	case a.training() && sv.On:
		what, then, keep = "Training is running, and the predict server on "+sv.Addr+".", "Quit anyway? Training is saved as stopped; the server stops too.", "keep going"
	case a.training():
		what, then, keep = "Training is running.", "Quit anyway? It is saved as stopped.", "keep training"
	default:
		what, then, keep = "The predict server is running on "+sv.Addr+".", "Quit anyway? The server stops too.", "keep serving"
	}
	lines := []string{"", "", "  " + a.st.Warn.Render(what), ""}
	for _, l := range wrapRunes(then, max(10, w-4), 3) {
		lines = append(lines, "  "+l)
	}
	return strings.Join(append(lines, "", "  "+a.st.Key.Render("y")+" quit · "+a.st.Key.Render("n")+" "+keep), "\n")
}
