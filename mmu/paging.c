/* SPDX-License-Identifier: MIT */
/*
 * The page walk of SDM vol. 3, 4.3 (32-bit paging) and 4.4 (PAE paging),
 * written level by level as the SDM's tables read.  Rights are the AND of
 * R/W and U/S over the levels walked and NX the OR of XD (4.6); a supervisor
 * write ignores R/W unless CR0.WP is set.  The accessed bit is set on each
 * non-leaf entry as the walk passes it and on the leaf only when the access
 * is allowed, together with the dirty bit for a write (4.8): so a TLB entry
 * made from a read must walk again before its first write.  Every failure
 * ends in one tail that builds the #PF error code.
 */
#include "paging.h"

#include <string.h>

/* One walk in progress. */
typedef struct Walk {
    const PageWalkIn *in;
    const PageMemOps *ops;
    PageWalkOut *out;
    PageFault *fault;
} Walk;

static bool nx_enabled(const PageWalkIn *in)
{
    return (in->cr4 & PAGING_CR4_PAE) && (in->efer & PAGING_EFER_NXE);
}

static unsigned phys_bits(const PageWalkIn *in)
{
    return in->phys_bits ? in->phys_bits : 36;
}

/* Bits 51:12 of a PAE entry that lie below MAXPHYADDR: the frame. */
static uint64_t pae_frame_mask(unsigned bits)
{
    return ((1ull << bits) - 1) & ~0xFFFull;
}

/* PAE PDEs and PTEs: bits 62:MAXPHYADDR are reserved, and XD too unless
 * EFER.NXE gives it a meaning (SDM vol. 3, tables 4-10, 4-11). */
static uint64_t pae_reserved(const PageWalkIn *in)
{
    uint64_t r = ~((1ull << phys_bits(in)) - 1) & ~PTE_XD;
    if (!nx_enabled(in))
        r |= PTE_XD;
    return r;
}

/* The tail of every failed walk: the error code says what the access was
 * (write, user, fetch) and whether the entry was present (SDM vol. 3, 6.15). */
static bool fail(Walk *w, int level, uint64_t entry, PageRule rule)
{
    const PageWalkIn *in = w->in;
    uint32_t error = 0;

    if (rule != PAGE_RULE_NOT_PRESENT)
        error |= PF_ERR_P;
    if (rule == PAGE_RULE_RESERVED_BIT)
        error |= PF_ERR_RSVD;
    if (in->access == PAGE_WRITE)
        error |= PF_ERR_W;
    if (in->user)
        error |= PF_ERR_U;
    if (in->access == PAGE_EXEC && nx_enabled(in))
        error |= PF_ERR_I;
    *w->fault = (PageFault){
        .vector = PAGING_VECTOR_PF, .error_code = error, .cr2 = in->lin,
        .level = level, .entry = entry, .rule = rule,
    };
    return false;
}

static uint64_t read_entry(Walk *w, int level, uint64_t addr, unsigned size)
{
    uint64_t entry = w->ops->read(w->ops->ctx, addr, size);
    w->out->entry[level] = entry;
    w->out->entry_addr[level] = addr;
    return entry;
}

/* The locked read-modify-write the processor uses for A and D: the entry
 * is read again, so bits another agent set meanwhile are kept. */
static void set_bits(Walk *w, int level, uint64_t bits, unsigned size)
{
    uint64_t addr = w->out->entry_addr[level];
    uint64_t now;

    if (!w->in->set_ad || (w->out->entry[level] & bits) == bits)
        return;
    now = w->ops->read(w->ops->ctx, addr, size);
    if ((now & bits) != bits)
        w->ops->write(w->ops->ctx, addr, now | bits, size);
}

/* The highest level from `top` down to `leaf` whose entry has `bit` equal
 * to `value`: the entry the debugger blames for a protection fault. */
static int level_with(const Walk *w, int top, int leaf, uint64_t bit, bool value)
{
    for (int level = top; level > leaf; level--)
        if (((w->out->entry[level] & bit) != 0) == value)
            return level;
    return leaf;
}

/* The leaf: combine the rights of the levels 2..leaf, check the access,
 * then set A (and D for a write) and give the physical address. */
static bool leaf(Walk *w, int leaf_level, uint64_t frame, uint64_t page_size, unsigned size)
{
    const PageWalkIn *in = w->in;
    PageWalkOut *out = w->out;
    uint64_t entry = out->entry[leaf_level];
    bool rw = true, us = true, nx = false;

    for (int level = 2; level >= leaf_level; level--) {
        rw = rw && (out->entry[level] & PTE_RW);
        us = us && (out->entry[level] & PTE_US);
        nx = nx || (nx_enabled(in) && (out->entry[level] & PTE_XD));
    }
    if (in->user && !us)
        return fail(w, level_with(w, 2, leaf_level, PTE_US, false), entry, PAGE_RULE_USER_SUPERVISOR);
    if (in->access == PAGE_WRITE && !rw && (in->user || (in->cr0 & PAGING_CR0_WP)))
        return fail(w, level_with(w, 2, leaf_level, PTE_RW, false), entry, PAGE_RULE_READ_ONLY);
    if (in->access == PAGE_EXEC && nx)
        return fail(w, level_with(w, 2, leaf_level, PTE_XD, true), entry, PAGE_RULE_NX);

    set_bits(w, leaf_level, PTE_A | (in->access == PAGE_WRITE ? PTE_D : 0), size);
    out->phys = frame | (in->lin & (page_size - 1));
    out->page_size = page_size;
    out->writable = rw;
    out->user = us;
    out->nx = nx;
    out->global = (entry & PTE_G) && (in->cr4 & PAGING_CR4_PGE);
    out->dirty = (entry & PTE_D) || (in->access == PAGE_WRITE && in->set_ad);
    return true;
}

