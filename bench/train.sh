#!/usr/bin/env bash
# Training throughput of Workbench's engine against its peers (PyTorch and
# scikit-learn from Debian), measured in alternation in one run so that a
# noisy, shared machine tilts every side alike. Prints samples/s per round
# and, at the end, the medians and the ratios workbench-f32 / peer and
# workbench (float64) / peer, per thread mode.
#
# Usage (from anywhere):  bench/train.sh
# Environment:
#   ROUNDS=3          rounds of (workbench, peers); the medians are over them
#   THREADS="2 1"     thread modes, each run every round: 2 = the engine on
#                     every core against PyTorch at its best setting per
#                     workload and scikit-learn on 2; 1 = the engine with
#                     GOMAXPROCS=1 against PyTorch and scikit-learn on 1 thread
#   BENCHTIME=2s      go test -benchtime for each engine benchmark
#   PEERS=DIR         the peers folder (default ../shared/bench/peers, relative
#                     to the repository root); it is copied, never written
#   GONUM=1           also run the engine with WORKBENCH_GEMM=off (gonum's Dgemm)
#   SKIP_INSTALL=1    do not apt-get the peers when they are missing
#   STEP_TIMEOUT=300  seconds any single command may take before it is killed
# Every command runs under `timeout`, so the script is bounded: about
# ROUNDS × modes × (4 × BENCHTIME + ~25 s of peers) plus one compile.
# The engine runs each workload in float64 ("workbench") and float32
# ("workbench-f32", BenchmarkTrainStep's _f32 cases).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-2 1}
BENCHTIME=${BENCHTIME:-2s}
STEP_TIMEOUT=${STEP_TIMEOUT:-300}
PEERS=${PEERS:-../shared/bench/peers}
PY=/usr/bin/python3 # Debian's Python: another python3 on PATH may not see the peers

die() { echo "train.sh: $*" >&2; exit 1; }
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer, got '$ROUNDS'"
for th in $THREADS; do
	[[ $th == 1 || $th == 2 ]] || die "THREADS lists thread modes 1 and/or 2, got '$THREADS'"
done
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
results=$work/results.tsv # round, threads, workload, impl, samples/s

# (2) The engine's benchmarks, compiled once.
echo "compiling the engine's benchmarks..." >&2
timeout "$STEP_TIMEOUT" go test -c -o "$work/engine.test" ./engine/ >&2 || die "go test -c ./engine/ failed"

# engine MODE ROUND THREADS: run BenchmarkTrainStep (float64 and float32)
# with WORKBENCH_GEMM=MODE on THREADS cores (GOMAXPROCS).
engine() {
	local mode=$1 round=$2 th=$3 impl=workbench
	[[ $mode == off ]] && impl=workbench-gonum
	local out
	out=$(cd engine && WORKBENCH_GEMM=$mode GOMAXPROCS=$th timeout "$STEP_TIMEOUT" "$work/engine.test" \
		-test.run '^$' -test.bench 'BenchmarkTrainStep/(64-64-64-10_b32|784-256-128-10_b128)(_f32)?$' \
		-test.benchtime "$BENCHTIME" 2>&1) ||
		die "engine benchmark failed:"$'\n'"$out"
	awk -v r="$round" -v th="$th" -v impl="$impl" '
		/^BenchmarkTrainStep\// {
			name = $1; sub(/-[0-9]+$/, "", name)
			w = (name ~ /64-64-64-10_b32(_f32)?$/) ? "small" : (name ~ /784-256-128-10_b128(_f32)?$/) ? "big" : ""
			im = (name ~ /_f32$/) ? impl "-f32" : impl
			for (i = 2; i < NF; i++) if ($(i+1) == "samples/s" && w != "") print r "\t" th "\t" w "\t" im "\t" $i
		}' <<<"$out" >>"$results"
}

