#!/bin/sh
# SPDX-License-Identifier: MIT
# Boots Debian 12's i386 Linux kernel, headless, from the images
# make_linux_images.sh builds (a SYSLINUX hard disk, an ISOLINUX CD and a GRUB
# CD, each with a second disk holding an ext2 file system), and checks what
# the serial console says: the marker line, uname, the kernel's report of a
# user-mode segfault and the shell's exit status 139, the file written to the
# data disk -- and, on a second boot of the same data disk, found there.  Any
# kernel WARNING, Oops, BUG or panic fails the boot.  Then the same boot,
# twice with -deterministic, must retire the same instructions, end in the
# same state and write the same -d int trace, and one line of figures is printed (never asserted): virtual and
# wall seconds to the marker, guest MIPS, and QEMU's TCG wall seconds.
# Under Faultline the "vga" entry also boots to a shell on the VGA console,
# and a command typed on the keyboard must answer on the screen.
#   linux_tests.sh path/to/faultline [IMAGE_CACHE_DIR]
# ENGINE=qemu runs the boots under qemu-system-i386 (QEMU=...) instead, as the
# reference the images are checked against.  FAULTLINE_ARGS adds flags to
# every Faultline run (e.g. "-bios /usr/share/seabios/bios.bin -option-rom
# /usr/share/seabios/vgabios-stdvga.bin"); BUDGET is each boot's virtual time.
set -u
FL=${1:?usage: linux_tests.sh path/to/faultline [IMAGE_CACHE_DIR]}
HERE=$(cd "$(dirname "$0")" && pwd)
IMAGES=${2:-$HOME/.cache/faultline-linux-images}
ENGINE=${ENGINE:-faultline}
QEMU=${QEMU:-qemu-system-i386}
BUDGET=${BUDGET:-300}
FAULTLINE_ARGS=${FAULTLINE_ARGS:-}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
DETERMINISTIC=-deterministic
[ "$ENGINE" = qemu ] && DETERMINISTIC=

case "$ENGINE" in
faultline | qemu) ;;
*) echo "linux: ENGINE must be faultline or qemu"; echo "linux: 0 passed, 1 failed"; exit 1 ;;
esac
if ! "$HERE/make_linux_images.sh" "$IMAGES" >"$TMP/make.log" 2>&1; then
    echo "linux: building the images failed (./build.sh test installs what they need):"
    sed 's/^/    /' "$TMP/make.log" | tail -10
    echo "linux: 0 passed, 1 failed"
    exit 1
fi
sed 's/^/linux: /' "$TMP/make.log"

# run OUT HD CD DATA [extra engine args...]: one boot of HD (or of the CD
# when HD is "-") with DATA as the second disk, serial console to OUT.
run() {
    out=$1; hd=$2; cd=$3; data=$4
    shift 4
    if [ "$ENGINE" = qemu ]; then
        set -- -cpu pentium2 -m 128 -display none -serial stdio -monitor none -no-reboot "$@"
        if [ "$hd" != - ]; then
            set -- "$@" -drive "file=$hd,format=raw,index=0,media=disk" -boot c
        else
            set -- "$@" -drive "file=$cd,format=raw,index=2,media=cdrom" -boot d
        fi
        set -- "$@" -drive "file=$data,format=raw,index=1,media=disk"
        timeout "$BUDGET" "$QEMU" "$@" >"$out" 2>"$out.err" </dev/null
    else
        # The screen shows what the kernel's real-mode setup says (it writes
        # through the BIOS only), e.g. a CPU feature it requires.
        set -- -cpu pentium2 -m 128 -display none -serial stdio -no-reboot -budget "$BUDGET" -print-screen "$@"
        if [ "$hd" != - ]; then
            set -- "$@" -hda "$hd" -boot c
        else
            set -- "$@" -cdrom "$cd" -boot d
        fi
        "$FL" $FAULTLINE_ARGS "$@" -hdb "$data" >"$out" 2>"$out.err" </dev/null
    fi
}

