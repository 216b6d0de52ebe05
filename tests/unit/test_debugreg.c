/* SPDX-License-Identifier: MIT */
/*
 * The debug-register breakpoints (SDM vol. 3, 17.2-17.3), run as small
 * real-mode programs on the bare fixture CPU: instruction breakpoints as
 * faults with RF letting the instruction run once, data and I/O
 * breakpoints as traps after the instruction (or REP iteration), DR7's
 * RW/LEN fields, DR6's B bits, BD (DR7.GD) and BS (TF).  The #DB handler is
 * a HLT at HANDLER unless a test writes its own.
 */
#include <check.h>

#include "cpu_fixture.h"
#include "suites.h"

/* DR7 fields of breakpoint i: enable L, RW and LEN codes. */
#define DR7_L(i)       (1u << ((i) * 2))
#define DR7_RW(i, rw)  ((uint32_t)(rw) << (16 + (i) * 4))
#define DR7_LEN(i, ln) ((uint32_t)(ln) << (18 + (i) * 4))
enum { RW_X = 0, RW_W = 1, RW_IO = 2, RW_RW = 3 };
enum { LEN1 = 0, LEN2 = 1, LEN8 = 2, LEN4 = 3 };

#define DR6_BD 0x2000u
#define DR6_BS 0x4000u

static void arm(Fixture *f, unsigned i, uint32_t addr, uint32_t dr7_bits)
{
    f->cpu.dr[i] = addr;
    f->cpu.dr[7] |= dr7_bits;
}

/* The IP the #DB handler's frame holds (the real-mode frame is IP, CS, FLAGS). */
static uint16_t frame_ip(Fixture *f)
{
    return (uint16_t)rd(f, f->cpu.gpr[REG_ESP] & 0xFFFF, 2);
}

/* Leaves the HLT handler as IRET would, at ip, optionally with RF set. */
static void resume(Fixture *f, uint16_t ip, bool rf)
{
    f->cpu.gpr[REG_ESP] += 6;
    f->cpu.eip = ip;
    f->cpu.halted = false;
    if (rf)
        f->cpu.eflags |= EFLAGS_RF;
}

START_TEST(execute_breakpoint_is_a_fault_and_rf_resumes_once)
{
    Fixture f;
    fixture_init(&f, "pentium");
    /* The handler returns with IRETD and RF set in the image:
     * pop ax/bx/cx (IP, CS, FLAGS); push dword RF|2, ebx, eax; iretd. */
    static const uint8_t handler[] = {
        0x46,                                   /* inc si (entries) */
        0x58, 0x5B, 0x59,
        0x66, 0x68, 0x02, 0x00, 0x01, 0x00,     /* push dword 0x00010002 */
        0x66, 0x53, 0x66, 0x50, 0x66, 0xCF,
    };
    phys_write_block(&f.mem, HANDLER, handler, sizeof(handler));
    wr(&f, EXC_DB * 4, HANDLER, 2);
    wr(&f, EXC_DB * 4 + 2, 0, 2);
    CODE(0x90,          /* 100: nop */
         0x42,          /* 101: inc dx (breakpoint 0) */
         0xF4);         /* 102: hlt */
    f.cpu.gpr[REG_EDX] = 0;
    arm(&f, 0, 0x101, DR7_L(0) | DR7_RW(0, RW_X) | DR7_LEN(0, LEN1));
    arm(&f, 1, 0x100, DR7_RW(1, RW_X));         /* not enabled: never fires */
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, 0x103);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESI], 1);   /* one #DB, then the resumed INC ran */
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 1);
    ck_assert_uint_eq(f.cpu.dr[6] & 0xF, 1);    /* B0 only */
    ck_assert_uint_eq(f.cpu.dr[6] & DR6_BS, 0);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_INSN_BREAKPOINT);
    ck_assert_uint_eq(f.cpu.eflags & EFLAGS_RF, 0);     /* cleared by the resumed instruction */
    fixture_free(&f);

    /* Without RF the restarted instruction faults again, before it executes. */
    fixture_init(&f, "486");
    f.cpu.gpr[REG_EDX] = 0;
    CODE(0x42, 0xF4);
    arm(&f, 2, 0x100, DR7_L(2) | DR7_RW(2, RW_X));
    run_to_fault(&f, EXC_DB, 0x100);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0);
    resume(&f, 0x100, false);
    run_to_fault(&f, EXC_DB, 0x100);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0);
    ck_assert_uint_eq(f.cpu.dr[6] & 0xF, 4);
    resume(&f, 0x100, true);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 1);
    ck_assert_uint_eq(f.cpu.eip, 0x102);
    fixture_free(&f);
}
END_TEST

