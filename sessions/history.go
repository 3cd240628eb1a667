package sessions

// history.bin: a session's per-epoch history, one fixed-size record an
// epoch, appended as training runs. session.json stays small (it says how
// many records count, the last epoch and the best one), so listing reads no
// history and a snapshot writes only the epochs since the last one.
//
// Crash safety: records are appended and flushed before session.json (the
// authority on how many count) is replaced, and records before that count
// are never rewritten. A crash loses at most the epochs after the last
// snapshot; records beyond the count, or a record cut short, are ignored
// and overwritten by the next save.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"workbench/engine"
)

const (
	historyFile  = "history.bin"
	historyMagic = "WBHIST1\n"
	// historyRecord is the bytes of one epoch: the epoch number and seven
	// float64 figures, little-endian (NaN kept as is).
	historyRecord = 8 * 8
)

// historyLog is session.json's account of history.bin (format 2).
type historyLog struct {
	Epochs    int        `json:"epochs"`     // records that count, from the start of the file
	LastEpoch int        `json:"last_epoch"` // the epoch number of the last of them
	Best      *epochJSON `json:"best,omitempty"`
	// Seconds is the time spent in those epochs, so a listing shows a
	// run's duration and speed without reading history.bin (0 in files
	// written before it was recorded).
	Seconds float64 `json:"seconds,omitempty"`
}

func (l *historyLog) best() *engine.EpochStats {
	if l == nil || l.Best == nil {
		return nil
	}
	e := l.Best.stats()
	return &e
}

func (e epochJSON) stats() engine.EpochStats {
	return engine.EpochStats{Epoch: e.Epoch, Loss: float64(e.Loss), Accuracy: float64(e.Accuracy),
		ValLoss: float64(e.ValLoss), ValAccuracy: float64(e.ValAccuracy), LearningRate: float64(e.LearningRate),
		Seconds: float64(e.Seconds), SamplesPerSec: float64(e.SamplesPerSec)}
}

func toEpochJSON(e engine.EpochStats) epochJSON {
	return epochJSON{e.Epoch, JSONFloat(e.Loss), JSONFloat(e.Accuracy), JSONFloat(e.ValLoss),
		JSONFloat(e.ValAccuracy), JSONFloat(e.LearningRate), JSONFloat(e.Seconds), JSONFloat(e.SamplesPerSec)}
}

// logOf is what session.json says of s's history.
func logOf(s *Session) *historyLog {
	if s.disk != nil {
		return s.disk
	}
	l := &historyLog{Epochs: len(s.History), LastEpoch: s.Epochs()}
	for _, e := range s.History {
		if e.Seconds > 0 && !math.IsInf(e.Seconds, 0) {
			l.Seconds += e.Seconds
		}
	}
	// Milliseconds are plenty, and keep session.json's size steady.
	l.Seconds = math.Round(l.Seconds*1000) / 1000
	if b, ok := s.Best(); ok {
		j := toEpochJSON(b)
		l.Best = &j
	}
	return l
}

func putRecord(b []byte, e engine.EpochStats) {
	binary.LittleEndian.PutUint64(b, uint64(e.Epoch))
	for i, v := range [...]float64{e.Loss, e.Accuracy, e.ValLoss, e.ValAccuracy, e.LearningRate, e.Seconds, e.SamplesPerSec} {
		binary.LittleEndian.PutUint64(b[8+8*i:], math.Float64bits(v))
	}
}

func getRecord(b []byte) engine.EpochStats {
	f := func(i int) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b[8+8*i:])) }
	return engine.EpochStats{Epoch: int(int64(binary.LittleEndian.Uint64(b))), Loss: f(0), Accuracy: f(1),
		ValLoss: f(2), ValAccuracy: f(3), LearningRate: f(4), Seconds: f(5), SamplesPerSec: f(6)}
}

func encodeRecords(h []engine.EpochStats) []byte {
	b := make([]byte, len(h)*historyRecord)
	for i, e := range h {
		putRecord(b[i*historyRecord:], e)
	}
	return b
}

// writeHistory brings dir's history.bin to s.History: it keeps the first
// min(s.histSaved, len(History)) records, which are already on disk, and
// appends the rest, flushed. A file missing or not ours is written whole.
// The caller holds the store lock and writes session.json afterwards.
func writeHistory(dir string, s *Session) error {
	if s.disk != nil {
		return nil // read without its history (List, Rename): nothing changed
	}
	keep := min(s.histSaved, len(s.History))
	path := filepath.Join(dir, historyFile)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err == nil {
		err = appendHistory(f, s.History[:keep], s.History[keep:])
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		whole := append([]byte(historyMagic), encodeRecords(s.History)...)
		if err := writeFileAtomic(dir, historyFile, whole); err != nil {
			return fmt.Errorf("writing %s: %w", historyFile, err)
		}
	}
	s.histSaved = len(s.History)
	return nil
}

