/* SPDX-License-Identifier: MIT */
/*
 * Test and debugging ports: the 0xE9 debug console (each byte written is a
 * character for the host, as in Bochs and QEMU's debugcon), the same console
 * at 0x402 where SeaBIOS prints its log (QEMU's default debugcon port for
 * it, detected by reading 0xE9 back), and the exit port
 * at 0xF4, compatible with QEMU's isa-debug-exit so our test programs run
 * unchanged under QEMU: writing v ends the run with exit status (v << 1) | 1.
 */
#ifndef FAULTLINE_DEBUGPORT_H
#define FAULTLINE_DEBUGPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"

#define DEBUGCON_PORT 0xE9
#define DEBUGCON_SEABIOS_PORT 0x402
#define DEBUG_EXIT_PORT 0xF4

typedef struct DebugPortSink {
    void (*put_char)(void *opaque, uint8_t ch);
    void *opaque;
} DebugPortSink;

typedef struct DebugPorts {
    DebugPortSink console;
    bool exit_requested;
    int exit_status;
    bool *stop_flag;        /* set when the guest asks to exit, so the CPU stops at once */
} DebugPorts;

void debugports_init(DebugPorts *dp, DebugPortSink console, bool *stop_flag);
bool debugports_map(DebugPorts *dp, IoSpace *ports);

#endif
