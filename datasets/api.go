package datasets

// This file is the datasets package's public API in one place: sessions, tui
// and main build on these signatures, so add to them rather than change
// them, or update every caller in the same commit.

import "gonum.org/v1/gonum/mat"

// Task of a dataset, in the words a user and session.json use. The engine
// has its own engine.Task (this package may not import it); the one
// conversion between them is sessions.EngineTask.
type Task string

const (
	Classification Task = "classification"
	Regression     Task = "regression"
)

// Dataset is loaded data. Y is n×1 class indices (as float64) for
// classification, n×T targets for regression.
type Dataset struct {
	Name         string // catalogue name, or the file's base name
	Ref          string // the reference it was loaded from (canonical form)
	Task         Task
	X            *mat.Dense
	Y            *mat.Dense
	FeatureNames []string
	ClassNames   []string // classification only, index = class
	TargetNames  []string // regression only
	Description  string
	Source       string // attribution / file path
	Dropped      int    // rows dropped for missing values (LoadOptions.DropMissing)
	// TestRef is the reference of the official test set published with
	// this data, when there is one: Fashion-MNIST's t10k files, or an IDX
	// train-* images file with a t10k-* pair beside it. Training on it
	// keeps that set as the test split, as papers report.
	TestRef string
	// Table describes a CSV's columns when it held more than plain
	// numbers or columns were chosen (nil otherwise); when Table.Raw, X
	// holds raw codes that Split.Preprocess encodes.
	Table *Table
}

// Rows is the number of examples.
func (d *Dataset) Rows() int { return d.rows() }

// Features is the number of input columns.
func (d *Dataset) Features() int { return d.features() }

// Outputs is the number of classes (classification) or targets (regression).
func (d *Dataset) Outputs() int { return d.outputs() }

// LoadOptions tune Load for user files; built-in sets ignore them.
type LoadOptions struct {
	Target      string // CSV target column by name or 0-based index; default the last
	Task        Task   // "" detects; Classification or Regression forces
	DropMissing bool   // drop (and count) rows with missing values instead of failing
	// MaxMemory is the most memory, in bytes, loading a user file may use
	// (text, buffers and the float matrices); data that would need more is
	// refused with an error wrapping ErrTooBig before it is allocated.
	// 0 = DefaultMaxMemory().
	MaxMemory int64
	// Gate, when set, is asked about every file a load opens (the data
	// file and, for IDX images, the labels file found beside it) before it
	// is opened; an error refuses the load. The SSH host confines each
	// user's loads to their folder with it.
	Gate PathGate
	// Table chooses and types a CSV's columns (features, drops, forced
	// categories, imputation, skipped lines). Non-nil (even empty) says
	// the caller handles tables: text and date columns and gaps are then
	// read, and the Dataset may hold raw codes (Table.Raw) for
	// Split.Preprocess. nil = numbers only, as before: such a file is
	// refused. A pointer, so that LoadOptions stays comparable.
	Table *TableOptions
}

// PathGate approves the files a load opens. An interface rather than a
// func, so that LoadOptions stays comparable.
type PathGate interface {
	Allow(path string) error
}

// Load loads any dataset reference: a built-in name ("iris"), a synthetic
// name with parameters ("spiral?n=600&noise=0.2&seed=7"), a CSV path, or an
// IDX images path (labels file found beside it). An unknown name lists the
// names that exist.
func Load(ref string, opts LoadOptions) (*Dataset, error) { return load(ref, opts) }

// Info is one catalogue entry.
type Info struct {
	Name        string   `json:"name"`
	Kind        string   `json:"kind"` // "real", "synthetic" or "installed"
	Description string   `json:"description"`
	Task        Task     `json:"task"`
	Rows        int      `json:"rows"`
	Features    int      `json:"features"`
	Classes     int      `json:"classes,omitempty"`
	Source      string   `json:"source"`
	Ref         string   `json:"ref"`              // what to pass to Load, e.g. "spiral?n=600&noise=0.2&seed=1"
	Params      []string `json:"params,omitempty"` // synthetic parameters, e.g. ["n","noise","seed","arms"]
}

// Catalog lists built-in, synthetic and installed (Fashion-MNIST when the
// Debian package is present) datasets.
func Catalog() []Info { return catalog() }

// Split is a train/validation/test partition.
type Split struct {
	Train, Val, Test *Dataset // Val or Test has 0 rows when its fraction is 0
}

// Split partitions d by fractions (val+test < 1), stratified by class for
// classification, reproducible from seed. Too few rows is an error.
func (d *Dataset) Split(val, test float64, seed int64) (Split, error) {
	return d.split(val, test, seed)
}

// Scaler standardises features: (x - Mean) / Std; constant columns keep Std 1.
type Scaler struct {
	Mean []float64 `json:"mean"`
	Std  []float64 `json:"std"`
}

// FitScaler fits a scaler to the columns of x (the training split).
func FitScaler(x *mat.Dense) *Scaler { return fitScaler(x) }

// Transform returns a scaled copy of x. It panics on a column mismatch.
func (s *Scaler) Transform(x *mat.Dense) *mat.Dense { return s.transform(x) }

// TransformInPlace scales x in place.
func (s *Scaler) TransformInPlace(x *mat.Dense) { s.transformInPlace(x) }

// FeatureSummary is one column's statistics for a preview.
type FeatureSummary struct {
	Name                string
	Min, Max, Mean, Std float64
}

// Summary gives per-feature statistics.
func (d *Dataset) Summary() []FeatureSummary { return d.summary() }

// ClassCounts gives the number of rows per class (nil for regression).
func (d *Dataset) ClassCounts() []int { return d.classCounts() }
