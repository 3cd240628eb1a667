//go:build !unix

package sessions

import "sync"

// Without flock, locks hold within this process only, one per path.
var (
	locksMu sync.Mutex
	locks   = map[string]*sync.RWMutex{}
)

func lockFor(path string) *sync.RWMutex {
	locksMu.Lock()
	defer locksMu.Unlock()
	l, ok := locks[path]
	if !ok {
		l = new(sync.RWMutex)
		locks[path] = l
	}
	return l
}

func flock(path string, exclusive, try bool) (unlock func(), ok bool, err error) {
	l := lockFor(path)
	switch {
	case exclusive && try:
		if !l.TryLock() {
			return nil, false, nil
		}
		return l.Unlock, true, nil
	case exclusive:
		l.Lock()
		return l.Unlock, true, nil
	default:
		l.RLock()
		return l.RUnlock, true, nil
	}
}

// lockHeld sees only this process's runs: on these systems a run in another
// process is listed as interrupted.
func lockHeld(path string) bool {
	l := lockFor(path)
	if l.TryRLock() {
		l.RUnlock()
		return false
	}
	return true
}
