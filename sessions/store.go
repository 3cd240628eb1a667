package sessions

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"workbench/engine"
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

// FormatError is the reason a session written by a newer workbench is
// refused: this build cannot read it, and must not overwrite it.
type FormatError struct {
	Version int
}

func (e *FormatError) Error() string {
	if e.Version < 1 {
		return fmt.Sprintf("unknown format version %d; this workbench reads %d", e.Version, FormatVersion)
	}
	return fmt.Sprintf("written by a newer workbench (format %d); this one reads %d", e.Version, FormatVersion)
}

// HomeDir resolves the home directory: flag, else $WORKBENCH_HOME, else
// $XDG_DATA_HOME/workbench, else ~/.local/share/workbench.
func HomeDir(flag string) (string, error) {
	if flag != "" {
		return expandHome(flag)
	}
	if env := os.Getenv("WORKBENCH_HOME"); env != "" {
		return expandHome(env)
	}
	// The XDG spec says a relative $XDG_DATA_HOME is invalid and ignored.
	if xdg := os.Getenv("XDG_DATA_HOME"); xdg != "" && filepath.IsAbs(xdg) {
		return filepath.Join(xdg, "workbench"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find a home directory (%v); pass --home DIR or set WORKBENCH_HOME", err)
	}
	return filepath.Join(home, ".local", "share", "workbench"), nil
}

// expandHome turns a leading "~/" into the user's home (a shell does not in
// --home=~/x) and makes the path absolute so messages show where data went.
func expandHome(p string) (string, error) {
	if p == "~" || strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		p = filepath.Join(home, p[1:])
	}
	return filepath.Abs(p)
}

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

