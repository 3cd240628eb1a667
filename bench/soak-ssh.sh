#!/usr/bin/env bash
# Soak of `workbench ssh`: USERS users (x/crypto/ssh clients on loopback,
# each in a PTY running the full TUI) go round for DURATION: choose digits,
# train (every other round pausing and resuming the run, so its training
# slot is given back and taken again), serve with S, send predict requests
# to their own server, quit, and connect again. Reports rounds, trainings,
# requests, every failure, and the host's resident memory at the start, its
# peak and at the end (after every user left). Loopback only; bounded by
# DURATION plus GRACE for the rounds under way.
#
#   bench/soak-ssh.sh                        # 8 users, 90 s
#   USERS=8 DURATION=300s bench/soak-ssh.sh
#   WORKBENCH=/usr/local/bin/workbench bench/soak-ssh.sh
#   MAX_TRAINING=2 bench/soak-ssh.sh         # the host's --max-training (default: its own)
#
# Exit status 1 when a round failed or the host died.
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${USERS:-8}
DURATION=${DURATION:-90s}
GRACE=${GRACE:-4m}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/workbench-ssh-soak.XXXXXX")
HOST=
cleanup() {
	if [ -n "$HOST" ]; then kill "$HOST" 2>/dev/null || true; wait "$HOST" 2>/dev/null || true; fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
say() { printf '%s\n' "$*" >&2; }

if [ -n "${WORKBENCH:-}" ]; then cp "$WORKBENCH" "$TMP/workbench"; else go build -o "$TMP/workbench" .; fi
go build -o "$TMP/sshsoak" ./bench/sshsoak
"$TMP/sshsoak" authorized-keys -users "$USERS" >"$TMP/keys"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
args=(ssh --home "$TMP/home" --authorized-keys "$TMP/keys" --addr "127.0.0.1:$PORT" --max-sessions $((USERS + 2)))
[ -n "${MAX_TRAINING:-}" ] && args+=(--max-training "$MAX_TRAINING")
"$TMP/workbench" "${args[@]}" >"$TMP/host.out" 2>"$TMP/host.err" &
HOST=$!
for _ in $(seq 1 100); do
	(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
	kill -0 "$HOST" 2>/dev/null || { say "workbench ssh did not start:"; cat "$TMP/host.err" >&2; exit 1; }
	sleep 0.1
done
say "workbench ssh on 127.0.0.1:$PORT (pid $HOST); $USERS users for $DURATION"

status=0
"$TMP/sshsoak" -addr "127.0.0.1:$PORT" -users "$USERS" -duration "$DURATION" -grace "$GRACE" -pid "$HOST" || status=$?
if ! kill -0 "$HOST" 2>/dev/null; then
	say "the host died:"; tail -20 "$TMP/host.err" >&2
	exit 1
fi
echo "host load at the end: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
exit "$status"
