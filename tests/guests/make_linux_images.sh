#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds the Linux test images from Debian's i386 packages, without loop
# mounts or root:
#   hd.img            a 32 MiB disk: SYSLINUX's MBR, one bootable FAT16
#                     partition at sector 2048 with SYSLINUX, the kernel and
#                     the initramfs
#   data.img          the second disk: ext2 (label FLDATA) with a README; the
#                     guest counts its boots in a file there
#   cd-isolinux.iso   the same kernel and initramfs on an ISOLINUX CD
#   cd-grub.iso       the same on a GRUB CD made by grub-mkrescue
# The kernel is the one Debian 12's linux-image-686 depends on, so it follows
# updates; the initramfs holds busybox-static, the disk drivers the kernel's
# modules.dep asks for, a program that segfaults (segv.asm) and /init
# (linux_init.sh).  Every boot menu defaults to the serial console (COM1,
# 115200 baud); the entry "vga" uses the VGA console and ends in a shell,
# "selftest" is "serial" with the kernel's crypto self-tests.
# Downloaded packages are kept in OUTDIR/debs, and nothing is rebuilt when
# the kernel and this folder's sources have not changed.
#   make_linux_images.sh OUTDIR
# Needs: i386 as a dpkg architecture (dpkg --add-architecture i386 &&
# apt-get update), nasm, binutils, kmod, cpio, e2fsprogs, fdisk, dosfstools,
# mtools, syslinux, isolinux, xorriso, grub-pc-bin (build.sh test installs
# them).
set -eu
PATH=$PATH:/sbin:/usr/sbin
out=${1:?usage: make_linux_images.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/debs"
out=$(cd "$out" && pwd)
debs=$out/debs

# The kernel package: the dependency of the metapackage, or, when apt knows
# no i386 packages (offline, or the architecture not added), the newest
# kernel already downloaded.
kpkg=$(apt-cache depends linux-image-686:i386 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*-686\):i386$/\1/p' | head -n 1)
if [ -z "$kpkg" ]; then
    kpkg=$(ls "$debs" | sed -n 's/^\(linux-image-[0-9][^_]*-686\)_.*_i386\.deb$/\1/p' | sort -V | tail -n 1)
fi
if [ -z "$kpkg" ]; then
    echo "make_linux_images.sh: apt knows no linux-image-686:i386;" \
        "run: dpkg --add-architecture i386 && apt-get update" >&2
    exit 1
fi
fetch() { # fetch PACKAGE: download PACKAGE:i386 into $debs unless it is there
    ls "$debs/$1"_*_i386.deb >/dev/null 2>&1 && return 0
    (cd "$debs" && apt-get -q=2 -o APT::Sandbox::User=root download "$1:i386")
}
fetch "$kpkg"
fetch busybox-static
kdeb=$(ls "$debs/$kpkg"_*_i386.deb | sort -V | tail -n 1)
bdeb=$(ls "$debs"/busybox-static_*_i386.deb | sort -V | tail -n 1)

stamp="$(basename "$kdeb") $(basename "$bdeb") $(cat "$0" "$here/linux_init.sh" "$here/segv.asm" | cksum)"
if [ -f "$out/hd.img" ] && [ -f "$out/data.img" ] && [ -f "$out/cd-isolinux.iso" ] &&
    [ -f "$out/cd-grub.iso" ] && [ "$(cat "$out/linux-images.stamp" 2>/dev/null)" = "$stamp" ]; then
    echo "up to date: $out (kernel $kpkg)"
    exit 0
fi
rm -f "$out/linux-images.stamp"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pkgs=$work/pkgs
dpkg-deb -x "$kdeb" "$pkgs"
dpkg-deb -x "$bdeb" "$pkgs"
kver=$(ls "$pkgs/lib/modules" | head -n 1)
depmod -b "$pkgs" "$kver"
dep_file=$pkgs/lib/modules/$kver/modules.dep
cp "$pkgs/boot/vmlinuz-$kver" "$work/vmlinuz"

# add_module PATH: PATH (as modules.dep names it) after everything it needs.
order=""
add_module() {
    case " $order " in *" $1 "*) return 0 ;; esac
    for d in $(awk -v p="$1:" '$1 == p { $1 = ""; print }' "$dep_file"); do
        add_module "$d"
    done
    order="$order $1"
}
mod_path() { # mod_path NAME: the modules.dep path of module NAME
    p=$(sed -n "s#^\([^:]*/$1\.ko\(\.[a-z]*\)\{0,1\}\):.*#\1#p" "$dep_file" | head -n 1)
    [ -n "$p" ] || { echo "make_linux_images.sh: no module $1 in $kver" >&2; exit 1; }
    echo "$p"
}
# PIIX IDE (and any other PCI IDE), ATA disks and CD-ROMs, ext2 through the
# ext4 driver, and the CRC32C ext4 asks the crypto API for.
for name in ata_piix ata_generic sd_mod sr_mod ext4 crc32c_generic; do
    add_module "$(mod_path "$name")"
