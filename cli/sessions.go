package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"workbench/sessions"
)

var sessionsDescription = `Lists, shows, renames and removes saved sessions (one folder each under
<home>/sessions). A session may be named by its id, a unique prefix of its
id, its name (the newest of that name) or "latest".

  sessions [list]             the runs table, newest first (--sort, --filter);
                              damaged sessions show why
  sessions show ID            data, spec, summary table, history, metrics and
                              the confusion matrix (--json: the session.json)
  sessions rm ID [ID...]      remove sessions
  sessions rename ID NAME     give a session a new display name (its id stays)

--sort FIELD sorts ascending, --sort -FIELD descending (missing values last).
--filter EXPR keeps the runs that match comparisons joined by "and":
FIELD OP VALUE with OP one of = != < <= > >= ~ (~ is substring); numbers
compare as numbers, text case-insensitively; quote a value with spaces.
  --filter 'dataset=digits and test_accuracy>=0.97 and layers~relu'
FIELD is any of: ` + strings.Join(sessions.FieldNames(), ", ") + `
(aliases: val_loss, val_accuracy, val_r2 for the best_val_ ones).
--json prints every field of each run under those names.`

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
			"workbench sessions --filter 'sweep=digits-sweep' --sort -val_accuracy",
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
	out := outputFlags(cmd.Flags(), "print JSON (list: an array; show: the session.json)")
	history := cmd.Flags().Bool("history", false, "show: print every epoch, not a sample")
	var q listQuery
	cmd.Flags().StringVar(&q.sort, "sort", "", "list: sort by `FIELD` (ascending) or -FIELD (descending)")
	cmd.Flags().StringVar(&q.filter, "filter", "", "list: keep the runs matching `EXPR`, e.g. 'dataset=digits and test_accuracy>=0.97'")
	cmd.RegisterFlagCompletionFunc("sort", completeFields(false))
	cmd.RunE = func(cmd *cobra.Command, pos []string) error {
		if (q.sort != "" || q.filter != "") && len(pos) > 0 && pos[0] != "list" && pos[0] != "ls" {
			return fmt.Errorf("sessions: --sort and --filter apply to the list, not to %s", pos[0])
		}
		asJSON, err := out.asJSON("sessions", cmd.OutOrStdout())
		if err != nil {
			return err
		}
		return runSessions(cmd.OutOrStdout(), pos, *home, asJSON, *history, q)
	}
	cmd.AddCommand(newSessionsPlotCmd())
	return cmd
}

// runSessions runs the subcommand named by the first argument (list if
// none); the subcommands share the flags, so they are arguments, not
// cobra commands of their own.
func runSessions(stdout io.Writer, pos []string, home string, asJSON, history bool, q listQuery) error {
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
		return listSessions(st, stdout, asJSON, q)
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

// listQuery is the list's --sort and --filter.
type listQuery struct{ sort, filter string }

func listSessions(st *sessions.Store, w io.Writer, asJSON bool, q listQuery) error {
	// Checked before reading the store, so a typo answers at once.
	f, err := sessions.ParseFilter(q.filter)
	if err != nil {
		return err
	}
	if _, _, err := sessions.ParseSort(q.sort); q.sort != "" && err != nil {
		return err
	}
	entries, err := st.List()
	if err != nil {
		return err
	}
	recs := sessions.FilterRecords(sessions.Records(entries), f)
	if err := sessions.SortRecords(recs, q.sort); err != nil {
		return err
	}
	if asJSON {
		out := make([]jsonObj, 0, len(recs))
		for _, r := range recs {
			out = append(out, recordJSON(r))
		}
		return writeJSON(w, out)
	}
	if len(entries) == 0 {
		fmt.Fprintf(w, "No sessions yet in %s.\nTrain one with: workbench train --data iris\n", st.Dir)
		return nil
	}
	if len(recs) == 0 {
		fmt.Fprintf(w, "No session matches %q (of %d).\n", f.String(), len(entries))
		return nil
	}
	return writeRunsTable(w, recs, terminalWidth(w))
}
