/* SPDX-License-Identifier: MIT */
/*
 * The faultline command: builds the machine from the options, runs it in a
 * window or headless, and reports how it stopped.  Host input errors (bad
 * flag, missing or unreadable file, RAM size out of range) print one line and
 * exit 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bmp.h"
#include "debugger.h"
#include "explain.h"
#include "headless.h"
#include "hostclock.h"
#include "machine.h"
#include "monitor_loop.h"
#include "options.h"
#include "sdl_window.h"
#include "trace.h"

extern const uint8_t builtin_floppy[];
extern const size_t builtin_floppy_size;

static uint8_t *read_program(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "faultline: cannot open '%s': %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap && cap < (1u << 20)) {
            uint8_t *bigger = realloc(buf, cap *= 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
            }
            buf = bigger;
        } else if (len == cap) {
            break;
        }
    }
    bool bad = ferror(f) || !buf;
    fclose(f);
    if (bad || len == 0) {
        fprintf(stderr, "faultline: cannot read '%s': %s\n", path, len == 0 && !bad ? "the file is empty" : "read error");
        free(buf);
        return NULL;
    }
    *size = len;
    return buf;
}


static void console_char(void *opaque, uint8_t ch)
{
    console_tail_add(opaque, (char)ch);     /* the tail is Host's first member */
    if (ch == '\r')
        return;
    putchar(ch);
    if (ch == '\n')
        fflush(stdout);
}

/* What the frontend hands the machine as host_opaque. */
typedef struct Host {
    ConsoleTail tail;
    SerialHost serial;
    FILE *log;              /* -D FILE, or stderr: the -d and --explain output */
} Host;

static void serial_out(void *opaque, int port, uint8_t ch)
{
    Host *host = opaque;
    console_tail_add(&host->tail, (char)ch);
    serial_write(&host->serial, port, ch);
}

/* The RTC's start: a fixed date in deterministic mode, else the host's clock. */
#define DETERMINISTIC_EPOCH 1704067200ull     /* 2024-01-01 00:00:00 UTC */

static bool rtc_start(const Options *o, uint64_t *seconds)
{
    if (!o->rtc) {
        *seconds = o->deterministic ? DETERMINISTIC_EPOCH : (uint64_t)time(NULL);
        return true;
    }
    if (!strcmp(o->rtc, "utc")) {
        *seconds = (uint64_t)time(NULL);
        return true;
    }
    struct tm tm = { 0 };
    const char *end = strptime(o->rtc, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end || *end) {
        memset(&tm, 0, sizeof(tm));
        end = strptime(o->rtc, "%Y-%m-%d", &tm);
    }
    if (!end || *end || tm.tm_year < 70)
        return false;
    *seconds = (uint64_t)timegm(&tm);
    return true;
}

static void log_line(void *opaque, const char *line)
{
    const Host *host = opaque;
    fprintf(host->log ? host->log : stderr, "faultline: %s\n", line);
}

/* -screenshot without a window: the display's own pixels, one per VGA dot. */
static void save_frame(Machine *m, const char *path)
{
    enum { MAX_W = 1024, MAX_H = 768 };
    uint32_t *pixels = calloc((size_t)MAX_W * MAX_H, sizeof(uint32_t));
    int w = 0, h = 0;
    if (pixels && machine_render(m, pixels, MAX_W, MAX_H, &w, &h) && !bmp_write(path, pixels, w, h))
        fprintf(stderr, "faultline: cannot write screenshot '%s'\n", path);
    free(pixels);
}

static void print_screen(Machine *m)
{
    static char screen[64 * 1024];
    int cols, rows;
    if (machine_text_screen(m, screen, sizeof(screen), &cols, &rows) > 0)
        printf("---- screen %dx%d ----\n%s\n---- end of screen ----\n", cols, rows, screen);
    else
        printf("---- the display is not in a text mode ----\n");
}

/* Runs the machine; returns the exit status and prints why it stopped. */
static int run(Machine *m, const Options *o, KeyScript *script, const ConsoleTail *tail, SerialHost *serial)
{
    Debugger *debugger = NULL;
    if (o->gdb_port >= 0 && !(debugger = debugger_open(m, o->gdb_port, o->gdb_wait, o->gdb_catch)))
        return EXIT_HOST_ERROR;
    MonitorLoop *monitor = NULL;
    if (o->monitor && !(monitor = monitor_loop_open(m, tail)))
        return EXIT_HOST_ERROR;
    MachineStop stop = MACHINE_STOP_TIME;
    HeadlessStop how = HEADLESS_MACHINE_STOPPED;
    bool killed = false;
    if (o->window) {
        WindowOptions wo = { .deterministic = o->deterministic, .budget_ns = o->budget_ns,
                             .screenshot = o->screenshot, .until = o->until, .console = tail,
                             .serial = serial, .debugger = debugger, .monitor = monitor };
        bool opened = sdl_window_run(m, &wo, &stop, &killed);
        if (killed)
            how = HEADLESS_DEBUGGER_KILL;
        debugger_close(debugger);
        monitor_loop_close(monitor);
        if (!opened)
            return EXIT_HOST_ERROR;
        if (stop == MACHINE_STOP_TIME && how != HEADLESS_DEBUGGER_KILL)
            return 0;   /* the window was closed, or the budget ended a window run */
    } else {
        HeadlessOptions ho = { .deterministic = o->deterministic, .budget_ns = o->budget_ns,
                               .until = o->until, .script = script, .console = tail, .serial = serial,
                               .debugger = debugger, .monitor = monitor };
        how = headless_run(m, &ho, &stop);
        debugger_close(debugger);
        monitor_loop_close(monitor);
        if (how == HEADLESS_MONITOR_QUIT)
            return 0;
    }
    fflush(stdout);
    char state[320];
    if (how == HEADLESS_DEBUGGER_KILL) {
        fprintf(stderr, "faultline: killed by the debugger\n");
        return 0;
    }
    if (how == HEADLESS_FOUND) {
        fprintf(stderr, "faultline: found \"%s\"\n", o->until);
        return 0;
    }
    if (how == HEADLESS_BUDGET) {
        fprintf(stderr, "faultline: the virtual time budget ran out%s\n",
                o->until ? " before the -until text appeared" : "");
        return EXIT_BUDGET;
    }
    switch (stop) {
    case MACHINE_STOP_GUEST_EXIT:
        return machine_guest_exit_status(m) >> 1;
    case MACHINE_STOP_SHUTDOWN: {
        char chain[1024];
        machine_describe_cpu(m, state, sizeof(state));
        machine_describe_fault_chain(m, chain, sizeof(chain));
        fprintf(stderr, "faultline: CPU shutdown: %s\n", machine_stop_reason(m));
        if (chain[0])
            fprintf(stderr, "faultline: fault chain: %s\n", chain);
        fprintf(stderr, "faultline: %s\n", state);
        return EXIT_SHUTDOWN;
    }
    case MACHINE_STOP_HALTED:
        fprintf(stderr, "faultline: the guest halted with interrupts disabled\n");
        return 0;
    case MACHINE_STOP_TIME:
    case MACHINE_STOP_DEBUG:    /* only with a debugger attached, which handles it */
        break;
    }
    return 0;
}

