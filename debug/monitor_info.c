/* SPDX-License-Identifier: MIT */
/*
 * The monitor's looking commands: info (registers with EFLAGS, CR0, CR4,
 * DR6 and DR7 decoded bit by bit as the SDM names them; the segment caches;
 * the MSRs the CPU models; the x87 stack), x and xp (memory dumps in the
 * Bochs/gdb /NUF notation), u (disassembly) and the system views of
 * sysview.h.  Everything reads through dbgmem.h, so looking changes
 * nothing in the guest.
 */
#include "monitor_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dbgmem.h"
#include "sysview.h"

/* Writes the names of the set bits of value (NULL names skipped). */
static void print_bits(FILE *out, uint32_t value, const char *const names[32])
{
    bool any = false;
    for (int i = 31; i >= 0; i--) {
        if ((value >> i & 1) && names[i]) {
            fprintf(out, "%s%s", any ? " " : "", names[i]);
            any = true;
        }
    }
    if (!any)
        fputs("-", out);
}

static const char *const eflags_names[32] = {
    [0] = "CF", [2] = "PF", [4] = "AF", [6] = "ZF", [7] = "SF", [8] = "TF", [9] = "IF", [10] = "DF",
    [11] = "OF", [14] = "NT", [16] = "RF", [17] = "VM", [18] = "AC", [19] = "VIF", [20] = "VIP", [21] = "ID",
};

void mon_cmd_regs(Monitor *mon)
{
    Cpu *cpu = mon->cpu;
    FILE *out = mon->out;
    const uint32_t *r = cpu->gpr;
    fprintf(out, "eax=%08x ebx=%08x ecx=%08x edx=%08x\n", r[REG_EAX], r[REG_EBX], r[REG_ECX], r[REG_EDX]);
    fprintf(out, "esi=%08x edi=%08x ebp=%08x esp=%08x\n", r[REG_ESI], r[REG_EDI], r[REG_EBP], r[REG_ESP]);
    uint32_t fl = cpu_get_eflags(cpu);
    fprintf(out, "eip=%08x eflags=%08x [", cpu->eip, fl);
    print_bits(out, fl, eflags_names);
    fprintf(out, "] iopl=%u\n", (fl & EFLAGS_IOPL) >> 12);
    fprintf(out, "cs=%04x ss=%04x ds=%04x es=%04x fs=%04x gs=%04x  %s mode, cpl %u, %d-bit code\n",
            cpu->seg[SEG_CS].sel, cpu->seg[SEG_SS].sel, cpu->seg[SEG_DS].sel, cpu->seg[SEG_ES].sel,
            cpu->seg[SEG_FS].sel, cpu->seg[SEG_GS].sel, bp_mode_name(bp_current_mode(cpu)),
            expr_cpl(cpu),
            mon_code_bits(cpu));
}

/* A cached segment back in descriptor form, for sysview's decoder. */
static void describe_cache(const Segment *s, char *buf, size_t len)
{
    uint32_t raw_limit = s->attr & SEG_ATTR_G ? s->limit >> 12 : s->limit;
    uint32_t lo = (s->base & 0xFFFF) << 16 | (raw_limit & 0xFFFF);
    uint32_t hi = (s->base >> 16 & 0xFF) | (uint32_t)(s->attr & 0xFF) << 8 | (raw_limit & 0xF0000) |
                  (uint32_t)(s->attr >> 12 & 0xF) << 20 | (s->base & 0xFF000000u);
    sysview_describe_descriptor(lo, hi, buf, len);
}

