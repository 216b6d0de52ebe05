/* SPDX-License-Identifier: MIT */
/*
 * The page walk (Intel SDM vol. 3, ch. 4): a pure function from a linear
 * address, an access kind and the control registers to a physical address
 * and the page's effective rights, or to a page fault with its error code
 * and the rule that failed.  It reads (and, for the accessed and dirty bits,
 * writes) paging-structure entries only through PageMemOps, so the CPU, the
 * debugger and the tests over a byte array share it.  Modes: 32-bit paging
 * (with CR4.PSE 4 MiB pages) and PAE paging (2 MiB pages, NX with
 * EFER.NXE).  Linear addresses are 64-bit so 4-level paging fits later.
 * Not modelled: PSE-36, PAT/PCD/PWT (caches), SMEP/SMAP, protection keys.
 *
 * 32-bit paging entry (PDE or PTE; a 4 MiB PDE has PS set):
 *
 *   31                  12 11  9 8 7 6 5 4 3 2 1 0
 *  +----------------------+-----+-+-+-+-+-+-+-+-+-+
 *  | page frame           | AVL |G|S|D|A|C|W|U|W|P|
 *  +----------------------+-----+-+-+-+-+-+-+-+-+-+
 *                                  P  D  D  T  S  R
 *     G global (PTE / 4 MiB PDE; with CR4.PGE)   PS 4 MiB page (PDE, CR4.PSE)
 *     D dirty (leaf only)   A accessed   U/S user   R/W writable   P present
 *     a 4 MiB PDE: bits 31:22 frame, bits 21:13 reserved, bit 12 PAT
 *
 * PAE entry (64 bits): bit 63 XD (no execute, with EFER.NXE), bits 35:12
 * the frame, low bits as above; a 2 MiB PDE has bits 20:13 reserved.  The
 * four PDPTEs are loaded from CR3 by MOV CR3 and have only P of the low bits.
 */
#ifndef FAULTLINE_PAGING_H
#define FAULTLINE_PAGING_H

#include <stdbool.h>
#include <stdint.h>

/* Paging-structure entry bits (SDM vol. 3, tables 4-5 .. 4-11) */
#define PTE_P    0x001u     /* present */
#define PTE_RW   0x002u     /* writable */
#define PTE_US   0x004u     /* user */
#define PTE_PWT  0x008u
#define PTE_PCD  0x010u
#define PTE_A    0x020u     /* accessed */
#define PTE_D    0x040u     /* dirty */
#define PTE_PS   0x080u     /* large page (in a PDE) */
#define PTE_G    0x100u     /* global */
#define PTE_XD   (1ull << 63)   /* execute disable (PAE, EFER.NXE) */

/* #PF error code (SDM vol. 3, 6.15, figure 6-11) */
#define PF_ERR_P    0x01u   /* 0: not present; 1: protection or reserved bit */
#define PF_ERR_W    0x02u   /* the access was a write */
#define PF_ERR_U    0x04u   /* the access was a user-mode access */
#define PF_ERR_RSVD 0x08u   /* a reserved bit was set in an entry */
#define PF_ERR_I    0x10u   /* an instruction fetch (only with PAE and EFER.NXE) */

/* The control-register bits the walk reads (the same values as in cpu.h). */
#define PAGING_CR0_WP  0x00010000u
#define PAGING_CR0_PG  0x80000000u
#define PAGING_CR4_PSE 0x00000010u
#define PAGING_CR4_PAE 0x00000020u
#define PAGING_CR4_PGE 0x00000080u
#define PAGING_EFER_NXE 0x800u

#define PAGING_VECTOR_PF 14

typedef enum PageAccess { PAGE_READ, PAGE_WRITE, PAGE_EXEC } PageAccess;

/* Why a walk failed: the debugger explains each. */
typedef enum PageRule {
    PAGE_RULE_NONE,
    PAGE_RULE_NOT_PRESENT,      /* P clear in the entry at `level` */
    PAGE_RULE_RESERVED_BIT,     /* a reserved bit set in the entry at `level` */
    PAGE_RULE_USER_SUPERVISOR,  /* user access, U/S clear at `level` */
    PAGE_RULE_READ_ONLY,        /* write, R/W clear at `level` (user, or supervisor with WP) */
    PAGE_RULE_NX,               /* fetch, XD set at `level` */
} PageRule;

/* Physical accesses of 4 or 8 bytes to paging structures. */
typedef struct PageMemOps {
    uint64_t (*read)(void *ctx, uint64_t phys, unsigned size);
    void (*write)(void *ctx, uint64_t phys, uint64_t value, unsigned size);
    void *ctx;
} PageMemOps;

typedef struct PageWalkIn {
    uint64_t lin;
    PageAccess access;
    bool user;              /* CPL 3 and not a system (descriptor table, TSS) access */
    uint32_t cr0, cr4;
    uint64_t cr3, efer;
    const uint64_t *pdpte;  /* PAE: the four PDPTEs loaded at MOV CR3 */
    unsigned phys_bits;     /* MAXPHYADDR for PAE reserved bits; 36 when 0 */
    bool set_ad;            /* false: a debugger walk that writes nothing */
} PageWalkIn;

/* Levels are named by the entry: 1 PTE, 2 PDE, 3 PDPTE (4 PML4E later). */
enum { PAGE_LEVELS = 5 };

typedef struct PageWalkOut {
    uint64_t phys;          /* of lin itself */
    uint64_t page_size;     /* 4 KiB, 2 MiB or 4 MiB */
    bool writable, user, nx, global, dirty;
    /* Every entry read, by level (0 where the walk did not go): the debugger's view. */
    uint64_t entry[PAGE_LEVELS];
    uint64_t entry_addr[PAGE_LEVELS];
} PageWalkOut;

typedef struct PageFault {
    uint8_t vector;         /* 14 */
    uint32_t error_code;
    uint64_t cr2;           /* the linear address */
    int level;              /* of the entry that failed */
    uint64_t entry;
    PageRule rule;
} PageFault;

/* Returns true and fills `out`, or false and fills `fault` (out still holds
 * the entries read).  With in->set_ad it sets A on every entry used and D on
 * the leaf of a write, as the processor does with a locked read-modify-write. */
bool page_walk(const PageWalkIn *in, const PageMemOps *ops, PageWalkOut *out, PageFault *fault);

/* Reads the four PAE PDPTEs at CR3 bits 31:5 (MOV CR3 does this).  Returns
 * -1, or the index of the first PDPTE with a reserved bit set (#GP(0)). */
int page_load_pdptes(const PageMemOps *ops, uint64_t cr3, unsigned phys_bits, uint64_t pdpte[4]);

const char *page_rule_text(PageRule rule);

#endif
