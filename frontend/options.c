/* SPDX-License-Identifier: MIT */
/*
 * Command-line parsing.  Every error is one line on stderr and exit status 2;
 * a flag may be spelled -flag or --flag, as with QEMU.
 */
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debugger.h"
#include "machine.h"
#include "trace.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: faultline [options]\n"
        "Runs a PC that boots from its disks with our BIOS (or -bios FILE); with no disk it\n"
        "boots the built-in menu floppy.  With -bin it runs a bare real-mode program instead.\n"
        "\n"
        "  -m SIZE             guest RAM, in MiB or with a suffix (64, 64M, 1G); default 32M, %u-%u MiB\n"
        "  -cpu MODEL          CPU model: 386, 486, pentium, pentium2, p6-nx; default pentium\n"
        "  -bin FILE           run a flat real-mode program loaded at 0000:7C00, without a BIOS\n"
        "  -bios FILE          the system BIOS image (64-256 KiB), e.g. /usr/share/bochs/BIOS-bochs-legacy\n"
        "  -option-rom FILE    an option ROM at C0000h, e.g. /usr/share/vgabios/vgabios.bin\n"
        "  -fda FILE, -fdb FILE  floppy images (360K, 720K, 1.2M, 1.44M, 2.88M)\n"
        "  -hda FILE, -hdb FILE  hard disk images (whole 512-byte sectors) on the primary IDE channel\n"
        "  -cdrom FILE         an ISO image (2048-byte sectors, read-only) in an ATAPI CD-ROM drive\n"
        "  -boot ORDER         boot order, up to three of a (floppy), c (disk), d (CD); default ca\n"
        "  -snapshot           write disk changes to a temporary overlay, never to the images\n"
        "  -no-reboot          stop instead of resetting when the guest triple-faults or resets\n"
        "  -rtc base=DATE      start the clock at DATE (YYYY-MM-DD[THH:MM:SS], UTC), or base=utc\n"
        "  -serial DEV         COM1, then COM2-4 if repeated: stdio, file:PATH, pty or none\n"
        "                      (default: COM1 output to standard output)\n"
        "  -gdb tcp::PORT      a gdb stub on 127.0.0.1:PORT (0: a free port, printed on stderr)\n"
        "  -s                  the same as -gdb tcp::1234\n"
        "  -S                  do not start the CPU before gdb attaches (needs -gdb or -s)\n"
        "  -gdb-catch LIST     stop in gdb before these exceptions reach the guest (13,14 or gp,pf)\n"
        "  -monitor stdio      the monitor on the terminal: the guest starts stopped at a\n"
        "                      (faultline) prompt; Ctrl-C (or Ctrl+Alt+M in the window) returns to it\n"
        "  -d ITEMS            log, comma-separated: unmapped (first access to each unmapped\n"
        "                      port or address), post (POST codes written to port 80h),\n"
        "                      int (interrupts and exceptions), cpu_reset, exec (every\n"
        "                      instruction, disassembled: slow)\n"
        "  -D FILE             write the -d and --explain output to FILE instead of stderr\n"
        "  --explain           explain every CPU exception as it is delivered: where, the\n"
        "                      instruction, the error code, the rule that failed and its evidence\n"
        "  -ips N              nominal instructions per second of virtual time; default 50000000\n"
        "  -deterministic      do not pace to the host clock (same input, same run)\n"
        "  -budget TIME        stop after TIME of virtual time (e.g. 10, 10s, 500ms)\n"
        "  -display sdl|none   an SDL2 window, or headless (default: sdl when a display exists)\n"
        "  -screenshot FILE    save the window (or, headless, the display) as a BMP when the run ends\n"
        "  -until TEXT         stop (status 0) when TEXT appears on the screen or a console\n"
        "  -send SCRIPT        scripted input: 'wait 2s; until boot:; type hello\\n; key ctrl+alt+del'\n"
        "  -print-screen       print the VGA text screen when the run ends\n"
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

/* -d ITEM[,ITEM...] */
static bool parse_log_items(const char *items, Options *o)
{
    for (const char *p = items; *p;) {
        size_t n = strcspn(p, ",");
        if (n == 8 && !strncmp(p, "unmapped", 8))
            o->log_unmapped = true;
        else if (n == 4 && !strncmp(p, "post", 4))
            o->log_post = true;
        else if (trace_item(p, n))
            o->trace_items |= trace_item(p, n);
        else
            return false;
        p += n + (p[n] == ',');
    }
    return true;
}

/* -gdb tcp::PORT, tcp:127.0.0.1:PORT or tcp:localhost:PORT -> PORT; -1 on error.
 * The stub listens on the loopback interface only. */
static int parse_gdb_device(const char *dev)
{
    static const char *const prefixes[] = { "tcp::", "tcp:127.0.0.1:", "tcp:localhost:" };
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(dev, prefixes[i], n) != 0)
            continue;
        char *end;
        errno = 0;
        long port = strtol(dev + n, &end, 10);
        if (errno || end == dev + n || *end || port < 0 || port > 65535)
            return -1;
        return (int)port;
    }
    return -1;
}

