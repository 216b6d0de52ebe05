/* SPDX-License-Identifier: MIT */
/*
 * The faultline command: parses QEMU-style flags, builds the machine, runs it
 * headless and reports how it stopped.  Host input errors (bad flag, missing
 * or unreadable file, RAM size out of range) print one line and exit 2.
 * This file is the only place that reads the host clock: in realtime mode it
 * sleeps whenever the guest runs ahead of the wall clock.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostclock.h"
#include "machine.h"
#include "sdl_window.h"

#define EXIT_HOST_ERROR 2
#define EXIT_BUDGET 3
#define EXIT_SHUTDOWN 4

extern const uint8_t builtin_guest[];
extern const size_t builtin_guest_size;

typedef struct Options {
    uint64_t ram_bytes;
    const char *cpu_model;
    uint64_t ips;
    const char *program_path;
    bool deterministic;
    uint64_t budget_ns;     /* 0: none */
    bool quiet;
    bool window;            /* -display sdl */
    const char *screenshot;
} Options;

static void usage(FILE *out)
{
    fprintf(out,
        "usage: faultline [options]\n"
        "Runs a PC guest.  With no program it runs the built-in self-check guest.\n"
        "\n"
        "  -m SIZE             guest RAM, in MiB or with a suffix (64, 64M, 1G); default 32M, %u-%u MiB\n"
        "  -cpu MODEL          CPU model: 386, 486, pentium, pentium2; default pentium\n"
        "  -bin FILE           run a flat real-mode program loaded at 0000:7C00 (no BIOS yet)\n"
        "  -ips N              nominal instructions per second of virtual time; default 50000000\n"
        "  -deterministic      do not pace to the host clock (same input, same run)\n"
        "  -budget TIME        stop after TIME of virtual time (e.g. 10, 10s, 500ms)\n"
        "  -display sdl|none   an SDL2 window, or headless (default: none)\n"
        "  -screenshot FILE    with -display sdl: save the window as a BMP when the run ends\n"
        "  -quiet              no run summary on stderr\n"
        "  -h, --help          this text;  --version  the version\n"
        "\n"
        "Exit status: the byte the guest wrote to the exit port 0xF4; 2 for bad host input;\n"
        "3 when the -budget ran out; 4 when the CPU shut down (triple fault).\n",
        MACHINE_MIN_RAM_MIB, MACHINE_MAX_RAM_MIB);
}

static int host_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "faultline: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return EXIT_HOST_ERROR;
}

/* "64", "64M", "64m", "1G" -> bytes; 0 on a malformed or absurd value. */
static uint64_t parse_size(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || v == 0 || v > (1ull << 40))
        return 0;
    if (*end == 'M' || *end == 'm')
        end++;
    else if (*end == 'G' || *end == 'g') {
        v <<= 10;
        end++;
    }
    return *end ? 0 : v << 20;
}

/* "10", "10s", "500ms" -> nanoseconds; 0 on error. */
static uint64_t parse_time(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v <= 0)
        return 0;
    double scale = 1e9;
    if (strcmp(end, "ms") == 0)
        scale = 1e6;
    else if (*end && strcmp(end, "s") != 0)
        return 0;
    return (uint64_t)(v * scale);
}

static int parse_options(int argc, char **argv, Options *o)
{
    *o = (Options){ .ram_bytes = 32ull << 20, .cpu_model = "pentium", .ips = 50000000 };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] == '-' && a[2])
            a++;        /* accept --flag as -flag, as QEMU does */
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes_value = !strcmp(a, "-m") || !strcmp(a, "-cpu") || !strcmp(a, "-bin") ||
                           !strcmp(a, "-ips") || !strcmp(a, "-budget") || !strcmp(a, "-display") ||
                           !strcmp(a, "-screenshot");
        if (takes_value && !val)
            return host_error("option %s needs a value (see --help)", argv[i]);
        if (!strcmp(a, "-h") || !strcmp(a, "-help")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(a, "-version")) {
            printf("faultline 0.1\n");
            exit(0);
        } else if (!strcmp(a, "-m")) {
            if (!(o->ram_bytes = parse_size(val)))
                return host_error("bad RAM size '%s' (try -m 64 or -m 64M)", val);
        } else if (!strcmp(a, "-cpu")) {
            o->cpu_model = val;
        } else if (!strcmp(a, "-bin")) {
            o->program_path = val;
        } else if (!strcmp(a, "-ips")) {
            char *end;
            o->ips = strtoull(val, &end, 10);
            if (*end || o->ips < 1000 || o->ips > 100000000000ull)
                return host_error("bad -ips '%s' (a rate from 1000 to 1e11 instructions per second)", val);
        } else if (!strcmp(a, "-budget")) {
            if (!(o->budget_ns = parse_time(val)))
                return host_error("bad -budget '%s' (try 10, 10s or 500ms)", val);
        } else if (!strcmp(a, "-display")) {
            if (strcmp(val, "none") != 0 && strcmp(val, "sdl") != 0)
                return host_error("unknown display '%s' (use sdl or none)", val);
            o->window = !strcmp(val, "sdl");
        } else if (!strcmp(a, "-screenshot")) {
            o->screenshot = val;
        } else if (!strcmp(a, "-deterministic")) {
            o->deterministic = true;
        } else if (!strcmp(a, "-quiet")) {
            o->quiet = true;
        } else {
            return host_error("unknown option '%s' (see --help)", argv[i]);
        }
        if (takes_value)
            i++;
    }
    return 0;
}

