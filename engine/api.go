package engine

// This file holds the engine's public types, the vocabulary sessions, serve,
// tui and the exporters share, so add to them rather than change them, or
// update every caller in the same commit. Each function of the API lives
// beside its implementation: ParseLayers and FormatLayers in spec.go;
// NewModel and DenseLayers in model.go; Predict, PredictTo and Evaluate in
// predict.go; Summary and SummaryTable in summary.go; WriteSafetensors in
// safetensors.go, ReadSafetensors in safetensors_read.go; Fit in fit.go;
// Control in control.go; Relay in relay.go.

import (
	"errors"
	"math"
	"time"

	"gonum.org/v1/gonum/mat"
)

// Task says what the output layer and the loss are. Data carries its own
// datasets.Task (this package may not import it); the one conversion
// between them is sessions.EngineTask, and String gives the same words.
type Task int

const (
	// Classification: softmax over K classes with cross-entropy. Targets are
	// one column holding the class index (0..K-1) as a float64.
	Classification Task = iota
	// Regression: a linear output of one or more values with MSE (or Huber).
	Regression
)

func (t Task) String() string {
	if t == Regression {
		return "regression"
	}
	return "classification"
}

// Activations lists the activation names a spec may use.
var Activations = []string{"relu", "leaky_relu", "elu", "gelu", "tanh", "sigmoid", "linear"}

// Optimizers lists the optimizer names FitOptions.Optimizer accepts.
var Optimizers = []string{"sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw"}

// Schedules lists the learning-rate schedules FitOptions.Schedule accepts.
var Schedules = []string{"constant", "step", "cosine"}

// LayerSpec is one hidden layer of a spec string: dense (`64:relu`) or
// dropout (`dropout:0.2`).
type LayerSpec struct {
	Kind       string  // "dense" or "dropout"
	Units      int     // dense only, >= 1
	Activation string  // dense only, one of Activations
	Rate       float64 // dropout only, 0 <= rate < 1
}

// Config describes a network. NewModel fills defaults and validates.
type Config struct {
	Inputs  int         // number of input features, >= 1
	Outputs int         // classes (>= 2) for classification, targets (>= 1) for regression
	Task    Task        // Classification (default) or Regression
	Layers  []LayerSpec // hidden layers; the output layer follows Task
	Loss    string      // "" picks cross_entropy / mse; "huber" for regression
	Seed    int64       // weight initialisation seed

	// DType is the type the weights are kept and trained in: Float64 (the
	// zero value, as before float32 existed) or Float32 (half the memory,
	// twice the lanes per product). Predict, Evaluate and DenseLayers
	// take and give float64 either way; the safetensors file stores F32
	// tensors for a Float32 model and F64 for a Float64 one.
	DType DType

	// Target scaling: both nil (the default), or both with one value per
	// output, every mean finite and every std finite and > 0. Set them to
	// the training targets' mean and standard deviation (sessions.Prepare
	// does) so that targets in any units (house prices near 100,000) train
	// as well as targets near 0: the output starts at the right scale and
	// the loss gradients stay O(1) for any learning rate. Fit standardises
	// Y with them; Predict, PredictTo and Evaluate's MSE/MAE/R² undo it;
	// DenseLayers folds it into the output layer; the safetensors file
	// stores it.
	TargetMean, TargetStd []float64 // regression only: the model learns (y-mean)/std and Predict answers in y's own units; nil = identity
}

// Model is a feed-forward network. Predict and Evaluate are safe to call from
// many goroutines at once while no training runs on the same model.
type Model struct {
	impl *model
}

// Config returns the model's configuration (defaults filled in).
func (m *Model) Config() Config { return m.impl.config() }

// Clone returns a deep copy, so one copy can serve while another trains.
func (m *Model) Clone() *Model { return &Model{impl: m.impl.clone()} }

// ParamCount is the number of trainable parameters.
func (m *Model) ParamCount() int { return m.impl.nParams }

// SummaryRow is one line of the Keras-like summary.
type SummaryRow struct {
	Layer  string // e.g. "dense (relu)", "dropout 0.2", "dense (softmax)"
	Output string // e.g. "(-, 16)"
	Params int
}

// DenseParams is one dense layer's weights, for exporters. W is in×out.
type DenseParams struct {
	W          *mat.Dense
	B          []float64
	Activation string // hidden: one of Activations; output: "softmax" or "linear"
}

// Data is a set of examples: X is n×features; Y is n×1 class indices for
// classification or n×T targets for regression.
//
// Rows may stand in for X (set one, not both): the features are then read
// a row at a time as batches and evaluation chunks are filled, straight
// into the model's compute type, so that data kept compact (uint8 pixels,
// float32 columns) and scaled as it is read never exists as a float64
// copy.
type Data struct {
	X    *mat.Dense
	Y    *mat.Dense
	Rows Features
}

// Features is a table of feature rows read on demand, as the model sees
// them (scaled). Row32 and Row64 write columns [c0, c1) of row i into dst
// (len c1-c0, in float32 or float64); they are called from several
// goroutines at once and must not allocate, or every training step would.
// Fit and Evaluate check every value once for NaN and ±Inf.
type Features interface {
	Dims() (rows, cols int)
	Row32(dst []float32, i, c0, c1 int)
	Row64(dst []float64, i, c0, c1 int)
}

