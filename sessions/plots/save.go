package plots

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Figure is one picture: one plot, or several side by side (the residuals
// figure has two panels).
type Figure struct {
	Panels []*plot.Plot
	// Width and Height are the page size; zero means DefaultWidth and
	// DefaultHeight.
	Width, Height vg.Length
}

// The default page: 9×5.5 inches, which a PNG renders at 96 dpi as
// 864×528 pixels — readable on a screen without zooming.
const (
	DefaultWidth  = 9 * vg.Inch
	DefaultHeight = 5.5 * vg.Inch
)

// Formats lists the file extensions Save writes.
var Formats = []string{".png", ".svg", ".pdf"}

// FormatOf is the format Save would write for path (".png", ".svg" or
// ".pdf"), or an error naming the extension it does not know.
func FormatOf(path string) (string, error) {
	ext := strings.ToLower(filepath.Ext(path))
	for _, f := range Formats {
		if ext == f {
			return ext, nil
		}
	}
	if ext == "" {
		return "", fmt.Errorf("%s: no file extension; end the name with %s", path, strings.Join(Formats, ", "))
	}
	return "", fmt.Errorf("%s: unknown picture format %q; end the name with %s", path, ext, strings.Join(Formats, ", "))
}

// WriteTo renders f in format (".png", ".svg" or ".pdf") to w.
func (f Figure) WriteTo(w io.Writer, format string) (err error) {
	// gonum/plot panics on what it cannot draw (a log axis over values ≤ 0);
	// that is a refusal of this figure, not a crash of the program.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("drawing the figure: %v", r)
		}
	}()
	if len(f.Panels) == 0 {
		return fmt.Errorf("nothing to draw")
	}
	wd, ht := f.Width, f.Height
	if wd <= 0 {
		wd = DefaultWidth
	}
	if ht <= 0 {
		ht = DefaultHeight
	}
	var (
		canvas vg.CanvasWriterTo
	)
	switch format {
	case ".png":
		canvas = vgimg.PngCanvas{Canvas: vgimg.New(wd, ht)}
	case ".svg":
		canvas = vgsvg.New(wd, ht)
	case ".pdf":
		canvas = vgpdf.New(wd, ht)
	default:
		return fmt.Errorf("unknown picture format %q; choose one of %s", format, strings.Join(Formats, ", "))
	}
	dc := draw.New(canvas)
	if len(f.Panels) == 1 {
		f.Panels[0].Draw(dc)
	} else {
		tiles := draw.Tiles{Rows: 1, Cols: len(f.Panels), PadX: vg.Points(12), PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(4)}
		cells := plot.Align([][]*plot.Plot{f.Panels}, tiles, dc)
		for i, p := range f.Panels {
			p.Draw(cells[0][i])
		}
	}
	_, err = canvas.WriteTo(w)
	return err
}

// Save writes f to path in the format its extension names. The file
// appears whole or not at all: it is written beside path under a
// temporary name and renamed, so a failed or interrupted write never
// leaves a truncated picture or replaces a good one with half of one.
func (f Figure) Save(path string) (err error) {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("%s: folder %s does not exist", path, dir)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a folder; give a file name ending in %s", path, strings.Join(Formats, ", "))
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = f.WriteTo(tmp, format); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
