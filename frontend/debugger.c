/* SPDX-License-Identifier: MIT */
/*
 * The gdb stub in the run loop.  gdb's breakpoints and watchpoints become
 * entries of the breakpoint engine (debug/breakpoints.h), a debug client on
 * the CPU, so the guest runs in whole slices at full speed and the engine
 * stops it: before an instruction at a breakpoint's linear address, after
 * an instruction whose data access touched a watched range, or before a
 * caught CPU exception is delivered (the engine holds it; resuming
 * delivers it, so the guest's own handler runs).  Exceptions stop the guest
 * only when asked for (-gdb-catch, "monitor catch exception N"): by default
 * the guest handles its own faults, as under QEMU.  A CPU shutdown (triple
 * fault) first stops with SIGSEGV so the state can be read, and the next
 * resume ends the run as "terminated with SIGSEGV".
 */
#include "debugger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "breakpoints.h"
#include "gdbstub.h"
#include "monitor.h"

/* A breakpoint or watchpoint gdb inserted, and the engine's number for it. */
typedef struct GdbPoint {
    GdbPointType type;
    uint32_t addr, len;
    int number;
} GdbPoint;

struct Debugger {
    GdbStub *stub;
    Machine *machine;
    Cpu *cpu;
    Breakpoints bp;
    GdbPoint points[BP_MAX];
    int point_count;
    bool wait_for_attach;       /* -S: do not run before a debugger has attached */
    bool shutdown_held;         /* the CPU shut down: gdb saw SIGSEGV, a resume ends the run */
};

/* ---- registers: the machine's debug registers and the x87 state ---- */

static size_t put_le(uint8_t *buf, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++, v >>= 8)
        buf[i] = (uint8_t)v;
    return n;
}

static size_t fpu_reg(const Fpu *f, int regno, uint8_t *buf)
{
    if (regno < GDB_REG_FCTRL) {        /* ST(i) is physical R[(TOP + i) & 7] */
        unsigned top = (f->status & FSW_TOP) >> FSW_TOP_SHIFT;
        const Float80 *st = &f->reg[(top + (unsigned)(regno - GDB_REG_ST0)) & 7];
        put_le(buf, st->significand, 8);
        return 8 + put_le(buf + 8, st->sign_exp, 2);
    }
    const uint32_t values[8] = { f->control, f->status, f->tag, f->last_cs,
                                 f->last_ip, f->last_ds, f->last_dp, f->last_opcode };
    return put_le(buf, values[regno - GDB_REG_FCTRL], 4);
}

static size_t target_read_reg(void *ctx, int regno, uint8_t *buf)
{
    Debugger *d = ctx;
    if (regno < GDB_CORE_REGS)
        return put_le(buf, machine_debug_get_reg(d->machine, (MachineReg)regno), 4);
    if (regno < GDB_REG_CR0)
        return fpu_reg(&d->cpu->fpu, regno, buf);
    if (regno < GDB_REG_COUNT)
        return put_le(buf, machine_debug_get_reg(d->machine, (MachineReg)(MACHINE_REG_CR0 + regno - GDB_REG_CR0)), 4);
    return 0;
}

static bool target_write_reg(void *ctx, int regno, uint32_t value)
{
    Debugger *d = ctx;
    return regno < GDB_CORE_REGS && machine_debug_set_reg(d->machine, (MachineReg)regno, value);
}

_Static_assert((int)MACHINE_REG_CR0 == (int)GDB_CORE_REGS && (int)MACHINE_REG_EIP == (int)GDB_REG_EIP,
               "gdb's core registers are the machine's debug registers, in the same order");

/* ---- memory ---- */

static size_t target_read_mem(void *ctx, uint32_t addr, uint8_t *buf, size_t len)
{
    return machine_debug_read_linear(((Debugger *)ctx)->machine, addr, buf, len);
}

static size_t target_write_mem(void *ctx, uint32_t addr, const uint8_t *buf, size_t len)
{
    return machine_debug_write_linear(((Debugger *)ctx)->machine, addr, buf, len);
}

static size_t target_read_phys(void *ctx, uint32_t addr, uint8_t *buf, size_t len)
{
    machine_debug_read_physical(((Debugger *)ctx)->machine, addr, buf, len);
    return len;
}

static size_t target_write_phys(void *ctx, uint32_t addr, const uint8_t *buf, size_t len)
{
    machine_debug_write_physical(((Debugger *)ctx)->machine, addr, buf, len);
    return len;
}

/* ---- breakpoints and watchpoints: Z0-Z4 ---- */