void mon_cmd_sregs(Monitor *mon)
{
    static const char *const names[SEG_COUNT] = { "es", "cs", "ss", "ds", "fs", "gs" };
    static const int order[SEG_COUNT] = { SEG_CS, SEG_SS, SEG_DS, SEG_ES, SEG_FS, SEG_GS };
    Cpu *cpu = mon->cpu;
    char text[200];
    for (int i = 0; i < SEG_COUNT; i++) {
        const Segment *s = &cpu->seg[order[i]];
        describe_cache(s, text, sizeof(text));
        fprintf(mon->out, "%s:   sel=%04x base=%08x limit=%08x  %s\n", names[order[i]], s->sel, s->base, s->limit, text);
    }
    describe_cache(&cpu->ldtr, text, sizeof(text));
    fprintf(mon->out, "ldtr: sel=%04x base=%08x limit=%08x  %s\n", cpu->ldtr.sel, cpu->ldtr.base, cpu->ldtr.limit, text);
    describe_cache(&cpu->tr, text, sizeof(text));
    fprintf(mon->out, "tr:   sel=%04x base=%08x limit=%08x  %s\n", cpu->tr.sel, cpu->tr.base, cpu->tr.limit, text);
    fprintf(mon->out, "gdtr: base=%08x limit=%04x\nidtr: base=%08x limit=%04x\n", cpu->gdtr.base, cpu->gdtr.limit,
            cpu->idtr.base, cpu->idtr.limit);
}

static void cmd_cr(Monitor *mon)
{
    static const char *const cr0_names[32] = {
        [0] = "PE", [1] = "MP", [2] = "EM", [3] = "TS", [4] = "ET", [5] = "NE", [16] = "WP", [18] = "AM",
        [29] = "NW", [30] = "CD", [31] = "PG",
    };
    static const char *const cr4_names[32] = {
        [0] = "VME", [1] = "PVI", [2] = "TSD", [3] = "DE", [4] = "PSE", [5] = "PAE", [6] = "MCE",
        [7] = "PGE", [8] = "PCE", [9] = "OSFXSR", [10] = "OSXMMEXCPT",
    };
    Cpu *cpu = mon->cpu;
    FILE *out = mon->out;
    fprintf(out, "cr0=%08x [", cpu->cr0);
    print_bits(out, cpu->cr0, cr0_names);
    fprintf(out, "]\ncr2=%08x (the last page-fault linear address)\n", cpu->cr2);
    fprintf(out, "cr3=%08x (page directory %08x%s%s)\n", cpu->cr3, cpu->cr3 & (cpu->cr4 & CR4_PAE ? ~0x1Fu : ~0xFFFu),
            cpu->cr3 & 0x8 ? " PWT" : "", cpu->cr3 & 0x10 ? " PCD" : "");
    fprintf(out, "cr4=%08x [", cpu->cr4);
    print_bits(out, cpu->cr4, cr4_names);
    fputs("]\n", out);
}

static void cmd_dr(Monitor *mon)
{
    static const char *const rw_names[4] = { "execute", "write", "i/o", "read/write" };
    static const unsigned len_bytes[4] = { 1, 2, 8, 4 };
    static const char *const dr6_names[32] = { [0] = "B0", [1] = "B1", [2] = "B2", [3] = "B3",
                                               [13] = "BD", [14] = "BS", [15] = "BT" };
    const uint32_t *dr = mon->cpu->dr;
    FILE *out = mon->out;
    for (int i = 0; i < 4; i++) {
        unsigned en = dr[7] >> (2 * i) & 3, rw = dr[7] >> (16 + 4 * i) & 3, len = dr[7] >> (18 + 4 * i) & 3;
        fprintf(out, "dr%d=%08x  %s%s", i, dr[i], en & 1 ? "L" : "-", en & 2 ? "G" : "-");
        if (en)
            fprintf(out, " %s, %u byte%s", rw_names[rw], rw ? len_bytes[len] : 1, rw && len_bytes[len] > 1 ? "s" : "");
        fputc('\n', out);
    }
    fprintf(out, "dr6=%08x [", dr[6]);
    print_bits(out, dr[6], dr6_names);
    static const char *const dr7_names[32] = { [8] = "LE", [9] = "GE", [13] = "GD" };
    fprintf(out, "]\ndr7=%08x [", dr[7]);
    print_bits(out, dr[7] & 0x2300, dr7_names);
    fputs("]\n", out);
}

