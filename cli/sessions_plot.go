package cli

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"workbench/datasets"
	"workbench/sessions"
	"workbench/sessions/plots"
)

const sessionsPlotDescription = `Writes a picture of a session to a file: PNG (864×528 pixels), or SVG and
PDF as vectors, chosen by the file's extension.

  --kind curves     training curves of one metric, several sessions overlaid
                    with --compare (the default)
  --kind confusion  the test split's confusion matrix (classifiers)
  --kind boundary   the decision map over the data (classifiers of 2 features)
  --kind residuals  predicted vs actual and the residuals (regressions)

boundary and residuals load the session's data again, as training did.`

// plotKinds are the pictures --kind names, in the order help lists them.
var plotKinds = []string{"curves", "confusion", "boundary", "residuals"}

func newSessionsPlotCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "plot ID [flags]",
		Short: "write a session's training curves, confusion matrix, decision map or residuals to a PNG, SVG or PDF file",
		Long:  sessionsPlotDescription,
		Example: examples(
			"workbench sessions plot latest",
			"workbench sessions plot latest --metric val_accuracy --compare iris-2 --compare iris-3 -o runs.svg",
			"workbench sessions plot spiral --kind boundary -o spiral.png",
			"workbench sessions plot diabetes --kind residuals -o fit.pdf",
		),
		Args: cobra.ArbitraryArgs,
	}
	fs := cmd.Flags()
	home := homeFlag(fs)
	maxMem := maxMemoryFlag(fs)
	var opt plotOptions
	fs.StringVarP(&opt.out, "output", "o", "", "the file to write; its extension (.png, .svg, .pdf) chooses the format (default <name>-<kind>.png here)")
	fs.StringVar(&opt.kind, "kind", "curves", "what to draw: "+strings.Join(plotKinds, ", "))
	fs.StringVar(&opt.curves.Metric, "metric", "loss", "curves: the metric (loss, accuracy or r2, val_loss, val_accuracy or val_r2, lr)")
	fs.StringArrayVar(&opt.compare, "compare", nil, "curves: another session to overlay (repeat, up to 7)")
	fs.Float64Var(&opt.curves.Smooth, "smooth", 0, "curves: smoothing weight in [0, 1), TensorBoard's; the raw curve stays faint behind")
	fs.BoolVar(&opt.curves.LogY, "log-y", false, "curves: log-scaled metric axis")
	fs.StringVar(&opt.curves.Axis, "axis", plots.AxisEpoch, "curves: epoch axis: epoch, relative (each run's length as 0–1) or log")
	cmd.RunE = func(cmd *cobra.Command, pos []string) error {
		if err := checkArgs("sessions plot", pos, 1, 1, "one session to plot"); err != nil {
			return err
		}
		opt.maxMemory = *maxMem
		st, err := openStore(*home)
		if err != nil {
			return err
		}
		path, err := plotSession(st, pos[0], opt)
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s.\n", path)
		return nil
	}
	return cmd
}

type plotOptions struct {
	out, kind string
	compare   []string
	curves    plots.CurveOptions
	maxMemory int64
}

// plotSession draws the picture opt asks for of the session query names
// and writes it; it returns the path written.
func plotSession(st *sessions.Store, query string, opt plotOptions) (string, error) {
	known := false
	for _, k := range plotKinds {
		known = known || k == opt.kind
	}
	if !known {
		return "", fmt.Errorf("--kind: unknown picture %q; choose one of %s", opt.kind, strings.Join(plotKinds, ", "))
	}
	if len(opt.compare) > 0 && opt.kind != "curves" {
		return "", fmt.Errorf("--compare overlays training curves; it does not go with --kind %s", opt.kind)
	}
	if opt.out != "" { // else named below, once the session's name is known
		if _, err := plots.FormatOf(opt.out); err != nil {
			return "", fmt.Errorf("--output: %w", err)
		}
	}
	s, err := loadSession(st, query)
	if err != nil {
		return "", err
	}
	var fig plots.Figure
	switch opt.kind {
	case "curves":
		runs := []*sessions.Session{s}
		for _, q := range opt.compare {
			o, err := loadSession(st, q)
			if err != nil {
				return "", fmt.Errorf("--compare: %w", err)
			}
			runs = append(runs, o)
		}
		fig, err = plots.Curves(runs, opt.curves)
	case "confusion":
		fig, err = plots.Confusion(s)
	case "boundary", "residuals":
		var p *sessions.Prepared
		p, err = sessions.ReprepareWith(s, datasets.LoadOptions{MaxMemory: opt.maxMemory})
		if err != nil {
			return "", err
		}
		if opt.kind == "boundary" {
			fig, err = plots.Boundary(s, p.Dataset)
			break
		}
		var pairs sessions.Pairs
		if pairs, err = sessions.TestPairs(p); err == nil {
			fig, err = plots.Residuals(s, pairs)
		}
	}
	if err != nil {
		return "", err
	}
	if opt.out == "" {
		opt.out = fileSafe(s.Name, s.ID) + "-" + opt.kind + ".png"
	}
	if err := fig.Save(opt.out); err != nil {
		return "", err
	}
	return filepath.Clean(opt.out), nil
}

var unsafeInName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// fileSafe is a session's name as a file name: letters, digits, '.', '_'
// and '-' kept, runs of anything else one '-'; the id when nothing is left.
func fileSafe(name, id string) string {
	n := strings.Trim(unsafeInName.ReplaceAllString(name, "-"), "-.")
	if n == "" {
		return id
	}
	return n
}
