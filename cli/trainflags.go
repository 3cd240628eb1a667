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
}

// planFlags lists the flags that shape a new run (train refuses them when
// continuing a session).
var planFlags = []string{"data", "target", "task", "drop-missing", "layers", "batch", "optimizer", "lr", "schedule", "l1", "l2", "clip", "val", "test", "patience", "seed", "restore-best", "dtype"}

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
	}
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
		Load:    datasets.LoadOptions{Target: *f.target, Task: datasets.Task(*f.task), DropMissing: *f.dropMissing, MaxMemory: *f.maxMemory},
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

// csvOnlyFlags refuses --target, --task and --drop-missing with a built-in
// or synthetic dataset: datasets.Load ignores them there, so a user who
// typed --task regression on iris would silently get a classifier.
func csvOnlyFlags(cmd, ref string, set func(flag string) bool) error {
	name, _, _ := strings.Cut(strings.TrimSpace(ref), "?")
	for _, info := range datasets.Catalog() {
		if info.Name != name {
			continue
		}
		for _, f := range []string{"target", "task", "drop-missing"} {
			if set(f) {
				return fmt.Errorf("%s: --%s applies to CSV files only; %s is a built-in %s dataset", cmd, f, name, info.Task)
			}
		}
	}
	return nil
}
