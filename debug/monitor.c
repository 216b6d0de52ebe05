/* SPDX-License-Identifier: MIT */
/*
 * The monitor's interpreter (monitor.h): splitting a line into words,
 * parsing addresses, the command table, running and stepping, and the
 * breakpoint, watch and catch commands on the engine of breakpoints.h.
 * The info, x and u commands are in monitor_info.c.  Every command checks
 * all its arguments before it changes anything, so a typo never disturbs
 * the guest.
 */
#include "monitor_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dbgmem.h"
#include "disasm.h"
#include "explain.h"

Monitor *monitor_create(Machine *m, Breakpoints *bp, FILE *out)
{
    Monitor *mon = calloc(1, sizeof(*mon));
    if (!mon)
        return NULL;
    *mon = (Monitor){ .m = m, .cpu = machine_cpu(m), .bp = bp, .out = out, .x_unit = 'w', .x_format = 'x' };
    return mon;
}

void monitor_destroy(Monitor *mon)
{
    free(mon);
}

void mon_error(Monitor *mon, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(mon->out, fmt, ap);
    va_end(ap);
    fputc('\n', mon->out);
}

/* ---- words, numbers and addresses ---- */

static bool split_args(Monitor *mon, const char *line, MonArgs *a)
{
    memset(a, 0, sizeof(*a));
    if (strlen(line) >= sizeof(a->buf)) {
        mon_error(mon, "the line is too long");
        return false;
    }
    strcpy(a->buf, line);
    char *p = a->buf;
    for (;;) {
        while (isspace((unsigned char)*p))
            *p++ = '\0';
        if (!*p || *p == '#')
            break;
        if (!strncmp(p, "if", 2) && (isspace((unsigned char)p[2]) || !p[2]) && a->argc > 0) {
            a->cond = p + 2;
            break;
        }
        if (a->argc == MON_MAX_ARGS) {
            mon_error(mon, "too many words");
            return false;
        }
        a->argv[a->argc++] = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
    }
    if (a->cond) {
        while (isspace((unsigned char)*a->cond))
            a->cond++;
        if (!*a->cond) {
            mon_error(mon, "'if' needs a condition, e.g. if eax == 5");
            return false;
        }
    }
    return true;
}

int mon_code_bits(const Cpu *cpu)
{
    if (!(cpu->cr0 & CR0_PE) || (cpu->eflags & EFLAGS_VM))
        return 16;
    return cpu->seg[SEG_CS].attr & SEG_ATTR_DB ? 32 : 16;
}

/* A register name's value through the expression language (one source of names). */
static bool register_value(Monitor *mon, const char *text, uint32_t *value)
{
    Expr e;
    char err[8];
    if (!isalpha((unsigned char)text[0]) || !expr_compile(&e, text, err, sizeof(err)) || e.count != 1)
        return false;
    *value = expr_eval(&e, mon->cpu, NULL);
    return true;
}

bool mon_parse_value(Monitor *mon, const char *text, uint32_t *value, const char *what)
{
    if (register_value(mon, text, value))
        return true;
    const char *p = text;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        p += 2;
    char *end;
    unsigned long long v = strtoull(p, &end, 16);
    if (end != p && (*end == 'h' || *end == 'H'))
        end++;
    if (end == p || *end || v > 0xFFFFFFFFull || !isxdigit((unsigned char)*p)) {
        mon_error(mon, "bad %s '%s' (hex, e.g. 7c00, 0x7c00 or 7c00h, or a register)", what, text);
        return false;
    }
    *value = (uint32_t)v;
    return true;
}

bool mon_parse_count(Monitor *mon, const char *text, uint32_t *value, const char *what)
{
    char *end;
    unsigned long long v = strtoull(text, &end, 0);
    if (!isdigit((unsigned char)text[0]) || *end || v > 0xFFFFFFFFull) {
        mon_error(mon, "bad %s '%s' (a number)", what, text);
        return false;
    }
    *value = (uint32_t)v;
    return true;
}

static const char *const seg_names[SEG_COUNT] = { "es", "cs", "ss", "ds", "fs", "gs" };

/* The base and code size a selector stands for: sel * 16 in real and V86
 * mode, else its descriptor in the GDT or LDT (read, never loaded). */
