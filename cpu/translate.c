/* SPDX-License-Identifier: MIT */
/*
 * Linear to physical with paging (SDM vol. 3, ch. 4): the TLB in front of the
 * page walk of mmu/paging.c, the raise of #PF with CR2, accesses that cross
 * a page (both pages translated before a byte moves), system accesses with
 * supervisor rights at any CPL, and what MOV CRn, INVLPG and the A20 gate do
 * to cached translations.  access.c keeps the common case (paging off, one
 * page) inline; everything else comes here, in its own file so the compiler
 * keeps the hot path small.  Not modelled: 4-level paging, PCIDs, SMEP/SMAP.
 */
#include <string.h>

#include "cpu_internal.h"

_Static_assert((int)TLB_READ == (int)PAGE_READ && (int)TLB_WRITE == (int)PAGE_WRITE &&
               (int)TLB_EXEC == (int)PAGE_EXEC,
               "TLB kinds and page-walk accesses share their numbering");

/* The A20 gate masks bit 20 of every address the processor drives,
 * page-walk reads included; addresses above 4 GiB (PAE) keep their high half. */
static uint64_t a20_mask64(const Cpu *cpu)
{
    return 0xFFFFFFFF00000000ull | cpu->a20_mask;
}

static uint64_t walk_read(void *ctx, uint64_t phys, unsigned size)
{
    Cpu *cpu = ctx;
    uint64_t lo = phys_read(cpu->mem, phys & a20_mask64(cpu), 4);

    if (size == 4)
        return lo;
    return lo | (uint64_t)phys_read(cpu->mem, (phys + 4) & a20_mask64(cpu), 4) << 32;
}

static void walk_write(void *ctx, uint64_t phys, uint64_t value, unsigned size)
{
    Cpu *cpu = ctx;

    phys_write(cpu->mem, phys & a20_mask64(cpu), (uint32_t)value, 4);
    if (size == 8)
        phys_write(cpu->mem, (phys + 4) & a20_mask64(cpu), (uint32_t)(value >> 32), 4);
}

static PageMemOps walk_ops(Cpu *cpu)
{
    return (PageMemOps){ .read = walk_read, .write = walk_write, .ctx = cpu };
}

/* Physical-address width of the model's PAE entries (36 bits, as the P6). */
enum { PHYS_BITS = 36 };

bool cpu_page_walk(Cpu *cpu, uint64_t lin, PageAccess access, bool user, bool set_ad,
                   PageWalkOut *out, PageFault *fault)
{
    PageMemOps ops = walk_ops(cpu);
    PageWalkIn in = {
        .lin = lin, .access = access, .user = user,
        .cr0 = cpu->cr0, .cr3 = cpu->cr3, .cr4 = cpu->cr4, .efer = cpu->efer,
        .pdpte = cpu->pdpte, .phys_bits = PHYS_BITS, .set_ad = set_ad,
    };
    return page_walk(&in, &ops, out, fault);
}

static const FaultRule page_fault_rules[] = {
    [PAGE_RULE_NONE] = FAULT_NONE,
    [PAGE_RULE_NOT_PRESENT] = FAULT_PAGE_NOT_PRESENT,
    [PAGE_RULE_RESERVED_BIT] = FAULT_PAGE_RESERVED_BIT,
    [PAGE_RULE_USER_SUPERVISOR] = FAULT_PAGE_USER_SUPERVISOR,
    [PAGE_RULE_READ_ONLY] = FAULT_PAGE_READ_ONLY,
    [PAGE_RULE_NX] = FAULT_PAGE_NX,
};

/* A TLB miss: walk (setting A/D), raise #PF with CR2 on failure, otherwise
 * cache what the walk allowed.  A RAM page gets its host pointer. */
