package sessions

// The store's folder: opening it, sweeping what interrupted writers left,
// the cross-process lock, and saving, loading and listing whole sessions.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

const (
	metaFile    = "session.json"
	weightsFile = "model.safetensors"
	lockFile    = ".lock"
	runFile     = ".running" // in a session folder, locked while it trains
	idTime      = "20060102-150405"
)

// ErrNotFound is wrapped by errors for a session that does not exist.
var ErrNotFound = errors.New("no such session")

// errDeleted is returned by Save for a session removed since it was saved.
var errDeleted = errors.New("was deleted meanwhile; not saving it again")

// Open opens (creating if needed) the store under home.
func Open(home string) (*Store, error) {
	if home == "" {
		return nil, errors.New("no home directory given")
	}
	st := &Store{Dir: filepath.Join(home, "sessions")}
	if err := os.MkdirAll(st.Dir, 0o755); err != nil {
		// A store others wrote may still be readable.
		if fi, serr := os.Stat(st.Dir); serr != nil || !fi.IsDir() {
			return nil, fmt.Errorf("cannot create the sessions folder: %w", err)
		}
	}
	st.sweep()
	return st, nil
}

// sweep removes what interrupted writers left behind: staging folders and
// temporary files exist only while a writer holds the lock, and tombstones
// are sessions already deleted. It runs only if no writer is active.
func (st *Store) sweep() {
	unlock, ok, err := flock(filepath.Join(st.Dir, lockFile), true, true)
	if err != nil || !ok {
		return
	}
	defer unlock()
	des, err := os.ReadDir(st.Dir)
	if err != nil {
		return
	}
	for _, d := range des {
		name := d.Name()
		switch {
		case strings.HasPrefix(name, ".tmp-"), strings.HasPrefix(name, ".trash-"):
			os.RemoveAll(filepath.Join(st.Dir, name))
		case d.IsDir() && !strings.HasPrefix(name, "."):
			removeTemps(filepath.Join(st.Dir, name))
		}
	}
}

// removeTemps deletes the temporary files writeFileAtomic leaves when killed.
func removeTemps(dir string) {
	tmps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	for _, t := range tmps {
		os.Remove(t)
	}
}

func (st *Store) lock() (func(), error) {
	unlock, _, err := flock(filepath.Join(st.Dir, lockFile), true, false)
	if err != nil {
		return nil, fmt.Errorf("locking the sessions folder: %w", err)
	}
	return unlock, nil
}

func (st *Store) rlock() (func(), error) {
	unlock, _, err := flock(filepath.Join(st.Dir, lockFile), false, false)
	if err != nil {
		return nil, fmt.Errorf("locking the sessions folder: %w", err)
	}
	return unlock, nil
}

func (st *Store) exists(id string) bool {
	fi, err := os.Lstat(filepath.Join(st.Dir, id)) // a link is not a session folder
	return err == nil && fi.IsDir()
}

// Save writes s atomically (temporary file, fsync, rename), assigning an ID
// if it has none.
//
// The weights are written before session.json, and a new session is built
// in a hidden staging folder renamed into place whole, so readers and
// crashes only ever see complete sessions. A session another process renamed
// meanwhile keeps its new name; one deleted meanwhile is not brought back;
// one written by a newer workbench is never overwritten.
func (st *Store) Save(s *Session) error {
	if s.Model == nil {
		return errors.New("cannot save a session without a model")
	}
	if s.ID != "" {
		if err := checkID(s.ID); err != nil {
			return err
		}
	}
	unlock, err := st.lock()
	if err != nil {
		return err
	}
	defer unlock()

	now := time.Now().UTC()
	s.Version = FormatVersion
	if s.Created.IsZero() {
		s.Created = now
	}
	s.Updated = now
	weights, err := encodeWeights(s)
	if err != nil {
		return err
	}

	if s.ID == "" {
		if s.autoName != "" && s.Name == s.autoName {
			s.Name = st.uniqueName(s.Name)
		}
		id := st.uniqueID(newID(s.Created, s.Name, s.Data.Ref))
		s.ID = id
		if err := st.create(id, s, weights); err != nil {
			s.ID = ""
			return err
		}
	} else if st.exists(s.ID) {
		dir := filepath.Join(st.Dir, s.ID)
		if b, err := readBounded(filepath.Join(dir, metaFile), maxMetaBytes); err == nil {
			var old Session
			if v, err := peekVersion(b); err == nil && v > FormatVersion {
				return fmt.Errorf("session %s: %w; not overwriting it", s.ID, &FormatError{v})
			} else if err == nil && json.Unmarshal(b, &old) == nil &&
				s.storedName != "" && old.Name != s.storedName && s.Name == s.storedName {
				s.Name = old.Name // renamed by someone else since we last wrote
			}
		}
		meta, err := encodeMeta(s)
		if err != nil {
			return err
		}
		removeTemps(dir)
		if err := writeHistory(dir, s); err != nil {
			return fmt.Errorf("saving session %s: %w", s.ID, err)
		}
		if err := writeFileAtomic(dir, weightsFile, weights); err != nil {
			return fmt.Errorf("saving session %s: %w", s.ID, err)
		}
		if err := writeFileAtomic(dir, metaFile, meta); err != nil {
			return fmt.Errorf("saving session %s: %w", s.ID, err)
		}
	} else {
		if s.stored {
			return fmt.Errorf("session %s %w", s.ID, errDeleted)
		}
		if err := st.create(s.ID, s, weights); err != nil {
			return err
		}
	}
	s.stored = true
	s.storedName = s.Name
	return nil
}

