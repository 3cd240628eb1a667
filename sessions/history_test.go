package sessions

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"workbench/engine"
)

// fakeHistory is n epochs whose val loss falls to a best at epoch best.
func fakeHistory(n, best int) []engine.EpochStats {
	h := make([]engine.EpochStats, n)
	for i := range h {
		e := i + 1
		h[i] = engine.EpochStats{Epoch: e, Loss: 1 / float64(e), Accuracy: 0.5, ValLoss: 1 + math.Abs(float64(e-best)),
			ValAccuracy: math.NaN(), LearningRate: 0.01, Seconds: 0.001, SamplesPerSec: 1e5}
	}
	return h
}

// withHistory saves s again with n fake epochs.
func withHistory(t testing.TB, st *Store, s *Session, n int) {
	t.Helper()
	s.History = fakeHistory(n, max(n/2, 1))
	s.BestEpoch = 0
	if n > 0 {
		s.BestEpoch = max(n/2, 1)
	}
	if err := st.Save(s); err != nil {
		t.Fatal(err)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// sameHistory compares histories bit for bit (NaN equals NaN).
func sameHistory(a, b []engine.EpochStats) bool {
	if len(a) != len(b) {
		return false
	}
	ra, rb := encodeRecords(a), encodeRecords(b)
	return reflect.DeepEqual(ra, rb)
}

// TestHistorySizes: session.json stays the same small size whatever the
// history's length; history.bin grows by one record an epoch; List knows
// the epochs and the best without reading history.bin; Load reads it back
// exactly.
func TestHistorySizes(t *testing.T) {
	st := openStore(t)
	s := trained(t, st, "sizes", 1)
	dir := filepath.Join(st.Dir, s.ID)
	var metaSize int64 = -1
	for _, n := range []int{1, 2, 100, 10000} {
		withHistory(t, st, s, n)
		if got, want := fileSize(t, filepath.Join(dir, historyFile)), int64(len(historyMagic)+n*historyRecord); got != want {
			t.Errorf("%d epochs: history.bin is %d bytes, want %d", n, got, want)
		}
		ms := fileSize(t, filepath.Join(dir, metaFile))
		if ms > 4096 || (metaSize >= 0 && math.Abs(float64(ms-metaSize)) > 16) {
			t.Errorf("%d epochs: session.json is %d bytes (was %d): it must not grow with the history", n, ms, metaSize)
		}
		metaSize = ms

		// Listing reads no history: with every record's figures spoilt
		// (epoch numbers kept, which the list's cheap check reads at the
		// end) it still lists what session.json says.
		hist := filepath.Join(dir, historyFile)
		whole, err := os.ReadFile(hist)
		if err != nil {
			t.Fatal(err)
		}
		spoilt := append([]byte(nil), whole...)
		for r := len(historyMagic); r+historyRecord <= len(spoilt); r += historyRecord {
			for i := r + 8; i < r+historyRecord; i++ {
				spoilt[i] = 0xff
			}
		}
		if err := os.WriteFile(hist, spoilt, 0o644); err != nil {
			t.Fatal(err)
		}
		es, err := st.List()
		if err != nil || len(es) != 1 || es[0].Session == nil {
			t.Fatalf("%d epochs: List %+v %v", n, es, err)
		}
		ls := es[0].Session
		if ls.HistoryLen() != n || ls.Epochs() != n || ls.BestVal() != s.BestVal() || len(ls.History) != 0 {
			t.Errorf("%d epochs: listed %d epochs (last %d), best %q, want %d, best %q", n, ls.HistoryLen(), ls.Epochs(), ls.BestVal(), n, s.BestVal())
		}
		if err := os.WriteFile(hist, whole, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := st.Load(s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !sameHistory(got.History, s.History) || got.BestEpoch != s.BestEpoch {
			t.Fatalf("%d epochs: loaded history differs", n)
		}
	}
}

// TestHistoryAppendsInPlace: a later save appends to history.bin (the same
// file, its earlier bytes untouched) rather than rewriting it.
func TestHistoryAppendsInPlace(t *testing.T) {
	st := openStore(t)
	s := trained(t, st, "append", 1)
	withHistory(t, st, s, 50)
	path := filepath.Join(st.Dir, s.ID, historyFile)
	before, _ := os.ReadFile(path)
	fi1, _ := os.Stat(path)
	s.History = append(s.History, fakeHistory(60, 1)[50:]...)
	if err := st.Save(s); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	fi2, _ := os.Stat(path)
	if !os.SameFile(fi1, fi2) {
		t.Error("history.bin was replaced, not appended to")
	}
	if len(after) != len(historyMagic)+60*historyRecord || string(after[:len(before)]) != string(before) {
		t.Errorf("history.bin: %d bytes, earlier bytes kept %v", len(after), string(after[:min(len(before), len(after))]) == string(before))
	}
}

// TestHistoryCrashLeftovers: what a crash between appending and replacing
// session.json leaves (whole records past the count, a record cut short)
// is ignored on load and overwritten by the next save; earlier epochs are
// never lost.
func TestHistoryCrashLeftovers(t *testing.T) {
	for _, tc := range []struct {
		name  string
		extra []byte
	}{
		{"record cut short", make([]byte, historyRecord/2)},
		{"whole records past the count", encodeRecords(fakeHistory(3, 1))},
		{"records and a cut one", append(encodeRecords(fakeHistory(2, 1)), 1, 2, 3)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			s := trained(t, st, "crash", 1)
			withHistory(t, st, s, 20)
			path := filepath.Join(st.Dir, s.ID, historyFile)
			f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.Write(tc.extra)
			f.Close()
			got, err := st.Load(s.ID)
			if err != nil || !sameHistory(got.History, s.History) {
				t.Fatalf("load after a crash: %v, %d epochs, want the 20 saved", err, len(got.History))
			}
			got.History = append(got.History, fakeHistory(25, 1)[20:]...)
			if err := st.Save(got); err != nil {
				t.Fatal(err)
			}
			if n := fileSize(t, path); n != int64(len(historyMagic)+25*historyRecord) {
				t.Errorf("after the next save history.bin is %d bytes, want 25 records", n)
			}
			again, err := st.Load(s.ID)
			if err != nil || !sameHistory(again.History, got.History) {
				t.Fatalf("reload: %v", err)
			}
		})
	}
}

// TestHistoryDamageIsNamed: a history.bin shorter than session.json says,
// missing, or with epochs out of order makes Load say what is wrong. List
// reports the damage it can see without reading the history (a missing or
// short file, the last epoch), as Load does; damage inside the file shows
// when the session is opened.
func TestHistoryDamageIsNamed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		hurt   func(path string) error
		want   string
		listed bool // List shows it healthy
	}{
		{"missing", os.Remove, "history.bin is missing", false},
		{"short", func(p string) error { return os.Truncate(p, int64(len(historyMagic)+5*historyRecord)) }, "history.bin holds 5 epochs, session.json records 10", false},
		{"out of order", func(p string) error {
			b, _ := os.ReadFile(p)
			copy(b[len(historyMagic)+3*historyRecord:], encodeRecords(fakeHistory(1, 1)))
			return os.WriteFile(p, b, 0o644)
		}, "epoch 1 follows epoch 3", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			s := trained(t, st, "hurt", 1)
			withHistory(t, st, s, 10)
			if err := tc.hurt(filepath.Join(st.Dir, s.ID, historyFile)); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Load(s.ID); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load: %v, want %q", err, tc.want)
			}
			es, err := st.List()
			if err != nil || len(es) != 1 || (es[0].Session != nil) != tc.listed {
				t.Errorf("List: %+v %v, want listed healthy %v", es, err, tc.listed)
			}
			if !tc.listed && !strings.Contains(es[0].Damaged, tc.want) {
				t.Errorf("List says %q, want %q", es[0].Damaged, tc.want)
			}
		})
	}
}