static TlbEntry *tlb_miss(Cpu *cpu, uint32_t lin, unsigned kind, bool user)
{
    PageWalkOut out;
    PageFault fault;
    uint64_t phys, page;
    uint8_t *host;

    if (!cpu_page_walk(cpu, lin, (PageAccess)kind, user, true, &out, &fault)) {
        cpu->cr2 = (uint32_t)fault.cr2;
        cpu_raise(cpu, EXC_PF, fault.error_code, page_fault_rules[fault.rule],
                  (uint32_t)fault.cr2, (uint32_t)fault.level, (uint32_t)fault.entry);
    }
    phys = out.phys & a20_mask64(cpu);
    page = phys & ~0xFFFull;
    host = phys_ram_ptr(cpu->mem, page);
    if (host && phys_ram_ptr(cpu->mem, page + 0xFFF) != host + 0xFFF)
        host = NULL;
    TlbFill fill = {
        .lin = lin, .phys = phys, .host = host, .page_size = out.page_size,
        .writable = out.writable, .user = out.user, .nx = out.nx,
        .global = out.global, .dirty = out.dirty, .wp = (cpu->cr0 & CR0_WP) != 0,
    };
    return tlb_fill(&cpu->tlb, &fill);
}

static TlbEntry *tlb_entry(Cpu *cpu, uint32_t lin, unsigned kind, bool user)
{
    TlbEntry *e = tlb_lookup(&cpu->tlb, lin, kind, user);
    return e ? e : tlb_miss(cpu, lin, kind, user);
}

/* Linear to physical for one page's worth of bytes: masked by the A20 gate
 * without paging, through the TLB with it (raises #PF). */
static uint64_t translate(Cpu *cpu, uint32_t lin, unsigned kind, bool user)
{
    if (!(cpu->cr0 & CR0_PG))
        return lin & cpu->a20_mask;
    return tlb_entry(cpu, lin, kind, user)->phys | (lin & 0xFFF);
}

/* A user access is one made at CPL 3, unless it is a system access. */
static bool cpl_user(const Cpu *cpu)
{
    return cpu_cpl(cpu) == 3;
}

uint64_t cpu_translate_fetch(Cpu *cpu, uint32_t lin)
{
    return translate(cpu, lin, TLB_EXEC, (cpu->cr0 & CR0_PG) && cpl_user(cpu));
}

void cpu_flush_translations(Cpu *cpu)
{
    cpu_tlb_flush_all(cpu);
}

void cpu_tlb_flush_all(Cpu *cpu)
{
    tlb_flush_all(&cpu->tlb);
    cpu_flush_fetch_cache(cpu);
}

void cpu_tlb_flush_page(Cpu *cpu, uint32_t lin)
{
    tlb_flush_page(&cpu->tlb, lin);
    cpu_flush_fetch_cache(cpu);
}

/* SDM vol. 3, 4.4.1: with PAE paging, MOV CR3 and any MOV CR0/CR4 that turns
 * paging on or changes PAE, PGE or PSE loads the four PDPTEs.  4.10.4: MOV
 * CR3 drops non-global translations, a change of CR0.PG/WP or CR4.PGE/PSE/
 * PAE drops them all. */
void cpu_set_control(Cpu *cpu, uint32_t cr0, uint32_t cr3, uint32_t cr4, bool cr3_written)
{
    uint32_t cr0_changed = cr0 ^ cpu->cr0, cr4_changed = cr4 ^ cpu->cr4;
    uint32_t cr4_paging = CR4_PGE | CR4_PSE | CR4_PAE;

    if ((cr0 & CR0_PG) && (cr4 & CR4_PAE) &&
        (cr3_written || (cr0_changed & CR0_PG) || (cr4_changed & cr4_paging))) {
        PageMemOps ops = walk_ops(cpu);
        uint64_t pdpte[4];
        int bad = page_load_pdptes(&ops, cr3, PHYS_BITS, pdpte);
        if (bad >= 0)
            cpu_raise(cpu, EXC_GP, 0, FAULT_PDPTE_RESERVED_BIT, (uint32_t)bad, cr3, (uint32_t)pdpte[bad]);
        memcpy(cpu->pdpte, pdpte, sizeof(pdpte));
    }
    cpu->cr0 = cr0;
    cpu->cr3 = cr3;
    cpu->cr4 = cr4;
    if ((cr0_changed & (CR0_PG | CR0_WP)) || (cr4_changed & cr4_paging)) {
        cpu_tlb_flush_all(cpu);
    } else if (cr3_written) {
        tlb_flush_nonglobal(&cpu->tlb);
        cpu_flush_fetch_cache(cpu);
    }
}

/* ---- linear accesses ---- */

