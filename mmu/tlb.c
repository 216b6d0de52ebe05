/* SPDX-License-Identifier: MIT */
/*
 * Filling and flushing the software TLB.  A fill sets the tags of the
 * accesses the walk's rights allow (SDM vol. 3, 4.6): user accesses need
 * U/S, writes need R/W (supervisor writes only with CR0.WP) and a dirty
 * leaf, fetches need XD clear.  Flushes follow SDM vol. 3, 4.10.4: MOV CR3
 * keeps global entries, INVLPG and changes of CR0/CR4 paging bits drop all.
 */
#include "tlb.h"

#include <string.h>

TlbEntry *tlb_fill(Tlb *tlb, const TlbFill *fill)
{
    TlbEntry *e = tlb_slot(tlb, fill->lin);
    uint64_t tag = (fill->lin & ~TLB_PAGE_MASK) | TLB_VALID;
    bool user_write = fill->dirty && fill->user && fill->writable;
    bool super_write = fill->dirty && (fill->writable || !fill->wp);

    memset(e, 0, sizeof(*e));
    e->tag[0][TLB_READ] = tag;
    e->tag[0][TLB_WRITE] = super_write ? tag : 0;
    e->tag[0][TLB_EXEC] = fill->nx ? 0 : tag;
    if (fill->user) {
        e->tag[1][TLB_READ] = tag;
        e->tag[1][TLB_WRITE] = user_write ? tag : 0;
        e->tag[1][TLB_EXEC] = fill->nx ? 0 : tag;
    }
    e->host = fill->host;
    e->phys = fill->phys & ~TLB_PAGE_MASK;
    e->large_mask = fill->page_size - 1;
    e->global = fill->global;
    if (fill->page_size > 4096)
        tlb->has_large = true;
    return e;
}

void tlb_flush_all(Tlb *tlb)
{
    memset(tlb->entry, 0, sizeof(tlb->entry));
    tlb->has_large = false;
}

void tlb_flush_nonglobal(Tlb *tlb)
{
    for (unsigned i = 0; i < TLB_ENTRIES; i++)
        if (!tlb->entry[i].global)
            memset(&tlb->entry[i], 0, sizeof(tlb->entry[i]));
}

/* INVLPG names one address; a large page cached as 4 KiB pieces loses them all. */
void tlb_flush_page(Tlb *tlb, uint64_t lin)
{
    memset(tlb_slot(tlb, lin), 0, sizeof(TlbEntry));
    if (!tlb->has_large)
        return;
    for (unsigned i = 0; i < TLB_ENTRIES; i++) {
        TlbEntry *e = &tlb->entry[i];
        /* A filled entry always allows supervisor reads, so that tag names its page. */
        if (e->tag[0][TLB_READ] && ((e->tag[0][TLB_READ] ^ lin) & ~e->large_mask & ~TLB_VALID) == 0)
            memset(e, 0, sizeof(*e));
    }
}