static void cmd_msr(Monitor *mon)
{
    static const char *const efer_names[32] = { [0] = "SCE", [8] = "LME", [10] = "LMA", [11] = "NXE" };
    Cpu *cpu = mon->cpu;
    fprintf(mon->out, "IA32_EFER         (c0000080) = %016llx [", (unsigned long long)cpu->efer);
    print_bits(mon->out, (uint32_t)cpu->efer, efer_names);
    fprintf(mon->out, "]\nIA32_SYSENTER_CS  (00000174) = %08x\nIA32_SYSENTER_ESP (00000175) = %08x\n"
            "IA32_SYSENTER_EIP (00000176) = %08x\nIA32_TIME_STAMP_COUNTER (10) = %016llx\n",
            cpu->sysenter_cs, cpu->sysenter_esp, cpu->sysenter_eip,
            (unsigned long long)(cpu->icount + cpu->tsc_offset));
}

static long double float80_value(Float80 f)
{
    int exp = f.sign_exp & 0x7FFF;
    long double v;
    if (exp == 0x7FFF)
        v = f.significand << 1 ? NAN : INFINITY;
    else
        v = ldexpl((long double)f.significand, (exp ? exp : 1) - 16383 - 63);
    return f.sign_exp & 0x8000 ? -v : v;
}

static void cmd_fpu(Monitor *mon)
{
    static const char *const tag_names[4] = { "valid", "zero", "special", "empty" };
    static const char *const pc_names[4] = { "24-bit", "reserved", "53-bit", "64-bit" };
    static const char *const rc_names[4] = { "nearest", "down", "up", "toward zero" };
    static const char *const fsw_names[32] = { [0] = "IE", [1] = "DE", [2] = "ZE", [3] = "OE", [4] = "UE",
        [5] = "PE", [6] = "SF", [7] = "ES", [8] = "C0", [9] = "C1", [10] = "C2", [14] = "C3", [15] = "B" };
    static const char *const mask_names[32] = { [0] = "IM", [1] = "DM", [2] = "ZM", [3] = "OM", [4] = "UM", [5] = "PM" };
    const Fpu *f = &mon->cpu->fpu;
    FILE *out = mon->out;
    unsigned top = (f->status & FSW_TOP) >> FSW_TOP_SHIFT;
    fprintf(out, "fcw=%04x [", f->control);
    print_bits(out, f->control & FCW_EXC_MASKS, mask_names);
    fprintf(out, "] precision %s, rounding %s\n", pc_names[(f->control & FCW_PC) >> FCW_PC_SHIFT],
            rc_names[(f->control & FCW_RC) >> FCW_RC_SHIFT]);
    fprintf(out, "fsw=%04x [", f->status);
    print_bits(out, f->status & ~FSW_TOP, fsw_names);
    fprintf(out, "] top=%u\nftw=%04x fop=%03x fip=%04x:%08x fdp=%04x:%08x\n", top, f->tag, f->last_opcode,
            f->last_cs, f->last_ip, f->last_ds, f->last_dp);
    for (unsigned i = 0; i < 8; i++) {
        unsigned phys = (top + i) & 7, tag = f->tag >> (2 * phys) & 3;
        Float80 r = f->reg[phys];
        fprintf(out, "st%u (r%u) %-7s %04x %016llx", i, phys, tag_names[tag], r.sign_exp,
                (unsigned long long)r.significand);
        if (tag != FPU_TAG_EMPTY)
            fprintf(out, "  %.19Lg", float80_value(r));
        fputc('\n', out);
    }
}

/* ---- memory ---- */

static int unit_size(char u)
{
    return u == 'b' ? 1 : u == 'h' ? 2 : u == 'w' ? 4 : u == 'g' ? 8 : 0;
}

