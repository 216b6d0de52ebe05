/* SPDX-License-Identifier: MIT */
/*
 * A software TLB: direct-mapped by linear 4 KiB page, caching the results of
 * page walks (SDM vol. 3, 4.10).  Each entry keeps one tag per access kind
 * (read, write, execute) and privilege (user, supervisor), set only when the
 * walk allowed that access, so a hit is one compare; a RAM page also keeps
 * the host pointer of its first byte, so the access after it is one add.
 * Write tags are set only once the leaf entry is dirty, so the first write
 * to a clean page walks again and sets D.  Large pages are cached as their
 * 4 KiB pieces; INVLPG drops every piece of the large page it names.
 * Not modelled: the hardware's set-associativity and sizes (a guest that
 * relies on a stale entry surviving sees one flush sooner than on silicon).
 *
 *   tag[user][kind] = linear page | TLB_VALID, or 0 when not allowed
 */
#ifndef FAULTLINE_TLB_H
#define FAULTLINE_TLB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { TLB_READ, TLB_WRITE, TLB_EXEC, TLB_KINDS };
enum { TLB_BITS = 10, TLB_ENTRIES = 1 << TLB_BITS };

#define TLB_PAGE_MASK 0xFFFull
#define TLB_VALID 1ull          /* in the tag: never a page address, so 0 is "empty" */

typedef struct TlbEntry {
    uint64_t tag[2][TLB_KINDS];     /* [user][kind] */
    uint8_t *host;                  /* the page's first byte in host RAM, or NULL */
    uint64_t phys;                  /* physical page */
    uint64_t large_mask;            /* page size - 1 of the page it came from */
    bool global;
} TlbEntry;

typedef struct Tlb {
    TlbEntry entry[TLB_ENTRIES];
    bool has_large;                 /* some entry came from a 2/4 MiB page */
} Tlb;

/* What a page walk allowed, to be cached. */
typedef struct TlbFill {
    uint64_t lin, phys;             /* any address in the page; phys of the same byte */
    uint8_t *host;                  /* host pointer of the 4 KiB page, or NULL */
    uint64_t page_size;
    bool writable, user, nx;        /* the effective rights of the walk */
    bool global, dirty;
    bool wp;                        /* CR0.WP: supervisor writes obey R/W */
} TlbFill;

static inline TlbEntry *tlb_slot(Tlb *tlb, uint64_t lin)
{
    return &tlb->entry[(lin >> 12) & (TLB_ENTRIES - 1)];
}

/* The entry that allows this access, or NULL on a miss. */
static inline TlbEntry *tlb_lookup(Tlb *tlb, uint64_t lin, unsigned kind, bool user)
{
    TlbEntry *e = tlb_slot(tlb, lin);
    return e->tag[user][kind] == ((lin & ~TLB_PAGE_MASK) | TLB_VALID) ? e : NULL;
}

TlbEntry *tlb_fill(Tlb *tlb, const TlbFill *fill);
void tlb_flush_all(Tlb *tlb);
void tlb_flush_nonglobal(Tlb *tlb);     /* MOV CR3 */
void tlb_flush_page(Tlb *tlb, uint64_t lin);     /* INVLPG */

#endif