# boot NAME HD CD DATA EXPECT...: one boot to the halt (or QEMU's power-off);
# every EXPECT must be in the serial output, and no kernel complaint.
boot() {
    name=$1; hd=$2; cd=$3; data=$4
    shift 4
    out=$TMP/$name.out
    run "$out" "$hd" "$cd" "$data" $DETERMINISTIC
    rc=$?
    ok=1
    why=""
    [ "$rc" -eq 0 ] || { ok=0; why="exit $rc"; }
    for e in FAULTLINE-LINUX-UP "Linux (none) " "segfault at 0 ip" "SEGV-EXIT=139" \
        "FAULTLINE-LINUX-DONE" "$@"; do
        grep -aqF "$e" "$out" || { ok=0; why="$why; missing \"$e\""; }
    done
    bad=$(grep -aE "WARNING:|Oops|BUG:|Kernel panic|alg: .*fail" "$out" | head -n 3)
    [ -z "$bad" ] || { ok=0; why="$why; kernel says: $bad"; }
    if [ "$ok" -eq 1 ]; then
        pass=$((pass + 1))
        echo "ok   $name"
    else
        fail=$((fail + 1))
        echo "FAIL $name (${why#; })"
        sed 's/^/    /' "$out.err" | tail -5
        tr -d '\r' <"$out" | grep -av '^ *$' | sed 's/^/    /' | tail -25
    fi
}

# The hard disk twice on one data disk (no -snapshot: the second boot must
# find what the first wrote), then the two CDs, each on a fresh data disk.
# The boot disk is a copy too: nothing may write to the cached images.
cp "$IMAGES/hd.img" "$TMP/hd.img"
cp "$IMAGES/data.img" "$TMP/data-hd.img"
boot hd-syslinux "$TMP/hd.img" - "$TMP/data-hd.img" \
    "SYSLINUX 6.04" "DATA-DISK: /dev/sd" "(scsi 0:0:1:0)" "WROTE-FILE: boot-count 1"
boot hd-syslinux-second-boot "$TMP/hd.img" - "$TMP/data-hd.img" \
    "FOUND-FILE: boot-count 1" "WROTE-FILE: boot-count 2"
cp "$IMAGES/data.img" "$TMP/data-cd1.img"
boot cd-isolinux - "$IMAGES/cd-isolinux.iso" "$TMP/data-cd1.img" \
    "ISOLINUX 6.04" "CDROM: /dev/sr0" "DATA-DISK: /dev/sd" "(scsi 0:0:1:0)" "WROTE-FILE: boot-count 1"
cp "$IMAGES/data.img" "$TMP/data-cd2.img"
boot cd-grub - "$IMAGES/cd-grub.iso" "$TMP/data-cd2.img" \
    "GNU GRUB" "CDROM: /dev/sr0" "DATA-DISK: /dev/sd" "(scsi 0:0:1:0)" "WROTE-FILE: boot-count 1"

# Determinism and figures: the hard disk boot to the marker, twice, on fresh
# copies of the data disk; the summary lines must match but for host time.
# wall_to_marker OUT CMD...: runs CMD, output to OUT, and prints the wall
# seconds from its start to the marker line.
wall_to_marker() {
    out=$1
    shift
    start=$(date +%s.%N)
    "$@" 2>&1 </dev/null | while IFS= read -r line; do
        printf '%s\n' "$line"
        case "$line" in
        *FAULTLINE-LINUX-UP*) date +%s.%N >"$out.marker" ;;
        esac
    done >"$out"
    [ -f "$out.marker" ] && echo "$start $(cat "$out.marker")" | awk '{ printf "%.2f", $2 - $1 }'
}
qemu_wall=$(cp "$IMAGES/data.img" "$TMP/data-q.img" &&
    wall_to_marker "$TMP/qemu-timing.out" timeout "$BUDGET" "$QEMU" -cpu pentium2 -m 128 -display none \
        -serial stdio -monitor none -no-reboot -drive "file=$TMP/hd.img,format=raw,index=0,media=disk" \
        -drive "file=$TMP/data-q.img,format=raw,index=1,media=disk")
