package sessions

import (
	"fmt"
	"testing"
)

// BenchmarkSave is one update of a trained iris session (weights and
// session.json written, fsynced and renamed), as Train does every few
// seconds.
func BenchmarkSave(b *testing.B) {
	st := openStore(b)
	s := trained(b, st, "bench", 5)
	b.ReportAllocs()
	for b.Loop() {
		if err := st.Save(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkList lists a store of 100 sessions, as `workbench sessions` and
// the TUI's Sessions pane do.
func BenchmarkList(b *testing.B) {
	st := openStore(b)
	s := trained(b, st, "bench", 5)
	for i := range 99 {
		c := *s
		c.ID, c.stored, c.Name = "", false, fmt.Sprint("bench ", i)
		if err := st.Save(&c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		entries, err := st.List()
		if err != nil || len(entries) != 100 {
			b.Fatal(len(entries), err)
		}
	}
}
