package tui

import (
	"fmt"
	"path/filepath"
	"strings"

	"workbench/datasets"
)

func (p *dataPane) View() string {
	lw := min(44, max(28, p.width*2/5))
	if p.width < 100 {
		lw = 30
	}
	left := p.st.box("datasets  / filter", p.listView(lw-2, p.height-2), lw, p.height, true)
	right := p.st.box(p.previewTitle(), p.previewView(p.width-lw-2, p.height-2), p.width-lw, p.height, false)
	return hjoin(left, right)
}

func (p *dataPane) listView(w, h int) string {
	st := p.st
	var lines []string
	if p.mode == dataFilter || p.filter.Value() != "" {
		p.filter.Width = w - 10
		lines = append(lines, p.filter.View())
	}
	if p.catErr != "" {
		lines = append(lines, st.Error.Render("catalogue: "+p.catErr))
	}
	room := h - len(lines)
	start := 0
	if p.cursor >= room {
		start = p.cursor - room + 1
	}
	for i := start; i < len(p.visible) && len(lines) < h; i++ {
		idx := p.visible[i]
		var text string
		if idx < 0 {
			text = openFileItem
		} else {
			in := p.cat[idx]
			text = p.rowText(in, w)
		}
		if idx < 0 {
			if f := p.loadedFile(); f != "" && len(lines) < h-1 {
				lines = append(lines, "  "+trunc(f, max(1, w-4))+" ✓")
			}
		}
		if i == p.cursor {
			lines = append(lines, st.Selected.Render("▸ "+text))
		} else {
			lines = append(lines, "  "+text)
		}
	}
	if len(p.visible) == 1 && p.filter.Value() != "" {
		lines = append(lines, st.Dim.Render("  no dataset matches"))
	}
	if p.fashionMissing() && p.filter.Value() == "" && len(lines)+4 <= h {
		lines = append(lines, "")
		for _, l := range wrapParts("", strings.Fields("fashion-mnist is not installed: apt-get install dataset-fashion-mnist, then press 1"), " ", max(10, w-2), 3) {
			lines = append(lines, st.Dim.Render("  "+l))
		}
	}
	return strings.Join(lines, "\n")
}

func (p *dataPane) previewTitle() string {
	d := p.shownData()
	if d == nil {
		return "preview"
	}
	s := fmt.Sprintf("%s — %d rows · %d feature", d.Name, d.Rows(), d.Features())
	if d.Features() != 1 {
		s += "s" // "sine — 200 rows · 1 features" read wrong
	}
	if d.Task == datasets.Classification {
		s += fmt.Sprintf(" · %d classes", d.Outputs())
	}
	return s + " · " + string(d.Task)
}