static bool selector_base(Monitor *mon, uint16_t sel, uint32_t *base, int *bits)
{
    Cpu *cpu = mon->cpu;
    if (!(cpu->cr0 & CR0_PE) || (cpu->eflags & EFLAGS_VM)) {
        *base = (uint32_t)sel << 4;
        *bits = 16;
        return true;
    }
    uint32_t table = sel & 4 ? cpu->ldtr.base : cpu->gdtr.base;
    uint32_t limit = sel & 4 ? cpu->ldtr.limit : cpu->gdtr.limit;
    uint32_t lo, hi;
    if ((sel & ~7u) + 7u > limit || !dbg_read_lin(cpu, table + (sel & ~7u), 4, &lo) ||
        !dbg_read_lin(cpu, table + (sel & ~7u) + 4, 4, &hi)) {
        mon_error(mon, "selector %04x is outside the %s or not mapped", sel, sel & 4 ? "LDT" : "GDT");
        return false;
    }
    *base = (lo >> 16) | (hi & 0xFF) << 16 | (hi & 0xFF000000u);
    *bits = hi & (1u << 22) ? 32 : 16;
    return true;
}

bool mon_parse_addr(Monitor *mon, const char *text, MonAddr *a)
{
    char seg[32], off[64];
    if (*text == '*')
        text++;
    memset(a, 0, sizeof(*a));
    a->bits = mon_code_bits(mon->cpu);
    const char *colon = strchr(text, ':');
    if (!colon)
        return mon_parse_value(mon, text, &a->lin, "address") && (a->offset = a->lin, true);
    if ((size_t)(colon - text) >= sizeof(seg) || strlen(colon + 1) >= sizeof(off)) {
        mon_error(mon, "bad address '%s'", text);
        return false;
    }
    memcpy(seg, text, (size_t)(colon - text));
    seg[colon - text] = '\0';
    strcpy(off, colon + 1);
    uint32_t base = 0, sel;
    a->has_seg = true;
    if (!mon_parse_value(mon, off, &a->offset, "offset"))
        return false;
    for (int s = 0; s < SEG_COUNT; s++) {
        if (!strcmp(seg, seg_names[s])) {
            a->sel = mon->cpu->seg[s].sel;
            a->lin = mon->cpu->seg[s].base + a->offset;
            if (s == SEG_CS)
                a->bits = mon_code_bits(mon->cpu);
            return true;
        }
    }
    if (!mon_parse_value(mon, seg, &sel, "selector"))
        return false;
    if (sel > 0xFFFF) {
        mon_error(mon, "bad selector '%s' (at most ffff)", seg);
        return false;
    }
    if (!selector_base(mon, (uint16_t)sel, &base, &a->bits))
        return false;
    a->sel = (uint16_t)sel;
    a->lin = base + a->offset;
    return true;
}

/* ---- the next instruction ---- */

size_t mon_disasm_at(Monitor *mon, uint32_t lin, uint32_t offset, int bits, char *text, size_t cap,
                     uint8_t *bytes)
{
    uint8_t local[16];
    uint8_t *b = bytes ? bytes : local;
    size_t n = dbg_read_linear(mon->cpu, lin, b, 15);
    if (n == 0) {
        snprintf(text, cap, "<not mapped>");
        return 0;
    }
    size_t len = disasm_one(b, n, offset, bits, text, cap);
    return len ? len : 1;
}

void monitor_describe_next(Monitor *mon, char *buf, size_t len)
{
    Cpu *cpu = mon->cpu;
    uint32_t lin = cpu->seg[SEG_CS].base + cpu->eip;
    char text[128];
    mon_disasm_at(mon, lin, cpu->eip, mon_code_bits(cpu), text, sizeof(text), NULL);
    snprintf(buf, len, "%04x:%08x (lin %08x): %s", cpu->seg[SEG_CS].sel, cpu->eip, lin, text);
}

static void print_next(Monitor *mon)
{
    char line[200];
    monitor_describe_next(mon, line, sizeof(line));
    fprintf(mon->out, "%s\n", line);
}

/* ---- running ---- */

/* s [N]: N instructions, into calls and interrupts; stops early at a
 * catch point or when the machine ends. */