if [ "$ENGINE" = faultline ]; then
    # Each boot also writes its interrupt and exception trace (-d int): the
    # two traces must be the same byte for byte.
    to_marker() {
        cp "$IMAGES/data.img" "$TMP/data-det.img"
        "$FL" $FAULTLINE_ARGS -cpu pentium2 -m 128 -display none -serial stdio -no-reboot -deterministic -budget "$BUDGET" \
            -hda "$TMP/hd.img" -hdb "$TMP/data-det.img" -until FAULTLINE-LINUX-UP -d int -D "$TMP/det-$1.trace" \
            2>"$TMP/det.err" >/dev/null </dev/null
        echo "$?"
        grep -E "instructions|state hash" "$TMP/det.err"
    }
    first=$(to_marker 1)
    wall=$(sed -n 's/.*virtual, \([0-9.]*\) s host.*/\1/p' "$TMP/det.err")
    second=$(to_marker 2)
    strip() { echo "$1" | sed 's/, [0-9.]* s host.*MIPS)//'; }
    if [ "$(echo "$first" | head -n 1)" = 0 ] && [ "$(strip "$first")" = "$(strip "$second")" ] &&
        echo "$first" | grep -q "state hash" && [ -s "$TMP/det-1.trace" ] &&
        cmp -s "$TMP/det-1.trace" "$TMP/det-2.trace"; then
        pass=$((pass + 1))
        echo "ok   determinism ($(strip "$first" | sed 1d | tr '\n' ' '); $(wc -l <"$TMP/det-1.trace") identical trace lines)"
    else
        fail=$((fail + 1))
        echo "FAIL determinism (status, summary and -d int trace of two boots to the marker)"
        cmp "$TMP/det-1.trace" "$TMP/det-2.trace" | sed 's/^/    /'
        echo "$first" | sed 's/^/    first:  /'
        echo "$second" | sed 's/^/    second: /'
    fi
    # Interactive use: the "vga" entry puts the console on the VGA text screen
    # with a shell; keys typed on the PS/2 keyboard reach it and it answers.
    cp "$IMAGES/data.img" "$TMP/data-vga.img"
    "$FL" $FAULTLINE_ARGS -cpu pentium2 -m 128 -display none -deterministic -budget "$BUDGET" \
        -hda "$TMP/hd.img" -hdb "$TMP/data-vga.img" -print-screen \
        -send 'until boot:; type vga\n; until A shell; wait 2s; type echo typed-$((6*7))\n; wait 3s' \
        >"$TMP/vga.out" 2>"$TMP/vga.err" </dev/null
    if grep -q "^typed-42 *$" "$TMP/vga.out" && grep -q "FAULTLINE-LINUX-DONE" "$TMP/vga.out"; then
        pass=$((pass + 1))
        echo "ok   vga-console-keyboard"
    else
        fail=$((fail + 1))
        echo "FAIL vga-console-keyboard (the screen does not show the typed command's answer)"
        sed 's/^/    /' "$TMP/vga.out" | tail -25
    fi
    virt=$(echo "$first" | sed -n 's/.* instructions, \([0-9.]*\) s virtual.*/\1/p')
    mips=$(echo "$first" | sed -n 's/.*(\([0-9.]*\) MIPS).*/\1/p')
    insns=$(echo "$first" | sed -n 's/^faultline: \([0-9]*\) instructions.*/\1/p')
    [ "$(echo "$first" | head -n 1)" = 0 ] || virt="marker not reached in $virt"
    echo "linux figures: to FAULTLINE-LINUX-UP from hd.img: faultline ${virt:-?} s virtual," \
        "${insns:-?} instructions, ${wall:-?} s wall, ${mips:-?} guest MIPS;" \
        "qemu-system-i386 TCG ${qemu_wall:-?} s wall"
else
    echo "linux figures: to FAULTLINE-LINUX-UP from hd.img: qemu-system-i386 TCG ${qemu_wall:-?} s wall"
fi

echo "linux: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
