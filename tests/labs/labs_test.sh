#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs every teaching lab (examples/labs, docs/labs) headless under Faultline
# and checks its console lines and its exit status; runs it under Debian's
# qemu-system-i386 as well and checks the lines that show hardware behaviour
# (the labs must behave the same on another engine); and, when this
# faultline has --explain, checks the explainer's block for each fault a lab
# takes: the header (== #GP(0010)) and a fragment of the `why` sentence
# (cpu/fault_rules.def).
#   labs_test.sh path/to/faultline [lab-name...]
# The images are the build's: build/examples/labs/NAME.img next to the
# faultline binary's build tree.  VERBOSE=1 shows every run's output.
# QEMU missing is a failure, as in tests/system (build.sh installs it);
# SKIP_QEMU=1 leaves the QEMU runs out.
set -u
FL=${1:?usage: labs_test.sh path/to/faultline [lab-name...]}
shift
IMGDIR=$(cd "$(dirname "$FL")/../examples/labs" 2>/dev/null && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
QEMU=${QEMU:-qemu-system-i386}
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "FAIL $1"
    [ $# -ge 2 ] && grep -v '^ *$' "$2" | tail -20 | sed 's/^/    /'
}

if [ -z "$IMGDIR" ] || ! ls "$IMGDIR"/lab*.img >/dev/null 2>&1; then
    echo "labs: no lab images next to $FL (build the 'labs' target)"
    echo "labs: 0 passed, 1 failed"
    exit 1
fi
HAVE_EXPLAIN=0
"$FL" --help 2>&1 | grep -q -- '--explain' && HAVE_EXPLAIN=1
if [ "${SKIP_QEMU:-0}" != 1 ] && ! command -v "$QEMU" >/dev/null 2>&1; then
    echo "labs: $QEMU is missing: install qemu-system-x86 (./build.sh test does)"
    echo "labs: 0 passed, 1 failed"
    exit 1
fi

# Code addresses move whenever a lab or its library changes, so both sides
# are compared with them replaced: "at 001B:00008817" -> "at 001B:ADDR",
# "#DE at 0000877F" and "caller EIP=00008827" likewise.  The selector (the
# ring), the vector and the error code stay.
normalize() {
    sed -E 's/ at ([0-9A-F]{4}):[0-9A-F]{8}/ at \1:ADDR/; s/ at [0-9A-F]{8} / at ADDR /; s/caller EIP=[0-9A-F]{8}/caller EIP=ADDR/'
}
# expect FILE LABEL LINE...: every LINE is a whole line of FILE.
expect() {
    file=$1; label=$2; shift 2
    normalize <"$file" >"$file.norm"
    for line in "$@"; do
        want=$(printf '%s\n' "$line" | normalize)
        if grep -qxF -- "$want" "$file.norm"; then ok; else bad "$label: no line '$line'" "$file"; fi
    done
}
# expect_explain FILE LABEL HEADER WHY: a block whose header starts with
# HEADER (hex digits in either case) and, in the same block, a `why` line
# containing WHY.
expect_explain() {
    if awk -v h="$3" -v w="$4" '
        /^== #/ { inblk = (index(tolower($0), tolower(h)) == 1) }
        inblk && /^  why / && index($0, w) { found = 1 }
        END { exit !found }' "$1"; then ok; else bad "$2: no explainer block '$3' with why '... $4 ...'" "$1"; fi
}

# Per lab: the extra arguments, the console lines both engines print, the
# lines only Faultline prints (where QEMU's TCG differs from hardware: the
# lab's sheet says why), and the explainer blocks (header|why fragment).
lab_args() {
    case $1 in lab09_pae_nx) echo "-cpu p6-nx" ;; *) echo "" ;; esac
}
qemu_args() {
    case $1 in lab09_pae_nx) echo "-cpu pentium3,+nx" ;; *) echo "" ;; esac
}
lines_both() {
    case $1 in
    lab01_protected_mode)
        echo "no BIOS here: this text was written to B8000h by the lab itself"
        echo "a 32-bit offset: [00100000h] = 1234ABCD"
        echo "lab 1 done" ;;
    lab02_limits)
        echo "wrote FS:0 and FS:0FFC; through flat DS, [00020FFC] = 22222222 (base + offset)"
        echo "after reloading FS, FS:1800 works: [00021800] = 44444444"
        echo "  -> #GP(0080) at 0008:00008A75"
        echo "  -> #GP(0000) at 0008:00008B5E"
        echo "lab 2 done" ;;
    lab03_privilege)
        echo "  -> #GP(0010) at 001B:00008817"
        echo "  in the gate: CS=0008 (CPL 0) EAX=12345678 ESP=00005FE0 (from TSS.ESP0)"
        echo "  the CPU pushed: caller EIP=00008827 CS=001B ESP=00005000 SS=0023"
        echo "  -> #GP(0000) at 001B:00008827"
        echo "lab 3 done" ;;
    lab04_interrupts)
        echo "  -> #DE at 0000877F (the DIV itself); setting the saved ECX to 7"
        echo "  the handler set ECX = 7 and returned to the DIV, which ran again: 100 / 7 = 14"
        echo "  -> #GP(018A) at 0008:00008836"
        echo "  tick 5"
        echo "lab 4 done" ;;
    lab05_tasks)
        echo "  task B runs: TR=0040 ESP=00003000 EFLAGS.NT=1 previous-task link=0028"
        echo "  task B resumed after its IRET; EFLAGS.NT=0 (JMP does not nest); JMP 0028:0 back"
        echo "  -> #GP(0028) at 0008:0000893E"
        echo "lab 5 done" ;;
    lab06_paging)
        echo "PTE of the alias after:  000B8063 (A=1, D=1: the CPU marked it)"
        echo "this line was written through linear 00400000, the screen's alias"
        echo "lab 6 done" ;;
    lab07_demand_paging)
        echo "  #PF cr2=00800000 error=02 (not present, write), new page table 00100003, mapped frame 00101003"
        echo "  #PF cr2=00803000 error=00 (not present, read), mapped frame 00104003"
        echo "read back: 11111111 22222222 33333333 00000000"
        echo "  -> #PF(0002) at 0008:00008935 cr2 F0000000"
        echo "lab 7 done" ;;
    lab08_protection)
        echo "  -> #PF(0007) at 001B:00008A69 cr2 00031000"
        echo "  -> #PF(0005) at 001B:00008A75 cr2 00030000"
        echo "  allowed: [00031000] = AAAAAAAA (supervisor writes ignore R/W while WP=0)"
        echo "  -> #PF(0003) at 0008:000089C5 cr2 00031000"
        echo "lab 8 done" ;;
    lab09_pae_nx)
        echo "read the byte at 00030000 as data: C3 (allowed)"
        echo "  -> #PF(0011) at 0008:00030000 cr2 00030000"
        echo "lab 9 done" ;;
    lab10_v86)
        echo "  (V86) hello from 8086 code, printing through INT 21h"
        echo "monitor: #GP(0) on HLT; the program read video mode 03h from 0040:0049"
        echo "lab 10 done" ;;
    lab11_two_processes)
        echo "kernel: B killed: page fault at EIP 0080002E, CR2=0040100A, error 0006 (user write, page not present)"
        echo "  A: round 4, my data: 'all is well in process A'"
        echo "  B: the write went through"
        echo "  A: round 4, m################well in process A'"
        echo "lab 11 done" ;;
    esac
}
lines_faultline() {
    case $1 in
    lab01_protected_mode)
        echo "protected mode: CS=0008 DS=0010 CR0=60000011 (PE=1)" ;;
    lab02_limits)
        echo "  -> #GP(0000) at 0008:000087A6"
        echo "  [00021000] still holds 00000000" ;;
    lab09_pae_nx)
        echo "  -> #PF(0009) at 0008:00008A55 cr2 00030000" ;;
    lab11_two_processes)
        echo "kernel: timer tick: A preempted" ;;
    esac
}
explains() {
    case $1 in
    lab02_limits)
        echo "== #GP(0000)|lies past the limit"
        echo "== #GP(0080)|indexes past the limit"
        echo "== #GP(0000)|branch target" ;;
    lab03_privilege)
        echo "== #GP(0010)|numerically above it"
        echo "== #GP(0000)|IOPL" ;;
    lab04_interrupts)
        echo "== #DE|the divisor is zero"
        echo "== #GP(018A)|not an interrupt, trap or task gate" ;;
    lab05_tasks)
        echo "== #GP(0028)|is a busy TSS" ;;
    lab07_demand_paging)
        echo "== #PF(0002)|whose present bit is clear" ;;
    lab08_protection)
        echo "== #PF(0007)|R/W clear"
        echo "== #PF(0005)|U/S clear"
        echo "== #PF(0003)|R/W clear" ;;
    lab09_pae_nx)
        echo "== #PF(0011)|no-execute page"
        echo "== #PF(0009)|reserved bit" ;;
    lab10_v86)
        echo "== #GP(0000)|traps to the monitor"
        echo "== #GP(0000)|it needs CPL 0" ;;
    lab11_two_processes)
        echo "== #PF(0006)|whose present bit is clear" ;;
    esac
}

