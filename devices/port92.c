/* SPDX-License-Identifier: MIT */
/*
 * System Control Port A.  A20 follows bit 1 as written; the reset fires on
 * the rising edge of bit 0 only, so rewriting the port with bit 0 still set
 * (as code that sets A20 by read-modify-write does) does not reset again.
 */
#include "port92.h"

#include <string.h>

static uint32_t port92_read(void *opaque, uint32_t offset, unsigned size)
{
    Port92 *p = opaque;
    return p->value;
}

static void port92_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    Port92 *p = opaque;
    uint8_t old = p->value;
    p->value = (uint8_t)value;
    if (((old ^ p->value) & PORT92_A20) && p->host.set_a20)
        p->host.set_a20(p->host.opaque, p->value & PORT92_A20);
    if ((p->value & ~old & PORT92_FAST_RESET) && p->host.reset)
        p->host.reset(p->host.opaque);
}

void port92_reset(Port92 *p)
{
    p->value = 0;
}

void port92_init(Port92 *p, Port92HostOps host)
{
    memset(p, 0, sizeof(*p));
    p->host = host;
    port92_reset(p);
}

bool port92_map(Port92 *p, IoSpace *ports)
{
    IoWindow w = { .name = "port92", .base = PORT92_PORT, .length = 1, .widths = IO_WIDTH_8,
                   .read = port92_read, .write = port92_write, .opaque = p };
    return io_space_map(ports, &w);
}

static const StateField port92_fields[] = { STATE_U8(Port92, value) };
const StateDesc port92_state = STATE_DESC("port92", 1, port92_fields);
