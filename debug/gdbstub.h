/* SPDX-License-Identifier: MIT */
/*
 * The GDB remote serial protocol over TCP on 127.0.0.1.  The stub knows
 * nothing of the emulator: it reaches the guest through GdbTarget, which
 * the frontend implements with machine.h and the breakpoint engine, and the
 * run loop asks it how to go on (serve while stopped, poll for Ctrl-C while
 * running).
 */
#ifndef FAULTLINE_GDBSTUB_H
#define FAULTLINE_GDBSTUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The registers in gdb's i386 numbering, fixed by the stub's target
 * description: the core set (eax..edi, eip, eflags, cs, ss, ds, es, fs,
 * gs), the x87 registers (st0-st7 as 10-byte extended reals, then fctrl,
 * fstat, ftag, fiseg, fioff, foseg, fooff, fop), then cr0, cr2, cr3, cr4. */
enum {
    GDB_REG_EIP = 8,
    GDB_CORE_REGS = 16,
    GDB_REG_ST0 = GDB_CORE_REGS,
    GDB_REG_FCTRL = GDB_REG_ST0 + 8,
    GDB_REG_CR0 = GDB_REG_FCTRL + 8,
    GDB_REG_COUNT = GDB_REG_CR0 + 4,
    GDB_REG_MAX_BYTES = 10,
};

/* Breakpoint and watchpoint kinds: the Z packet's type digit. */
typedef enum GdbPointType {
    GDB_POINT_SWBREAK, GDB_POINT_HWBREAK,
    GDB_POINT_WATCH_WRITE, GDB_POINT_WATCH_READ, GDB_POINT_WATCH_ACCESS,
} GdbPointType;

typedef struct GdbTarget {
    void *ctx;
    /* Register regno as little-endian bytes into buf (GDB_REG_MAX_BYTES);
     * returns its size, or 0 when the target cannot show it. */
    size_t (*read_reg)(void *ctx, int regno, uint8_t *buf);
    /* False when the register cannot be set (control registers, a
     * protected-mode selector). */
    bool (*write_reg)(void *ctx, int regno, uint32_t value);
    /* Both return the number of bytes done, short at an unmapped page. */
    size_t (*read_mem)(void *ctx, uint32_t addr, uint8_t *buf, size_t len);
    size_t (*write_mem)(void *ctx, uint32_t addr, const uint8_t *buf, size_t len);
    /* The same by physical address, after 'maintenance packet Qqemu.PhysMemMode:1'. */
    size_t (*read_phys)(void *ctx, uint32_t addr, uint8_t *buf, size_t len);
    size_t (*write_phys)(void *ctx, uint32_t addr, const uint8_t *buf, size_t len);
    /* Z/z packets: a breakpoint or watchpoint on linear [addr, addr+len);
     * false when the target has no room for it. */
    bool (*insert_point)(void *ctx, GdbPointType type, uint32_t addr, uint32_t len);
    bool (*remove_point)(void *ctx, GdbPointType type, uint32_t addr, uint32_t len);
    /* gdb's "monitor CMD" (qRcmd): writes its answer (lines ending in '\n')
     * into out. */
    void (*monitor)(void *ctx, const char *cmd, char *out, size_t out_len);
} GdbTarget;

typedef enum GdbResume {
    GDB_RESUME_NONE,            /* still stopped: gdbstub_serve's time ran out */
    GDB_RESUME_CONTINUE,
    GDB_RESUME_STEP,
    GDB_RESUME_KILL,            /* k / vKill: end the emulator */
    GDB_RESUME_DETACH,          /* D, or the debugger went away: run on freely */
} GdbResume;

enum { GDB_SIGILL = 4, GDB_SIGINT = 2, GDB_SIGTRAP = 5, GDB_SIGFPE = 8, GDB_SIGSEGV = 11 };

/* Why the guest stopped, as the stop reply tells gdb. */
typedef enum GdbStopKind {
    GDB_STOP_SIGNAL,            /* just the signal */
    GDB_STOP_SWBREAK,           /* a breakpoint (Z0) */
    GDB_STOP_HWBREAK,           /* a hardware breakpoint (Z1) */
    GDB_STOP_WATCH,             /* a write watchpoint at addr (Z2) */
    GDB_STOP_RWATCH,            /* a read watchpoint at addr (Z3) */
    GDB_STOP_AWATCH,            /* an access watchpoint at addr (Z4) */
} GdbStopKind;

typedef struct GdbStop {
    int signal;
    GdbStopKind kind;
    uint32_t addr;              /* the watched address that was accessed */
} GdbStop;

typedef struct GdbStub GdbStub;

/* Listens on 127.0.0.1:port (0 picks a free port; see gdbstub_port).
 * NULL and a one-line reason in err on failure. */
GdbStub *gdbstub_listen(const GdbTarget *target, int port, char *err, size_t err_len);
void gdbstub_destroy(GdbStub *s);
int gdbstub_port(const GdbStub *s);

/* Takes a debugger that connects within timeout_ms (0: one already
 * waiting, -1: wait for one); true when one is connected.  A new
 * connection finds the guest stopped, as gdb expects. */
bool gdbstub_accept(GdbStub *s, int timeout_ms);
bool gdbstub_connected(const GdbStub *s);
/* True while the guest waits for the debugger's next command. */
bool gdbstub_stopped(const GdbStub *s);

/* While stopped: answers packets until the debugger resumes the guest, or
 * (GDB_RESUME_NONE) until timeout_ms passed with none arriving (-1: wait). */
GdbResume gdbstub_serve(GdbStub *s, int timeout_ms);
/* While running, without blocking: true when the debugger sent Ctrl-C. */
bool gdbstub_poll_interrupt(GdbStub *s);
/* The guest stopped: tells the debugger why. */
void gdbstub_report_stop(GdbStub *s, GdbStop stop);
/* The guest is gone: tells the debugger its exit status (W), or the
 * signal that ended it (X), and disconnects. */
void gdbstub_report_exit(GdbStub *s, int status);
void gdbstub_report_killed(GdbStub *s, int signal);

#endif
