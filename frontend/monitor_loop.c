/* SPDX-License-Identifier: MIT */
/*
 * The monitor in the run loop (monitor_loop.h).  Standard input is read
 * with poll() and read(), a line at a time, so the window can go on
 * drawing while the prompt waits.  Ctrl-C reaches us as SIGINT: the
 * handler only sets a flag, which the loop reads after each slice (at most
 * 10 ms of virtual time later) and while waiting at the prompt.  When
 * standard input is not a terminal the commands are echoed after the
 * prompt, so a scripted session reads like a typed one.
 */
#define _POSIX_C_SOURCE 200809L
#include "monitor_loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "breakpoints.h"
#include "headless.h"
#include "monitor.h"

/* The one piece of process state: a signal handler can reach nothing else. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

struct MonitorLoop {
    Machine *m;
    Breakpoints bp;
    Monitor *mon;
    struct sigaction old_sigint;
    bool paused;
    bool was_held;          /* waited at the prompt (monitor_loop_was_held) */
    bool need_prompt;
    bool echo;
    bool ended;             /* the machine stopped for good: c or q hands back end_stop */
    MachineStop end_stop;
    const ConsoleTail *console;
    size_t console_seen;    /* console->len when we last ended its line */
    char in[1024];          /* bytes read but not yet a whole line */
    size_t in_len;
    bool eof;
};

MonitorLoop *monitor_loop_open(Machine *m, const ConsoleTail *console)
{
    MonitorLoop *ml = calloc(1, sizeof(*ml));
    if (!ml) {
        fprintf(stderr, "faultline: out of memory for the monitor\n");
        return NULL;
    }
    ml->m = m;
    ml->console = console;
    bp_init(&ml->bp, machine_cpu(m));
    ml->mon = monitor_create(m, &ml->bp, stdout);
    if (!ml->mon) {
        free(ml);
        fprintf(stderr, "faultline: out of memory for the monitor\n");
        return NULL;
    }
    struct sigaction sa = { .sa_handler = on_sigint };    /* no SA_RESTART: the prompt's poll wakes */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &ml->old_sigint);
    ml->paused = true;
    ml->need_prompt = true;
    ml->echo = !isatty(STDIN_FILENO);
    printf("Faultline monitor: the guest is stopped before its first instruction; 'help' lists the commands.\n");
    char next[200];
    monitor_describe_next(ml->mon, next, sizeof(next));
    printf("%s\n", next);
    return ml;
}

void monitor_loop_close(MonitorLoop *ml)
{
    if (!ml)
        return;
    sigaction(SIGINT, &ml->old_sigint, NULL);
    bp_fini(&ml->bp);
    monitor_destroy(ml->mon);
    free(ml);
}

bool monitor_loop_was_held(MonitorLoop *ml)
{
    bool held = ml->was_held;
    ml->was_held = false;
    return held;
}

void monitor_loop_pause(MonitorLoop *ml)
{
    interrupted = 1;
}

/* One line from standard input into line: 1, 0 when none came within
 * wait_ms (or a signal came), -1 at the end of the input. */
static int read_line(MonitorLoop *ml, int wait_ms, char *line, size_t cap)
{
    for (;;) {
        char *nl = memchr(ml->in, '\n', ml->in_len);
        if (nl || (ml->eof && ml->in_len) || ml->in_len == sizeof(ml->in)) {
            size_t n = nl ? (size_t)(nl - ml->in) : ml->in_len;
            size_t used = nl ? n + 1 : n;
            if (n >= cap)
                n = cap - 1;
            memcpy(line, ml->in, n);
            line[n] = '\0';
            if (n && line[n - 1] == '\r')
                line[n - 1] = '\0';
            memmove(ml->in, ml->in + used, ml->in_len - used);
            ml->in_len -= used;
            return 1;
        }
        if (ml->eof)
            return -1;
        struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
        int r = poll(&p, 1, wait_ms);
        if (r <= 0)
            return 0;   /* timeout, or EINTR from Ctrl-C */
        ssize_t got = read(STDIN_FILENO, ml->in + ml->in_len, sizeof(ml->in) - ml->in_len);
        if (got < 0 && errno == EINTR)
            return 0;
        if (got <= 0)
            ml->eof = true;
        else
            ml->in_len += (size_t)got;
    }
}

