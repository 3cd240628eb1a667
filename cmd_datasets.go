package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"workbench/datasets"
)

func runDatasets(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("datasets", "datasets [--json]",
		"Lists the datasets you can train on: built-in real data, synthetic sets\n"+
			"(generated from parameters in the reference) and installed ones. Your own\n"+
			"CSV or IDX files are given to train by path.",
		[]string{
			"workbench datasets",
			"workbench datasets --json | jq -r '.[].ref'",
			"workbench train --data 'spiral?n=600&noise=0.2&seed=7'",
		}, stdout)
	homeFlag(fs) // every command takes --home; the catalogue does not depend on it yet
	asJSON := fs.Bool("json", false, "print the catalogue as a JSON array")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, pos, 0, 0, "no arguments"); err != nil {
		return err
	}
	cat := datasets.Catalog()
	if *asJSON {
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
