#!/usr/bin/env bash
# Remakes the pictures the README shows, with the workbench's own commands,
# so they stay true to what the code draws. Runs in a throwaway home:
#   docs/pictures.sh            (from the repository root; ~10 s)
set -euo pipefail
cd "$(dirname "$0")/.."
home=$(mktemp -d)
bin=$home/workbench
trap 'rm -rf "$home"' EXIT
go build -o "$bin" .
wb() { "$bin" "$@" --home "$home"; }

# The decision map of a small network on the spiral, and its training
# curves beside a smaller and a larger one.
wb train --data 'spiral?n=600&noise=0.2&seed=7' --layers 32:tanh,32:tanh --epochs 300 --lr 0.01 --seed 1 --name spiral-32x2 --json >/dev/null
wb train --data 'spiral?n=600&noise=0.2&seed=7' --layers 8:tanh --epochs 300 --lr 0.01 --seed 1 --name spiral-8 --json >/dev/null
wb train --data 'spiral?n=600&noise=0.2&seed=7' --layers 64:relu,64:relu --epochs 300 --lr 0.01 --seed 1 --name spiral-64x2 --json >/dev/null
wb sessions plot spiral-32x2 --kind boundary -o docs/spiral-boundary.png
wb sessions plot spiral-32x2 --compare spiral-8 --compare spiral-64x2 --metric val_loss --smooth 0.6 -o docs/spiral-curves.png
