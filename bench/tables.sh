#!/usr/bin/env bash
# Accuracy on a mixed table (numbers, text with gaps, an identifier, a
# date) of workbench's table pipeline against scikit-learn's
# ColumnTransformer + MLPClassifier (issue 20), on the same train/test
# files, over several seeds. Not a speed benchmark: it prints each seed's
# test accuracy for both, then the means ± sd and the difference.
#
# Usage (from anywhere):  bench/tables.sh
# Environment:
#   SEEDS="1 2 3 4 5"  seeds (each: a new table and a new split)
#   ROWS=1000          rows per table
#   STEP_TIMEOUT=120   seconds any single command may take
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
SEEDS=${SEEDS:-1 2 3 4 5}
ROWS=${ROWS:-1000}
STEP_TIMEOUT=${STEP_TIMEOUT:-120}
PY=/usr/bin/python3 # Debian's Python, which sees python3-sklearn

die() { echo "tables.sh: $*" >&2; exit 1; }
[[ $ROWS =~ ^[1-9][0-9]*$ ]] || die "ROWS must be a positive integer, got '$ROWS'"
"$PY" -c 'import sklearn, numpy' 2>/dev/null || die "scikit-learn missing for $PY: apt-get install python3-sklearn"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && timeout "$STEP_TIMEOUT" go build -o "$work/workbench" .) || die "go build failed"

printf 'seed\tworkbench\tsklearn\n'
for seed in $SEEDS; do
	d=$work/$seed
	mkdir -p "$d"
	timeout "$STEP_TIMEOUT" "$PY" "$here/tables_data.py" "$d" "$seed" "$ROWS"
	timeout "$STEP_TIMEOUT" "$work/workbench" train --home "$d/home" --data "$d/train.csv" --target Survived \
		--drop PassengerId --impute median --val 0.2 --test 0 --layers 64:relu --epochs 200 --patience 20 --seed "$seed" --json \
		>/dev/null 2>"$d/train.err" || die "workbench train failed: $(cat "$d/train.err")"
	wb=$(timeout "$STEP_TIMEOUT" "$work/workbench" predict --home "$d/home" --input "$d/test.csv" --json |
		"$PY" -c '
import csv, json, sys
labels = json.load(sys.stdin)["labels"]
truth = [r["Survived"] for r in csv.DictReader(open(sys.argv[1]))]
print(f"{sum(a == b for a, b in zip(labels, truth)) / len(truth):.4f}")' "$d/test.csv")
	sk=$(timeout "$STEP_TIMEOUT" "$PY" "$here/tables_sklearn.py" "$d" "$seed")
	printf '%s\t%s\t%s\n' "$seed" "$wb" "$sk" | tee -a "$work/results.tsv"
done
"$PY" - "$work/results.tsv" <<'PY'
import statistics as st, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().split("\n") if l]
wb = [float(r[1]) for r in rows]; sk = [float(r[2]) for r in rows]
sd = lambda v: st.stdev(v) if len(v) > 1 else 0.0
print(f"workbench {st.mean(wb):.4f} ± {sd(wb):.4f}   sklearn {st.mean(sk):.4f} ± {sd(sk):.4f}   "
      f"difference {st.mean(wb) - st.mean(sk):+.4f} ± {sd([a - b for a, b in zip(wb, sk)]):.4f} (n={len(wb)})")
PY