static MonitorAction cmd_step(Monitor *mon, MonArgs *a)
{
    uint32_t n = 1;
    if (a->argc > 2) {
        mon_error(mon, "usage: s [N]");
        return MONITOR_STAY;
    }
    if (a->argc == 2 && !mon_parse_count(mon, a->argv[1], &n, "count"))
        return MONITOR_STAY;
    if (n == 0) {
        mon_error(mon, "bad count '0' (at least 1)");
        return MONITOR_STAY;
    }
    uint32_t i = 0;
    if (mon->cpu->exception_held) {
        /* A caught exception: the first step delivers it, to the handler's
         * first instruction (cpu_run delivers a held exception before it
         * runs anything; with no budget it runs nothing else). */
        bp_resume(mon->bp);
        cpu_run(mon->cpu, 0);
        i++;
    }
    for (; i < n; i++) {
        bp_resume(mon->bp);
        MachineStop stop = machine_step(mon->m);
        if (stop == MACHINE_STOP_DEBUG && bp_last_stop(mon->bp)->kind != BP_STOP_NONE) {
            monitor_report_stop(mon);
            return MONITOR_STAY;
        }
        if (stop != MACHINE_STOP_TIME && stop != MACHINE_STOP_DEBUG) {
            mon->end_stop = stop;
            return MONITOR_ENDED;
        }
    }
    print_next(mon);
    return MONITOR_STAY;
}

/* Instructions `next` steps over rather than into. */
static bool steps_over(const char *text)
{
    static const char *const over[] = { "call", "lcall", "int", "into", "rep", "loop" };
    for (size_t i = 0; i < sizeof(over) / sizeof(over[0]); i++)
        if (!strncmp(text, over[i], strlen(over[i])))
            return true;
    return false;
}

static MonitorAction run_to(Monitor *mon, uint16_t sel, uint32_t offset)
{
    BpSpec s = { .kind = BP_BREAK_SEGOFF, .sel = sel, .addr = offset, .ah = -1, .temporary = true };
    char err[128];
    if (!bp_add(mon->bp, &s, err, sizeof(err))) {
        mon_error(mon, "%s", err);
        return MONITOR_STAY;
    }
    return MONITOR_CONTINUE;
}

/* n: over CALL, INT, LOOP and REP by a temporary breakpoint after it. */
static MonitorAction cmd_next(Monitor *mon, MonArgs *a)
{
    Cpu *cpu = mon->cpu;
    char text[128];
    size_t len = mon_disasm_at(mon, cpu->seg[SEG_CS].base + cpu->eip, cpu->eip, mon_code_bits(cpu), text,
                               sizeof(text), NULL);
    if (len == 0 || !steps_over(text)) {
        MonArgs one = { .argc = 1 };
        return cmd_step(mon, &one);
    }
    uint32_t after = cpu->eip + (uint32_t)len;
    if (mon_code_bits(cpu) == 16)
        after &= 0xFFFF;
    return run_to(mon, cpu->seg[SEG_CS].sel, after);
}

static MonitorAction cmd_until(Monitor *mon, MonArgs *a)
{
    MonAddr addr;
    if (a->argc != 2) {
        mon_error(mon, "usage: until ADDR (SEG:OFF or a linear address)");
        return MONITOR_STAY;
    }
    if (!mon_parse_addr(mon, a->argv[1], &addr))
        return MONITOR_STAY;
    if (addr.has_seg)
        return run_to(mon, addr.sel, addr.offset);
    BpSpec s = { .kind = BP_BREAK_LINEAR, .addr = addr.lin, .ah = -1, .temporary = true };
    char err[128];
    if (!bp_add(mon->bp, &s, err, sizeof(err))) {
        mon_error(mon, "%s", err);
        return MONITOR_STAY;
    }
    return MONITOR_CONTINUE;
}

void monitor_report_stop(Monitor *mon)
{
    const BpStop *s = bp_last_stop(mon->bp);
    const Breakpoint *bp = bp_get(mon->bp, s->number);
    bool temporary = s->kind == BP_STOP_BREAK && !bp;  /* bp_last_stop deleted it */
    if (s->kind != BP_STOP_NONE && !temporary) {
        char why[200];
        bp_describe_stop(s, why, sizeof(why));
        fprintf(mon->out, "%s\n", why);
    }
    if (s->kind == BP_STOP_EXCEPTION)
        explain_fault(mon->m, &s->fault, mon->out);
    bp_delete_temporary(mon->bp);
    print_next(mon);
    fflush(mon->out);
}

