#!/bin/sh
# SPDX-License-Identifier: MIT
# Boot time of the Linux test disk (tests/guests/make_linux_images.sh) to its
# init's first line, FAULTLINE-LINUX-UP, under Faultline, Debian's QEMU (TCG)
# and Debian's Bochs, one after the other in one run, on the serial console.
# Prints wall seconds for each (and Faultline's virtual seconds and guest
# MIPS); an engine that is not installed is skipped.  A benchmark, not a test:
# nothing is asserted, and the figures depend on the host and its load.
#   scripts/bench_linux_boot.sh IMAGE_DIR [faultline binary] [budget seconds]
set -u
IMAGES=${1:?usage: bench_linux_boot.sh IMAGE_DIR [faultline] [budget]}
FL=${2:-build/frontend/faultline}
BUDGET=${3:-600}
MARKER=FAULTLINE-LINUX-UP
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

now() { date +%s.%N; }
elapsed() { echo "$1 $2" | awk '{ printf "%.1f", $2 - $1 }'; }

# wait_marker FILE PID START: seconds until FILE holds the marker, or "-"
# when the engine ended or the budget ran out first; stops the engine.
wait_marker() {
    while kill -0 "$2" 2>/dev/null; do
        if grep -aq "$MARKER" "$1" 2>/dev/null; then
            elapsed "$3" "$(now)"
            kill "$2" 2>/dev/null
            wait "$2" 2>/dev/null
            return
        fi
        if [ "$(elapsed "$3" "$(now)" | cut -d. -f1)" -ge "$BUDGET" ]; then
            kill "$2" 2>/dev/null
            break
        fi
        sleep 0.2
    done
    wait "$2" 2>/dev/null
    echo "-"
}

cp "$IMAGES/hd.img" "$TMP/hd.img"

# Faultline, unpaced (-deterministic), reports its own figures.
cp "$IMAGES/data.img" "$TMP/data.img"
line=$("$FL" -cpu pentium2 -m 128 -display none -deterministic -budget "$BUDGET" \
    -hda "$TMP/hd.img" -hdb "$TMP/data.img" -snapshot -until "$MARKER" -serial file:"$TMP/fl.serial" \
    2>&1 >/dev/null | grep " instructions, ")
echo "faultline:        ${line#faultline: }"

if command -v qemu-system-i386 >/dev/null; then
    cp "$IMAGES/data.img" "$TMP/data.img"
    start=$(now)
    qemu-system-i386 -cpu pentium2 -m 128 -display none -monitor none -no-reboot -snapshot \
        -serial file:"$TMP/qemu.serial" -drive "file=$TMP/hd.img,format=raw,index=0,media=disk" \
        -drive "file=$TMP/data.img,format=raw,index=1,media=disk" >/dev/null 2>&1 &
    echo "qemu-system-i386: $(wait_marker "$TMP/qemu.serial" $! "$start") s wall (TCG)"
else
    echo "qemu-system-i386: not installed"
fi

if command -v bochs >/dev/null; then
    cp "$IMAGES/data.img" "$TMP/data.img"
    cat >"$TMP/bochsrc" <<EOF
megs: 128
cpu: model=p2_klamath, ips=50000000
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0-master: type=disk, path=$TMP/hd.img, mode=flat
ata0-slave: type=disk, path=$TMP/data.img, mode=flat
boot: disk
com1: enabled=1, mode=file, dev=$TMP/bochs.serial
display_library: rfb, options="timeout=0"
clock: sync=none
log: /dev/null
EOF
    # Debian builds Bochs with its debugger and without the nogui library:
    # the debugger is told to continue, the display is a VNC server nobody
    # connects to.
    echo c >"$TMP/bochs.cmds"
    start=$(now)
    bochs -q -rc "$TMP/bochs.cmds" -f "$TMP/bochsrc" >/dev/null 2>&1 </dev/null &
    echo "bochs:            $(wait_marker "$TMP/bochs.serial" $! "$start") s wall (p2_klamath)"
else
    echo "bochs:            not installed"
fi
