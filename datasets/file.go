package datasets

import (
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

// readFile reads a whole file, gunzipping it when it starts with the gzip
// magic (whatever its name says).
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dataset file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("dataset file: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("dataset file %s is a directory; give a CSV file or an IDX images file", path)
	}
	if st.Size() > maxFileBytes {
		return nil, fmt.Errorf("dataset file %s is %d bytes; the limit is %d", path, st.Size(), maxFileBytes)
	}
	raw := make([]byte, st.Size())
	if _, err := io.ReadFull(f, raw); err != nil {
		return nil, fmt.Errorf("dataset file %s: %w", path, err)
	}
	if !bytes.HasPrefix(raw, gzipMagic) {
		return raw, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("dataset file %s: bad gzip data: %w", path, err)
	}
	// Decompressed size hint: gzip's trailer holds it modulo 2^32.
	var hint int
	if len(raw) >= 4 {
		t := raw[len(raw)-4:]
		hint = int(uint32(t[0]) | uint32(t[1])<<8 | uint32(t[2])<<16 | uint32(t[3])<<24)
	}
	var out bytes.Buffer
	if hint > 0 && hint <= maxFileBytes {
		out.Grow(hint + bytes.MinRead)
	}
	n, err := out.ReadFrom(io.LimitReader(zr, maxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("dataset file %s: bad gzip data: %w", path, err)
	}
	if n > maxFileBytes {
		return nil, fmt.Errorf("dataset file %s expands to more than %d bytes", path, maxFileBytes)
	}
	return out.Bytes(), nil
}

// loadFile loads a CSV or IDX file, told apart by content: IDX files start
// with two zero bytes, which no text file does.
func loadFile(path string, opts LoadOptions) (*Dataset, error) {
	raw, err := readFile(path)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	var d *Dataset
	if len(raw) >= 4 && raw[0] == 0 && raw[1] == 0 {
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
		d, err = loadIDXImages(path, raw, classNames)
	} else {
		d, err = parseCSV(path, raw, opts)
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
