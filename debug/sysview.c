/* SPDX-License-Identifier: MIT */
/*
 * The monitor's system views (sysview.h): descriptors decoded as SDM vol. 3,
 * 3.4.5 and 3.5 (segment and system types), gates as 6.11 and 5.8.3, the
 * 16- and 32-bit TSS as 7.2.1 and 7.6, page walks as ch. 4 (32-bit paging
 * with PSE, PAE), the software TLB of mmu/tlb.h and the mapped ranges found
 * by scanning the paging structures (as QEMU's "info mem").  Everything is
 * read through dbgmem.h, so nothing in the guest changes.  Not shown: the
 * 64-bit forms, PAT, protection keys.
 */
#include "sysview.h"

#include <inttypes.h>
#include <string.h>

#include "cpu_internal.h"
#include "dbgmem.h"

static const char *const system_types[16] = {
    "reserved system type 0", "available 16-bit TSS", "LDT", "busy 16-bit TSS",
    "16-bit call gate", "task gate", "16-bit interrupt gate", "16-bit trap gate",
    "reserved system type 8", "available 32-bit TSS", "reserved system type 10", "busy 32-bit TSS",
    "32-bit call gate", "reserved system type 13", "32-bit interrupt gate", "32-bit trap gate",
};

/* "code execute/read conforming accessed", "data read/write expand-down", ... */
static void segment_type_name(unsigned type, char *buf, size_t len)
{
    if (type & 8)
        snprintf(buf, len, "code %s%s%s", (type & 2) ? "execute/read" : "execute-only",
                 (type & 4) ? " conforming" : "", (type & 1) ? " accessed" : "");
    else
        snprintf(buf, len, "data %s%s%s", (type & 2) ? "read/write" : "read-only",
                 (type & 4) ? " expand-down" : "", (type & 1) ? " accessed" : "");
}

static bool is_gate(unsigned type)
{
    return type == 4 || type == 5 || type == 6 || type == 7 || type == 12 || type == 14 || type == 15;
}

void sysview_describe_descriptor(uint32_t lo, uint32_t hi, char *buf, size_t len)
{
    Descriptor d = { lo, hi };
    uint16_t attr = desc_attr(d);
    unsigned type = attr & 0xF, dpl = attr_dpl(attr);
    const char *present = attr_present(attr) ? "present" : "not present";
    char name[64];
    if (lo == 0 && hi == 0) {
        snprintf(buf, len, "null");
        return;
    }
    if (!(attr & SEG_ATTR_S) && is_gate(type)) {
        if (type == 5)
            snprintf(buf, len, "task gate, TSS selector %04x, DPL %u, %s", lo >> 16, dpl, present);
        else
            snprintf(buf, len, "%s, target %04x:%08x, DPL %u, %s", system_types[type], lo >> 16,
                     type & 8 ? (hi & 0xFFFF0000u) | (lo & 0xFFFF) : lo & 0xFFFF, dpl, present);
        if ((type & 7) == 4) {
            size_t n = strlen(buf);
            snprintf(buf + n, len - n, ", %u parameter%s", hi & 0x1F, (hi & 0x1F) == 1 ? "" : "s");
        }
        return;
    }
    if (attr & SEG_ATTR_S)
        segment_type_name(type, name, sizeof(name));
    else
        snprintf(name, sizeof(name), "%s", system_types[type]);
    /* D/B means nothing for a system segment (TSS, LDT). */
    snprintf(buf, len, "%s, base %08x limit %08x, DPL %u, %s%s, %s, AVL %u", name, desc_base(d),
             desc_limit(d), dpl, present,
             (attr & SEG_ATTR_S) ? (attr & SEG_ATTR_DB) ? ", 32-bit" : ", 16-bit" : "",
             (attr & SEG_ATTR_G) ? "4K granular" : "byte granular", (hi >> 20) & 1);
}

/* One table of 8-byte descriptors at a linear base; runs of zero entries
 * after the first collapse into one line.  sel_bits: 4 for the LDT (TI). */
