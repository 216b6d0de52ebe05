/* SPDX-License-Identifier: MIT */
/*
 * The breakpoint engine of breakpoints.h.  It is a CpuDebugHooks client:
 * before_insn checks execution breakpoints and mode changes, exception and
 * interrupt check catch points, data_access watchpoints, port_access I/O
 * catch points.  A hook that matches records the stop and asks the run loop
 * to end (before the instruction, or after it through cpu->debug_stop).
 * The hooks stay detached while nothing is enabled, so the run loop pays for
 * the engine only while it is used.  Addresses are translated and values
 * read with the debugger's reads (dbgmem.h): nothing in the guest changes
 * because it is being watched.
 */
#include "breakpoints.h"

#include <stdio.h>
#include <string.h>

#include "dbgmem.h"

unsigned bp_current_mode(const Cpu *cpu)
{
    return (cpu->cr0 & CR0_PE ? BP_MODE_PE : 0) | (cpu->cr0 & CR0_PG ? BP_MODE_PG : 0) |
           (cpu->eflags & EFLAGS_VM ? BP_MODE_VM : 0);
}

const char *bp_mode_name(unsigned mode)
{
    static const char *const names[8] = {
        "real", "protected", "real+paging", "protected+paging",
        "real (VM set)", "v86", "real+paging (VM set)", "v86+paging",
    };
    return names[mode & 7];
}

/* ---- the hooks ---- */

static bool is_break(BpKind k) { return k <= BP_BREAK_PHYSICAL; }
static bool is_watch(BpKind k) { return k >= BP_WATCH_WRITE && k <= BP_WATCH_ACCESS; }

/* Counts the hit and fills the common part of the stop record. */
static void record(Breakpoints *b, Breakpoint *bp, BpStopKind kind)
{
    bp->hits++;
    b->stop = (BpStop){ .kind = kind, .number = bp->number, .icount = b->cpu->icount };
}

static bool break_matches(Cpu *cpu, const Breakpoint *bp, uint32_t lin)
{
    switch (bp->spec.kind) {
    case BP_BREAK_SEGOFF:
        return cpu->seg[SEG_CS].sel == bp->spec.sel && cpu->eip == (uint32_t)bp->spec.addr;
    case BP_BREAK_LINEAR:
        return lin == (uint32_t)bp->spec.addr;
    case BP_BREAK_PHYSICAL: {
        uint64_t phys;
        return cpu_debug_translate(cpu, lin, &phys) && phys == bp->spec.addr;
    }
    default:
        return false;
    }
}

static bool hook_before_insn(void *ctx, Cpu *cpu)
{
    Breakpoints *b = ctx;
    unsigned mode = bp_current_mode(cpu);
    unsigned old_mode = b->prev_mode;
    b->prev_mode = mode;
    bool resumed_here = cpu->icount == b->resume_icount && cpu->eip == b->resume_eip &&
                        cpu->seg[SEG_CS].sel == b->resume_cs;
    uint32_t lin = cpu->seg[SEG_CS].base + cpu->eip;
    for (int i = 0; i < BP_MAX; i++) {
        Breakpoint *bp = &b->bp[i];
        if (!bp->number || !bp->enabled)
            continue;
        if (bp->spec.kind == BP_CATCH_MODE && mode != old_mode && expr_eval(&bp->cond, cpu, NULL)) {
            record(b, bp, BP_STOP_MODE);
            b->stop.old_mode = old_mode;
            b->stop.new_mode = mode;
            b->stop.addr = lin;
            return true;
        }
        if (is_break(bp->spec.kind) && !resumed_here && break_matches(cpu, bp, lin) &&
            expr_eval(&bp->cond, cpu, NULL)) {
            record(b, bp, BP_STOP_BREAK);
            b->stop.addr = lin;
            return true;
        }
    }
    return false;
}

