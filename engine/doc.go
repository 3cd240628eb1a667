// Package engine is Workbench's neural-network engine: feed-forward networks
// (dense, dropout) built from a spec string, trained with mini-batch gradient
// descent (Fit), evaluated, used for inference (Predict) and stored in the
// safetensors format.
//
// One file per piece, forward and backward side by side: dense.go,
// dropout.go, activation.go, loss_softmax.go, loss_regression.go,
// optimizer.go; network.go chains the layers; trainer.go is one training
// step; fit.go the loop, its events and stopping rules; target.go the
// regression targets' standardisation (Config.TargetMean/TargetStd), kept
// outside the layers so gradients and optimizers never see it.
//
// Performance. Every matrix product goes through gonum's blas64.Gemm (gemm.go),
// so a faster Gemm installed with blas64.Use speeds up training and inference
// without any change here. Importing the engine installs nothing: a program
// calls gemm.Install (engine/gemm, honouring $WORKBENCH_GEMM) from its main,
// and the engine's tests and benchmarks do in TestMain. On gonum's own Dgemm the engine
// tiles products below the size at which gonum would start goroutines, and
// orders them so that ReLU's zeros fall in the operand gonum skips; it runs
// products of up to 8 rows as one Dgemv per row, the same sums in the same
// order but without Dgemm's set-up. Either way a row's prediction has the
// same bits alone as in a batch (TestPredictRowAloneEqualsBatch, every
// kernel but a cgo OpenBLAS), which the predict server and `workbench
// predict` rely on. A batch
// is split into two shards trained side by side and their gradients summed
// in order, except the first layer's: its forward product and its weight
// gradient are split by input columns, each half computed where that half
// of W is updated (trainer.go). The splits depend only on the batch size
// and the layer, so a seed gives the same bits on any number of cores. All parameters live in one flat slice,
// so the optimizers are single fused loops. A training step allocates
// nothing once its buffers exist.
//
// Compute types. Config.DType picks float64 (the zero value) or float32
// for a model's weights and its training; dtype.go has the generic matrix
// type general[T] (blas64.General's layout) and every pass, loss, optimizer
// and the trainer are written once over T (float32 | float64), products
// going to blas64 or blas32 by type. A float32 model's parameters live in
// model.params32; the public API stays float64 and converts at its edge
// (Predict copies rows into the workspace, DenseLayers and the float64 data
// of Fit are converted as they are read). Losses, metrics and clipping
// norms are summed in float64.
//
// Errors follow gonum's split: a shape mismatch that only a programming
// mistake can cause panics (documented on the method); bad user input (a
// spec, a config, a data set, a file) returns an error naming the problem.
//
// The engine knows matrices, not files of data, terminals or HTTP: it must
// never import another package of this project (datasets, sessions, serve,
// cli, tui, main). Of its own subpackages it imports engine/gemm (Claim, so
// its shard workers and gemm's parallel blocks share the cores without
// oversubscribing them) and engine/internal/spin (the workers' hand-off);
// engine/onnx imports the engine, never the reverse.
package engine
