#!/bin/sh
# SPDX-License-Identifier: MIT
# The monitor as a user drives it: faultline -monitor stdio with commands on
# standard input (echoed after the prompt, since it is not a terminal), run
# on monitor_guest.asm, and the transcript checked line by line: break,
# step, next, registers, x, u, watch, catch int/exception with the
# explanation, bad commands answered in one line; Ctrl-C back to the prompt;
# -monitor with anything but stdio refused.
#   monitor_test.sh path/to/faultline
set -u
FL=${1:?usage: monitor_test.sh path/to/faultline}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect TEXT: the transcript holds this exact line
expect() {
    if grep -qxF -- "$1" "$TMP/out"; then ok; else bad "no line '$1'"; fi
}
# expect_re REGEX: some line matches
expect_re() {
    if grep -qE -- "$1" "$TMP/out"; then ok; else bad "no line matching '$1'"; fi
}

if ! command -v nasm >/dev/null 2>&1; then
    echo "monitor: nasm is missing (./build.sh test installs it)"
    exit 1
fi
nasm -f bin -o "$TMP/guest.bin" "$HERE/monitor_guest.asm" || exit 1
nasm -f bin -o "$TMP/paging.bin" "$HERE/monitor_paging.asm" || exit 1

cat >"$TMP/script" <<'CMDS'
info registers
b 0:7c07
c
s
x /2xb 600
x/3xb 0:600
u 0:7c00 3
watch 602 2
c
catch int 21h ah=09
c
info breakpoints
b 0:7c40 if bx == 0
c
n
r
catch exception gp if cpl == 0 && error == 0
c
explain
s
bogus
b zzz
catch exception 99
b 7c00 if eax ==
x /4qq 600
delete 42
info sregs
info cr
info dr
info msr
info fpu
info idt
c
q
CMDS
timeout 60 "$FL" -bin "$TMP/guest.bin" -display none -deterministic -monitor stdio <"$TMP/script" >"$TMP/out" 2>"$TMP/err"
status=$?
[ "$status" -eq 0 ] && ok || bad "the session exited $status: $(cat "$TMP/err")"
[ -n "${VERBOSE:-}" ] && cat "$TMP/out"

# Stopped before the first instruction, then each command's answer.
expect "0000:00007c00 (lin 00007c00): xor ax, ax"
expect "(faultline) info registers"
expect "eip=00007c00 eflags=00000002 [-] iopl=0"
expect "1   break            0000:00007c07                enabled   hits 0"
expect "breakpoint 1 at lin 00007c07"
expect "0000:00007c07 (lin 00007c07): mov word ptr [0x600], ax"
expect "0000:00007c0a (lin 00007c0a): mov word ptr [0x602], 0x5678"
expect "00000600: 34 12"
expect "00000600: 34 12 00"
expect "0000:00007c02 (lin 00007c02): 8ed8                 mov ds, ax"
# The watchpoint stops after the storing instruction, with old and new value.
expect "watchpoint 2: write of 2 bytes at lin 00000602: 0000 -> 5678"
expect "0000:00007c10 (lin 00007c10): mov word ptr [0x84], 0x7c4b"
# Only the INT 21h with AH=09h is caught, at the handler's first instruction.
expect_re "catchpoint 3: software interrupt 21h \(ah=09h\)$"
expect "3   catch int        21h ah=09h                   enabled   hits 1"
expect_re "breakpoint 4 at lin 00007c40$"
# next steps over the CALL: sub1 ran (bx = 1).
expect "0000:00007c43 (lin 00007c43): mov ax, word ptr [0xffff]"
expect_re "^eax=[0-9a-f]{8} ebx=00000001 "
# The caught #GP, held before delivery, with the explainer's block.
expect "catchpoint 6: exception #GP(0000) at 0000:00007c43"
expect_re "^== #GP\(0000\) general protection fault"
expect_re "^  why          offset ffff of a 2-byte access lies past the limit ffff of the segment"
[ "$(grep -c '^== #GP(0000)' "$TMP/out")" -eq 2 ] && ok || bad "explain did not repeat the block"
# Looking, stopping and stepping never change the guest: it ends as a plain run does.
"$FL" -bin "$TMP/guest.bin" -display none -deterministic >/dev/null 2>"$TMP/plain"
if [ "$(grep 'state hash' "$TMP/plain")" = "$(grep 'state hash' "$TMP/err")" ]; then ok; else
    bad "the session changed the guest: $(grep 'state hash' "$TMP/plain") vs $(grep 'state hash' "$TMP/err")"; fi
