/* SPDX-License-Identifier: MIT */
/* The SDL2 window: shows the machine's display and feeds it keyboard and mouse. */
#ifndef FAULTLINE_SDL_WINDOW_H
#define FAULTLINE_SDL_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

#include "debugger.h"
#include "machine.h"
#include "monitor_loop.h"
#include "serial.h"

typedef struct WindowOptions {
    bool deterministic;         /* no pacing to the host clock */
    uint64_t budget_ns;         /* 0: run until the window closes */
    const char *screenshot;     /* write a BMP of the window here when the run ends */
    const char *until;          /* stop when this text shows (NULL: never) */
    const struct ConsoleTail *console;
    SerialHost *serial;         /* may be NULL */
    Debugger *debugger;         /* the gdb stub; may be NULL */
    MonitorLoop *monitor;       /* -monitor stdio; may be NULL */
} WindowOptions;

/* Runs the machine in a window until it stops or the window is closed
 * (*killed: gdb's kill ended it).  Returns false (with a message printed)
 * when no window can be opened. */
bool sdl_window_run(Machine *m, const WindowOptions *o, MachineStop *stop, bool *killed);

#endif
