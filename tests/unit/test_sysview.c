/* SPDX-License-Identifier: MIT */
/*
 * The monitor's system views (debug/sysview.h) on descriptor tables, a TSS,
 * page tables and TLB entries built by hand in a bare CPU's memory, with the
 * exact text expected; and that looking changes nothing (no accessed or
 * dirty bit written).
 */
#include <check.h>
#include <stdlib.h>

#include "cpu_fixture.h"
#include "suites.h"
#include "sysview.h"

/* Output captured from one view. */
typedef struct Capture {
    char *text;
    size_t len;
    FILE *out;
} Capture;

static void capture_open(Capture *c)
{
    c->text = NULL;
    c->out = open_memstream(&c->text, &c->len);
    ck_assert_ptr_nonnull(c->out);
}

static const char *capture_close(Capture *c)
{
    fclose(c->out);
    return c->text;
}

static void desc(Fixture *f, uint32_t at, uint32_t lo, uint32_t hi)
{
    wr(f, at, lo, 4);
    wr(f, at + 4, hi, 4);
}

enum { GDT = 0x1000, IDT = 0x1800, TSS = 0x2000, PD = 0x20000, PT = 0x21000, PT2 = 0x22000 };

START_TEST(gdt_every_entry_decoded)
{
    Fixture f;
    Capture c;
    fixture_init(&f, "pentium");
    desc(&f, GDT + 0x08, 0x0000FFFF, 0x00CF9A00);   /* flat 32-bit code, DPL 0 */
    desc(&f, GDT + 0x10, 0x0000FFFF, 0x00CFF300);   /* flat data, DPL 3, accessed */
    desc(&f, GDT + 0x18, 0x23450067, 0x00008B01);   /* busy 32-bit TSS at 12345h */
    desc(&f, GDT + 0x30, 0x00081234, 0x5678EC02);   /* call gate to 0008:56781234, DPL 3, 2 params */
    desc(&f, GDT + 0x38, 0x80000FFF, 0x0010970B);   /* expand-down data, 16-bit, byte granular, AVL */
    f.cpu.gdtr = (TableRegister){ GDT, 0x3F };
    capture_open(&c);
    sysview_gdt(&f.cpu, c.out);
    ck_assert_str_eq(capture_close(&c),
        "GDT base 00001000 limit 003f (8 entries)\n"
        "  0000  0000000000000000  null\n"
        "  0008  00cf9a000000ffff  code execute/read, base 00000000 limit ffffffff, DPL 0, present, 32-bit, 4K granular, AVL 0\n"
        "  0010  00cff3000000ffff  data read/write accessed, base 00000000 limit ffffffff, DPL 3, present, 32-bit, 4K granular, AVL 0\n"
        "  0018  00008b0123450067  busy 32-bit TSS, base 00012345 limit 00000067, DPL 0, present, byte granular, AVL 0\n"
        "  0020-0028: 2 null entries\n"
        "  0030  5678ec0200081234  32-bit call gate, target 0008:56781234, DPL 3, present, 2 parameters\n"
        "  0038  0010970b80000fff  data read/write expand-down accessed, base 000b8000 limit 00000fff, DPL 0, present, 16-bit, byte granular, AVL 1\n");
    free(c.text);
    fixture_free(&f);
}
END_TEST

START_TEST(idt_gates_and_real_mode_ivt)
{
    Fixture f;
    Capture c;
    fixture_init(&f, "pentium");
    desc(&f, IDT + 0x00, 0x00084000, 0x00008E00);   /* 32-bit interrupt gate */
    desc(&f, IDT + 0x08, 0x00084010, 0x0000EF00);   /* 32-bit trap gate, DPL 3 */
    desc(&f, IDT + 0x10, 0x00280000, 0x00008500);   /* task gate to TSS 0028 */
    desc(&f, IDT + 0x18, 0x00084030, 0x00000600);   /* 16-bit interrupt gate, not present */
    f.cpu.idtr = (TableRegister){ IDT, 0x1F };
    f.cpu.cr0 |= CR0_PE;
    capture_open(&c);
    sysview_idt(&f.cpu, c.out);
    ck_assert_str_eq(capture_close(&c),
        "IDT base 00001800 limit 001f (4 gates)\n"
        "  00  00008e0000084000  32-bit interrupt gate, target 0008:00004000, DPL 0, present\n"
        "  01  0000ef0000084010  32-bit trap gate, target 0008:00004010, DPL 3, present\n"
        "  02  0000850000280000  task gate, TSS selector 0028, DPL 0, present\n"
        "  03  0000060000084030  16-bit interrupt gate, target 0008:00004030, DPL 0, not present\n");
    free(c.text);
    f.cpu.cr0 &= ~CR0_PE;
    f.cpu.idtr = (TableRegister){ 0, 7 };
    wr(&f, 0, 0xF000FF53, 4);
    wr(&f, 4, 0x00700100, 4);
    capture_open(&c);
    sysview_idt(&f.cpu, c.out);
    ck_assert_str_eq(capture_close(&c),
        "IVT (real mode) base 00000000 limit 0007\n"
        "  00  f000:ff53\n"
        "  01  0070:0100\n");
    free(c.text);
    fixture_free(&f);
}
END_TEST