// appendHistory cuts f after the records of kept and appends add. It
// fails, leaving the whole-file write to the caller, when f does not hold
// kept.
func appendHistory(f *os.File, kept, add []engine.EpochStats) error {
	keep := len(kept)
	magic := make([]byte, len(historyMagic))
	if _, err := io.ReadFull(f, magic); err != nil || string(magic) != historyMagic {
		return errors.New("not a history file")
	}
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	end := int64(len(historyMagic)) + int64(keep)*historyRecord
	if fi.Size() < end {
		return errors.New("history file shorter than recorded")
	}
	// A history replaced rather than extended (a caller that rewrote
	// earlier epochs) shows in its first or last kept record; the cheap
	// check sends it to the whole-file write.
	if keep > 0 {
		for _, i := range []int{0, keep - 1} {
			rec := make([]byte, historyRecord)
			if _, err := f.ReadAt(rec, int64(len(historyMagic))+int64(i)*historyRecord); err != nil {
				return err
			}
			if !bytes.Equal(rec, encodeRecords(kept[i:i+1])) {
				return errors.New("history rewritten")
			}
		}
	}
	if err := f.Truncate(end); err != nil {
		return err
	}
	if len(add) > 0 {
		if _, err := f.WriteAt(encodeRecords(add), end); err != nil {
			return err
		}
	}
	return f.Sync()
}

// readHistory reads the first l.Epochs records of dir's history.bin. The
// count is session.json's claim: what is allocated follows the file's size,
// and a file that holds fewer records, or epochs out of order, is damage.
func readHistory(dir string, l *historyLog) ([]engine.EpochStats, error) {
	if l.Epochs < 0 {
		return nil, fmt.Errorf("%s claims %d epochs of history", metaFile, l.Epochs)
	}
	if l.Epochs == 0 {
		return nil, nil
	}
	f, err := os.Open(filepath.Join(dir, historyFile))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s is missing (%s records %d epochs)", historyFile, metaFile, l.Epochs)
		}
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	have := (fi.Size() - int64(len(historyMagic))) / historyRecord
	if have < int64(l.Epochs) {
		return nil, fmt.Errorf("%s holds %d epochs, %s records %d", historyFile, max(have, 0), metaFile, l.Epochs)
	}
	buf := make([]byte, len(historyMagic)+l.Epochs*historyRecord)
	if _, err := io.ReadFull(f, buf); err != nil {
		return nil, fmt.Errorf("reading %s: %w", historyFile, err)
	}
	if !bytes.Equal(buf[:len(historyMagic)], []byte(historyMagic)) {
		return nil, fmt.Errorf("%s is not a workbench history file", historyFile)
	}
	out := make([]engine.EpochStats, l.Epochs)
	prev := 0
	for i := range out {
		out[i] = getRecord(buf[len(historyMagic)+i*historyRecord:])
		if out[i].Epoch <= prev {
			return nil, fmt.Errorf("%s is damaged: epoch %d follows epoch %d", historyFile, out[i].Epoch, prev)
		}
		prev = out[i].Epoch
	}
	if out[len(out)-1].Epoch != l.LastEpoch {
		return nil, fmt.Errorf("%s ends at epoch %d, %s says %d", historyFile, prev, metaFile, l.LastEpoch)
	}
	return out, nil
}

// History reads the per-epoch history of session id, for a caller that has
// it from List (which reads none).
func (st *Store) History(id string) ([]engine.EpochStats, error) {
	s, unlock, err := st.readStored(id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := st.loadHistory(s); err != nil {
		return nil, err
	}
	return s.History, nil
}

// checkHistoryLog runs the checks of readHistory that need only the file's
// size, its magic and the last record session.json counts. readValid runs it,
// so List, which reads no history, refuses what Load would refuse for
// anything session.json claims about history.bin (FuzzSessionJSON found a
// last_epoch that listed healthy and failed to load).
func checkHistoryLog(dir string, l *historyLog) error {
	if l.Epochs < 0 {
		return fmt.Errorf("%s claims %d epochs of history", metaFile, l.Epochs)
	}
	if l.Epochs == 0 {
		return nil
	}
	f, err := os.Open(filepath.Join(dir, historyFile))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%s is missing (%s records %d epochs)", historyFile, metaFile, l.Epochs)
		}
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	have := (fi.Size() - int64(len(historyMagic))) / historyRecord
	if have < int64(l.Epochs) {
		return fmt.Errorf("%s holds %d epochs, %s records %d", historyFile, max(have, 0), metaFile, l.Epochs)
	}
	magic := make([]byte, len(historyMagic))
	if _, err := f.ReadAt(magic, 0); err != nil || !bytes.Equal(magic, []byte(historyMagic)) {
		return fmt.Errorf("%s is not a workbench history file", historyFile)
	}
	rec := make([]byte, historyRecord)
	if _, err := f.ReadAt(rec, int64(len(historyMagic))+int64(l.Epochs-1)*historyRecord); err != nil {
		return fmt.Errorf("reading %s: %w", historyFile, err)
	}
	if last := getRecord(rec).Epoch; last != l.LastEpoch {
		return fmt.Errorf("%s ends at epoch %d, %s says %d", historyFile, last, metaFile, l.LastEpoch)
	}
	return nil
}

// loadHistory fills History of s, read by readMeta, from history.bin (a
// format-1 session already has it inline).
func (st *Store) loadHistory(s *Session) error {
	if s.disk == nil {
		return nil
	}
	h, err := readHistory(filepath.Join(st.Dir, s.ID), s.disk)
	if err != nil {
		return fmt.Errorf("session %s is damaged: %w", s.ID, err)
	}
	s.History, s.histSaved, s.disk = h, len(h), nil
	return nil
}