START_TEST(write_breakpoint_traps_after_the_instruction)
{
    Fixture f;
    fixture_init(&f, "386");
    CODE(0xC6, 0x06, 0x00, 0x30, 0x55,         /* 100: mov byte [3000h], 55h */
         0xA0, 0x00, 0x30,                     /* 105: mov al, [3000h] (a read: no hit) */
         0xF4);                                /* 108: hlt */
    arm(&f, 1, DATA, DR7_L(1) | DR7_RW(1, RW_W) | DR7_LEN(1, LEN1));
    run_to_fault(&f, EXC_DB, 0x105);            /* the trap's IP is the next instruction */
    ck_assert_uint_eq(rd(&f, DATA, 1), 0x55);   /* the write happened */
    ck_assert_uint_eq(f.cpu.dr[6] & 0xF, 2);    /* B1 */
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_DATA_BREAKPOINT);
    resume(&f, 0x105, false);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, 0x109);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0xFF, 0x55);
    fixture_free(&f);
}
END_TEST

START_TEST(read_write_breakpoint_on_a_dword_hit_by_a_misaligned_word)
{
    Fixture f;
    fixture_init(&f, "486");
    wr(&f, 0x3002, 0x44332211, 4);
    CODE(0x8B, 0x1E, 0x02, 0x30,               /* 100: mov bx, [3002h] (3002-3003: outside) */
         0xA1, 0x03, 0x30,                     /* 104: mov ax, [3003h] (3003-3004: hits 3004) */
         0xF4);
    /* DR2 = 3006h with LEN 4 watches the aligned dword 3004h-3007h. */
    arm(&f, 2, 0x3006, DR7_L(2) | DR7_RW(2, RW_RW) | DR7_LEN(2, LEN4));
    run_to_fault(&f, EXC_DB, 0x107);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX] & 0xFFFF, 0x2211);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0xFFFF, 0x3322);
    ck_assert_uint_eq(f.cpu.dr[6] & 0xF, 4);    /* B2 */
    fixture_free(&f);
}
END_TEST

START_TEST(len_masks_the_address)
{
    Fixture f;
    fixture_init(&f, "386");
    CODE(0xC6, 0x06, 0x02, 0x30, 0x01,         /* 100: mov byte [3002h], 1: outside 3000-3001 */
         0xC6, 0x06, 0x00, 0x30, 0x02,         /* 105: mov byte [3000h], 2: inside */
         0xF4);
    /* DR0 = 3001h with LEN 2: the low address bit is ignored. */
    arm(&f, 0, 0x3001, DR7_L(0) | DR7_RW(0, RW_W) | DR7_LEN(0, LEN2));
    run_to_fault(&f, EXC_DB, 0x10A);
    ck_assert_uint_eq(f.cpu.dr[6] & 0xF, 1);
    fixture_free(&f);

    /* LEN 1 at 3001h: a byte at 3000h misses, a word at 3000h hits. */
    fixture_init(&f, "386");
    CODE(0xC6, 0x06, 0x00, 0x30, 0x02,         /* 100: mov byte [3000h], 2 */
         0xC7, 0x06, 0x00, 0x30, 0x34, 0x12,   /* 105: mov word [3000h], 1234h */
         0xF4);
    arm(&f, 3, 0x3001, DR7_L(3) | DR7_RW(3, RW_RW) | DR7_LEN(3, LEN1));
    run_to_fault(&f, EXC_DB, 0x10B);
    ck_assert_uint_eq(f.cpu.dr[6] & 0xF, 8);
    fixture_free(&f);
}
END_TEST

START_TEST(io_breakpoint_needs_cr4_de)
{
    Fixture f;
    fixture_init(&f, "pentium");
    CODE(0xE6, 0x80,                           /* 100: out 80h, al (no CR4.DE: RW=10 is not I/O) */
         0x66, 0xB8, 0x08, 0x00, 0x00, 0x00,   /* 102: mov eax, CR4.DE */
         0x0F, 0x22, 0xE0,                     /* 108: mov cr4, eax */
         0xE5, 0x7F,                           /* 10B: in ax, 7Fh (ports 7Fh-80h: hits) */
         0xF4);                                /* 10D */
    arm(&f, 3, 0x80, DR7_L(3) | DR7_RW(3, RW_IO) | DR7_LEN(3, LEN1));
    run_to_fault(&f, EXC_DB, 0x10D);
    ck_assert_uint_eq(f.cpu.cr4, CR4_DE);
    ck_assert_uint_eq(f.cpu.dr[6] & 0xF, 8);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_DATA_BREAKPOINT);
    fixture_free(&f);

    /* A memory access to the same address is no I/O hit. */
    fixture_init(&f, "pentium");
    f.cpu.cr4 = CR4_DE;
    CODE(0xA0, 0x80, 0x00, 0xF4);              /* mov al, [80h]; hlt */
    arm(&f, 0, 0x80, DR7_L(0) | DR7_RW(0, RW_IO));
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, 0x104);
    fixture_free(&f);
}
END_TEST

