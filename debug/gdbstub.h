/* SPDX-License-Identifier: MIT */
/*
 * The GDB remote serial protocol over TCP on 127.0.0.1.  The stub knows
 * nothing of the emulator: it reaches the guest through GdbTarget, which
 * the frontend implements with machine.h, and the run loop asks it how to
 * go on (serve while stopped, poll for Ctrl-C while running).
 */
#ifndef FAULTLINE_GDBSTUB_H
#define FAULTLINE_GDBSTUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The target's registers: gdb's i386 core set (eax..edi, eip, eflags, cs,
 * ss, ds, es, fs, gs), then cr0, cr2, cr3, cr4 (read-only). */
enum { GDB_CORE_REGS = 16, GDB_TARGET_REGS = 20 };

typedef struct GdbTarget {
    void *ctx;
    uint32_t (*get_reg)(void *ctx, int regno);
    bool (*set_reg)(void *ctx, int regno, uint32_t value);
    /* Both return the number of bytes done, short at an unmapped page. */
    size_t (*read_mem)(void *ctx, uint32_t addr, uint8_t *buf, size_t len);
    size_t (*write_mem)(void *ctx, uint32_t addr, const uint8_t *buf, size_t len);
    /* The same by physical address, after 'maintenance packet Qqemu.PhysMemMode:1'. */
    size_t (*read_phys)(void *ctx, uint32_t addr, uint8_t *buf, size_t len);
    size_t (*write_phys)(void *ctx, uint32_t addr, const uint8_t *buf, size_t len);
} GdbTarget;

typedef enum GdbResume {
    GDB_RESUME_CONTINUE,
    GDB_RESUME_STEP,
    GDB_RESUME_KILL,            /* k / vKill: end the emulator */
    GDB_RESUME_DETACH,          /* D, or the debugger went away: run on freely */
} GdbResume;

enum { GDB_SIGINT = 2, GDB_SIGTRAP = 5 };

typedef struct GdbStub GdbStub;

/* Listens on 127.0.0.1:port (0 picks a free port; see gdbstub_port).
 * NULL and a one-line reason in err on failure. */
GdbStub *gdbstub_listen(const GdbTarget *target, int port, char *err, size_t err_len);
void gdbstub_destroy(GdbStub *s);
int gdbstub_port(const GdbStub *s);

/* Takes a waiting debugger (blocking or not); true when one is connected.
 * A new connection finds the guest stopped, as gdb expects. */
bool gdbstub_accept(GdbStub *s, bool block);
bool gdbstub_connected(const GdbStub *s);
/* True while the guest waits for the debugger's next command. */
bool gdbstub_stopped(const GdbStub *s);

/* While stopped: answers packets until the debugger resumes the guest. */
GdbResume gdbstub_serve(GdbStub *s);
/* While running, without blocking: true when the debugger sent Ctrl-C. */
bool gdbstub_poll_interrupt(GdbStub *s);
/* The guest stopped (signal GDB_SIGTRAP or GDB_SIGINT): tells the debugger. */
void gdbstub_report_stop(GdbStub *s, int signal);
/* The guest is gone with this exit status: tells the debugger, disconnects. */
void gdbstub_report_exit(GdbStub *s, int status);

bool gdbstub_has_breakpoints(const GdbStub *s);
bool gdbstub_breakpoint_at(const GdbStub *s, uint32_t addr);

#endif