static bool hook_exception(void *ctx, Cpu *cpu, const FaultRecord *fault)
{
    Breakpoints *b = ctx;
    for (int i = 0; i < BP_MAX; i++) {
        Breakpoint *bp = &b->bp[i];
        if (bp->number && bp->enabled && bp->spec.kind == BP_CATCH_EXCEPTION &&
            bp->spec.addr == fault->vector && expr_eval(&bp->cond, cpu, fault)) {
            record(b, bp, BP_STOP_EXCEPTION);
            b->stop.vector = fault->vector;
            b->stop.fault = *fault;
            b->stop.addr = cpu->seg[SEG_CS].base + cpu->eip;
            return true;
        }
    }
    return false;
}

static void hook_interrupt(void *ctx, Cpu *cpu, unsigned vector, CpuInterruptKind kind)
{
    Breakpoints *b = ctx;
    if (kind != CPU_INT_SOFTWARE || b->stop.kind != BP_STOP_NONE)
        return;
    uint8_t ah = (uint8_t)(cpu->gpr[REG_EAX] >> 8);
    for (int i = 0; i < BP_MAX; i++) {
        Breakpoint *bp = &b->bp[i];
        if (bp->number && bp->enabled && bp->spec.kind == BP_CATCH_INT && bp->spec.addr == vector &&
            (bp->spec.ah < 0 || bp->spec.ah == ah) && expr_eval(&bp->cond, cpu, NULL)) {
            record(b, bp, BP_STOP_INT);
            b->stop.vector = vector;
            b->stop.ah = ah;
            cpu->debug_stop = true;
            return;
        }
    }
}

static void hook_data_access(void *ctx, Cpu *cpu, uint32_t lin, unsigned size, bool write)
{
    Breakpoints *b = ctx;
    if (b->stop.kind != BP_STOP_NONE)
        return;     /* the first access of the instruction is the one reported */
    for (int i = 0; i < BP_MAX; i++) {
        Breakpoint *bp = &b->bp[i];
        BpKind k = bp->spec.kind;
        if (!bp->number || !bp->enabled || !is_watch(k))
            continue;
        if ((k == BP_WATCH_WRITE && !write) || (k == BP_WATCH_READ && write))
            continue;
        uint64_t start = bp->spec.addr, end = start + (bp->spec.len ? bp->spec.len : 1);
        if ((uint64_t)lin + size <= start || lin >= end || !expr_eval(&bp->cond, cpu, NULL))
            continue;
        record(b, bp, BP_STOP_WATCH);
        b->stop.addr = lin;
        b->stop.size = size;
        b->stop.write = write;
        if (write) {
            uint8_t bytes[8] = { 0 };
            dbg_read_linear(cpu, lin, bytes, size < 8 ? size : 8);
            memcpy(&b->stop.old_value, bytes, 8);
            b->watch_pending = true;
        }
        cpu->debug_stop = true;
        return;
    }
}

static void hook_port_access(void *ctx, Cpu *cpu, uint16_t port, unsigned size, bool write)
{
    Breakpoints *b = ctx;
    if (b->stop.kind != BP_STOP_NONE)
        return;
    for (int i = 0; i < BP_MAX; i++) {
        Breakpoint *bp = &b->bp[i];
        if (!bp->number || !bp->enabled || bp->spec.kind != BP_CATCH_IO)
            continue;
        uint32_t last = bp->spec.len ? bp->spec.len : (uint32_t)bp->spec.addr;
        if (port < bp->spec.addr || port > last || !expr_eval(&bp->cond, cpu, NULL))
            continue;
        record(b, bp, BP_STOP_IO);
        b->stop.port = port;
        b->stop.size = size;
        b->stop.write = write;
        cpu->debug_stop = true;
        return;
    }
}

/* Attaches the hooks while anything is enabled; keeps the data hook on only
 * while a watchpoint is (another client may want it too: we clear only what
 * we set). */
