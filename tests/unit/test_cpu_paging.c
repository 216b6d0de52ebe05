/* SPDX-License-Identifier: MIT */
/*
 * Paging seen from the CPU: real-mode code turns on PE and PG at once with
 * an identity map (the segment caches keep their real-mode values, CPL is
 * 0), then #PF sets CR2 and the error code, a page-crossing write that
 * faults on its second page writes nothing, INVLPG and MOV CR3 (keeping
 * global pages) drop stale translations, CR0.WP changes take effect at once,
 * and the A/D bits land in RAM.  The #PF handler is a HLT behind a 32-bit
 * interrupt gate; until protected-mode delivery exists the CPU shuts down
 * instead, and the tests check the recorded first fault either way.
 */
#include "cpu_fixture.h"
#include "suites.h"

enum { PD = 0x10000, PT = 0x11000, GDT = 0x600, IDT = 0x700, SETUP_LEN = 21 };

#define URW (PTE_P | PTE_RW | PTE_US)

/* mov eax,PD; mov cr3,eax; mov eax,cr0; or eax,0x80000001; mov cr0,eax */
static const uint8_t setup_code[SETUP_LEN] = {
    0x66, 0xB8, 0x00, 0x00, 0x01, 0x00, 0x0F, 0x22, 0xD8, 0x0F, 0x20, 0xC0,
    0x66, 0x0D, 0x01, 0x00, 0x00, 0x80, 0x0F, 0x22, 0xC0,
};

static void pte_set(Fixture *f, unsigned page, uint32_t value)
{
    wr(f, PT + page * 4, value, 4);
}

static uint32_t pte_get(Fixture *f, unsigned page)
{
    return rd(f, PT + page * 4, 4);
}

/* An identity map of the 2 MiB of RAM, a flat GDT and an IDT whose #PF gate
 * leads to a HLT, and the setup code; the test's code follows it. */
static void paging_init(Fixture *f, const uint8_t *code, size_t n)
{
    fixture_init(f, "pentium");
    wr(f, PD, PT | URW, 4);
    for (unsigned i = 0; i < 512; i++)
        pte_set(f, i, (i << 12) | URW);
    wr(f, GDT + 8, 0x0000FFFF, 4);          /* 8: flat 32-bit code */
    wr(f, GDT + 12, 0x00CF9A00, 4);
    wr(f, GDT + 16, 0x0000FFFF, 4);         /* 16: flat 32-bit data */
    wr(f, GDT + 20, 0x00CF9200, 4);
    wr(f, IDT + EXC_PF * 8, (8u << 16) | HANDLER, 4);     /* 32-bit interrupt gate */
    wr(f, IDT + EXC_PF * 8 + 4, 0x00008E00, 4);
    wr(f, HANDLER, 0xF4, 1);
    f->cpu.gdtr = (TableRegister){ GDT, 23 };
    f->cpu.idtr = (TableRegister){ IDT, 0x7FF };
    phys_write_block(&f->mem, FIXTURE_CODE, setup_code, SETUP_LEN);
    phys_write_block(&f->mem, FIXTURE_CODE + SETUP_LEN, code, n);
    wr(f, 0x9000, 0x11, 1);
    wr(f, 0xA000, 0x22, 1);
    wr(f, 0xB000, 0x33, 1);
    wr(f, 0xC000, 0x44, 1);
}

#define PAGING(...) \
    do { static const uint8_t c_[] = { __VA_ARGS__, 0xF4 }; paging_init(&f, c_, sizeof(c_)); } while (0)

/* Runs the setup and `n` more instructions. */
static void run_n(Fixture *f, unsigned n)
{
    ck_assert_int_eq(cpu_run(&f->cpu, 5 + n), CPU_STOP_BUDGET);
}

/* Runs until the #PF handler halts (or, without protected-mode delivery,
 * the CPU shuts down) and checks the fault. */
