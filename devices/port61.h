/* SPDX-License-Identifier: MIT */
/*
 * System control port B at 61h, as on the IBM PC/AT and its successors (AT
 * Technical Reference, "System Board I/O Address Map"; later chipset data
 * sheets such as the Intel PIIX4 NMI status and control register).  Writable
 * bits 0-3: PIT channel 2 GATE, speaker data enable, parity check and IOCHK
 * enables (stored only).  Read-only bits: 4, the refresh request toggle
 * (flips every 15.085 us of virtual time; DOS and BIOS delay loops count
 * it), and 5, PIT channel 2 OUT.  Bits 6 and 7 (parity error, IOCHK) read 0:
 * no memory parity or channel check is modelled, and nothing here raises NMI.
 * The speaker is reported to an optional host callback as a tone on/off with
 * its frequency whenever GATE and data enable are set and channel 2 runs a
 * square wave; other waveforms (clicks, PWM tricks) are not reproduced.
 */
#ifndef FAULTLINE_PORT61_H
#define FAULTLINE_PORT61_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "clock.h"
#include "i8254.h"
#include "state.h"

#define PORT61_PORT 0x61
#define PORT61_GATE2 0x01
#define PORT61_SPEAKER 0x02
#define PORT61_PARITY_ENABLE 0x04
#define PORT61_IOCHK_ENABLE 0x08
#define PORT61_REFRESH 0x10
#define PORT61_OUT2 0x20
#define PORT61_REFRESH_NS 15085ull    /* half period of the refresh request toggle */

typedef struct SpeakerOps {
    void (*tone)(void *opaque, bool on, uint32_t freq_hz);
    void *opaque;
} SpeakerOps;

typedef struct Port61 {
    uint8_t control;        /* bits 0-3 as last written */
    Clock *clock;
    I8254 *pit;
    SpeakerOps speaker;
    bool tone_on;           /* what the host was last told */
    uint32_t tone_hz;
} Port61;

/* Also hooks the PIT so reprogramming channel 2 updates the tone. */
void port61_init(Port61 *p, Clock *clock, I8254 *pit, SpeakerOps speaker);
void port61_reset(Port61 *p);
bool port61_map(Port61 *p, IoSpace *ports);
/* After a snapshot load: tells the host the speaker state again. */
void port61_post_load(Port61 *p);

extern const StateDesc port61_state;

#endif
