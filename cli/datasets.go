package cli

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"workbench/datasets"
)

func newDatasetsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "datasets [--json]",
		Short: "list the built-in, synthetic and installed datasets",
		Long: "Lists the datasets you can train on: built-in real data, synthetic sets\n" +
			"(generated from parameters in the reference) and installed ones. Your own\n" +
			"CSV or IDX files are given to train by path.",
		Example: examples(
			"workbench datasets",
			"workbench datasets --json | jq -r '.[].ref'",
			"workbench train --data 'spiral?n=600&noise=0.2&seed=7'",
		),
		Args: argsBetween(0, 0, "no arguments"),
	}
	homeFlag(cmd.Flags()) // every command takes --home; the catalogue does not depend on it yet
	asJSON := cmd.Flags().Bool("json", false, "print the catalogue as a JSON array")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		return listDatasets(cmd.OutOrStdout(), *asJSON)
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
