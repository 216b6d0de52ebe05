/* SPDX-License-Identifier: MIT */
/*
 * Headless runs in slices of at most 10 ms of virtual time.  Between slices
 * the runner feeds due script events, checks for the -until text, and in
 * realtime mode sleeps while the guest is ahead of the host.
 */
#include "headless.h"

#include <stdlib.h>
#include <string.h>

#include "hostclock.h"

enum {
    SLICE_NS = 10000000,
    DEBUG_WAIT_MS = 100,    /* while gdb holds the guest: how often the loop looks up */
};

void console_tail_add(ConsoleTail *t, char ch)
{
    if (t->len == sizeof(t->text) - 1) {
        memmove(t->text, t->text + sizeof(t->text) / 2, sizeof(t->text) / 2);
        t->len = sizeof(t->text) / 2 - 1;
    }
    t->text[t->len++] = ch ? ch : ' ';
    t->text[t->len] = '\0';
}

bool headless_sees(Machine *m, const ConsoleTail *console, const char *text)
{
    if (console && strstr(console->text, text))
        return true;
    static const size_t cap = 64 * 1024;
    char *screen = malloc(cap);
    int cols, rows;
    bool seen = screen && machine_text_screen(m, screen, cap, &cols, &rows) > 0 && strstr(screen, text);
    free(screen);
    return seen;
}

/* Feeds every script event that is due; returns the virtual time of the next one. */
static uint64_t feed_script(Machine *m, KeyScript *ks, const ConsoleTail *console)
{
    uint64_t now = machine_now_ns(m);
    while (ks->next < ks->count && now >= ks->not_before_ns) {
        const KeyEvent *e = &ks->events[ks->next];
        if (e->kind == KEY_EVENT_KEY) {
            machine_key(m, e->usage, e->pressed);
        } else if (e->kind == KEY_EVENT_WAIT) {
            ks->not_before_ns = now + e->wait_ns;
        } else if (!headless_sees(m, console, e->text)) {
            return now + SLICE_NS;      /* until: look again after the next slice */
        }
        ks->next++;
    }
    return ks->next < ks->count ? ks->not_before_ns : UINT64_MAX;
}

HeadlessStop headless_run(Machine *m, const HeadlessOptions *o, MachineStop *stop)
{
    HostPacer pacer;
    host_pacer_start(&pacer, machine_now_ns(m));
    for (;;) {
        uint64_t now = machine_now_ns(m);
        if (o->until && headless_sees(m, o->console, o->until))
            return HEADLESS_FOUND;
        if (o->budget_ns && now >= o->budget_ns)
            return HEADLESS_BUDGET;
        uint64_t until = now + SLICE_NS;
        if (o->script) {
            uint64_t next = feed_script(m, o->script, o->console);
            if (next > now && next < until)
                until = next;
        }
        if (o->budget_ns && until > o->budget_ns)
            until = o->budget_ns;
        if (o->serial)
            serial_poll(o->serial, m);
        if (o->monitor) {
            if (monitor_loop_run(o->monitor, until, -1, stop) == MONITOR_SLICE_QUIT)
                return HEADLESS_MONITOR_QUIT;
            if (monitor_loop_was_held(o->monitor))
                host_pacer_start(&pacer, machine_now_ns(m));    /* the stopped time is not made up */
        } else if (!o->debugger) {
            *stop = machine_run(m, until);
        } else {
            DebugSlice r = debugger_run(o->debugger, until, DEBUG_WAIT_MS, stop);
            if (r == DEBUG_KILLED)
                return HEADLESS_DEBUGGER_KILL;
            if (r == DEBUG_HELD) {
                host_pacer_start(&pacer, machine_now_ns(m));    /* the time gdb held the guest is not made up */
                continue;
            }
        }
        if (*stop != MACHINE_STOP_TIME)
            /* The text may have come in the same slice that stopped the machine. */
            return o->until && headless_sees(m, o->console, o->until) ? HEADLESS_FOUND : HEADLESS_MACHINE_STOPPED;
        if (!o->deterministic)
            host_pacer_wait(&pacer, machine_now_ns(m));
    }
}
