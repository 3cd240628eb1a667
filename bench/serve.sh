#!/usr/bin/env bash
# Load benchmark of `workbench serve` against the seed's Flask server and a
# bare Go net/http handler, measured in one run so the ratios hold on a
# shared, noisy machine.
#
#   bench/serve.sh                      # 10 s per run, 32 connections, 2 wrk threads
#   DURATION=5s CONNS=64 ROUNDS=1 bench/serve.sh   # ROUNDS: interleaved rounds, median shown (default 3)
#   SESSION_HOME=~/.local/share/workbench SESSION=latest bench/serve.sh   # an existing 64-feature session
#   PEERS=/path/to/peers bench/serve.sh  # the peers folder (default ../shared/bench/peers)
#   SKIP_FLASK=1 bench/serve.sh
#   WORKBENCH=/usr/local/bin/workbench bench/serve.sh   # a built binary instead of building this tree
#
# Model: 64-64-64-10 (relu) trained for 3 epochs on digits, as the seed's
# Flask app (peers/flask_app.py, a numpy forward pass of the same shape).
# A second session is served beside the first in a two-model server, and
# both 1-row and 64-row bodies go to its own route (/models/second/predict).
# Bodies: peers/gen.py's row of 64 standard-normal floats for 1 row, and
# 64 such rows. Load is on 127.0.0.1 only and bounded by DURATION.
#
# wrk shares the cores with the servers, so the p99 mostly measures how the
# OS schedules them against wrk: `workbench serve` runs 3x GOMAXPROCS on a
# small machine for that reason (cli/runtime.go), while the bare handler keeps
# Go's default; GOMAXPROCS=N in the environment sets both. CONNS=8 or 64
# shows how the tail grows with the queue.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
PEERS=${PEERS:-$ROOT/../shared/bench/peers}
PY=${PY:-/usr/bin/python3}
ROUNDS=${ROUNDS:-3}

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

say "building the bare handler${WORKBENCH:+ (using $WORKBENCH)}${WORKBENCH:- and workbench}"
if [ -n "${WORKBENCH:-}" ]; then
	cp "$WORKBENCH" "$TMP/workbench"
else
	go build -o "$TMP/workbench" .
fi
go build -o "$TMP/servebare" ./bench/servebare

HOME_DIR=${SESSION_HOME:-$TMP/home}
SESSION=${SESSION:-}
if [ -z "$SESSION" ]; then
	say "training a 64-64-64-10 session on digits (3 epochs)"
	SESSION=$("$TMP/workbench" train --data digits --layers 64:relu,64:relu,64:relu --epochs 3 --home "$HOME_DIR" --json |
		tail -1 | sed -n 's/.*"session":"\([^"]*\)".*/\1/p')
	[ -n "$SESSION" ] || { say "training failed"; exit 1; }
fi

# The two-model run: a second session (named "second") served beside the
# first, loaded on its own route. Only in the script's own home: it does not
# train into a SESSION_HOME of yours.
SECOND=
if [ -z "${SESSION_HOME:-}" ]; then
	say "training a second session for the two-model run"
	SECOND=$("$TMP/workbench" train --data digits --name second --layers 64:relu,64:relu,64:relu --epochs 3 --home "$HOME_DIR" --json |
		tail -1 | sed -n 's/.*"session":"\([^"]*\)".*/\1/p')
fi

# The seed's Flask server needs Flask for $PY: install it (Debian's
# python3-flask) when missing, else leave Flask out and say so.
if [ -z "${SKIP_FLASK:-}" ] && ! "$PY" -c 'import flask, numpy' 2>/dev/null; then
	say "installing the seed's Flask (apt-get install -y python3-flask python3-numpy)"
	SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
	$SUDO apt-get install -y -qq python3-flask python3-numpy >/dev/null 2>&1 ||
		{ $SUDO apt-get update -qq >/dev/null 2>&1 && $SUDO apt-get install -y -qq python3-flask python3-numpy >/dev/null 2>&1; } || true
	"$PY" -c 'import flask, numpy' 2>/dev/null || { say "Flask is not available for $PY: running without the seed's server"; SKIP_FLASK=1; }
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