# peer ROUND THREADS WORKLOAD IMPL CMD...: run one peer script, keep samples_per_s.
peer() {
	local round=$1 th=$2 w=$3 impl=$4 out sps
	shift 4
	out=$(cd "$work/peers" && timeout "$STEP_TIMEOUT" "$@" 2>/dev/null) || {
		echo "train.sh: peer '$impl $w' failed or timed out; skipped" >&2
		return 0
	}
	sps=$("$PY" -c 'import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])["samples_per_s"])' <<<"$out") || return 0
	printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$th" "$w" "$impl" "$sps" >>"$results"
}

echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-<unset>} (as inherited; used by the peers' OpenBLAS)"
for ((r = 1; r <= ROUNDS; r++)); do
	for th in $THREADS; do
		echo "round $r/$ROUNDS, $th thread(s)" >&2
		engine "${WORKBENCH_GEMM:-auto}" "$r" "$th"
		[[ ${GONUM:-} == 1 ]] && engine off "$r" "$th"
		if [[ $th == 2 ]]; then
			# PyTorch float32 at its best thread setting per workload (peers/README.md).
			peer "$r" 2 big torch-f32 env OMP_WAIT_POLICY=PASSIVE "$PY" train_torch.py big float32 index 2
			peer "$r" 2 small torch-f32 "$PY" train_torch.py small float32 index 1
			peer "$r" 2 big sklearn "$PY" train_sklearn.py big 2 float64
			peer "$r" 2 small sklearn "$PY" train_sklearn.py small 1 float64
		else
			peer "$r" 1 big torch-f32 env OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=1 "$PY" train_torch.py big float32 index 1
			peer "$r" 1 small torch-f32 env OMP_NUM_THREADS=1 "$PY" train_torch.py small float32 index 1
			peer "$r" 1 big sklearn env OMP_NUM_THREADS=1 "$PY" train_sklearn.py big 1 float64
			peer "$r" 1 small sklearn env OMP_NUM_THREADS=1 "$PY" train_sklearn.py small 1 float64
		fi
	done
done

# (3) Per-round figures, medians and ratios.
echo
echo "samples/s per round:"
sort -k2,2n -k3,3 -k4,4 -k1,1n "$results" | awk -F'\t' '{printf "  %s thr  %-6s %-20s round %s  %12.0f\n", $2, $3, $4, $1, $5}'
echo
awk -F'\t' '
	{ v[$2 "\t" $3 "\t" $4] = v[$2 "\t" $3 "\t" $4] " " $5; th[$2] = 1 }
	function median(s,   a, n, i, j, t) {
		n = split(s, a, " ")
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
		return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
	}
	END {
		printf "%-4s %-6s %-20s %14s %16s %16s\n", "thr", "net", "impl", "median s/s", "wb-f32 / impl", "wb-f64 / impl"
		split("2 1", ts, " ")
		split("big small", ws, " ")
		split("workbench-f32 workbench workbench-gonum-f32 workbench-gonum torch-f32 sklearn", is, " ")
		for (ti = 1; ti <= 2; ti++) for (wi = 1; wi <= 2; wi++) {
			p = ts[ti] "\t" ws[wi] "\t"
			if (!((p "workbench") in v)) continue
			wb = median(v[p "workbench"]); f32 = ((p "workbench-f32") in v) ? median(v[p "workbench-f32"]) : 0
			for (ii = 1; ii <= 6; ii++) {
				if (!((p is[ii]) in v)) continue
				m = median(v[p is[ii]])
				printf "%-4s %-6s %-20s %14.0f %15.2fx %15.2fx\n", ts[ti], ws[wi], is[ii], m, f32 / m, wb / m
			}
		}
	}' "$results"
echo "(big = 784-256-128-10 at batch 128, small = 64-64-64-10 at batch 32; thr 1 = engine GOMAXPROCS=1 and peers on 1 thread,"
echo " thr 2 = engine on 2 cores, PyTorch at its best setting per workload; Workbench kernel: WORKBENCH_GEMM=${WORKBENCH_GEMM:-auto})"
