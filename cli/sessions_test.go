package cli

import (
	"errors"
	"strings"
	"testing"
	"time"

	"workbench/sessions"
)

// Every healthy row's columns must line up, whatever damaged rows sit between
// them: a short tabwriter row would restart the column widths below it.
func TestSessionTableAlignsAroundDamagedRows(t *testing.T) {
	mk := func(id, name, ref string) sessions.Entry {
		s := &sessions.Session{ID: id, Name: name, Status: sessions.Finished, Layers: "64:relu", Created: time.Unix(0, 0)}
		s.Data.Ref = ref
		return sessions.Entry{ID: id, Session: s}
	}
	for _, tc := range []struct {
		name    string
		entries []sessions.Entry
	}{
		{"damaged in the middle", []sessions.Entry{
			mk("20261130-173909-spiral", "spiral", "spiral?n=50000"),
			{ID: "20261130-173801-d3", Damaged: "session.json is not valid JSON"},
			mk("20261130-173748-iris", "iris", "iris"),
		}},
		{"damaged first, long id", []sessions.Entry{
			{ID: "a-very-long-folder-name-that-is-not-an-id", Damaged: "session.json is missing"},
			mk("20261130-173909-spiral", "spiral", "spiral?n=50000"),
			mk("20261130-173748-iris", "a-much-longer-name", "iris"),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			if err := writeRunsTable(&b, sessions.Records(tc.entries), 0); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			if len(lines) != len(tc.entries)+1 {
				t.Fatalf("want %d lines, got:\n%s", len(tc.entries)+1, b.String())
			}
			nameCol := strings.Index(lines[0], "NAME")
			statusCol := strings.Index(lines[0], "STATUS")
			for i, e := range tc.entries {
				l := lines[i+1]
				if e.Session == nil {
					if got := strings.Index(l, "DAMAGED: "+e.Damaged); got != nameCol {
						t.Errorf("damaged reason at column %d, want %d:\n%s", got, nameCol, b.String())
					}
					continue
				}
				if !strings.HasPrefix(l[nameCol:], e.Session.Name) || !strings.HasPrefix(l[statusCol:], "finished") {
					t.Errorf("row %d misaligned:\n%s", i, b.String())
				}
			}
		})
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// `sessions show > file` on a full disk must fail, not exit 0 with nothing written.
func TestShowSessionReportsWriteErrors(t *testing.T) {
	s := &sessions.Session{ID: "20261130-173748-iris", Name: "iris", Status: sessions.Finished, Created: time.Unix(0, 0)}
	var b strings.Builder
	if err := showSession(&b, s, false); err != nil || !strings.Contains(b.String(), s.ID) {
		t.Fatalf("showSession = %v, output:\n%s", err, b.String())
	}
	if err := showSession(failWriter{}, s, false); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("showSession to a failing writer = %v, want the write error", err)
	}
}

// A terminal too narrow for every column loses whole columns, named on a
// last line; no value is ever cut, and a pipe (width 0) gets every column.
func TestRunsTableNeverCutsSilently(t *testing.T) {
	s := &sessions.Session{ID: "20261207-214334-digits-sweep-3", Name: "a-rather-long-session-name-that-stays-whole",
		Status: sessions.Finished, Layers: "64:relu,64:relu", Created: time.Unix(0, 0), Sweep: "digits-sweep"}
	s.Data.Ref = "digits"
	recs := sessions.Records([]sessions.Entry{{ID: s.ID, Session: s}})
	var wide strings.Builder
	if err := writeRunsTable(&wide, recs, 0); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"SWEEP", "CREATED", "SAMPLES/S", "PARAMS", "digits-sweep", s.Name} {
		if !strings.Contains(wide.String(), h) {
			t.Errorf("a pipe's table lacks %q:\n%s", h, wide.String())
		}
	}
	var narrow strings.Builder
	if err := writeRunsTable(&narrow, recs, 120); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(narrow.String(), "\n"), "\n")
	for _, l := range lines[:len(lines)-1] {
		if len([]rune(l)) > 120 {
			t.Errorf("line of %d columns at width 120: %q", len([]rune(l)), l)
		}
	}
	note := lines[len(lines)-1]
	if !strings.Contains(note, "SWEEP") || !strings.Contains(note, "left out to fit 120 columns") || strings.Contains(lines[0], "SWEEP") {
		t.Errorf("narrow table:\n%s", narrow.String())
	}
	if !strings.Contains(narrow.String(), s.Name) {
		t.Errorf("a value was cut:\n%s", narrow.String())
	}
}
