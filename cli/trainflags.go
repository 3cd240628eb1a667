package cli

// The training flags train and sweep share: one definition, one check, one
// conversion to a sessions.Plan.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

// trainFlags are the flags that say what to train (all but --name,
// --session and --json, which each command words for itself).
type trainFlags struct {
	fs                      *pflag.FlagSet
	data, target, task      *string
	dropMissing             *bool
	layers                  *string
	epochs, batch, patience *int
	optimizer, schedule     *string
	lr, l1, l2, clip        *float64
	val, test               *float64
	restoreBest             *bool
	seed                    *int64
	dtype                   *string
	maxMemory               *int64
	table                   tableFlags
}

// tableFlags choose and type a CSV's columns (datasets.TableOptions).
type tableFlags struct {
	features, drop, categorical *[]string
	maxCategories, skipRows     *int
	impute                      *string
	dropDates                   *bool
}

// tableFlagNames are the flags of datasets.TableOptions, CSV files only.
var tableFlagNames = []string{"features", "drop", "categorical", "max-categories", "skip-rows", "impute", "drop-dates"}

// planFlags lists the flags that shape a new run (train refuses them when
// continuing a session).
var planFlags = append([]string{"data", "target", "task", "drop-missing", "layers", "batch", "optimizer", "lr", "schedule", "l1", "l2", "clip", "val", "test", "patience", "seed", "restore-best", "dtype"}, tableFlagNames...)

func addTrainFlags(fs *pflag.FlagSet) *trainFlags {
	d := sessions.DefaultHyper()
	return &trainFlags{
		fs:          fs,
		data:        fs.String("data", "", "dataset `ref`: a built-in name (iris), a synthetic set with parameters ('spiral?n=600&noise=0.2'), or a CSV/IDX path; see 'workbench datasets'"),
		target:      fs.String("target", "", "CSV target column by `name or 0-based index` (default the last)"),
		task:        fs.String("task", "", "force the `task`: classification or regression (default: detected from the target)"),
		dropMissing: fs.Bool("drop-missing", false, "drop CSV rows with missing values (and count them) instead of failing"),
		layers:      fs.String("layers", sessions.DefaultLayers, "hidden layers `spec`, e.g. 64:relu,dropout:0.2,32:tanh; \"\" for none. Activations: "+strings.Join(engine.Activations, ", ")),
		epochs:      fs.Int("epochs", d.Epochs, "`number` of epochs (with --session: how many more)"),
		batch:       fs.Int("batch", d.BatchSize, "mini-batch `size`"),
		optimizer:   fs.String("optimizer", d.Optimizer, "`name`: "+strings.Join(engine.Optimizers, ", ")),
		lr:          fs.Float64("lr", d.LearningRate, "learning `rate`"),
		schedule:    fs.String("schedule", d.Schedule, "learning-rate `schedule`: "+strings.Join(engine.Schedules, ", ")),
		l1:          fs.Float64("l1", d.L1, "L1 penalty `weight`"),
		l2:          fs.Float64("l2", d.L2, "L2 penalty `weight`"),
		clip:        fs.Float64("clip", d.ClipNorm, "clip the gradient's global `norm` (0 = off)"),
		val:         fs.Float64("val", 0.2, "`fraction` of rows held out for validation"),
		test:        fs.Float64("test", 0.2, "`fraction` of rows held out for the final test"),
		patience:    fs.Int("patience", d.Patience, "stop after `N` epochs without a better validation loss, keeping the best (0 = off)"),
		restoreBest: fs.Bool("restore-best", true, "when training ends, restore the best epoch's weights (false keeps the last epoch's, like Keras restore_best_weights=False)"),
		seed:        fs.Int64("seed", d.Seed, "`seed` for the split, initial weights and shuffling (same seed, same run)"),
		dtype:       fs.String("dtype", d.DType, "compute `type` of the weights and the training: float32 (twice the speed, half the memory) or float64"),
		maxMemory:   maxMemoryFlag(fs),
		table:       addTableFlags(fs),
	}
}

func addTableFlags(fs *pflag.FlagSet) tableFlags {
	return tableFlags{
		features:      fs.StringSlice("features", nil, "CSV: use only these `columns` as features (names or 0-based indexes, comma-separated)"),
		drop:          fs.StringSlice("drop", nil, "CSV: leave these `columns` out (names or 0-based indexes, comma-separated)"),
		categorical:   fs.StringSlice("categorical", nil, "CSV: read these `columns` of numbers as categories (comma-separated or repeated)"),
		maxCategories: fs.Int("max-categories", datasets.DefaultMaxCategories, "CSV: the most distinct `values` a categorical column may have"),
		skipRows:      fs.Int("skip-rows", 0, "CSV: skip `N` lines before the header (a count line, a title)"),
		impute:        fs.String("impute", "", "CSV: fill missing numbers and dates with the training split's `mean|median|most-frequent`"),
		dropDates:     fs.Bool("drop-dates", false, "CSV: leave date columns out instead of encoding them (days since 1970 and weekday)"),
	}
}

