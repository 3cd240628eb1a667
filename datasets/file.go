package datasets

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
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
	path  string
	f     *os.File
	r     *bufio.Reader // the content, decompressed
	size  int64         // bytes on disk
	gz    bool
	isize uint32 // gzip trailer: decompressed size modulo 2^32
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
	var tail [4]byte
	if st.Size() >= 4 {
		if _, err := f.ReadAt(tail[:], st.Size()-4); err == nil {
			df.isize = binary.LittleEndian.Uint32(tail[:])
		}
	}
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

// readAll reads the rest of the content, refusing more than maxFileBytes
// (a gzip bomb or a corrupt file fails instead of exhausting memory).
func (df *dataFile) readAll() ([]byte, error) {
	hint := df.size
	if df.gz {
		hint = int64(df.isize) // a hint only: it wraps at 4 GiB
	}
	var out bytes.Buffer
	if hint > 0 && hint <= maxFileBytes {
		out.Grow(int(hint) + bytes.MinRead)
	}
	n, err := out.ReadFrom(io.LimitReader(df.r, maxFileBytes+1))
	if err != nil {
		return nil, df.readErr(err)
	}
	if n > maxFileBytes {
		return nil, fmt.Errorf("dataset file %s expands to more than %d bytes", df.path, maxFileBytes)
	}
	return out.Bytes(), nil
}

// readFile reads a whole file, gunzipped if need be.
func readFile(path string) ([]byte, error) {
	df, err := openData(path)
	if err != nil {
		return nil, err
	}
	defer df.Close()
	return df.readAll()
}

// loadFile loads a CSV or IDX file, told apart by content: IDX files start
// with two zero bytes, which no text file does.
func loadFile(path string, opts LoadOptions) (*Dataset, error) {
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
		d, err = loadIDXImages(df, classNames)
	} else {
		var raw []byte
		if raw, err = df.readAll(); err == nil {
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
