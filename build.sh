#!/bin/sh
# SPDX-License-Identifier: MIT
# One entry point for a fresh Debian 12 machine:
#   ./build.sh run [faultline flags]   install what is missing, build, run the emulator
#   ./build.sh test                    install what is missing, build, run every test
#   ./build.sh sanitize                the unit tests and the CPU conformance vectors under ASan+UBSan
#   ./build.sh build                   just install and build (release, in build/)
set -eu
cd "$(dirname "$0")"

# What building needs, and what the guest tests boot (Debian's firmware and
# the tools that make disk images without loop mounts).
BUILD_PACKAGES="build-essential cmake pkg-config nasm python3 check zlib1g-dev libsdl2-dev libcapstone-dev console-data"
GUEST_PACKAGES="bochsbios vgabios seabios memtest86+ syslinux syslinux-common mtools dosfstools fdisk gcovr qemu-system-x86 gdb"
# The Linux guest images (tests/guests/make_linux_images.sh) also download
# Debian's i386 kernel and busybox-static, which needs i386 in dpkg.
GUEST_PACKAGES="$GUEST_PACKAGES kmod cpio e2fsprogs isolinux xorriso grub-pc-bin grub-common"
JOBS=$(nproc 2>/dev/null || echo 2)

install_missing() {
    missing=""
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    echo "build.sh: installing$missing"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    # A mirror in mid-sync fails one index; the others still install.
    $SUDO apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
}

# enable_i386: adds the i386 architecture to dpkg (for apt-get download of
# the Linux guest's packages), once.
enable_i386() {
    dpkg --print-foreign-architectures | grep -qx i386 && return 0
    echo "build.sh: adding the i386 architecture to dpkg"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO dpkg --add-architecture i386
    $SUDO apt-get update -qq || true
}

# configure_and_build DIR [cmake args...]
configure_and_build() {
    dir=$1
    shift
    cmake -S . -B "$dir" "$@" >/dev/null
    cmake --build "$dir" -j "$JOBS" -- --no-print-directory >/dev/null
}

mode=${1:-run}
[ $# -gt 0 ] && shift
case "$mode" in
run)
    install_missing $BUILD_PACKAGES
    configure_and_build build -DCMAKE_BUILD_TYPE=Release
    exec build/frontend/faultline "$@"
    ;;
build)
    install_missing $BUILD_PACKAGES
    configure_and_build build -DCMAKE_BUILD_TYPE=Release
    ;;
test)
    install_missing $BUILD_PACKAGES $GUEST_PACKAGES
    enable_i386
    configure_and_build build -DCMAKE_BUILD_TYPE=Release
    # Line coverage of the chips and the BIOS by their unit tests.
    cmake -S . -B build-coverage -DFAULTLINE_COVERAGE=ON >/dev/null
    cmake --build build-coverage -j "$JOBS" --target fl_unit_tests -- --no-print-directory >/dev/null
    find build-coverage -name '*.gcda' -delete
    CK_VERBOSITY=silent build-coverage/tests/unit/fl_unit_tests >/dev/null 2>&1 || true
    echo "Line coverage of devices/ and bios/ by the unit tests:"
    gcovr -r . --object-directory build-coverage --filter 'devices/' --filter 'bios/' \
        --exclude-unreachable-branches 2>/dev/null | grep -E '^(devices|bios)/|^TOTAL' || true
    ctest --test-dir build --output-on-failure -V "$@"
    ;;
sanitize)
    install_missing $BUILD_PACKAGES
    configure_and_build build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFAULTLINE_SANITIZE=ON
    ctest --test-dir build-sanitize --output-on-failure -V -R "unit|cpu_conformance" "$@"
    ;;
*)
    echo "usage: ./build.sh run|test|sanitize|build [args]" >&2
    exit 2
    ;;
esac
