#!/bin/sh
# SPDX-License-Identifier: MIT
# /init of the Linux test initramfs (busybox sh): says a marker line, shows
# the machine, loads the disk drivers in dependency order, runs a program that
# segfaults, counts boots in a file on the data disk (ext2, label FLDATA) and
# powers off -- which, without ACPI, the kernel turns into a halt with
# interrupts off.  Every step prints a line linux_tests.sh looks for.  With
# "faultline.shell" on the kernel command line it ends in a shell instead.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "FAULTLINE-LINUX-UP"

section() { echo "=== $1"; }
section "uname"
uname -a
section "cpuinfo"
head -n 16 /proc/cpuinfo
section "free"
free
section "ls /"
ls /

section "modules"
while read -r m; do
    insmod "/lib/modules/$m" || echo "MODULE-FAILED: $m"
done </etc/modules
echo "MODULES-LOADED: $(wc -l </etc/modules)"

section "segv"
echo 1 >/proc/sys/debug/exception-trace
/bin/segv
echo "SEGV-EXIT=$?"

# The disks appear once the ATA probe (asynchronous) has finished; libata
# gives up on a silent drive after about 40 seconds.
section "data disk"
dev=""
i=0
while [ $i -lt 1200 ]; do
    dev=$(findfs LABEL=FLDATA 2>/dev/null) && break
    usleep 50000
    i=$((i + 1))
done
if [ -b /dev/sr0 ]; then
    echo "CDROM: /dev/sr0"
fi
if [ -z "$dev" ]; then
    echo "DATA-DISK-MISSING"
    cat /proc/partitions
elif mount -t ext2 "$dev" /mnt; then
    # sdX letters follow the order the probes finish; the SCSI address
    # (host:channel:id:lun) names the drive: 0:0:1:0 is the primary slave.
    echo "DATA-DISK: $dev (scsi $(basename "$(readlink "/sys/block/${dev#/dev/}/device")"))"
    head -n 1 /mnt/README
    if [ -f /mnt/boot-count ]; then
        n=$(cat /mnt/boot-count)
        echo "FOUND-FILE: boot-count $n"
        n=$((n + 1))
    else
        n=1
    fi
    echo "$n" >/mnt/boot-count
    umount /mnt
    echo "WROTE-FILE: boot-count $n"
else
    echo "DATA-DISK-MOUNT-FAILED: $dev"
fi
sync

echo "FAULTLINE-LINUX-DONE"
if grep -q "faultline.shell" /proc/cmdline; then
    echo "A shell; 'poweroff -f' stops the machine."
    exec setsid cttyhack sh
fi
poweroff -f
halt -f