// Metrics is what Evaluate measures. For regression, Loss is in the
// standardised units the optimiser sees (the same units as Fit's loss and
// val_loss; see Config.TargetMean), while MSE, MAE and R² are in the
// target's own units.
type Metrics struct {
	Loss      float64 `json:"loss"`
	Accuracy  float64 `json:"accuracy,omitempty"`  // classification
	Confusion [][]int `json:"confusion,omitempty"` // classification, [true][predicted]
	MSE       float64 `json:"mse,omitempty"`       // regression
	MAE       float64 `json:"mae,omitempty"`       // regression
	R2        float64 `json:"r2,omitempty"`        // regression
}

// FitOptions configures Fit. Zero values take the documented default.
type FitOptions struct {
	Epochs       int     // default 100
	BatchSize    int     // default 32
	Optimizer    string  // one of Optimizers; default "adam"
	LearningRate float64 // default 0.001 (0.01 for sgd/momentum/nesterov)
	Momentum     float64 // momentum/nesterov, default 0.9
	WeightDecay  float64 // adamw decoupled weight decay, default 0.01
	L1, L2       float64 // penalties, default 0
	ClipNorm     float64 // global gradient-norm clip, 0 = off

	Schedule  string  // one of Schedules; default "constant"
	StepSize  int     // "step": epochs between decays, default 10
	StepGamma float64 // "step": factor, default 0.5

	ReduceOnPlateau bool    // multiply lr by PlateauFactor after PlateauPatience epochs without val improvement
	PlateauPatience int     // default 5
	PlateauFactor   float64 // default 0.5

	Patience int  // early stopping on val loss; 0 = off
	KeepLast bool // false (default): restore the best epoch's weights when training ends for any reason

	Seed       int64 // shuffling and dropout seed
	StartEpoch int   // epochs already done (continuing a session); numbering continues from here

	// PriorBestEpoch and PriorBest carry a continued run's best so far: the
	// absolute epoch and its Monitored figure, whose weights the model
	// holds when Fit starts. The new epochs must beat it to become the best;
	// if none does, those weights come back (unless KeepLast) and
	// Result.BestEpoch stays PriorBestEpoch. 0 = no prior best.
	PriorBestEpoch int
	PriorBest      float64
	Progress       time.Duration // minimum gap between Progress events, default 50ms
	Control        *Control      // optional pause/resume
}

// EventKind tells epoch summaries from in-epoch progress.
type EventKind int

const (
	EpochEnd EventKind = iota
	Progress
)

// Event is what Fit reports. Val fields are NaN when there is no validation
// data. For regression, Accuracy and ValAccuracy hold R² (in the target's
// units), and Loss and ValLoss are both in the standardised units the
// optimiser sees (Config.TargetMean/TargetStd), so they compare.
type Event struct {
	Kind          EventKind
	Epoch, Epochs int // 1-based epoch, total epochs planned (including StartEpoch)
	Step, Steps   int // Progress only
	Loss          float64
	Accuracy      float64
	ValLoss       float64
	ValAccuracy   float64
	LearningRate  float64
	Duration      time.Duration // EpochEnd: the epoch's duration; Progress: time since epoch start
	SamplesPerSec float64
	// BestEpoch is the best epoch of this Fit call so far, by the rule of
	// BestEpoch (the one early stopping and Result.BestEpoch use); set on
	// EpochEnd (this epoch included), 0 on Progress.
	BestEpoch int
}

// EpochStats is one epoch of history (what sessions store).
type EpochStats struct {
	Epoch         int     `json:"epoch"`
	Loss          float64 `json:"loss"`
	Accuracy      float64 `json:"accuracy"`
	ValLoss       float64 `json:"val_loss"`
	ValAccuracy   float64 `json:"val_accuracy"`
	LearningRate  float64 `json:"lr"`
	Seconds       float64 `json:"seconds"`
	SamplesPerSec float64 `json:"samples_per_sec"`
}

// StopReason says why Fit returned.
type StopReason string

const (
	Completed    StopReason = "completed"
	EarlyStopped StopReason = "early_stopped"
	Cancelled    StopReason = "cancelled"
	Diverged     StopReason = "diverged"
)

// Result is what Fit returns alongside any error.
type Result struct {
	History   []EpochStats // this call's epochs only
	BestEpoch int          // absolute epoch number chosen by the rule of BestEpoch (PriorBestEpoch if no new epoch beat it); 0 when no epoch ran
	Reason    StopReason
}

// Monitored is the figure the best-epoch rule minimises: the validation loss
// when the epoch was validated, else the training loss.
func Monitored(e EpochStats) float64 {
	if math.IsNaN(e.ValLoss) {
		return e.Loss
	}
	return e.ValLoss
}

// BestEpoch is the epoch of h with the lowest Monitored figure, the first
// one on a tie, or 0 when h is empty. It is the rule Fit uses for early
// stopping, for the weights it keeps and for Result.BestEpoch, so a history
// read back from disk names the same epoch the run kept.
func BestEpoch(h []EpochStats) int {
	best, bestV := 0, math.Inf(1)
	for _, e := range h {
		if v := Monitored(e); v < bestV {
			best, bestV = e.Epoch, v
		}
	}
	return best
}

// ErrDiverged is wrapped by Fit's error when the loss became NaN or Inf.
var ErrDiverged = errors.New("training diverged: the loss became NaN or Inf; try a lower learning rate")
