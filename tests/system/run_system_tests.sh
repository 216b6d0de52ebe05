#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs our system tests (tests/system/*.asm) under Faultline AND under QEMU,
# so each encodes hardware behaviour rather than ours.  Every test is a boot
# floppy: it prints on the 0xE9 debug console and leaves through the
# isa-debug-exit port 0xF4.  A test passes when Faultline exits 0, QEMU
# exits (0 << 1) | 1 = 1, and both printed "PASS <name>".
#   run_system_tests.sh path/to/faultline [test-name...]
# VERBOSE=1 prints each run's output, also when it passes.
# Conventions:
#   NAME_shutdown.asm  must end in a shutdown (triple fault): Faultline exit
#                      status 4, QEMU (-no-reboot) status 0, no PASS line.
#   ";! faultline-args: ..." / ";! qemu-args: ..." in a test's source add
#                      command-line arguments for that engine (e.g. -cpu).
# Byte 509 of the boot sector is patched to 1 in the QEMU copy (see
# lib/boot.inc, ON_QEMU).  QEMU missing is a failure, not a skip: build.sh
# installs qemu-system-x86.
set -u
FL=${1:?usage: run_system_tests.sh path/to/faultline [test-name...]}
shift
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
QEMU=${QEMU:-qemu-system-i386}
pass=0
fail=0

for tool in nasm "$QEMU" timeout; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "system: $tool is missing: install nasm qemu-system-x86 (./build.sh test does)"
        echo "system: 0 passed, 1 failed"
        exit 1
    fi
done

result() {  # result OK LABEL [DETAIL-FILE]
    if [ "$1" -eq 1 ]; then
        pass=$((pass + 1))
        echo "ok   $2"
    else
        fail=$((fail + 1))
        echo "FAIL $2"
        [ $# -ge 3 ] && grep -v '^ *$' "$3" | tail -15 | sed 's/^/    /'
        return
    fi
    if [ "${VERBOSE:-0}" = 1 ] && [ $# -ge 3 ]; then
        sed 's/^/    /' "$3"
    fi
}

if [ $# -gt 0 ]; then
    tests=""
    for t in "$@"; do tests="$tests $HERE/${t%.asm}.asm"; done
else
    tests=$(ls "$HERE"/*.asm)
fi

for src in $tests; do
    name=$(basename "$src" .asm)
    bin="$TMP/$name.bin"
    img="$TMP/$name.img"
    qimg="$TMP/$name-qemu.img"
    if ! nasm -f bin -I "$HERE/lib/" -o "$bin" "$src" 2>"$TMP/$name.nasm"; then
        result 0 "$name (nasm)" "$TMP/$name.nasm"
        continue
    fi
    size=$(wc -c <"$bin")
    if [ "$size" -gt $((512 * 61)) ]; then
        echo "the binary is $size bytes; boot.inc loads 512 + 60 sectors" >"$TMP/$name.nasm"
        result 0 "$name (size)" "$TMP/$name.nasm"
        continue
    fi
    cp "$bin" "$img"
    truncate -s 1474560 "$img"
    cp "$img" "$qimg"
    printf '\001' | dd of="$qimg" bs=1 seek=509 conv=notrunc 2>/dev/null
    fl_args=$(sed -n 's/^;! faultline-args: *//p' "$src")
    q_args=$(sed -n 's/^;! qemu-args: *//p' "$src")
    shutdown=0
    case "$name" in *_shutdown) shutdown=1 ;; esac

    # shellcheck disable=SC2086
    timeout 30 "$FL" -display none -deterministic -budget 10 -fda "$img" -no-reboot $fl_args \
        >"$TMP/$name.fl" 2>&1
    rc=$?
    ok=0
    if [ $shutdown -eq 1 ]; then
        [ $rc -eq 4 ] && ! grep -q "^PASS" "$TMP/$name.fl" && ok=1
    else
        [ $rc -eq 0 ] && grep -qx "PASS $name" "$TMP/$name.fl" && ok=1
    fi
    [ $ok -eq 1 ] || echo "exit status $rc" >>"$TMP/$name.fl"
    result $ok "$name faultline" "$TMP/$name.fl"

    # shellcheck disable=SC2086
    timeout 30 "$QEMU" -display none -drive if=floppy,index=0,format=raw,file="$qimg" -boot a \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 -debugcon stdio -no-reboot -m 32 $q_args \
        >"$TMP/$name.qemu" 2>&1 </dev/null
    rc=$?
    ok=0
    if [ $shutdown -eq 1 ]; then
        [ $rc -eq 0 ] && ! grep -q "^PASS" "$TMP/$name.qemu" && ok=1
    else
        [ $rc -eq 1 ] && grep -qx "PASS $name" "$TMP/$name.qemu" && ok=1
    fi
    [ $ok -eq 1 ] || echo "exit status $rc" >>"$TMP/$name.qemu"
    result $ok "$name qemu" "$TMP/$name.qemu"
done

echo "system: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
