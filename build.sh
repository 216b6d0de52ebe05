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
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
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