static void run_to_page_fault(Fixture *f, uint32_t error, uint32_t cr2)
{
    CpuStop stop = cpu_run(&f->cpu, 100);
    ck_assert(stop == CPU_STOP_HALT || stop == CPU_STOP_SHUTDOWN);
    ck_assert_uint_eq(f->cpu.first_fault.vector, EXC_PF);
    ck_assert_uint_eq(f->cpu.first_fault.error_code, error);
    ck_assert_uint_eq(f->cpu.cr2, cr2);
    if (stop == CPU_STOP_HALT) {
        ck_assert_uint_eq(f->cpu.eip, HANDLER + 1);
        ck_assert_uint_eq(rd(f, f->cpu.seg[SEG_SS].base + f->cpu.gpr[REG_ESP], 4), error);
    }
}

START_TEST(not_present_read_and_write)
{
    Fixture f;
    PAGING(0xA0, 0x34, 0x92);               /* mov al,[0x9234] */
    pte_set(&f, 9, 0x9000);
    run_to_page_fault(&f, 0, 0x9234);
    ck_assert_int_eq(f.cpu.first_fault.rule, FAULT_PAGE_NOT_PRESENT);
    fixture_free(&f);

    PAGING(0xA2, 0x35, 0x92);               /* mov [0x9235],al */
    pte_set(&f, 9, 0x9000);
    run_to_page_fault(&f, PF_ERR_W, 0x9235);
    ck_assert_uint_eq(rd(&f, 0x9235, 1), 0);
    fixture_free(&f);
}
END_TEST

START_TEST(crossing_write_faults_before_writing)
{
    Fixture f;
    PAGING(0x66, 0xB8, 0x44, 0x33, 0x22, 0x11,      /* mov eax,0x11223344 */
           0x66, 0xA3, 0xFE, 0x8F);                 /* mov [0x8FFE],eax */
    wr(&f, 0x8FFC, 0xAABBCCDD, 4);
    pte_set(&f, 9, 0x9000);
    run_to_page_fault(&f, PF_ERR_W, 0x9000);
    ck_assert_uint_eq(rd(&f, 0x8FFC, 4), 0xAABBCCDD);
    ck_assert_uint_eq(rd(&f, 0x9000, 1), 0x11);

    fixture_free(&f);
}
END_TEST

START_TEST(crossing_write_lands_in_both_pages)
{
    Fixture f;
    PAGING(0x66, 0xB8, 0x44, 0x33, 0x22, 0x11,      /* mov eax,0x11223344 */
           0x66, 0xA3, 0xFE, 0x8F,                  /* mov [0x8FFE],eax */
           0x66, 0x8B, 0x1E, 0xFF, 0x8F);           /* mov ebx,[0x8FFF] */
    pte_set(&f, 9, 0xA000 | URW);                   /* the second page is elsewhere */
    run_to_hlt(&f);
    ck_assert_uint_eq(rd(&f, 0x8FFE, 2), 0x3344);
    ck_assert_uint_eq(rd(&f, 0xA000, 2), 0x1122);
    ck_assert_uint_eq(rd(&f, 0x9000, 1), 0x11);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x00112233);
    fixture_free(&f);
}
END_TEST

START_TEST(invlpg_drops_a_stale_translation)
{
    Fixture f;
    PAGING(0xA0, 0x00, 0x90,                        /* mov al,[0x9000] */
           0x8A, 0x0E, 0x00, 0x90,                  /* mov cl,[0x9000] */
           0x0F, 0x01, 0x3E, 0x00, 0x90,            /* invlpg [0x9000] */
           0x8A, 0x16, 0x00, 0x90);                 /* mov dl,[0x9000] */
    run_n(&f, 1);
    pte_set(&f, 9, 0xA000 | URW);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0xFF, 0x11);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX] & 0xFF, 0x11);    /* the TLB still had it */
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX] & 0xFF, 0x22);
    fixture_free(&f);
}
END_TEST

