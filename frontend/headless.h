/* SPDX-License-Identifier: MIT */
/*
 * The headless runner: runs the machine without a window, feeds it a -send
 * script, watches the screen and the consoles for -until text, and stops at
 * the -budget of virtual time.
 */
#ifndef FAULTLINE_HEADLESS_H
#define FAULTLINE_HEADLESS_H

#include <stdbool.h>
#include <stdint.h>

#include "debugger.h"
#include "keyscript.h"
#include "machine.h"
#include "monitor_loop.h"
#include "serial.h"

/* The last bytes the guest wrote to its consoles (0xE9, serial), for -until. */
typedef struct ConsoleTail {
    char text[4096];
    size_t len;
} ConsoleTail;

void console_tail_add(ConsoleTail *t, char ch);

typedef struct HeadlessOptions {
    bool deterministic;
    uint64_t budget_ns;         /* 0: none */
    const char *until;          /* stop when this text appears; NULL: never */
    KeyScript *script;          /* may be NULL */
    const ConsoleTail *console;
    SerialHost *serial;         /* host input for the COM ports; may be NULL */
    Debugger *debugger;         /* the gdb stub; may be NULL */
    MonitorLoop *monitor;       /* -monitor stdio; may be NULL */
} HeadlessOptions;

typedef enum HeadlessStop {
    HEADLESS_MACHINE_STOPPED,   /* see the MachineStop */
    HEADLESS_BUDGET,
    HEADLESS_FOUND,             /* the -until text appeared */
    HEADLESS_DEBUGGER_KILL,     /* gdb's kill command ended the run */
    HEADLESS_MONITOR_QUIT,      /* the monitor's quit (or the end of its input) ended the run */
} HeadlessStop;

HeadlessStop headless_run(Machine *m, const HeadlessOptions *o, MachineStop *stop);
/* True when text is on the VGA text screen or in the console tail. */
bool headless_sees(Machine *m, const ConsoleTail *console, const char *text);

#endif
