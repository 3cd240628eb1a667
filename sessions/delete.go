package sessions

// Deleting a session through a tombstone, so no reader sees half of one.

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

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
	if !st.exists(id) && !st.linked(id) { // a linked folder: only the link goes
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