/* "/16xb": count, then format and unit letters in any order. */
static bool parse_nuf(Monitor *mon, const char *spec, uint32_t *count, char *unit, char *format)
{
    const char *p = spec + 1;
    char *end;
    *count = isdigit((unsigned char)*p) ? (uint32_t)strtoul(p, &end, 10) : 1;
    if (isdigit((unsigned char)*p))
        p = end;
    for (; *p; p++) {
        if (unit_size(*p))
            *unit = *p;
        else if (strchr("xduci", *p))
            *format = *p;
        else {
            mon_error(mon, "bad format '%s' (/N then units b h w g and formats x d u c i, e.g. /16xb)", spec);
            return false;
        }
    }
    if (*count == 0 || *count > 4096) {
        mon_error(mon, "bad count in '%s' (1-4096)", spec);
        return false;
    }
    return true;
}

static void print_item(FILE *out, const uint8_t *b, int size, char format)
{
    uint64_t v = 0;
    for (int i = 0; i < size; i++)
        v |= (uint64_t)b[i] << (8 * i);
    if (format == 'c') {
        fputc(isprint(b[0]) ? b[0] : '.', out);
    } else if (format == 'd') {
        int64_t s = size == 8 ? (int64_t)v : (int64_t)(v << (64 - 8 * size)) >> (64 - 8 * size);
        fprintf(out, " %lld", (long long)s);
    } else if (format == 'u') {
        fprintf(out, " %llu", (unsigned long long)v);
    } else {
        fprintf(out, " %0*llx", size * 2, (unsigned long long)v);
    }
}

static void dump(Monitor *mon, uint64_t addr, const uint8_t *bytes, size_t n, int size, char format)
{
    int per_line = format == 'c' ? 64 : 16 / size;
    for (size_t i = 0; i + (size_t)size <= n; i += (size_t)size) {
        size_t item = i / (size_t)size;
        if (item % (size_t)per_line == 0)
            fprintf(mon->out, "%s%08llx:%s", item ? "\n" : "", (unsigned long long)(addr + i), format == 'c' ? " " : "");
        print_item(mon->out, bytes + i, size, format);
    }
    if (n >= (size_t)size)
        fputc('\n', mon->out);
}

static void disasm_lines(Monitor *mon, uint32_t lin, uint32_t offset, bool has_seg, uint16_t sel, int bits,
                         uint32_t n);

void mon_cmd_x(Monitor *mon, MonArgs *a, bool physical)
{
    uint32_t count = 1;
    char unit = mon->x_unit, format = mon->x_format;
    int arg = 1;
    if (a->argc > 1 && a->argv[1][0] == '/') {
        if (!parse_nuf(mon, a->argv[1], &count, &unit, &format))
            return;
        arg = 2;
    }
    MonAddr addr;
    if (a->argc != arg + 1) {
        mon_error(mon, "usage: %s /NUF ADDR (e.g. %s /16xb 7c00)", a->argv[0], a->argv[0]);
        return;
    }
    if (!mon_parse_addr(mon, a->argv[arg], &addr))
        return;
    if (physical && addr.has_seg) {
        mon_error(mon, "xp takes a physical address, not SEG:OFF");
        return;
    }
    mon->x_unit = unit;
    mon->x_format = format;
    if (format == 'i') {
        disasm_lines(mon, addr.lin, addr.has_seg ? addr.offset : addr.lin, addr.has_seg, addr.sel, addr.bits, count);
        return;
    }
    int size = format == 'c' ? 1 : unit_size(unit);
    size_t want = (size_t)count * (size_t)size;
    uint8_t bytes[4096 * 8];
    size_t got = want;
    if (physical) {
        for (size_t i = 0; i < want; i++)
            bytes[i] = (uint8_t)dbg_phys_read(mon->cpu, addr.lin + (uint64_t)i, 1);
    } else {
        got = dbg_read_linear(mon->cpu, addr.lin, bytes, want);
    }
    dump(mon, addr.lin, bytes, got, size, format);
    if (got < want)
        mon_error(mon, "linear %08x is not mapped (page not present)", addr.lin + (uint32_t)got);
}

