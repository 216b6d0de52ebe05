/* SPDX-License-Identifier: MIT */
/* The page walk over hand-built tables in a byte array: every #PF error-code
 * combination, A/D bits, CR0.WP, PSE 4 MiB pages, PAE 2 MiB and 4 KiB pages,
 * NX, reserved bits, the debugger's walk that writes nothing, global pages. */
#include <check.h>
#include <string.h>

#include "paging.h"
#include "suites.h"

enum { MEM_SIZE = 0x20000, PD = 0x1000, PT = 0x2000, PDPT = 0x3000, PAE_PD = 0x4000, PAE_PT = 0x5000 };

typedef struct ArrayMem {
    uint8_t bytes[MEM_SIZE];
    int writes;
} ArrayMem;

static ArrayMem mem;

static uint64_t array_read(void *ctx, uint64_t phys, unsigned size)
{
    ArrayMem *m = ctx;
    uint64_t v = 0;
    ck_assert_uint_lt(phys + size, MEM_SIZE + 1);
    memcpy(&v, m->bytes + phys, size);     /* the host is little-endian like x86 */
    return v;
}

static void array_write(void *ctx, uint64_t phys, uint64_t value, unsigned size)
{
    ArrayMem *m = ctx;
    ck_assert_uint_lt(phys + size, MEM_SIZE + 1);
    memcpy(m->bytes + phys, &value, size);
    m->writes++;
}

static const PageMemOps ops = { .read = array_read, .write = array_write, .ctx = &mem };

static void put32(uint32_t addr, uint32_t v) { memcpy(mem.bytes + addr, &v, 4); }
static void put64(uint32_t addr, uint64_t v) { memcpy(mem.bytes + addr, &v, 8); }
static uint32_t get32(uint32_t addr) { uint32_t v; memcpy(&v, mem.bytes + addr, 4); return v; }
static uint64_t get64(uint32_t addr) { uint64_t v; memcpy(&v, mem.bytes + addr, 8); return v; }

#define URW (PTE_P | PTE_RW | PTE_US)

/* 32-bit paging: PDE 0 -> PT; PTE 5 maps lin 0x5000 to 0x7000. */
static void setup_32(void)
{
    memset(&mem, 0, sizeof(mem));
    put32(PD, PT | URW);
    put32(PT + 5 * 4, 0x7000 | URW);
}

static PageWalkIn in32(uint64_t lin, PageAccess access, bool user)
{
    return (PageWalkIn){ .lin = lin, .access = access, .user = user, .cr0 = PAGING_CR0_PG,
                         .cr3 = PD, .set_ad = true };
}

static uint64_t pdpte[4];

/* PAE: PDPTE 0 -> PD; PDE 0 -> PT; PTE 5 maps 0x5000 to 0x7000;
 * PDE 1 is a 2 MiB page at 0x00C00000. */
static void setup_pae(void)
{
    memset(&mem, 0, sizeof(mem));
    put64(PDPT, PAE_PD | PTE_P);
    put64(PAE_PD, PAE_PT | URW);
    put64(PAE_PD + 8, 0x00C00000 | PTE_PS | URW);
    put64(PAE_PT + 5 * 8, 0x7000 | URW);
    ck_assert_int_eq(page_load_pdptes(&ops, PDPT, 36, pdpte), -1);
}

static PageWalkIn in_pae(uint64_t lin, PageAccess access, bool user)
{
    PageWalkIn in = in32(lin, access, user);
    in.cr4 = PAGING_CR4_PAE;
    in.cr3 = PDPT;
    in.pdpte = pdpte;
    return in;
}

static bool walk(const PageWalkIn *in, PageWalkOut *out, PageFault *fault)
{
    return page_walk(in, &ops, out, fault);
}

START_TEST(walk_4k_read_sets_accessed_only)
{
    PageWalkOut out;
    PageFault f;
    setup_32();
    PageWalkIn in = in32(0x5123, PAGE_READ, false);
    ck_assert(walk(&in, &out, &f));
    ck_assert_uint_eq(out.phys, 0x7123);
    ck_assert_uint_eq(out.page_size, 4096);
    ck_assert(out.writable && out.user && !out.nx && !out.global && !out.dirty);
    ck_assert_uint_eq(get32(PD), PT | URW | PTE_A);
    ck_assert_uint_eq(get32(PT + 20), 0x7000 | URW | PTE_A);
    ck_assert_uint_eq(out.entry[2], PT | URW);
    ck_assert_uint_eq(out.entry_addr[1], PT + 20);
}
END_TEST