int options_parse(int argc, char **argv, Options *o)
{
    *o = (Options){ .ram_bytes = 32ull << 20, .cpu_model = "pentium", .ips = 50000000,
                    .serial = { { SERIAL_STDOUT, NULL } }, .gdb_port = -1,
                    .window = getenv("DISPLAY") || getenv("WAYLAND_DISPLAY") };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] == '-' && a[2])
            a++;        /* accept --flag as -flag, as QEMU does */
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes_value = !strcmp(a, "-m") || !strcmp(a, "-cpu") || !strcmp(a, "-bin") ||
                           !strcmp(a, "-ips") || !strcmp(a, "-budget") || !strcmp(a, "-display") ||
                           !strcmp(a, "-screenshot") || !strcmp(a, "-until") || !strcmp(a, "-send") ||
                           !strcmp(a, "-bios") || !strcmp(a, "-option-rom") || !strcmp(a, "-fda") ||
                           !strcmp(a, "-fdb") || !strcmp(a, "-hda") || !strcmp(a, "-hdb") || !strcmp(a, "-cdrom") ||
                           !strcmp(a, "-boot") || !strcmp(a, "-rtc") || !strcmp(a, "-serial") ||
                           !strcmp(a, "-d") || !strcmp(a, "-D") || !strcmp(a, "-gdb") || !strcmp(a, "-gdb-catch") ||
                           !strcmp(a, "-monitor");
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
        } else if (!strcmp(a, "-until")) {
            o->until = val;
        } else if (!strcmp(a, "-send")) {
            o->send = val;
        } else if (!strcmp(a, "-bios")) {
            o->bios_path = val;
        } else if (!strcmp(a, "-option-rom")) {
            o->option_rom_path = val;
        } else if (!strcmp(a, "-fda") || !strcmp(a, "-fdb") || !strcmp(a, "-hda") || !strcmp(a, "-hdb")) {
            const char **slot = !strcmp(a, "-fda") ? &o->fda : !strcmp(a, "-fdb") ? &o->fdb
                              : !strcmp(a, "-hda") ? &o->hda : &o->hdb;
            if (*slot)
                return host_error("%s is given twice: one image per drive", argv[i]);
            *slot = val;
        } else if (!strcmp(a, "-cdrom")) {
            if (o->cdrom)
                return host_error("%s is given twice: one image per drive", argv[i]);
            o->cdrom = val;
        } else if (!strcmp(a, "-boot")) {
            o->boot_order = val;
        } else if (!strcmp(a, "-rtc")) {
            if (strncmp(val, "base=", 5) != 0)
                return host_error("bad -rtc '%s' (try -rtc base=2024-01-01 or base=utc)", val);
            o->rtc = val + 5;
        } else if (!strcmp(a, "-serial")) {
            if (o->serial_count == SERIAL_PORTS)
                return host_error("too many -serial options (%s): there are 4 COM ports", val);
            if (!serial_spec_parse(val, &o->serial[o->serial_count]))
                return host_error("unknown -serial '%s' (use stdio, file:PATH, pty or none)", val);
            o->serial_count++;
        } else if (!strcmp(a, "-d")) {
            if (!parse_log_items(val, o))
                return host_error("unknown -d items '%s' (known: unmapped, post, int, cpu_reset, exec)", val);
        } else if (!strcmp(a, "-D")) {
            o->log_file = val;
        } else if (!strcmp(a, "-explain")) {
            o->explain = true;
        } else if (!strcmp(a, "-gdb")) {
            if ((o->gdb_port = parse_gdb_device(val)) < 0)
                return host_error("bad -gdb '%s' (use tcp::PORT, PORT 0 for any free port)", val);
        } else if (!strcmp(a, "-monitor")) {
            if (strcmp(val, "stdio") != 0)
                return host_error("-monitor %s is not supported: only -monitor stdio", val);
            o->monitor = true;
        } else if (!strcmp(a, "-gdb-catch")) {
            char why[120];
            if (!debugger_parse_catch(val, &o->gdb_catch, why, sizeof(why)))
                return host_error("-gdb-catch: %s", why);
        } else if (!strcmp(a, "-s")) {
            o->gdb_port = 1234;
        } else if (!strcmp(a, "-S")) {
            o->gdb_wait = true;
        } else if (!strcmp(a, "-snapshot")) {
            o->snapshot = true;
        } else if (!strcmp(a, "-no-reboot")) {
            o->no_reboot = true;
        } else if (!strcmp(a, "-print-screen")) {
            o->print_screen = true;
        } else if (!strcmp(a, "-quiet")) {
            o->quiet = true;
        } else {
            return host_error("unknown option '%s' (see --help)", argv[i]);
        }
        if (takes_value)
            i++;
    }
    if (o->gdb_wait && o->gdb_port < 0)
        return host_error("%s needs a debugger to wait for: add -gdb tcp::PORT or -s", "-S");
    if (o->monitor && o->gdb_port >= 0)
        return host_error("%s: use either the monitor or the gdb stub, not both", "-monitor");
    if (o->gdb_catch && o->gdb_port < 0)
        return host_error("%s needs a debugger: add -gdb tcp::PORT or -s", "-gdb-catch");
    return 0;
}