done

# The initramfs tree.
root=$work/initramfs
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/etc" "$root/lib/modules" \
    "$root/proc" "$root/sys" "$root/dev" "$root/mnt" "$root/tmp"
cp "$pkgs/bin/busybox" "$root/bin/busybox"
# Symlinks for the applets: from busybox's own list when this host runs i386
# programs, else the ones /init uses (it installs the rest itself).
applets=$("$root/bin/busybox" --list 2>/dev/null) ||
    applets="sh mount umount echo cat head uname free ls insmod findfs usleep sync grep setsid cttyhack poweroff halt wc"
for a in $applets; do
    [ "$a" = busybox ] || ln -s busybox "$root/bin/$a"
done
for p in $order; do
    ko=$(basename "$p")
    case "$ko" in
    *.ko.xz) xz -dc "$pkgs/lib/modules/$kver/$p" >"$root/lib/modules/${ko%.xz}" ;;
    *.ko.zst) zstd -qdc "$pkgs/lib/modules/$kver/$p" >"$root/lib/modules/${ko%.zst}" ;;
    *.ko.gz) gzip -dc "$pkgs/lib/modules/$kver/$p" >"$root/lib/modules/${ko%.gz}" ;;
    *) cp "$pkgs/lib/modules/$kver/$p" "$root/lib/modules/$ko" ;;
    esac
    echo "${ko%.ko*}.ko" >>"$root/etc/modules"
done
cp "$here/linux_init.sh" "$root/init"
chmod 755 "$root/init"
nasm -f elf32 -o "$work/segv.o" "$here/segv.asm"
ld -m elf_i386 -static -o "$root/bin/segv" "$work/segv.o"

