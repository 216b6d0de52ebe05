/* SPDX-License-Identifier: MIT */
/*
 * POST code latch at port 0x80 (see postcode.h).  Writes of any width land
 * here one byte at a time through the bus, so only the low byte is latched.
 */
#include "postcode.h"

#include <string.h>

static uint32_t postcode_read(void *opaque, uint32_t offset, unsigned size)
{
    PostCode *pc = opaque;
    return pc->last;
}

static void postcode_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    PostCode *pc = opaque;
    pc->last = (uint8_t)value;
    if (pc->on_code)
        pc->on_code(pc->opaque, pc->last);
}

void postcode_init(PostCode *pc, PostCodeFn on_code, void *opaque)
{
    memset(pc, 0, sizeof(*pc));
    pc->on_code = on_code;
    pc->opaque = opaque;
}

/* The latch is a plain register on the board: system reset clears it. */
void postcode_reset(PostCode *pc)
{
    pc->last = 0;
}

bool postcode_map(PostCode *pc, IoSpace *ports)
{
    IoWindow w = { .name = "postcode", .base = POSTCODE_PORT, .length = 1, .widths = IO_WIDTH_8,
                   .read = postcode_read, .write = postcode_write, .opaque = pc };
    return io_space_map(ports, &w);
}

static const StateField postcode_fields[] = {
    STATE_U8(PostCode, last),
};

const StateDesc postcode_state = STATE_DESC("postcode", 1, postcode_fields);