static void print_table(Cpu *cpu, uint32_t base, uint32_t limit, unsigned sel_bits, FILE *out)
{
    unsigned count = (limit + 1) / 8, zero_from = 0, zeros = 0;
    for (unsigned i = 0; i <= count; i++) {
        uint32_t lo = 0, hi = 0;
        bool mapped = i < count && dbg_read_lin(cpu, base + i * 8, 4, &lo) &&
                      dbg_read_lin(cpu, base + i * 8 + 4, 4, &hi);
        if (i < count && i > 0 && mapped && lo == 0 && hi == 0) {
            if (!zeros++)
                zero_from = i;
            continue;
        }
        if (zeros == 1)
            fprintf(out, "  %04x  0000000000000000  null\n", zero_from * 8 | sel_bits);
        else if (zeros > 1)
            fprintf(out, "  %04x-%04x: %u null entries\n", zero_from * 8 | sel_bits,
                    (zero_from + zeros - 1) * 8 | sel_bits, zeros);
        zeros = 0;
        if (i == count)
            break;
        if (!mapped) {
            fprintf(out, "  %04x  (not mapped: linear %08x)\n", i * 8 | sel_bits, base + i * 8);
            continue;
        }
        char text[160];
        sysview_describe_descriptor(lo, hi, text, sizeof(text));
        fprintf(out, "  %04x  %08x%08x  %s\n", i * 8 | sel_bits, hi, lo, text);
    }
}

void sysview_gdt(Cpu *cpu, FILE *out)
{
    fprintf(out, "GDT base %08x limit %04x (%u entries)\n", cpu->gdtr.base, cpu->gdtr.limit,
            (cpu->gdtr.limit + 1u) / 8);
    print_table(cpu, cpu->gdtr.base, cpu->gdtr.limit, 0, out);
}

void sysview_ldt(Cpu *cpu, FILE *out)
{
    const Segment *l = &cpu->ldtr;
    if ((l->sel & ~3u) == 0 || !attr_present(l->attr)) {
        fprintf(out, "LDT: none (LDTR %04x is null)\n", l->sel);
        return;
    }
    fprintf(out, "LDT selector %04x base %08x limit %08x (%u entries)\n", l->sel, l->base, l->limit,
            (l->limit + 1u) / 8);
    print_table(cpu, l->base, l->limit, 4, out);
}

void sysview_idt(Cpu *cpu, FILE *out)
{
    if (cpu_real_mode(cpu)) {
        fprintf(out, "IVT (real mode) base %08x limit %04x\n", cpu->idtr.base, cpu->idtr.limit);
        for (unsigned v = 0; v < 256 && v * 4 + 3 <= cpu->idtr.limit; v++) {
            uint32_t ptr;
            if (dbg_read_lin(cpu, cpu->idtr.base + v * 4, 4, &ptr))
                fprintf(out, "  %02x  %04x:%04x\n", v, ptr >> 16, ptr & 0xFFFF);
        }
        return;
    }
    fprintf(out, "IDT base %08x limit %04x (%u gates)\n", cpu->idtr.base, cpu->idtr.limit,
            (cpu->idtr.limit + 1u) / 8);
    for (unsigned v = 0; v < 256 && v * 8 + 7 <= cpu->idtr.limit; v++) {
        uint32_t lo, hi;
        char text[160];
        if (!dbg_read_lin(cpu, cpu->idtr.base + v * 8, 4, &lo) ||
            !dbg_read_lin(cpu, cpu->idtr.base + v * 8 + 4, 4, &hi)) {
            fprintf(out, "  %02x  (not mapped)\n", v);
            continue;
        }
        sysview_describe_descriptor(lo, hi, text, sizeof(text));
        fprintf(out, "  %02x  %08x%08x  %s\n", v, hi, lo, text);
    }
}

/* A TSS field, or the string "????" padded when it is not mapped. */
static void tss_field(Cpu *cpu, uint32_t base, FILE *out, const char *name, uint32_t off, unsigned size)
{
    uint32_t v;
    if (dbg_read_lin(cpu, base + off, size, &v))
        fprintf(out, " %s %0*x", name, (int)size * 2, size == 2 ? v & 0xFFFF : v);
    else
        fprintf(out, " %s ????", name);
}

