package sessions

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"workbench/datasets"
	"workbench/engine"
)

// Prepare loads the data, splits it, fits the scaler on the training split and
// builds a fresh model. Bad references, specs or hyper-parameters are errors
// that name the problem.
func Prepare(p Plan) (*Prepared, error) {
	if p.DataRef == "" {
		return nil, errors.New("no dataset given; name one (e.g. iris) or a CSV/IDX file")
	}
	val, test := p.Val, p.Test
	if val == 0 && test == 0 {
		val, test = 0.2, 0.2
	}
	if err := checkFractions(val, test); err != nil {
		return nil, err
	}
	layers, err := engine.ParseLayers(p.Layers)
	if err != nil {
		return nil, fmt.Errorf("layers: %w", err)
	}
	if p.Name != "" {
		if err := checkName(p.Name); err != nil {
			return nil, fmt.Errorf("name: %w", err)
		}
	}
	h := p.Hyper.withDefaults()
	if err := h.Validate(); err != nil {
		return nil, err
	}
	switch p.Load.Task {
	case "", datasets.Classification, datasets.Regression:
	default:
		return nil, fmt.Errorf("unknown task %q; choose classification or regression", p.Load.Task)
	}

	ds, err := datasets.Load(p.DataRef, p.Load)
	if err != nil {
		return nil, err
	}
	if ds.Task == datasets.Classification && ds.Outputs() < 2 {
		// Caught here, the user hears about their target column instead
		// of the engine's "Outputs 1 out of range".
		return nil, fmt.Errorf("%s: the target has only one class (%q); classification needs at least two: is the target the right column?", p.DataRef, strings.Join(ds.ClassNames, ", "))
	}
	// Data published with its own test set (Fashion-MNIST's t10k files)
	// is tested on that set, as every paper reports it, whenever a test
	// split is asked for at all.
	testRef := ""
	if ds.TestRef != "" && test > 0 {
		testRef, test = ds.TestRef, 0
	}
	split, err := splitData(ds, p.Load, val, test, h.Seed, testRef)
	if err != nil {
		return nil, err
	}
	if rows(split.Train) == 0 {
		return nil, fmt.Errorf("%s: no rows left for training after the split", p.DataRef)
	}
	// Raw table codes (categories, dates, gaps) become features here, with
	// vocabularies and fill values from the training split only.
	split, pre, err := split.Preprocess()
	if err != nil {
		return nil, err
	}
	if err := checkPreprocessSize(p.DataRef, pre); err != nil {
		return nil, err
	}
	features := split.Train.FeatureNames
	scaler := datasets.FitScaler(split.Train.X)
	if err := scaler.Validate(features); err != nil {
		return nil, fmt.Errorf("%s: cannot standardise the features, the values are too large (near ±1.8e308): %w; rescale that column", p.DataRef, err)
	}

	cfg := engine.Config{
		Inputs:  len(features),
		Outputs: ds.Outputs(),
		Task:    EngineTask(ds.Task),
		Layers:  layers,
		Seed:    h.Seed,
		DType:   h.EngineDType(),
	}
	if ds.Task == datasets.Regression {
		// The model learns standardised targets and answers in the data's
		// units: prices near 100,000 train like values near 0. Fitted on
		// the training split only, like the feature scaler; a constant
		// target keeps std 1.
		ts := datasets.FitScaler(split.Train.Y)
		if err := ts.Validate(nil); err != nil {
			return nil, fmt.Errorf("%s: cannot standardise the target, its values are too large (near ±1.8e308): %w; rescale it", p.DataRef, err)
		}
		cfg.TargetMean, cfg.TargetStd = ts.Mean, ts.Std
	}
	model, err := engine.NewModel(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.DataRef, err)
	}

	name := p.Name
	if name == "" {
		name = Printable(ds.Name) // a file's name may hold anything
		if len(name) > 100 {
			name = Clip(name, 90)
		}
	}
	ref := ds.Ref
	if ref == "" {
		ref = p.DataRef
	}
	now := time.Now().UTC()
	s := &Session{
		Version: FormatVersion,
		Name:    name,
		Created: now,
		Updated: now,
		Status:  Running,
		Data: DataInfo{
			Ref:         ref,
			Target:      p.Load.Target,
			Task:        ds.Task,
			Rows:        ds.Rows(),
			TrainRows:   rows(split.Train),
			ValRows:     rows(split.Val),
			TestRows:    rows(split.Test),
			Features:    features,
			Classes:     ds.ClassNames,
			Targets:     ds.TargetNames,
			DropMissing: p.Load.DropMissing,
			Dropped:     ds.Dropped,
			Table:       cloneTable(p.Load.Table),
		},
		Split:      SplitInfo{Val: val, Test: test, Seed: h.Seed, TestRef: testRef},
		Scaler:     scaler,
		Preprocess: pre,
		Layers:     engine.FormatLayers(layers),
		Hyper:      h,
		Model:      model,
	}
	if p.Name == "" {
		s.autoName = name // made unique when first saved
	}
	return &Prepared{
		Session: s,
		Dataset: ds,
		Train:   scaled(split.Train, scaler),
		Val:     scaled(split.Val, scaler),
		Test:    scaled(split.Test, scaler),
	}, nil
}