void monitor_report_interrupt(Monitor *mon)
{
    bp_delete_temporary(mon->bp);
    fprintf(mon->out, "interrupted\n");
    print_next(mon);
    fflush(mon->out);
}

MachineStop monitor_machine_stop(const Monitor *mon)
{
    return mon->end_stop;
}

/* ---- breakpoints, watchpoints, catch points ---- */

static MonitorAction add_point(Monitor *mon, BpSpec *s)
{
    char err[160], line[200];
    int n = bp_add(mon->bp, s, err, sizeof(err));
    if (!n) {
        mon_error(mon, "%s", err);
        return MONITOR_STAY;
    }
    bp_describe(bp_get(mon->bp, n), line, sizeof(line));
    fprintf(mon->out, "%s\n", line);
    return MONITOR_STAY;
}

/* b/vb SEG:OFF, b/lb LIN, pb PHYS, each [if EXPR]. */
static MonitorAction cmd_break(Monitor *mon, MonArgs *a)
{
    const char *cmd = a->argv[0];
    if (a->argc != 2) {
        mon_error(mon, "usage: %s ADDR [if EXPR]", cmd);
        return MONITOR_STAY;
    }
    BpSpec s = { .ah = -1, .cond = a->cond };
    bool physical = !strcmp(cmd, "pb") || !strcmp(cmd, "pbreak");
    bool linear = !strcmp(cmd, "lb") || !strcmp(cmd, "lbreak");
    bool segoff = !strcmp(cmd, "vb") || !strcmp(cmd, "vbreak");
    MonAddr addr;
    if (!mon_parse_addr(mon, a->argv[1], &addr))
        return MONITOR_STAY;
    if ((physical || linear) && addr.has_seg) {
        mon_error(mon, "%s takes a %s address, not SEG:OFF", cmd, physical ? "physical" : "linear");
        return MONITOR_STAY;
    }
    if (segoff && !addr.has_seg) {
        mon_error(mon, "%s takes SEG:OFF", cmd);
        return MONITOR_STAY;
    }
    if (addr.has_seg) {
        s.kind = BP_BREAK_SEGOFF;
        s.sel = addr.sel;
        s.addr = addr.offset;
    } else {
        s.kind = physical ? BP_BREAK_PHYSICAL : BP_BREAK_LINEAR;
        s.addr = addr.lin;
    }
    return add_point(mon, &s);
}

static MonitorAction cmd_watch(Monitor *mon, MonArgs *a)
{
    const char *cmd = a->argv[0];
    uint32_t len = 1;
    MonAddr addr;
    if (a->argc < 2 || a->argc > 3) {
        mon_error(mon, "usage: %s ADDR [LEN] [if EXPR]", cmd);
        return MONITOR_STAY;
    }
    if (!mon_parse_addr(mon, a->argv[1], &addr) ||
        (a->argc == 3 && !mon_parse_count(mon, a->argv[2], &len, "length")))
        return MONITOR_STAY;
    BpSpec s = { .kind = cmd[0] == 'r' ? BP_WATCH_READ : cmd[0] == 'a' ? BP_WATCH_ACCESS : BP_WATCH_WRITE,
                 .addr = addr.lin, .len = len ? len : 1, .ah = -1, .cond = a->cond };
    return add_point(mon, &s);
}

static int exception_vector(const char *text)
{
    if (isdigit((unsigned char)text[0])) {
        char *end;
        long v = strtol(text, &end, 0);
        return *end || v < 0 || v > 31 ? -1 : (int)v;
    }
    if (text[0] == '#')
        text++;
    for (int v = 0; v < 32; v++) {
        const char *name = cpu_exception_name((unsigned)v);
        if (name && name[0] == '#' && !strcasecmp(name + 1, text))
            return v;
    }
    return -1;
}

