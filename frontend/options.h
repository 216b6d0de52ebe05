/* SPDX-License-Identifier: MIT */
/* The faultline command line: QEMU's spelling where QEMU has the flag. */
#ifndef FAULTLINE_OPTIONS_H
#define FAULTLINE_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "serial.h"

#define EXIT_HOST_ERROR 2
#define EXIT_BUDGET 3
#define EXIT_SHUTDOWN 4

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
    const char *until;
    const char *send;
    bool print_screen;
    const char *bios_path, *option_rom_path;
    const char *fda, *fdb, *hda, *hdb;
    const char *cdrom;              /* -cdrom: ISO image on the secondary IDE master */
    const char *boot_order;
    bool snapshot, no_reboot;
    const char *rtc;        /* -rtc base=...: NULL for the default */
    SerialSpec serial[SERIAL_PORTS];    /* -serial, in COM1-COM4 order */
    int serial_count;
    bool log_unmapped;      /* -d unmapped */
    bool log_post;          /* -d post */
    unsigned trace_items;   /* -d int,cpu_reset,exec: TRACE_* of debug/trace.h */
    const char *log_file;   /* -D FILE: all -d output (and --explain) goes there */
    bool explain;           /* --explain: explain every CPU exception */
    int gdb_port;           /* -gdb tcp::PORT or -s: -1 for no gdb stub, 0 for any free port */
    bool gdb_wait;          /* -S: wait for the debugger before the first instruction */
    uint32_t gdb_catch;     /* -gdb-catch: exception vectors (bit n: vector n) that stop the guest in gdb */
    bool monitor;           /* -monitor stdio: the monitor on the terminal, guest stopped at start */
} Options;

/* Parses argv; returns 0, or EXIT_HOST_ERROR after printing one line.
 * --help and --version print and exit(0). */
int options_parse(int argc, char **argv, Options *o);

#endif