START_TEST(cr3_reload_keeps_global_pages)
{
    Fixture f;
    PAGING(0xA0, 0x00, 0x90,                        /* mov al,[0x9000] */
           0x8A, 0x1E, 0x00, 0xB0,                  /* mov bl,[0xB000] */
           0x0F, 0x20, 0xD8, 0x0F, 0x22, 0xD8,      /* mov eax,cr3; mov cr3,eax */
           0x8A, 0x0E, 0x00, 0x90,                  /* mov cl,[0x9000] */
           0x8A, 0x16, 0x00, 0xB0);                 /* mov dl,[0xB000] */
    f.cpu.cr4 = CR4_PGE;
    pte_set(&f, 9, 0x9000 | URW | PTE_G);
    run_n(&f, 2);
    pte_set(&f, 9, 0xA000 | URW | PTE_G);
    pte_set(&f, 0xB, 0xC000 | URW);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX] & 0xFF, 0x33);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX] & 0xFF, 0x11);    /* global: survived MOV CR3 */
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX] & 0xFF, 0x44);    /* not global: walked again */
    fixture_free(&f);
}
END_TEST

START_TEST(accessed_and_dirty_bits_in_ram)
{
    Fixture f;
    PAGING(0xA0, 0x00, 0x90,                        /* mov al,[0x9000] */
           0xA2, 0x01, 0x90);                       /* mov [0x9001],al */
    run_n(&f, 1);
    ck_assert_uint_eq(pte_get(&f, 9), 0x9000 | URW | PTE_A);
    ck_assert_uint_ne(rd(&f, PD, 4) & PTE_A, 0);
    ck_assert_uint_ne(pte_get(&f, 0) & PTE_A, 0);           /* the code page was fetched */
    run_to_hlt(&f);
    ck_assert_uint_eq(pte_get(&f, 9), 0x9000 | URW | PTE_A | PTE_D);
    ck_assert_uint_eq(rd(&f, 0x9001, 1), 0x11);
    ck_assert_uint_eq(pte_get(&f, 0xA) & PTE_A, 0);         /* untouched pages stay clean */
    fixture_free(&f);
}
END_TEST

START_TEST(cr0_wp_takes_effect_at_once)
{
    Fixture f;
    PAGING(0xC6, 0x06, 0x00, 0x90, 0x55,            /* mov byte [0x9000],0x55: WP clear, allowed */
           0x0F, 0x20, 0xC0,                        /* mov eax,cr0 */
           0x66, 0x0D, 0x00, 0x00, 0x01, 0x00,      /* or eax,CR0_WP */
           0x0F, 0x22, 0xC0,                        /* mov cr0,eax */
           0xC6, 0x06, 0x01, 0x90, 0x66);           /* mov byte [0x9001],0x66: now #PF */
    pte_set(&f, 9, 0x9000 | PTE_P | PTE_US);        /* read-only */
    run_to_page_fault(&f, PF_ERR_P | PF_ERR_W, 0x9001);
    ck_assert_int_eq(f.cpu.first_fault.rule, FAULT_PAGE_READ_ONLY);
    ck_assert_uint_eq(rd(&f, 0x9000, 1), 0x55);
    ck_assert_uint_eq(rd(&f, 0x9001, 1), 0);
    fixture_free(&f);
}
END_TEST

START_TEST(debugger_walk_sets_no_bits)
{
    Fixture f;
    PageWalkOut out;
    PageFault fault;
    PAGING(0x90);
    run_n(&f, 0);
    ck_assert(cpu_page_walk(&f.cpu, 0xB123, PAGE_WRITE, true, false, &out, &fault));
    ck_assert_uint_eq(out.phys, 0xB123);
    ck_assert_uint_eq(pte_get(&f, 0xB), 0xB000 | URW);
    pte_set(&f, 0xB, 0);
    ck_assert(!cpu_page_walk(&f.cpu, 0xB123, PAGE_READ, false, false, &out, &fault));
    ck_assert_uint_eq(fault.error_code, 0);
    ck_assert_uint_eq(f.cpu.cr2, 0);                        /* nothing raised */
    fixture_free(&f);
}
END_TEST

