/* SPDX-License-Identifier: MIT */
/*
 * The frontend's side of the gdb stub: the GdbTarget made of machine.h
 * calls, and one slice of the run loop with a debugger attached (serve it
 * while the guest is stopped, step over breakpoints, notice Ctrl-C).
 */
#ifndef FAULTLINE_DEBUGGER_H
#define FAULTLINE_DEBUGGER_H

#include <stdbool.h>
#include <stdint.h>

#include "gdbstub.h"
#include "machine.h"

typedef struct Debugger {
    GdbStub *stub;
    Machine *machine;
    bool wait_for_attach;       /* -S: do not run before a debugger has attached */
    bool resumed;               /* the next instruction is the one gdb resumed at */
} Debugger;

/* Listens on 127.0.0.1:port and says where on stderr; false after printing why not. */
bool debugger_open(Debugger *d, Machine *m, int port, bool wait_for_attach);
void debugger_close(Debugger *d);

typedef enum DebugSlice {
    DEBUG_RAN,                  /* *stop says how the slice ended */
    DEBUG_KILLED,               /* the debugger ended the run */
} DebugSlice;

/* Runs the machine up to until_ns as machine_run would, under the debugger. */
DebugSlice debugger_run(Debugger *d, uint64_t until_ns, MachineStop *stop);

#endif
