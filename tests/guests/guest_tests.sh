#!/bin/sh
# SPDX-License-Identifier: MIT
# Boots real software nobody here wrote, headless, with a budget in virtual
# time, and checks what it prints.  The images are built by this folder's
# scripts from Debian packages (bochsbios, vgabios, seabios, syslinux, mtools,
# dosfstools, fdisk, isolinux, xorriso); build.sh installs them.
#   guest_tests.sh path/to/faultline
set -u
FL=${1:?usage: guest_tests.sh path/to/faultline}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

BOCHS_BIOS=/usr/share/bochs/BIOS-bochs-legacy
VGA_BIOS=/usr/share/vgabios/vgabios.bin
SEABIOS=/usr/share/seabios/bios.bin
SEAVGABIOS=/usr/share/seabios/vgabios-stdvga.bin
for f in "$BOCHS_BIOS" "$VGA_BIOS" "$SEABIOS" "$SEAVGABIOS" /usr/lib/syslinux/mbr/mbr.bin; do
    if [ ! -f "$f" ]; then
        echo "guests: $f is missing: install bochsbios vgabios seabios syslinux syslinux-common (./build.sh test does)"
        echo "guests: 0 passed, 1 failed"
        exit 1
    fi
done
"$HERE/make_syslinux_images.sh" "$TMP" >/dev/null || { echo "guests: building the images failed"; exit 1; }

# boot NAME UNTIL EXPECT... -- faultline args: runs until UNTIL shows, then
# checks that every EXPECT is on the screen or the consoles.
boot() {
    name=$1; until=$2; shift 2
    expects=""
    while [ "$1" != "--" ]; do expects="$expects|$1"; shift; done
    shift
    "$FL" -display none -deterministic -no-reboot -snapshot -budget 30 -until "$until" -print-screen "$@" \
        >"$TMP/$name.out" 2>"$TMP/$name.err"
    rc=$?
    ok=1
    [ "$rc" -eq 0 ] || ok=0
    old_ifs=$IFS
    IFS='|'
    for e in $expects; do
        [ -z "$e" ] && continue
        grep -qF "$e" "$TMP/$name.out" || ok=0
    done
    IFS=$old_ifs
    if [ "$ok" -eq 1 ]; then
        pass=$((pass + 1))
        echo "ok   $name"
    else
        fail=$((fail + 1))
        echo "FAIL $name (exit $rc)"
        sed 's/^/    /' "$TMP/$name.err" | tail -5
        grep -v '^ *$' "$TMP/$name.out" | sed 's/^/    /' | tail -15
    fi
}

# SYSLINUX must reach its boot: prompt and answer a typed kernel name (it
# runs in 32-bit protected mode and calls the BIOS through real-mode thunks).
ANSWER="failed: No such file or directory"
TYPE="until boot:; type nothere\n"
boot bochs-bios-vgabios-hard-disk "$ANSWER" \
    "Bochs VGABios" "Bochs 2.7 BIOS" "ata0 master: Faultline ATA disk" "Booting from Hard Disk" \
    "SYSLINUX 6.04" "Loading nothere" -- \
    -bios "$BOCHS_BIOS" -option-rom "$VGA_BIOS" -hda "$TMP/syslinux-hd.img" -boot c -send "$TYPE"
boot bochs-bios-vgabios-floppy "$ANSWER" \
    "Bochs VGABios" "Booting from Floppy" "SYSLINUX 6.04" "Loading nothere" -- \
    -bios "$BOCHS_BIOS" -option-rom "$VGA_BIOS" -fda "$TMP/syslinux-floppy.img" -boot a -send "$TYPE"
# SeaBIOS finds the 440FX/PIIX3 board, copies its VGA BIOS from the PCI VGA's
# ROM BAR into PAM-shadowed RAM at C0000h, and boots from the PIIX3's IDE.
boot seabios-hard-disk "$ANSWER" \
    "SeaBIOS (version" "Running on QEMU (i440fx)" "Start SeaVGABIOS" "ata0-0: Faultline ATA disk" "Booting from Hard Disk" \
    "SYSLINUX 6.04" "Loading nothere" -- \
    -bios "$SEABIOS" -option-rom "$SEAVGABIOS" -hda "$TMP/syslinux-hd.img" -boot c -send "$TYPE"
boot seabios-floppy "$ANSWER" \
    "Running on QEMU (i440fx)" "Booting from Floppy" "SYSLINUX 6.04" "Loading nothere" -- \
    -bios "$SEABIOS" -option-rom "$SEAVGABIOS" -fda "$TMP/syslinux-floppy.img" -boot a -send "$TYPE"
