// Package serve puts one session's model behind a strict, fast HTTP API:
// POST /predict (the contract existing clients use), the Open Inference
// Protocol V2 (KServe / Triton REST) routes, and Prometheus metrics on
// GET /metrics. It is started and stopped by `workbench serve` and by the
// TUI's Serve pane through Server's small API (Start, Stop, Swap, Stats).
//
// Request bodies are read with hand-written scanners rather than
// encoding/json: the hot path decodes numbers straight into a pooled
// matrix buffer, and every error names the field, the row and what was
// expected. No input may produce a 500: a recover middleware is the last
// line, not the plan.
//
// Numbers are scanned in one pass (jsonscan.go) and converted by
// datasets.FromDecimal, the conversion CSV loading's FastFloat uses too
// (strconv.ParseFloat for the rare number it leaves).
//
// serve imports sessions, engine (and engine/gemm only in tests) and
// datasets (its types and number conversion), and must never import tui, cli or
// main: it knows nothing of terminals.
package serve
