/* SPDX-License-Identifier: MIT */
/*
 * The frontend's side of the gdb stub: the GdbTarget made of machine.h
 * calls and the breakpoint engine (debug/breakpoints.h), and one slice of
 * the run loop with a debugger attached (serve it while the guest is
 * stopped, run at full speed between stops, notice Ctrl-C).  Opaque, so
 * the run loops see only this header and machine.h.
 */
#ifndef FAULTLINE_DEBUGGER_H
#define FAULTLINE_DEBUGGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"

typedef struct Debugger Debugger;

/* -gdb-catch's list, "13,14" or "gp,pf", as a set of exception vectors
 * (bit n: vector n); false with the reason in err for a bad list. */
bool debugger_parse_catch(const char *list, uint32_t *vectors, char *err, size_t err_len);

/* Listens on 127.0.0.1:port and says where on stderr; catch_vectors stop
 * the guest before they are delivered.  NULL after printing one line
 * saying why not. */
Debugger *debugger_open(Machine *m, int port, bool wait_for_attach, uint32_t catch_vectors);
void debugger_close(Debugger *d);

typedef enum DebugSlice {
    DEBUG_RAN,                  /* *stop says how the slice ended */
    DEBUG_HELD,                 /* the guest stays stopped (no time passed); ask again */
    DEBUG_KILLED,               /* the debugger ended the run */
} DebugSlice;

/* Runs the machine up to until_ns as machine_run would, under the
 * debugger.  While the guest is held, waits at most wait_ms for the
 * debugger (-1: as long as it takes) before returning DEBUG_HELD, so a
 * window can keep drawing. */
DebugSlice debugger_run(Debugger *d, uint64_t until_ns, int wait_ms, MachineStop *stop);

#endif