/* The guest's output may have stopped mid-line: end it before we speak. */
static void fresh_line(MonitorLoop *ml)
{
    const ConsoleTail *t = ml->console;
    if (t && t->len && t->len != ml->console_seen && t->text[t->len - 1] != '\n')
        putchar('\n');
    ml->console_seen = t ? t->len : 0;
}

static const char *end_text(MachineStop stop)
{
    switch (stop) {
    case MACHINE_STOP_GUEST_EXIT: return "the guest wrote the exit port";
    case MACHINE_STOP_SHUTDOWN: return "the CPU shut down ('explain' shows the fault chain)";
    case MACHINE_STOP_HALTED: return "the guest halted with interrupts disabled";
    default: return "the machine stopped";
    }
}

static void machine_ended(MonitorLoop *ml, MachineStop stop)
{
    ml->ended = true;
    ml->end_stop = stop;
    ml->paused = true;
    ml->need_prompt = true;
    fresh_line(ml);
    printf("%s; 'c' or 'q' ends the run\n", end_text(stop));
}

/* Serves the prompt; true when the guest is to run on. */
static bool serve(MonitorLoop *ml, int wait_ms, MonitorSlice *result, MachineStop *stop)
{
    char line[512];
    for (;;) {
        if (ml->need_prompt) {
            monitor_prompt(ml->mon);
            ml->need_prompt = false;
        }
        int r = read_line(ml, wait_ms, line, sizeof(line));
        if (r == 0) {
            if (interrupted) {
                interrupted = 0;
                printf("\n");
                ml->need_prompt = true;
            }
            *result = MONITOR_SLICE_HELD;
            return false;
        }
        if (r > 0 && ml->echo)
            printf("%s\n", line);
        MonitorAction action = r < 0 ? MONITOR_QUIT : monitor_execute(ml->mon, line);
        if (r < 0)
            printf("\n");
        ml->need_prompt = true;
        if (action == MONITOR_ENDED) {
            machine_ended(ml, monitor_machine_stop(ml->mon));
        } else if (action != MONITOR_STAY && ml->ended) {
            *stop = ml->end_stop;
            *result = MONITOR_SLICE_RAN;
            return false;
        } else if (action == MONITOR_QUIT) {
            *result = MONITOR_SLICE_QUIT;
            return false;
        } else if (action == MONITOR_CONTINUE) {
            ml->paused = false;
            return true;
        }
        if (wait_ms >= 0) {     /* a window waits: let it draw between commands */
            *result = MONITOR_SLICE_HELD;
            return false;
        }
    }
}

MonitorSlice monitor_loop_run(MonitorLoop *ml, uint64_t until_ns, int wait_ms, MachineStop *stop)
{
    MonitorSlice result = MONITOR_SLICE_RAN;
    *stop = MACHINE_STOP_TIME;
    if (interrupted && !ml->paused) {
        interrupted = 0;
        ml->paused = true;
        ml->need_prompt = true;
        fresh_line(ml);
        monitor_report_interrupt(ml->mon);
    }
    if (ml->paused) {
        ml->was_held = true;
        if (!serve(ml, wait_ms, &result, stop))
            return result;
    }
    bp_resume(&ml->bp);
    MachineStop s = machine_run(ml->m, until_ns);
    if (s == MACHINE_STOP_DEBUG) {
        fresh_line(ml);
        monitor_report_stop(ml->mon);
        ml->paused = true;
        ml->need_prompt = true;
    } else if (s != MACHINE_STOP_TIME) {
        machine_ended(ml, s);
    }
    fflush(stdout);
    return MONITOR_SLICE_RAN;
}