static void update_hooks(Breakpoints *b)
{
    bool any = false, watch = false;
    for (int i = 0; i < BP_MAX; i++) {
        if (b->bp[i].number && b->bp[i].enabled) {
            any = true;
            watch |= is_watch(b->bp[i].spec.kind);
        }
    }
    if (any && !b->attached) {
        b->prev_mode = bp_current_mode(b->cpu);
        b->attached = cpu_debug_attach(b->cpu, &b->hooks);
    } else if (!any && b->attached) {
        cpu_debug_detach(b->cpu, &b->hooks);
        b->attached = false;
    }
    if (watch && !b->cpu->debug_watch_data) {
        b->cpu->debug_watch_data = true;
        b->own_watch_flag = true;
    } else if (!watch && b->own_watch_flag) {
        b->cpu->debug_watch_data = false;
        b->own_watch_flag = false;
    }
}

void bp_init(Breakpoints *b, Cpu *cpu)
{
    memset(b, 0, sizeof(*b));
    b->cpu = cpu;
    b->next_number = 1;
    b->hooks = (CpuDebugHooks){ .ctx = b, .before_insn = hook_before_insn, .exception = hook_exception,
                                .interrupt = hook_interrupt, .data_access = hook_data_access,
                                .port_access = hook_port_access };
    b->resume_icount = UINT64_MAX;
    b->prev_mode = bp_current_mode(cpu);
}

void bp_fini(Breakpoints *b)
{
    bp_delete_all(b);
}

/* ---- the table ---- */

static bool check_spec(const BpSpec *s, char *err, size_t err_len)
{
    if (s->kind == BP_CATCH_EXCEPTION && s->addr > 31) {
        snprintf(err, err_len, "exception vectors are 0-31");
        return false;
    }
    if (s->kind == BP_CATCH_INT && s->addr > 255) {
        snprintf(err, err_len, "interrupt vectors are 0-255");
        return false;
    }
    if (s->kind == BP_CATCH_IO && (s->addr > 0xFFFF || s->len > 0xFFFF || (s->len && s->len < s->addr))) {
        snprintf(err, err_len, "ports are 0-ffff, first-last");
        return false;
    }
    if (is_watch(s->kind) && (s->addr > 0xFFFFFFFFull || s->len > 0x10000)) {
        snprintf(err, err_len, "a watchpoint covers at most 64 KiB of linear addresses");
        return false;
    }
    if ((s->kind == BP_BREAK_LINEAR || s->kind == BP_BREAK_SEGOFF) && s->addr > 0xFFFFFFFFull) {
        snprintf(err, err_len, "the address is beyond 4 GiB");
        return false;
    }
    return true;
}

int bp_add(Breakpoints *b, const BpSpec *spec, char *err, size_t err_len)
{
    if (!check_spec(spec, err, err_len))
        return 0;
    Breakpoint *bp = NULL;
    for (int i = 0; i < BP_MAX && !bp; i++)
        if (!b->bp[i].number)
            bp = &b->bp[i];
    if (!bp) {
        snprintf(err, err_len, "all %d breakpoints are in use: delete one", BP_MAX);
        return 0;
    }
    Breakpoint fresh = { .spec = *spec, .enabled = true };
    if (spec->cond && strlen(spec->cond) >= sizeof(fresh.cond_text)) {
        snprintf(err, err_len, "the condition is too long");
        return 0;
    }
    if (!expr_compile(&fresh.cond, spec->cond, err, err_len))
        return 0;
    snprintf(fresh.cond_text, sizeof(fresh.cond_text), "%s", spec->cond ? spec->cond : "");
    fresh.spec.cond = NULL;
    fresh.number = b->next_number++;
    *bp = fresh;
    bp->spec.cond = bp->cond_text;
    update_hooks(b);
    return bp->number;
}

static Breakpoint *find_number(Breakpoints *b, int number)
{
    for (int i = 0; i < BP_MAX && number > 0; i++)
        if (b->bp[i].number == number)
            return &b->bp[i];
    return NULL;
}

