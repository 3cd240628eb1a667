// Package datasets gives Workbench its data: real datasets embedded in the
// binary (iris, wine, breast-cancer, digits, diabetes), seeded synthetic
// generators (spiral, moons, circles, xor, blobs, sine), loaders for the
// user's own CSV and IDX (MNIST-format) files, Fashion-MNIST when its Debian
// package is installed, and the preparation every training run needs:
// stratified train/validation/test splits and a standardising scaler that
// is fitted on the training rows and travels with the model.
//
// One reference string names any dataset, so that a session can store
// where its data came from and load the same data again:
//
//	iris                              a built-in set
//	spiral?n=600&noise=0.2&seed=7     a generator with parameters; Dataset.Ref
//	                                  spells out every parameter
//	fashion-mnist?split=test          the installed Fashion-MNIST
//	./data.csv                        a CSV file (gzipped or not)
//	./mnist/train-images-idx3-ubyte   IDX images; labels found beside them
//
// A CSV's columns are typed from their values (tableapi.go): numbers,
// categories (text) and dates; identifiers are left out. Plain numeric
// files take the one-pass numeric loader; any other file is read by the
// typed loader, whose Dataset keeps raw codes in X (Table.Raw) until
// Split.Preprocess fits a Preprocessor on the training part (one-hot
// vocabularies, date features, fill values) and encodes every part. The
// Preprocessor is stored with the model and turns raw rows of strings
// into features for prediction.
//
// Generated data depends only on the reference: the package has its own
// random generator, fixed by a test, rather than math/rand's streams.
//
// Bad input is returned as an error, never a panic; problems inside a
// user's file are *FileError values naming the file, line and column, and
// wrap an Err* value for errors.Is. A shape mismatch from a programming
// mistake (a Scaler applied to the wrong number of columns) panics, as in
// gonum.
//
// This package must never import another package of the project (engine,
// sessions, serve, cli, tui or main): everything above it depends on it, and it
// knows nothing about models, sessions or terminals.
package datasets
