/* SPDX-License-Identifier: MIT */
/*
 * The monitor: a command interpreter in the spirit of the Bochs debugger
 * and gdb (c, s, n, b, watch, catch, info ..., x, u, explain).  It reads
 * one command line at a time and writes its answers to a FILE*, so the
 * frontend can feed it from a terminal, a script or a window's event loop.
 * It steps the machine itself; to continue it hands back to the run loop,
 * which runs the machine with the breakpoint engine armed and calls
 * monitor_report_stop when the engine stops it.  A bad command prints one
 * line and leaves the guest exactly as it was.
 */
#ifndef FAULTLINE_MONITOR_H
#define FAULTLINE_MONITOR_H

#include <stdbool.h>
#include <stdio.h>

#include "breakpoints.h"
#include "machine.h"

typedef enum MonitorAction {
    MONITOR_STAY,           /* the guest stays stopped: read the next command */
    MONITOR_CONTINUE,       /* run the guest (bp_resume, then the run loop) */
    MONITOR_QUIT,           /* end the emulator */
    MONITOR_ENDED,          /* stepping ended the machine (the caller says so): monitor_machine_stop */
} MonitorAction;

typedef struct Monitor Monitor;

/* The monitor of machine m, using the engine bp (bp_init'ed on m's CPU). */
Monitor *monitor_create(Machine *m, Breakpoints *bp, FILE *out);
void monitor_destroy(Monitor *mon);

/* Runs one command line (without or with its newline). */
MonitorAction monitor_execute(Monitor *mon, const char *line);
/* Reads and runs lines from in until one resumes or quits the guest; EOF quits. */
MonitorAction monitor_interact(Monitor *mon, FILE *in, bool echo);
void monitor_prompt(Monitor *mon);      /* "(faultline) " */

/* The run stopped with MACHINE_STOP_DEBUG: why, the next instruction, and
 * for a caught exception the explainer's block. */
void monitor_report_stop(Monitor *mon);
/* The run was interrupted (Ctrl-C, the window's key): where it stands. */
void monitor_report_interrupt(Monitor *mon);
/* How the machine stopped when monitor_execute returned MONITOR_ENDED. */
MachineStop monitor_machine_stop(const Monitor *mon);

/* "0008:00001234 (lin 00001234): mov ax, word ptr [bx]" for CS:EIP, no newline. */
void monitor_describe_next(Monitor *mon, char *buf, size_t len);

#endif
