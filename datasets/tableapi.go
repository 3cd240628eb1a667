package datasets

// This file is the tables API in one place (issue 20): the options that
// choose and type a CSV's columns, what a load reports about each column,
// and the fitted Preprocessor that turns raw rows (text included) into the
// numbers the scaler and the model see. /work/briefs/tables-api.md says how
// sessions, serve, cli and tui use it.

// TableOptions choose and type a CSV file's columns. The zero value reads
// every column but the target as a feature, with types detected from the
// values; a nil *TableOptions in LoadOptions reads numbers only. JSON-marshalable, so that a session can
// store what it loaded with and load the same table again.
type TableOptions struct {
	// Features keeps only these columns as features (names, or 0-based
	// indexes as text); nil keeps every column but the target.
	Features []string `json:"features,omitempty"`
	// Drop leaves these columns out (names or 0-based indexes).
	Drop []string `json:"drop,omitempty"`
	// Categorical treats these columns as categories even when their
	// values are numbers ("1" and "1.0" are then the same category).
	Categorical []string `json:"categorical,omitempty"`
	// MaxCategories is the most distinct values a categorical column may
	// hold; a text column with more (that is not an identifier) is refused.
	// 0 = DefaultMaxCategories.
	MaxCategories int `json:"max_categories,omitempty"`
	// SkipRows skips this many lines before the header (a count line, a
	// comment, a title).
	SkipRows int `json:"skip_rows,omitempty"`
	// Impute fills missing numbers and dates with a value fitted on the
	// training split instead of failing: ImputeMean, ImputeMedian or
	// ImputeMostFrequent; "" = a missing number is an error (unless
	// LoadOptions.DropMissing). Categorical gaps are always their own
	// "(missing)" category.
	Impute Impute `json:"impute,omitempty"`
	// DropDates leaves date columns out instead of encoding them.
	DropDates bool `json:"drop_dates,omitempty"`
}

// DefaultMaxCategories is TableOptions.MaxCategories when it is 0.
const DefaultMaxCategories = 64

// Impute is a strategy for missing numbers and dates.
type Impute string

const (
	ImputeNone         Impute = ""
	ImputeMean         Impute = "mean"
	ImputeMedian       Impute = "median"
	ImputeMostFrequent Impute = "most-frequent"
)

// ParseImpute reads a strategy as a user types it.
func ParseImpute(s string) (Impute, error) { return parseImpute(s) }

// Kind is a column's type, detected from its values.
type Kind string

const (
	Numeric     Kind = "numeric"
	Categorical Kind = "categorical"
	Date        Kind = "date"
	// Text is a text column that is not used: an identifier (every value
	// differs). Only a Column reports it; no input has it.
	Text Kind = "text"
)

// Role is what a column is for.
type Role string

const (
	RoleFeature Role = "feature"
	RoleTarget  Role = "target"
	RoleIgnored Role = "ignored"
)

// Column is one column of a loaded file as a preview shows it.
type Column struct {
	Name  string `json:"name"`
	Index int    `json:"index"` // 0-based in the file
	Role  Role   `json:"role"`
	Kind  Kind   `json:"kind"`
	// Distinct counts the different non-missing values among the rows
	// kept (after --drop-missing); -1 when not counted (a column left out
	// before it was read).
	Distinct int `json:"distinct"`
	// Missing counts the empty (NA, ?, …) cells in every row of the file.
	Missing int `json:"missing"`
	// Note says why a column is ignored ("every value differs: an
	// identifier", "--drop"), or is empty.
	Note string `json:"note,omitempty"`
}

// Table is what a CSV load found about the file's columns. A Dataset has
// one when the file held more than plain numbers (text, dates, gaps kept
// for imputation) or columns were chosen; nil for plain numeric files.
type Table struct {
	// Columns lists every column of the file in file order.
	Columns []Column `json:"columns"`
	// Raw is true when the Dataset's X holds raw codes rather than
	// features: one X column per Inputs entry, numbers (NaN = missing),
	// dates as days since 1970-01-01, categories as indexes into Values.
	// Such a Dataset must be split, then encoded with a Preprocessor
	// fitted on the training part (Split.Preprocess) before scaling.
	Raw bool `json:"raw"`
	// Inputs are the raw input columns (indexes into Columns), in file
	// order; while Raw, X has one column per input.
	Inputs []int `json:"inputs"`
	// Values holds each input's categories in order of first appearance
	// (nil for numeric and date inputs); X's codes index it.
	Values [][]string `json:"-"`
	// Impute is the strategy FitPreprocessor uses.
	Impute Impute `json:"impute,omitempty"`
	// Notes are one-line remarks about the columns (an identifier left
	// out), for the CLI and the TUI to show.
	Notes []string `json:"notes,omitempty"`
	// numericCats marks inputs forced categorical (--categorical) whose
	// values were numbers, compared by value.
	numericCats []bool
	// limit is the load's memory budget, which encoding keeps to.
	limit int64
}

