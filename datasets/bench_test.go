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