typedef struct TssRow {
    const char *name;
    uint8_t off32, off16, size32;   /* 16-bit TSS fields are all 2 bytes; off16 0xFF: none */
    uint8_t newline;                /* end the line after this field */
} TssRow;

static const TssRow tss_rows[] = {
    { "back link", 0x00, 0x00, 2, 1 },
    { "esp0", 0x04, 0x02, 4, 0 }, { "ss0", 0x08, 0x04, 2, 1 },
    { "esp1", 0x0C, 0x06, 4, 0 }, { "ss1", 0x10, 0x08, 2, 1 },
    { "esp2", 0x14, 0x0A, 4, 0 }, { "ss2", 0x18, 0x0C, 2, 1 },
    { "cr3", 0x1C, 0xFF, 4, 0 }, { "eip", 0x20, 0x0E, 4, 0 }, { "eflags", 0x24, 0x10, 4, 1 },
    { "eax", 0x28, 0x12, 4, 0 }, { "ecx", 0x2C, 0x14, 4, 0 }, { "edx", 0x30, 0x16, 4, 0 },
    { "ebx", 0x34, 0x18, 4, 1 },
    { "esp", 0x38, 0x1A, 4, 0 }, { "ebp", 0x3C, 0x1C, 4, 0 }, { "esi", 0x40, 0x1E, 4, 0 },
    { "edi", 0x44, 0x20, 4, 1 },
    { "es", 0x48, 0x22, 2, 0 }, { "cs", 0x4C, 0x24, 2, 0 }, { "ss", 0x50, 0x26, 2, 0 },
    { "ds", 0x54, 0x28, 2, 0 }, { "fs", 0x58, 0xFF, 2, 0 }, { "gs", 0x5C, 0xFF, 2, 1 },
    { "ldt", 0x60, 0x2A, 2, 0 },
};

void sysview_tss(Cpu *cpu, FILE *out)
{
    const Segment *tr = &cpu->tr;
    unsigned type = tr->attr & 0xF;
    bool tss32 = type == 9 || type == 11, tss16 = type == 1 || type == 3;
    if ((tr->sel & ~3u) == 0 || (!tss32 && !tss16)) {
        fprintf(out, "TSS: none (TR %04x holds no TSS)\n", tr->sel);
        return;
    }
    fprintf(out, "TR %04x: %s, base %08x limit %08x\n", tr->sel, system_types[type], tr->base, tr->limit);
    bool line_open = false;
    for (size_t i = 0; i < sizeof(tss_rows) / sizeof(tss_rows[0]); i++) {
        const TssRow *r = &tss_rows[i];
        if (!line_open)
            fputc(' ', out);
        line_open = true;
        if (tss32)
            tss_field(cpu, tr->base, out, r->name, r->off32, r->size32);
        else if (r->off16 != 0xFF)
            tss_field(cpu, tr->base, out, r->name + (r->name[0] == 'e' && strlen(r->name) > 2),
                      r->off16, 2);
        if (r->newline) {
            fputc('\n', out);
            line_open = false;
        }
    }
    if (tss32) {
        uint32_t t = 0, iomap = 0;
        bool ok = dbg_read_lin(cpu, tr->base + 0x64, 2, &t) && dbg_read_lin(cpu, tr->base + 0x66, 2, &iomap);
        fprintf(out, " T %u I/O map base %s%04x%s\n", t & 1, ok ? "" : "?", iomap,
                ok && iomap > tr->limit ? " (past the limit: no I/O bitmap)" : "");
    } else {
        fputc('\n', out);
    }
}

/* ---- paging ---- */

static bool pae_on(const Cpu *cpu) { return (cpu->cr4 & CR4_PAE) != 0; }
static bool nxe_on(const Cpu *cpu) { return pae_on(cpu) && (cpu->efer & EFER_NXE); }

/* Whether a PDE maps a large page itself (PS with CR4.PSE or PAE). */
static bool large_leaf(const Cpu *cpu, uint64_t pde)
{
    return (pde & PTE_PS) && (pae_on(cpu) || (cpu->cr4 & CR4_PSE));
}

