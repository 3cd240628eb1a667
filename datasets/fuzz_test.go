package datasets

import (
	"os"
	"path/filepath"
	"testing"
)

// Fuzz targets for the loaders (issue 14's campaign). Seeds are in
// testdata/fuzz/<target>/ and in f.Add; run one with e.g.
//
//	go test ./datasets -run '^$' -fuzz '^FuzzCSV$' -fuzztime 10m
//
// Every input must load or fail with an error within the small budget:
// no panic, no allocation past it.

const fuzzBudget = 32 << 20

func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		"a,b,y\n1,2,0\n3,4,1\n", "x;y\n1,5;a\n2,5;b\n", "\"q\"\"x\",y\n1,2\n", "1\t2\n3\t4\n",
		"a,b\n\n\n\n1,2\n", "0x1p3,1_0,y\n1,2,3\n", "a,y,y\n1,2,3\n", "1e308,1.7e308,0\n-1e308,1,1\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := parseCSV("fuzz.csv", b, LoadOptions{MaxMemory: fuzzBudget, DropMissing: len(b)%2 == 0})
		if err == nil && (d.X == nil || d.Y == nil || d.Rows() == 0) {
			t.Fatalf("loaded with no rows: %+v", d)
		}
	})
}

// FuzzTable feeds the typed loader and what follows it: options picked
// from a byte, then the fitted preprocessing, its Check, and Transform of
// odd raw rows. No panic, no allocation past the budget.
func FuzzTable(f *testing.F) {
	for _, s := range []string{
		"name,age,port,when,y\nAnn,30,S,2003-09-19,1\nBob,,C,19-Sep-03,0\nCy,40,,9/19/2003,1\nDee,50,S,2003-09-19 10:00,0\n",
		"3,2,,\na,b,y\n1,2,0\n", "a,b,y\n1,x,0\n2,y,1\n3,x,0\n", "g,y\n1,0\n1.0,1\n2,0\n", "w;y\n1,5;a\n;b\nq;a\n",
	} {
		f.Add(byte(0), []byte(s))
		f.Add(byte(0xff), []byte(s))
	}
	f.Fuzz(func(t *testing.T, flags byte, b []byte) {
		to := &TableOptions{SkipRows: int(flags & 1), MaxCategories: int(flags>>1&3) * 3, DropDates: flags&8 != 0}
		to.Impute = []Impute{ImputeNone, ImputeMean, ImputeMedian, ImputeMostFrequent}[flags>>4&3]
		if flags&0x40 != 0 {
			to.Categorical = []string{"0"}
		}
		d, err := parseCSV("fuzz.csv", b, LoadOptions{MaxMemory: fuzzBudget, DropMissing: flags&0x80 != 0, Table: to})
		if err != nil {
			return
		}
		if d.X == nil || d.Y == nil || d.Rows() == 0 || len(d.ColumnStats()) == 0 {
			t.Fatalf("loaded with no rows: %+v", d)
		}
		if d.Table == nil || !d.Table.Raw {
			return
		}
		sp := Split{Train: d}
		enc, p, err := sp.Preprocess()
		if err != nil {
			t.Fatalf("preprocess: %v", err)
		}
		if err := p.Check(); err != nil || enc.Train.Features() != p.Outputs() {
			t.Fatalf("check %v, %d features for %d outputs", err, enc.Train.Features(), p.Outputs())
		}
		// Transform must not panic on any raw row, however odd.
		p.Transform(make([]string, len(p.Inputs)))
		row := make([]string, len(p.Inputs))
		for i := range row {
			row[i] = string(b[:min(len(b), i)])
		}
		p.Transform(row)
	})
}

// FuzzGzipCSV feeds the gzip path: the bytes are a file, gunzipped on the
// fly when they start with the gzip magic.
func FuzzGzipCSV(f *testing.F) {
	f.Add(gz([]byte("a,b,y\n1,2,0\n3,4,1\n")))
	f.Add(gz([]byte("c1,c2,c3\n\n\n\n\n")))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "in.csv.gz")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		Load(p, LoadOptions{MaxMemory: fuzzBudget})
	})
}

// FuzzIDX feeds an images file and a labels file beside it.
func FuzzIDX(f *testing.F) {
	f.Add(idxImages(2, 2, 2, func(i, p int) byte { return byte(i + p) }), idxLabels(0, 1), false)
	f.Add(gz(idxImages(1, 1, 1, func(int, int) byte { return 7 })), gz(idxLabels(255)), true)
	f.Add([]byte{0, 0, 8, 3, 0, 0, 0x7f, 0xff, 1, 0, 0, 0, 1, 0, 0, 0}, idxLabels(1), false)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, images, labels []byte, gzipped bool) {
		ext := ""
		if gzipped {
			ext = ".gz"
		}
		p := filepath.Join(dir, "f-images-idx3-ubyte"+ext)
		os.Remove(filepath.Join(dir, "f-images-idx3-ubyte"))
		os.Remove(filepath.Join(dir, "f-images-idx3-ubyte.gz"))
		if err := os.WriteFile(p, images, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "f-labels-idx1-ubyte"), labels, 0o600); err != nil {
			t.Fatal(err)
		}
		d, err := Load(p, LoadOptions{MaxMemory: fuzzBudget})
		if err == nil && d.Outputs() != len(d.ClassNames) {
			t.Fatalf("%d outputs, %d class names", d.Outputs(), len(d.ClassNames))
		}
	})
}