START_TEST(every_matching_enabled_breakpoint_is_reported)
{
    Fixture f;
    fixture_init(&f, "486");
    f.cpu.dr[6] |= 0x8;                         /* a stale B3 is replaced */
    CODE(0xC7, 0x06, 0x00, 0x30, 0x34, 0x12,   /* 100: mov word [3000h], 1234h */
         0xF4);
    arm(&f, 0, 0x3000, DR7_L(0) | DR7_RW(0, RW_RW));
    arm(&f, 1, 0x3001, (DR7_L(1) << 1) | DR7_RW(1, RW_W));  /* G1: global enable */
    arm(&f, 2, 0x3008, DR7_L(2) | DR7_RW(2, RW_RW));     /* enabled, not touched */
    arm(&f, 3, 0x3000, DR7_RW(3, RW_RW));                /* touched, not enabled */
    run_to_fault(&f, EXC_DB, 0x106);
    ck_assert_uint_eq(f.cpu.dr[6] & 0xF, 3);
    fixture_free(&f);

    /* REP MOVSW: the trap comes after the iteration that hit, IP still at
     * the instruction so the rest of the string runs after the handler. */
    fixture_init(&f, "386");
    CODE(0xBE, 0x00, 0x20,                     /* 100: mov si, 2000h */
         0xBF, 0x00, 0x30,                     /* 103: mov di, 3000h */
         0xB9, 0x03, 0x00,                     /* 106: mov cx, 3 */
         0xF3, 0xA5,                           /* 109: rep movsw */
         0xF4);                                /* 10B */
    arm(&f, 0, 0x3002, DR7_L(0) | DR7_RW(0, RW_W) | DR7_LEN(0, LEN2));
    run_to_fault(&f, EXC_DB, 0x109);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX] & 0xFFFF, 1);
    ck_assert_uint_eq(f.cpu.dr[6] & 0xF, 1);
    resume(&f, 0x109, false);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX] & 0xFFFF, 0);
    ck_assert_uint_eq(f.cpu.eip, 0x10C);
    fixture_free(&f);
}
END_TEST

START_TEST(gd_faults_any_debug_register_access)
{
    Fixture f;
    fixture_init(&f, "486");
    CODE(0x0F, 0x21, 0xC0,                     /* 100: mov eax, dr0 */
         0xF4);
    f.cpu.dr[0] = 0x12345678;
    f.cpu.dr[7] |= 0x2000;                      /* GD */
    run_to_fault(&f, EXC_DB, 0x100);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0);
    ck_assert_uint_eq(f.cpu.dr[6] & DR6_BD, DR6_BD);
    ck_assert_uint_eq(f.cpu.dr[7] & 0x2000, 0);  /* cleared so the handler can use them */
    resume(&f, 0x100, false);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x12345678);
    fixture_free(&f);
}
END_TEST

START_TEST(single_step_sets_bs_with_the_data_hits)
{
    Fixture f;
    fixture_init(&f, "486");
    f.cpu.dr[6] |= 0x1;                         /* single step alone leaves B0-B3 */
    f.cpu.eflags |= EFLAGS_TF;
    CODE(0x90, 0xF4);
    run_to_fault(&f, EXC_DB, 0x101);
    ck_assert_uint_eq(f.cpu.dr[6] & (DR6_BS | 0xF), DR6_BS | 0x1);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_SINGLE_STEP);
    ck_assert_uint_eq(f.cpu.eflags & EFLAGS_TF, 0);
    fixture_free(&f);

    /* A data hit on a single-stepped instruction: one #DB with both. */
    fixture_init(&f, "486");
    f.cpu.dr[6] = 0xFFFF0FF0u;
    f.cpu.eflags |= EFLAGS_TF;
    CODE(0xA2, 0x00, 0x30,                     /* 100: mov [3000h], al */
         0xF4);
    arm(&f, 1, DATA, DR7_L(1) | DR7_RW(1, RW_W));
    fixture_vector_to_hlt(&f, EXC_DB, HANDLER);
    ck_assert_int_eq(cpu_run(&f.cpu, 2), CPU_STOP_HALT);
    ck_assert_uint_eq(f.cpu.eip, HANDLER + 1);
    ck_assert_uint_eq(frame_ip(&f), 0x103);
    ck_assert_uint_eq(f.cpu.dr[6], 0xFFFF0FF0u | DR6_BS | 0x2);
    fixture_free(&f);
}
END_TEST

Suite *debugreg_suite(void)
{
    Suite *s = suite_create("debugreg");
    TCase *tc = tcase_create("debugreg");
    tcase_add_test(tc, execute_breakpoint_is_a_fault_and_rf_resumes_once);
    tcase_add_test(tc, write_breakpoint_traps_after_the_instruction);
    tcase_add_test(tc, read_write_breakpoint_on_a_dword_hit_by_a_misaligned_word);
    tcase_add_test(tc, len_masks_the_address);
    tcase_add_test(tc, io_breakpoint_needs_cr4_de);
    tcase_add_test(tc, every_matching_enabled_breakpoint_is_reported);
    tcase_add_test(tc, gd_faults_any_debug_register_access);
    tcase_add_test(tc, single_step_sets_bs_with_the_data_hits);
    suite_add_tcase(s, tc);
    return s;
}
