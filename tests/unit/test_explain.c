/* SPDX-License-Identifier: MIT */
/*
 * The fault explainer (debug/explain.h) on a bare CPU put straight into
 * protected mode: the whole block for a #GP that names a descriptor, the
 * page-fault blocks for each way a walk fails (not present, U/S, R/W with
 * CR0.WP, a reserved bit, NX), a #DF with the two faults behind it and a
 * triple fault's chain.  The blocks are printed from an exception hook, as
 * --explain does, before the exception is delivered.
 */
#include <check.h>
#include <stdlib.h>

#include "cpu_fixture.h"
#include "explain.h"
#include "suites.h"

enum { GDT = 0x1000, IDT = 0x1800, CODE = 0x3000, GATE8_HANDLER = 0x3800, PD = 0x20000, PT = 0x21000,
       PT2 = 0x22000, PDPT = 0x23000 };

typedef struct Explained {
    CpuDebugHooks hooks;
    FILE *out;
    char *text;
    size_t len;
    bool stop;          /* hold the first exception (the run ends with CPU_STOP_DEBUG) */
} Explained;

static bool on_exception(void *ctx, Cpu *cpu, const FaultRecord *fault)
{
    Explained *e = ctx;
    explain_fault_cpu(cpu, fault, e->out);
    return e->stop;
}

static void explained_attach(Explained *e, Fixture *f, bool stop)
{
    *e = (Explained){ .hooks = { .ctx = e, .exception = on_exception }, .stop = stop };
    e->out = open_memstream(&e->text, &e->len);
    ck_assert(cpu_debug_attach(&f->cpu, &e->hooks));
}

static const char *explained_text(Explained *e)
{
    fclose(e->out);
    return e->text;
}

/* Flat 32-bit protected mode at CPL 0 or 3, code at CODE, no IDT. */
static void flat_pm(Fixture *f, const char *model, unsigned cpl)
{
    fixture_init(f, model);
    wr(f, GDT + 0x08, 0x0000FFFF, 4);
    wr(f, GDT + 0x0C, 0x00CF9A00, 4);
    wr(f, GDT + 0x10, 0x0000FFFF, 4);
    wr(f, GDT + 0x14, 0x00CF9200, 4);
    wr(f, GDT + 0x30, 0x0000FFFF, 4);               /* execute-only code */
    wr(f, GDT + 0x34, 0x00CF9800, 4);
    f->cpu.gdtr = (TableRegister){ GDT, 0x37 };
    f->cpu.idtr = (TableRegister){ IDT, 0 };
    f->cpu.cr0 |= CR0_PE;
    f->cpu.seg[SEG_CS] = (Segment){ cpl ? 0x1B : 0x08, 0, 0xFFFFFFFF, cpl ? 0xC0FB : 0xC09B };
    for (int s = 0; s < SEG_COUNT; s++)
        if (s != SEG_CS)
            f->cpu.seg[s] = (Segment){ cpl ? 0x23 : 0x10, 0, 0xFFFFFFFF, cpl ? 0xC0F3 : 0xC093 };
    f->cpu.eip = CODE;
    f->cpu.gpr[REG_ESP] = 0x8000;
    cpu_flush_translations(&f->cpu);
}

START_TEST(gp_names_the_descriptor)
{
    Fixture f;
    Explained e;
    flat_pm(&f, "pentium", 0);
    wr(&f, CODE, 0x30B866, 4);                      /* mov ax, 0x30 */
    wr(&f, CODE + 4, 0xD88E, 2);                    /* mov ds, eax */
    explained_attach(&e, &f, true);
    ck_assert_int_eq(cpu_run(&f.cpu, 10), CPU_STOP_DEBUG);
    ck_assert_str_eq(explained_text(&e),
        "== #GP(0030) general protection fault, at instruction 1 ==\n"
        "  where        0008:00003004  linear 00003004  physical 00003004  (protected mode, CPL 0)\n"
        "  instruction  8e d8                          mov ds, eax\n"
        "  error code   0030 = selector 0030: GDT index 6 (not external)\n"
        "  why          selector 30 names descriptor type 18 (S and type bits), which is neither a data segment nor a readable code segment\n"
        "  descriptor   GDT[6] = 00cf98000000ffff: code execute-only, base 00000000 limit ffffffff, DPL 0, present, 32-bit, 4K granular, AVL 0\n");
    free(e.text);
    fixture_free(&f);
}
END_TEST

