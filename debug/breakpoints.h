/* SPDX-License-Identifier: MIT */
/*
 * The breakpoint engine shared by the monitor and the gdb stub: one
 * CpuDebugHooks client (cpu.h) that stops the run on breakpoints (by
 * segment:offset, linear or physical address), watchpoints (reads, writes
 * or both on a linear range, stopping after the accessing instruction) and
 * catch points (a CPU exception, a software interrupt, a port, a change of
 * operating mode), each with an optional condition (expr.h), and keeps the
 * record of why the run stopped.  Addresses are translated with the
 * debugger's page walk, which writes no accessed/dirty bit and raises
 * nothing.  Not modelled: watchpoints on instruction fetches and on the
 * CPU's own system accesses beyond what the data_access hook reports.
 */
#ifndef FAULTLINE_BREAKPOINTS_H
#define FAULTLINE_BREAKPOINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu.h"
#include "expr.h"

typedef enum BpKind {
    BP_BREAK_SEGOFF,        /* CS selector == sel and EIP == addr */
    BP_BREAK_LINEAR,        /* CS.base + EIP == addr */
    BP_BREAK_PHYSICAL,      /* CS.base + EIP translates to addr */
    BP_WATCH_WRITE,         /* a data write overlapping [addr, addr + len) */
    BP_WATCH_READ,
    BP_WATCH_ACCESS,        /* read or write */
    BP_CATCH_EXCEPTION,     /* CPU exception `addr` (0-31) about to be delivered */
    BP_CATCH_INT,           /* software interrupt `addr` (INT n, INT3, INTO); ah >= 0 also matches AH */
    BP_CATCH_IO,            /* IN/OUT/INS/OUTS on a port in [addr, len] (len is the last port) */
    BP_CATCH_MODE,          /* CR0.PE, CR0.PG or EFLAGS.VM differ from the previous instruction's */
} BpKind;

/* What to add (bp_add). */
typedef struct BpSpec {
    BpKind kind;
    uint16_t sel;           /* BP_BREAK_SEGOFF: the CS selector */
    uint64_t addr;          /* offset, linear, physical, watch start, vector or first port */
    uint32_t len;           /* watch: bytes (1 when 0); catch io: last port (== addr when 0) */
    int ah;                 /* catch int: the AH value to match, -1 for any */
    const char *cond;       /* NULL or "": unconditional */
    bool temporary;         /* deleted when it stops the run (the monitor's next/until) */
} BpSpec;

typedef struct Breakpoint {
    int number;             /* 1, 2, ...; 0 for a free slot */
    BpSpec spec;            /* spec.cond points at cond_text */
    bool enabled;
    uint64_t hits;          /* times it stopped the run (condition true) */
    Expr cond;
    char cond_text[96];
} Breakpoint;

/* Operating modes for catch mode: a set of these bits. */
enum { BP_MODE_PE = 1, BP_MODE_PG = 2, BP_MODE_VM = 4 };

typedef enum BpStopKind {
    BP_STOP_NONE,           /* the engine did not stop the run */
    BP_STOP_BREAK,
    BP_STOP_WATCH,
    BP_STOP_EXCEPTION,      /* held: the next run delivers it */
    BP_STOP_INT,
    BP_STOP_IO,
    BP_STOP_MODE,
} BpStopKind;

/* Why the run stopped.  CS:EIP then is the next instruction to run (for a
 * caught exception, the faulting instruction; for a caught software
 * interrupt, the handler's first instruction). */
typedef struct BpStop {
    BpStopKind kind;
    int number;             /* the breakpoint's */
    uint64_t icount;        /* cpu->icount when it stopped */
    uint32_t addr;          /* break: linear address; watch: the access's linear address */
    unsigned size;          /* watch, io: access size in bytes */
    bool write;             /* watch, io */
    uint64_t old_value;     /* watch write: the bytes before (up to 8) ... */
    uint64_t new_value;     /* ... and after the instruction */
    unsigned vector;        /* exception, int */
    uint8_t ah;             /* int: AH at the INT */
    uint16_t port;          /* io */
    unsigned old_mode, new_mode;    /* mode: BP_MODE_* bits */
    FaultRecord fault;      /* exception: cpu->last_fault */
} BpStop;

enum { BP_MAX = 32 };

typedef struct Breakpoints {
    Cpu *cpu;
    Breakpoint bp[BP_MAX];
    int next_number;
    CpuDebugHooks hooks;
    bool attached;          /* hooks attached: something is enabled */
    bool own_watch_flag;    /* we set cpu->debug_watch_data */
    BpStop stop;
    bool watch_pending;     /* a watch hit: new_value is read when asked */
    /* Where the run resumed: a breakpoint there does not stop the first
     * instruction again.  (A held exception is delivered without asking
     * the hooks again: cpu_run does that.) */
    uint64_t resume_icount;
    uint16_t resume_cs;
    uint32_t resume_eip;
    unsigned prev_mode;
} Breakpoints;

/* Starts with no breakpoints; hooks attach to cpu only while something is
 * enabled, so an unused engine costs nothing. */
void bp_init(Breakpoints *b, Cpu *cpu);
void bp_fini(Breakpoints *b);

/* Adds one; returns its number, or 0 and a one-line reason in err (bad
 * condition, bad vector or length, table full). */
int bp_add(Breakpoints *b, const BpSpec *spec, char *err, size_t err_len);
/* False when there is no breakpoint with that number. */
bool bp_delete(Breakpoints *b, int number);
bool bp_enable(Breakpoints *b, int number, bool enabled);
void bp_delete_all(Breakpoints *b);
void bp_delete_temporary(Breakpoints *b);
/* The number of the first breakpoint of that kind, addr and len (len as
 * given to bp_add, 0 matching any), or 0: for gdb's z packets. */
int bp_find(const Breakpoints *b, BpKind kind, uint64_t addr, uint32_t len);
const Breakpoint *bp_get(const Breakpoints *b, int number);
/* True when any enabled breakpoint exists. */
bool bp_any(const Breakpoints *b);

/* Call before every run after a stop (and before the first): clears the
 * stop record and notes CS:EIP, so a breakpoint there does not stop the
 * first instruction again. */
void bp_resume(Breakpoints *b);
/* Why the last run stopped with CPU_STOP_DEBUG / MACHINE_STOP_DEBUG; kind
 * BP_STOP_NONE when the engine did not stop it.  Reads a watched write's
 * new value on the first call after the stop. */
const BpStop *bp_last_stop(Breakpoints *b);

/* One breakpoint on a line, no newline:
 * "2  watch write  lin 00007e00 len 2  if eax == 5  enabled  hits 1". */
void bp_describe(const Breakpoint *bp, char *buf, size_t len);
/* The stop on a line, no newline: "breakpoint 1 at 0008:00001234",
 * "watchpoint 2: write of 2 bytes at 00007e00: 1234 -> abcd", ... */
void bp_describe_stop(const BpStop *s, char *buf, size_t len);
const char *bp_kind_name(BpKind kind);
/* "real", "protected", "protected+paging", "v86+paging", ... */
const char *bp_mode_name(unsigned mode);
unsigned bp_current_mode(const Cpu *cpu);

#endif
