package tui

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Styles is the style set of one program, built for its renderer so that
// each SSH connection gets colours for its own terminal.
type Styles struct {
	r *lipgloss.Renderer

	Header, Title, TabActive, TabInactive, HeaderInfo lipgloss.Style
	Box, BoxFocused, BoxTitle                         lipgloss.Style
	Footer, ServerOn, ServerOff                       lipgloss.Style
	Key, KeyDesc, Dim, Bold, Error, Warn, Good        lipgloss.Style
	Selected, Cursor, Changed, Banner                 lipgloss.Style
	Train, Val, Best, Axis                            lipgloss.Style
	// Classes colour class-wise things: balance bars, scatter points,
	// decision regions and confusion-matrix rows.
	Classes []lipgloss.Style
	Regions []lipgloss.Style

	// Colour is false when the renderer has no colours (NO_COLOR or a
	// plain terminal); charts then tell series apart by shape.
	Colour bool
}

// DefaultStyles builds the style set for r (nil = lipgloss.DefaultRenderer()).
// Colours adapt to light and dark backgrounds through r.
func DefaultStyles(r *lipgloss.Renderer) *Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	ac := func(light, dark string) lipgloss.AdaptiveColor {
		return lipgloss.AdaptiveColor{Light: light, Dark: dark}
	}
	accent := ac("#5A3FC0", "#B7A6FF")
	muted := ac("#6B6B6B", "#8A8A8A")
	border := ac("#B0B0B0", "#4A4A4A")
	s := &Styles{r: r, Colour: r.ColorProfile() != termenv.Ascii}
	ns := r.NewStyle
	s.Header = ns()
	s.Title = ns().Bold(true).Foreground(accent)
	s.TabActive = ns().Bold(true).Reverse(true)
	s.TabInactive = ns().Foreground(muted)
	s.HeaderInfo = ns().Foreground(muted)
	s.Box = ns().Border(lipgloss.RoundedBorder()).BorderForeground(border)
	s.BoxFocused = ns().Border(lipgloss.RoundedBorder()).BorderForeground(accent)
	s.BoxTitle = ns().Bold(true)
	s.Footer = ns()
	s.ServerOn = ns().Foreground(ac("#107C10", "#5FD75F")).Bold(true)
	s.ServerOff = ns().Foreground(muted)
	s.Key = ns().Bold(true).Foreground(accent)
	s.KeyDesc = ns().Foreground(muted)
	s.Dim = ns().Foreground(muted)
	s.Bold = ns().Bold(true)
	s.Error = ns().Foreground(ac("#C50F1F", "#FF6B6B")).Bold(true)
	s.Warn = ns().Foreground(ac("#9A6700", "#E5C07B"))
	s.Good = ns().Foreground(ac("#107C10", "#5FD75F"))
	s.Selected = ns().Bold(true).Foreground(accent)
	s.Cursor = ns().Reverse(true)
	s.Changed = ns().Bold(true).Foreground(ac("#9A6700", "#E5C07B"))
	s.Banner = ns().Bold(true).Reverse(true)
	s.Train = ns().Foreground(ac("#0063B1", "#61AFEF"))
	s.Val = ns().Foreground(ac("#C2410C", "#F0A45D"))
	s.Best = ns().Foreground(ac("#107C10", "#5FD75F")).Bold(true)
	s.Axis = ns().Foreground(muted)
	classes := []lipgloss.AdaptiveColor{
		ac("#0063B1", "#61AFEF"), ac("#C2410C", "#F0A45D"), ac("#107C10", "#98C379"),
		ac("#8E24AA", "#C678DD"), ac("#9A6700", "#E5C07B"), ac("#00838F", "#56B6C2"),
		ac("#C50F1F", "#E06C75"), ac("#5D4037", "#D7BA7D"), ac("#37474F", "#ABB2BF"),
		ac("#AD1457", "#FF79C6"),
	}
	for _, c := range classes {
		s.Classes = append(s.Classes, ns().Foreground(c).Bold(true))
		s.Regions = append(s.Regions, ns().Foreground(c).Faint(true))
	}
	return s
}

// class returns the style of class k (colours repeat after ten).
func (s *Styles) class(k int) lipgloss.Style { return s.Classes[k%len(s.Classes)] }

func (s *Styles) region(k int) lipgloss.Style { return s.Regions[k%len(s.Regions)] }

// classMarks tell classes apart without colour.
var classMarks = []rune("●◆▲■★✚◉▼◼✱")

// regionMarks shade decision regions so they differ without colour too.
var regionMarks = []rune("░▒▓:%=+~^#")

func classMark(k int) rune  { return classMarks[k%len(classMarks)] }
func regionMark(k int) rune { return regionMarks[k%len(regionMarks)] }