static BpKind point_kind(GdbPointType type)
{
    switch (type) {
    case GDB_POINT_WATCH_WRITE: return BP_WATCH_WRITE;
    case GDB_POINT_WATCH_READ: return BP_WATCH_READ;
    case GDB_POINT_WATCH_ACCESS: return BP_WATCH_ACCESS;
    default: return BP_BREAK_LINEAR;    /* software and hardware breakpoints alike */
    }
}

static bool target_insert_point(void *ctx, GdbPointType type, uint32_t addr, uint32_t len)
{
    Debugger *d = ctx;
    char err[120];
    BpSpec spec = { .kind = point_kind(type), .addr = addr, .len = len, .ah = -1 };
    if (d->point_count == BP_MAX)
        return false;
    int number = bp_add(&d->bp, &spec, err, sizeof(err));
    if (!number)
        return false;
    d->points[d->point_count++] = (GdbPoint){ type, addr, len, number };
    return true;
}

static bool target_remove_point(void *ctx, GdbPointType type, uint32_t addr, uint32_t len)
{
    Debugger *d = ctx;
    for (int i = 0; i < d->point_count; i++) {
        GdbPoint *p = &d->points[i];
        if (p->type == type && p->addr == addr && p->len == len) {
            bp_delete(&d->bp, p->number);
            *p = d->points[--d->point_count];
            return true;
        }
    }
    return true;    /* already gone: removing is idempotent for gdb */
}

static void remove_all_points(Debugger *d)
{
    for (int i = 0; i < d->point_count; i++)
        bp_delete(&d->bp, d->points[i].number);
    d->point_count = 0;
}

static const GdbPoint *point_by_number(const Debugger *d, int number)
{
    for (int i = 0; i < d->point_count; i++)
        if (d->points[i].number == number)
            return &d->points[i];
    return NULL;
}

/* ---- catching exceptions: -gdb-catch and "monitor catch" ---- */

/* An exception by number (13, 0xd) or name (gp, #GP); -1 if neither. */
static int parse_vector(const char *word, size_t n)
{
    char text[16];
    if (n == 0 || n >= sizeof(text))
        return -1;
    memcpy(text, word, n);
    text[n] = '\0';
    char *end;
    long v = strtol(text, &end, 0);
    if (!*end)
        return v >= 0 && v < 32 ? (int)v : -1;
    const char *name = text[0] == '#' ? text + 1 : text;
    for (unsigned vec = 0; vec < 32; vec++)
        if (!strcasecmp(name, cpu_exception_name(vec) + 1))
            return (int)vec;
    return -1;
}

bool debugger_parse_catch(const char *list, uint32_t *vectors, char *err, size_t err_len)
{
    *vectors = 0;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ", ");
        if (n) {
            int vector = parse_vector(p, n);
            if (vector < 0) {
                snprintf(err, err_len, "bad exception '%.*s' (a vector 0-31 or a name such as gp)", (int)n, p);
                return false;
            }
            *vectors |= 1u << vector;
        }
        p += n + (p[n] != '\0');
    }
    return true;
}

/* Adds a catch point for each vector in the set not caught yet. */
static bool catch_exceptions(Debugger *d, uint32_t vectors, char *err, size_t err_len)
{
    for (unsigned vector = 0; vector < 32; vector++) {
        BpSpec spec = { .kind = BP_CATCH_EXCEPTION, .addr = vector, .ah = -1 };
        if ((vectors >> vector & 1) && !bp_find(&d->bp, BP_CATCH_EXCEPTION, vector, 0) &&
            !bp_add(&d->bp, &spec, err, err_len))
            return false;
    }
    return true;
}

static void list_catches(Debugger *d, char *out, size_t out_len)
{
    size_t n = 0;
    for (int i = 0; i < BP_MAX && n + 1 < out_len; i++) {
        const Breakpoint *b = &d->bp.bp[i];
        if (b->number && b->spec.kind == BP_CATCH_EXCEPTION)
            n += (size_t)snprintf(out + n, out_len - n, "catching exception %u (%s)\n",
                                  (unsigned)b->spec.addr, cpu_exception_name((unsigned)b->spec.addr));
    }
    if (n == 0)
        snprintf(out, out_len, "no exceptions caught: the guest handles its own\n");
}

static void uncatch(Debugger *d, int vector)
{
    for (int i = 0; i < BP_MAX; i++) {
        const Breakpoint *b = &d->bp.bp[i];
        if (b->number && b->spec.kind == BP_CATCH_EXCEPTION && (vector < 0 || b->spec.addr == (uint64_t)vector))
            bp_delete(&d->bp, b->number);
    }
}

/* The monitor's commands that only look (debug/monitor.h): gdb's
 * "monitor info gdt", "monitor explain", ... ; the ones that run the guest
 * or change breakpoints are gdb's own business. */
