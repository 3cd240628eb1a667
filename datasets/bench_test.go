package datasets

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	csv100kOnce sync.Once
	csv100kPath string
	csv100kErr  error
)

// csv100k writes a 100,000-row × 20-column CSV (19 features and a class
// label, with a header) once per test binary.
func csv100k(b testing.TB) string {
	csv100kOnce.Do(func() {
		dir, err := os.MkdirTemp("", "datasets-bench")
		if err != nil {
			csv100kErr = err
			return
		}
		csv100kPath = filepath.Join(dir, "big.csv")
		r := rand.New(rand.NewPCG(1, 2))
		var sb strings.Builder
		for j := range 19 {
			fmt.Fprintf(&sb, "f%d,", j)
		}
		sb.WriteString("label\n")
		for range 100000 {
			for range 19 {
				fmt.Fprintf(&sb, "%.6f,", r.NormFloat64()*10)
			}
			fmt.Fprintf(&sb, "%d\n", r.IntN(5))
		}
		csv100kErr = os.WriteFile(csv100kPath, []byte(sb.String()), 0o644)
	})
	if csv100kErr != nil {
		b.Fatal(csv100kErr)
	}
	return csv100kPath
}

func BenchmarkLoadCSV100k(b *testing.B) {
	path := csv100k(b)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		d, err := Load(path, LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if d.Rows() != 100000 || d.Features() != 19 || len(d.ClassNames) != 5 {
			b.Fatalf("loaded %d×%d, %d classes", d.Rows(), d.Features(), len(d.ClassNames))
		}
	}
}

func BenchmarkLoadFashionMNIST(b *testing.B) {
	if !fashionInstalled() {
		b.Skip("Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)")
	}
	b.ReportAllocs()
	for b.Loop() {
		d, err := Load("fashion-mnist", LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if d.Rows() != 60000 {
			b.Fatal(d.Rows())
		}
	}
}

// TestMain removes the shared 100k-row file, which outlives any one test.
func TestMain(m *testing.M) {
	code := m.Run()
	if csv100kPath != "" {
		os.RemoveAll(filepath.Dir(csv100kPath))
	}
	os.Exit(code)
}

// BenchmarkLoadTable100k loads a typed table: 100,000 rows of 10 numbers,
// two categories (one with gaps), a date and a class, then encodes it.
func BenchmarkLoadTable100k(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	var sb strings.Builder
	sb.WriteString("n0,n1,n2,n3,n4,n5,n6,n7,n8,n9,port,colour,when,label\n")
	ports, colours := []string{"S", "C", "Q", ""}, []string{"red", "green", "blue", "amber", "violet"}
	for range 100000 {
		for range 10 {
			fmt.Fprintf(&sb, "%.6f,", r.NormFloat64()*10)
		}
		fmt.Fprintf(&sb, "%s,%s,2003-%02d-%02d,%d\n", ports[r.IntN(4)], colours[r.IntN(5)], 1+r.IntN(12), 1+r.IntN(28), r.IntN(5))
	}
	path := filepath.Join(b.TempDir(), "table.csv")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(sb.Len()))
	b.ReportAllocs()
	for b.Loop() {
		d, err := Load(path, LoadOptions{Table: &TableOptions{}})
		if err != nil {
			b.Fatal(err)
		}
		sp, _, err := Split{Train: d}.Preprocess()
		if err != nil || sp.Train.Features() != 10+5+6+8 {
			b.Fatalf("%v, %d features", err, sp.Train.Features())
		}
	}
}

// BenchmarkTransformRows encodes a batch of 64 raw rows, as serve would.
func BenchmarkTransformRows(b *testing.B) {
	p := &Preprocessor{Version: 1, Inputs: []InputColumn{
		{Name: "age", Kind: Numeric}, {Name: "port", Kind: Categorical, Categories: []string{MissingCategory, "C", "Q", "S"}},
		{Name: "when", Kind: Date}, {Name: "fare", Kind: Numeric},
	}}
	rows := make([][]string, 64)
	for i := range rows {
		rows[i] = []string{"41.5", []string{"S", "C", "Z", ""}[i%4], "2003-09-19", "7.25"}
	}
	dst := make([]float64, len(rows)*p.Outputs())
	b.ReportAllocs()
	for b.Loop() {
		if err := p.TransformRows(dst, rows); err != nil {
			b.Fatal(err)
		}
	}
}
