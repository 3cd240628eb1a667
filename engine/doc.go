// Package engine is Workbench's neural-network engine: feed-forward networks
// (dense, dropout) built from a spec string, trained with mini-batch gradient
// descent (Fit), evaluated, used for inference (Predict) and stored in the
// safetensors format.
//
// Every matrix product goes through gonum's blas64.Gemm, so a faster Gemm
// installed with blas64.Use (see engine/gemm) speeds up training and
// inference without any change here. The training step allocates nothing once
// its buffers exist.
//
// Errors follow gonum's split: a shape mismatch that only a programming
// mistake can cause panics (documented on the method); bad user input (a
// spec, a config, a data set, a file) returns an error naming the problem.
//
// The engine knows matrices, not files of data, terminals or HTTP: it must
// never import another package of this project (datasets, sessions, serve,
// tui, main).
package engine