START_TEST(tss_fields_and_ldt)
{
    Fixture f;
    Capture c;
    fixture_init(&f, "pentium");
    for (unsigned off = 0; off < 0x68; off += 4)
        wr(&f, TSS + off, 0x11110000u + off, 4);
    wr(&f, TSS + 0x00, 0x0030, 4);                  /* back link */
    wr(&f, TSS + 0x08, 0x0010, 4);                  /* SS0 */
    wr(&f, TSS + 0x64, 0x00680001, 4);              /* T = 1, I/O map base 68h */
    f.cpu.tr = (Segment){ .sel = 0x28, .base = TSS, .limit = 0x67, .attr = 0x8B };
    capture_open(&c);
    sysview_tss(&f.cpu, c.out);
    ck_assert_str_eq(capture_close(&c),
        "TR 0028: busy 32-bit TSS, base 00002000 limit 00000067\n"
        "  back link 0030\n"
        "  esp0 11110004 ss0 0010\n"
        "  esp1 1111000c ss1 0010\n"
        "  esp2 11110014 ss2 0018\n"
        "  cr3 1111001c eip 11110020 eflags 11110024\n"
        "  eax 11110028 ecx 1111002c edx 11110030 ebx 11110034\n"
        "  esp 11110038 ebp 1111003c esi 11110040 edi 11110044\n"
        "  es 0048 cs 004c ss 0050 ds 0054 fs 0058 gs 005c\n"
        "  ldt 0060 T 1 I/O map base 0068 (past the limit: no I/O bitmap)\n");
    free(c.text);
    capture_open(&c);
    sysview_ldt(&f.cpu, c.out);
    ck_assert_str_eq(capture_close(&c), "LDT: none (LDTR 0000 is null)\n");
    free(c.text);
    desc(&f, GDT + 8, 0x0000FFFF, 0x00CFFA00);
    f.cpu.ldtr = (Segment){ .sel = 0x40, .base = GDT, .limit = 0x0F, .attr = 0x82 };
    capture_open(&c);
    sysview_ldt(&f.cpu, c.out);
    ck_assert_str_eq(capture_close(&c),
        "LDT selector 0040 base 00001000 limit 0000000f (2 entries)\n"
        "  0004  0000000000000000  null\n"
        "  000c  00cffa000000ffff  code execute/read, base 00000000 limit ffffffff, DPL 3, present, 32-bit, 4K granular, AVL 0\n");
    free(c.text);
    fixture_free(&f);
}
END_TEST

/* 32-bit paging: the first 2 MiB identity mapped (user, writable) but page
 * 5000h read-only and supervisor; 400000h -> 7000h; 800000h a 4 MiB page. */
static void paging_32(Fixture *f, bool pse)
{
    wr(f, PD + 0 * 4, PT | 0x27, 4);
    for (unsigned i = 0; i < 512; i++)
        wr(f, PT + i * 4, (i << 12) | 0x07, 4);
    wr(f, PT + 5 * 4, 0x5000 | 0x61, 4);            /* P A D, supervisor read-only */
    wr(f, PD + 1 * 4, PT2 | 0x07, 4);
    wr(f, PT2 + 0 * 4, 0x7000 | 0x107, 4);          /* G */
    wr(f, PD + 2 * 4, 0x00800000 | 0x83, 4);        /* PS: a 4 MiB page, supervisor */
    f->cpu.cr3 = PD;
    f->cpu.cr0 |= CR0_PE | CR0_PG;
    f->cpu.cr4 = pse ? CR4_PSE : 0;
    cpu_flush_translations(&f->cpu);
}

START_TEST(page_walk_32_bit_and_pse)
{
    Fixture f;
    Capture c;
    fixture_init(&f, "pentium");
    paging_32(&f, true);
    capture_open(&c);
    sysview_page(&f.cpu, 0x400123, c.out);
    sysview_page(&f.cpu, 0x812345, c.out);
    sysview_page(&f.cpu, 0xC00000, c.out);
    ck_assert_str_eq(capture_close(&c),
        "page 00400123: 32-bit paging with 4M pages (PSE), CR3 00020000\n"
        "  PDE[001] at 00020004 = 00022007  P RW US frame 00022000\n"
        "  PTE[000] at 00022000 = 00007107  P RW US G frame 00007000\n"
        "  physical 00007123 (4K page, read/write, user)\n"
        "page 00812345: 32-bit paging with 4M pages (PSE), CR3 00020000\n"
        "  PDE[002] at 00020008 = 00800083  P RW PS frame 00800000\n"
        "  physical 00812345 (4M page, read/write, supervisor)\n"
        "page 00c00000: 32-bit paging with 4M pages (PSE), CR3 00020000\n"
        "  PDE[003] at 0002000c = 00000000  not present  -- not present (P=0): the access faults\n"
        "  not mapped: no access reaches a physical address\n");
    free(c.text);
    /* Looking set no accessed bit. */
    ck_assert_uint_eq(rd(&f, PD + 4, 4), PT2 | 0x07);
    ck_assert_uint_eq(rd(&f, PT2, 4), 0x7107);
    fixture_free(&f);
}
END_TEST

