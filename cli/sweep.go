package cli

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"workbench/sessions"
)

var sweepDescription = `Trains the grid of settings given by --set (or --random N draws from it),
each run a normal session tagged with the sweep's id, and names the best
run by --metric. Every train flag sets what the runs share; --set varies
one of:
  ` + strings.Join(sessions.SweepKeys, ", ") + `
Values are separated by | (layer specs hold commas):
  --set 'layers=32:relu|64:relu,64:relu' --set 'lr=0.01|0.001'
dropout=R sets the rate of every dropout layer (adds one after each dense
layer if there is none; 0 removes them). Every value is checked before
the first run starts.

The sweep's id is --name (default <dataset>-sweep), made unique with -2,
-3, ...; its runs are named <id>-1, <id>-2, ... Find them again with
  workbench sessions --filter sweep=ID --sort -val_accuracy

--metric picks the best run: best_val_loss (the default), val_accuracy,
val_r2, test_accuracy, test_r2, test_loss, test_mse, test_mae, duration_s,
samples_per_s. Losses, errors and time are better lower, the rest higher.

On a terminal it prints a line per run and the sweep's leaderboard; when
stdout is not a terminal, or with --json, each run's summary line
({"type":"summary",...,"sweep":ID}) and then
{"type":"sweep","sweep":ID,"runs":N,"metric":...,"best":{"session":...}}.
A run that fails (a diverged loss) is reported and the sweep goes on; the
exit code is 1 only when no run finished.

Ctrl-C stops cleanly: finished runs are kept, the run training is saved
as stopped, the rest are not started, and the exit code is 0.`

func newSweepCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sweep --data REF --set KEY=V1|V2 [--set ...] [flags]",
		Short: "train a grid of settings and pick the best run",
		Long:  sweepDescription,
		Args:  argsBetween(0, 0, "no arguments besides flags"),
		Example: examples(
			"workbench sweep --data digits --set 'lr=0.01|0.001' --set 'layers=32:relu|64:relu|64:relu,64:relu' --epochs 30 --metric val_accuracy",
			"workbench sweep --data iris --set 'seed=1|2|3|4|5' --metric test_accuracy --json",
			"workbench sweep --data wine --set 'lr=0.1|0.03|0.01|0.003' --set 'l2=0|0.001|0.01' --random 5",
		),
	}
	fs := cmd.Flags()
	home := homeFlag(fs)
	tf := addTrainFlags(fs)
	sets := fs.StringArray("set", nil, "vary a setting: `KEY=V1|V2|...` (repeat for more settings)")
	random := fs.Int("random", 0, "run `N` distinct combinations drawn from the grid instead of all of it")
	randomSeed := fs.Int64("random-seed", 1, "`seed` of the --random draws")
	metric := fs.String("metric", sessions.DefaultSweepMetric, "the `metric` that picks the best run")
	name := fs.String("name", "", "the sweep's `name`, also its id and its runs' prefix (default <dataset>-sweep)")
	parallel := fs.Int("parallel", sessions.DefaultSweepParallel, "`N` runs trained at once (2 was not faster on 2 shared cores; see the README)")
	fs.Lookup("epochs").Usage = "`number` of epochs of each run"
	asJSON := fs.Bool("json", false, "print JSON lines (a summary per run, then the sweep's) even on a terminal")
	cmd.RegisterFlagCompletionFunc("metric", completeFields(true))
	cmd.RegisterFlagCompletionFunc("set", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		out := make([]cobra.Completion, len(sessions.SweepKeys))
		for i, k := range sessions.SweepKeys {
			out[i] = k + "="
		}
		return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
	})
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if len(*sets) == 0 {
			return errors.New("sweep: give at least one --set KEY=V1|V2|... (e.g. --set 'lr=0.01|0.001')")
		}
		if fs.Changed("random") {
			if err := atLeastOne("sweep", flagInt{"random", int64(*random)}); err != nil {
				return err
			}
		}
		if err := atLeastOne("sweep", flagInt{"parallel", int64(*parallel)}); err != nil {
			return err
		}
		plan, err := tf.plan("sweep", "")
		if err != nil {
			return err
		}
		sw := sessions.Sweep{Name: *name, Base: plan, Random: *random, Seed: *randomSeed, Metric: *metric}
		for _, s := range *sets {
			a, err := sessions.ParseAxis(s)
			if err != nil {
				return fmt.Errorf("sweep: %w", err)
			}
			if fs.Changed(a.Key) && a.Key != "dropout" {
				return fmt.Errorf("sweep: --%s and --set %s both given; the --set values are what the runs use, drop --%s", a.Key, a.Key, a.Key)
			}
			sw.Axes = append(sw.Axes, a)
		}
		runs, err := sw.Runs()
		if err != nil {
			return fmt.Errorf("sweep: %w", err)
		}
		st, err := openStore(*home)
		if err != nil {
			return err
		}
		out := cmd.OutOrStdout()
		var p sweepPrinter
		if !*asJSON && isTerminal(out) {
			p = newTermSweep(out, sw, runs, *parallel)
		} else {
			p = &jsonSweep{w: out}
		}
		var notes sync.Once // every run loads the same columns
		res, err := st.RunSweep(cmd.Context(), sw, sessions.SweepHooks{
			Parallel: *parallel,
			Start: func(k int, run sessions.Run, pr *sessions.Prepared) {
				notes.Do(func() { printNotes(cmd.ErrOrStderr(), pr) })
				p.start(k, run, pr)
			},
			Event: p.event,
			Done:  p.done,
		})
		if err != nil {
			// A bad dataset fails the first run's Prepare: nothing was saved.
			return prepareError("sweep", err)
		}
		p.finish(res)
		stderr := cmd.ErrOrStderr()
		if res.Stopped {
			fmt.Fprintf(stderr, "Sweep %s stopped by interrupt: %s kept (a run training is saved as stopped), %d not started.\n",
				res.ID, nRuns(res.Finished()), res.NotStarted())
			return nil
		}
		if res.Best == nil {
			return fmt.Errorf("sweep %s: no run finished with a %s", res.ID, res.Metric)
		}
		return nil
	}
	return cmd
}

func nRuns(n int) string {
	if n == 1 {
		return "1 run"
	}
	return fmt.Sprintf("%d runs", n)
}

// settingsObj is a run's varied settings as a JSON object.
func settingsObj(run sessions.Run) jsonObj {
	o := make(jsonObj, 0, len(run.Settings))
	for _, s := range run.Settings {
		o = append(o, jsonField{s.Key, s.Value})
	}
	return o
}

// axesText reads "lr (2) × layers (3)".
func axesText(sw sessions.Sweep) string {
	parts := make([]string, len(sw.Axes))
	for i, a := range sw.Axes {
		parts[i] = fmt.Sprintf("%s (%d)", a.Key, len(a.Values))
	}
	return strings.Join(parts, " × ")
}

// completeFields completes runs-table field names (metrics only: those with
// a direction); for --sort also their descending -FIELD.
func completeFields(metrics bool) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		for _, f := range sessions.Fields {
			switch {
			case metrics && f.Better != 0:
				out = append(out, cobra.CompletionWithDesc(f.Name, f.Doc))
			case !metrics:
				out = append(out, cobra.CompletionWithDesc(f.Name, f.Doc), cobra.CompletionWithDesc("-"+f.Name, f.Doc+", descending"))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
