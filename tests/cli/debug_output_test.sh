#!/bin/sh
# SPDX-License-Identifier: MIT
# The debugging output of the faultline command: -d int,cpu_reset,exec with
# -D FILE (two -deterministic runs of the same guest write byte-identical
# traces and retire the same number of instructions), the one-line error for
# an unknown -d item, and --explain on system-test programs that fault
# (the block's header and its "why" sentence, from cpu/fault_rules.def).
#   debug_output_test.sh path/to/faultline path/to/tests/system
set -u
FL=${1:?usage: debug_output_test.sh path/to/faultline path/to/tests/system}
SYS=${2:?usage: debug_output_test.sh path/to/faultline path/to/tests/system}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# ---- trace determinism: the built-in menu's self-check, twice ----
MENU='until Choose 1-4; key 1'
for run in 1 2; do
    "$FL" -display none -deterministic -budget 20 -send "$MENU" -until "self-check finished: 0 failed" \
        -d int,exec,cpu_reset -D "$TMP/trace$run.log" >"$TMP/out$run" 2>"$TMP/err$run"
    rc=$?
    [ $rc -eq 0 ] && ok || bad "traced run $run: exit $rc: $(cat "$TMP/err$run")"
    sed -n 's/^faultline: \([0-9]*\) instructions.*/\1/p' "$TMP/err$run" >"$TMP/count$run"
done
if cmp -s "$TMP/trace1.log" "$TMP/trace2.log"; then ok; else bad "the two traces differ: $(cmp "$TMP/trace1.log" "$TMP/trace2.log")"; fi
if [ -s "$TMP/count1" ] && cmp -s "$TMP/count1" "$TMP/count2"; then ok; else
    bad "instruction counts differ: $(cat "$TMP/count1") vs $(cat "$TMP/count2")"; fi
grep -q '^exec 0 ' "$TMP/trace1.log" && ok || bad "no exec line for instruction 0"
grep -q '^int [0-9]* vector 10 software at ' "$TMP/trace1.log" && ok || bad "no INT 10h line in the trace"
grep -q '^int [0-9]* vector 09 external at ' "$TMP/trace1.log" && ok || bad "no keyboard interrupt (IRQ 1, vector 09) in the trace"
grep -q '^cpu_reset 0 power-on: EAX=' "$TMP/trace1.log" && ok || bad "no cpu_reset line"
# The trace went to the file, not to stderr.
grep -q '^exec ' "$TMP/err1" && bad "exec lines on stderr despite -D" || ok
# The count of exec lines is the count of instructions begun: at least as many as retired.
lines=$(grep -c '^exec ' "$TMP/trace1.log")
[ "$lines" -gt 1000 ] && ok || bad "only $lines exec lines"

# cpu_reset: CTRL+ALT+DEL makes our BIOS reset the CPU.
"$FL" -display none -deterministic -budget 2 -send "until Choose 1-4; key ctrl+alt+del; wait 1s" \
    -d cpu_reset -D "$TMP/reset.log" >"$TMP/out" 2>"$TMP/err"
grep -q '^cpu_reset [1-9][0-9]* reset: .*CS:EIP=f000:0000fff0' "$TMP/reset.log" && ok ||
    bad "no cpu_reset line for CTRL+ALT+DEL: $(cat "$TMP/reset.log")"

# ---- -d errors ----
"$FL" -display none -d int,bogus >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -q "unknown -d items" "$TMP/err"; then ok; else
    bad "-d bogus: exit $rc, stderr $(cat "$TMP/err")"; fi
"$FL" -display none -d unmapped,post,int -budget 0.01 -D /nonexistent/dir/log >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc -eq 2 ] && grep -q "cannot write the log file" "$TMP/err" && ok || bad "-D into a missing directory: exit $rc"

# ---- --explain on faulting system tests ----
if ! command -v nasm >/dev/null 2>&1; then
    bad "nasm is missing (./build.sh installs it)"
else
    # explain NAME EXPECTED-STATUS PATTERN... : every pattern must be in the explanation
    explain() {
        name=$1; want=$2; shift 2
        nasm -f bin -I "$SYS/lib/" -o "$TMP/$name.img" "$SYS/$name.asm" && truncate -s 1474560 "$TMP/$name.img"
        "$FL" -display none -deterministic -budget 10 -fda "$TMP/$name.img" -no-reboot --explain \
            >"$TMP/$name.out" 2>"$TMP/$name.err"
        rc=$?
        [ $rc -eq "$want" ] && ok || bad "$name --explain: exit $rc, wanted $want"
        for pattern in "$@"; do
            grep -qF -- "$pattern" "$TMP/$name.err" && ok || bad "$name --explain: no line with '$pattern'"
        done
    }
    explain pm_descriptor_faults 0 \
        '== #NP(0040) segment not present, at instruction ' \
        '  why          the segment descriptor for selector 40 is not present (P=0)' \
        '  error code   0040 = selector 0040: GDT index 8 (not external)' \
        '  descriptor   GDT[8] = 00cf12000000ffff: data read/write, base 00000000 limit ffffffff, DPL 0, not present, 32-bit, 4K granular' \
        '== #GP(0048) general protection fault' \
        '  why          selector 48 names descriptor type 18 (S and type bits), which is neither a data segment nor a readable code segment' \
        '  instruction  8e d8 '
    explain paging 0 \
        '== #PF(0005) page fault' \
        '  why          linear address 400000: a user-mode access (CPL 3) to a supervisor page: entry 400001 at level 1 has U/S clear' \
        '  cr2          00400000 (a user read)' \
        '  walk         PDE[001] at ' \
        'PTE[000] at 00022000 = 00400001  P frame 00400000  -- supervisor-only (U/S=0)'
    explain pm_triple_fault_shutdown 4 \
        '== #DF(0000) double fault' \
        '  first        #GP(0033)' \
        '  second       #GP(006b)' \
        '== triple fault: the CPU shuts down' \
        '  chain        #UD at '
    # -D sends the explanation to the file.
    "$FL" -display none -deterministic -budget 10 -fda "$TMP/paging.img" -no-reboot --explain -D "$TMP/explain.log" \
        >"$TMP/out" 2>"$TMP/err"
    grep -q '^== #PF(0005)' "$TMP/explain.log" && ! grep -q '^== #PF' "$TMP/err" && ok || bad "--explain -D: not in the file"
fi

echo "debug_output: $pass passed, $fail failed"
[ $fail -eq 0 ]