static bool monitor_view(Debugger *d, const char *cmd, char *out, size_t out_len)
{
    static const char *const views[] = { "info", "i", "r", "registers", "regs", "sreg", "sregs", "x",
                                         "xp", "u", "disasm", "disassemble", "page", "explain" };
    size_t n = strcspn(cmd, " /");
    bool known = false;
    for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
        known |= strlen(views[i]) == n && !strncmp(cmd, views[i], n);
    char *buf = NULL;
    size_t size = 0;
    FILE *f = known ? open_memstream(&buf, &size) : NULL;
    if (!f)
        return false;
    Monitor *mon = monitor_create(d->machine, &d->bp, f);
    if (mon) {
        monitor_execute(mon, cmd);
        monitor_destroy(mon);
    }
    fclose(f);
    snprintf(out, out_len, "%s", buf ? buf : "");
    free(buf);
    return true;
}

static void target_monitor(void *ctx, const char *cmd, char *out, size_t out_len)
{
    Debugger *d = ctx;
    char err[160];
    while (*cmd == ' ')
        cmd++;
    uint32_t vectors;
    if (!strncmp(cmd, "catch exception ", 16)) {
        if (debugger_parse_catch(cmd + 16, &vectors, err, sizeof(err)) &&
            catch_exceptions(d, vectors, err, sizeof(err)))
            list_catches(d, out, out_len);
        else
            snprintf(out, out_len, "%s\n", err);
    } else if (!strcmp(cmd, "catch") || !strcmp(cmd, "info catch")) {
        list_catches(d, out, out_len);
    } else if (!strcmp(cmd, "uncatch all") || !strncmp(cmd, "uncatch exception ", 18)) {
        int vector = cmd[8] == 'a' ? -1 : parse_vector(cmd + 18, strlen(cmd + 18));
        if (vector < 0 && cmd[8] != 'a')
            snprintf(out, out_len, "bad exception '%s'\n", cmd + 18);
        else {
            uncatch(d, vector);
            list_catches(d, out, out_len);
        }
    } else if (!monitor_view(d, cmd, out, out_len)) {
        int n = *cmd && strcmp(cmd, "help") ? snprintf(out, out_len, "unknown monitor command '%s'\n", cmd) : 0;
        snprintf(out + n, out_len - (size_t)n,
                 "monitor commands:\n"
                 "  catch exception N[,M...]  stop before exception N is delivered (13 or gp)\n"
                 "  uncatch exception N | uncatch all\n"
                 "  catch                     list the exceptions caught\n"
                 "  info gdt|idt|ldt|tss|cr|sregs|fpu|tlb|mem|..., x, xp, u, page, explain\n"
                 "                            the faultline monitor's views (see its help)\n");
    }
}

/* ---- stops ---- */

/* The signal gdb shows for a CPU exception (as a Unix kernel would send). */
static int exception_signal(unsigned vector)
{
    switch (vector) {
    case EXC_DE: case EXC_MF: case EXC_XM: return GDB_SIGFPE;
    case EXC_UD: return GDB_SIGILL;
    case EXC_DB: case EXC_BP: return GDB_SIGTRAP;
    default: return GDB_SIGSEGV;    /* #PF, #GP, #SS, #NP, #TS and the rest */
    }
}

/* The engine stopped the run: what gdb is told. */
static GdbStop engine_stop(Debugger *d)
{
    const BpStop *s = bp_last_stop(&d->bp);
    GdbStop stop = { .signal = GDB_SIGTRAP, .kind = GDB_STOP_SIGNAL };
    const GdbPoint *p = point_by_number(d, s->number);
    if (s->kind == BP_STOP_EXCEPTION) {
        stop.signal = exception_signal(s->vector);
    } else if (s->kind == BP_STOP_BREAK && p) {
        stop.kind = p->type == GDB_POINT_HWBREAK ? GDB_STOP_HWBREAK : GDB_STOP_SWBREAK;
    } else if (s->kind == BP_STOP_WATCH && p) {
        static const GdbStopKind kinds[] = { [GDB_POINT_WATCH_WRITE] = GDB_STOP_WATCH,
                                             [GDB_POINT_WATCH_READ] = GDB_STOP_RWATCH,
                                             [GDB_POINT_WATCH_ACCESS] = GDB_STOP_AWATCH };
        stop.kind = kinds[p->type];
        /* gdb matches the address against the watched range: an access
         * that starts below it reports the range's start. */
        stop.addr = s->addr < p->addr ? p->addr : s->addr;
    }
    return stop;
}

/* How a run or step ended: tells gdb and turns stops the debugger handles
 * into MACHINE_STOP_TIME, so the run loops go on. */