int main(int argc, char **argv)
{
    Options o;
    int rc = options_parse(argc, argv, &o);
    if (rc)
        return rc;
    KeyScript script = { 0 };
    char err[256];
    if (o.send && !keyscript_parse(&script, o.send, err, sizeof(err))) {
        fprintf(stderr, "faultline: %s\n", err);
        return EXIT_HOST_ERROR;
    }
    size_t size = 0;
    uint8_t *program = NULL;
    if (o.program_path && !(program = read_program(o.program_path, &size))) {
        keyscript_free(&script);
        return EXIT_HOST_ERROR;
    }
    uint64_t rtc_seconds;
    if (!rtc_start(&o, &rtc_seconds)) {
        free(program);
        keyscript_free(&script);
        fprintf(stderr, "faultline: bad -rtc base=%s (use YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS or utc)\n", o.rtc);
        return EXIT_HOST_ERROR;
    }
    bool disks = o.fda || o.fdb || o.hda || o.hdb || o.cdrom;
    bool firmware = !program;
    static Host host;
    memcpy(host.serial.spec, o.serial, sizeof(o.serial));
    if (!serial_open(&host.serial, err, sizeof(err))) {
        free(program);
        keyscript_free(&script);
        fprintf(stderr, "faultline: %s\n", err);
        return EXIT_HOST_ERROR;
    }
    host.log = o.log_file ? fopen(o.log_file, "w") : stderr;
    if (!host.log) {
        fprintf(stderr, "faultline: cannot write the log file '%s': %s\n", o.log_file, strerror(errno));
        serial_close(&host.serial);
        free(program);
        keyscript_free(&script);
        return EXIT_HOST_ERROR;
    }
    MachineConfig cfg = {
        .ram_bytes = o.ram_bytes, .cpu_model = o.cpu_model, .ips = o.ips,
        .program = program, .program_size = size,
        .bios_path = o.bios_path, .option_rom_path = o.option_rom_path,
        .fda = o.fda, .fdb = o.fdb, .hda = o.hda, .hdb = o.hdb, .cdrom = o.cdrom, .boot_order = o.boot_order,
        .fda_data = firmware && !disks ? builtin_floppy : NULL, .fda_data_size = builtin_floppy_size,
        .snapshot = o.snapshot, .no_reboot = o.no_reboot, .rtc_seconds = rtc_seconds,
        .console_char = console_char, .serial_out = serial_out,
        .log = log_line, .log_unmapped = o.log_unmapped, .log_post = o.log_post,
        .host_opaque = &host,
    };
    Machine *m = machine_create(&cfg, err, sizeof(err));
    if (!m) {
        serial_close(&host.serial);
        free(program);
        keyscript_free(&script);
        fprintf(stderr, "faultline: %s\n", err);
        return EXIT_HOST_ERROR;
    }
    /* The tracer and the explainer watch the CPU from before its first instruction. */
    Tracer *tracer = o.trace_items ? trace_attach(m, o.trace_items, host.log) : NULL;
    Explainer *explainer = o.explain ? explain_attach(m, host.log) : NULL;
    uint64_t host_start = host_now_ns();
    int status = run(m, &o, o.send ? &script : NULL, &host.tail, &host.serial);
    double host_s = (double)(host_now_ns() - host_start) / 1e9;
    if (o.print_screen)
        print_screen(m);
    if (o.screenshot && !o.window)
        save_frame(m, o.screenshot);
    if (!o.quiet) {
        uint64_t insns = machine_instructions(m);
        fprintf(stderr, "faultline: %" PRIu64 " instructions, %.6f s virtual, %.3f s host (%.1f MIPS), exit status %d\n",
                insns, (double)machine_now_ns(m) / 1e9, host_s, host_s > 0 ? (double)insns / host_s / 1e6 : 0.0, status);
        fprintf(stderr, "faultline: state hash %016" PRIx64 "\n", machine_state_hash(m));
    }
    trace_detach(tracer);
    explain_detach(explainer);
    if (host.log != stderr)
        fclose(host.log);
    machine_destroy(m);
    serial_close(&host.serial);
    free(program);
    keyscript_free(&script);
    return status;
}