const Breakpoint *bp_get(const Breakpoints *b, int number)
{
    return find_number((Breakpoints *)b, number);
}

bool bp_delete(Breakpoints *b, int number)
{
    Breakpoint *bp = find_number(b, number);
    if (!bp)
        return false;
    memset(bp, 0, sizeof(*bp));
    update_hooks(b);
    return true;
}

bool bp_enable(Breakpoints *b, int number, bool enabled)
{
    Breakpoint *bp = find_number(b, number);
    if (!bp)
        return false;
    bp->enabled = enabled;
    update_hooks(b);
    return true;
}

void bp_delete_all(Breakpoints *b)
{
    for (int i = 0; i < BP_MAX; i++)
        memset(&b->bp[i], 0, sizeof(b->bp[i]));
    update_hooks(b);
}

void bp_delete_temporary(Breakpoints *b)
{
    for (int i = 0; i < BP_MAX; i++)
        if (b->bp[i].number && b->bp[i].spec.temporary)
            memset(&b->bp[i], 0, sizeof(b->bp[i]));
    update_hooks(b);
}

int bp_find(const Breakpoints *b, BpKind kind, uint64_t addr, uint32_t len)
{
    for (int i = 0; i < BP_MAX; i++) {
        const Breakpoint *bp = &b->bp[i];
        if (bp->number && bp->spec.kind == kind && bp->spec.addr == addr && (!len || bp->spec.len == len))
            return bp->number;
    }
    return 0;
}

bool bp_any(const Breakpoints *b)
{
    for (int i = 0; i < BP_MAX; i++)
        if (b->bp[i].number && b->bp[i].enabled)
            return true;
    return false;
}

/* ---- running and stopping ---- */

void bp_resume(Breakpoints *b)
{
    Cpu *cpu = b->cpu;
    b->stop = (BpStop){ .kind = BP_STOP_NONE };
    b->watch_pending = false;
    b->resume_icount = cpu->icount;
    b->resume_cs = cpu->seg[SEG_CS].sel;
    b->resume_eip = cpu->eip;
    b->prev_mode = bp_current_mode(cpu);
}

const BpStop *bp_last_stop(Breakpoints *b)
{
    if (b->watch_pending) {
        uint8_t bytes[8] = { 0 };
        unsigned n = b->stop.size < 8 ? b->stop.size : 8;
        dbg_read_linear(b->cpu, b->stop.addr, bytes, n);
        memcpy(&b->stop.new_value, bytes, 8);
        b->watch_pending = false;
    }
    for (int i = 0; i < BP_MAX; i++) {
        Breakpoint *bp = &b->bp[i];
        if (b->stop.kind != BP_STOP_NONE && bp->number == b->stop.number && bp->spec.temporary) {
            memset(bp, 0, sizeof(*bp));
            update_hooks(b);
        }
    }
    return &b->stop;
}

/* ---- text ---- */

const char *bp_kind_name(BpKind kind)
{
    static const char *const names[] = {
        [BP_BREAK_SEGOFF] = "break", [BP_BREAK_LINEAR] = "lbreak", [BP_BREAK_PHYSICAL] = "pbreak",
        [BP_WATCH_WRITE] = "watch", [BP_WATCH_READ] = "rwatch", [BP_WATCH_ACCESS] = "awatch",
        [BP_CATCH_EXCEPTION] = "catch exception", [BP_CATCH_INT] = "catch int",
        [BP_CATCH_IO] = "catch io", [BP_CATCH_MODE] = "catch mode",
    };
    return kind <= BP_CATCH_MODE ? names[kind] : "?";
}