// Notes are one-line remarks a load makes about the columns (identifiers
// left out), for the CLI and the TUI to show.
func (d *Dataset) Notes() []string { return d.notes() }

// ColumnStats describes every column of the file (or of a built-in set):
// role, type, distinct and missing counts, for a preview.
func (d *Dataset) ColumnStats() []Column { return d.columnStats() }

// PreprocessorVersion is the Preprocessor format this package writes; a
// stored value of a later version is refused by Check.
const PreprocessorVersion = 1

// Preprocessor turns a raw row (one string per input column, as a CSV or
// a JSON request gives it) into the numeric feature vector the scaler and
// the model see. It is fitted on the training split only and is
// JSON-marshalable: sessions store it beside the scaler, serve applies it,
// and an ONNX export reads its vocabularies and constants.
//
// Output layout, input by input in order: a numeric input gives its value
// (Fill when missing); a categorical one gives a one-hot block of
// len(Categories)+1 values, the last being the unknown slot for any value
// not seen in training; a date gives days since 1970-01-01 (UTC) then a
// one-hot block for the day of the week, Monday first.
type Preprocessor struct {
	Version int           `json:"version"`
	Inputs  []InputColumn `json:"inputs"`
}

// InputColumn is one raw column a Preprocessor reads.
type InputColumn struct {
	Name string `json:"name"`
	Kind Kind   `json:"kind"` // Numeric, Categorical or Date
	// Fill replaces a missing number or date (days since 1970-01-01), as
	// fitted by the Impute strategy; nil = a missing value is an error.
	Fill *float64 `json:"fill,omitempty"`
	// Categories is the one-hot vocabulary in output order (sorted by
	// bytes; MissingCategory is a category like any other); the unknown
	// slot follows it.
	Categories []string `json:"categories,omitempty"`
	// NumericCategories: values are numbers compared by value, written in
	// Categories in Go's shortest form ("1", "2.5").
	NumericCategories bool `json:"numeric_categories,omitempty"`
}

// MissingCategory is the category of an empty (or NA, ?, …) categorical cell.
const MissingCategory = "(missing)"

// UnknownCategory names the unknown slot in output feature names.
const UnknownCategory = "(unknown)"

// Outputs is the length of the feature vector Transform writes.
func (p *Preprocessor) Outputs() int { return p.outputs() }

// FeatureNames names each output: "age", "port=C", "port=(unknown)",
// "when:days", "when:Mon".
func (p *Preprocessor) FeatureNames() []string { return p.featureNames() }

// InputNames are the raw columns a row must hold, in order.
func (p *Preprocessor) InputNames() []string { return p.inputNames() }

// Check validates a stored Preprocessor (version, kinds, sorted
// vocabularies) before use; serve and sessions call it after reading one.
func (p *Preprocessor) Check() error { return p.check() }

// Transform encodes one raw row (len(InputNames()) cells). An unseen
// category goes to the unknown slot; a number that is not one, a date in
// an unknown form, or a missing value with no Fill is an error naming the
// column and the value.
func (p *Preprocessor) Transform(row []string) ([]float64, error) {
	out := make([]float64, p.outputs())
	return out, p.transformInto(out, row)
}

// TransformInto is Transform writing into dst (len Outputs()); it does not
// allocate.
func (p *Preprocessor) TransformInto(dst []float64, row []string) error {
	return p.transformInto(dst, row)
}

// TransformRows encodes rows into dst, row-major (len(rows)*Outputs()),
// allocating nothing per row. An error names the 0-based row.
func (p *Preprocessor) TransformRows(dst []float64, rows [][]string) error {
	return p.transformRows(dst, rows)
}

// FitPreprocessor fits a Preprocessor to a raw training split (one whose
// Table.Raw is true): vocabularies from the categories present, fill
// values by the table's Impute strategy.
func FitPreprocessor(train *Dataset) (*Preprocessor, error) { return fitPreprocessor(train) }

// Encode turns a raw Dataset (the training, validation or test part) into
// one of features: same rows, X encoded, FeatureNames the outputs', Table
// kept with Raw false.
func (p *Preprocessor) Encode(d *Dataset) (*Dataset, error) { return p.encode(d) }

// Preprocess fits a Preprocessor on s.Train and encodes all three parts.
// For a split whose data needs none (numeric tables, built-in sets) it
// returns s unchanged and a nil Preprocessor: the one call that sessions
// make between Split and FitScaler.
func (s Split) Preprocess() (Split, *Preprocessor, error) { return s.preprocess() }
