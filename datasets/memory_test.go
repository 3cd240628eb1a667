package datasets

import (
	"bytes"
	"encoding/binary"
	"errors"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// peakHeap runs f and returns how far the heap's objects grew above where
// they were before, sampled every 50µs (runtime/metrics, no stop-the-world).
func peakHeap(f func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	runtime.GC()
	base := read()
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			if v := read(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-time.After(50 * time.Microsecond):
			}
		}
	}()
	f()
	if v := read(); v > peak.Load() {
		peak.Store(v)
	}
	close(done)
	<-stopped
	if peak.Load() < base {
		return 0
	}
	return peak.Load() - base
}

// Each adversarial shape must load (or be refused) allocating no more than a
// bound proportional to its input: the text, twice the float matrix it
// really holds, and fixed buffers.
func TestLoadMemoryIsBoundedByInput(t *testing.T) {
	const fixed = 4 << 20 // bufio, gzip and chunk buffers, error text
	dir := t.TempDir()
	wideHeader := strings.Repeat("c,", 199) + "y\n"

	// Issue 14 item 3: a gzipped IDX header claiming 1000 images of 256×256
	// (65 MB of pixels, 524 MB as floats) with a trailer that agrees, but
	// holding no pixels at all.
	forged := idxImages(1, 1, 1, func(int, int) byte { return 0 })[:16]
	binary.BigEndian.PutUint32(forged[4:], 1000)
	binary.BigEndian.PutUint32(forged[8:], 256)
	binary.BigEndian.PutUint32(forged[12:], 256)
	forgedGz := gz(forged)
	binary.LittleEndian.PutUint32(forgedGz[len(forgedGz)-4:], uint32(16+1000*256*256))
	writeIn(t, dir, "forged-labels-idx1-ubyte", idxLabels(1))

	tests := []struct {
		name     string
		file     string
		content  []byte
		opts     LoadOptions
		input    int   // bytes of input after gunzip
		matrix   int   // bytes of the float matrices a good load holds
		wantKind error // nil = loads
	}{
		{
			// Issue 14 item 1: rows were sized as newlines × header columns.
			name: "wide header then blank lines", file: "wide.csv.gz",
			content: gz([]byte(wideHeader + strings.Repeat("\n", 100_000) + strings.Repeat("1,", 199) + "0\n" + strings.Repeat("1,", 199) + "1\n")),
			input:   100_000 + 3*400, matrix: 2 * 200 * 8, wantKind: nil,
		},
		{
			// Issue 14 item 2: one line of many fields.
			name: "one very long line", file: "long.csv.gz",
			content: gz([]byte(strings.Repeat("1,", 2_000_000) + "1\n")),
			opts:    LoadOptions{MaxMemory: 64 << 20},
			input:   4_000_001, wantKind: ErrTooBig,
		},
		{
			name: "forged gzipped IDX header", file: "forged-images-idx3-ubyte.gz",
			content: forgedGz, opts: LoadOptions{MaxMemory: 32 << 30},
			input: 16, wantKind: errAny, // too short, or its trailer fails the check
		},
		{
			name: "forged IDX header over the budget", file: "forged-images-idx3-ubyte.gz",
			content: forgedGz, opts: LoadOptions{MaxMemory: 64 << 20},
			input: 16, wantKind: ErrTooBig,
		},
		{
			// A gzip bomb of good rows bigger than the budget.
			name: "gzip bomb of rows", file: "bomb.csv.gz",
			content: gz(bytes.Repeat([]byte("1,2,3,4,5,6,7,0\n"), 2_000_000)),
			opts:    LoadOptions{MaxMemory: 8 << 20},
			input:   8 << 20, wantKind: ErrTooBig,
		},
		{
			// Rows that fit the text budget but not as floats.
			name: "rows over the budget as floats", file: "rows.csv",
			content: bytes.Repeat([]byte("1,2,3,4,5,6,7,0\n"), 200_000),
			opts:    LoadOptions{MaxMemory: 16 << 20},
			input:   16 * 200_000, wantKind: ErrTooBig,
		},
		{
			// Issue 20: an identifier's values are held as categories
			// until they are known to differ; they count against the
			// budget like the text.
			name: "identifier of 300,000 values over the budget", file: "ids.csv",
			content: idTable(300_000),
			opts:    LoadOptions{MaxMemory: 16 << 20, Table: &TableOptions{}},
			input:   len(idTable(300_000)), wantKind: ErrTooBig,
		},
		{
			name: "identifier of 100,000 values within the budget", file: "ids-ok.csv",
			content: idTable(100_000),
			opts:    LoadOptions{Table: &TableOptions{}},
			input:   len(idTable(100_000)), matrix: 100_000 * 2 * 8,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeIn(t, dir, tt.file, tt.content)
			var err error
			got := peakHeap(func() { _, err = Load(path, tt.opts) })
			if tt.wantKind == nil && err != nil {
				t.Fatalf("Load: %v", err)
			}
			if tt.wantKind == errAny && err == nil {
				t.Fatal("Load accepted it")
			}
			if tt.wantKind != nil && tt.wantKind != errAny && !errors.Is(err, tt.wantKind) {
				t.Fatalf("Load error = %v, want %v", err, tt.wantKind)
			}
			bound := uint64(fixed + 16*tt.input + 2*tt.matrix)
			if tt.opts.MaxMemory > 0 {
				bound = min(bound, uint64(fixed)+3*uint64(tt.opts.MaxMemory)) // doubling leaves garbage the GC has not swept yet
			}
			if got > bound {
				t.Errorf("peak heap %d bytes for %d bytes of input; want at most %d", got, tt.input, bound)
			}
			t.Logf("%s: peak heap %d bytes (bound %d): %v", tt.name, got, bound, err)
		})
	}
}

var errAny = errors.New("any error")

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"512MiB": 512 << 20, "2GiB": 2 << 30, "1.5G": 3 << 29, "800m": 800 << 20, "65536": 65536, "4 KB": 4096} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "0", "lots", "1e30G"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) accepted", in)
		}
	}
}

// idTable is n rows of a unique text id, a number and a class.
func idTable(n int) []byte {
	var b bytes.Buffer
	b.WriteString("id,v,y\n")
	for i := range n {
		b.WriteString("id" + itoa(i) + ",1.5," + itoa(i%2) + "\n")
	}
	return b.Bytes()
}