/* The physical address of byte i of an access that crosses into the page
 * holding `second` (the last byte's page). */
static uint64_t split_phys(uint32_t lin, unsigned i, uint64_t first, uint64_t second)
{
    uint32_t l = lin + i;
    return (l & ~0xFFFu) == (lin & ~0xFFFu) ? first + i : second + (l & 0xFFF);
}

/* Both pages are translated, first page first, before a byte moves. */
static uint32_t read_split(Cpu *cpu, uint32_t lin, unsigned size, bool user)
{
    uint64_t first = translate(cpu, lin, TLB_READ, user);
    uint64_t second = translate(cpu, (lin + size - 1) & ~0xFFFu, TLB_READ, user);
    uint32_t v = 0;

    for (unsigned i = 0; i < size; i++)
        v |= phys_read(cpu->mem, split_phys(lin, i, first, second), 1) << (i * 8);
    return v;
}

/* A fault on either page must leave memory untouched. */
static void write_split(Cpu *cpu, uint32_t lin, uint32_t value, unsigned size, bool user)
{
    uint64_t first = translate(cpu, lin, TLB_WRITE, user);
    uint64_t second = translate(cpu, (lin + size - 1) & ~0xFFFu, TLB_WRITE, user);

    for (unsigned i = 0; i < size; i++)
        phys_write(cpu->mem, split_phys(lin, i, first, second), (value >> (i * 8)) & 0xFF, 1);
}

static uint32_t read_paged(Cpu *cpu, uint32_t lin, unsigned size, bool user)
{
    if (crosses_page(lin, size))
        return read_split(cpu, lin, size, user);
    TlbEntry *e = tlb_entry(cpu, lin, TLB_READ, user);
    if (e->host)
        return host_load(e->host + (lin & 0xFFF), size);
    return phys_read(cpu->mem, e->phys | (lin & 0xFFF), size);
}

static void write_paged(Cpu *cpu, uint32_t lin, uint32_t value, unsigned size, bool user)
{
    if (crosses_page(lin, size)) {
        write_split(cpu, lin, value, size, user);
        return;
    }
    TlbEntry *e = tlb_entry(cpu, lin, TLB_WRITE, user);
    if (e->host)
        host_store(e->host + (lin & 0xFFF), value, size);
    else
        phys_write(cpu->mem, e->phys | (lin & 0xFFF), value, size);
}

/* Everything but an unpaged access within one page (access.c has that). */
uint32_t lin_read_slow(Cpu *cpu, uint32_t lin, unsigned size, bool system)
{
    if (cpu->cr0 & CR0_PG)
        return read_paged(cpu, lin, size, !system && cpl_user(cpu));
    if (crosses_page(lin, size))
        return read_split(cpu, lin, size, false);
    return phys_read(cpu->mem, lin & cpu->a20_mask, size);
}

void lin_write_slow(Cpu *cpu, uint32_t lin, uint32_t value, unsigned size, bool system)
{
    if (cpu->cr0 & CR0_PG)
        write_paged(cpu, lin, value, size, !system && cpl_user(cpu));
    else if (crosses_page(lin, size))
        write_split(cpu, lin, value, size, false);
    else
        phys_write(cpu->mem, lin & cpu->a20_mask, value, size);
}



/* With paging on: translates both pages of a write without writing, so a
 * later write of these bytes cannot fault (commit-last handlers rely on it). */
void lin_check_write(Cpu *cpu, uint32_t lin, unsigned size)
{
    translate(cpu, lin, TLB_WRITE, cpl_user(cpu));
    if (crosses_page(lin, size))
        translate(cpu, (lin + size - 1) & ~0xFFFu, TLB_WRITE, cpl_user(cpu));
}

bool cpu_debug_translate(Cpu *cpu, uint32_t lin, uint64_t *phys)
{
    if (!(cpu->cr0 & CR0_PG)) {
        *phys = lin & cpu->a20_mask;
        return true;
    }
    PageWalkOut out;
    PageFault fault;
    /* Supervisor read: the debugger sees what the kernel could. */
    if (!cpu_page_walk(cpu, lin, PAGE_READ, false, false, &out, &fault))
        return false;
    *phys = out.phys & (0xFFFFFFFF00000000ull | cpu->a20_mask);
    return true;
}
