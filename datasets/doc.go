// Package datasets gives Workbench its data: real datasets embedded in the
// binary (iris, wine, breast-cancer, digits, diabetes), seeded synthetic
// generators (spiral, moons, circles, xor, blobs, sine), loaders for the
// user's own CSV and IDX (MNIST-format) files, Fashion-MNIST when its Debian
// package is installed, and the preparation every training run needs:
// stratified train/validation/test splits and a standardising scaler that
// is fitted on the training rows and travels with the model.
//
// One reference string names any dataset (see Load), so that a session can
// store where its data came from and load it again.
//
// This package must never import another package of the project (engine,
// sessions, serve, tui or main): everything above it depends on it, and it
// knows nothing about models, sessions or terminals.
package datasets
