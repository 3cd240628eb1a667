//go:build !unix

package sessions

import "sync"

// Without flock, writers are serialised within this process only.
var processLock sync.RWMutex

func flock(path string, exclusive, try bool) (unlock func(), ok bool, err error) {
	switch {
	case exclusive && try:
		if !processLock.TryLock() {
			return nil, false, nil
		}
		return processLock.Unlock, true, nil
	case exclusive:
		processLock.Lock()
		return processLock.Unlock, true, nil
	default:
		processLock.RLock()
		return processLock.RUnlock, true, nil
	}
}

// lockHeld cannot tell without flock; runs are never reported interrupted.
func lockHeld(path string) bool { return true }
