#!/bin/sh
# SPDX-License-Identifier: MIT
# Guest MIPS on this host: runs examples/bench.asm several times in
# deterministic mode and prints the instruction count and the best host time.
#   scripts/bench.sh [faultline binary] [runs]
set -eu
cd "$(dirname "$0")/.."
FL=${1:-build/frontend/faultline}
RUNS=${2:-5}
BIN=$(mktemp)
trap 'rm -f "$BIN"' EXIT
nasm -f bin -o "$BIN" examples/bench.asm
best=""
for i in $(seq "$RUNS"); do
    line=$("$FL" -bin "$BIN" -deterministic -cpu pentium 2>&1 >/dev/null | grep instructions)
    echo "run $i: $line"
    mips=$(echo "$line" | sed -n 's/.*(\([0-9.]*\) MIPS).*/\1/p')
    best=$(printf '%s\n%s\n' "$best" "$mips" | sort -g | tail -n 1)
done
echo "best: $best guest MIPS"