if [ $# -gt 0 ]; then labs="$*"; else labs=$(cd "$IMGDIR" && ls lab*.img | sed 's/\.img$//'); fi

for lab in $labs; do
    img="$IMGDIR/$lab.img"
    out="$TMP/$lab.fl"
    # shellcheck disable=SC2046
    timeout 60 "$FL" -display none -deterministic -budget 10 -quiet -fda "$img" -snapshot \
        $(lab_args "$lab") >"$out" 2>&1
    rc=$?
    [ $rc -eq 0 ] && ok || bad "$lab faultline: exit status $rc" "$out"
    lines_both "$lab" >"$TMP/want"
    lines_faultline "$lab" >>"$TMP/want"
    while IFS= read -r line; do expect "$out" "$lab faultline" "$line"; done <"$TMP/want"
    [ "${VERBOSE:-0}" = 1 ] && sed 's/^/    /' "$out"

    if [ $HAVE_EXPLAIN = 1 ]; then
        # shellcheck disable=SC2046
        timeout 60 "$FL" --explain -display none -deterministic -budget 10 -quiet -fda "$img" -snapshot \
            $(lab_args "$lab") >"$TMP/$lab.explain.out" 2>"$TMP/$lab.explain"
        explains "$lab" >"$TMP/want"
        if [ -s "$TMP/want" ]; then
            while IFS='|' read -r head why; do
                expect_explain "$TMP/$lab.explain" "$lab --explain" "$head" "$why"
            done <"$TMP/want"
        elif grep -q '^== #' "$TMP/$lab.explain"; then
            bad "$lab --explain: a lab without faults got an explainer block" "$TMP/$lab.explain"
        else
            ok
        fi
        [ "${VERBOSE:-0}" = 1 ] && sed 's/^/    /' "$TMP/$lab.explain"
    fi

    [ "${SKIP_QEMU:-0}" = 1 ] && continue
    qimg="$TMP/$lab-qemu.img"
    cp "$img" "$qimg"
    printf '\001' | dd of="$qimg" bs=1 seek=509 conv=notrunc 2>/dev/null   # ON_QEMU
    # shellcheck disable=SC2046
    timeout 60 "$QEMU" -display none -drive if=floppy,index=0,format=raw,file="$qimg" -boot a \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 -debugcon stdio -no-reboot -m 32 \
        $(qemu_args "$lab") >"$TMP/$lab.qemu" 2>&1 </dev/null
    rc=$?
    [ $rc -eq 1 ] && ok || bad "$lab qemu: exit status $rc, wanted 1 (exit code 0)" "$TMP/$lab.qemu"
    lines_both "$lab" >"$TMP/want"
    while IFS= read -r line; do expect "$TMP/$lab.qemu" "$lab qemu" "$line"; done <"$TMP/want"
done

# Lab 9 on a CPU without NX says so and exits with status 2.
if echo " $labs " | grep -q ' lab09_pae_nx '; then
    timeout 60 "$FL" -display none -deterministic -budget 10 -quiet -cpu pentium2 -snapshot \
        -fda "$IMGDIR/lab09_pae_nx.img" >"$TMP/nonx" 2>&1
    rc=$?
    [ $rc -eq 2 ] && ok || bad "lab09 on pentium2: exit status $rc, wanted 2" "$TMP/nonx"
    expect "$TMP/nonx" "lab09 on pentium2" \
        "this CPU has no NX (CPUID 80000001h EDX bit 20): run with -cpu p6-nx"
fi

# The built-in floppy's menu runs a lab, and the lab resets back into the menu.
timeout 60 "$FL" -display none -deterministic -budget 30 -quiet \
    -send "until Choose 1-4; key l; until Choose a-k; key k; until Press a key; key x; until Choose 1-4; key 1" \
    -until "self-check finished: 0 failed" >"$TMP/menu" 2>&1
rc=$?
[ $rc -eq 0 ] && ok || bad "menu: lab 11 from the built-in floppy and back: exit status $rc" "$TMP/menu"
expect "$TMP/menu" "menu" "lab 11 done" "Press a key to return to the menu."

[ $HAVE_EXPLAIN = 1 ] || echo "labs: this faultline has no --explain: the explainer checks were skipped"
echo "labs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