/* catch exception N | int N [ah=XX] | io PORT[-PORT] | mode, each [if EXPR] */
static MonitorAction cmd_catch(Monitor *mon, MonArgs *a)
{
    BpSpec s = { .ah = -1, .cond = a->cond };
    const char *what = a->argc > 1 ? a->argv[1] : "";
    uint32_t v, last;
    if (!strcmp(what, "exception") && a->argc == 3) {
        int vec = exception_vector(a->argv[2]);
        if (vec < 0) {
            mon_error(mon, "bad exception '%s' (0-31 or a name such as gp, pf)", a->argv[2]);
            return MONITOR_STAY;
        }
        s.kind = BP_CATCH_EXCEPTION;
        s.addr = (uint32_t)vec;
    } else if (!strcmp(what, "int") && (a->argc == 3 || a->argc == 4)) {
        if (!mon_parse_value(mon, a->argv[2], &v, "interrupt vector"))
            return MONITOR_STAY;
        s.kind = BP_CATCH_INT;
        s.addr = v;
        if (a->argc == 4) {
            if (strncmp(a->argv[3], "ah=", 3) || !mon_parse_value(mon, a->argv[3] + 3, &v, "AH value") || v > 0xFF) {
                mon_error(mon, "usage: catch int N [ah=XX]");
                return MONITOR_STAY;
            }
            s.ah = (int)v;
        }
    } else if (!strcmp(what, "io") && a->argc == 3) {
        char *dash = strchr(a->argv[2], '-');
        if (dash)
            *dash = '\0';
        if (!mon_parse_value(mon, a->argv[2], &v, "port") || (dash && !mon_parse_value(mon, dash + 1, &last, "port")))
            return MONITOR_STAY;
        s.kind = BP_CATCH_IO;
        s.addr = v;
        s.len = dash ? last : v;
    } else if (!strcmp(what, "mode") && a->argc == 2) {
        s.kind = BP_CATCH_MODE;
    } else {
        mon_error(mon, "usage: catch exception N [if EXPR] | catch int N [ah=XX] | catch io PORT[-PORT] | catch mode");
        return MONITOR_STAY;
    }
    return add_point(mon, &s);
}

void mon_list_breakpoints(Monitor *mon)
{
    bool any = false;
    for (int i = 0; i < BP_MAX; i++) {
        const Breakpoint *bp = &mon->bp->bp[i];
        char line[200];
        if (!bp->number)
            continue;
        bp_describe(bp, line, sizeof(line));
        fprintf(mon->out, "%s\n", line);
        any = true;
    }
    if (!any)
        fprintf(mon->out, "no breakpoints, watchpoints or catch points\n");
}

/* delete [N], disable N, enable N */
static MonitorAction cmd_bp_state(Monitor *mon, MonArgs *a)
{
    const char *cmd = a->argv[0];
    bool del = !strcmp(cmd, "d") || !strcmp(cmd, "delete");
    uint32_t n;
    if (a->argc == 1 && del) {
        bp_delete_all(mon->bp);
        fprintf(mon->out, "deleted all breakpoints\n");
        return MONITOR_STAY;
    }
    if (a->argc != 2) {
        mon_error(mon, "usage: %s N", cmd);
        return MONITOR_STAY;
    }
    if (!mon_parse_count(mon, a->argv[1], &n, "breakpoint number"))
        return MONITOR_STAY;
    bool ok = del ? bp_delete(mon->bp, (int)n) : bp_enable(mon->bp, (int)n, cmd[0] == 'e');
    if (!ok)
        mon_error(mon, "no breakpoint number %u", n);
    return MONITOR_STAY;
}

/* explain: the last exception the CPU raised (or the shutdown's chain). */
static MonitorAction cmd_explain(Monitor *mon, MonArgs *a)
{
    Cpu *cpu = mon->cpu;
    const BpStop *s = &mon->bp->stop;
    if (s->kind == BP_STOP_EXCEPTION)
        explain_fault(mon->m, &s->fault, mon->out);
    else if (cpu->shutdown)
        explain_shutdown_cpu(cpu, mon->out);
    else if (cpu->last_fault.rule != 0)
        explain_fault(mon->m, &cpu->last_fault, mon->out);
    else
        fprintf(mon->out, "no exception so far\n");
    return MONITOR_STAY;
}

/* ---- removable media (QEMU's names: change and eject ide1-cd0) ---- */

static bool is_cdrom_name(const char *name)
{
    return !strcmp(name, "cdrom") || !strcmp(name, "ide1-cd0");
}

