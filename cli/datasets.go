package cli

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"workbench/datasets"
	"workbench/sessions"
)

func newDatasetsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "datasets [FILE.csv [--target COL] [table flags]] [--json]",
		Short: "list the built-in, synthetic and installed datasets, or a CSV file's columns",
		Long: "Lists the datasets you can train on: built-in real data, synthetic sets\n" +
			"(generated from parameters in the reference) and installed ones. Your own\n" +
			"CSV or IDX files are given to train by path.\n\n" +
			"Given a CSV file, lists its columns as train would read them with the same\n" +
			"flags: each column's role (feature, target, ignored), type (numeric,\n" +
			"categorical, date, or text left out), distinct values and missing cells,\n" +
			"and the notes of the load (an identifier left out).",
		Example: examples(
			"workbench datasets",
			"workbench datasets --json | jq -r '.[].ref'",
			"workbench datasets ./titanic.csv --target Survived --drop Ticket",
			"workbench train --data 'spiral?n=600&noise=0.2&seed=7'",
		),
		Args: argsBetween(0, 1, "at most one CSV file"),
	}
	fs := cmd.Flags()
	homeFlag(fs) // every command takes --home; the catalogue does not depend on it yet
	out := outputFlags(fs, "print the catalogue (or the file's columns) as a JSON array")
	target := fs.String("target", "", "with a file: the target column by `name or 0-based index` (default the last)")
	dropMissing := fs.Bool("drop-missing", false, "with a file: drop rows with missing values, as train would")
	table := addTableFlags(fs)
	maxMemory := maxMemoryFlag(fs)
	cmd.RunE = func(cmd *cobra.Command, pos []string) error {
		asJSON, err := out.asJSON("datasets", cmd.OutOrStdout())
		if err != nil {
			return err
		}
		if len(pos) == 1 {
			opts, err := table.options("datasets")
			if err != nil {
				return err
			}
			load := datasets.LoadOptions{Target: *target, DropMissing: *dropMissing, MaxMemory: *maxMemory, Table: opts}
			return showColumns(cmd.OutOrStdout(), cmd.ErrOrStderr(), pos[0], load, asJSON)
		}
		for _, f := range append([]string{"target", "drop-missing"}, tableFlagNames...) {
			if fs.Changed(f) {
				return fmt.Errorf("datasets: --%s applies to a CSV file given as an argument", f)
			}
		}
		return listDatasets(cmd.OutOrStdout(), asJSON)
	}
	return cmd
}

func listDatasets(stdout io.Writer, asJSON bool) error {
	cat := datasets.Catalog()
	if asJSON {
		return writeJSON(stdout, cat)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKIND\tTASK\tROWS\tFEATURES\tCLASSES\tDESCRIPTION")
	for _, d := range cat {
		classes := "-"
		if d.Classes > 0 {
			classes = strconv.Itoa(d.Classes)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\t%s\n", d.Name, d.Kind, d.Task, d.Rows, d.Features, classes, d.Description)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "\nSynthetic sets take parameters, e.g. --data 'spiral?n=600&noise=0.2&seed=7';")
	fmt.Fprintln(stdout, "your own data is a path: --data ./data.csv [--target COLUMN].")
	return nil
}

// showColumns loads a file as train would and lists its columns.
func showColumns(stdout, stderr io.Writer, ref string, load datasets.LoadOptions, asJSON bool) error {
	if _, ok := catalogEntry(ref); ok {
		return fmt.Errorf("datasets: %s is a built-in dataset; give a CSV file to list its columns", ref)
	}
	ds, err := datasets.Load(ref, load)
	gaps := false
	if errors.Is(err, datasets.ErrMissingValue) && load.Table != nil && load.Table.Impute == datasets.ImputeNone && !load.DropMissing {
		// A preview still shows a file with gaps, and says what train
		// will need for them.
		t := *load.Table
		t.Impute, load.Table, gaps = datasets.ImputeMean, &t, true
		ds, err = datasets.Load(ref, load)
	}
	if err != nil {
		return prepareError("datasets", err)
	}
	cols := ds.ColumnStats()
	for _, n := range ds.Notes() {
		fmt.Fprintf(stderr, "Note: %s\n", n)
	}
	if gaps {
		fmt.Fprintln(stderr, "Note: numbers or dates are missing (see MISSING); train needs --impute mean|median|most-frequent or --drop-missing for them")
	}
	if asJSON {
		return writeJSON(stdout, cols)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tCOLUMN\tROLE\tTYPE\tDISTINCT\tMISSING\tNOTE")
	for _, c := range cols {
		distinct := "-"
		if c.Distinct >= 0 {
			distinct = strconv.Itoa(c.Distinct)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", c.Index, sessions.Printable(c.Name), c.Role, c.Kind, distinct, c.Missing, sessions.Printable(c.Note))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "\n%d rows; %s\n", ds.Rows(), ds.Task)
	return err
}