// checkID refuses ids that are not a plain folder name of this store.
func checkID(id string) error {
	if id == "" || id == "." || id == ".." || strings.HasPrefix(id, ".") ||
		strings.ContainsAny(id, `/\`+"\x00") || len(id) > 200 {
		return fmt.Errorf("%q is not a session id", id)
	}
	return nil
}

func (st *Store) exists(id string) bool {
	fi, err := os.Stat(filepath.Join(st.Dir, id))
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
		id := st.uniqueID(newID(s.Created, s.Name, s.Data.Ref))
		s.ID = id
		if err := st.create(id, s, weights); err != nil {
			s.ID = ""
			return err
		}
	} else if st.exists(s.ID) {
		dir := filepath.Join(st.Dir, s.ID)
		if b, err := os.ReadFile(filepath.Join(dir, metaFile)); err == nil {
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

func encodeMeta(s *Session) ([]byte, error) {
	b, err := marshal(s, "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding session %s: %w", s.ID, err)
	}
	return append(b, '\n'), nil
}

// encodeWeights serialises the model in memory first, so a failure never
// leaves a half-written file behind. The metadata makes the weights file
// self-describing when it is copied out of the store.
func encodeWeights(s *Session) ([]byte, error) {
	meta := map[string]string{"session.task": string(s.Data.Task)}
	for k, v := range map[string]any{
		"session.features": s.Data.Features,
		"session.classes":  s.Data.Classes,
		"session.targets":  s.Data.Targets,
		"session.scaler":   s.Scaler,
	} {
		if b, err := json.Marshal(v); err == nil && string(b) != "null" {
			meta[k] = string(b)
		}
	}
	var buf bytes.Buffer
	if err := s.Model.WriteSafetensors(&buf, meta); err != nil {
		return nil, fmt.Errorf("encoding the weights of session %s: %w", s.ID, err)
	}
	return buf.Bytes(), nil
}

// newID makes an id that sorts by creation time and reads well:
// 20261130-154233-iris (UTC, so ids from several machines sort together).
func newID(created time.Time, name, ref string) string {
	slug := slugify(name)
	if slug == "" {
		slug = slugify(refBase(ref))
	}
	if slug == "" {
		slug = "session"
	}
	return created.UTC().Format(idTime) + "-" + slug
}

// uniqueID adds -2, -3, ... when two sessions of one name start in the same
// second. The caller holds the lock, so no other writer can take the id.
func (st *Store) uniqueID(base string) string {
	id := base
	for n := 2; pathTaken(filepath.Join(st.Dir, id)); n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	return id
}

func pathTaken(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 32 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

// refBase is the readable part of a dataset reference: "spiral" for
// "spiral?n=600", "data" for "./path/data.csv".
func refBase(ref string) string {
	if i := strings.IndexByte(ref, '?'); i >= 0 {
		ref = ref[:i]
	}
	base := filepath.Base(ref)
	for _, ext := range []string{".gz", ".csv", ".tsv", ".txt"} {
		base = strings.TrimSuffix(base, ext)
	}
	return base
}

// peekVersion reads only the format version, so a newer file is refused
// with its own message before its fields are interpreted.
func peekVersion(b []byte) (int, error) {
	var v struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return 0, fmt.Errorf("%s is not valid JSON: %v", metaFile, err)
	}
	if v.Version == nil {
		return 0, fmt.Errorf("%s has no format version", metaFile)
	}
	return *v.Version, nil
}

// readMeta reads and checks a session's session.json (not its weights).
func (st *Store) readMeta(id string) (*Session, error) {
	b, err := os.ReadFile(filepath.Join(st.Dir, id, metaFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s is missing", metaFile)
	}
	if err != nil {
		return nil, err
	}
	v, err := peekVersion(b)
	if err != nil {
		return nil, err
	}
	if v != FormatVersion {
		return nil, &FormatError{v}
	}
	s := new(Session)
	if err := json.Unmarshal(b, s); err != nil {
		return nil, fmt.Errorf("%s: %v", metaFile, err)
	}
	switch {
	case len(s.Data.Features) == 0:
		return nil, fmt.Errorf("%s lists no features", metaFile)
	case s.Scaler == nil || len(s.Scaler.Mean) != len(s.Data.Features) || len(s.Scaler.Std) != len(s.Data.Features):
		return nil, fmt.Errorf("%s: the scaler does not match the %d features", metaFile, len(s.Data.Features))
	}
	s.ID = id
	s.Model = nil
	return s, nil
}

// showLiveStatus marks a session stored as running whose training process
// is gone as Interrupted (for List and Load; never written back by Rename).
func (st *Store) showLiveStatus(s *Session) {
	if s.Status == Running && !lockHeld(filepath.Join(st.Dir, s.ID, runFile)) {
		s.Status = Interrupted
	}
}

// checkWeights is List's cheap test of the weights file: present, with a
// safetensors header whose tensors end exactly where the file ends. It
// catches missing and truncated files without reading every weight; Load
// reads them all.
func checkWeights(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s is missing", weightsFile)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	size := fi.Size()
	h, err := engine.ReadSafetensorsHeader(f)
	if err != nil {
		return fmt.Errorf("%s (%d bytes): %v", weightsFile, size, err)
	}
	if want := 8 + h.Size + h.DataSize(); want != size {
		return fmt.Errorf("%s is truncated or corrupt: %d bytes, its header says %d", weightsFile, size, want)
	}
	return nil
}

// Load reads a session with its model.
func (st *Store) Load(id string) (*Session, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	unlock, err := st.rlock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	if !st.exists(id) {
		return nil, fmt.Errorf("session %q: %w", id, ErrNotFound)
	}
	s, err := st.readMeta(id)
	if err != nil {
		var fe *FormatError
		if errors.As(err, &fe) {
			return nil, fmt.Errorf("session %s was %w", id, err)
		}
		return nil, fmt.Errorf("session %s is damaged: %w", id, err)
	}
	f, err := os.Open(filepath.Join(st.Dir, id, weightsFile))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("session %s is damaged: %s is missing", id, weightsFile)
		}
		return nil, err
	}
	defer f.Close()
	m, _, err := engine.ReadSafetensors(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("session %s is damaged: %s: %w", id, weightsFile, err)
	}
	cfg := m.Config()
	if cfg.Inputs != len(s.Data.Features) {
		return nil, fmt.Errorf("session %s is damaged: the model takes %d inputs, the session lists %d features", id, cfg.Inputs, len(s.Data.Features))
	}
	if s.IsClassification() && len(s.Data.Classes) > 0 && cfg.Outputs != len(s.Data.Classes) {
		return nil, fmt.Errorf("session %s is damaged: the model has %d outputs, the session lists %d classes", id, cfg.Outputs, len(s.Data.Classes))
	}
	st.showLiveStatus(s)
	s.Model = m
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
		if strings.HasPrefix(id, ".") || !d.IsDir() {
			continue
		}
		e := Entry{ID: id}
		s, err := st.readMeta(id)
		if err == nil {
			st.showLiveStatus(s)
			// Damaged weights still leave the exact creation time, so such
			// a session sorts where it belongs (its id has only seconds).
			e.at = s.Created
			err = checkWeights(filepath.Join(st.Dir, id, weightsFile))
		}
		if err != nil {
			if !st.exists(id) {
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

// created is when the session began: from session.json, else from its id.
func (e Entry) created() time.Time {
	if e.Session != nil && !e.Session.Created.IsZero() {
		return e.Session.Created
	}
	if !e.at.IsZero() {
		return e.at
	}
	if len(e.ID) >= len(idTime) {
		if t, err := time.Parse(idTime, e.ID[:len(idTime)]); err == nil {
			return t
		}
	}
	return time.Time{}
}

// Resolve finds a session by id, unique id prefix, name (newest of that
// name) or "latest".
//
// An exact id wins (even for a damaged session, so it can be removed), then
// "latest", then a name, then a unique prefix of an id; an ambiguous prefix
// is an error listing the candidates.
//
// "latest" is the newest session even when it is damaged: Load then says
// why, where skipping it would silently pick an older session (or claim
// there are none) and hide the damage from 'sessions show latest'.
func (st *Store) Resolve(query string) (string, error) {
	q := strings.TrimSpace(query)
	if q == "" {
		return "", errors.New("no session given; pass an id, a unique id prefix, a name or latest")
	}
	if checkID(q) == nil && st.exists(q) {
		return q, nil
	}
	entries, err := st.List()
	if err != nil {
		return "", err
	}
	if q == "latest" {
		if len(entries) > 0 { // newest first
			return entries[0].ID, nil
		}
		return "", fmt.Errorf("no sessions yet in %s; train one with 'workbench train --data iris': %w", st.Dir, ErrNotFound)
	}
	for _, e := range entries { // newest first
		if e.Session != nil && e.Session.Name == q {
			return e.ID, nil
		}
	}
	var matches []string
	for _, e := range entries {
		if strings.HasPrefix(e.ID, q) {
			matches = append(matches, e.ID)
		}
	}
	switch len(matches) {
	case 0:
		return "", fmt.Errorf("no session matches %q (see 'workbench sessions'): %w", q, ErrNotFound)
	case 1:
		return matches[0], nil
	}
	shown := matches
	more := ""
	if len(shown) > 8 {
		more = fmt.Sprintf(" and %d more", len(shown)-8)
		shown = shown[:8]
	}
	return "", fmt.Errorf("%q matches %d sessions: %s%s; give more of the id", q, len(matches), strings.Join(shown, ", "), more)
}

// Rename changes a session's display name.
func (st *Store) Rename(id, name string) error {
	name = strings.TrimSpace(name)
	if err := checkName(name); err != nil {
		return err
	}
	if err := checkID(id); err != nil {
		return err
	}
	unlock, err := st.lock()
	if err != nil {
		return err
	}
	defer unlock()
	if !st.exists(id) {
		return fmt.Errorf("session %q: %w", id, ErrNotFound)
	}
	s, err := st.readMeta(id)
	if err != nil {
		return fmt.Errorf("cannot rename session %s: %w", id, err)
	}
	s.Name = name
	meta, err := encodeMeta(s)
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(st.Dir, id), metaFile, meta)
}

func checkName(name string) error {
	switch {
	case name == "":
		return errors.New("a session name cannot be empty")
	case len(name) > 100:
		return fmt.Errorf("a session name has at most 100 bytes, got %d", len(name))
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("a session name cannot hold control characters: %q", name)
	}
	return nil
}

// Delete removes a session.
//
// The folder is first renamed to a hidden tombstone, atomically, so no
// reader ever sees half a session; the files are removed after.
func (st *Store) Delete(id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	unlock, err := st.lock()
	if err != nil {
		return err
	}
	if !st.exists(id) {
		unlock()
		return fmt.Errorf("session %q: %w", id, ErrNotFound)
	}
	tomb := filepath.Join(st.Dir, ".trash-"+id+"-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	if err := os.Rename(filepath.Join(st.Dir, id), tomb); err != nil {
		unlock()
		return fmt.Errorf("removing session %s: %w", id, err)
	}
	err = syncDir(st.Dir)
	unlock()
	if rerr := os.RemoveAll(tomb); err == nil {
		err = rerr
	}
	return err
}