// create writes a new session into a staging folder and renames it into
// place, so the session appears whole or not at all. The caller holds the
// lock and has checked that id is free.
func (st *Store) create(id string, s *Session, weights []byte) error {
	meta, err := encodeMeta(s)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(st.Dir, ".tmp-"+id+"-")
	if err != nil {
		return fmt.Errorf("saving session %s: %w", id, err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	s.histSaved = 0
	if err := writeHistory(tmp, s); err != nil {
		return fmt.Errorf("saving session %s: %w", id, err)
	}
	if err := writeFileAtomic(tmp, weightsFile, weights); err != nil {
		return fmt.Errorf("saving session %s: %w", id, err)
	}
	if err := writeFileAtomic(tmp, metaFile, meta); err != nil {
		return fmt.Errorf("saving session %s: %w", id, err)
	}
	if err := os.Rename(tmp, filepath.Join(st.Dir, id)); err != nil {
		return fmt.Errorf("saving session %s: %w", id, err)
	}
	ok = true
	return syncDir(st.Dir)
}

// showLiveStatus marks a session stored as running whose training process
// is gone as Interrupted (for List and Load; never written back by Rename).
func (st *Store) showLiveStatus(s *Session) {
	if s.Status == Running && !lockHeld(filepath.Join(st.Dir, s.ID, runFile)) {
		s.Status = Interrupted
	}
}

// readStored reads session id's session.json under the read lock, which
// the caller releases with unlock when it is done with the folder.
func (st *Store) readStored(id string) (s *Session, unlock func(), err error) {
	if err := checkID(id); err != nil {
		return nil, nil, err
	}
	unlock, err = st.rlock()
	if err != nil {
		return nil, nil, err
	}
	if !st.exists(id) {
		unlock()
		return nil, nil, fmt.Errorf("session %q: %w", id, ErrNotFound)
	}
	s, err = st.readMeta(id)
	if err != nil {
		unlock()
		var fe *FormatError
		if errors.As(err, &fe) {
			return nil, nil, fmt.Errorf("session %s was %w", id, err)
		}
		return nil, nil, fmt.Errorf("session %s is damaged: %w", id, err)
	}
	return s, unlock, nil
}

// Load reads a session with its model and its history, checked as List
// checks it (readValid).
func (st *Store) Load(id string) (*Session, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	unlock, err := st.rlock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	if !st.exists(id) && !st.linked(id) {
		return nil, fmt.Errorf("session %q: %w", id, ErrNotFound)
	}
	s, err := st.readValid(id)
	if err != nil {
		var fe *FormatError
		if errors.As(err, &fe) {
			return nil, fmt.Errorf("session %s was %w", id, err)
		}
		return nil, fmt.Errorf("session %s is damaged: %w", id, err)
	}
	if err := st.loadHistory(s); err != nil {
		return nil, err
	}
	st.showLiveStatus(s)
	s.stored = true
	s.storedName = s.Name
	return s, nil
}

// List returns every session, newest first; damaged ones are listed, never
// hidden.
func (st *Store) List() ([]Entry, error) {
	des, err := os.ReadDir(st.Dir)
	if err != nil {
		return nil, fmt.Errorf("listing sessions: %w", err)
	}
	var out []Entry
	for _, d := range des {
		id := d.Name()
		if strings.HasPrefix(id, ".") || !d.IsDir() && d.Type()&fs.ModeSymlink == 0 {
			continue
		}
		e := Entry{ID: id}
		// The same validation as Load: listed healthy exactly when it loads.
		s, err := st.readValid(id)
		if err == nil {
			st.showLiveStatus(s)
			e.at = s.Created
			s.params = s.Model.ParamCount()
			s.Model = nil // a listing does not hold every model
		} else if m, merr := st.readMeta(id); merr == nil && !st.linked(id) {
			// Damaged weights still leave the exact creation time, so such
			// a session sorts where it belongs (its id has only seconds).
			e.at = m.Created
		}
		if err != nil {
			if !st.exists(id) && !st.linked(id) {
				continue // deleted while we listed
			}
			e.Damaged = err.Error()
		} else {
			e.Session = s
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b Entry) int {
		if c := b.created().Compare(a.created()); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out, nil
}
