#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs the faultline binary the way a user does and checks what it prints
# and how it exits: the built-in guest, bad host input (one line, exit 2),
# a runaway guest (budget, exit 3), a triple fault (exit 4), determinism.
set -u
FL=${1:?usage: cli_test.sh path/to/faultline}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect_exit CODE DESCRIPTION -- command...
expect_exit() {
    want=$1; what=$2; shift 3
    "$@" >"$TMP/out" 2>"$TMP/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, wanted $want"; cat "$TMP/err"; fi
}

# expect_one_line_error DESCRIPTION PATTERN -- command...: exit 2, exactly one stderr line matching PATTERN
expect_one_line_error() {
    what=$1; pattern=$2; shift 3
    expect_exit 2 "$what" -- "$@"
    lines=$(wc -l <"$TMP/err")
    if [ "$lines" -eq 1 ] && grep -q "$pattern" "$TMP/err"; then ok; else bad "$what: stderr was: $(cat "$TMP/err")"; fi
}

# The default guest: our BIOS boots the built-in menu floppy; key 1 runs the self-check.
MENU='until Choose 1-4; key 1'
for model in 386 486 pentium pentium2 p6-nx; do
    expect_exit 0 "built-in guest on $model" -- "$FL" -display none -cpu "$model" -deterministic -budget 20 \
        -send "$MENU" -until "self-check finished: 0 failed" -print-screen
    grep -q "1  CPU self-check" "$TMP/out" && ok ||
        bad "built-in guest on $model: $(cat "$TMP/out")"
done
# The bare self-check program with -bin exits through port 0xF4 with 0 failures.
cp "$(dirname "$FL")/../examples/selfcheck.bin" "$TMP/selfcheck.bin"
expect_exit 0 "bare program" -- "$FL" -display none -bin "$TMP/selfcheck.bin" -deterministic
grep -q "self-check finished: 0 failed" "$TMP/out" && ok || bad "bare program output: $(cat "$TMP/out")"

expect_one_line_error "unknown flag" "unknown option" -- "$FL" -frobnicate
expect_one_line_error "flag without value" "needs a value" -- "$FL" -m
expect_one_line_error "missing program" "cannot open" -- "$FL" -bin "$TMP/does-not-exist"
: >"$TMP/empty.bin"
expect_one_line_error "empty program" "empty" -- "$FL" -bin "$TMP/empty.bin"
expect_one_line_error "unreadable program" "cannot" -- "$FL" -bin "$TMP"
expect_one_line_error "RAM zero" "RAM size" -- "$FL" -m 0
expect_one_line_error "RAM too big" "RAM size" -- "$FL" -m 5G
expect_one_line_error "RAM garbage" "RAM size" -- "$FL" -m lots
expect_one_line_error "unknown CPU" "unknown CPU model" -- "$FL" -cpu z80
expect_one_line_error "bad budget" "budget" -- "$FL" -budget soon
expect_one_line_error "unknown display" "unknown display" -- "$FL" -display vnc

# Disk and firmware images: one clear line, exit 2, the file untouched.
head -c 1000 /dev/zero >"$TMP/odd.img"
head -c 102400 /dev/zero >"$TMP/100k.img"
head -c 1474560 /dev/zero >"$TMP/floppy.img"
head -c 50000 /dev/zero >"$TMP/bios50k.bin"
head -c 65536 /dev/zero >"$TMP/bios64k.bin"
sum_before=$(cksum "$TMP/odd.img" "$TMP/100k.img" "$TMP/floppy.img")
expect_one_line_error "missing floppy" "cannot open" -- "$FL" -fda "$TMP/none.img"
expect_one_line_error "empty floppy" "empty" -- "$FL" -fda "$TMP/empty.bin"
expect_one_line_error "wrongly sized floppy" "floppy image must be" -- "$FL" -fda "$TMP/100k.img"
expect_one_line_error "disk not whole sectors" "512-byte sectors" -- "$FL" -hda "$TMP/odd.img"
expect_one_line_error "two images on one slot" "given twice" -- "$FL" -fda "$TMP/floppy.img" -fda "$TMP/floppy.img"
expect_one_line_error "BIOS of a wrong size" "BIOS image must be" -- "$FL" -bios "$TMP/bios50k.bin"
expect_one_line_error "option ROM without signature" "not an option ROM" -- "$FL" -bios "$TMP/bios64k.bin" -option-rom "$TMP/100k.img"
expect_one_line_error "bad boot order" "boot order" -- "$FL" -fda "$TMP/floppy.img" -boot z
expect_one_line_error "bad rtc" "rtc" -- "$FL" -rtc base=yesterday
[ "$sum_before" = "$(cksum "$TMP/odd.img" "$TMP/100k.img" "$TMP/floppy.img")" ] && ok || bad "an image was modified"

