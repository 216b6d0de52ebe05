/* SPDX-License-Identifier: MIT */
/*
 * The debug console (0xE9, and 0x402 for SeaBIOS) and the exit port (0xF4).
 * Reading either console port returns 0xE9, which is how guest code detects
 * the Bochs/QEMU debug console.
 */
#include "debugport.h"

#include <string.h>

static uint32_t debugcon_read(void *opaque, uint32_t offset, unsigned size)
{
    return DEBUGCON_PORT;
}

static void debugcon_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    DebugPorts *dp = opaque;
    if (dp->console.put_char)
        dp->console.put_char(dp->console.opaque, (uint8_t)value);
}

static void exit_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    DebugPorts *dp = opaque;
    dp->exit_requested = true;
    dp->exit_status = (int)(((value & 0xFF) << 1) | 1);
    if (dp->stop_flag)
        *dp->stop_flag = true;
}

void debugports_init(DebugPorts *dp, DebugPortSink console, bool *stop_flag)
{
    memset(dp, 0, sizeof(*dp));
    dp->console = console;
    dp->stop_flag = stop_flag;
}

bool debugports_map(DebugPorts *dp, IoSpace *ports)
{
    IoWindow con = { .name = "debugcon", .base = DEBUGCON_PORT, .length = 1,
                     .widths = IO_WIDTH_8, .read = debugcon_read, .write = debugcon_write, .opaque = dp };
    IoWindow ex = { .name = "debug-exit", .base = DEBUG_EXIT_PORT, .length = 4,
                    .widths = IO_WIDTH_8 | IO_WIDTH_16 | IO_WIDTH_32, .write = exit_write, .opaque = dp };
    IoWindow seabios = con;
    seabios.name = "debugcon-402";
    seabios.base = DEBUGCON_SEABIOS_PORT;
    return io_space_map(ports, &con) && io_space_map(ports, &seabios) && io_space_map(ports, &ex);
}