# All servers stay up; the runs are interleaved round by round so that a
# burst of load from elsewhere hits every server alike, and the table shows
# each one's median over ROUNDS.
start workbench "$TMP/workbench" serve --home "$HOME_DIR" --session "$SESSION" --addr 127.0.0.1:0
WB=$URL
if [ -n "$SECOND" ]; then
	start workbench2 "$TMP/workbench" serve --home "$HOME_DIR" --session "$SESSION" --session "$SECOND" --addr 127.0.0.1:0
	WB2=$URL
fi
start bare "$TMP/servebare" 127.0.0.1:0
BARE=$URL
if [ -n "${DEBUG_LOG:-}" ]; then
	start workbench-debug "$TMP/workbench" serve --home "$HOME_DIR" --session "$SESSION" --addr 127.0.0.1:0 --log-level debug --log-format json
	WBDEBUG=$URL
fi
if [ -z "${SKIP_FLASK:-}" ]; then
	port=$(free_port)
	(cd "$TMP/peers" && exec "$PY" flask_app.py "$port") >"$TMP/flask.out" 2>"$TMP/flask.err" &
	PIDS+=($!)
	FLASK=http://127.0.0.1:$port
	for i in $(seq 1 100); do
		curl -s -o /dev/null "$FLASK/" && break
		sleep 0.1
	done
fi
for round in $(seq 1 "$ROUNDS"); do
	say "round $round of $ROUNDS"
	run "workbench serve" "$WB/predict" 1
	run "bare net/http (no decoding, no model)" "$BARE/predict" 1
	[ -n "${FLASK:-}" ] && run "Flask dev server (the seed)" "$FLASK/predict" 1
	[ -n "${WBDEBUG:-}" ] && run "workbench serve, every request logged" "$WBDEBUG/predict" 1
	run "workbench serve" "$WB/predict" 64
	[ -n "${WB2:-}" ] && run "workbench serve, 2 models: /models/second" "$WB2/models/second/predict" 1
	[ -n "${WB2:-}" ] && run "workbench serve, 2 models: /models/second" "$WB2/models/second/predict" 64
	[ -n "${FLASK:-}" ] && run "Flask dev server (the seed)" "$FLASK/predict" 64
done

echo
echo "workbench serve load test — wrk -t$THREADS -c$CONNS -d$DURATION on 127.0.0.1, 64-64-64-10 model ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
sort -t$'\t' -k1,1 -k2,2n -k3,3n "$RESULTS" | awk -F'\t' '
	# median of each (server, rows) group: rows arrive sorted by req/s
	function flush() {
		if (n == 0) return
		m = int((n + 1) / 2)
		printf "%-40s %5s %12s %10s %10s  %s\n", key1, key2, rps[m], p50[m], p99[m], errs
		med[key1 SUBSEP key2] = rps[m]
		n = 0; errs = 0
	}
	BEGIN { errs = 0; printf "%-40s %5s %12s %10s %10s  %s\n", "server (median of rounds)", "rows", "requests/s", "p50", "p99", "errors" }
	$1 != key1 || $2 != key2 { flush(); key1 = $1; key2 = $2 }
	{ n++; rps[n] = $3; p50[n] = $4; p99[n] = $5; if ($6 != "0") errs = errs " " $6 }
	END {
		flush()
		wb1 = med["workbench serve" SUBSEP 1]; wb64 = med["workbench serve" SUBSEP 64]
		fl1 = med["Flask dev server (the seed)" SUBSEP 1]; fl64 = med["Flask dev server (the seed)" SUBSEP 64]
		bare = med["bare net/http (no decoding, no model)" SUBSEP 1]
		if (fl1) printf "workbench / Flask, 1 row:   %.1f×\n", wb1 / fl1
		if (fl64) printf "workbench / Flask, 64 rows: %.1f× (%.0f rows/s vs %.0f)\n", wb64 / fl64, 64 * wb64, 64 * fl64
		if (bare) printf "workbench / bare net/http, 1 row: %.0f%%\n", 100 * wb1 / bare
		if (wb64) printf "workbench, 64 rows: %.0f rows/s\n", 64 * wb64
	}'
echo "all runs (in order):"
awk -F'\t' '{ printf "  %-40s %5s %12s %10s %10s\n", $1, $2, $3, $4, $5 }' "$RESULTS"
