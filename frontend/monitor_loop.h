/* SPDX-License-Identifier: MIT */
/*
 * -monitor stdio: the monitor (debug/monitor.h) on the terminal, in the
 * run loop.  The guest starts stopped at a (faultline) prompt; `c` runs it
 * in slices until the breakpoint engine stops it, Ctrl-C is pressed in the
 * terminal, or the window's Ctrl+Alt+M pauses it.  Commands are read from
 * standard input without blocking the window: a slice either runs the
 * machine or serves the prompt for at most wait_ms.
 */
#ifndef FAULTLINE_MONITOR_LOOP_H
#define FAULTLINE_MONITOR_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

typedef struct MonitorLoop MonitorLoop;

struct ConsoleTail;

/* Prints the greeting and takes over SIGINT; NULL after printing why not.
 * console (may be NULL): what the guest printed, so the monitor's reports
 * start on a line of their own. */
MonitorLoop *monitor_loop_open(Machine *m, const struct ConsoleTail *console);
void monitor_loop_close(MonitorLoop *ml);

typedef enum MonitorSlice {
    MONITOR_SLICE_RAN,          /* *stop says how the slice ended */
    MONITOR_SLICE_HELD,         /* the guest stays stopped (no time passed); ask again */
    MONITOR_SLICE_QUIT,         /* the user ended the run (q, or the end of the input) */
} MonitorSlice;

/* Runs the machine up to until_ns as machine_run would, or while the guest
 * is stopped serves commands, waiting at most wait_ms for one (-1: as long
 * as it takes).  A machine that stops for good (exit port, shutdown) is
 * reported and held at the prompt; the next c or q returns its stop. */
MonitorSlice monitor_loop_run(MonitorLoop *ml, uint64_t until_ns, int wait_ms, MachineStop *stop);
/* True (once) when the guest waited at the prompt since the last call: the
 * caller restarts its pacing, so the stopped time is not made up. */
bool monitor_loop_was_held(MonitorLoop *ml);
/* Stops the guest at the next slice and prompts (the window's key). */
void monitor_loop_pause(MonitorLoop *ml);

#endif