START_TEST(page_walk_pae_with_nx)
{
    Fixture f;
    Capture c;
    fixture_init(&f, "p6-nx");
    enum { PDPT = 0x23000 };
    wr(&f, PDPT, PD | 1, 4);
    wr(&f, PD + 2 * 8, PT2 | 0x07, 4);              /* 400000h: PDE 2 */
    wr(&f, PT2 + 1 * 8, 0x9000 | 0x05, 4);          /* 401000h: user read-only, NX */
    wr(&f, PT2 + 1 * 8 + 4, 0x80000000u, 4);
    wr(&f, PD + 3 * 8, 0x00600000 | 0x80 | 0x03, 4);    /* 600000h: 2 MiB, reserved bit 13 */
    wr(&f, PD + 3 * 8, 0x00602000 | 0x80 | 0x03, 4);
    f.cpu.cr3 = PDPT;
    f.cpu.pdpte[0] = PD | 1;
    f.cpu.cr4 = CR4_PAE;
    f.cpu.efer = EFER_NXE;
    f.cpu.cr0 |= CR0_PE | CR0_PG;
    cpu_flush_translations(&f.cpu);
    capture_open(&c);
    sysview_page(&f.cpu, 0x401abc, c.out);
    sysview_page(&f.cpu, 0x600000, c.out);
    ck_assert_str_eq(capture_close(&c),
        "page 00401abc: PAE paging with NX, CR3 00023000\n"
        "  PDPTE[000] at 00023000 = 0000000000020001  P frame 00020000\n"
        "  PDE[002] at 00020010 = 0000000000022007  P RW US frame 00022000\n"
        "  PTE[001] at 00022008 = 8000000000009005  P US NX frame 00009000\n"
        "  physical 00009abc (4K page, read-only, user, no-execute)\n"
        "page 00600000: PAE paging with NX, CR3 00023000\n"
        "  PDPTE[000] at 00023000 = 0000000000020001  P frame 00020000\n"
        "  PDE[003] at 00020018 = 0000000000602083  P RW PS frame 00600000  -- reserved bits 2000 set: the access faults\n"
        "  not mapped: no access reaches a physical address\n");
    free(c.text);
    fixture_free(&f);
}
END_TEST

START_TEST(info_mem_merges_runs)
{
    Fixture f;
    Capture c;
    fixture_init(&f, "pentium");
    paging_32(&f, true);
    capture_open(&c);
    sysview_mem(&f.cpu, c.out);
    ck_assert_str_eq(capture_close(&c),
        "mapped linear ranges (start-end size, u user, r read, w write):\n"
        "  00000000-00005000 00005000 urw\n"
        "  00005000-00006000 00001000 -r-\n"
        "  00006000-00200000 001fa000 urw\n"
        "  00400000-00401000 00001000 urw\n"
        "  00800000-00c00000 00400000 -rw\n");
    free(c.text);
    f.cpu.cr0 &= ~CR0_PG;
    capture_open(&c);
    sysview_mem(&f.cpu, c.out);
    ck_assert_str_eq(capture_close(&c), "paging is off (CR0.PG=0): linear addresses are physical\n");
    free(c.text);
    fixture_free(&f);
}
END_TEST

START_TEST(tlb_valid_entries)
{
    Fixture f;
    Capture c;
    fixture_init(&f, "pentium");
    paging_32(&f, true);
    /* A user read of 400000h and a supervisor write of 812000h fill two entries. */
    TlbFill a = { .lin = 0x400000, .phys = 0x7000, .page_size = 4096, .writable = true, .user = true,
                  .global = true, .dirty = false, .wp = false };
    TlbFill b = { .lin = 0x812000, .phys = 0x812000, .page_size = 4u << 20, .writable = true,
                  .user = false, .dirty = true, .wp = false };
    tlb_fill(&f.cpu.tlb, &a);
    tlb_fill(&f.cpu.tlb, &b);
    capture_open(&c);
    sysview_tlb(&f.cpu, c.out);
    ck_assert_str_eq(capture_close(&c),
        "TLB: 2 valid entries of 1024 (linear -> physical, rights)\n"
        "  00400000 -> 00007000  supervisor r-x user r-x global (not RAM)\n"
        "  00812000 -> 00812000  supervisor rwx user --- (of a 4M page) (not RAM)\n");
    free(c.text);
    fixture_free(&f);
}
END_TEST

Suite *sysview_suite(void)
{
    Suite *s = suite_create("sysview");
    TCase *tc = tcase_create("sysview");
    tcase_add_test(tc, gdt_every_entry_decoded);
    tcase_add_test(tc, idt_gates_and_real_mode_ivt);
    tcase_add_test(tc, tss_fields_and_ldt);
    tcase_add_test(tc, page_walk_32_bit_and_pse);
    tcase_add_test(tc, page_walk_pae_with_nx);
    tcase_add_test(tc, info_mem_merges_runs);
    tcase_add_test(tc, tlb_valid_entries);
    suite_add_tcase(s, tc);
    return s;
}