START_TEST(a20_change_flushes)
{
    Fixture f;
    PAGING(0x90);
    run_n(&f, 0);
    pte_set(&f, 0x100, 0x101000 | URW);     /* lin 0x100000 -> phys 0x101000 */
    wr(&f, 0x101000, 0x66, 1);
    wr(&f, 0x001000, 0x77, 1);
    ck_assert_uint_eq(lin_read(&f.cpu, 0x100000, 1), 0x66);
    cpu_set_a20(&f.cpu, false);             /* phys bit 20 is now masked */
    ck_assert_uint_eq(lin_read(&f.cpu, 0x100000, 1), 0x77);
    fixture_free(&f);
}
END_TEST

/* PAE: CR3 names a PDPT (here at PD's address) whose PDPTE 0 points at a
 * directory with one 2 MiB identity page; CR4.PAE is set directly because
 * the models do not report PAE in CPUID yet. */
static void pae_init(Fixture *f, uint32_t pdpte0)
{
    static const uint8_t read_9000[] = { 0xA0, 0x00, 0x90, 0xF4 };     /* mov al,[0x9000] */
    paging_init(f, read_9000, sizeof(read_9000));
    wr(f, PD, pdpte0, 4);
    wr(f, PD + 4, 0, 4);
    wr(f, 0x13000, PTE_PS | URW, 4);
    wr(f, 0x13004, 0, 4);
    f->cpu.cr4 = CR4_PAE;
}

START_TEST(pae_pdptes_load_when_paging_turns_on)
{
    Fixture f;
    pae_init(&f, 0x13000 | PTE_P);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.pdpte[0], 0x13000 | PTE_P);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0xFF, 0x11);
    ck_assert_uint_eq(rd(&f, 0x13000, 4), PTE_PS | URW | PTE_A);
    fixture_free(&f);
}
END_TEST

/* R/W is reserved in a PAE PDPTE: the MOV CR0 that turns paging on raises
 * #GP(0) and leaves CR0 as it was, so the CPU is still in real mode. */
START_TEST(pae_reserved_pdpte_bit_is_gp_at_mov_cr0)
{
    Fixture f;
    pae_init(&f, 0x13000 | PTE_P | PTE_RW);
    f.cpu.idtr = (TableRegister){ 0, 0x3FF };
    run_to_fault(&f, EXC_GP, FIXTURE_CODE + SETUP_LEN - 3);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_PDPTE_RESERVED_BIT);
    ck_assert_uint_eq(f.cpu.cr0 & (CR0_PE | CR0_PG), 0);
    fixture_free(&f);
}
END_TEST

Suite *cpu_paging_suite(void)
{
    Suite *s = suite_create("cpu_paging");
    TCase *tc = tcase_create("cpu_paging");
    tcase_add_test(tc, not_present_read_and_write);
    tcase_add_test(tc, crossing_write_faults_before_writing);
    tcase_add_test(tc, crossing_write_lands_in_both_pages);
    tcase_add_test(tc, invlpg_drops_a_stale_translation);
    tcase_add_test(tc, cr3_reload_keeps_global_pages);
    tcase_add_test(tc, accessed_and_dirty_bits_in_ram);
    tcase_add_test(tc, cr0_wp_takes_effect_at_once);
    tcase_add_test(tc, debugger_walk_sets_no_bits);
    tcase_add_test(tc, a20_change_flushes);
    tcase_add_test(tc, pae_pdptes_load_when_paging_turns_on);
    tcase_add_test(tc, pae_reserved_pdpte_bit_is_gp_at_mov_cr0);
    suite_add_tcase(s, tc);
    return s;
}