func (p *dataPane) previewView(w, h int) string {
	st := p.st
	var lines []string
	if o := p.offerView(); o != "" {
		lines = append(lines, o, "")
	}
	if p.loadErr != "" {
		for _, l := range wrapRunes("✗ "+p.loadErr, max(10, w), 4) {
			lines = append(lines, st.Error.Render(l))
		}
		if p.loadFix != "" {
			for _, l := range wrapRunes(p.loadFix, max(10, w), 2) {
				lines = append(lines, st.Warn.Render(l))
			}
		}
		lines = append(lines, "")
	}
	if p.loading != "" {
		lines = append(lines, st.Warn.Render("loading "+p.loading+"…"))
	}
	if p.mode == dataOpen {
		p.path.Width = w - 8
		lines = append(lines, p.path.View())
		if len(p.choices) > 0 {
			c := p.choices
			if len(c) > 6 {
				c = append(c[:6:6], fmt.Sprintf("… %d more", len(p.choices)-6))
			}
			for _, l := range wrapRunes(strings.Join(c, "  "), max(10, w), 2) {
				lines = append(lines, st.Dim.Render(l))
			}
		}
		lines = append(lines, st.Dim.Render("CSV (last column is the target; t changes it) or IDX images; tab completes"))
		if fl := p.files; fl.confined() {
			note := p.fileNote
			if note == "" {
				note = "only files in " + fl.root + " can be opened; ~/ and relative paths start there"
			}
			for _, l := range wrapRunes(note, max(10, w), 3) {
				lines = append(lines, st.Dim.Render(l))
			}
		}
		lines = append(lines, "")
	}
	if p.mode == dataParams {
		lines = append(lines, st.Bold.Render(p.paramFor+" parameters"), render(p.params, w), "")
	}
	if p.mode == dataCSV {
		lines = append(lines, st.Bold.Render(trunc("load "+p.fileRef, max(10, w))), render(p.csv, w))
		for _, l := range wrapRunes("target: a column name or 0-based index (empty: the last column) · task: auto, classification or regression · drop missing: yes or no", max(10, w), 3) {
			lines = append(lines, st.Dim.Render(l))
		}
		lines = append(lines, "")
	}
	pv := p.peeking()
	if pv == nil && p.peekLoading != "" {
		lines = append(lines, st.Dim.Render("previewing "+p.peekLoading+"…"))
	}
	if pv != nil && pv.err != "" {
		for _, l := range wrapRunes("✗ could not preview "+pv.ref+": "+pv.err, max(10, w), 3) {
			lines = append(lines, st.Error.Render(l))
		}
	}
	d := p.shownData()
	if d == nil {
		lines = append(lines, st.Dim.Render("no dataset loaded: choose one on the left"))
		return strings.Join(lines, "\n")
	}
	if pv != nil && pv.ds == d {
		lines = append(lines, st.Dim.Render("preview · enter chooses it"))
		if p.statsFor != d {
			p.statsFor, p.summary, p.counts = d, pv.summary, pv.counts
		}
	}
	if p.statsFor != d {
		p.statsFor, p.summary, p.counts = d, d.Summary(), d.ClassCounts()
	}
	if counts := p.counts; len(counts) > 0 {
		hi := 0
		for _, c := range counts {
			hi = max(hi, c)
		}
		lines = append(lines, st.Bold.Render("classes"))
		show := min(len(counts), max(3, (h-12)/2))
		if d.Features() == 2 {
			show = min(len(counts), 4)
		}
		for i := 0; i < show; i++ {
			name := fmt.Sprint(i)
			if i < len(d.ClassNames) {
				name = d.ClassNames[i]
			}
			bw := max(4, min(30, w-30))
			frac := 0.0
			if hi > 0 {
				frac = float64(counts[i]) / float64(hi)
			}
			lines = append(lines, fmt.Sprintf("  %-14s %s %d", trunc(name, 14), st.class(i).Render(bar(frac, bw)), counts[i]))
		}
		if show < len(counts) {
			lines = append(lines, st.Dim.Render(fmt.Sprintf("  … %d more classes", len(counts)-show)))
		}
	}
	lines = append(lines, "")
	pl := p.sh.Plan()
	splitLine := fmt.Sprintf("split  train %.0f%% · val %.0f%% · test %.0f%% · seed %d", (1-pl.Val-pl.Test)*100, pl.Val*100, pl.Test*100, pl.Hyper.Seed)
	if d.TestRef != "" && pl.Test > 0 {
		// Tested on its own published test set (sessions.Prepare): the
		// file gives train and validation only.
		splitLine = fmt.Sprintf("split  train %.0f%% · val %.0f%% of these rows · test: the official test set · seed %d", (1-pl.Val)*100, pl.Val*100, pl.Hyper.Seed)
	}
	if d.Task == datasets.Classification {
		splitLine += "  (stratified)"
	}
	if p.mode == dataSplit {
		lines = append(lines, st.Bold.Render("split"), render(p.split, w))
	} else {
		lines = append(lines, splitLine)
		if p.split != nil && p.split.err != "" {
			lines = append(lines, st.Error.Render(p.split.err))
		}
	}
	if d.Dropped > 0 {
		// As the CLI says it: rows gone for missing values are not silent.
		lines = append(lines, st.Warn.Render(plural(d.Dropped, "row")+" dropped for missing values"))
	}
	if d.Source != "" {
		lines = append(lines, st.Dim.Render("source: "+d.Source))
	}
	lines = append(lines, "")
	room := h - len(lines)
	if d.Features() == 2 && room >= 6 {
		lines = append(lines, st.Bold.Render("scatter")+st.Dim.Render(" (x: "+d.FeatureNames[0]+", y: "+d.FeatureNames[1]+")"))
		sw := min(w, 2*(room-1)+4)
		lines = append(lines, st.plot2d(d, d, nil, nil, sw, room-1))
		return strings.Join(lines, "\n")
	}
	// The name gives way first: at 80 columns a fixed 20 cut off mean and std.
	nw := max(8, min(20, w-36))
	lines = append(lines, st.Bold.Render(fmt.Sprintf("%-*s %8s %8s %8s %8s", nw, "feature", "min", "max", "mean", "std")))
	sum := p.summary
	for i, f := range sum {
		if len(lines) >= h-1 && i < len(sum)-1 {
			lines = append(lines, st.Dim.Render(fmt.Sprintf("… %d more features", len(sum)-i)))
			break
		}
		lines = append(lines, fmt.Sprintf("%-*s %8.3g %8.3g %8.3g %8.3g", nw, trunc(f.Name, nw), f.Min, f.Max, f.Mean, f.Std))
	}
	return strings.Join(lines, "\n")
}

// kindWord names what a catalogue entry is, in words ("inst" read as
// nothing to a new user).
func kindWord(in datasets.Info) string {
	switch {
	case in.Task == datasets.Regression:
		return "regression"
	case in.Features == 2:
		return "2-D points"
	case in.Kind == "installed":
		return "installed"
	case in.Kind == "synthetic":
		return "synthetic"
	}
	return "table"
}

// rowText is a catalogue row in w cells: name, kind, and the size when
// there is room for it (the preview's title always has it), ✓ when chosen.
func (p *dataPane) rowText(in datasets.Info, w int) string {
	text := fmt.Sprintf("%-13s %-10s", trunc(in.Name, 13), kindWord(in))
	mark := ""
	if ref := p.sh.Plan().DataRef; in.Ref == ref || strings.HasPrefix(ref, in.Name+"?") {
		mark = " ✓"
	}
	if size := fmt.Sprintf(" %d×%d", in.Rows, in.Features); len([]rune(text))+len(size)+len([]rune(mark))+2 <= w {
		text += size
	}
	return strings.TrimRight(text, " ") + mark
}

// loadedFile is the file the plan trains on ("" for a catalogue entry),
// marked in the list so a loaded CSV does not look unchosen.
func (p *dataPane) loadedFile() string {
	ref := p.sh.Plan().DataRef
	if p.sh.Data() == nil || ref == "" {
		return ""
	}
	for _, in := range p.cat {
		if in.Ref == ref || in.Name == ref || strings.HasPrefix(ref, in.Name+"?") {
			return ""
		}
	}
	return filepath.Base(ref) + " (file)"
}

// plural is "1 row", "2 rows".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