/* 32-bit paging (SDM vol. 3, 4.3): CR3 -> PDE (lin 31:22) -> PTE (lin 21:12),
 * or a 4 MiB page straight from the PDE when CR4.PSE and PDE.PS are set. */
static bool walk_32(Walk *w)
{
    const PageWalkIn *in = w->in;
    uint32_t lin = (uint32_t)in->lin;
    uint64_t pde, pte;

    pde = read_entry(w, 2, (in->cr3 & 0xFFFFF000u) | ((lin >> 22) & 0x3FF) * 4, 4);
    if (!(pde & PTE_P))
        return fail(w, 2, pde, PAGE_RULE_NOT_PRESENT);
    if ((pde & PTE_PS) && (in->cr4 & PAGING_CR4_PSE)) {
        /* Bits 21:13 would be physical bits 39:32 with PSE-36, which is not modelled. */
        if (pde & 0x003FE000u)
            return fail(w, 2, pde, PAGE_RULE_RESERVED_BIT);
        return leaf(w, 2, pde & 0xFFC00000u, 4u << 20, 4);
    }
    set_bits(w, 2, PTE_A, 4);

    pte = read_entry(w, 1, (pde & 0xFFFFF000u) | ((lin >> 12) & 0x3FF) * 4, 4);
    if (!(pte & PTE_P))
        return fail(w, 1, pte, PAGE_RULE_NOT_PRESENT);
    return leaf(w, 1, pte & 0xFFFFF000u, 4096, 4);
}

/* PAE paging (SDM vol. 3, 4.4): PDPTE (lin 31:30, loaded at MOV CR3) ->
 * PDE (lin 29:21) -> PTE (lin 20:12), or a 2 MiB page from the PDE. */
static bool walk_pae(Walk *w)
{
    const PageWalkIn *in = w->in;
    uint32_t lin = (uint32_t)in->lin;
    uint64_t frame = pae_frame_mask(phys_bits(in));
    uint64_t reserved = pae_reserved(in);
    unsigned index = (lin >> 30) & 3;
    uint64_t pdpte, pde, pte;

    pdpte = in->pdpte[index];
    w->out->entry[3] = pdpte;
    w->out->entry_addr[3] = (in->cr3 & 0xFFFFFFE0u) + index * 8;
    if (!(pdpte & PTE_P))
        return fail(w, 3, pdpte, PAGE_RULE_NOT_PRESENT);

    pde = read_entry(w, 2, (pdpte & frame) + ((lin >> 21) & 0x1FF) * 8, 8);
    if (!(pde & PTE_P))
        return fail(w, 2, pde, PAGE_RULE_NOT_PRESENT);
    if (pde & reserved)
        return fail(w, 2, pde, PAGE_RULE_RESERVED_BIT);
    if (pde & PTE_PS) {
        if (pde & 0x001FE000u)
            return fail(w, 2, pde, PAGE_RULE_RESERVED_BIT);
        return leaf(w, 2, pde & frame & ~0x1FFFFFull, 2u << 20, 8);
    }
    set_bits(w, 2, PTE_A, 8);

    pte = read_entry(w, 1, (pde & frame) + ((lin >> 12) & 0x1FF) * 8, 8);
    if (!(pte & PTE_P))
        return fail(w, 1, pte, PAGE_RULE_NOT_PRESENT);
    if (pte & reserved)
        return fail(w, 1, pte, PAGE_RULE_RESERVED_BIT);
    return leaf(w, 1, pte & frame, 4096, 8);
}

bool page_walk(const PageWalkIn *in, const PageMemOps *ops, PageWalkOut *out, PageFault *fault)
{
    Walk w = { .in = in, .ops = ops, .out = out, .fault = fault };

    memset(out, 0, sizeof(*out));
    if (in->cr4 & PAGING_CR4_PAE)
        return walk_pae(&w);
    return walk_32(&w);
}

/* A PAE PDPTE has only P among its low bits: 2:1 and 8:5 are reserved,
 * as are 63:MAXPHYADDR (SDM vol. 3, table 4-8). */
int page_load_pdptes(const PageMemOps *ops, uint64_t cr3, unsigned phys_bits, uint64_t pdpte[4])
{
    uint64_t reserved = 0x1E6u | ~((1ull << (phys_bits ? phys_bits : 36)) - 1);
    int bad = -1;

    for (int i = 0; i < 4; i++) {
        pdpte[i] = ops->read(ops->ctx, (cr3 & 0xFFFFFFE0u) + i * 8, 8);
        if (bad < 0 && (pdpte[i] & PTE_P) && (pdpte[i] & reserved))
            bad = i;
    }
    return bad;
}

const char *page_rule_text(PageRule rule)
{
    switch (rule) {
    case PAGE_RULE_NOT_PRESENT:     return "the entry is not present (P clear)";
    case PAGE_RULE_RESERVED_BIT:    return "the entry sets a reserved bit";
    case PAGE_RULE_USER_SUPERVISOR: return "a user-mode access to a supervisor page (U/S clear)";
    case PAGE_RULE_READ_ONLY:       return "a write to a read-only page (R/W clear)";
    case PAGE_RULE_NX:              return "an instruction fetch from a no-execute page (XD set)";
    default:                        return "no fault";
    }
}