static void disasm_lines(Monitor *mon, uint32_t lin, uint32_t offset, bool has_seg, uint16_t sel, int bits,
                         uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        char text[128], hex[40] = "";
        uint8_t bytes[16];
        size_t len = mon_disasm_at(mon, lin, offset, bits, text, sizeof(text), bytes);
        for (size_t j = 0; j < len && j < 10; j++)
            snprintf(hex + 2 * j, sizeof(hex) - 2 * j, "%02x", bytes[j]);
        if (has_seg)
            fprintf(mon->out, "%04x:%08x (lin %08x): %-20s %s\n", sel, offset, lin, hex, text);
        else
            fprintf(mon->out, "%08x: %-20s %s\n", lin, hex, text);
        if (len == 0) {
            mon_error(mon, "linear %08x is not mapped (page not present)", lin);
            return;
        }
        lin += (uint32_t)len;
        offset += (uint32_t)len;
    }
}

/* u [ADDR] [N]: from CS:EIP by default. */
void mon_cmd_disasm(Monitor *mon, MonArgs *a)
{
    Cpu *cpu = mon->cpu;
    MonAddr addr = { .has_seg = true, .sel = cpu->seg[SEG_CS].sel, .offset = cpu->eip,
                     .lin = cpu->seg[SEG_CS].base + cpu->eip, .bits = mon_code_bits(cpu) };
    uint32_t n = 8;
    if (a->argc > 3) {
        mon_error(mon, "usage: u [ADDR] [N]");
        return;
    }
    if (a->argc >= 2 && !mon_parse_addr(mon, a->argv[1], &addr))
        return;
    if (a->argc == 3 && (!mon_parse_count(mon, a->argv[2], &n, "count") || n == 0 || n > 1000)) {
        if (n == 0 || n > 1000)
            mon_error(mon, "bad count (1-1000)");
        return;
    }
    disasm_lines(mon, addr.lin, addr.has_seg ? addr.offset : addr.lin, addr.has_seg, addr.sel, addr.bits, n);
}

void mon_cmd_page(Monitor *mon, MonArgs *a)
{
    MonAddr addr;
    if (a->argc != 2) {
        mon_error(mon, "usage: page ADDR (a linear address)");
        return;
    }
    if (mon_parse_addr(mon, a->argv[1], &addr))
        sysview_page(mon->cpu, addr.lin, mon->out);
}

void mon_cmd_info(Monitor *mon, MonArgs *a)
{
    const char *what = a->argc == 2 ? a->argv[1] : "";
    Cpu *cpu = mon->cpu;
    if (!strcmp(what, "breakpoints") || !strcmp(what, "b") || !strcmp(what, "break") || !strcmp(what, "watchpoints"))
        mon_list_breakpoints(mon);
    else if (!strcmp(what, "registers") || !strcmp(what, "r") || !strcmp(what, "regs"))
        mon_cmd_regs(mon);
    else if (!strcmp(what, "sregs") || !strcmp(what, "sreg") || !strcmp(what, "segments"))
        mon_cmd_sregs(mon);
    else if (!strcmp(what, "cr"))
        cmd_cr(mon);
    else if (!strcmp(what, "dr"))
        cmd_dr(mon);
    else if (!strcmp(what, "msr"))
        cmd_msr(mon);
    else if (!strcmp(what, "fpu") || !strcmp(what, "float"))
        cmd_fpu(mon);
    else if (!strcmp(what, "gdt"))
        sysview_gdt(cpu, mon->out);
    else if (!strcmp(what, "idt"))
        sysview_idt(cpu, mon->out);
    else if (!strcmp(what, "ldt"))
        sysview_ldt(cpu, mon->out);
    else if (!strcmp(what, "tss"))
        sysview_tss(cpu, mon->out);
    else if (!strcmp(what, "tlb"))
        sysview_tlb(cpu, mon->out);
    else if (!strcmp(what, "mem"))
        sysview_mem(cpu, mon->out);
    else
        mon_error(mon, "usage: info breakpoints|registers|sregs|cr|dr|msr|fpu|gdt|idt|ldt|tss|tlb|mem");
}
