package datasets

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

//go:embed data/*.csv data/*.csv.gz
var dataFS embed.FS

// builtin describes one real dataset embedded in the binary.
type builtin struct {
	name, description, source string
	task                      Task
	rows, features, classes   int // as documented; tests check them against the files
	featureNames              []string
	targetNames               []string
	read                      func() (x, y []float64, classNames []string, err error)

	once sync.Once
	x, y []float64
	cls  []string
	err  error
}

const sklearnVia = "via scikit-learn 1.2.1 as packaged by Debian (BSD-3-Clause); UCI Machine Learning Repository"

var builtins = []*builtin{
	{
		name:        "iris",
		description: "Iris flowers: 4 petal and sepal measurements, 3 species (50 each)",
		source:      "R. A. Fisher (1936), " + sklearnVia,
		task:        Classification,
		rows:        150, features: 4, classes: 3,
		featureNames: []string{"sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"},
		read:         sklearnCSV("data/iris.csv"),
	},
	{
		name:        "wine",
		description: "Italian wines: 13 chemical measurements, 3 cultivars",
		source:      "M. Forina et al., PARVUS, " + sklearnVia,
		task:        Classification,
		rows:        178, features: 13, classes: 3,
		featureNames: []string{"alcohol", "malic acid", "ash", "alcalinity of ash", "magnesium", "total phenols", "flavanoids", "nonflavanoid phenols", "proanthocyanins", "color intensity", "hue", "OD280/OD315 of diluted wines", "proline"},
		read:         sklearnCSV("data/wine_data.csv"),
	},
	{
		name:        "breast-cancer",
		description: "Breast mass cell nuclei (Wisconsin diagnostic): 30 features, malignant or benign",
		source:      "W. H. Wolberg, W. N. Street, O. L. Mangasarian (1995), " + sklearnVia,
		task:        Classification,
		rows:        569, features: 30, classes: 2,
		featureNames: breastCancerNames(),
		read:         sklearnCSV("data/breast_cancer.csv"),
	},
	{
		name:        "digits",
		description: "Handwritten digits as 8x8 images (pixel values 0-16), 10 classes",
		source:      "E. Alpaydin, C. Kaynak (1998), " + sklearnVia,
		task:        Classification,
		rows:        1797, features: 64, classes: 10,
		featureNames: pixelNames(8, 8),
		read:         readDigits,
	},
	{
		name:        "diabetes",
		description: "Diabetes patients: 10 baseline measurements, disease progression one year later",
		source:      "B. Efron, T. Hastie, I. Johnstone, R. Tibshirani (2004), " + sklearnVia,
		task:        Regression,
		rows:        442, features: 10, classes: 0,
		featureNames: []string{"age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"},
		targetNames:  []string{"disease progression"},
		read:         readDiabetes,
	},
}

func findBuiltin(name string) *builtin {
	for _, b := range builtins {
		if b.name == name {
			return b
		}
	}
	return nil
}

// load parses the embedded files once and hands out fresh copies, because
// callers own their Dataset and may scale it in place.
func (b *builtin) load() (*Dataset, error) {
	b.once.Do(func() {
		b.x, b.y, b.cls, b.err = b.read()
		if b.err == nil && (len(b.x) != b.rows*b.features || len(b.y) != b.rows) {
			b.err = fmt.Errorf("embedded %s: got %d values and %d targets, want %d×%d", b.name, len(b.x), len(b.y), b.rows, b.features)
		}
	})
	if b.err != nil {
		return nil, b.err
	}
	d := &Dataset{
		Name:         b.name,
		Ref:          b.name,
		Task:         b.task,
		X:            newDense(b.rows, b.features, append([]float64(nil), b.x...)),
		Y:            newDense(b.rows, 1, append([]float64(nil), b.y...)),
		FeatureNames: append([]string(nil), b.featureNames...),
		Description:  b.description,
		Source:       b.source,
	}
	if b.task == Classification {
		d.ClassNames = append([]string(nil), b.cls...)
	} else {
		d.TargetNames = append([]string(nil), b.targetNames...)
	}
	return d, nil
}

func breastCancerNames() []string {
	base := []string{"radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity", "concave points", "symmetry", "fractal dimension"}
	var names []string
	for _, b := range base {
		names = append(names, "mean "+b)
	}
	for _, b := range base {
		names = append(names, b+" error")
	}
	for _, b := range base {
		names = append(names, "worst "+b)
	}
	return names
}

