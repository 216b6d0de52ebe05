/* SPDX-License-Identifier: MIT */
/*
 * The fault explainer (explain.h).  Error codes are decoded as SDM vol. 3,
 * 6.13 (selector form: EXT, IDT, TI, index) and 6.15 "Interrupt 14"
 * (P, W/R, U/S, RSVD, I/D); the page walk is redone with the debugger's
 * walk, which reads the same entries the CPU read a moment ago but sets no
 * bit.  Not explained: the x87 exception details (#MF), machine checks.
 */
#include "explain.h"

#include <stdlib.h>
#include <string.h>

#include "cpu_internal.h"
#include "dbgmem.h"
#include "disasm.h"
#include "sysview.h"

static const char *const vector_names[32] = {
    "divide error", "debug exception", "non-maskable interrupt", "breakpoint", "overflow",
    "BOUND range exceeded", "invalid opcode", "device not available", "double fault",
    "coprocessor segment overrun", "invalid TSS", "segment not present", "stack fault",
    "general protection fault", "page fault", "reserved vector 15", "x87 floating-point error",
    "alignment check", "machine check", "SIMD floating-point exception",
};

#define LABEL "  %-13s"
#define CONT  "               "

static const char *mode_name(const Cpu *cpu)
{
    if (cpu_real_mode(cpu))
        return "real mode";
    return cpu_v86_mode(cpu) ? "virtual-8086 mode" : "protected mode";
}

static void print_header(Cpu *cpu, const FaultRecord *f, FILE *out)
{
    const char *name = f->vector < 32 && vector_names[f->vector] ? vector_names[f->vector] : "exception";
    fprintf(out, "== %s", cpu_exception_name(f->vector));
    if (f->has_error_code)
        fprintf(out, "(%04x)", f->error_code);
    fprintf(out, " %s, at instruction %llu ==\n", name, (unsigned long long)cpu->icount);
}

static void print_where(Cpu *cpu, const FaultRecord *f, FILE *out)
{
    uint32_t lin = cpu->seg[SEG_CS].base + f->eip;
    uint64_t phys;
    fprintf(out, LABEL "%04x:%08x  linear %08x  ", "where", f->cs, f->eip, lin);
    if (cpu_debug_translate(cpu, lin, &phys))
        fprintf(out, "physical %08llx", (unsigned long long)phys);
    else
        fprintf(out, "physical (not mapped)");
    fprintf(out, "  (%s, CPL %u)\n", mode_name(cpu), cpu_cpl(cpu));
}

static void print_instruction(Cpu *cpu, const FaultRecord *f, FILE *out)
{
    uint8_t bytes[INSN_MAX_LEN];
    uint32_t lin = cpu->seg[SEG_CS].base + f->eip;
    size_t n = dbg_read_linear(cpu, lin, bytes, sizeof(bytes));
    if (n == 0) {
        fprintf(out, LABEL "(not mapped: linear %08x)\n", "instruction", lin);
        return;
    }
    char text[128], hex[3 * INSN_MAX_LEN + 1] = "";
    int bits = !cpu_real_mode(cpu) && !cpu_v86_mode(cpu) && cpu_code32(cpu) ? 32 : 16;
    size_t len = disasm_one(bytes, n, f->eip, bits, text, sizeof(text));
    size_t show = len ? len : (n < 8 ? n : 8);
    for (size_t i = 0; i < show; i++)
        snprintf(hex + 3 * i, sizeof(hex) - 3 * i, "%02x%s", bytes[i], i + 1 < show ? " " : "");
    fprintf(out, LABEL "%-30s %s\n", "instruction", hex, text);
}

static bool selector_error(unsigned vector)
{
    return vector == EXC_TS || vector == EXC_NP || vector == EXC_SS || vector == EXC_GP;
}

static void print_error_code(const FaultRecord *f, FILE *out)
{
    uint32_t e = f->error_code;
    if (!f->has_error_code)
        return;
    fprintf(out, LABEL "%04x", "error code", e);
    if (f->vector == EXC_PF) {
        fprintf(out, " = P=%u %s, W/R=%u %s, U/S=%u %s, RSVD=%u, I/D=%u %s\n", e & 1,
                (e & PF_ERR_P) ? "protection violation" : "not present", (e >> 1) & 1,
                (e & PF_ERR_W) ? "write" : "read", (e >> 2) & 1, (e & PF_ERR_U) ? "user" : "supervisor",
                (e >> 3) & 1, (e >> 4) & 1, (e & PF_ERR_I) ? "instruction fetch" : "data");
    } else if (selector_error(f->vector) && e != 0) {
        const char *ext = (e & 1) ? "external: raised while delivering an interrupt" : "not external";
        if (e & 2)
            fprintf(out, " = IDT vector %02x (%s)\n", (e >> 3) & 0xFF, ext);
        else
            fprintf(out, " = selector %04x: %s index %u (%s)\n", e & 0xFFFC, (e & 4) ? "LDT" : "GDT",
                    (e >> 3) & 0x1FFF, ext);
    } else {
        fprintf(out, "%s\n", selector_error(f->vector) ? " (no selector: a check that names no descriptor)" : "");
    }
}