static void after_run(Debugger *d, MachineStop *stop, bool stepped)
{
    bool connected = gdbstub_connected(d->stub);
    switch (*stop) {
    case MACHINE_STOP_TIME:
        if (stepped)
            gdbstub_report_stop(d->stub, (GdbStop){ .signal = GDB_SIGTRAP });
        break;
    case MACHINE_STOP_DEBUG:
        *stop = MACHINE_STOP_TIME;
        if (connected)
            gdbstub_report_stop(d->stub, engine_stop(d));
        else
            bp_resume(&d->bp);  /* nobody to tell: a caught exception goes to the guest */
        break;
    case MACHINE_STOP_SHUTDOWN:
        if (!connected)
            break;
        *stop = MACHINE_STOP_TIME;
        d->shutdown_held = true;
        gdbstub_report_stop(d->stub, (GdbStop){ .signal = GDB_SIGSEGV });
        break;
    case MACHINE_STOP_GUEST_EXIT:
        gdbstub_report_exit(d->stub, machine_guest_exit_status(d->machine) >> 1);
        break;
    case MACHINE_STOP_HALTED:
        gdbstub_report_exit(d->stub, 0);
        break;
    }
}

/* While the guest is stopped: DEBUG_RAN with *run set when gdb let it go on. */
static DebugSlice serve_stopped(Debugger *d, int wait_ms, MachineStop *stop, bool *run)
{
    *run = false;
    GdbResume resume = gdbstub_serve(d->stub, wait_ms);
    if (resume == GDB_RESUME_NONE)
        return DEBUG_HELD;
    if (resume == GDB_RESUME_KILL)
        return DEBUG_KILLED;
    if (resume == GDB_RESUME_DETACH)
        remove_all_points(d);
    if (d->shutdown_held) {     /* nothing runs after a shutdown: the run ends */
        gdbstub_report_killed(d->stub, GDB_SIGSEGV);
        *stop = MACHINE_STOP_SHUTDOWN;
        return DEBUG_RAN;
    }
    bp_resume(&d->bp);
    if (resume == GDB_RESUME_STEP) {
        *stop = machine_step(d->machine);
        after_run(d, stop, true);
        return DEBUG_RAN;
    }
    *run = true;
    return DEBUG_RAN;
}

DebugSlice debugger_run(Debugger *d, uint64_t until_ns, int wait_ms, MachineStop *stop)
{
    *stop = MACHINE_STOP_TIME;
    if (!gdbstub_connected(d->stub)) {
        if (gdbstub_accept(d->stub, d->wait_for_attach ? wait_ms : 0))
            d->wait_for_attach = false;
        else if (d->wait_for_attach)
            return DEBUG_HELD;
    }
    if (gdbstub_stopped(d->stub)) {
        bool run;
        DebugSlice r = serve_stopped(d, wait_ms, stop, &run);
        if (!run)
            return r;
    }
    if (gdbstub_poll_interrupt(d->stub)) {
        gdbstub_report_stop(d->stub, (GdbStop){ .signal = GDB_SIGINT });
        return DEBUG_RAN;
    }
    *stop = machine_run(d->machine, until_ns);
    after_run(d, stop, false);
    return DEBUG_RAN;
}

Debugger *debugger_open(Machine *m, int port, bool wait_for_attach, uint32_t catch_vectors)
{
    Debugger *d = calloc(1, sizeof(*d));
    if (!d) {
        fprintf(stderr, "faultline: out of memory for the debugger\n");
        return NULL;
    }
    d->machine = m;
    d->cpu = machine_cpu(m);
    d->wait_for_attach = wait_for_attach;
    bp_init(&d->bp, d->cpu);
    char err[160];
    if (!catch_exceptions(d, catch_vectors, err, sizeof(err))) {
        fprintf(stderr, "faultline: -gdb-catch: %s\n", err);
        debugger_close(d);
        return NULL;
    }
    GdbTarget target = { .ctx = d, .read_reg = target_read_reg, .write_reg = target_write_reg,
                         .read_mem = target_read_mem, .write_mem = target_write_mem,
                         .read_phys = target_read_phys, .write_phys = target_write_phys,
                         .insert_point = target_insert_point, .remove_point = target_remove_point,
                         .monitor = target_monitor };
    d->stub = gdbstub_listen(&target, port, err, sizeof(err));
    if (!d->stub) {
        fprintf(stderr, "faultline: %s\n", err);
        debugger_close(d);
        return NULL;
    }
    bp_resume(&d->bp);
    fprintf(stderr, "faultline: gdb stub listening on 127.0.0.1:%d\n", gdbstub_port(d->stub));
    fflush(stderr);
    return d;
}

void debugger_close(Debugger *d)
{
    if (!d)
        return;
    gdbstub_destroy(d->stub);
    bp_fini(&d->bp);
    free(d);
}
