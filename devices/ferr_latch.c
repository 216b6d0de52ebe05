/* SPDX-License-Identifier: MIT */
/*
 * The coprocessor-error latch: set on the rising edge of FERR#, cleared by
 * a write to port F0h; reads of F0h float (FFh).
 */
#include "ferr_latch.h"

#include <string.h>

static void set_latched(FerrLatch *l, bool latched)
{
    l->latched = latched;
    irq_set_level(l->irq, latched);
}

static void ferr_input(void *ctx, int line, int level)
{
    FerrLatch *l = ctx;
    bool rising = level && !l->ferr;
    l->ferr = level != 0;
    if (rising)
        set_latched(l, true);
}

static uint32_t ferr_latch_read(void *opaque, uint32_t offset, unsigned size)
{
    return 0xFF;
}

static void ferr_latch_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    set_latched(opaque, false);
}

void ferr_latch_reset(FerrLatch *l)
{
    l->ferr = false;
    set_latched(l, false);
}

void ferr_latch_init(FerrLatch *l, IrqLine irq)
{
    memset(l, 0, sizeof(*l));
    l->irq = irq;
    ferr_latch_reset(l);
}

bool ferr_latch_map(FerrLatch *l, IoSpace *ports)
{
    IoWindow w = { .name = "ferr-latch", .base = FERR_LATCH_PORT, .length = 1, .widths = IO_WIDTH_8,
                   .read = ferr_latch_read, .write = ferr_latch_write, .opaque = l };
    return io_space_map(ports, &w);
}

IrqLine ferr_latch_input(FerrLatch *l)
{
    return (IrqLine){ .set = ferr_input, .ctx = l, .line = 0 };
}

static const StateField ferr_latch_fields[] = {
    STATE_BOOL(FerrLatch, ferr),
    STATE_BOOL(FerrLatch, latched),
};
const StateDesc ferr_latch_state = STATE_DESC("ferr-latch", 1, ferr_latch_fields);
