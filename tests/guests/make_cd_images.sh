#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds the El Torito test CDs from Debian's packages (isolinux, syslinux,
# xorriso), without loop mounts:
#   isolinux.iso         ISOLINUX, no-emulation boot (4 sectors, boot info table);
#                        isolinux.cfg says a marker and stops at "boot:"
#   floppy-emulation.iso the SYSLINUX floppy (make_syslinux_images.sh, run
#                        first into the same OUTDIR) as a 1.44M emulated diskette
#   make_cd_images.sh OUTDIR
set -eu
out=${1:?usage: make_cd_images.sh OUTDIR}
tree="$out/cd-tree"
rm -rf "$tree"
mkdir -p "$tree/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$tree/isolinux/"
printf 'SERIAL 0 115200\nPROMPT 1\nTIMEOUT 0\nSAY Faultline ISOLINUX test CD\n' >"$tree/isolinux/isolinux.cfg"
xorriso -as mkisofs -quiet -o "$out/isolinux.iso" -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table "$tree" 2>/dev/null

ftree="$out/cd-floppy-tree"
rm -rf "$ftree"
mkdir -p "$ftree"
cp "$out/syslinux-floppy.img" "$ftree/floppy.img"
xorriso -as mkisofs -quiet -o "$out/floppy-emulation.iso" -b floppy.img -c boot.cat "$ftree" 2>/dev/null
echo "made $out/isolinux.iso $out/floppy-emulation.iso"
