/* SPDX-License-Identifier: MIT */
/*
 * System Control Port A at 0x92, introduced with the IBM PS/2 and kept by
 * every later chipset: bit 1 is the "fast A20" gate, and a 0 -> 1 transition
 * of bit 0 resets the CPU (the "fast reset").  Every bit reads back as last
 * written.  The machine combines this A20 gate with the 8042's output port.
 * Not modelled: bit 3 (the CMOS password lock) and bits 6-7 (the fixed-disk
 * activity light) have no effect beyond reading back.
 */
#ifndef FAULTLINE_PORT92_H
#define FAULTLINE_PORT92_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "state.h"

#define PORT92_PORT 0x92

enum { PORT92_FAST_RESET = 0x01, PORT92_A20 = 0x02 };

typedef struct Port92HostOps {
    void (*set_a20)(void *opaque, bool enabled);
    void (*reset)(void *opaque);        /* pulse the CPU's RESET */
    void *opaque;
} Port92HostOps;

typedef struct Port92 {
    uint8_t value;

    Port92HostOps host;
} Port92;

/* Power-on and reset value 0: fast A20 off (the callbacks are not called). */
void port92_init(Port92 *p, Port92HostOps host);
void port92_reset(Port92 *p);
bool port92_map(Port92 *p, IoSpace *ports);

extern const StateDesc port92_state;

#endif
