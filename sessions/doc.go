// Package sessions keeps every training run on disk: the dataset reference,
// the split and scaler, the model spec and hyper-parameters, the trained
// weights and the history of every epoch. It is the only package that knows
// the on-disk layout:
//
//	<home>/sessions/<id>/session.json       human-readable, indented, versioned
//	<home>/sessions/<id>/model.safetensors  the weights (engine.WriteSafetensors)
//	<home>/sessions/<id>/history.bin        per-epoch history, append-only (history.go)
//	<home>/sessions/<id>/.running           locked while a process trains it
//	<home>/sessions/.lock                   serialises writers across processes
//	<home>/sessions/.sweeps/<id>.json       one per sweep id taken (its definition)
//
// Every write is atomic (temporary file in the same folder, fsync, rename,
// fsync of the folder) and a new session appears as a whole folder renamed
// into place, so a crash at any moment leaves every earlier session loadable.
// Deletion renames the folder to a tombstone first. A damaged session is
// listed with the reason, never hidden; one stored as running whose process
// died is listed as interrupted.
//
// The runs table (record.go: every figure of a session by name, typed),
// its filter language and sort (filter.go), unique default names
// (uniquename.go) and sweeps (sweep.go, sweeprun.go) live here so that
// `workbench sessions`/`workbench sweep` and the TUI agree on them.
//
// Export writes a session's model for use outside workbench (ONNX, a Triton
// model repository entry, safetensors, plain JSON); `workbench export` and
// the TUI's Sessions pane both use it.
//
// sessions imports engine (with engine/onnx, for exports) and datasets; it
// must never import serve, cli, tui or main, nor know anything of terminals or
// HTTP.
package sessions
