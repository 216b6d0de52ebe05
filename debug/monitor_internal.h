/* SPDX-License-Identifier: MIT */
/*
 * What the monitor's files share: the Monitor itself, a parsed command line
 * and the address parser.  Not a public header (monitor.h is).
 */
#ifndef FAULTLINE_MONITOR_INTERNAL_H
#define FAULTLINE_MONITOR_INTERNAL_H

#include "monitor.h"

enum { MON_MAX_ARGS = 8 };

struct Monitor {
    Machine *m;
    Cpu *cpu;
    Breakpoints *bp;
    FILE *out;
    MachineStop end_stop;   /* after MONITOR_ENDED */
    char x_unit, x_format;  /* the last x's (gdb remembers them) */
};

/* A command line split into words; `cond` is the text after a word "if". */
typedef struct MonArgs {
    int argc;
    char *argv[MON_MAX_ARGS];
    const char *cond;
    char buf[256];
} MonArgs;

/* An address as the user wrote it: SEG:OFF (SEG a selector or a segment
 * register) or a linear address; numbers are hex, register names allowed. */
typedef struct MonAddr {
    bool has_seg;
    uint16_t sel;
    uint32_t offset;
    uint32_t lin;           /* base + offset, or the number itself */
    int bits;               /* 16 or 32: the code size to disassemble with */
} MonAddr;

bool mon_parse_addr(Monitor *mon, const char *text, MonAddr *a);
/* A hex number (0x prefix or h suffix optional) or a register; false after
 * printing a one-line message naming what (e.g. "address"). */
bool mon_parse_value(Monitor *mon, const char *text, uint32_t *value, const char *what);
bool mon_parse_count(Monitor *mon, const char *text, uint32_t *value, const char *what);
void mon_error(Monitor *mon, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int mon_code_bits(const Cpu *cpu);
/* Disassembles the instruction at a linear address into text; its length
 * (0 when not mapped, text then says so). */
size_t mon_disasm_at(Monitor *mon, uint32_t lin, uint32_t offset, int bits, char *text, size_t cap,
                     uint8_t *bytes);

void mon_list_breakpoints(Monitor *mon);

/* monitor_info.c */
void mon_cmd_info(Monitor *mon, MonArgs *a);
void mon_cmd_regs(Monitor *mon);
void mon_cmd_sregs(Monitor *mon);
void mon_cmd_x(Monitor *mon, MonArgs *a, bool physical);
void mon_cmd_disasm(Monitor *mon, MonArgs *a);
void mon_cmd_page(Monitor *mon, MonArgs *a);

#endif
