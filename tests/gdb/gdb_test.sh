#!/bin/sh
# SPDX-License-Identifier: MIT
# Debian's gdb in batch mode against the gdb stub: faultline takes a free
# port (-gdb tcp::0) and prints it, so no fixed port is ever used.  Checks
# registers (cr0-cr4 too) and memory at the start (-S), a breakpoint, a single step, a
# hardware breakpoint, kill,
# Ctrl-C (gdb's interrupt) in a spinning guest, a guest that exits under
# the debugger, and memory through a paging guest's page tables, linear
# and physical (Qqemu.PhysMemMode).  gdb missing is a failure, not a skip (build.sh
# installs it).
set -u
FL=${1:?usage: gdb_test.sh path/to/faultline path/to/selfcheck.bin}
BIN=${2:?usage: gdb_test.sh path/to/faultline path/to/selfcheck.bin}
TMP=$(mktemp -d)
FLPID=
trap '[ -n "$FLPID" ] && kill "$FLPID" 2>/dev/null; rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

command -v gdb >/dev/null || { echo "FAIL: gdb is not installed (apt-get install gdb)"; exit 1; }

# start_stub PROGRAM: runs faultline paused under the stub; sets FLPID and PORT.
start_stub() {
    "$FL" -display none -deterministic -S -gdb tcp::0 -bin "$1" >"$TMP/fl.out" 2>"$TMP/fl.err" &
    FLPID=$!
    PORT=
    for _ in $(seq 100); do
        PORT=$(sed -n 's/^faultline: gdb stub listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$TMP/fl.err")
        [ -n "$PORT" ] && return 0
        sleep 0.05
    done
    bad "faultline did not report its gdb port: $(cat "$TMP/fl.err")"
    return 1
}

# finish_stub DESCRIPTION: faultline must end by itself once gdb is done.
finish_stub() {
    for _ in $(seq 100); do
        kill -0 "$FLPID" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$FLPID" 2>/dev/null; then
        bad "$1: faultline still runs after gdb finished"
        kill "$FLPID"
    else
        ok
    fi
    wait "$FLPID" 2>/dev/null
    FLPID=
}

run_gdb() {
    timeout 60 gdb -batch -nx -ex 'set architecture i8086' -ex "target remote 127.0.0.1:$PORT" "$@" \
        >"$TMP/gdb.out" 2>&1
}

expect() {
    what=$1; pattern=$2
    if grep -q -- "$pattern" "$TMP/gdb.out"; then ok; else bad "$what: no '$pattern' in:"; cat "$TMP/gdb.out"; fi
}

# Start, memory, breakpoint, step, kill.
if start_stub "$BIN"; then
    run_gdb -ex 'info registers eip' -ex 'x/4xb 0x7c00' -ex 'x/2i $pc' -ex 'info registers cr0' -ex 'break *0x7c05' -ex 'continue' \
        -ex 'info registers eip' -ex 'stepi' -ex 'info registers eip' -ex 'info registers cs' \
        -ex 'hbreak *0x7c0c' -ex 'continue' -ex 'info registers eip' \
        -ex 'maintenance packet Qqemu.PhysMemMode:1' -ex 'x/2xb 0x7c01' \
        -ex 'maintenance packet Qqemu.PhysMemMode:0' \
        -ex 'set var $eax = 0x12345678' -ex 'info registers eax' -ex 'kill'
    # The 'info registers' lines in order: start, breakpoint, after the step, hbreak.
    grep '^eip ' "$TMP/gdb.out" | awk '{print $2}' >"$TMP/eips"
    [ "$(tr '\n' ' ' <"$TMP/eips")" = "0x7c00 0x7c05 0x7c07 0x7c0c " ] && ok ||
        { bad "EIP start/breakpoint/step/hbreak: $(tr '\n' ' ' <"$TMP/eips")"; cat "$TMP/gdb.out"; }
    # The program's first bytes: cli; xor ax,ax.
    expect "memory at 0x7c00" "0x7c00:.0xfa.0x31.0xc0.0x8e"
    # The target description keeps gdb's i8086 choice (16-bit disassembly).
    expect "i8086 disassembly" "0x7c01:.xor  *%ax,%ax"
    expect "control register from the target description" "^cr0  *0x60000010"
    expect "breakpoint hit" "Breakpoint 1, 0x00007c05"
    expect "hardware breakpoint hit" "Breakpoint 2, 0x00007c0c"
    expect "physical memory" "0x7c01:.0x31.0xc0"
    expect "register write" "eax  *0x12345678"
    expect "kill" "killed"
    finish_stub "kill"
    grep -q "killed by the debugger" "$TMP/fl.err" && ok || bad "kill: $(cat "$TMP/fl.err")"
fi

# Ctrl-C: a guest spinning in 'jmp $' at 0x7c00 is interrupted where it
# spins.  gdb's own interrupt needs a terminal; SIGINT to gdb is what the
# Ctrl-C key does, and gdb then sends the stub its 0x03.
printf '\353\376' >"$TMP/spin.bin"
if start_stub "$TMP/spin.bin"; then
    gdb -batch -nx -ex 'set architecture i8086' -ex "target remote 127.0.0.1:$PORT" -ex 'continue' \
        -ex 'info registers eip' -ex 'kill' >"$TMP/gdb.out" 2>&1 </dev/null &
    GDBPID=$!
    sleep 1
    kill -INT "$GDBPID"
    for _ in $(seq 300); do
        kill -0 "$GDBPID" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$GDBPID" 2>/dev/null && { bad "gdb hangs after Ctrl-C"; kill "$GDBPID"; }
    wait "$GDBPID"
    expect "interrupt" "SIGINT, Interrupt"
    expect "interrupted at the loop" "^eip  *0x7c00"
    finish_stub "kill after interrupt"
fi

# A guest that exits under the debugger: gdb hears the exit status.
if start_stub "$BIN"; then
    run_gdb -ex 'continue'
    expect "guest exit" "exited normally"
    finish_stub "guest exit"
fi

# Memory through the guest's paging: tests/system/paging.asm maps linear
# 800000h-BFFFFFh onto physical 400000h with a 4 MiB page and reads F1
# (404000h, holding 11111111h) through it.  Stop just after that read.
SYS=$(dirname "$0")/../system
if ! command -v nasm >/dev/null; then
    bad "nasm is not installed (the paging case assembles tests/system/paging.asm)"
elif nasm -f bin -I "$SYS/lib/" -o "$TMP/pg.img" -l "$TMP/pg.lst" "$SYS/paging.asm"; then
    truncate -s 1474560 "$TMP/pg.img"
    # The listing line of the read: offset and bytes give the next instruction's address.
    set -- $(grep -F 'mov     eax, [0x800000 + (F1 - 0x400000)]' "$TMP/pg.lst")
    after=$(printf '0x%x' $((0x7C00 + 0x$2 + ${#3} / 2)))
    "$FL" -display none -deterministic -cpu pentium2 -snapshot -S -gdb tcp::0 -fda "$TMP/pg.img" \
        >"$TMP/fl.out" 2>"$TMP/fl.err" &
    FLPID=$!
    PORT=
    for _ in $(seq 100); do
        PORT=$(sed -n 's/^faultline: gdb stub listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$TMP/fl.err")
        [ -n "$PORT" ] && break
        sleep 0.05
    done
    timeout 60 gdb -batch -nx -ex "target remote 127.0.0.1:$PORT" -ex "break *$after" -ex 'continue' \
        -ex 'info registers cr0 eax' -ex 'x/xw 0x804000' \
        -ex 'maintenance packet Qqemu.PhysMemMode:1' -ex 'x/xw 0x804000' -ex 'x/xw 0x404000' \
        -ex 'maintenance packet Qqemu.PhysMemMode:0' -ex 'x/xw 0xC00000' -ex 'kill' >"$TMP/gdb.out" 2>&1
    expect "paging on (CR0.PG)" "^cr0  *0x[89a-f][0-9a-f]\{7\} "
    expect "linear read through the 4 MiB page" "^0x804000:.0x11111111"
    expect "physical read of the same address" "^0x804000:.0x00000000"
    expect "physical read of the frame" "^0x404000:.0x11111111"
    expect "unmapped linear address" "Cannot access memory at address 0xc00000"
    finish_stub "paging guest"
else
    bad "paging.asm does not assemble"
fi

# Bad flags: one line on stderr, exit 2.
for args in "-gdb tcp::99999" "-gdb udp::1" "-S"; do
    # shellcheck disable=SC2086
    "$FL" -display none $args -bin "$BIN" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    if [ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ]; then ok; else bad "faultline $args: exit $rc, stderr: $(cat "$TMP/err")"; fi
done

echo "gdb stub: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