static uint64_t entry_frame(uint64_t entry, int level, bool pae, bool large)
{
    uint64_t mask = pae ? 0xFFFFFF000ull : 0xFFFFF000ull;
    if (large)
        mask &= pae ? ~0x1FFFFFull : ~0x3FFFFFull;
    return entry & mask;
}

void sysview_describe_entry(uint64_t entry, int level, bool pae, char *buf, size_t len)
{
    static const struct { uint64_t bit; const char *name; } bits[] = {
        { PTE_P, "P" }, { PTE_RW, "RW" }, { PTE_US, "US" }, { PTE_PWT, "PWT" }, { PTE_PCD, "PCD" },
        { PTE_A, "A" }, { PTE_D, "D" }, { PTE_PS, "PS" }, { PTE_G, "G" }, { PTE_XD, "NX" },
    };
    size_t n = 0;
    buf[0] = '\0';
    if (!(entry & PTE_P)) {
        snprintf(buf, len, "not present");
        return;
    }
    for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]) && n < len; i++)
        if (entry & bits[i].bit)
            n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "", bits[i].name);
    if (n < len)
        snprintf(buf + n, len - n, " frame %08" PRIx64,
                 entry_frame(entry, level, pae, level == 2 && (entry & PTE_PS)));
}

static const char *level_name(int level)
{
    return level == 3 ? "PDPTE" : level == 2 ? "PDE" : "PTE";
}

static unsigned level_index(uint32_t lin, int level, bool pae)
{
    if (!pae)
        return level == 2 ? lin >> 22 : (lin >> 12) & 0x3FF;
    return level == 3 ? lin >> 30 : level == 2 ? (lin >> 21) & 0x1FF : (lin >> 12) & 0x1FF;
}

/* The reserved bits set in an entry that failed with PAGE_RULE_RESERVED_BIT. */
static uint64_t reserved_bits(const Cpu *cpu, uint64_t entry, int level)
{
    if (!pae_on(cpu))
        return entry & 0x003FE000u;
    uint64_t r = ~((1ull << 36) - 1) & ~PTE_XD;
    if (!nxe_on(cpu))
        r |= PTE_XD;
    if (level == 2 && (entry & PTE_PS))
        r |= 0x001FE000u;
    return entry & r;
}

/* What stops the access at the failing level, in words. */
static void fault_reason(const Cpu *cpu, const PageFault *f, char *buf, size_t len)
{
    switch (f->rule) {
    case PAGE_RULE_NOT_PRESENT:
        snprintf(buf, len, "not present (P=0): the access faults");
        break;
    case PAGE_RULE_RESERVED_BIT:
        snprintf(buf, len, "reserved bits %" PRIx64 " set: the access faults",
                 reserved_bits(cpu, f->entry, f->level));
        break;
    case PAGE_RULE_USER_SUPERVISOR:
        snprintf(buf, len, "supervisor-only (U/S=0) and the access is from CPL 3: it faults");
        break;
    case PAGE_RULE_READ_ONLY:
        snprintf(buf, len, "read-only (R/W=0) and CR0.WP or CPL 3: the write faults");
        break;
    case PAGE_RULE_NX:
        snprintf(buf, len, "no-execute (XD=1) with EFER.NXE: the fetch faults");
        break;
    default:
        snprintf(buf, len, "%s", page_rule_text(f->rule));
    }
}

bool sysview_walk(Cpu *cpu, uint32_t lin, int access, bool user, const char *first_prefix,
                  const char *prefix, FILE *out)
{
    PageWalkOut w;
    PageFault f;
    bool ok = cpu_page_walk(cpu, lin, (PageAccess)access, user, false, &w, &f);
    bool pae = pae_on(cpu);
    int fail_level = ok ? 0 : f.level;
    for (int level = pae ? 3 : 2; level >= 1; level--) {
        uint64_t e = w.entry[level];
        char bits[96], reason[128] = "";
        sysview_describe_entry(e, level, pae, bits, sizeof(bits));
        if (level == fail_level) {
            fault_reason(cpu, &f, reason, sizeof(reason));
        }
        fprintf(out, "%s%s[%03x] at %08" PRIx64 " = %0*" PRIx64 "  %s%s%s\n",
                level == (pae ? 3 : 2) ? first_prefix : prefix, level_name(level),
                level_index(lin, level, pae), w.entry_addr[level], pae ? 16 : 8, e, bits,
                reason[0] ? "  -- " : "", reason);
        /* The walk ends at a non-present entry, a reserved bit or a large page. */
        if (!(e & PTE_P) || (!ok && f.rule == PAGE_RULE_RESERVED_BIT && f.level == level) ||
            (level == 2 && large_leaf(cpu, e)))
            break;
    }
    return ok;
}