// Reprepare rebuilds the data of a saved session (same ref, split and scaler)
// so training can continue; the session keeps its model and history, and
// with the model its target scaling (a session saved before target scaling
// existed continues without it).
func Reprepare(s *Session) (*Prepared, error) { return ReprepareWith(s, datasets.LoadOptions{}) }

// ReprepareWith is Reprepare loading the data with load's MaxMemory and
// Gate (its other fields come from the session, as it was trained). A table
// session's preprocessing is fitted again on the same training split and
// must come out as stored: anything else means the file changed.
func ReprepareWith(s *Session, load datasets.LoadOptions) (*Prepared, error) {
	if s.Model == nil {
		return nil, fmt.Errorf("session %s has no model to continue from", s.ID)
	}
	if s.Scaler == nil {
		return nil, fmt.Errorf("session %s has no scaler", s.ID)
	}
	opts := datasets.LoadOptions{Target: s.Data.Target, Task: s.Data.Task, DropMissing: s.Data.DropMissing,
		MaxMemory: load.MaxMemory, Gate: load.Gate, Table: s.Data.Table}
	ds, err := datasets.Load(s.Data.Ref, opts)
	if err != nil {
		return nil, fmt.Errorf("reloading the data of session %s: %w", s.ID, err)
	}
	if ds.Rows() != s.Data.Rows {
		return nil, fmt.Errorf("the data of session %s changed: %s has %d rows now, the session was trained on %d",
			s.ID, s.Data.Ref, ds.Rows(), s.Data.Rows)
	}
	split, err := splitData(ds, opts, s.Split.Val, s.Split.Test, s.Split.Seed, s.Split.TestRef)
	if err != nil {
		return nil, err
	}
	split, pre, err := split.Preprocess()
	if err != nil {
		return nil, fmt.Errorf("reloading the data of session %s: %w", s.ID, err)
	}
	if err := samePreprocess(s.Preprocess, pre); err != nil {
		return nil, fmt.Errorf("the data of session %s changed: %s: %w", s.ID, s.Data.Ref, err)
	}
	if f := split.Train.Features(); f != len(s.Scaler.Mean) {
		return nil, fmt.Errorf("the data of session %s changed: %s has %d features now, the session was trained on %d",
			s.ID, s.Data.Ref, f, len(s.Scaler.Mean))
	}
	if cfg := s.Model.Config(); cfg.Inputs != split.Train.Features() || cfg.Outputs != ds.Outputs() {
		return nil, fmt.Errorf("the data of session %s changed: %d outputs now, the model has %d", s.ID, ds.Outputs(), cfg.Outputs)
	}
	return &Prepared{
		Session: s,
		Dataset: ds,
		Train:   scaled(split.Train, s.Scaler),
		Val:     scaled(split.Val, s.Scaler),
		Test:    scaled(split.Test, s.Scaler),
	}, nil
}

// cloneTable copies the table options a plan loaded with, so that the
// session does not share them with the plan (a sweep's runs share one).
func cloneTable(t *datasets.TableOptions) *datasets.TableOptions {
	if t == nil {
		return nil
	}
	c := *t
	c.Features = slices.Clone(t.Features)
	c.Drop = slices.Clone(t.Drop)
	c.Categorical = slices.Clone(t.Categorical)
	return &c
}