static MonitorAction cmd_change(Monitor *mon, MonArgs *a)
{
    char err[200];
    if (a->argc != 3 || !is_cdrom_name(a->argv[1])) {
        mon_error(mon, "usage: change cdrom FILE (an ISO image)");
        return MONITOR_STAY;
    }
    if (!machine_change_cdrom(mon->m, a->argv[2], err, sizeof(err)))
        mon_error(mon, "%s", err);
    else
        fprintf(mon->out, "cdrom: %s inserted\n", a->argv[2]);
    return MONITOR_STAY;
}

static MonitorAction cmd_eject(Monitor *mon, MonArgs *a)
{
    char err[200];
    if (a->argc != 2 || !is_cdrom_name(a->argv[1])) {
        mon_error(mon, "usage: eject cdrom");
        return MONITOR_STAY;
    }
    if (!machine_change_cdrom(mon->m, NULL, err, sizeof(err)))
        mon_error(mon, "%s", err);
    else
        fprintf(mon->out, "cdrom: ejected\n");
    return MONITOR_STAY;
}

/* ---- the command table ---- */

typedef struct MonCommand {
    const char *names;      /* '|' separated */
    MonitorAction (*run)(Monitor *mon, MonArgs *a);
    const char *usage, *help;
} MonCommand;

static MonitorAction cmd_continue(Monitor *mon, MonArgs *a) { return MONITOR_CONTINUE; }
static MonitorAction cmd_quit(Monitor *mon, MonArgs *a) { return MONITOR_QUIT; }
static MonitorAction cmd_info(Monitor *mon, MonArgs *a) { mon_cmd_info(mon, a); return MONITOR_STAY; }
static MonitorAction cmd_regs(Monitor *mon, MonArgs *a) { mon_cmd_regs(mon); return MONITOR_STAY; }
static MonitorAction cmd_sregs(Monitor *mon, MonArgs *a) { mon_cmd_sregs(mon); return MONITOR_STAY; }
static MonitorAction cmd_x(Monitor *mon, MonArgs *a) { mon_cmd_x(mon, a, false); return MONITOR_STAY; }
static MonitorAction cmd_xp(Monitor *mon, MonArgs *a) { mon_cmd_x(mon, a, true); return MONITOR_STAY; }
static MonitorAction cmd_disasm(Monitor *mon, MonArgs *a) { mon_cmd_disasm(mon, a); return MONITOR_STAY; }
static MonitorAction cmd_page(Monitor *mon, MonArgs *a) { mon_cmd_page(mon, a); return MONITOR_STAY; }
static MonitorAction cmd_help(Monitor *mon, MonArgs *a);

static const MonCommand commands[] = {
    { "c|continue|cont", cmd_continue, "c", "run until a breakpoint, watch or catch point (Ctrl-C stops)" },
    { "s|step|si|stepi", cmd_step, "s [N]", "execute N instructions (default 1), into calls and interrupts" },
    { "n|next|p", cmd_next, "n", "one instruction, stepping over CALL, INT, LOOP and REP" },
    { "until", cmd_until, "until ADDR", "run until ADDR (SEG:OFF or linear)" },
    { "b|break", cmd_break, "b ADDR [if EXPR]", "breakpoint at SEG:OFF or a linear address" },
    { "vb|vbreak", cmd_break, "vb SEG:OFF [if EXPR]", "breakpoint at CS selector SEG, offset OFF" },
    { "lb|lbreak", cmd_break, "lb LIN [if EXPR]", "breakpoint at a linear address" },
    { "pb|pbreak", cmd_break, "pb PHYS [if EXPR]", "breakpoint at a physical address" },
    { "watch", cmd_watch, "watch ADDR [LEN] [if EXPR]", "stop after a write to LEN bytes at ADDR" },
    { "rwatch", cmd_watch, "rwatch ADDR [LEN] [if EXPR]", "stop after a read" },
    { "awatch", cmd_watch, "awatch ADDR [LEN] [if EXPR]", "stop after a read or write" },
    { "catch", cmd_catch, "catch exception N|int N [ah=XX]|io P[-P]|mode",
      "stop at a CPU exception (before delivery), INT n, port access, or mode change" },
    { "delete|d", cmd_bp_state, "delete [N]", "delete breakpoint N (all without N)" },
    { "disable", cmd_bp_state, "disable N", "disable breakpoint N" },
    { "enable", cmd_bp_state, "enable N", "enable breakpoint N" },
    { "info|i", cmd_info, "info WHAT", "breakpoints registers sregs cr dr msr fpu gdt idt ldt tss tlb mem" },
    { "r|registers|regs", cmd_regs, "r", "general registers, EIP and EFLAGS" },
    { "sreg|sregs", cmd_sregs, "sreg", "segment registers with their hidden caches" },
    { "x", cmd_x, "x /NUF ADDR", "dump linear memory: N units U (b h w g) as F (x d u c i)" },
    { "xp", cmd_xp, "xp /NUF ADDR", "the same at a physical address" },
    { "u|disasm|disassemble", cmd_disasm, "u [ADDR] [N]", "disassemble N instructions (default 8) at CS:EIP or ADDR" },
    { "page", cmd_page, "page ADDR", "the page walk of a linear address, level by level" },
    { "explain", cmd_explain, "explain", "explain the last exception (or the shutdown)" },
    { "change", cmd_change, "change cdrom FILE", "put the ISO image FILE in the CD-ROM drive" },
    { "eject", cmd_eject, "eject cdrom", "take the disc out of the CD-ROM drive" },
    { "help|h|?", cmd_help, "help", "this list" },
    { "q|quit|exit", cmd_quit, "q", "end the emulator" },
};

