/* SPDX-License-Identifier: MIT */
/* The software TLB: hits, per-kind and per-privilege tags, writes gated on
 * the dirty bit, and the three kinds of flush. */
#include <check.h>
#include <stdlib.h>

#include "suites.h"
#include "tlb.h"

static Tlb *new_tlb(void)
{
    Tlb *tlb = calloc(1, sizeof(Tlb));     /* zeroed is empty */
    ck_assert_ptr_nonnull(tlb);
    return tlb;
}

static TlbFill page(uint64_t lin, uint64_t phys)
{
    return (TlbFill){ .lin = lin, .phys = phys, .page_size = 4096, .writable = true,
                      .user = true, .dirty = true, .wp = true };
}

static bool hit(Tlb *tlb, uint64_t lin, unsigned kind, bool user)
{
    return tlb_lookup(tlb, lin, kind, user) != NULL;
}

START_TEST(empty_tlb_misses_page_zero)
{
    Tlb *tlb = new_tlb();
    ck_assert(!hit(tlb, 0, TLB_READ, false));
    ck_assert(!hit(tlb, 0x123, TLB_EXEC, true));
    free(tlb);
}
END_TEST

START_TEST(fill_then_hit_with_host_pointer)
{
    static uint8_t ram[4096];
    Tlb *tlb = new_tlb();
    TlbFill f = page(0x12345678, 0x9678);
    f.host = ram;
    TlbEntry *e = tlb_fill(tlb, &f);
    ck_assert_ptr_eq(tlb_lookup(tlb, 0x12345FFF, TLB_READ, true), e);
    ck_assert_ptr_eq(e->host, ram);
    ck_assert_uint_eq(e->phys, 0x9000);
    ck_assert(hit(tlb, 0x12345000, TLB_WRITE, true));
    ck_assert(hit(tlb, 0x12345000, TLB_EXEC, false));
    ck_assert(!hit(tlb, 0x12346000, TLB_READ, false));
    /* Same slot, other page: a miss, not a wrong hit. */
    ck_assert(!hit(tlb, 0x12345000 + (TLB_ENTRIES << 12), TLB_READ, false));
    free(tlb);
}
END_TEST

START_TEST(supervisor_page_misses_for_user)
{
    Tlb *tlb = new_tlb();
    TlbFill f = page(0x5000, 0x5000);
    f.user = false;
    tlb_fill(tlb, &f);
    ck_assert(hit(tlb, 0x5000, TLB_READ, false));
    ck_assert(hit(tlb, 0x5000, TLB_WRITE, false));
    ck_assert(!hit(tlb, 0x5000, TLB_READ, true));
    ck_assert(!hit(tlb, 0x5000, TLB_WRITE, true));
    ck_assert(!hit(tlb, 0x5000, TLB_EXEC, true));
    free(tlb);
}
END_TEST

START_TEST(write_cached_only_when_dirty)
{
    Tlb *tlb = new_tlb();
    TlbFill f = page(0x5000, 0x5000);
    f.dirty = false;
    tlb_fill(tlb, &f);
    ck_assert(hit(tlb, 0x5000, TLB_READ, true));
    ck_assert(!hit(tlb, 0x5000, TLB_WRITE, true));
    ck_assert(!hit(tlb, 0x5000, TLB_WRITE, false));
    f.dirty = true;                 /* the write's walk set D and refills */
    tlb_fill(tlb, &f);
    ck_assert(hit(tlb, 0x5000, TLB_WRITE, true));
    free(tlb);
}
END_TEST

START_TEST(read_only_page_and_wp)
{
    Tlb *tlb = new_tlb();
    TlbFill f = page(0x5000, 0x5000);
    f.writable = false;
    f.wp = false;                   /* supervisor writes ignore R/W */
    tlb_fill(tlb, &f);
    ck_assert(hit(tlb, 0x5000, TLB_WRITE, false));
    ck_assert(!hit(tlb, 0x5000, TLB_WRITE, true));
    f.wp = true;
    tlb_fill(tlb, &f);
    ck_assert(!hit(tlb, 0x5000, TLB_WRITE, false));
    ck_assert(hit(tlb, 0x5000, TLB_READ, false));
    free(tlb);
}
END_TEST

START_TEST(nx_page_has_no_exec_tag)
{
    Tlb *tlb = new_tlb();
    TlbFill f = page(0x5000, 0x5000);
    f.nx = true;
    tlb_fill(tlb, &f);
    ck_assert(!hit(tlb, 0x5000, TLB_EXEC, false));
    ck_assert(!hit(tlb, 0x5000, TLB_EXEC, true));
    ck_assert(hit(tlb, 0x5000, TLB_READ, true));
    free(tlb);
}
END_TEST

START_TEST(flush_kinds)
{
    Tlb *tlb = new_tlb();
    TlbFill g = page(0x1000, 0x1000), n = page(0x2000, 0x2000), o = page(0x3000, 0x3000);
    g.global = true;
    tlb_fill(tlb, &g);
    tlb_fill(tlb, &n);
    tlb_fill(tlb, &o);

    tlb_flush_page(tlb, 0x3FFF);
    ck_assert(!hit(tlb, 0x3000, TLB_READ, false));
    ck_assert(hit(tlb, 0x2000, TLB_READ, false));

    tlb_flush_nonglobal(tlb);
    ck_assert(hit(tlb, 0x1000, TLB_READ, false));
    ck_assert(!hit(tlb, 0x2000, TLB_READ, false));

    tlb_flush_page(tlb, 0x1000);    /* INVLPG drops global entries too */
    ck_assert(!hit(tlb, 0x1000, TLB_READ, false));

    tlb_fill(tlb, &g);
    tlb_flush_all(tlb);
    ck_assert(!hit(tlb, 0x1000, TLB_READ, false));
    free(tlb);
}
END_TEST

START_TEST(invlpg_drops_all_pieces_of_a_large_page)
{
    Tlb *tlb = new_tlb();
    TlbFill a = page(0x00400000, 0x00C00000), b = page(0x00401000, 0x00C01000),
            c = page(0x00800000, 0x01000000);
    a.page_size = b.page_size = c.page_size = 4u << 20;
    tlb_fill(tlb, &a);
    tlb_fill(tlb, &b);
    tlb_fill(tlb, &c);
    tlb_flush_page(tlb, 0x00456789);
    ck_assert(!hit(tlb, 0x00400000, TLB_READ, false));
    ck_assert(!hit(tlb, 0x00401000, TLB_READ, false));
    ck_assert(hit(tlb, 0x00800000, TLB_READ, false));   /* another large page stays */
    free(tlb);
}
END_TEST

Suite *tlb_suite(void)
{
    Suite *s = suite_create("tlb");
    TCase *tc = tcase_create("tlb");
    tcase_add_test(tc, empty_tlb_misses_page_zero);
    tcase_add_test(tc, fill_then_hit_with_host_pointer);
    tcase_add_test(tc, supervisor_page_misses_for_user);
    tcase_add_test(tc, write_cached_only_when_dirty);
    tcase_add_test(tc, read_only_page_and_wp);
    tcase_add_test(tc, nx_page_has_no_exec_tag);
    tcase_add_test(tc, flush_kinds);
    tcase_add_test(tc, invlpg_drops_all_pieces_of_a_large_page);
    suite_add_tcase(s, tc);
    return s;
}
