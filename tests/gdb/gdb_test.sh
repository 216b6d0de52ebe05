#!/bin/sh
# SPDX-License-Identifier: MIT
# Debian's gdb in batch mode against the gdb stub: faultline takes a free
# port (-gdb tcp::0) and prints it, so no fixed port is ever used.  Checks
# registers (cr0-cr4 too) and memory at the start (-S), a breakpoint, a
# single step, a hardware breakpoint, kill, Ctrl-C (gdb's interrupt) in a
# spinning guest, a guest that exits under the debugger, memory through a
# paging guest's page tables, linear and physical (Qqemu.PhysMemMode),
# watch/rwatch/awatch with the exact stop replies and values, the x87
# registers, caught exceptions (monitor catch, -gdb-catch) reported as
# signals and then delivered to the guest's handlers, and a triple fault.
# The guests are the .asm files beside this script (nasm).  gdb or nasm
# missing is a failure, not a skip (build.sh installs them).
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

# start_stub PROGRAM [FLAGS...]: runs faultline paused under the stub; sets FLPID and PORT.
start_stub() {
    prog=$1
    shift
    rm -f "$TMP/fl.err"     # the last run's port must not be read before the new file exists
    "$FL" -display none -deterministic -S -gdb tcp::0 "$@" -bin "$prog" >"$TMP/fl.out" 2>"$TMP/fl.err" &
    FLPID=$!
    PORT=
    for _ in $(seq 100); do
        PORT=$(sed -n 's/^faultline: gdb stub listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$TMP/fl.err" 2>/dev/null)
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

# run_gdb GDB-ARGS...: gdb's output, then its stderr (where 'set debug
# remote 1' logs the packets), in gdb.out.
run_gdb() {
    timeout 60 gdb -batch -nx -ex 'set architecture i8086' -ex "target remote 127.0.0.1:$PORT" "$@" \
        >"$TMP/gdb.out" 2>"$TMP/gdb.err"
    cat "$TMP/gdb.err" >>"$TMP/gdb.out"
}

expect() {
    what=$1; pattern=$2
    if grep -q -- "$pattern" "$TMP/gdb.out"; then ok; else bad "$what: no '$pattern' in:"; cat "$TMP/gdb.out"; fi
}

# Start, memory, breakpoint, step, kill.
if start_stub "$BIN"; then
    run_gdb -ex 'set debug remote 1' -ex 'info registers eip' -ex 'x/4xb 0x7c00' -ex 'x/2i $pc' -ex 'info registers cr0' -ex 'break *0x7c05' -ex 'continue' \
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
    expect "breakpoint stop reply" "Packet received: T05swbreak:;"
    expect "hardware breakpoint stop reply" "Packet received: T05hwbreak:;"
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
    rm -f "$TMP/fl.err"
    "$FL" -display none -deterministic -cpu pentium2 -snapshot -S -gdb tcp::0 -fda "$TMP/pg.img" \
        >"$TMP/fl.out" 2>"$TMP/fl.err" &
    FLPID=$!
    PORT=
    for _ in $(seq 100); do
        PORT=$(sed -n 's/^faultline: gdb stub listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$TMP/fl.err" 2>/dev/null)
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

# The guests beside this script.
DIR=$(dirname "$0")
for g in watch fault triple fpu; do
    nasm -f bin -o "$TMP/$g.bin" "$DIR/$g.asm" || bad "$g.asm does not assemble"
done

# Watchpoints: each stops after the accessing instruction (the MOV BX
# marker is next), with the stop reply naming the watched address.
if start_stub "$TMP/watch.bin"; then
    run_gdb -ex 'set debug remote 1' \
        -ex 'watch *(unsigned short *)0x1000' -ex 'continue' -ex 'x/i $pc' -ex 'delete' \
        -ex 'rwatch *(unsigned short *)0x1000' -ex 'continue' -ex 'x/i $pc' -ex 'delete' \
        -ex 'awatch *(unsigned short *)0x1002' -ex 'continue' -ex 'x/i $pc' -ex 'delete' \
        -ex 'watch *(unsigned short *)0x1000' -ex 'continue' -ex 'x/i $pc' -ex 'delete' \
        -ex 'continue'
    expect "write watchpoint stop reply" "Packet received: T05watch:00001000;"
    expect "write watchpoint old value" "Old value = 0$"
    expect "write watchpoint new value" "New value = 4660$"
    expect "write watchpoint stops after the write" "=> 0x7c10:.mov  *\$0x1111,%bx"
    expect "read watchpoint stop reply" "Packet received: T05rwatch:00001000;"
    expect "read watchpoint value" "Value = 4660$"
    expect "read watchpoint stops after the read" "=> 0x7c16:.mov  *\$0x2222,%bx"
    expect "access watchpoint stop reply" "Packet received: T05awatch:00001002;"
    expect "access watchpoint new value" "New value = 5$"
    expect "access watchpoint stops after the access" "=> 0x7c1e:.mov  *\$0x3333,%bx"
    expect "write from below the watched range" "Packet received: T05watch:00001000;.*"
    expect "write from below: new value" "New value = 43707$"
    expect "write from below stops after it" "=> 0x7c2a:.mov  *\$0x4444,%bx"
    expect "exit after the watchpoints" "exited normally"
    finish_stub "watch guest"
fi

# The stub in the window's loop (SDL's dummy video driver: no display
# needed): a watchpoint, a pause while gdb holds the guest (the window
# loop waits for gdb in short steps), continuing to the guest's exit.
if SDL_VIDEODRIVER=dummy start_stub "$TMP/watch.bin" -display sdl; then
    run_gdb -ex 'watch *(unsigned short *)0x1000' -ex 'continue' -ex 'shell sleep 0.3' -ex 'x/i $pc' \
        -ex 'delete' -ex 'continue'
    expect "window: write watchpoint" "New value = 4660$"
    expect "window: stopped after the write" "=> 0x7c10:.mov  *\$0x1111,%bx"
    expect "window: guest exit" "exited normally"
    finish_stub "window guest"
fi

# x87 registers in gdb's i386 numbering: the state after RESET (FCW 0040h,
# tag word 5555h), then after FNINIT, FLD1, FLDPI: FCW 037Fh, TOP 6, two
# registers valid, ST0 = pi, ST1 = 1, FOP of FLDPI.
if start_stub "$TMP/fpu.bin"; then
    run_gdb -ex 'info registers fctrl fstat ftag fiseg fioff foseg fooff fop st0' -ex 'break *0x7c0f' \
        -ex 'continue' -ex 'info registers fctrl fstat ftag fop' -ex 'info registers st0 st1' -ex 'kill'
    for r in fiseg fioff foseg fooff; do
        grep -q "^$r  *0x0 " "$TMP/gdb.out" && ok || bad "x87 register $r not shown as 0"
    done
    expect "fctrl after RESET" "^fctrl  *0x40 "
    expect "fstat after RESET" "^fstat  *0x0 "
    expect "ftag after RESET" "^ftag  *0x5555 "
    expect "st0 after RESET" "^st0  *0  *(raw 0x00000000000000000000)"
    expect "fctrl after FNINIT" "^fctrl  *0x37f "
    expect "fstat TOP=6" "^fstat  *0x3000 "
    expect "ftag with two registers valid" "^ftag  *0xfff "
    expect "fop of FLDPI (D9 EB)" "^fop  *0x1eb "
    expect "st0 = pi" "^st0  *3.14159265358979323[0-9]* "
    expect "st1 = 1" "^st1  *1  *(raw 0x3fff8000000000000000)"
    finish_stub "fpu guest"
fi

# Exceptions: caught with "monitor catch exception 13", the #GP stops gdb
# with SIGSEGV at the faulting instruction; continue delivers it to the
# guest's handler, whose UD2 is not caught; the guest exits 7.
if start_stub "$TMP/fault.bin"; then
    run_gdb -ex 'monitor catch exception 13' -ex 'continue' -ex 'info registers eip' -ex 'x/i $pc' \
        -ex 'monitor explain' -ex 'monitor bogus' -ex 'continue'
    expect "monitor catch" "catching exception 13 (#GP)"
    expect "monitor explain (the monitor's view through qRcmd)" "#GP(0000)"
    expect "unknown monitor command" "unknown monitor command 'bogus'"
    expect "#GP as SIGSEGV" "Program received signal SIGSEGV"
    expect "stopped at the faulting instruction" "^eip  *0x7c25 "
    expect "the faulting instruction" "=> 0x7c25:.mov  *(%bx),%ax"
    expect "the guest's handlers ran" "exited with code 07"
    finish_stub "caught #GP"
fi

# The same guest with -gdb-catch ud: the #GP goes to the guest unseen, its
# handler's UD2 stops gdb with SIGILL; continuing runs the #UD handler.
if start_stub "$TMP/fault.bin" -gdb-catch ud; then
    run_gdb -ex 'continue' -ex 'info registers eip cx' -ex 'continue'
    expect "#UD as SIGILL" "Program received signal SIGILL"
    expect "stopped at UD2 in the #GP handler" "^eip  *0x7c2b "
    expect "the #GP handler ran first" "^cx  *0x1313 "
    expect "the #UD handler ran" "exited with code 07"
    finish_stub "caught #UD"
fi

# A triple fault stops with SIGSEGV (the state can be read); continuing
# ends the run as gdb's "terminated with signal SIGSEGV", exit status 4.
if start_stub "$TMP/triple.bin"; then
    run_gdb -ex 'continue' -ex 'info registers eip' -ex 'continue'
    expect "shutdown as SIGSEGV" "Program received signal SIGSEGV"
    expect "the state at the shutdown" "^eip  *0x7c0d "
    expect "the run ends with the shutdown" "terminated with signal SIGSEGV"
    finish_stub "triple fault"
    grep -q "CPU shutdown" "$TMP/fl.err" && ok || bad "triple fault: $(cat "$TMP/fl.err")"
fi

# Bad flags: one line on stderr, exit 2.
for args in "-gdb tcp::99999" "-gdb udp::1" "-S" "-gdb-catch 13" "-gdb tcp::0 -gdb-catch 99"; do
    # shellcheck disable=SC2086
    "$FL" -display none $args -bin "$BIN" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    if [ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ]; then ok; else bad "faultline $args: exit $rc, stderr: $(cat "$TMP/err")"; fi
done

echo "gdb stub: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