# Serial: COM1 output to a file, COM1 input from standard input.
cat >"$TMP/serial.asm" <<'ASM'
bits 16
org 0x7c00
        mov dx, 0x3fb           ; 9600 8N1: DLAB, divisor 12, 8 data bits
        mov al, 0x80
        out dx, al
        mov dx, 0x3f8
        mov al, 12
        out dx, al
        mov dx, 0x3fb
        mov al, 3
        out dx, al
%ifndef ECHO_ONLY
        mov si, msg
%else
        jmp echo
%endif
send:   mov dx, 0x3fd
.wait:  in al, dx
        test al, 0x20           ; THR empty
        jz .wait
        lodsb
        test al, al
        jz echo
        mov dx, 0x3f8
        out dx, al
        jmp send
echo:   mov dx, 0x3fd           ; echo received bytes to 0xE9 until 'q'
.wait:  in al, dx
        test al, 1
        jz .wait
        mov dx, 0x3f8
        in al, dx
        out 0xe9, al
        cmp al, 'q'
        jne echo
        mov al, 0
        out 0xf4, al
msg:    db "hello from COM1", 0
ASM
nasm -f bin -o "$TMP/serial.bin" "$TMP/serial.asm"
nasm -f bin -DECHO_ONLY -o "$TMP/echo.bin" "$TMP/serial.asm"
printf 'typed q' | "$FL" -display none -bin "$TMP/echo.bin" -serial stdio -serial file:"$TMP/com2.txt" \
    -budget 10 -quiet >"$TMP/out" 2>"$TMP/err"
grep -q "typed q" "$TMP/out" && ok || bad "serial input: $(cat "$TMP/out" "$TMP/err")"
"$FL" -display none -bin "$TMP/serial.bin" -serial file:"$TMP/com1.txt" -budget 200ms -deterministic -quiet \
    >/dev/null 2>&1
grep -q "hello from COM1" "$TMP/com1.txt" && ok || bad "serial file: $(cat "$TMP/com1.txt")"
expect_one_line_error "bad serial" "unknown -serial" -- "$FL" -serial bogus

printf '\353\376' >"$TMP/spin.bin"          # jmp $
expect_exit 3 "runaway guest ends at its budget" -- "$FL" -display none -bin "$TMP/spin.bin" -budget 20ms -deterministic
grep -q "budget ran out" "$TMP/err" && ok || bad "budget message: $(cat "$TMP/err")"

# lidt [zero]; int3 -> #GP on the IVT limit -> #DF -> triple fault
printf '\017\001\036\011\174\314\000\000\000\000\000\000' >"$TMP/triple.bin"
expect_exit 4 "triple fault" -- "$FL" -display none -bin "$TMP/triple.bin" -deterministic
grep -q "triple fault" "$TMP/err" && ok || bad "triple fault message: $(cat "$TMP/err")"
grep -q "fault chain: #GP(001a) .* -> #DF(0000) .* -> #GP(0042)" "$TMP/err" && ok ||
    bad "triple fault chain: $(cat "$TMP/err")"

"$FL" -display none -deterministic -budget 2 -send "$MENU" >"$TMP/run1" 2>&1
"$FL" -display none -deterministic -budget 2 -send "$MENU" >"$TMP/run2" 2>&1
sed 's/[0-9.]* s host.*MIPS)//' "$TMP/run1" >"$TMP/a"
sed 's/[0-9.]* s host.*MIPS)//' "$TMP/run2" >"$TMP/b"
cmp -s "$TMP/a" "$TMP/b" && ok || bad "two deterministic runs differ"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
