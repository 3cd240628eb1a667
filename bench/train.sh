#!/usr/bin/env bash
# Training throughput of Workbench's engine against its peers (PyTorch and
# scikit-learn from Debian), measured in alternation in one run so that a
# noisy, shared machine tilts every side alike. Prints samples/s per round
# and, at the end, the medians and the ratio workbench / peer.
#
# Usage (from anywhere):  bench/train.sh
# Environment:
#   ROUNDS=3          rounds of (workbench, peers); the medians are over them
#   BENCHTIME=2s      go test -benchtime for each engine benchmark
#   PEERS=DIR         the peers folder (default ../shared/bench/peers, relative
#                     to the repository root); it is copied, never written
#   GONUM=1           also run the engine with WORKBENCH_GEMM=off (gonum's Dgemm)
#   SKIP_INSTALL=1    do not apt-get the peers when they are missing
#   STEP_TIMEOUT=300  seconds any single command may take before it is killed
# Every command runs under `timeout`, so the script is bounded: about
# ROUNDS × (2 × BENCHTIME + ~25 s of peers) plus one compile.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

ROUNDS=${ROUNDS:-3}
BENCHTIME=${BENCHTIME:-2s}
STEP_TIMEOUT=${STEP_TIMEOUT:-300}
PEERS=${PEERS:-../shared/bench/peers}
PY=/usr/bin/python3 # Debian's Python: another python3 on PATH may not see the peers

die() { echo "train.sh: $*" >&2; exit 1; }
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer, got '$ROUNDS'"
[[ -d $PEERS ]] || die "peers folder '$PEERS' not found (set PEERS=DIR; relative paths are from $root)"
for f in train_torch.py train_sklearn.py; do
	[[ -f $PEERS/$f ]] || die "'$PEERS' has no $f"
done
command -v go >/dev/null || die "go not found on PATH"

# (1) Peers: install when missing (Debian packages), run from a writable copy.
if ! "$PY" -c 'import torch, sklearn, numpy' 2>/dev/null; then
	[[ ${SKIP_INSTALL:-} == 1 ]] && die "torch/sklearn missing for $PY and SKIP_INSTALL=1"
	echo "installing peers: apt-get install -y python3-torch python3-sklearn python3-numpy" >&2
	sudo=""
	[[ $(id -u) == 0 ]] || sudo=sudo
	timeout "$STEP_TIMEOUT" $sudo apt-get install -y python3-torch python3-sklearn python3-numpy >&2 ||
		die "could not install the peers; install python3-torch python3-sklearn python3-numpy"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$PEERS" "$work/peers"
results=$work/results.tsv # round, workload, impl, samples/s

# (2) The engine's benchmarks, compiled once.
echo "compiling the engine's benchmarks..." >&2
timeout "$STEP_TIMEOUT" go test -c -o "$work/engine.test" ./engine/ >&2 || die "go test -c ./engine/ failed"

# engine MODE ROUND: run BenchmarkTrainStep with WORKBENCH_GEMM=MODE.
engine() {
	local mode=$1 round=$2 impl=workbench
	[[ $mode == off ]] && impl=workbench-gonum
	local out
	out=$(cd engine && WORKBENCH_GEMM=$mode timeout "$STEP_TIMEOUT" "$work/engine.test" \
		-test.run '^$' -test.bench 'BenchmarkTrainStep' -test.benchtime "$BENCHTIME" 2>&1) ||
		die "engine benchmark failed:"$'\n'"$out"
	awk -v r="$round" -v impl="$impl" '
		/^BenchmarkTrainStep\// {
			w = ($1 ~ /64-64-64-10_b32-[0-9]+$/) ? "small" : ($1 ~ /784-256-128-10_b128-[0-9]+$/) ? "big" : ""
			for (i = 2; i < NF; i++) if ($(i+1) == "samples/s" && w != "") print r "\t" w "\t" impl "\t" $i
		}' <<<"$out" >>"$results"
}

# peer ROUND WORKLOAD IMPL CMD...: run one peer script, keep samples_per_s.
peer() {
	local round=$1 w=$2 impl=$3 out sps
	shift 3
	out=$(cd "$work/peers" && timeout "$STEP_TIMEOUT" "$@" 2>/dev/null) || {
		echo "train.sh: peer '$impl $w' failed or timed out; skipped" >&2
		return 0
	}
	sps=$("$PY" -c 'import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])["samples_per_s"])' <<<"$out") || return 0
	printf '%s\t%s\t%s\t%s\n' "$round" "$w" "$impl" "$sps" >>"$results"
}

echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-<unset>} (as inherited; used by the peers' OpenBLAS)"
for ((r = 1; r <= ROUNDS; r++)); do
	echo "round $r/$ROUNDS" >&2
	engine "${WORKBENCH_GEMM:-auto}" "$r"
	[[ ${GONUM:-} == 1 ]] && engine off "$r"
	# PyTorch float32 at its best thread setting per workload (peers/README.md).
	peer "$r" big torch-f32 env OMP_WAIT_POLICY=PASSIVE "$PY" train_torch.py big float32 index 2
	peer "$r" small torch-f32 "$PY" train_torch.py small float32 index 1
	peer "$r" big sklearn "$PY" train_sklearn.py big 2 float64
	peer "$r" small sklearn "$PY" train_sklearn.py small 1 float64
done

# (3) Per-round figures, medians and ratios.
echo
echo "samples/s per round:"
sort -k2,2 -k3,3 -k1,1n "$results" | awk -F'\t' '{printf "  %-6s %-16s round %s  %12.0f\n", $2, $3, $1, $4}'
echo
awk -F'\t' '
	{ v[$2 "\t" $3] = v[$2 "\t" $3] " " $4 }
	function median(s,   a, n, i, j, t) {
		n = split(s, a, " ")
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
		return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
	}
	END {
		printf "%-6s %-16s %14s %18s\n", "net", "impl", "median s/s", "workbench / impl"
		split("big small", ws, " ")
		for (wi = 1; wi <= 2; wi++) {
			w = ws[wi]
			if (!((w "\tworkbench") in v)) continue
			wb = median(v[w "\tworkbench"])
			split("workbench workbench-gonum torch-f32 sklearn", is, " ")
			for (ii = 1; ii <= 4; ii++) {
				k = w "\t" is[ii]
				if (!(k in v)) continue
				m = median(v[k])
				printf "%-6s %-16s %14.0f %17.2fx\n", w, is[ii], m, wb / m
			}
		}
	}' "$results"
echo "(big = 784-256-128-10 at batch 128, small = 64-64-64-10 at batch 32; Workbench kernel: WORKBENCH_GEMM=${WORKBENCH_GEMM:-auto})"