/* 32-bit paging: 0-2 MiB identity mapped for user and supervisor; the page
 * at 400000h has the PTE `pte`. */
static void paging_32(Fixture *f, uint32_t pte)
{
    wr(f, PD, PT | 0x07, 4);
    for (unsigned i = 0; i < 512; i++)
        wr(f, PT + i * 4, (i << 12) | 0x07, 4);
    wr(f, PD + 4, PT2 | 0x07, 4);
    wr(f, PT2, pte, 4);
    f->cpu.cr3 = PD;
    f->cpu.cr0 |= CR0_PG;
    cpu_flush_translations(&f->cpu);
}

/* Runs the code at CODE to its first exception and returns the block. */
static char *explain_first(Fixture *f, const uint8_t *code, size_t n)
{
    Explained e;
    phys_write_block(&f->mem, CODE, code, n);
    explained_attach(&e, f, true);
    ck_assert_int_eq(cpu_run(&f->cpu, 10), CPU_STOP_DEBUG);
    explained_text(&e);
    return e.text;
}

static const uint8_t READ_400000[] = { 0xA1, 0x00, 0x00, 0x40, 0x00 };     /* mov eax, [400000h] */
static const uint8_t WRITE_400000[] = { 0xA3, 0x00, 0x00, 0x40, 0x00 };    /* mov [400000h], eax */

START_TEST(pf_not_present)
{
    Fixture f;
    flat_pm(&f, "pentium", 0);
    paging_32(&f, 0);
    char *text = explain_first(&f, READ_400000, sizeof(READ_400000));
    ck_assert_str_eq(text,
        "== #PF(0000) page fault, at instruction 0 ==\n"
        "  where        0008:00003000  linear 00003000  physical 00003000  (protected mode, CPL 0)\n"
        "  instruction  a1 00 00 40 00                 mov eax, dword ptr [0x400000]\n"
        "  error code   0000 = P=0 not present, W/R=0 read, U/S=0 supervisor, RSVD=0, I/D=0 data\n"
        "  why          linear address 400000 is not mapped: its level-1 entry (1 PTE, 2 PDE, 3 PDPTE) holds 0, whose present bit is clear\n"
        "  cr2          00400000 (a supervisor read)\n"
        "  walk         PDE[001] at 00020004 = 00022027  P RW US A frame 00022000\n"
        "               PTE[000] at 00022000 = 00000000  not present  -- not present (P=0): the access faults\n");
    free(text);
    fixture_free(&f);
}
END_TEST

START_TEST(pf_user_supervisor)
{
    Fixture f;
    flat_pm(&f, "pentium", 3);
    paging_32(&f, 0x5000 | 0x03);                   /* supervisor, writable */
    char *text = explain_first(&f, READ_400000, sizeof(READ_400000));
    ck_assert_ptr_nonnull(strstr(text, "== #PF(0005) page fault, at instruction 0 ==\n"
        "  where        001b:00003000  linear 00003000  physical 00003000  (protected mode, CPL 3)\n"));
    ck_assert_ptr_nonnull(strstr(text,
        "  why          linear address 400000: a user-mode access (CPL 3) to a supervisor page: entry 5003 at level 1 has U/S clear\n"
        "  cr2          00400000 (a user read)\n"
        "  walk         PDE[001] at 00020004 = 00022027  P RW US A frame 00022000\n"
        "               PTE[000] at 00022000 = 00005003  P RW frame 00005000  -- supervisor-only (U/S=0) and the access is from CPL 3: it faults\n"));
    free(text);
    fixture_free(&f);
}
END_TEST