func pixelNames(rows, cols int) []string {
	names := make([]string, 0, rows*cols)
	for r := range rows {
		for c := range cols {
			names = append(names, "pixel "+strconv.Itoa(r)+","+strconv.Itoa(c))
		}
	}
	return names
}

func readEmbedded(path string) ([]byte, error) {
	raw, err := dataFS.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("embedded %s: %w", path, err)
		}
		raw, err = io.ReadAll(zr)
		if err != nil {
			return nil, fmt.Errorf("embedded %s: %w", path, err)
		}
	}
	return raw, nil
}

// numericLines parses whitespace- or comma-separated numbers, one row a line.
func numericLines(path string, raw []byte) ([][]float64, error) {
	var rows [][]float64
	for i, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		fields := strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
		row := make([]float64, len(fields))
		for j, f := range fields {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				return nil, fmt.Errorf("embedded %s line %d: %w", path, i+1, err)
			}
			row[j] = v
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// sklearnCSV reads scikit-learn's format: a first line "rows,features,class
// names...", then the features and an integer label per line.
func sklearnCSV(path string) func() ([]float64, []float64, []string, error) {
	return func() ([]float64, []float64, []string, error) {
		raw, err := readEmbedded(path)
		if err != nil {
			return nil, nil, nil, err
		}
		head, rest, _ := bytes.Cut(raw, []byte("\n"))
		hf := strings.Split(strings.TrimSpace(string(head)), ",")
		if len(hf) < 3 {
			return nil, nil, nil, fmt.Errorf("embedded %s: bad header %q", path, head)
		}
		n, err1 := strconv.Atoi(hf[0])
		f, err2 := strconv.Atoi(hf[1])
		if err1 != nil || err2 != nil {
			return nil, nil, nil, fmt.Errorf("embedded %s: bad header %q", path, head)
		}
		classes := hf[2:]
		rows, err := numericLines(path, rest)
		if err != nil {
			return nil, nil, nil, err
		}
		if len(rows) != n {
			return nil, nil, nil, fmt.Errorf("embedded %s: %d rows, header says %d", path, len(rows), n)
		}
		return splitLabelled(path, rows, f, len(classes), classes)
	}
}

func splitLabelled(path string, rows [][]float64, f, k int, classes []string) ([]float64, []float64, []string, error) {
	x := make([]float64, 0, len(rows)*f)
	y := make([]float64, 0, len(rows))
	for i, r := range rows {
		if len(r) != f+1 {
			return nil, nil, nil, fmt.Errorf("embedded %s row %d: %d values, want %d", path, i+1, len(r), f+1)
		}
		label := r[f]
		if label != float64(int(label)) || label < 0 || int(label) >= k {
			return nil, nil, nil, fmt.Errorf("embedded %s row %d: bad label %v", path, i+1, label)
		}
		x = append(x, r[:f]...)
		y = append(y, label)
	}
	return x, y, classes, nil
}

func readDigits() ([]float64, []float64, []string, error) {
	const path = "data/digits.csv.gz"
	raw, err := readEmbedded(path)
	if err != nil {
		return nil, nil, nil, err
	}
	rows, err := numericLines(path, raw)
	if err != nil {
		return nil, nil, nil, err
	}
	classes := make([]string, 10)
	for i := range classes {
		classes[i] = strconv.Itoa(i)
	}
	return splitLabelled(path, rows, 64, 10, classes)
}

func readDiabetes() ([]float64, []float64, []string, error) {
	const xPath, yPath = "data/diabetes_data_raw.csv.gz", "data/diabetes_target.csv.gz"
	rawX, err := readEmbedded(xPath)
	if err != nil {
		return nil, nil, nil, err
	}
	rawY, err := readEmbedded(yPath)
	if err != nil {
		return nil, nil, nil, err
	}
	xs, err := numericLines(xPath, rawX)
	if err != nil {
		return nil, nil, nil, err
	}
	ys, err := numericLines(yPath, rawY)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(xs) != len(ys) {
		return nil, nil, nil, fmt.Errorf("embedded diabetes: %d feature rows but %d targets", len(xs), len(ys))
	}
	x := make([]float64, 0, len(xs)*10)
	y := make([]float64, 0, len(ys))
	for i := range xs {
		if len(xs[i]) != 10 || len(ys[i]) != 1 {
			return nil, nil, nil, fmt.Errorf("embedded diabetes row %d: bad width", i+1)
		}
		x = append(x, xs[i]...)
		y = append(y, ys[i][0])
	}
	return x, y, nil, nil
}