void sysview_page(Cpu *cpu, uint32_t lin, FILE *out)
{
    if (!(cpu->cr0 & CR0_PG)) {
        uint32_t phys = lin & cpu->a20_mask;
        fprintf(out, "page %08x: paging is off (CR0.PG=0): physical %08x%s\n", lin, phys,
                phys != lin ? " (the A20 gate is closed)" : "");
        return;
    }
    fprintf(out, "page %08x: %s, CR3 %08x\n", lin,
            pae_on(cpu) ? nxe_on(cpu) ? "PAE paging with NX" : "PAE paging"
                        : (cpu->cr4 & CR4_PSE) ? "32-bit paging with 4M pages (PSE)" : "32-bit paging",
            cpu->cr3);
    if (!sysview_walk(cpu, lin, PAGE_READ, false, "  ", "  ", out)) {
        fprintf(out, "  not mapped: no access reaches a physical address\n");
        return;
    }
    PageWalkOut w;
    PageFault f;
    cpu_page_walk(cpu, lin, PAGE_READ, false, false, &w, &f);
    fprintf(out, "  physical %08" PRIx64 " (%s page, %s, %s%s%s)\n",
            (uint64_t)(w.phys & (0xFFFFFFFF00000000ull | cpu->a20_mask)),
            w.page_size == 4096 ? "4K" : w.page_size == (2u << 20) ? "2M" : "4M",
            w.writable ? "read/write" : "read-only", w.user ? "user" : "supervisor",
            nxe_on(cpu) ? w.nx ? ", no-execute" : ", executable" : "", w.global ? ", global" : "");
}

static void rights_text(const TlbEntry *e, unsigned user, uint64_t tag, char out[4])
{
    out[0] = e->tag[user][TLB_READ] == tag ? 'r' : '-';
    out[1] = e->tag[user][TLB_WRITE] == tag ? 'w' : '-';
    out[2] = e->tag[user][TLB_EXEC] == tag ? 'x' : '-';
    out[3] = '\0';
}

/* The tag of a TLB entry's page (every allowed kind carries the same), or 0. */
static uint64_t tlb_entry_tag(const TlbEntry *e)
{
    for (unsigned u = 0; u < 2; u++)
        for (unsigned k = 0; k < TLB_KINDS; k++)
            if (e->tag[u][k])
                return e->tag[u][k];
    return 0;
}

void sysview_tlb(Cpu *cpu, FILE *out)
{
    unsigned valid = 0;
    for (unsigned i = 0; i < TLB_ENTRIES; i++)
        valid += tlb_entry_tag(&cpu->tlb.entry[i]) != 0;
    fprintf(out, "TLB: %u valid entries of %u (linear -> physical, rights)\n", valid, (unsigned)TLB_ENTRIES);
    for (unsigned i = 0; i < TLB_ENTRIES; i++) {
        const TlbEntry *e = &cpu->tlb.entry[i];
        uint64_t tag = tlb_entry_tag(e);
        if (!tag)
            continue;
        char sup[4], usr[4];
        rights_text(e, 0, tag, sup);
        rights_text(e, 1, tag, usr);
        fprintf(out, "  %08" PRIx64 " -> %08" PRIx64 "  supervisor %s user %s%s%s%s\n",
                (uint64_t)(tag & ~TLB_PAGE_MASK), (uint64_t)(e->phys & ~TLB_PAGE_MASK), sup, usr, e->global ? " global" : "",
                e->large_mask > 0xFFF ? e->large_mask == 0x1FFFFF ? " (of a 2M page)" : " (of a 4M page)" : "",
                e->host ? "" : " (not RAM)");
    }
}

