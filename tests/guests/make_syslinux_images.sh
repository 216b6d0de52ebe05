#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds the SYSLINUX test images from Debian's packages, without loop mounts:
#   syslinux-floppy.img  a 1.44M FAT12 floppy with SYSLINUX installed
#   syslinux-hd.img      a 16 MiB disk: SYSLINUX's MBR, one bootable FAT16
#                        partition at sector 2048 with SYSLINUX installed
# Both say a marker line and stop at SYSLINUX's "boot:" prompt.
#   make_syslinux_images.sh OUTDIR
set -eu
out=${1:?usage: make_syslinux_images.sh OUTDIR}
mkdir -p "$out"
cfg="$out/syslinux.cfg"
printf 'SERIAL 0 115200\nPROMPT 1\nTIMEOUT 0\nSAY Faultline SYSLINUX test image\n' >"$cfg"

floppy="$out/syslinux-floppy.img"
rm -f "$floppy"
mkfs.fat -C -F 12 -n FLTEST "$floppy" 1440 >/dev/null
syslinux --install "$floppy"
mcopy -o -i "$floppy" "$cfg" ::syslinux.cfg

hd="$out/syslinux-hd.img"
rm -f "$hd"
dd if=/dev/zero of="$hd" bs=1M count=16 status=none
printf 'start=2048, type=6, bootable\n' | sfdisk --quiet "$hd"
part_offset=$((2048 * 512))
part_kib=$(((16 * 1024 * 1024 - part_offset) / 1024))
mkfs.fat -F 16 -n FLTEST --offset 2048 "$hd" "$part_kib" >/dev/null
syslinux --offset "$part_offset" --install "$hd"
dd if=/usr/lib/syslinux/mbr/mbr.bin of="$hd" bs=440 count=1 conv=notrunc status=none
mcopy -o -i "$hd@@$part_offset" "$cfg" ::syslinux.cfg
echo "made $floppy $hd"
