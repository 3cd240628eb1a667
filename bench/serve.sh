#!/usr/bin/env bash
# Load benchmark of `workbench serve` against the seed's Flask server and a
# bare Go net/http handler, measured in one run so the ratios hold on a
# shared, noisy machine.
#
#   bench/serve.sh                      # 10 s per run, 32 connections, 2 wrk threads
#   DURATION=5s CONNS=64 bench/serve.sh
#   SESSION_HOME=~/.local/share/workbench SESSION=latest bench/serve.sh   # an existing 64-feature session
#   PEERS=/path/to/peers bench/serve.sh  # the peers folder (default ../shared/bench/peers)
#   SKIP_FLASK=1 bench/serve.sh
#
# Model: 64-64-64-10 (relu) trained for 3 epochs on digits, as the seed's
# Flask app (peers/flask_app.py, a numpy forward pass of the same shape).
# Bodies: peers/gen.py's row of 64 standard-normal floats for 1 row, and
# 64 such rows. Load is on 127.0.0.1 only and bounded by DURATION.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
PEERS=${PEERS:-$ROOT/../shared/bench/peers}
PY=${PY:-/usr/bin/python3}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/workbench-serve-bench.XXXXXX")
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*" >&2; }

if ! command -v wrk >/dev/null 2>&1; then
	say "installing wrk (apt-get install -y wrk)"
	SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
	$SUDO apt-get install -y -qq wrk >/dev/null 2>&1 || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null; }
fi

say "building workbench and the bare handler"
go build -o "$TMP/workbench" .
go build -o "$TMP/servebare" ./bench/servebare

HOME_DIR=${SESSION_HOME:-$TMP/home}
SESSION=${SESSION:-}
if [ -z "$SESSION" ]; then
	say "training a 64-64-64-10 session on digits (3 epochs)"
	SESSION=$("$TMP/workbench" train --data digits --layers 64:relu,64:relu,64:relu --epochs 3 --home "$HOME_DIR" --json |
		tail -1 | sed -n 's/.*"session":"\([^"]*\)".*/\1/p')
	[ -n "$SESSION" ] || { say "training failed"; exit 1; }
fi

# Bodies: the peers' 1-row body when available (the very bytes Flask gets),
# else a generated one; and 64 rows.
BODY1=$TMP/body1.json
BODY64=$TMP/body64.json
if [ -d "$PEERS" ] && [ -z "${SKIP_FLASK:-}" ]; then
	cp -r "$PEERS" "$TMP/peers"
	(cd "$TMP/peers" && "$PY" gen.py >/dev/null)
	cp "$TMP/peers/body.json" "$BODY1"
else
	SKIP_FLASK=1
	"$PY" -c 'import json,random; random.seed(0); print(json.dumps({"input_data":[[random.gauss(0,1) for _ in range(64)]]}))' >"$BODY1"
fi
"$PY" -c 'import json,random; random.seed(1); print(json.dumps({"input_data":[[random.gauss(0,1) for _ in range(64)] for _ in range(64)]}))' >"$BODY64"
for b in 1 64; do
	"$PY" - "$TMP/body$b.json" "$TMP/post$b.lua" <<'PYEOF'
import json, sys
body = open(sys.argv[1]).read().strip()
open(sys.argv[2], "w").write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ' + json.dumps(body) + "\n")
PYEOF
done

# start NAME CMD...: runs a server whose first stdout line ends with its URL.
start() {
	local name=$1; shift
	"$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	PIDS+=($!)
	local pid=$! i
	for i in $(seq 1 100); do
		URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$TMP/$name.out" 2>/dev/null | head -1 || true)
		[ -n "$URL" ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	say "$name did not start:"; cat "$TMP/$name.err" >&2; exit 1
}

stop_last() {
	local p=${PIDS[-1]}
	kill -TERM "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
	unset 'PIDS[-1]'
}

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

RESULTS=$TMP/results
: >"$RESULTS"
# run LABEL URL ROWS: one bounded wrk run; records req/s, p50, p99, errors.
run() {
	local label=$1 url=$2 rows=$3 out
	curl -sf -o /dev/null -H 'Content-Type: application/json' --data-binary @"$TMP/body$rows.json" "$url" ||
		{ say "$label: $url does not answer the body"; exit 1; }
	say "wrk -t$THREADS -c$CONNS -d$DURATION --latency: $label, $rows row(s)"
	out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$TMP/post$rows.lua" "$url")
	local rps p50 p99 bad
	rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
	p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
	p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
	bad=$(awk '/Non-2xx/ {printf "non-2xx: %s ", $NF} /Socket errors/ {sub(/^ */, ""); printf "%s", $0}' <<<"$out")
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$rows" "$rps" "$p50" "$p99" "${bad:-0}" >>"$RESULTS"
}

start workbench "$TMP/workbench" serve --home "$HOME_DIR" --session "$SESSION" --addr 127.0.0.1:0
run "workbench serve" "$URL/predict" 1
run "workbench serve" "$URL/predict" 64
stop_last

if [ -n "${DEBUG_LOG:-}" ]; then
	start workbench-debug "$TMP/workbench" serve --home "$HOME_DIR" --session "$SESSION" --addr 127.0.0.1:0 --log-level debug --log-format json
	run "workbench serve --log-level debug (to file)" "$URL/predict" 1
	stop_last
fi

start bare "$TMP/servebare" 127.0.0.1:0
run "bare net/http (no decoding, no model)" "$URL/predict" 1
stop_last

if [ -z "${SKIP_FLASK:-}" ]; then
	port=$(free_port)
	(cd "$TMP/peers" && exec "$PY" flask_app.py "$port") >"$TMP/flask.out" 2>"$TMP/flask.err" &
	PIDS+=($!)
	for i in $(seq 1 100); do
		curl -s -o /dev/null "http://127.0.0.1:$port/" && break
		sleep 0.1
	done
	run "Flask dev server (the seed)" "http://127.0.0.1:$port/predict" 1
	run "Flask dev server (the seed)" "http://127.0.0.1:$port/predict" 64
	stop_last
fi

echo
echo "workbench serve load test — wrk -t$THREADS -c$CONNS -d$DURATION on 127.0.0.1, 64-64-64-10 model ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
awk -F'\t' '
	BEGIN { printf "%-40s %5s %12s %10s %10s  %s\n", "server", "rows", "requests/s", "p50", "p99", "errors" }
	{ printf "%-40s %5s %12s %10s %10s  %s\n", $1, $2, $3, $4, $5, $6 }
	$1 == "workbench serve" { wb[$2] = $3 }
	$1 ~ /^bare/ { bare = $3 }
	$1 ~ /^Flask/ { fl[$2] = $3 }
	END {
		if (fl[1]) printf "workbench / Flask, 1 row:   %.1f×\n", wb[1] / fl[1]
		if (fl[64]) printf "workbench / Flask, 64 rows: %.1f×\n", wb[64] / fl[64]
		if (bare) printf "workbench / bare net/http, 1 row: %.0f%%\n", 100 * wb[1] / bare
	}' "$RESULTS"