/* ---- info mem: runs of mapped linear addresses with equal rights ---- */

typedef struct MemRun {
    FILE *out;
    bool open;
    uint64_t start, end;        /* [start, end) */
    unsigned rights;            /* MEM_* */
    bool nx_shown;
} MemRun;

enum { MEM_W = 1, MEM_U = 2, MEM_NX = 4 };

static void run_flush(MemRun *r)
{
    if (!r->open)
        return;
    fprintf(r->out, "  %08" PRIx64 "-%08" PRIx64 " %08" PRIx64 " %cr%c%s\n", r->start, r->end,
            r->end - r->start, (r->rights & MEM_U) ? 'u' : '-', (r->rights & MEM_W) ? 'w' : '-',
            r->nx_shown ? (r->rights & MEM_NX) ? "-" : "x" : "");
    r->open = false;
}

static void run_add(MemRun *r, uint64_t lin, uint64_t size, unsigned rights)
{
    if (r->open && r->end == lin && r->rights == rights) {
        r->end += size;
        return;
    }
    run_flush(r);
    *r = (MemRun){ .out = r->out, .open = true, .start = lin, .end = lin + size, .rights = rights,
                   .nx_shown = r->nx_shown };
}

/* The rights an entry grants, combined with those above it. */
static unsigned entry_rights(const Cpu *cpu, uint64_t e, unsigned above)
{
    unsigned r = above;
    if (!(e & PTE_RW))
        r &= ~(unsigned)MEM_W;
    if (!(e & PTE_US))
        r &= ~(unsigned)MEM_U;
    if (nxe_on(cpu) && (e & PTE_XD))
        r |= MEM_NX;
    return r;
}

/* One page table (512 or 1024 entries) at `table` for linear addresses from `base`. */
static void scan_pt(Cpu *cpu, MemRun *run, uint64_t table, uint64_t base, unsigned rights)
{
    bool pae = pae_on(cpu);
    unsigned n = pae ? 512 : 1024, size = pae ? 8 : 4;
    for (unsigned i = 0; i < n; i++) {
        uint64_t pte = dbg_phys_read(cpu, table + i * size, size);
        if (pte & PTE_P)
            run_add(run, base + (uint64_t)i * 4096, 4096, entry_rights(cpu, pte, rights));
    }
}

/* One page directory for linear addresses from `base`. */
static void scan_pd(Cpu *cpu, MemRun *run, uint64_t table, uint64_t base, unsigned rights)
{
    bool pae = pae_on(cpu);
    unsigned n = pae ? 512 : 1024, size = pae ? 8 : 4;
    uint64_t span = pae ? 2u << 20 : 4u << 20;
    for (unsigned i = 0; i < n; i++) {
        uint64_t pde = dbg_phys_read(cpu, table + i * size, size);
        if (!(pde & PTE_P))
            continue;
        unsigned r = entry_rights(cpu, pde, rights);
        if (large_leaf(cpu, pde))
            run_add(run, base + i * span, span, r);
        else
            scan_pt(cpu, run, entry_frame(pde, 2, pae, false), base + i * span, r);
    }
}

void sysview_mem(Cpu *cpu, FILE *out)
{
    if (!(cpu->cr0 & CR0_PG)) {
        fprintf(out, "paging is off (CR0.PG=0): linear addresses are physical\n");
        return;
    }
    MemRun run = { .out = out, .nx_shown = nxe_on(cpu) };
    fprintf(out, "mapped linear ranges (start-end size, u user, r read, w write%s):\n",
            run.nx_shown ? ", x execute" : "");
    if (!pae_on(cpu)) {
        scan_pd(cpu, &run, cpu->cr3 & 0xFFFFF000u, 0, MEM_W | MEM_U);
    } else {
        /* The PDPTEs are those loaded at MOV CR3 (the processor caches them). */
        for (unsigned i = 0; i < 4; i++)
            if (cpu->pdpte[i] & PTE_P)
                scan_pd(cpu, &run, entry_frame(cpu->pdpte[i], 3, true, false), (uint64_t)i << 30,
                        MEM_W | MEM_U);
    }
    run_flush(&run);
}