# Stepping from a caught exception delivers it: the handler's first instruction.
expect "0000:00007c52 (lin 00007c52): mov al, 0x47"
# Bad input: one line each, the guest unharmed.
expect "unknown command 'bogus' (try help)"
expect "bad address 'zzz' (hex, e.g. 7c00, 0x7c00 or 7c00h, or a register)"
expect "bad exception '99' (0-31 or a name such as gp, pf)"
expect_re "^bad expression: "
expect_re "^bad format '/4qq'"
expect "no breakpoint number 42"
expect_re "^cs:   sel=0000 base=00000000 limit=0000ffff  code "
expect "cr0=60000010 [CD NW ET]"
expect "dr7=00000400 [-]"
expect_re "^IA32_EFER "
expect_re "^st0 \(r0\) "
expect "  21  0000:7c4b"
# The #GP is delivered on c: the handler prints G and exits through port F4h.
expect "G"
expect "the guest wrote the exit port; 'c' or 'q' ends the run"

# catch io stops after the OUT; until runs to an address; a disabled catch point stays quiet.
printf 'catch io e9\nc\ndisable 1\nuntil 0:7c43\ninfo breakpoints\ncatch mode\nenable 1\ndelete 1\ns 2\nq\n' >"$TMP/script"
timeout 60 "$FL" -bin "$TMP/guest.bin" -display none -deterministic -monitor stdio <"$TMP/script" >"$TMP/out" 2>"$TMP/err"
[ -n "${VERBOSE:-}" ] && cat "$TMP/out"
expect "catchpoint 1: out of 1 byte at port 00e9"
expect "0000:00007c51 (lin 00007c51): iret"
expect "0000:00007c43 (lin 00007c43): mov ax, word ptr [0xffff]"
expect "1   catch io         port 00e9                    disabled  hits 1"
expect "3   catch mode       mode changes                 enabled   hits 0"
expect_re "^0000:00007c54 \(lin 00007c54\): out 0xe9, al$"

# Protected mode and paging: catch mode, a watch through a remapped page,
# an unmapped page, and a #PF caught by CR2 with the walk explained.
printf 'catch mode\nc\nc\ninfo cr\nx /4xb 400000\npage 300000\nwatch 300000 4\nc\nxp /4xb 5000\ncatch exception pf if cr2 >= 0x400000\nc\ninfo tlb\nc\n' >"$TMP/script"
timeout 60 "$FL" -bin "$TMP/paging.bin" -display none -deterministic -monitor stdio <"$TMP/script" >"$TMP/out" 2>"$TMP/err"
status=$?
[ -n "${VERBOSE:-}" ] && cat "$TMP/out"
[ "$status" -eq 0 ] && ok || bad "the paging session exited $status: $(cat "$TMP/err")"
expect "catchpoint 1: mode change real -> protected"
expect "catchpoint 1: mode change protected -> protected+paging"
expect "cr0=e0000011 [PG CD NW ET PE]"
expect "linear 00400000 is not mapped (page not present)"
expect_re "^  PTE\[300\] at 00011c00 = 00005003 "
expect "watchpoint 2: write of 4 bytes at lin 00300000: 00000000 -> cafef00d"
expect "00005000: 0d f0 fe ca"
expect "catchpoint 3: exception #PF(0000) at 0008:00007c79"
expect_re "^  cr2          00400000 "
expect_re "^  walk         PDE\[001\] at 00010004 = 00000000 "
expect_re "^  00300000 -> 00005000 "
expect "P"

# Ctrl-C: an endless loop, interrupted from the terminal, back at the prompt.
printf '\353\376' >"$TMP/loop.bin"
mkfifo "$TMP/in"
"$FL" -bin "$TMP/loop.bin" -display none -monitor stdio <"$TMP/in" >"$TMP/out" 2>"$TMP/err" &
pid=$!
exec 3>"$TMP/in"
echo c >&3
sleep 1
kill -INT "$pid"
sleep 1
echo r >&3
echo q >&3
exec 3>&-
i=0
while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 20 ]; do sleep 0.5; i=$((i + 1)); done
if kill -0 "$pid" 2>/dev/null; then kill "$pid"; bad "Ctrl-C: the monitor did not quit"; fi
wait "$pid"
expect "interrupted"
expect "0000:00007c00 (lin 00007c00): jmp 0x7c00"
expect_re "^eip=00007c00 "

# Discs change while the guest is stopped; a bad image leaves a message.
head -c 20480 /dev/zero >"$TMP/disc.iso"
printf 'change cdrom %s\nchange cdrom %s/missing.iso\neject ide1-cd0\nchange floppy x\nq\n' "$TMP/disc.iso" "$TMP" >"$TMP/script"
timeout 60 "$FL" -bin "$TMP/guest.bin" -display none -deterministic -monitor stdio <"$TMP/script" >"$TMP/out" 2>"$TMP/err"
expect "cdrom: $TMP/disc.iso inserted"
expect "cannot open '$TMP/missing.iso': No such file or directory"
expect "cdrom: ejected"
expect "usage: change cdrom FILE (an ISO image)"

# -monitor takes stdio only: one line, exit 2.
"$FL" -bin "$TMP/guest.bin" -display none -monitor tcp::4444 >"$TMP/out" 2>"$TMP/err"
status=$?
[ "$status" -eq 2 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -q "only -monitor stdio" "$TMP/err" && ok ||
    bad "-monitor tcp::4444: exit $status, stderr $(cat "$TMP/err")"

echo "monitor: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
