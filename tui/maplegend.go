package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"workbench/datasets"
	"workbench/sessions"
)

// pointsShown is which of the data's points the map draws (o cycles).
type pointsShown int

const (
	pointsAll pointsShown = iota
	pointsTrain
	pointsTest
	pointsNone
)

func (s pointsShown) String() string {
	return [...]string{"all points", "train points", "test points", "no points"}[s]
}

// mapPoints is the dataset the map draws points of: the whole data, or
// the session's train or test split (split as it was trained).
func (p *trainPane) mapPoints() *datasets.Dataset {
	if p.points == pointsNone {
		return nil
	}
	if p.points == pointsAll || p.ds == nil || p.split == (sessions.SplitInfo{}) {
		return p.ds
	}
	if p.splitDS != p.ds || p.splitOf != p.split {
		p.splitDS, p.splitOf, p.splits = p.ds, p.split, nil
		if sp, err := p.ds.Split(p.split.Val, p.split.Test, p.split.Seed); err == nil {
			p.splits = &sp
		}
	}
	switch {
	case p.splits == nil:
		return p.ds
	case p.points == pointsTrain:
		return p.splits.Train
	}
	return p.splits.Test
}

// mapLegend names the classes by mark, the shades and the marks, in at
// most two lines of w cells.
func (p *trainPane) mapLegend(w int) []string {
	st := p.st
	var parts []string
	names := p.classes
	if p.ds != nil && len(p.ds.ClassNames) > 0 {
		names = p.ds.ClassNames
	}
	for i, n := range names {
		parts = append(parts, st.class(i).Render(string(classMark(i)))+" "+n)
	}
	if isFit(p.ds) {
		return legendLines([]string{st.Val.Render("⠂") + " data", st.Train.Render("━") + " model"}, w, 1)
	}
	var shades []string
	for i := range names {
		shades = append(shades, st.region(i).Render(string(regionMark(i))))
	}
	parts = append(parts, strings.Join(shades, "")+" predicted", "· under 60% sure", "✗ misclassified", st.Key.Render("o")+" "+p.points.String())
	return legendLines(parts, w, mapLegendRows)
}

// legendLines puts styled parts two spaces apart in at most n lines of w
// cells, breaking between parts; what does not fit is left out.
func legendLines(parts []string, w, n int) []string {
	var out []string
	cur, cw := "", 0
	for _, p := range parts {
		pw := lipgloss.Width(p)
		switch {
		case cw == 0 && pw <= w:
			cur, cw = p, pw
		case cw > 0 && cw+2+pw <= w:
			cur, cw = cur+"  "+p, cw+2+pw
		case len(out) < n-1 && pw <= w:
			out = append(out, cur)
			cur, cw = p, pw
		}
	}
	return append(out, cur)
}
