#!/usr/bin/env bash
# Soak of `workbench serve`: good requests under load for DURATION while the
# served model is replaced again and again (a new session of the same name
# trained every SWAP seconds, picked up by --follow) and bad requests are
# mixed in. Reports requests, failures among the good requests (must be 0),
# p99, the swaps seen, and the server's resident memory at the start and the
# end (must not grow beyond noise). Loopback only; bounded by DURATION.
#
#   bench/soak-serve.sh                       # 60 s, 16 connections of good load
#   DURATION=120s CONNS=32 bench/soak-serve.sh
#   WORKBENCH=/usr/local/bin/workbench bench/soak-serve.sh
#
# Exit status 1 when a good request failed or the server died.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-60s}
CONNS=${CONNS:-16}
BAD_CONNS=${BAD_CONNS:-2}
SWAP=${SWAP:-1}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/workbench-soak.XXXXXX")
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
say() { printf '%s\n' "$*" >&2; }

command -v wrk >/dev/null 2>&1 || {
	SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
	$SUDO apt-get install -y -qq wrk >/dev/null 2>&1 || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null; }
}
if [ -n "${WORKBENCH:-}" ]; then cp "$WORKBENCH" "$TMP/workbench"; else go build -o "$TMP/workbench" .; fi
WB=$TMP/workbench
H=$TMP/home

say "training the first session (iris, name soak)"
"$WB" train --data iris --name soak --epochs 5 --seed 1 --home "$H" --json >/dev/null

"$WB" serve --session soak --follow --home "$H" --addr 127.0.0.1:0 >"$TMP/serve.out" 2>"$TMP/serve.err" &
SRV=$!
PIDS+=("$SRV")
URL=
for _ in $(seq 1 100); do
	URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$TMP/serve.out" 2>/dev/null | head -1 || true)
	[ -n "$URL" ] && break
	sleep 0.1
done
[ -n "$URL" ] || { say "serve did not start:"; cat "$TMP/serve.err" >&2; exit 1; }

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
post() { # post FILE BODY: a wrk script posting BODY
	printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = %s\n' \
		"$(printf '%s' "$2" | sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$/"/')" >"$1"
}
post "$TMP/good.lua" '{"input_data": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}'
# Bad bodies in turn: wrong width, text, truncated JSON, a duplicate key.
cat >"$TMP/bad.lua" <<'LUA'
local bodies = {
  '{"input_data": [[5.1, 3.5, 1.4]]}',
  '{"input_data": [["a", "b", "c", "d"]]}',
  '{"input_data": [[5.1, 3.5',
  '{"input_data": [[5.1, 3.5, 1.4, 0.2]], "input_data": [[1, 2, 3, 4]]}',
}
local i = 0
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[i])
end
LUA

say "warming up"
wrk -t1 -c4 -d3s -s "$TMP/good.lua" "$URL/predict" >/dev/null
RSS0=$(rss "$SRV")

# Swapper: a new session of the same name every SWAP seconds until told to stop.
(
	i=0
	while [ ! -e "$TMP/stop" ]; do
		i=$((i + 1))
		"$WB" train --data iris --name soak --epochs 3 --seed "$i" --home "$H" --json >/dev/null 2>&1 || true
		sleep "$SWAP"
	done
	echo "$i" >"$TMP/trained"
) &
PIDS+=($!)

say "soak: $DURATION of good load ($CONNS connections) and bad requests ($BAD_CONNS connections) while the model is replaced every ${SWAP}s"
wrk -t1 -c"$BAD_CONNS" -d"$DURATION" -s "$TMP/bad.lua" "$URL/predict" >"$TMP/bad.out" 2>&1 &
BADPID=$!
PIDS+=("$BADPID")
wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s "$TMP/good.lua" "$URL/predict" >"$TMP/good.out"
wait "$BADPID" || true
touch "$TMP/stop"
for _ in $(seq 1 300); do [ -e "$TMP/trained" ] && break; sleep 0.1; done
RSS1=$(rss "$SRV")
kill -0 "$SRV" 2>/dev/null || { say "the server died:"; cat "$TMP/serve.err" >&2; exit 1; }

good_req=$(awk '/requests in/ {print $1}' "$TMP/good.out")
good_fail=$(awk '/Non-2xx/ {print $NF}' "$TMP/good.out")
sock=$(awk '/Socket errors/ {sub(/^ */, ""); print}' "$TMP/good.out")
p99=$(awk '$1 == "99%" {print $2}' "$TMP/good.out")
rps=$(awk '/^Requests\/sec:/ {print $2}' "$TMP/good.out")
bad_req=$(awk '/requests in/ {print $1}' "$TMP/bad.out")
bad_non2xx=$(awk '/Non-2xx/ {print $NF}' "$TMP/bad.out")
swaps=$(grep -c 'now serving' "$TMP/serve.err" || true)
trained=$(cat "$TMP/trained" 2>/dev/null || echo "?")

printf 'good requests     %s (%s/s), failed %s%s, p99 %s\n' "$good_req" "$rps" "${good_fail:-0}" "${sock:+, $sock}" "$p99"
printf 'bad requests      %s, answered non-2xx %s (all should be)\n' "$bad_req" "${bad_non2xx:-0}"
printf 'sessions trained  %s; models swapped in %s\n' "$trained" "$swaps"
printf 'server RSS        %s kB at start, %s kB at end\n' "$RSS0" "$RSS1"
[ "${good_fail:-0}" = 0 ] && [ -z "$sock" ] || { say "good requests failed"; exit 1; }
