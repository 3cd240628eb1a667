package sessions

import (
	"fmt"
	"io"
	"os"
)

// maxMetaBytes bounds a session.json: years of epochs of history fit in a
// few MiB, so anything past this is damage, not a session.
const maxMetaBytes = 64 << 20

// readBounded reads a regular file of at most limit bytes. A device, a FIFO
// (which would block) or a link to one, and a file over limit, are refused
// before anything is read; the buffer grows with the bytes read, so a file
// that grows meanwhile cannot make it allocate more than limit.
func readBounded(path string, limit int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s)", path, st.Mode().Type())
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s is %d bytes, more than the %d a session file may be", path, st.Size(), limit)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is more than the %d bytes a session file may be", path, limit)
	}
	return b, nil
}
