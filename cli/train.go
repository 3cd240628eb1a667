package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

const trainDescription = `Trains a model and saves it as a session under the home directory. Every
flag has a default, so 'workbench train --data iris' alone works.

On a terminal it draws a progress line per epoch; when stdout is not a
terminal, or with --json, it prints one JSON object per epoch
({"type":"epoch",...}) and a final summary ({"type":"summary","session":ID,
"test_loss":...,"test_accuracy":...}, or test_mse/test_mae/test_r2 for
regression), and nothing else on stdout.

For regression the model learns the target standardised with the training
split's mean and std, so targets in any units (prices near 100,000) train
with the defaults. loss, val_loss and test_loss are on that standardised
scale (comparable with each other); mse, mae, r2 and every prediction are
in the target's own units.

Ctrl-C stops training cleanly: the session is saved as "stopped" with what
it learned (the best epoch's weights), a message says so on stderr and the
exit code is 0. Continue it later with --session. Stopped before its
first epoch ends, a new session is not kept (it learned nothing) and a
continued one is left as it was; one line on stderr says so, there is no
JSON summary, and the exit code is 0. Training that fails
(the loss diverged) is saved as "failed" and exits 1.

With --session, training continues a saved session for --epochs more epochs
(default: as many as it was first trained for), on the same data, split and
scaler; its history grows and epoch numbers continue.`

func newTrainCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:         "train --data REF [flags]",
		Annotations: map[string]string{"usage": "workbench train --session ID [--epochs N] [--json]"},
		Short:       "train a model and save it as a session",
		Long:        trainDescription,
		Example: examples(
			"workbench train --data iris",
			"workbench train --data digits --layers 64:relu,dropout:0.2 --epochs 50 --name digits-64",
			"workbench train --data 'spiral?n=600&noise=0.2&seed=7' --layers 64:relu,64:relu --epochs 300 --patience 50",
			"workbench train --data ./houses.csv --target price --task regression --drop-missing",
			"workbench train --data ./titanic.csv --target Survived --drop PassengerId,Ticket --impute median",
			"workbench train --data ./boston_house_prices.csv --skip-rows 1 --target MEDV",
			"workbench train --data wine --json > log.jsonl",
			"workbench train --session latest --epochs 20",
		),
	}
	fs := cmd.Flags()
	home := homeFlag(fs)
	tf := addTrainFlags(fs)
	data, epochs := tf.data, tf.epochs
	name := fs.String("name", "", "session `name` (default the dataset's name)")
	resume := fs.String("session", "", "continue training a saved session: `id`, unique id prefix, name or latest")
	asJSON := fs.Bool("json", false, "print JSON lines (one per epoch, then a summary) even on a terminal")
	noArgs := argsBetween(0, 0, "no arguments besides flags")
	cmd.Args = func(cmd *cobra.Command, pos []string) error {
		// `workbench train iris` reads as naturally as --data iris.
		if len(pos) == 1 && *data == "" && *resume == "" {
			return nil
		}
		return noArgs(cmd, pos)
	}
	cmd.RunE = func(cmd *cobra.Command, pos []string) error {
		if len(pos) == 1 {
			*data = pos[0]
		}
		set := fs.Changed
		var pr *sessions.Prepared
		st, err := openStore(*home)
		if err != nil {
			return err
		}
		if *resume != "" {
			for _, f := range append(slices.Clone(planFlags), "name") {
				if set(f) {
					return fmt.Errorf("train: --%s cannot change when continuing a session; train a new one with --data", f)
				}
			}
			s, err := loadSession(st, *resume)
			if err != nil {
				return err
			}
			if pr, err = sessions.ReprepareWith(s, datasets.LoadOptions{MaxMemory: *tf.maxMemory}); err != nil {
				return err
			}
			pr.Epochs = s.Hyper.Epochs
			if set("epochs") {
				if *epochs < 1 {
					return fmt.Errorf("train: --epochs must be at least 1, got %d", *epochs)
				}
				pr.Epochs = *epochs
			}
		} else {
			plan, err := tf.plan("train", *name)
			if err != nil {
				return err
			}
			if pr, err = sessions.Prepare(plan); err != nil {
				return prepareError("train", err)
			}
		}
		printNotes(cmd.ErrOrStderr(), pr)
		return trainAndReport(cmd.Context(), st, pr, cmd.OutOrStdout(), cmd.ErrOrStderr(), !*asJSON && isTerminal(cmd.OutOrStdout()))
	}
	return cmd
}

// printNotes prints the load's remarks about the columns (an identifier
// left out) on stderr, so that stdout stays the progress or JSON lines.
func printNotes(stderr io.Writer, pr *sessions.Prepared) {
	if pr == nil || pr.Dataset == nil {
		return
	}
	for _, n := range pr.Dataset.Notes() {
		fmt.Fprintf(stderr, "Note: %s\n", n)
	}
}

func trainAndReport(ctx context.Context, st *sessions.Store, pr *sessions.Prepared, stdout, stderr io.Writer, tty bool) error {
	s := pr.Session
	// Saving first gives the session its id for the header, and shows it
	// as running in listings from the start.
	if err := st.Save(s); err != nil {
		return err
	}
	startEpoch := s.Epochs()
	var p progressPrinter
	if tty {
		p = newTermProgress(stdout, s)
	} else {
		p = &jsonProgress{w: stdout, id: s.ID, regression: !s.IsClassification()}
	}
	p.start(pr, startEpoch)

	relay := engine.NewRelay()
	stop := relay.Forward(context.Background(), p.event)
	s, trainErr := st.Train(ctx, pr, relay.Handle, nil)
	stop()
	if errors.Is(trainErr, sessions.ErrNothingTrained) {
		// Stopping is the user's choice, so this is no failure; there is
		// no summary, as there is no new epoch or kept session to sum up.
		if tty {
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stderr, "Training %s.\n", trainErr)
		return nil
	}
	if s == nil {
		return trainErr
	}
	p.finish(s, startEpoch, pr.Epochs)
	ran := s.Epochs() - startEpoch
	switch {
	case s.Status == sessions.Failed:
		return fmt.Errorf("training failed: %s; session %s saved as failed", s.Error, s.ID)
	case trainErr != nil:
		return trainErr
	case s.Status == sessions.Stopped:
		fmt.Fprintf(stderr, "Training stopped by interrupt after %s; session %s saved as stopped with the best weights so far.\nContinue it with: workbench train --session %s\n", sessions.NEpochs(ran), s.ID, s.ID)
	}
	return nil
}
