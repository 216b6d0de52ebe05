/* SPDX-License-Identifier: MIT */
/*
 * Keyboard internals exposed for unit tests: the scan-code-set-1 to
 * keystroke-word translation and the BDA ring buffer.
 */
#ifndef FAULTLINE_BIOS_KEYBOARD_H
#define FAULTLINE_BIOS_KEYBOARD_H

#include "bios_internal.h"

/* The INT 16h AH=10h word for make code `sc` (E0-prefixed if e0) under the
 * shift flags of 40:17; 0 when the key produces no keystroke. */
uint16_t keyboard_translate(uint8_t sc, bool e0, uint8_t flags);
bool keyboard_enqueue(BiosCtx *c, uint16_t key);

#endif