/* The rule's sentence with its evidence: cpu_describe_fault without the
 * "#GP(0010) at 0008:00001234: " it begins with. */
static void fault_sentence(const FaultRecord *f, char *buf, size_t len)
{
    char full[512];
    cpu_describe_fault(f, full, sizeof(full));
    const char *s = strstr(full, ": ");
    snprintf(buf, len, "%s", s ? s + 2 : full);
}

static void print_why(const FaultRecord *f, FILE *out)
{
    char why[512];
    fault_sentence(f, why, sizeof(why));
    fprintf(out, LABEL "%s\n", "why", why);
}

/* The descriptor a selector error code names, read from its table now. */
static void print_descriptor(Cpu *cpu, const FaultRecord *f, FILE *out)
{
    uint32_t e = f->error_code, index = (e >> 3) & 0x1FFF;
    const char *table = (e & 2) ? "IDT" : (e & 4) ? "LDT" : "GDT";
    uint32_t base = (e & 2) ? cpu->idtr.base : (e & 4) ? cpu->ldtr.base : cpu->gdtr.base;
    uint32_t limit = (e & 2) ? cpu->idtr.limit : (e & 4) ? cpu->ldtr.limit : cpu->gdtr.limit;
    if (!f->has_error_code || !selector_error(f->vector) || e == 0)
        return;
    if (e & 2)
        index &= 0xFF;
    if (cpu_real_mode(cpu) && (e & 2))
        return;     /* a real-mode IVT entry is no descriptor */
    if ((e & 4) && !(e & 2) && (cpu->ldtr.sel & ~3u) == 0) {
        fprintf(out, LABEL "LDT[%u]: there is no LDT (LDTR is null)\n", "descriptor", index);
        return;
    }
    /* IDT entries by vector in hex, as INT 31h names them; GDT and LDT by index. */
    char name[16];
    snprintf(name, sizeof(name), (e & 2) ? "%s[%02Xh]" : "%s[%u]", table, index);
    if (index * 8 + 7 > limit) {
        fprintf(out, LABEL "%s lies past the %s limit %04x\n", "descriptor", name, table, limit);
        return;
    }
    uint32_t lo, hi;
    if (!dbg_read_lin(cpu, base + index * 8, 4, &lo) || !dbg_read_lin(cpu, base + index * 8 + 4, 4, &hi)) {
        fprintf(out, LABEL "%s at linear %08x is not mapped\n", "descriptor", name, base + index * 8);
        return;
    }
    char text[160];
    sysview_describe_descriptor(lo, hi, text, sizeof(text));
    fprintf(out, LABEL "%s = %08x%08x: %s\n", "descriptor", name, hi, lo, text);
}

static void print_page_fault(Cpu *cpu, const FaultRecord *f, FILE *out)
{
    bool page_rule = f->rule >= FAULT_PAGE_NOT_PRESENT && f->rule <= FAULT_PAGE_NX;
    uint32_t cr2 = page_rule ? f->detail[0] : cpu->cr2;
    uint32_t e = f->error_code;
    int access = (e & PF_ERR_I) || f->rule == FAULT_PAGE_NX ? PAGE_EXEC : (e & PF_ERR_W) ? PAGE_WRITE : PAGE_READ;
    fprintf(out, LABEL "%08x (a %s %s)\n", "cr2", cr2, (e & PF_ERR_U) ? "user" : "supervisor",
            access == PAGE_EXEC ? "instruction fetch" : access == PAGE_WRITE ? "write" : "read");
    if (!(cpu->cr0 & CR0_PG))
        return;
    sysview_walk(cpu, cr2, access, (e & PF_ERR_U) != 0, "  walk         ", CONT, out);
}

/* The chain's index of a #DF record, or -1. */
static int chain_double_fault(const Cpu *cpu)
{
    for (int i = cpu->fault_chain_len - 1; i >= 0; i--)
        if (cpu->fault_chain[i].rule == FAULT_DOUBLE)
            return i;
    return -1;
}

static void print_described(const char *label, const FaultRecord *f, FILE *out)
{
    char text[512];
    cpu_describe_fault(f, text, sizeof(text));
    fprintf(out, LABEL "%s\n", label, text);
}