# The Bochs "latest" BIOS sets up PCI from 32-bit protected mode first; it
# reports on its debug port (0x402), SYSLINUX answers on COM1.
boot bochs-latest-bios-hard-disk "$ANSWER" \
    "Booting from 0000:7c00" "SYSLINUX 6.04" "Loading nothere" -- \
    -bios /usr/share/bochs/BIOS-bochs-latest -option-rom "$VGA_BIOS" -hda "$TMP/syslinux-hd.img" -boot c \
    -send "$TYPE"
boot our-bios-hard-disk "$ANSWER" \
    "Booting from hard disk" "SYSLINUX 6.04" "Faultline SYSLINUX test image" "Loading nothere" -- \
    -hda "$TMP/syslinux-hd.img" -boot c -send "$TYPE"
boot our-bios-floppy "$ANSWER" \
    "Booting from floppy" "SYSLINUX 6.04" "Faultline SYSLINUX test image" "Loading nothere" -- \
    -fda "$TMP/syslinux-floppy.img" -boot a -send "$TYPE"

# El Torito CDs in the ATAPI drive (secondary master): ISOLINUX boots with
# no emulation under our BIOS and SeaBIOS and reads its files through INT 13h
# AH=42h in 2048-byte sectors; the SYSLINUX floppy boots as an emulated
# 1.44M diskette under our BIOS.
if "$HERE/make_cd_images.sh" "$TMP" >/dev/null; then
    boot our-bios-isolinux-cd "$ANSWER" \
        "CD-ROM E0: Faultline ATAPI CD-ROM" "Booting from CD-ROM" "ISOLINUX 6.04" \
        "Faultline ISOLINUX test CD" "Loading nothere" -- \
        -cdrom "$TMP/isolinux.iso" -boot d -send "$TYPE"
    boot seabios-isolinux-cd "$ANSWER" \
        "Running on QEMU (i440fx)" "Booting from DVD/CD" "ISOLINUX 6.04" "Faultline ISOLINUX test CD" \
        "Loading nothere" -- \
        -bios "$SEABIOS" -option-rom "$SEAVGABIOS" -cdrom "$TMP/isolinux.iso" -boot d -send "$TYPE"
    boot our-bios-floppy-emulation-cd "$ANSWER" \
        "Booting from CD-ROM" "SYSLINUX 6.04" "Faultline SYSLINUX test image" "Loading nothere" -- \
        -cdrom "$TMP/floppy-emulation.iso" -fda "$TMP/syslinux-floppy.img" -boot d -send "$TYPE"
else
    fail=$((fail + 1))
    echo "FAIL cd images: install isolinux and xorriso (./build.sh test does)"
fi

# memtest86+ (Debian's 32-bit BIOS build, written to a floppy as its docs
# allow) runs its tests up to the bit-fade test without reporting an error.
MEMTEST=/boot/memtest86+ia32.bin
if [ -f "$MEMTEST" ]; then
    cp "$MEMTEST" "$TMP/memtest.img"
    truncate -s 1474560 "$TMP/memtest.img"
    boot memtest86plus-to-bit-fade "Bit fade test" "Memtest86+ v6" "Errors: 0" -- \
        -m 8 -fda "$TMP/memtest.img" -boot a -budget 400
else
    fail=$((fail + 1))
    echo "FAIL memtest86plus: $MEMTEST is missing (install memtest86+; ./build.sh test does)"
fi

# Determinism: the same boot with the same scripted keys, twice, must retire the
# same instructions and end in the same state (RAM, CPU and every chip's state).
run_twice() {
    "$FL" -display none -deterministic -snapshot -budget 4 -bios "$BOCHS_BIOS" -option-rom "$VGA_BIOS" \
        -send "until Choose 1-4; key 1; until any key; key 2" 2>&1 >/dev/null |
        grep -E "instructions|state hash" | sed 's/, [0-9.]* s host.*MIPS)//'
}
first=$(run_twice)
second=$(run_twice)
if [ -n "$first" ] && [ "$first" = "$second" ] && echo "$first" | grep -q "state hash"; then
    pass=$((pass + 1))
    echo "ok   determinism ($(echo "$first" | tr '\n' ' '))"
else
    fail=$((fail + 1))
    echo "FAIL determinism"
    echo "    first:  $first"
    echo "    second: $second"
fi

echo "guests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