START_TEST(pf_write_protect)
{
    Fixture f;
    flat_pm(&f, "pentium", 0);
    f.cpu.cr0 |= CR0_WP;
    paging_32(&f, 0x5000 | 0x05);                   /* user, read-only */
    char *text = explain_first(&f, WRITE_400000, sizeof(WRITE_400000));
    ck_assert_ptr_nonnull(strstr(text, "== #PF(0003) page fault, at instruction 0 ==\n"));
    ck_assert_ptr_nonnull(strstr(text,
        "  error code   0003 = P=1 protection violation, W/R=1 write, U/S=0 supervisor, RSVD=0, I/D=0 data\n"
        "  why          linear address 400000: a write to a read-only page: entry 5005 at level 1 has R/W clear (supervisor writes obey it when CR0.WP is set)\n"
        "  cr2          00400000 (a supervisor write)\n"
        "  walk         PDE[001] at 00020004 = 00022027  P RW US A frame 00022000\n"
        "               PTE[000] at 00022000 = 00005005  P US frame 00005000  -- read-only (R/W=0) and CR0.WP or CPL 3: the write faults\n"));
    free(text);
    fixture_free(&f);
}
END_TEST

START_TEST(pf_reserved_bit)
{
    Fixture f;
    flat_pm(&f, "pentium", 0);
    paging_32(&f, 0);
    f.cpu.cr4 |= CR4_PSE;
    wr(&f, PD + 4, 0x00400000 | 0x2000 | 0x87, 4);     /* a 4 MiB page with bit 13 set */
    char *text = explain_first(&f, READ_400000, sizeof(READ_400000));
    ck_assert_ptr_nonnull(strstr(text,
        "  error code   0009 = P=1 protection violation, W/R=0 read, U/S=0 supervisor, RSVD=1, I/D=0 data\n"
        "  why          linear address 400000: its level-2 entry (1 PTE, 2 PDE, 3 PDPTE) holds 402087, which sets a reserved bit\n"
        "  cr2          00400000 (a supervisor read)\n"
        "  walk         PDE[001] at 00020004 = 00402087  P RW US PS frame 00400000  -- reserved bits 2000 set: the access faults\n"));
    free(text);
    fixture_free(&f);
}
END_TEST

START_TEST(pf_no_execute)
{
    Fixture f;
    flat_pm(&f, "p6-nx", 0);
    wr(&f, PDPT, PD | 1, 4);
    wr(&f, PD, PT | 0x07, 4);
    for (unsigned i = 0; i < 512; i++)
        wr(&f, PT + i * 8, (i << 12) | 0x07, 4);
    wr(&f, PD + 2 * 8, PT2 | 0x07, 4);
    wr(&f, PT2, 0x5000 | 0x07, 4);
    wr(&f, PT2 + 4, 0x80000000u, 4);                /* XD */
    f.cpu.cr3 = PDPT;
    f.cpu.pdpte[0] = PD | 1;
    f.cpu.cr4 = CR4_PAE;
    f.cpu.efer = EFER_NXE;
    f.cpu.cr0 |= CR0_PG;
    f.cpu.eip = 0x400000;
    cpu_flush_translations(&f.cpu);
    char *text = explain_first(&f, NULL, 0);
    ck_assert_ptr_nonnull(strstr(text,
        "== #PF(0011) page fault, at instruction 0 ==\n"
        "  where        0008:00400000  linear 00400000  physical 00005000  (protected mode, CPL 0)\n"));
    ck_assert_ptr_nonnull(strstr(text,
        "  error code   0011 = P=1 protection violation, W/R=0 read, U/S=0 supervisor, RSVD=0, I/D=1 instruction fetch\n"
        "  why          linear address 400000: an instruction fetch from a no-execute page: entry 5007 at level 1 has XD set\n"
        "  cr2          00400000 (a supervisor instruction fetch)\n"
        "  walk         PDPTE[000] at 00023000 = 0000000000020001  P frame 00020000\n"
        "               PDE[002] at 00020010 = 0000000000022027  P RW US A frame 00022000\n"
        "               PTE[000] at 00022000 = 8000000000005007  P RW US NX frame 00005000  -- no-execute (XD=1) with EFER.NXE: the fetch faults\n"));
    free(text);
    fixture_free(&f);
}
END_TEST

/* #GP through an empty IDT gate 13 (#GP again, contributory) is #DF; with
 * gate 8 there the #DF is delivered; past the IDT limit the CPU shuts down. */