// maxPreprocessBytes bounds the preprocessing a session stores, well
// inside what session.json may hold (maxMetaBytes) beside its history: a
// vocabulary of long texts could otherwise make a session that saves but
// never loads again. A variable for the tests.
var maxPreprocessBytes = 16 << 20

func checkPreprocessSize(ref string, pre *datasets.Preprocessor) error {
	if pre == nil {
		return nil
	}
	b, err := json.Marshal(pre)
	if err != nil {
		return fmt.Errorf("%s: %w", ref, err)
	}
	if len(b) > maxPreprocessBytes {
		return fmt.Errorf("%s: the categories of the text columns take %s, more than a session stores (%s); leave the longest text columns out with --drop, or lower --max-categories",
			ref, datasets.FormatSize(int64(len(b))), datasets.FormatSize(int64(maxPreprocessBytes)))
	}
	return nil
}

// samePreprocess is nil when a refitted Preprocessor is the stored one.
func samePreprocess(stored, now *datasets.Preprocessor) error {
	switch {
	case stored == nil && now == nil:
		return nil
	case stored == nil:
		return errors.New("it needs preprocessing now (text, dates or gaps), the session was trained on numbers only")
	case now == nil:
		return errors.New("it holds numbers only now, the session was trained with preprocessing (text, dates or gaps)")
	}
	a, errA := json.Marshal(stored)
	b, errB := json.Marshal(now)
	if errA != nil || errB != nil || !bytes.Equal(a, b) {
		return fmt.Errorf("its columns, categories or fill values are not those the session was trained on (inputs now: %s)",
			Clip(strings.Join(now.InputNames(), ", "), 100))
	}
	return nil
}

func checkFractions(val, test float64) error {
	bad := func(v float64) bool { return math.IsNaN(v) || v < 0 || v >= 1 }
	switch {
	case bad(val):
		return fmt.Errorf("validation fraction must be in [0, 1), got %v", val)
	case bad(test):
		return fmt.Errorf("test fraction must be in [0, 1), got %v", test)
	case val+test >= 1:
		return fmt.Errorf("validation and test fractions leave nothing to train on (%v + %v >= 1)", val, test)
	}
	return nil
}

// rows counts a split part's rows; a part whose fraction was 0 may come back
// nil or without a matrix.
func rows(d *datasets.Dataset) int {
	if d == nil || d.X == nil {
		return 0
	}
	r, _ := d.X.Dims()
	return r
}

// scaled returns the engine's view of a split part with its features scaled;
// an empty part is the zero Data (Fit treats a nil X as "no validation").
// A split part is the caller's own copy of its rows, used for nothing
// else once the scaler is fitted, so it is scaled in place: a scaled copy
// had made Fashion-MNIST (60,000×784) hold one more full copy of the data
// while it trained (~1.1 GB resident instead of ~0.75).
func scaled(d *datasets.Dataset, sc *datasets.Scaler) engine.Data {
	if rows(d) == 0 {
		return engine.Data{}
	}
	sc.TransformInPlace(d.X)
	return engine.Data{X: d.X, Y: d.Y}
}

// splitData splits ds as sessions do: by fractions, or, with testRef, into
// train and validation by val with the official test set loaded from
// testRef (within load's memory budget and gate) as the test split.
func splitData(ds *datasets.Dataset, load datasets.LoadOptions, val, test float64, seed int64, testRef string) (datasets.Split, error) {
	if testRef == "" {
		return ds.Split(val, test, seed)
	}
	sp, err := ds.Split(val, 0, seed)
	if err != nil {
		return datasets.Split{}, err
	}
	td, err := datasets.Load(testRef, datasets.LoadOptions{MaxMemory: load.MaxMemory, Gate: load.Gate})
	if err != nil {
		return datasets.Split{}, fmt.Errorf("loading the official test set %s: %w", testRef, err)
	}
	if td.Features() != ds.Features() || td.Task != ds.Task || !slices.Equal(td.ClassNames, ds.ClassNames) {
		return datasets.Split{}, fmt.Errorf("the official test set %s does not match the data: %d features, classes %q; the data has %d features, classes %q",
			testRef, td.Features(), td.ClassNames, ds.Features(), ds.ClassNames)
	}
	sp.Test = td
	return sp, nil
}