static void print_double_fault(Cpu *cpu, FILE *out)
{
    int k = chain_double_fault(cpu);
    if (k < 2)
        return;
    print_described("first", &cpu->fault_chain[k - 2], out);
    print_described("second", &cpu->fault_chain[k - 1], out);
}

void explain_fault_cpu(Cpu *cpu, const FaultRecord *f, FILE *out)
{
    print_header(cpu, f, out);
    print_where(cpu, f, out);
    print_instruction(cpu, f, out);
    print_error_code(f, out);
    print_why(f, out);
    print_descriptor(cpu, f, out);
    if (f->vector == EXC_PF)
        print_page_fault(cpu, f, out);
    if (f->vector == EXC_DF)
        print_double_fault(cpu, out);
    fflush(out);
}

void explain_fault(Machine *m, const FaultRecord *f, FILE *out)
{
    explain_fault_cpu(machine_cpu(m), f, out);
}

static bool same_fault(const FaultRecord *a, const FaultRecord *b)
{
    return a->vector == b->vector && a->rule == b->rule && a->error_code == b->error_code &&
           a->cs == b->cs && a->eip == b->eip && !memcmp(a->detail, b->detail, sizeof(a->detail));
}

void explain_shutdown_cpu(Cpu *cpu, FILE *out)
{
    /* A full chain has no room for the fault that shut the CPU down;
     * last_fault holds it. */
    unsigned n = cpu->fault_chain_len;
    bool append = n == 0 || !same_fault(&cpu->fault_chain[n - 1], &cpu->last_fault);
    const FaultRecord *last = append ? &cpu->last_fault : &cpu->fault_chain[n - 1];
    fprintf(out, "== triple fault: the CPU shuts down, at instruction %llu ==\n",
            (unsigned long long)cpu->icount);
    print_where(cpu, last, out);
    print_instruction(cpu, last, out);
    fprintf(out, LABEL, "chain");
    for (unsigned i = 0; i <= n; i++) {
        char text[512];
        if (i == n && !append)
            break;
        cpu_describe_fault(i < n ? &cpu->fault_chain[i] : last, text, sizeof(text));
        fprintf(out, "%s%s", i ? " -> " : "", text);
    }
    fputc('\n', out);
    fprintf(out, LABEL "%s\n", "why", cpu_fault_rule_text(FAULT_TRIPLE));
    fflush(out);
}

/* ---- --explain: the debug client ---- */

struct Explainer {
    CpuDebugHooks hooks;
    Machine *m;
    FILE *out;
    bool explained;     /* the exception hook printed the exception now being delivered */
};

static bool on_exception(void *ctx, Cpu *cpu, const FaultRecord *fault)
{
    Explainer *e = ctx;
    explain_fault_cpu(cpu, fault, e->out);
    e->explained = true;
    return false;
}

/* #DB traps (single step, data breakpoints) are delivered without the
 * exception hook; every exception passes here after it. */
static void on_interrupt(void *ctx, Cpu *cpu, unsigned vector, CpuInterruptKind kind)
{
    Explainer *e = ctx;
    bool was = e->explained;
    e->explained = false;
    if (was || kind != CPU_INT_EXCEPTION || vector != EXC_DB)
        return;
    const FaultRecord *f = &cpu->last_fault;
    if (f->vector == EXC_DB &&
        (f->rule == FAULT_SINGLE_STEP || f->rule == FAULT_DATA_BREAKPOINT || f->rule == FAULT_ICEBP) &&
        f->eip == cpu->insn_eip)
        explain_fault_cpu(cpu, f, e->out);
}

static void on_machine_event(void *ctx, Machine *m, MachineEvent ev)
{
    Explainer *e = ctx;
    if (ev == MACHINE_EVENT_SHUTDOWN)
        explain_shutdown_cpu(machine_cpu(m), e->out);
}

Explainer *explain_attach(Machine *m, FILE *out)
{
    Explainer *e = calloc(1, sizeof(*e));
    if (!e)
        return NULL;
    *e = (Explainer){ .hooks = { .ctx = e, .exception = on_exception, .interrupt = on_interrupt },
                      .m = m, .out = out };
    if (!cpu_debug_attach(machine_cpu(m), &e->hooks)) {
        free(e);
        return NULL;
    }
    machine_add_event_hook(m, on_machine_event, e);
    return e;
}

void explain_detach(Explainer *e)
{
    if (!e)
        return;
    cpu_debug_detach(machine_cpu(e->m), &e->hooks);
    machine_remove_event_hook(e->m, on_machine_event, e);
    free(e);
}
