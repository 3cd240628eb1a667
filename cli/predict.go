package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"workbench/datasets"
	"workbench/sessions"
)

const predictDescription = `Predicts with a saved session's model. Input rows hold raw feature values in
the dataset's own units (the session's scaler is applied), as:

  CSV    one row per line, header optional. With a header naming the
         session's features, columns are matched by name and others (such as
         the target) are ignored; without one, each row must hold exactly
         the features, in order.
  JSON   {"input_data": [[...], ...]} (the predict server's request) or a
         bare [[...], ...]; a row may also be an object keyed by feature name.

A session trained on a table with text, dates or gaps (see 'sessions show',
"Input columns") takes the raw columns instead of its encoded features: CSV
cells as in the training file, JSON cells as numbers, strings or null. A
category never seen in training is no error (it has its own slot); a date in
an unknown form is, naming the row, the column and the value.

Output: a table with the predicted class and its probability (regression:
the predicted values); with --json, exactly the body 'workbench serve'
answers: {"predictions": [[...]], "labels": [...]} (labels, the most likely
class per row, for classification only).

A bad row fails the whole input unless --drop-missing skips it (a value
missing that the model has no fill for; counted on standard error) or
--keep-going puts {"row": N, "error": "..."} in its place (a line in the
table); rows are numbered as you count them, the first data row 1.`

func newPredictCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "predict [--session ID] [--input FILE|-] [--json]",
		Short: "predict with a session's model from CSV or JSON rows",
		Long:  predictDescription,
		Example: examples(
			"workbench predict --session latest --input rows.csv",
			"echo '5.1,3.5,1.4,0.2' | workbench predict --session iris",
			`echo '{"input_data": [[5.1, 3.5, 1.4, 0.2]]}' | workbench predict --session iris --json`,
			"workbench predict --session 20261130-1542 --input test.csv --json > predictions.json",
			"workbench predict --session iris --input rows.csv --keep-going --drop-missing",
			`echo '[{"Sex": "female", "Age": 29, "Port": "C", "Boarded": "2003-09-19"}]' | workbench predict --session titanic`,
		),
		Args: argsBetween(0, 0, "no arguments besides flags"),
	}
	fs := cmd.Flags()
	home := homeFlag(fs)
	query := fs.String("session", "latest", "session: `ID`, unique id prefix, name or latest")
	input := fs.String("input", "-", "CSV or JSON `file` of rows; - reads standard input")
	out := outputFlags(fs, `print the predict server's body {"predictions": [[...]], "labels": [...]}`)
	maxMemory := maxMemoryFlag(fs)
	dropMissing := fs.Bool("drop-missing", false, "skip rows missing a value the model has no fill for, and count them on standard error")
	keepGoing := fs.Bool("keep-going", false, `predict every row that can be: a bad row becomes {"row": N, "error": "..."} in the output (a line in the table) instead of failing the file; exit 1 only if no row is predicted`)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		asJSON, err := out.asJSON("predict", cmd.OutOrStdout())
		if err != nil {
			return err
		}
		rows := datasets.RowOptions{DropMissing: *dropMissing, KeepGoing: *keepGoing, MaxMemory: *maxMemory}
		return runPredict(cmd.OutOrStdout(), cmd.ErrOrStderr(), *home, *query, *input, asJSON, rows)
	}
	return cmd
}

func runPredict(stdout, stderr io.Writer, home, query, input string, asJSON bool, rows datasets.RowOptions) error {
	st, err := openStore(home)
	if err != nil {
		return err
	}
	s, err := loadSession(st, query)
	if err != nil {
		return err
	}
	raw, name, err := readInput(input, rows.MaxMemory)
	if err != nil {
		return err
	}
	in, err := readRows(raw, s, rows)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	var p *mat.Dense
	if in.x != nil {
		p = s.Predict(in.x)
		if err := in.dropNonFinite(p, rows.KeepGoing); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if in.dropped > 0 {
		fmt.Fprintf(stderr, "predict: %s: %d %s dropped for missing values (--drop-missing)\n", name, in.dropped, plural(in.dropped, "row", "rows"))
	}
	if len(in.failed) > 0 {
		fmt.Fprintf(stderr, "predict: %s: %d %s could not be predicted (--keep-going); the first: %v\n", name, len(in.failed), plural(len(in.failed), "row", "rows"), in.failed[0])
	}
	if err := writePredictions(stdout, s, in, p, asJSON); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(in.numbers) == 0 {
		return fmt.Errorf("%s: no row could be predicted", name)
	}
	return nil
}

// readInput reads the whole input; a terminal on stdin would wait forever
// for rows nobody is typing, so it is refused with a hint.
// The input may take a quarter of the budget: parsed rows need more.
func readInput(path string, maxMemory int64) ([]byte, string, error) {
	var r io.Reader = os.Stdin
	name := "standard input"
	if path == "-" || path == "" {
		if isTerminal(os.Stdin) {
			return nil, "", errors.New("predict: no input: pass --input FILE, or pipe CSV or JSON rows on standard input")
		}
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, path, fmt.Errorf("predict: %w", err)
		}
		defer f.Close()
		r, name = f, path
	}
	limit := maxMemory / 4
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, name, fmt.Errorf("predict: %s: %w", name, err)
	}
	if int64(len(b)) > limit {
		return nil, name, fmt.Errorf("predict: %s is larger than %s, a quarter of the memory budget of %s (raise it with --max-memory)",
			name, datasets.FormatSize(limit), datasets.FormatSize(maxMemory))
	}
	return b, name, nil
}