// options turns the table flags into datasets.TableOptions, refusing
// values no file could make sense of.
func (t tableFlags) options(cmd string) (*datasets.TableOptions, error) {
	imp, err := datasets.ParseImpute(*t.impute)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cmd, err)
	}
	if *t.maxCategories < 1 {
		return nil, fmt.Errorf("%s: --max-categories must be at least 1, got %d", cmd, *t.maxCategories)
	}
	if *t.skipRows < 0 {
		return nil, fmt.Errorf("%s: --skip-rows must be 0 or more, got %d", cmd, *t.skipRows)
	}
	for _, l := range []struct {
		flag string
		cols []string
	}{{"features", *t.features}, {"drop", *t.drop}, {"categorical", *t.categorical}} {
		for _, c := range l.cols {
			if strings.TrimSpace(c) == "" {
				return nil, fmt.Errorf("%s: --%s has an empty column name in %q", cmd, l.flag, strings.Join(l.cols, ","))
			}
		}
	}
	o := &datasets.TableOptions{
		Features:    *t.features,
		Drop:        *t.drop,
		Categorical: *t.categorical,
		SkipRows:    *t.skipRows,
		Impute:      imp,
		DropDates:   *t.dropDates,
	}
	if *t.maxCategories != datasets.DefaultMaxCategories {
		o.MaxCategories = *t.maxCategories
	}
	return o, nil
}

// plan checks the flags a user gave (cmd names the command in messages)
// and makes the plan of a new run.
func (f *trainFlags) plan(cmd, name string) (sessions.Plan, error) {
	set := f.fs.Changed
	if *f.data == "" {
		return sessions.Plan{}, fmt.Errorf("%s: missing --data: a dataset such as iris, 'spiral?n=600', or a CSV path (see 'workbench datasets')", cmd)
	}
	if t := datasets.Task(*f.task); t != "" && t != datasets.Classification && t != datasets.Regression {
		return sessions.Plan{}, fmt.Errorf("%s: unknown task %q; choose classification or regression", cmd, *f.task)
	}
	if err := csvOnlyFlags(cmd, *f.data, set); err != nil {
		return sessions.Plan{}, err
	}
	// Files get table handling (text, dates, gaps, chosen columns); the
	// built-in and synthetic sets are numbers already.
	var table *datasets.TableOptions
	if !isCatalogRef(*f.data) {
		var err error
		if table, err = f.table.options(cmd); err != nil {
			return sessions.Plan{}, err
		}
	}
	if *f.val == 0 && *f.test == 0 {
		return sessions.Plan{}, fmt.Errorf("%s: --val and --test cannot both be 0; hold out at least one of them", cmd)
	}
	// Zero means "default" to Prepare; on the command line it is a mistake.
	for _, c := range []struct {
		flag string
		bad  bool
	}{{"epochs", *f.epochs < 1}, {"batch", *f.batch < 1}, {"lr", !(*f.lr > 0)}} {
		if c.bad {
			return sessions.Plan{}, fmt.Errorf("%s: --%s must be positive", cmd, c.flag)
		}
	}
	return sessions.Plan{
		Name:    name,
		DataRef: *f.data,
		Load:    datasets.LoadOptions{Target: *f.target, Task: datasets.Task(*f.task), DropMissing: *f.dropMissing, MaxMemory: *f.maxMemory, Table: table},
		Val:     *f.val,
		Test:    *f.test,
		Layers:  *f.layers,
		Hyper: sessions.Hyper{
			Epochs: *f.epochs, BatchSize: *f.batch, Optimizer: *f.optimizer, LearningRate: *f.lr,
			Schedule: *f.schedule, L1: *f.l1, L2: *f.l2, ClipNorm: *f.clip, Patience: *f.patience, Seed: *f.seed,
			KeepLast: !*f.restoreBest, DType: *f.dtype,
		},
	}, nil
}

// prepareError words Prepare's errors for the command line.
func prepareError(cmd string, err error) error {
	if errors.Is(err, datasets.ErrMissingValue) {
		return fmt.Errorf("%s: %s", cmd, strings.Replace(err.Error(), "can be dropped instead", "can be dropped instead with --drop-missing", 1))
	}
	return fmt.Errorf("%s: %w", cmd, err)
}

// csvOnlyFlags refuses --target, --task, --drop-missing and the table
// flags with a built-in or synthetic dataset: datasets.Load ignores them
// there, so a user who typed --task regression on iris would silently get
// a classifier.
func csvOnlyFlags(cmd, ref string, set func(flag string) bool) error {
	info, ok := catalogEntry(ref)
	if !ok {
		return nil
	}
	for _, f := range append([]string{"target", "task", "drop-missing"}, tableFlagNames...) {
		if set(f) {
			return fmt.Errorf("%s: --%s applies to CSV files only; %s is a built-in %s dataset", cmd, f, info.Name, info.Task)
		}
	}
	return nil
}

// catalogEntry is the built-in or synthetic set ref names, if it does.
func catalogEntry(ref string) (datasets.Info, bool) {
	name, _, _ := strings.Cut(strings.TrimSpace(ref), "?")
	for _, info := range datasets.Catalog() {
		if info.Name == name {
			return info, true
		}
	}
	return datasets.Info{}, false
}

func isCatalogRef(ref string) bool {
	_, ok := catalogEntry(ref)
	return ok
}
