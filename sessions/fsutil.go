package sessions

import (
	"os"
	"path/filepath"
)

// writeFileAtomic replaces dir/name with data so that a reader, or a crash at
// any moment, sees either the old file or the new one, whole: the data goes
// to a temporary file in the same folder, is flushed to disk, renamed over
// the old name, and the folder itself is flushed so the rename survives a
// power cut.
func writeFileAtomic(dir, name string, data []byte) error {
	return writeFileAtomicMode(dir, name, data, 0o644)
}

// writeFileAtomicMode is writeFileAtomic giving the new file perm.
func writeFileAtomicMode(dir, name string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return err
	}
	ok = true
	return syncDir(dir)
}

// syncDir flushes a folder's entries (new names, renames) to disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
