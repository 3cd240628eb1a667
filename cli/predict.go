package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"workbench/datasets"
	"workbench/serve"
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
class per row, for classification only).`

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
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		asJSON, err := out.asJSON("predict", cmd.OutOrStdout())
		if err != nil {
			return err
		}
		return runPredict(cmd.OutOrStdout(), *home, *query, *input, asJSON, *maxMemory)
	}
	return cmd
}

func runPredict(stdout io.Writer, home, query, input string, asJSON bool, maxMemory int64) error {
	st, err := openStore(home)
	if err != nil {
		return err
	}
	s, err := loadSession(st, query)
	if err != nil {
		return err
	}
	raw, name, err := readInput(input, maxMemory)
	if err != nil {
		return err
	}
	x, err := parseRows(raw, s, maxMemory)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	p := s.Predict(x)
	if r, ok := firstNonFinite(p); ok {
		return fmt.Errorf("%s: row %d gives a non-finite output; its values are too far outside the range the model was trained on", name, r+1)
	}
	if asJSON {
		// The server's own encoder, so the body is the server's byte for byte.
		body, err := serve.AppendResponse(nil, s, p)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		_, err = stdout.Write(body)
		return err
	}
	return printPredictions(stdout, s, p, predictedLabels(s, p))
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

func firstNonFinite(p *mat.Dense) (int, bool) {
	r, c := p.Dims()
	for i := range r {
		for j := range c {
			if v := p.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return i, true
			}
		}
	}
	return 0, false
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

func printPredictions(w io.Writer, s *sessions.Session, p *mat.Dense, labels []string) error {
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	r, c := p.Dims()
	if labels != nil {
		showAll := c <= 5
		fmt.Fprint(tw, "ROW\tCLASS\tPROB")
		if showAll {
			for _, name := range s.Data.Classes {
				fmt.Fprintf(tw, "\tP(%s)", name)
			}
		}
		fmt.Fprintln(tw)
		for i := range r {
			row := p.RawRowView(i)
			fmt.Fprintf(tw, "%d\t%s\t%.4f", i+1, labels[i], row[floats.MaxIdx(row)])
			if showAll {
				for _, v := range row {
					fmt.Fprintf(tw, "\t%.4f", v)
				}
			}
			fmt.Fprintln(tw)
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
		fmt.Fprintln(tw)
		for i := range r {
			fmt.Fprintf(tw, "%d", i+1)
			for _, v := range p.RawRowView(i) {
				fmt.Fprintf(tw, "\t%s", plainNumber(v))
			}
			fmt.Fprintln(tw)
		}
	}
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