START_TEST(walk_write_sets_dirty_on_leaf_only)
{
    PageWalkOut out;
    PageFault f;
    setup_32();
    PageWalkIn in = in32(0x5FFF, PAGE_WRITE, true);
    ck_assert(walk(&in, &out, &f));
    ck_assert(out.dirty);
    ck_assert_uint_eq(get32(PD), PT | URW | PTE_A);
    ck_assert_uint_eq(get32(PT + 20), 0x7000 | URW | PTE_A | PTE_D);
}
END_TEST

/* Not present at either level: P clear in the error code; W, U and (without
 * NX) no I/D bit follow the access. */
START_TEST(not_present_error_codes)
{
    static const PageAccess kinds[] = { PAGE_READ, PAGE_WRITE, PAGE_EXEC };
    for (int level = 1; level <= 2; level++)
        for (int k = 0; k < 3; k++)
            for (int user = 0; user < 2; user++) {
                PageWalkOut out;
                PageFault f;
                setup_32();
                if (level == 2)
                    put32(PD, 0);
                else
                    put32(PT + 20, 0x7000);
                PageWalkIn in = in32(0x5008, kinds[k], user);
                ck_assert(!walk(&in, &out, &f));
                uint32_t expect = (kinds[k] == PAGE_WRITE ? PF_ERR_W : 0) | (user ? PF_ERR_U : 0);
                ck_assert_uint_eq(f.vector, 14);
                ck_assert_uint_eq(f.error_code, expect);
                ck_assert_uint_eq(f.cr2, 0x5008);
                ck_assert_int_eq(f.level, level);
                ck_assert_int_eq(f.rule, PAGE_RULE_NOT_PRESENT);
            }
}
END_TEST

START_TEST(user_access_to_supervisor_page)
{
    PageWalkOut out;
    PageFault f;
    setup_32();
    put32(PD, PT | PTE_P | PTE_RW);             /* U/S clear at the directory */
    PageWalkIn in = in32(0x5000, PAGE_READ, true);
    ck_assert(!walk(&in, &out, &f));
    ck_assert_uint_eq(f.error_code, PF_ERR_P | PF_ERR_U);
    ck_assert_int_eq(f.rule, PAGE_RULE_USER_SUPERVISOR);
    ck_assert_int_eq(f.level, 2);
    ck_assert_uint_eq(get32(PT + 20) & PTE_A, 0);   /* the leaf is not marked accessed */
    ck_assert_uint_ne(get32(PD) & PTE_A, 0);        /* the directory was used */

    in.access = PAGE_WRITE;
    ck_assert(!walk(&in, &out, &f));
    ck_assert_uint_eq(f.error_code, PF_ERR_P | PF_ERR_W | PF_ERR_U);

    in.user = false;                                /* the supervisor may */
    ck_assert(walk(&in, &out, &f));
    ck_assert(!out.user);
}
END_TEST

START_TEST(write_protect_rules)
{
    PageWalkOut out;
    PageFault f;
    setup_32();
    put32(PT + 20, 0x7000 | PTE_P | PTE_US);        /* read-only at the table */

    PageWalkIn in = in32(0x5000, PAGE_WRITE, true);
    ck_assert(!walk(&in, &out, &f));
    ck_assert_uint_eq(f.error_code, PF_ERR_P | PF_ERR_W | PF_ERR_U);
    ck_assert_int_eq(f.rule, PAGE_RULE_READ_ONLY);
    ck_assert_int_eq(f.level, 1);

    in.user = false;                                /* WP clear: supervisor writes anyway */
    ck_assert(walk(&in, &out, &f));
    ck_assert(!out.writable && out.dirty);
    ck_assert_uint_ne(get32(PT + 20) & PTE_D, 0);

    in.cr0 |= PAGING_CR0_WP;
    ck_assert(!walk(&in, &out, &f));
    ck_assert_uint_eq(f.error_code, PF_ERR_P | PF_ERR_W);
    ck_assert_int_eq(f.rule, PAGE_RULE_READ_ONLY);

    in.access = PAGE_READ;                          /* reads are fine */
    ck_assert(walk(&in, &out, &f));
}
END_TEST

