/* SPDX-License-Identifier: MIT */
/*
 * The POST code port at 0x80.  On the AT it is an unused DMA page register
 * (which is why it reads back), and BIOSes write their progress codes there
 * for a diagnostic card to show; guests also use it as a short I/O delay.
 * This chip latches the last byte written, returns it on reads as many boards
 * do, and hands each code to an optional host callback.  Not modelled: the
 * 16- and 32-bit POST displays some chipsets decode at 0x80-0x83.
 */
#ifndef FAULTLINE_POSTCODE_H
#define FAULTLINE_POSTCODE_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "state.h"

#define POSTCODE_PORT 0x80

/* Called with every code the guest writes (NULL: not logged). */
typedef void (*PostCodeFn)(void *opaque, uint8_t code);

typedef struct PostCode {
    uint8_t last;           /* the latched byte */
    PostCodeFn on_code;
    void *opaque;
} PostCode;

void postcode_init(PostCode *pc, PostCodeFn on_code, void *opaque);
void postcode_reset(PostCode *pc);
bool postcode_map(PostCode *pc, IoSpace *ports);

static inline uint8_t postcode_last(const PostCode *pc)
{
    return pc->last;
}

extern const StateDesc postcode_state;

#endif
