package datasets

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// maxFileBytes bounds what a user file may expand to in memory (after
// gunzip): a corrupt or hostile file fails instead of exhausting memory.
const maxFileBytes = 2 << 30

var gzipMagic = []byte{0x1f, 0x8b}

// dataFile is an open user file whose content is gunzipped on the fly when
// it starts with the gzip magic (whatever its name says).
type dataFile struct {
	path string
	f    *os.File
	r    *bufio.Reader // the content, decompressed
	size int64         // bytes on disk
	gz   bool
}

func openData(path string) (*dataFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dataset file: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("dataset file: %w", err)
	}
	if st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("dataset file %s is a directory; give a CSV file or an IDX images file", path)
	}
	if st.Size() > maxFileBytes {
		f.Close()
		return nil, fmt.Errorf("dataset file %s is %d bytes; the limit is %d", path, st.Size(), maxFileBytes)
	}
	df := &dataFile{path: path, f: f, size: st.Size()}
	br := bufio.NewReaderSize(f, 1<<16)
	if head, _ := br.Peek(2); !bytes.Equal(head, gzipMagic) {
		df.r = br
		return df, nil
	}
	df.gz = true
	zr, err := gzip.NewReader(br)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("dataset file %s: bad gzip data: %w", path, err)
	}
	df.r = bufio.NewReaderSize(zr, 1<<16)
	return df, nil
}

func (df *dataFile) Close() { df.f.Close() }

// gzipErr names a failure of the decompressor as bad gzip data.
func (df *dataFile) readErr(err error) error {
	if df.gz {
		return fmt.Errorf("dataset file %s: bad gzip data: %w", df.path, err)
	}
	return fmt.Errorf("dataset file %s: %w", df.path, err)
}

// readAll reads the rest of the content, refusing more than the budget
// (and maxFileBytes): a gzip bomb or a corrupt file fails instead of
// exhausting memory. The buffer grows with the bytes read; neither the
// gzip trailer nor any header sizes it.
func (df *dataFile) readAll(b budget) ([]byte, error) {
	limit := min(int64(maxFileBytes), b.limit)
	// Start from the bytes on disk for a plain file (they are there), else
	// small; double with what arrives, never past limit+1.
	start := int64(1 << 16)
	if !df.gz && df.size > 0 {
		start = min(df.size+1, limit+1)
	}
	buf := make([]byte, 0, start)
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) > limit {
				if limit < maxFileBytes {
					return nil, b.check(int64(len(buf)), "its content (after gunzip)")
				}
				return nil, fmt.Errorf("dataset file %s expands to more than %d bytes", df.path, maxFileBytes)
			}
			grown := make([]byte, len(buf), min(2*int64(cap(buf)), limit+1))
			copy(grown, buf)
			buf = grown
		}
		m, err := df.r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, df.readErr(err)
		}
	}
}

// readFile reads a whole file, gunzipped if need be, within the budget.
func readFile(path string, b budget) ([]byte, error) {
	if b.gate != nil {
		if err := b.gate.Allow(path); err != nil {
			return nil, err
		}
	}
	df, err := openData(path)
	if err != nil {
		return nil, err
	}
	defer df.Close()
	b.file = path
	return df.readAll(b)
}

// loadFile loads a CSV or IDX file, told apart by content: IDX files start
// with two zero bytes, which no text file does.
func loadFile(path string, opts LoadOptions) (*Dataset, error) {
	if opts.Gate != nil {
		if err := opts.Gate.Allow(path); err != nil {
			return nil, err
		}
	}
	df, err := openData(path)
	if err != nil {
		return nil, err
	}
	defer df.Close()
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	var d *Dataset
	if head, _ := df.r.Peek(4); len(head) == 4 && head[0] == 0 && head[1] == 0 {
		if opts.Task == Regression {
			return nil, fmt.Errorf("%s: IDX labels are classes; regression is not possible", path)
		}
		if opts.Target != "" {
			return nil, fmt.Errorf("%s: a target column applies to CSV files only; IDX labels come from the labels file", path)
		}
		var classNames []string
		if filepath.Dir(abs) == filepath.Clean(fashionDir) {
			classNames = fashionClasses // the real names, however the files are named
		}
		d, err = loadIDXImages(df, classNames, newBudget(path, opts))
		if err == nil {
			d.TestRef = testPairFor(abs)
		}
	} else {
		var raw []byte
		if raw, err = df.readAll(newBudget(path, opts)); err == nil {
			d, err = parseCSV(path, raw, opts)
		}
	}
	if err != nil {
		return nil, err
	}
	d.Name = baseName(path)
	d.Ref = abs
	d.Source = abs
	if d.Description == "" {
		d.Description = fmt.Sprintf("%s: %d rows, %d features", filepath.Base(path), d.Rows(), d.Features())
	}
	return d, nil
}

// baseName is the file name without directory and data extensions:
// "./data/train.csv.gz" → "train".
func baseName(path string) string {
	b := filepath.Base(path)
	b = strings.TrimSuffix(b, ".gz")
	for _, ext := range []string{".csv", ".tsv", ".txt", ".data"} {
		if strings.HasSuffix(strings.ToLower(b), ext) {
			return b[:len(b)-len(ext)]
		}
	}
	return b
}