/* Reads a whole program file; returns NULL with a message printed on failure. */
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
    if (ch == '\r')
        return;
    putchar(ch);
    if (ch == '\n')
        fflush(stdout);
}

static void log_line(void *opaque, const char *line)
{
    fprintf(stderr, "faultline: %s\n", line);
}

/* Runs in 10 ms slices of virtual time, sleeping when ahead of the host in realtime mode. */
static MachineStop run_headless(Machine *m, const Options *o)
{
    const uint64_t slice = 10000000;
    HostPacer pacer;
    host_pacer_start(&pacer, machine_now_ns(m));
    for (;;) {
        uint64_t now = machine_now_ns(m);
        if (o->budget_ns && now >= o->budget_ns)
            return MACHINE_STOP_TIME;
        uint64_t until = now + slice;
        if (o->budget_ns && until > o->budget_ns)
            until = o->budget_ns;
        MachineStop stop = machine_run(m, until);
        if (stop != MACHINE_STOP_TIME)
            return stop;
        if (!o->deterministic)
            host_pacer_wait(&pacer, machine_now_ns(m));
    }
}

static bool run(Machine *m, const Options *o, MachineStop *stop)
{
    if (!o->window) {
        *stop = run_headless(m, o);
        return true;
    }
    WindowOptions wo = { .deterministic = o->deterministic, .budget_ns = o->budget_ns,
                         .screenshot = o->screenshot };
    return sdl_window_run(m, &wo, stop);
}

int main(int argc, char **argv)
{
    Options o;
    int rc = parse_options(argc, argv, &o);
    if (rc)
        return rc;
    size_t size = builtin_guest_size;
    uint8_t *program = NULL;
    if (o.program_path && !(program = read_program(o.program_path, &size)))
        return EXIT_HOST_ERROR;
    MachineConfig cfg = {
        .ram_bytes = o.ram_bytes, .cpu_model = o.cpu_model, .ips = o.ips,
        .program = program ? program : builtin_guest, .program_size = size,
        .console_char = console_char, .log = log_line,
    };
    char err[160];
    Machine *m = machine_create(&cfg, err, sizeof(err));
    if (!m) {
        free(program);
        fprintf(stderr, "faultline: %s\n", err);
        return EXIT_HOST_ERROR;
    }
    uint64_t host_start = host_now_ns();
    MachineStop stop;
    if (!run(m, &o, &stop)) {
        machine_destroy(m);
        free(program);
        return EXIT_HOST_ERROR;
    }
    double host_s = (double)(host_now_ns() - host_start) / 1e9;
    fflush(stdout);
    int status = 0;
    char state[320];
    switch (stop) {
    case MACHINE_STOP_GUEST_EXIT:
        status = machine_guest_exit_status(m) >> 1;
        break;
    case MACHINE_STOP_TIME:
        fprintf(stderr, "faultline: the virtual time budget ran out\n");
        status = EXIT_BUDGET;
        break;
    case MACHINE_STOP_SHUTDOWN:
        machine_describe_cpu(m, state, sizeof(state));
        fprintf(stderr, "faultline: CPU shutdown: %s\nfaultline: %s\n", machine_stop_reason(m), state);
        status = EXIT_SHUTDOWN;
        break;
    case MACHINE_STOP_HALTED:
        fprintf(stderr, "faultline: the guest halted with interrupts disabled\n");
        break;
    }
    if (!o.quiet) {
        uint64_t insns = machine_instructions(m);
        fprintf(stderr, "faultline: %" PRIu64 " instructions, %.6f s virtual, %.3f s host (%.1f MIPS), exit status %d\n",
                insns, (double)machine_now_ns(m) / 1e9, host_s, host_s > 0 ? (double)insns / host_s / 1e6 : 0.0, status);
    }
    machine_destroy(m);
    free(program);
    return status;
}
