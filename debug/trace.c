/* SPDX-License-Identifier: MIT */
/*
 * The tracer (trace.h): a debug client of the CPU (cpu_debug_attach) for
 * instructions and interrupt deliveries, and a machine event hook for
 * resets.  Instruction bytes are read with the debugger's reads and
 * disassembled with Capstone, which makes "exec" cost far more than the
 * instruction itself.  Not traced: the faults a debugger holds and then
 * drops, the instructions of the firmware's C services (they are one trap).
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

#include "cpu_internal.h"
#include "dbgmem.h"
#include "disasm.h"

struct Tracer {
    CpuDebugHooks hooks;
    Machine *m;
    unsigned items;
    FILE *out;
};

unsigned trace_item(const char *name, size_t n)
{
    static const struct { const char *name; unsigned bit; } items[] = {
        { "int", TRACE_INT }, { "cpu_reset", TRACE_CPU_RESET }, { "exec", TRACE_EXEC },
    };
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
        if (strlen(items[i].name) == n && !strncmp(name, items[i].name, n))
            return items[i].bit;
    return 0;
}

static bool on_insn(void *ctx, Cpu *cpu)
{
    Tracer *t = ctx;
    uint8_t bytes[INSN_MAX_LEN];
    uint32_t lin = cpu->seg[SEG_CS].base + cpu->eip;
    size_t n = dbg_read_linear(cpu, lin, bytes, sizeof(bytes));
    char text[128] = "(not mapped)", hex[3 * INSN_MAX_LEN + 1] = "";
    size_t len = 0;
    if (n) {
        int bits = !cpu_real_mode(cpu) && !cpu_v86_mode(cpu) && cpu_code32(cpu) ? 32 : 16;
        len = disasm_one(bytes, n, cpu->eip, bits, text, sizeof(text));
    }
    size_t show = len ? len : (n < 8 ? n : 8);
    for (size_t i = 0; i < show; i++)
        snprintf(hex + 3 * i, sizeof(hex) - 3 * i, "%02x%s", bytes[i], i + 1 < show ? " " : "");
    fprintf(t->out, "exec %llu %04x:%08x %08x  %-30s %s\n", (unsigned long long)cpu->icount,
            cpu->seg[SEG_CS].sel, cpu->eip, lin, hex, text);
    return false;
}

static void on_interrupt(void *ctx, Cpu *cpu, unsigned vector, CpuInterruptKind kind)
{
    static const char *const kinds[] = {
        [CPU_INT_EXCEPTION] = "exception", [CPU_INT_SOFTWARE] = "software",
        [CPU_INT_EXTERNAL] = "external", [CPU_INT_NMI] = "NMI",
    };
    Tracer *t = ctx;
    unsigned long long ic = (unsigned long long)cpu->icount;
    if (kind == CPU_INT_EXCEPTION && cpu->last_fault.vector == vector) {
        const FaultRecord *f = &cpu->last_fault;
        char text[512];
        cpu_describe_fault(f, text, sizeof(text));
        const char *why = strstr(text, ": ");
        fprintf(t->out, "int %llu vector %02x %s exception", ic, vector, cpu_exception_name(vector));
        if (f->has_error_code)
            fprintf(t->out, " error %04x", f->error_code);
        fprintf(t->out, " at %04x:%08x: %s\n", f->cs, f->eip, why ? why + 2 : text);
        return;
    }
    /* INT n reports its own address; an external interrupt the next instruction's. */
    uint32_t eip = kind == CPU_INT_SOFTWARE ? cpu->insn_eip : cpu->eip;
    fprintf(t->out, "int %llu vector %02x %s at %04x:%08x\n", ic, vector, kinds[kind],
            cpu->seg[SEG_CS].sel, eip);
}

static void print_reset(Tracer *t, const char *what)
{
    char state[320];
    machine_describe_cpu(t->m, state, sizeof(state));
    fprintf(t->out, "cpu_reset %llu %s: %s\n", (unsigned long long)machine_instructions(t->m), what, state);
}

static void on_machine_event(void *ctx, Machine *m, MachineEvent ev)
{
    Tracer *t = ctx;
    if (ev == MACHINE_EVENT_CPU_RESET)
        print_reset(t, "reset");
}

Tracer *trace_attach(Machine *m, unsigned items, FILE *out)
{
    Tracer *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    *t = (Tracer){ .hooks = { .ctx = t }, .m = m, .items = items, .out = out };
    if (items & TRACE_EXEC)
        t->hooks.before_insn = on_insn;
    if (items & TRACE_INT)
        t->hooks.interrupt = on_interrupt;
    if ((items & (TRACE_EXEC | TRACE_INT)) && !cpu_debug_attach(machine_cpu(m), &t->hooks)) {
        free(t);
        return NULL;
    }
    if (items & TRACE_CPU_RESET) {
        print_reset(t, "power-on");
        machine_add_event_hook(m, on_machine_event, t);
    }
    return t;
}

void trace_detach(Tracer *t)
{
    if (!t)
        return;
    if (t->items & (TRACE_EXEC | TRACE_INT))
        cpu_debug_detach(machine_cpu(t->m), &t->hooks);
    if (t->items & TRACE_CPU_RESET)
        machine_remove_event_hook(t->m, on_machine_event, t);
    fflush(t->out);
    free(t);
}