/* The "where" part of a breakpoint: address, range, vector or ports. */
static void describe_target(const BpSpec *s, char *buf, size_t len)
{
    switch (s->kind) {
    case BP_BREAK_SEGOFF:
        snprintf(buf, len, "%04x:%08x", s->sel, (uint32_t)s->addr);
        break;
    case BP_BREAK_LINEAR:
        snprintf(buf, len, "lin %08x", (uint32_t)s->addr);
        break;
    case BP_BREAK_PHYSICAL:
        snprintf(buf, len, "phys %08llx", (unsigned long long)s->addr);
        break;
    case BP_WATCH_WRITE: case BP_WATCH_READ: case BP_WATCH_ACCESS:
        snprintf(buf, len, "lin %08x len %u", (uint32_t)s->addr, s->len ? s->len : 1);
        break;
    case BP_CATCH_EXCEPTION:
        snprintf(buf, len, "%u (%s)", (unsigned)s->addr, cpu_exception_name((unsigned)s->addr));
        break;
    case BP_CATCH_INT:
        if (s->ah >= 0)
            snprintf(buf, len, "%02xh ah=%02xh", (unsigned)s->addr, (unsigned)s->ah);
        else
            snprintf(buf, len, "%02xh", (unsigned)s->addr);
        break;
    case BP_CATCH_IO:
        if (s->len && s->len != s->addr)
            snprintf(buf, len, "ports %04x-%04x", (unsigned)s->addr, (unsigned)s->len);
        else
            snprintf(buf, len, "port %04x", (unsigned)s->addr);
        break;
    case BP_CATCH_MODE:
        snprintf(buf, len, "mode changes");
        break;
    }
}

void bp_describe(const Breakpoint *bp, char *buf, size_t len)
{
    char target[64];
    describe_target(&bp->spec, target, sizeof(target));
    snprintf(buf, len, "%-3d %-16s %-28s %s  hits %llu%s%s%s", bp->number, bp_kind_name(bp->spec.kind), target,
             bp->enabled ? "enabled " : "disabled", (unsigned long long)bp->hits,
             bp->cond_text[0] ? "  if " : "", bp->cond_text, bp->spec.temporary ? "  (temporary)" : "");
}

void bp_describe_stop(const BpStop *s, char *buf, size_t len)
{
    unsigned digits = (s->size < 8 ? s->size : 8) * 2;
    switch (s->kind) {
    case BP_STOP_NONE:
        snprintf(buf, len, "stopped");
        break;
    case BP_STOP_BREAK:
        snprintf(buf, len, "breakpoint %d at lin %08x", s->number, s->addr);
        break;
    case BP_STOP_WATCH:
        if (s->write)
            snprintf(buf, len, "watchpoint %d: write of %u byte%s at lin %08x: %0*llx -> %0*llx", s->number,
                     s->size, s->size == 1 ? "" : "s", s->addr, digits, (unsigned long long)s->old_value,
                     digits, (unsigned long long)s->new_value);
        else
            snprintf(buf, len, "watchpoint %d: read of %u byte%s at lin %08x", s->number, s->size,
                     s->size == 1 ? "" : "s", s->addr);
        break;
    case BP_STOP_EXCEPTION:
        if (s->fault.has_error_code)
            snprintf(buf, len, "catchpoint %d: exception %s(%04x) at %04x:%08x", s->number,
                     cpu_exception_name(s->vector), s->fault.error_code, s->fault.cs, s->fault.eip);
        else
            snprintf(buf, len, "catchpoint %d: exception %s at %04x:%08x", s->number,
                     cpu_exception_name(s->vector), s->fault.cs, s->fault.eip);
        break;
    case BP_STOP_INT:
        snprintf(buf, len, "catchpoint %d: software interrupt %02xh (ah=%02xh)", s->number, s->vector, s->ah);
        break;
    case BP_STOP_IO:
        snprintf(buf, len, "catchpoint %d: %s of %u byte%s at port %04x", s->number, s->write ? "out" : "in",
                 s->size, s->size == 1 ? "" : "s", s->port);
        break;
    case BP_STOP_MODE:
        snprintf(buf, len, "catchpoint %d: mode change %s -> %s", s->number, bp_mode_name(s->old_mode),
                 bp_mode_name(s->new_mode));
        break;
    }
}