START_TEST(double_fault_names_both_faults)
{
    Fixture f;
    Explained e;
    flat_pm(&f, "pentium", 0);
    wr(&f, CODE, 0x30B866, 4);                      /* mov ax, 0x30 */
    wr(&f, CODE + 4, 0xD88E, 2);                    /* mov ds, eax: #GP(0030) */
    wr(&f, IDT + 8 * 8, (0x08u << 16) | GATE8_HANDLER, 4);   /* gate 8: interrupt gate to GATE8_HANDLER */
    wr(&f, IDT + 8 * 8 + 4, 0x8E00, 4);
    wr(&f, GATE8_HANDLER, 0xF4, 1);
    f.cpu.idtr.limit = 0x7F;
    explained_attach(&e, &f, false);
    ck_assert_int_eq(cpu_run(&f.cpu, 10), CPU_STOP_HALT);
    const char *text = explained_text(&e);
    ck_assert_ptr_nonnull(strstr(text, "== #GP(0030) general protection fault, at instruction 1 ==\n"));
    ck_assert_ptr_nonnull(strstr(text,
        "== #DF(0000) double fault, at instruction 2 ==\n"
        "  where        0008:00003004  linear 00003004  physical 00003004  (protected mode, CPL 0)\n"
        "  instruction  8e d8                          mov ds, eax\n"
        "  error code   0000\n"
        "  why          #GP struck while the CPU was delivering #GP, and the two cannot be handled one after the other\n"
        "  first        #GP(0030) at 0008:00003004: selector 30 names descriptor type 18 (S and type bits), which is neither a data segment nor a readable code segment\n"
        "  second       #GP(006b) at 0008:00003004: IDT entry d (hex) has type 0, not an interrupt, trap or task gate\n"));
    free(e.text);
    fixture_free(&f);
}
END_TEST

START_TEST(triple_fault_chain)
{
    Fixture f;
    Explained e;
    flat_pm(&f, "pentium", 0);
    wr(&f, CODE, 0x30B866, 4);
    wr(&f, CODE + 4, 0xD88E, 2);
    explained_attach(&e, &f, false);
    ck_assert_int_eq(cpu_run(&f.cpu, 10), CPU_STOP_SHUTDOWN);
    explain_shutdown_cpu(&f.cpu, e.out);
    const char *text = explained_text(&e);
    ck_assert_ptr_nonnull(strstr(text, "== #DF(0000) double fault, at instruction 2 ==\n"));
    ck_assert_ptr_nonnull(strstr(text,
        "== triple fault: the CPU shuts down, at instruction 3 ==\n"
        "  where        0008:00003004  linear 00003004  physical 00003004  (protected mode, CPL 0)\n"
        "  instruction  8e d8                          mov ds, eax\n"
        "  chain        #GP(0030) at 0008:00003004: selector 30 names descriptor type 18 (S and type bits), which is neither a data segment nor a readable code segment"
        " -> #GP(006b) at 0008:00003004: interrupt vector d lies past the limit 0 of the IDT"
        " -> #DF(0000) at 0008:00003004: #GP struck while the CPU was delivering #GP, and the two cannot be handled one after the other"
        " -> #GP(0043) at 0008:00003004: interrupt vector 8 lies past the limit 0 of the IDT\n"
        "  why          an exception occurred while delivering a double fault: the CPU shuts down\n"));
    free(e.text);
    fixture_free(&f);
}
END_TEST

Suite *explain_suite(void)
{
    Suite *s = suite_create("explain");
    TCase *tc = tcase_create("explain");
    tcase_add_test(tc, gp_names_the_descriptor);
    tcase_add_test(tc, pf_not_present);
    tcase_add_test(tc, pf_user_supervisor);
    tcase_add_test(tc, pf_write_protect);
    tcase_add_test(tc, pf_reserved_bit);
    tcase_add_test(tc, pf_no_execute);
    tcase_add_test(tc, double_fault_names_both_faults);
    tcase_add_test(tc, triple_fault_chain);
    suite_add_tcase(s, tc);
    return s;
}