# newc_entry NAME MODE RDEVMAJOR RDEVMINOR: a cpio "newc" header for an
# entry without data.  The kernel opens /dev/console before it runs /init,
# and writing the node this way needs no mknod (and no root).
newc_entry() {
    printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
        1 "$2" 0 0 1 0 0 0 0 "$3" "$4" $((${#1} + 1)) 0
    printf '%s\0' "$1"
    pad=$(((4 - (110 + ${#1} + 1) % 4) % 4))
    [ "$pad" -eq 0 ] || head -c "$pad" /dev/zero
}
(cd "$root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible) |
    gzip -9n >"$work/initrd.gz"
{
    newc_entry dev/console $((0020600)) 5 1
    newc_entry TRAILER!!! 0 0 0
} | gzip -9n >>"$work/initrd.gz"

# cryptomgr.notests: the crypto self-tests (RSA with private keys, mostly)
# take a minute of virtual time on a 50 MIPS machine; label "selftest" runs them.
serial_args="console=ttyS0,115200 panic=-1 cryptomgr.notests"
selftest_args="console=ttyS0,115200 panic=-1"
vga_args="console=ttyS0,115200 console=tty0 faultline.shell cryptomgr.notests"

# hd.img: SYSLINUX on a FAT16 partition, as make_syslinux_images.sh does.
cat >"$work/syslinux.cfg" <<EOF
SERIAL 0 115200
DEFAULT serial
PROMPT 1
TIMEOUT 20
SAY Faultline Linux test disk: "serial" (default), "vga" or "selftest"
LABEL serial
  KERNEL vmlinuz
  APPEND initrd=initrd.gz $serial_args
LABEL vga
  KERNEL vmlinuz
  APPEND initrd=initrd.gz $vga_args
LABEL selftest
  KERNEL vmlinuz
  APPEND initrd=initrd.gz $selftest_args
EOF
hd=$work/hd.img
dd if=/dev/zero of="$hd" bs=1M count=32 status=none
printf 'start=2048, type=6, bootable\n' | sfdisk --quiet "$hd"
part_offset=$((2048 * 512))
mkfs.fat -F 16 -n FLLINUX --offset 2048 "$hd" $(((32 * 1024 * 1024 - part_offset) / 1024)) >/dev/null
syslinux --offset "$part_offset" --install "$hd"
dd if=/usr/lib/syslinux/mbr/mbr.bin of="$hd" bs=440 count=1 conv=notrunc status=none
mcopy -o -i "$hd@@$part_offset" "$work/syslinux.cfg" "$work/vmlinuz" "$work/initrd.gz" ::

# data.img: ext2 with a README, made from a folder.
mkdir "$work/data"
printf 'Faultline Linux test data disk (ext2, label FLDATA).\nThe guest counts its boots in boot-count.\n' \
    >"$work/data/README"
mkfs.ext2 -q -F -L FLDATA -E root_owner=0:0 -d "$work/data" "$work/data.img" 16M >/dev/null

# cd-isolinux.iso
iso=$work/iso-isolinux
mkdir -p "$iso/isolinux" "$iso/boot"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$iso/isolinux/"
sed -e 's#KERNEL vmlinuz#KERNEL /boot/vmlinuz#' -e 's#initrd=initrd.gz#initrd=/boot/initrd.gz#' \
    -e 's#test disk#test CD (ISOLINUX)#' "$work/syslinux.cfg" >"$iso/isolinux/isolinux.cfg"
cp "$work/vmlinuz" "$work/initrd.gz" "$iso/boot/"
xorriso -as mkisofs -quiet -V FLLINUX -o "$work/cd-isolinux.iso" \
    -b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table \
    "$iso" 2>/dev/null

# cd-grub.iso
grub=$work/iso-grub
mkdir -p "$grub/boot/grub"
cp "$work/vmlinuz" "$work/initrd.gz" "$grub/boot/"
cat >"$grub/boot/grub/grub.cfg" <<EOF
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=2
set default=0
menuentry "serial" {
    echo "Faultline Linux test CD (GRUB)"
    linux /boot/vmlinuz $serial_args
    initrd /boot/initrd.gz
}
menuentry "vga" {
    linux /boot/vmlinuz $vga_args
    initrd /boot/initrd.gz
}
menuentry "selftest" {
    linux /boot/vmlinuz $selftest_args
    initrd /boot/initrd.gz
}
EOF
grub-mkrescue -o "$work/cd-grub.iso" "$grub" >"$work/grub-mkrescue.log" 2>&1 || {
    cat "$work/grub-mkrescue.log" >&2
    exit 1
}

mv "$work/hd.img" "$work/data.img" "$work/cd-isolinux.iso" "$work/cd-grub.iso" "$out/"
echo "$stamp" >"$out/linux-images.stamp"
echo "made $out/hd.img data.img cd-isolinux.iso cd-grub.iso (kernel $kver, modules:$(echo "$order" |
    sed 's#[^ ]*/##g; s#\.ko[.a-z]*##g'))"
