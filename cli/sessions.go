package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"workbench/sessions"
)

const sessionsDescription = `Lists, shows, renames and removes saved sessions (one folder each under
<home>/sessions). A session may be named by its id, a unique prefix of its
id, its name (the newest of that name) or "latest".

  sessions [list]             a table, newest first; damaged sessions show why
  sessions show ID            data, spec, summary table, history, metrics and
                              the confusion matrix (--json: the session.json)
  sessions rm ID [ID...]      remove sessions
  sessions rename ID NAME     give a session a new display name (its id stays)`

func newSessionsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sessions [list|show ID|rm ID...|rename ID NAME] [flags]",
		Short: "list, show, rename and remove sessions",
		Long:  sessionsDescription,
		Example: examples(
			"workbench sessions",
			"workbench sessions show latest",
			"workbench sessions show 20261130-1542 --history",
			"workbench sessions rename latest iris-baseline",
			"workbench sessions rm 20261130-154233-iris --home /srv/workbench",
			"workbench sessions --json | jq -r '.[] | select(.status==\"finished\") | .id'",
		),
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return []cobra.Completion{"list", "show", "rm", "rename"}, cobra.ShellCompDirectiveNoFileComp
		},
	}
	home := homeFlag(cmd.Flags())
	asJSON := cmd.Flags().Bool("json", false, "print JSON (list: an array; show: the session.json)")
	history := cmd.Flags().Bool("history", false, "show: print every epoch, not a sample")
	cmd.RunE = func(cmd *cobra.Command, pos []string) error {
		return runSessions(cmd.OutOrStdout(), pos, *home, *asJSON, *history)
	}
	cmd.AddCommand(newSessionsPlotCmd())
	return cmd
}

// runSessions runs the subcommand named by the first argument (list if
// none); the subcommands share the flags, so they are arguments, not
// cobra commands of their own.
func runSessions(stdout io.Writer, pos []string, home string, asJSON, history bool) error {
	sub := "list"
	if len(pos) > 0 {
		sub, pos = pos[0], pos[1:]
	}
	st, err := openStore(home)
	if err != nil {
		return err
	}
	switch sub {
	case "list", "ls":
		if err := checkArgs("sessions", pos, 0, 0, "no arguments after list"); err != nil {
			return err
		}
		return listSessions(st, stdout, asJSON)
	case "show":
		if err := checkArgs("sessions", pos, 1, 1, "one session to show"); err != nil {
			return err
		}
		s, err := loadSession(st, pos[0])
		if err != nil {
			return err
		}
		if asJSON {
			return writeJSON(stdout, s)
		}
		return showSession(stdout, s, history)
	case "rm", "remove", "delete":
		if err := checkArgs("sessions", pos, 1, -1, "the session(s) to remove"); err != nil {
			return err
		}
		for _, q := range pos {
			id, err := st.Resolve(q)
			if err != nil {
				return err
			}
			if err := st.Delete(id); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Removed session %s.\n", id)
		}
		return nil
	case "rename":
		if err := checkArgs("sessions", pos, 2, -1, "a session and its new name"); err != nil {
			return err
		}
		id, err := st.Resolve(pos[0])
		if err != nil {
			return err
		}
		name := strings.Join(pos[1:], " ")
		if err := st.Rename(id, name); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Renamed session %s to %q.\n", id, strings.TrimSpace(name))
		return nil
	}
	return fmt.Errorf("sessions: unknown subcommand %q; use list, show, rm or rename (see 'workbench sessions --help')", sub)
}

func listSessions(st *sessions.Store, w io.Writer, asJSON bool) error {
	entries, err := st.List()
	if err != nil {
		return err
	}
	if asJSON {
		out := make([]jsonObj, 0, len(entries))
		for _, e := range entries {
			out = append(out, entryJSON(e))
		}
		return writeJSON(w, out)
	}
	if len(entries) == 0 {
		fmt.Fprintf(w, "No sessions yet in %s.\nTrain one with: workbench train --data iris\n", st.Dir)
		return nil
	}
	return writeSessionTable(w, entries)
}

func entryJSON(e sessions.Entry) jsonObj {
	if e.Session == nil {
		return jsonObj{{"id", e.ID}, {"damaged", e.Damaged}}
	}
	s := e.Session
	o := jsonObj{
		{"id", s.ID}, {"name", s.Name}, {"status", string(s.Status)},
		{"created", s.Created.Format(time.RFC3339)}, {"updated", s.Updated.Format(time.RFC3339)},
		{"dataset", s.Data.Ref}, {"task", string(s.Data.Task)}, {"layers", s.Layers},
		{"epochs", s.Epochs()}, {"best_epoch", s.BestEpoch},
	}
	if s.Error != "" {
		o = append(o, jsonField{"error", s.Error})
	}
	acc := "accuracy"
	if !s.IsClassification() {
		acc = "r2"
	}
	if b, ok := s.Best(); ok {
		o = append(o, jsonObj{{"best_val_loss", sessions.JSONFloat(b.ValLoss)}, {"best_val_" + acc, sessions.JSONFloat(b.ValAccuracy)}}...)
	}
	if t := s.Test; t != nil {
		if s.IsClassification() {
			o = append(o, jsonObj{{"test_loss", sessions.JSONFloat(t.Loss)}, {"test_accuracy", sessions.JSONFloat(t.Accuracy)}}...)
		} else {
			o = append(o, jsonObj{{"test_loss", sessions.JSONFloat(t.Loss)}, {"test_mse", sessions.JSONFloat(t.MSE)}, {"test_mae", sessions.JSONFloat(t.MAE)}, {"test_r2", sessions.JSONFloat(t.R2)}}...)
		}
	}
	return o
}
