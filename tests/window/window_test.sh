#!/bin/sh
# SPDX-License-Identifier: MIT
# The SDL window as a person sees it: boots the built-in guest to its menu in
# a real SDL window (SDL's offscreen video driver, so no X server is needed),
# saves a screenshot of the window, and compares it pixel by pixel with the
# display's own frame from a headless run of the same deterministic boot.
#   window_test.sh path/to/faultline path/to/bmpdiff
set -u
FL=${1:?usage: window_test.sh faultline bmpdiff}
DIFF=${2:?usage: window_test.sh faultline bmpdiff}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FIRMWARE="-bios /usr/share/bochs/BIOS-bochs-legacy -option-rom /usr/share/vgabios/vgabios.bin"
ARGS="$FIRMWARE -deterministic -budget 30 -until Choose -quiet"
# shellcheck disable=SC2086
SDL_VIDEODRIVER=offscreen SDL_RENDER_SCALE_QUALITY=nearest \
    "$FL" -display sdl $ARGS -screenshot "$TMP/window.bmp" >"$TMP/window.out" 2>&1
# shellcheck disable=SC2086
"$FL" -display none $ARGS -print-screen -screenshot "$TMP/frame.bmp" >"$TMP/frame.out" 2>&1
if ! grep -q "1  CPU self-check" "$TMP/frame.out"; then
    echo "window: the built-in guest's menu did not appear"; cat "$TMP/frame.out"
    echo "window: 0 passed, 1 failed"
    exit 1
fi
if "$DIFF" "$TMP/window.bmp" "$TMP/frame.bmp" 99; then
    echo "window: 1 passed, 0 failed"
else
    echo "window: 0 passed, 1 failed"
    exit 1
fi