START_TEST(debugger_walk_writes_nothing)
{
    PageWalkOut out;
    PageFault f;
    setup_32();
    mem.writes = 0;
    PageWalkIn in = in32(0x5000, PAGE_WRITE, false);
    in.set_ad = false;
    ck_assert(walk(&in, &out, &f));
    ck_assert_uint_eq(out.phys, 0x7000);
    ck_assert_int_eq(mem.writes, 0);
    ck_assert_uint_eq(get32(PD), PT | URW);
    ck_assert_uint_eq(get32(PT + 20), 0x7000 | URW);
    ck_assert(!out.dirty);

    in.set_ad = true;                               /* and a real one writes each entry once */
    ck_assert(walk(&in, &out, &f));
    ck_assert_int_eq(mem.writes, 2);
    ck_assert(walk(&in, &out, &f));
    ck_assert_int_eq(mem.writes, 2);
}
END_TEST

START_TEST(pse_4mib_pages)
{
    PageWalkOut out;
    PageFault f;
    setup_32();
    put32(PD + 4, 0x00C00000 | PTE_PS | URW | PTE_G);
    PageWalkIn in = in32(0x00412345, PAGE_WRITE, false);

    in.cr4 = PAGING_CR4_PSE | PAGING_CR4_PGE;
    ck_assert(walk(&in, &out, &f));
    ck_assert_uint_eq(out.phys, 0x00C12345);
    ck_assert_uint_eq(out.page_size, 4u << 20);
    ck_assert(out.global);
    ck_assert_uint_eq(get32(PD + 4), 0x00C00000 | PTE_PS | URW | PTE_G | PTE_A | PTE_D);

    put32(PD + 4, 0x00C00000 | PTE_PS | URW | (1u << 13));     /* bits 21:13 are reserved */
    ck_assert(!walk(&in, &out, &f));
    ck_assert_uint_eq(f.error_code, PF_ERR_P | PF_ERR_RSVD | PF_ERR_W);
    ck_assert_int_eq(f.rule, PAGE_RULE_RESERVED_BIT);
    ck_assert_int_eq(f.level, 2);

    /* Without CR4.PSE the PS bit is ignored: the PDE points at a table. */
    in.cr4 = 0;
    put32(PD + 4, PT | PTE_PS | URW);
    put32(PT + 0x12 * 4, 0x9000 | URW);
    ck_assert(walk(&in, &out, &f));
    ck_assert_uint_eq(out.phys, 0x9345);
    ck_assert_uint_eq(out.page_size, 4096);
}
END_TEST

START_TEST(global_needs_pge)
{
    PageWalkOut out;
    PageFault f;
    setup_32();
    put32(PT + 20, 0x7000 | URW | PTE_G);
    PageWalkIn in = in32(0x5000, PAGE_READ, false);
    ck_assert(walk(&in, &out, &f));
    ck_assert(!out.global);
    in.cr4 = PAGING_CR4_PGE;
    ck_assert(walk(&in, &out, &f));
    ck_assert(out.global);
}
END_TEST

START_TEST(pae_4k_and_2m_pages)
{
    PageWalkOut out;
    PageFault f;
    setup_pae();
    PageWalkIn in = in_pae(0x5ABC, PAGE_WRITE, true);
    ck_assert(walk(&in, &out, &f));
    ck_assert_uint_eq(out.phys, 0x7ABC);
    ck_assert_uint_eq(get64(PAE_PT + 40), 0x7000 | URW | PTE_A | PTE_D);
    ck_assert_uint_eq(get64(PAE_PD), PAE_PT | URW | PTE_A);
    ck_assert_uint_eq(out.entry[3], PAE_PD | PTE_P);

    in = in_pae(0x00212345, PAGE_READ, false);
    ck_assert(walk(&in, &out, &f));
    ck_assert_uint_eq(out.phys, 0x00C12345);
    ck_assert_uint_eq(out.page_size, 2u << 20);

    put64(PAE_PD + 8, 0x00C00000 | PTE_PS | URW | (1u << 20));   /* bits 20:13 reserved */
    ck_assert(!walk(&in, &out, &f));
    ck_assert_uint_eq(f.error_code, PF_ERR_P | PF_ERR_RSVD);
    ck_assert_int_eq(f.level, 2);
}
END_TEST

START_TEST(pae_pdpte_not_present_and_reserved)
{
    PageWalkOut out;
    PageFault f;
    setup_pae();
    PageWalkIn in = in_pae(0x40000000, PAGE_READ, true);       /* PDPTE 1 is empty */
    ck_assert(!walk(&in, &out, &f));
    ck_assert_uint_eq(f.error_code, PF_ERR_U);
    ck_assert_int_eq(f.level, 3);
    ck_assert_int_eq(f.rule, PAGE_RULE_NOT_PRESENT);

    put64(PDPT + 16, PAE_PD | PTE_P | PTE_RW);                  /* R/W is reserved in a PDPTE */
    ck_assert_int_eq(page_load_pdptes(&ops, PDPT, 36, pdpte), 2);
    put64(PDPT + 16, PAE_PD | PTE_P | (1ull << 40));            /* above MAXPHYADDR */
    ck_assert_int_eq(page_load_pdptes(&ops, PDPT, 36, pdpte), 2);
    put64(PDPT + 16, 0xFFFFFFFFFFFFFFFEull);                    /* not present: not checked */
    ck_assert_int_eq(page_load_pdptes(&ops, PDPT, 36, pdpte), -1);
}
END_TEST

