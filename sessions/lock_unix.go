//go:build unix

package sessions

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// flock takes an advisory lock on path. Locks taken through separate opens
// exclude each other within one process too, so goroutines and processes
// are serialised alike. With try, it gives up at once (ok false) if the lock
// is held.
func flock(path string, exclusive, try bool) (unlock func(), ok bool, err error) {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o644)
	if err != nil {
		// A store we may read but not write (another user's, read-only
		// media) has no lock file to create: read it unlocked.
		if !exclusive && (errors.Is(err, os.ErrPermission) || errors.Is(err, unix.EROFS)) {
			return func() {}, true, nil
		}
		return nil, false, err
	}
	how := unix.LOCK_SH
	if exclusive {
		how = unix.LOCK_EX
	}
	if try {
		how |= unix.LOCK_NB
	}
	for {
		err = unix.Flock(int(f.Fd()), how)
		if !errors.Is(err, unix.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if try && errors.Is(err, unix.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, err
	}
	return func() {
		unix.Flock(int(f.Fd()), unix.LOCK_UN)
		f.Close()
	}, true, nil
}

// lockHeld reports whether some process holds an exclusive lock on path. A
// missing file is not held; the probe never creates one.
func lockHeld(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_SH|unix.LOCK_NB)
		if !errors.Is(err, unix.EINTR) {
			break
		}
	}
	if err != nil {
		return errors.Is(err, unix.EWOULDBLOCK)
	}
	unix.Flock(int(f.Fd()), unix.LOCK_UN)
	return false
}