// predictedLabels is the most likely class name per row (nil for
// regression).
func predictedLabels(s *sessions.Session, p *mat.Dense) []string {
	if !s.IsClassification() {
		return nil
	}
	r, _ := p.Dims()
	out := make([]string, r)
	for i := range r {
		k := floats.MaxIdx(p.RawRowView(i))
		if k < len(s.Data.Classes) {
			out[i] = s.Data.Classes[k]
		} else {
			out[i] = strconv.Itoa(k)
		}
	}
	return out
}

// printPredictions prints p's rows, numbered as the user counts them
// (numbers), with the rows that failed (--keep-going) in their places.
func printPredictions(w io.Writer, s *sessions.Session, p *mat.Dense, labels []string, numbers []int, failed []*datasets.RowError) error {
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	c := len(s.Data.Classes)
	if labels == nil {
		c = max(1, len(s.Data.Targets))
	}
	if p != nil {
		_, c = p.Dims()
	}
	// With failed rows the table gains a last column, ERROR: a failed
	// row has "-" in the others and its reason there (a line's last cell,
	// so it widens no column).
	cols := 2 // after ROW
	if !s.IsClassification() {
		cols = c
	} else if c <= 5 {
		cols += len(s.Data.Classes)
	}
	f := 0
	failedBefore := func(n int) {
		for ; f < len(failed) && failed[f].Row < n; f++ {
			fmt.Fprintf(tw, "%d%s\t%v\n", failed[f].Row, strings.Repeat("\t-", cols), failed[f].Err)
		}
	}
	endLine := "\n"
	if len(failed) > 0 {
		endLine = "\t\n"
	}
	if s.IsClassification() {
		showAll := c <= 5
		fmt.Fprint(tw, "ROW\tCLASS\tPROB")
		if showAll {
			for _, name := range s.Data.Classes {
				fmt.Fprintf(tw, "\tP(%s)", name)
			}
		}
		fmt.Fprint(tw, strings.Replace(endLine, "\t", "\tERROR", 1))
		for i, n := range numbers {
			failedBefore(n)
			row := p.RawRowView(i)
			fmt.Fprintf(tw, "%d\t%s\t%.4f", n, labels[i], row[floats.MaxIdx(row)])
			if showAll {
				for _, v := range row {
					fmt.Fprintf(tw, "\t%.4f", v)
				}
			}
			fmt.Fprint(tw, endLine)
		}
	} else {
		fmt.Fprint(tw, "ROW")
		for j := range c {
			name := fmt.Sprintf("output %d", j+1)
			if j < len(s.Data.Targets) {
				name = s.Data.Targets[j]
			}
			fmt.Fprintf(tw, "\t%s", name)
		}
		fmt.Fprint(tw, strings.Replace(endLine, "\t", "\tERROR", 1))
		for i, n := range numbers {
			failedBefore(n)
			fmt.Fprintf(tw, "%d", n)
			for _, v := range p.RawRowView(i) {
				fmt.Fprintf(tw, "\t%s", plainNumber(v))
			}
			fmt.Fprint(tw, endLine)
		}
	}
	failedBefore(math.MaxInt)
	if err := tw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

// plainNumber prints a regression output with six significant digits but
// never in exponent form for everyday magnitudes (2595561.2, not
// 2.59556e+06), so a price or a count reads as one.
func plainNumber(v float64) string {
	a := math.Abs(v)
	if a == 0 || a >= 1e15 || a < 1e-4 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', 6, 64)
	}
	digits := int(math.Floor(math.Log10(a))) + 1 // before the point
	return strconv.FormatFloat(v, 'f', max(0, 6-digits), 64)
}