static bool name_matches(const char *names, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = names; *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && !strncmp(p, word, n))
            return true;
        p += len + (bar ? 1 : 0);
    }
    return false;
}

static MonitorAction cmd_help(Monitor *mon, MonArgs *a)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(mon->out, "  %-44s %s\n", commands[i].usage, commands[i].help);
    fprintf(mon->out, "Addresses are hex (7c00, 0x7c00, 7c00h), SEG:OFF (0008:1000, cs:eip) or a register;\n"
                      "counts are decimal.  EXPR: registers (eax ax al eip eflags cs cr0 cr2 cr3 cpl; error,\n"
                      "vector in catch exception), numbers (0x hex or decimal), == != < <= > >= & && || ! ( ).\n");
    return MONITOR_STAY;
}

MonitorAction monitor_execute(Monitor *mon, const char *line)
{
    MonArgs a;
    MonitorAction action = MONITOR_STAY;
    if (!split_args(mon, line, &a) || a.argc == 0) {
        fflush(mon->out);
        return MONITOR_STAY;
    }
    /* gdb's x/16xb: the format glued to the command */
    char *slash = strchr(a.argv[0], '/');
    char cmd_word[16];
    if (slash && slash != a.argv[0] && (size_t)(slash - a.argv[0]) < sizeof(cmd_word) && a.argc < MON_MAX_ARGS) {
        memmove(&a.argv[2], &a.argv[1], sizeof(a.argv[0]) * (size_t)(a.argc - 1));
        a.argv[1] = slash;
        a.argc++;
        memcpy(cmd_word, a.argv[0], (size_t)(slash - a.argv[0]));
        cmd_word[slash - a.argv[0]] = '\0';
        a.argv[0] = cmd_word;
    }
    const MonCommand *c = NULL;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]) && !c; i++)
        if (name_matches(commands[i].names, a.argv[0]))
            c = &commands[i];
    if (!c)
        mon_error(mon, "unknown command '%s' (try help)", a.argv[0]);
    else if (a.cond && c->run != cmd_break && c->run != cmd_watch && c->run != cmd_catch)
        mon_error(mon, "%s takes no condition", a.argv[0]);
    else
        action = c->run(mon, &a);
    fflush(mon->out);
    return action;
}

void monitor_prompt(Monitor *mon)
{
    fputs("(faultline) ", mon->out);
    fflush(mon->out);
}

MonitorAction monitor_interact(Monitor *mon, FILE *in, bool echo)
{
    char line[512];
    for (;;) {
        monitor_prompt(mon);
        if (!fgets(line, sizeof(line), in)) {
            fputc('\n', mon->out);
            return MONITOR_QUIT;
        }
        line[strcspn(line, "\r\n")] = '\0';
        if (echo)
            fprintf(mon->out, "%s\n", line);
        MonitorAction action = monitor_execute(mon, line);
        if (action != MONITOR_STAY)
            return action;
    }
}
