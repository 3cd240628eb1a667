#!/usr/bin/env bash
# Checks `workbench export --format onnx` in the real runtimes: trains small
# models covering every activation, classification and regression, none, one
# and many hidden layers; validates each file with Debian's python3-onnx
# (check_model, full_check) and runs it in onnxruntime-node 1.30 on a batch
# of rows, comparing with `workbench predict --json` to 1e-5 (abs + rel).
# Exits non-zero on any failure. Installs what it needs (cached between runs).
set -euo pipefail
cd "$(dirname "$0")/.."

TOL=1e-5
ROWS=64
cache=${WORKBENCH_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/workbench-ci}
export ORT_DIR=$cache/onnxruntime-node-1.30.0
PY=/usr/bin/python3 # Debian's, where python3-onnx installs; not a pyenv shim
start=$SECONDS

say() { printf 'onnx.sh: %s\n' "$*"; }
die() { printf 'onnx.sh: FAIL: %s\n' "$*" >&2; exit 1; }

# --- tools -----------------------------------------------------------------
if ! "$PY" -c 'import onnx' 2>/dev/null; then
	say "installing python3-onnx"
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq python3-onnx) >/dev/null ||
		die "could not install python3-onnx"
fi
if [ ! -f "$ORT_DIR/node_modules/onnxruntime-node/package.json" ]; then
	say "installing onnxruntime-node 1.30.0 into $ORT_DIR"
	mkdir -p "$ORT_DIR"
	[ -f "$ORT_DIR/package.json" ] || echo '{"private": true}' >"$ORT_DIR/package.json"
	# Without ONNXRUNTIME_NODE_INSTALL=skip its postinstall downloads CUDA
	# libraries, which cannot be reached here; the CPU binary ships in the
	# package itself.
	(cd "$ORT_DIR" && ONNXRUNTIME_NODE_INSTALL=skip timeout 600 npm install --no-audit --no-fund --silent onnxruntime-node@1.30.0) ||
		die "npm install onnxruntime-node@1.30.0 failed"
fi
say "python onnx $("$PY" -c 'import onnx; print(onnx.__version__)'), onnxruntime-node $(node -p "require('$ORT_DIR/node_modules/onnxruntime-node/package.json').version"), node $(node --version)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/workbench" .
wb() { timeout 120 "$work/workbench" "$@" --home "$work/home"; }

# --- models ----------------------------------------------------------------
# name | dataset | hidden layers | epochs [| dtype]. Few epochs: the check is
# that the graph computes what the engine computes, not that the model is
# good. Models train in the default float32; the -f64 ones in float64, whose
# weights the ONNX graph holds as float32 too.
models=(
	"iris-relu|iris|16:relu|5"
	"wine-leaky|wine|32:leaky_relu,dropout:0.2,16:leaky_relu|5"
	"cancer-elu|breast-cancer|24:elu,12:elu,8:elu|3"
	"digits-gelu|digits|32:gelu,16:gelu|2"
	"spiral-tanh|spiral?n=300&noise=0.2&seed=7|16:tanh,16:tanh|5"
	"moons-sigmoid|moons|8:sigmoid|5"
	"blobs-linear|blobs|8:linear|5"
	"blobs-nohidden|blobs||3"
	"diabetes-mixed|diabetes|32:relu,dropout:0.1,16:gelu,8:tanh,8:sigmoid|5"
	"sine-elu-leaky|sine|16:elu,16:leaky_relu|5"
	"diabetes-gelu|diabetes|8:gelu|3"
	"sine-nohidden|sine||3"
	"iris-relu-f64|iris|16:relu|5|float64"
	"digits-gelu-f64|digits|32:gelu,16:gelu|2|float64"
	"diabetes-mixed-f64|diabetes|32:relu,dropout:0.1,16:gelu,8:tanh,8:sigmoid|5|float64"
)

for m in "${models[@]}"; do
	IFS='|' read -r name data layers epochs dtype <<<"$m"
	wb train --data "$data" --layers "$layers" --epochs "$epochs" --name "$name" ${dtype:+--dtype "$dtype"} >"$work/$name.train.log" 2>&1 ||
		{ cat "$work/$name.train.log" >&2; die "$name: workbench train failed"; }
	wb export --session "$name" --format onnx -o "$work/$name.onnx" 2>/dev/null || die "$name: export onnx failed"
	wb export --session "$name" --format json -o "$work/$name.json" 2>/dev/null || die "$name: export json failed"
	node .ci/onnx_compare.js rows "$work/$name.json" "$ROWS" >"$work/$name.rows.json"
	printf '{"input_data": %s}\n' "$(cat "$work/$name.rows.json")" >"$work/$name.request.json"
	wb predict --session "$name" --input "$work/$name.request.json" --json >"$work/$name.predict.json" 2>"$work/$name.predict.err" ||
		{ cat "$work/$name.predict.err" >&2; die "$name: workbench predict failed"; }
done
say "trained and exported ${#models[@]} models"

# --- the ONNX checker --------------------------------------------------------
"$PY" - "$work"/*.onnx <<'PYEOF' || die "onnx.checker rejected a model"
import json, sys
import onnx

for path in sys.argv[1:]:
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)  # raises on any defect
    meta = {p.key: p.value for p in m.metadata_props}
    assert m.ir_version == 8 and [(o.domain, o.version) for o in m.opset_import] == [("", 17)], path
    assert [i.name for i in m.graph.input] == ["input"], path
    out = m.graph.output[0].name
    assert out == ("probabilities" if meta["task"] == "classification" else "output"), path
    dims = [d.dim_param or d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim]
    assert dims[0] == "batch" and dims[1] == len(json.loads(meta["features"])), (path, dims)
    print("checker ok  %-28s %-14s ops %s" % (path.rsplit("/", 1)[-1], meta["task"], " ".join(sorted({n.op_type for n in m.graph.node}))))
PYEOF

# --- onnxruntime against workbench predict -----------------------------------
for m in "${models[@]}"; do
	name=${m%%|*}
	node .ci/onnx_compare.js compare "$work/$name.onnx" "$work/$name.rows.json" "$work/$name.predict.json" "$TOL" ||
		die "$name: onnxruntime and workbench predict differ"
done
say "all ${#models[@]} models match onnxruntime to $TOL (abs+rel) in $((SECONDS - start))s"