START_TEST(pae_reserved_bits_above_maxphyaddr)
{
    PageWalkOut out;
    PageFault f;
    setup_pae();
    put64(PAE_PT + 40, 0x7000 | URW | (1ull << 36));
    PageWalkIn in = in_pae(0x5000, PAGE_WRITE, true);
    ck_assert(!walk(&in, &out, &f));
    ck_assert_uint_eq(f.error_code, PF_ERR_P | PF_ERR_RSVD | PF_ERR_W | PF_ERR_U);
    ck_assert_int_eq(f.level, 1);
    ck_assert_uint_eq(get64(PAE_PD) & PTE_A, PTE_A);    /* the directory was still used */

    in.phys_bits = 40;                                   /* a wider part accepts it */
    ck_assert(walk(&in, &out, &f));
    ck_assert_uint_eq(out.phys, (1ull << 36) | 0x7000);
}
END_TEST

START_TEST(nx_with_efer_nxe)
{
    PageWalkOut out;
    PageFault f;
    setup_pae();
    put64(PAE_PT + 40, 0x7000 | URW | PTE_XD);
    PageWalkIn in = in_pae(0x5000, PAGE_EXEC, false);

    /* Without NXE bit 63 is reserved. */
    ck_assert(!walk(&in, &out, &f));
    ck_assert_uint_eq(f.error_code, PF_ERR_P | PF_ERR_RSVD);

    in.efer = PAGING_EFER_NXE;
    ck_assert(!walk(&in, &out, &f));
    ck_assert_uint_eq(f.error_code, PF_ERR_P | PF_ERR_I);
    ck_assert_int_eq(f.rule, PAGE_RULE_NX);
    ck_assert_int_eq(f.level, 1);
    in.user = true;
    ck_assert(!walk(&in, &out, &f));
    ck_assert_uint_eq(f.error_code, PF_ERR_P | PF_ERR_I | PF_ERR_U);

    in.access = PAGE_READ;                              /* data reads are fine */
    ck_assert(walk(&in, &out, &f));
    ck_assert(out.nx);

    /* XD at the directory covers the whole table. */
    put64(PAE_PT + 40, 0x7000 | URW);
    put64(PAE_PD, PAE_PT | URW | PTE_XD);
    in.access = PAGE_EXEC;
    ck_assert(!walk(&in, &out, &f));
    ck_assert_int_eq(f.level, 2);

    /* A fetch from a page that is not present has I/D set under NX. */
    put64(PAE_PD, 0);
    ck_assert(!walk(&in, &out, &f));
    ck_assert_uint_eq(f.error_code, PF_ERR_I | PF_ERR_U);
}
END_TEST

START_TEST(rule_texts)
{
    ck_assert_str_eq(page_rule_text(PAGE_RULE_NX), "an instruction fetch from a no-execute page (XD set)");
    ck_assert_str_eq(page_rule_text(PAGE_RULE_NONE), "no fault");
}
END_TEST

Suite *paging_suite(void)
{
    Suite *s = suite_create("paging");
    TCase *tc = tcase_create("walk");
    tcase_add_test(tc, walk_4k_read_sets_accessed_only);
    tcase_add_test(tc, walk_write_sets_dirty_on_leaf_only);
    tcase_add_test(tc, not_present_error_codes);
    tcase_add_test(tc, user_access_to_supervisor_page);
    tcase_add_test(tc, write_protect_rules);
    tcase_add_test(tc, debugger_walk_writes_nothing);
    tcase_add_test(tc, pse_4mib_pages);
    tcase_add_test(tc, global_needs_pge);
    tcase_add_test(tc, pae_4k_and_2m_pages);
    tcase_add_test(tc, pae_pdpte_not_present_and_reserved);
    tcase_add_test(tc, pae_reserved_bits_above_maxphyaddr);
    tcase_add_test(tc, nx_with_efer_nxe);
    tcase_add_test(tc, rule_texts);
    suite_add_tcase(s, tc);
    return s;
}