// TestFormat1HistoryLoads: a session written before history.bin (history
// inline in session.json, format 1) loads with its history, and its next
// save moves the history out.
func TestFormat1HistoryLoads(t *testing.T) {
	st := openStore(t)
	s := trained(t, st, "old", 1)
	withHistory(t, st, s, 7)
	dir := filepath.Join(st.Dir, s.ID)
	err := editJSON(dir, func(m map[string]any) {
		m["version"] = 1
		delete(m, "history_log")
		var h []epochJSON
		for _, e := range s.History {
			h = append(h, toEpochJSON(e))
		}
		b, _ := EncodeJSON(h, "")
		var raw any
		json.Unmarshal(b, &raw)
		m["history"] = raw
	})
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, historyFile))
	es, err := st.List()
	if err != nil || es[0].Session == nil || es[0].Session.HistoryLen() != 7 || es[0].Session.BestVal() != s.BestVal() {
		t.Fatalf("format 1 listed: %+v %v", es, err)
	}
	got, err := st.Load(s.ID)
	if err != nil || !sameHistory(got.History, s.History) {
		t.Fatalf("format 1 load: %v", err)
	}
	if err := st.Save(got); err != nil {
		t.Fatal(err)
	}
	if n := fileSize(t, filepath.Join(dir, historyFile)); n != int64(len(historyMagic)+7*historyRecord) {
		t.Errorf("after saving a format 1 session history.bin is %d bytes", n)
	}
	again, err := st.Load(s.ID)
	if err != nil || !sameHistory(again.History, s.History) || again.Version != FormatVersion {
		t.Fatalf("format 1 resaved: %v", err)
	}
}
