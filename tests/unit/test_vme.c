/* SPDX-License-Identifier: MIT */
/*
 * Virtual interrupts (SDM vol. 3, 20.3 and 20.4): CR4.VME in virtual-8086
 * mode at IOPL < 3 (CLI/STI on VIF, the 16-bit PUSHF/POPF/IRET with VIF in
 * the IF position, #GP for a pending VIP or a TF in the image, INT n
 * redirected through the task's IVT by the TSS redirection bitmap), and
 * CR4.PVI's CLI/STI at CPL 3.  Every V86 program ends with HLT, which
 * traps to the #GP handler, where the V86 frame is read.
 */
#include <check.h>

#include "pm_fixture.h"
#include "suites.h"

enum {
    V86_CS = 0x0600, V86_SS = 0x0700, V86_SP = 0x0100,
    V86_CODE = V86_CS * 16, V86_STACK = V86_SS * 16,
    /* The I/O map base moves up so the 32-byte redirection bitmap below it
     * (TSS + 68h..87h, all ones from pm_setup: nothing redirected) does not
     * overlap the TSS's own fields. */
    VME_IOBASE = 0x88, VME_REDIR = PM_TSS + VME_IOBASE - 32,
    IVT_HANDLER_CS = 0x0500, IVT_HANDLER = IVT_HANDLER_CS * 16 + 0x10,
};

/* The EFLAGS images the tests start from. */
#define IOPL3 EFLAGS_IOPL

static void put_insn(uint8_t *code, size_t *n, uint8_t op, uint32_t imm)
{
    code[(*n)++] = op;
    for (unsigned i = 0; i < 4; i++)
        code[(*n)++] = (uint8_t)(imm >> (8 * i));
}

/*
 * The ring-0 body: MOV CR4 = cr4, then IRETD with `eflags` to either V86
 * mode (VM set: CS:IP 0600:0000, SS:SP 0700:0100, ES..GS 0800..0B00) or
 * ring 3 at PM_RING3 with ESP = PM_STACK3.
 */
static void vme_setup(Fixture *f, const char *model, uint32_t cr4, uint32_t eflags)
{
    uint8_t code[96];
    size_t n = 0;
    pm_setup(f, model);
    wr(f, PM_TSS + 0x66, VME_IOBASE, 2);
    put_insn(code, &n, 0xB8, cr4);                       /* mov eax, cr4 */
    code[n++] = 0x0F; code[n++] = 0x22; code[n++] = 0xE0; /* mov cr4, eax */
    if (eflags & EFLAGS_VM) {
        static const uint32_t segs[] = { 0x0B00, 0x0A00, 0x0900, 0x0800, V86_SS, V86_SP };
        for (unsigned i = 0; i < 6; i++)
            put_insn(code, &n, 0x68, segs[i]);
        put_insn(code, &n, 0x68, eflags | EFLAGS_FIXED1);
        put_insn(code, &n, 0x68, V86_CS);
        put_insn(code, &n, 0x68, 0);
    } else {
        put_insn(code, &n, 0x68, SEL_DATA3 | 3);
        put_insn(code, &n, 0x68, PM_STACK3);
        put_insn(code, &n, 0x68, eflags | EFLAGS_FIXED1);
        put_insn(code, &n, 0x68, SEL_CODE3 | 3);
        put_insn(code, &n, 0x68, PM_RING3);
    }
    code[n++] = 0xCF;                                   /* iretd */
    pm_write(f, PM_BODY, code, n);
}

#define V86_PROGRAM(...) AT(V86_CODE, __VA_ARGS__)

/* Runs to the monitor's #GP handler; checks where V86 mode stopped. */
static void expect_v86_gp(Fixture *f, int rule, uint16_t cs, uint16_t ip)
{
    pm_expect(f, EXC_GP, 0, rule);
    ck_assert_uint_eq(pm_stack(f, 1), ip);
    ck_assert_uint_eq(pm_stack(f, 2), cs);
    ck_assert(pm_stack(f, 3) & EFLAGS_VM);
}

/* The EFLAGS image in the monitor's frame, and the V86 stack words. */
static uint32_t frame_eflags(Fixture *f) { return pm_stack(f, 3); }
static uint32_t v86_sp(Fixture *f) { return pm_stack(f, 4); }
static uint16_t v86_word(Fixture *f, unsigned i)
{
    return (uint16_t)rd(f, V86_STACK + v86_sp(f) + 2 * i, 2);
}

START_TEST(pentium_reports_vme_and_cr4_takes_vme_pvi)
{
    ck_assert(cpu_model_find("pentium")->cpuid_edx & 2);
    ck_assert(cpu_model_find("pentium2")->cpuid_edx & 2);
    Fixture f;
    vme_setup(&f, "pentium", CR4_VME | CR4_PVI, EFLAGS_VM);
    V86_PROGRAM(0xF4);
    expect_v86_gp(&f, FAULT_CPL_NOT_ZERO, V86_CS, 0);
    ck_assert_uint_eq(f.cpu.cr4, CR4_VME | CR4_PVI);
    fixture_free(&f);
}
END_TEST

/* With CR4.VME clear the IOPL-sensitive instructions trap as on a 386. */
static void traps_without_vme(uint8_t b0, uint8_t b1)
{
    Fixture f;
    vme_setup(&f, "pentium", 0, EFLAGS_VM | EFLAGS_IF | EFLAGS_VIF);
    uint8_t code[] = { b0, b1, 0xF4 };
    pm_write(&f, V86_CODE, code, sizeof(code));
    wr(&f, VME_REDIR + 0x21 / 8, 0, 1);     /* the bitmap is ignored without VME */
    expect_v86_gp(&f, FAULT_IOPL_V86, V86_CS, 0);
    ck_assert_uint_eq(frame_eflags(&f) & (EFLAGS_IF | EFLAGS_VIF), EFLAGS_IF | EFLAGS_VIF);
    fixture_free(&f);
}

START_TEST(vme_off_behaves_as_before)
{
    traps_without_vme(0xFA, 0x90);      /* cli */
    traps_without_vme(0xFB, 0x90);      /* sti */
    traps_without_vme(0x9C, 0x90);      /* pushf */
    traps_without_vme(0x9D, 0x90);      /* popf */
    traps_without_vme(0xCD, 0x21);      /* int 0x21 */
    traps_without_vme(0xCF, 0x90);      /* iret */
}
END_TEST

START_TEST(cli_sti_toggle_vif_and_pushf_shows_it)
{
    Fixture f;
    vme_setup(&f, "pentium", CR4_VME, EFLAGS_VM | EFLAGS_IF);
    V86_PROGRAM(0xFB,                   /* sti: VIF = 1 */
                0x9C,                   /* pushf */
                0xFA,                   /* cli: VIF = 0 */
                0x9C,                   /* pushf */
                0xF4);
    expect_v86_gp(&f, FAULT_CPL_NOT_ZERO, V86_CS, 4);
    ck_assert_uint_eq(frame_eflags(&f) & (EFLAGS_IF | EFLAGS_VIF | EFLAGS_IOPL), EFLAGS_IF);
    ck_assert_uint_eq(v86_sp(&f), V86_SP - 4);
    /* The images show VIF as IF and IOPL as 3. */
    ck_assert_uint_eq(v86_word(&f, 1) & (EFLAGS_IF | EFLAGS_IOPL), EFLAGS_IF | IOPL3);
    ck_assert_uint_eq(v86_word(&f, 0) & (EFLAGS_IF | EFLAGS_IOPL), IOPL3);
    fixture_free(&f);
}
END_TEST

START_TEST(sti_with_vip_raises_gp)
{
    Fixture f;
    vme_setup(&f, "pentium", CR4_VME, EFLAGS_VM | EFLAGS_VIP);
    V86_PROGRAM(0xFA,                   /* cli: allowed with VIP */
                0xFB);                  /* sti: would set VIF with VIP pending */
    expect_v86_gp(&f, FAULT_VIP_PENDING, V86_CS, 1);
    ck_assert_uint_eq(frame_eflags(&f) & (EFLAGS_VIF | EFLAGS_VIP), EFLAGS_VIP);
    fixture_free(&f);
}
END_TEST

START_TEST(popf_loads_if_into_vif)
{
    Fixture f;
    vme_setup(&f, "pentium", CR4_VME, EFLAGS_VM | (1u << 12));
    V86_PROGRAM(0x68, 0x01, 0x32,       /* push 0x3201: IOPL 3, IF, CF */
                0x9D,                   /* popf */
                0x9C,                   /* pushf */
                0xF4);
    expect_v86_gp(&f, FAULT_CPL_NOT_ZERO, V86_CS, 5);
    uint32_t fl = frame_eflags(&f);
    ck_assert_uint_eq(fl & (EFLAGS_CF | EFLAGS_IF | EFLAGS_VIF | EFLAGS_IOPL),
                      EFLAGS_CF | EFLAGS_VIF | (1u << 12));
    ck_assert_uint_eq(v86_word(&f, 0) & (EFLAGS_CF | EFLAGS_IF | EFLAGS_IOPL),
                      EFLAGS_CF | EFLAGS_IF | IOPL3);
    fixture_free(&f);
}
END_TEST

/*
 * POPF (iret false) or IRET of a FLAGS image that sets TF, or IF while VIP
 * is set: #GP(0) at the instruction, nothing popped.  The program pushes
 * the image (and for IRET a return address of 0000:0000) first.
 */
static void image_faults(bool iret, uint32_t eflags, uint16_t image, int rule)
{
    Fixture f;
    vme_setup(&f, "pentium", CR4_VME, EFLAGS_VM | eflags);
    uint8_t code[] = {
        0x68, (uint8_t)image, (uint8_t)(image >> 8),    /* push image */
        0x6A, 0x00, 0x6A, 0x00,                         /* push 0; push 0 */
        0xCF,                                           /* iret */
    };
    if (!iret)
        code[3] = 0x9D;                                 /* popf instead */
    pm_write(&f, V86_CODE, code, iret ? sizeof(code) : 4);
    wr(&f, V86_CODE + (iret ? 8 : 4), 0xF4, 1);
    expect_v86_gp(&f, rule, V86_CS, iret ? 7 : 3);
    ck_assert_uint_eq(v86_sp(&f), V86_SP - (iret ? 6 : 2));
    ck_assert_uint_eq(frame_eflags(&f) & (EFLAGS_VIF | EFLAGS_TF), 0);
    fixture_free(&f);
}

START_TEST(popf_and_iret_with_vip_or_tf_raise_gp)
{
    for (int iret = 0; iret <= 1; iret++) {
        image_faults(iret, EFLAGS_VIP, EFLAGS_IF, FAULT_VIP_PENDING);
        image_faults(iret, 0, EFLAGS_TF, FAULT_VME_TF);
    }
}
END_TEST

START_TEST(popf_without_if_is_fine_with_vip)
{
    Fixture f;
    vme_setup(&f, "pentium", CR4_VME, EFLAGS_VM | EFLAGS_VIP | EFLAGS_VIF);
    V86_PROGRAM(0x6A, 0x00,             /* push 0 */
                0x9D,                   /* popf: clears VIF */
                0xF4);
    expect_v86_gp(&f, FAULT_CPL_NOT_ZERO, V86_CS, 3);
    ck_assert_uint_eq(frame_eflags(&f) & (EFLAGS_VIF | EFLAGS_VIP), EFLAGS_VIP);
    fixture_free(&f);
}
END_TEST

/* The 32-bit forms are not virtualised: they still trap. */
static void traps_32bit(uint8_t op)
{
    Fixture f;
    vme_setup(&f, "pentium", CR4_VME, EFLAGS_VM);
    uint8_t code[] = { 0x66, op, 0xF4 };
    pm_write(&f, V86_CODE, code, sizeof(code));
    expect_v86_gp(&f, FAULT_IOPL_V86, V86_CS, 0);
    fixture_free(&f);
}

START_TEST(pushfd_popfd_iretd_still_trap)
{
    traps_32bit(0x9C);
    traps_32bit(0x9D);
    traps_32bit(0xCF);
}
END_TEST

/* IVT entry `vector` to IVT_HANDLER_CS:0010 and the handler's code there. */
static void ivt_handler(Fixture *f, unsigned vector, const uint8_t *code, size_t n)
{
    wr(f, vector * 4, 0x10, 2);
    wr(f, vector * 4 + 2, IVT_HANDLER_CS, 2);
    pm_write(f, IVT_HANDLER, code, n);
}

START_TEST(int_redirected_through_the_ivt_with_vif_as_if)
{
    Fixture f;
    vme_setup(&f, "pentium", CR4_VME, EFLAGS_VM | EFLAGS_IF | EFLAGS_VIF);
    wr(&f, VME_REDIR + 0x21 / 8, (uint8_t)~(1u << (0x21 & 7)), 1);
    static const uint8_t handler[] = {
        0x9C,                           /* pushf */
        0x58,                           /* pop ax */
        0x8B, 0xEC,                     /* mov bp, sp */
        0x8B, 0x5E, 0x04,               /* mov bx, [bp+4]: the FLAGS image */
        0xCF,                           /* iret */
    };
    ivt_handler(&f, 0x21, handler, sizeof(handler));
    V86_PROGRAM(0xCD, 0x21,             /* int 0x21 */
                0xF4);
    expect_v86_gp(&f, FAULT_CPL_NOT_ZERO, V86_CS, 2);
    /* Inside the handler VIF was clear; the frame held IF = VIF = 1, IOPL 3. */
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & (EFLAGS_IF | EFLAGS_IOPL), IOPL3);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX] & (EFLAGS_IF | EFLAGS_IOPL), EFLAGS_IF | IOPL3);
    /* The IRET restored VIF; IF and IOPL never moved. */
    ck_assert_uint_eq(frame_eflags(&f) & (EFLAGS_IF | EFLAGS_VIF | EFLAGS_IOPL),
                      EFLAGS_IF | EFLAGS_VIF);
    ck_assert_uint_eq(v86_sp(&f), V86_SP);
    ck_assert_uint_eq(rd(&f, V86_STACK + V86_SP - 6, 2), 2);       /* return IP */
    ck_assert_uint_eq(rd(&f, V86_STACK + V86_SP - 4, 2), V86_CS);
    fixture_free(&f);
}
END_TEST

START_TEST(int_redirected_at_iopl3_clears_if)
{
    Fixture f;
    vme_setup(&f, "pentium", CR4_VME, EFLAGS_VM | EFLAGS_IF | IOPL3);
    wr(&f, VME_REDIR + 0x10 / 8, 0xFE, 1);
    static const uint8_t handler[] = { 0xF4 };
    ivt_handler(&f, 0x10, handler, sizeof(handler));
    V86_PROGRAM(0xCD, 0x10);            /* int 0x10 */
    expect_v86_gp(&f, FAULT_CPL_NOT_ZERO, IVT_HANDLER_CS, 0x10);
    ck_assert_uint_eq(frame_eflags(&f) & (EFLAGS_IF | EFLAGS_IOPL), IOPL3);
    ck_assert_uint_eq(v86_sp(&f), V86_SP - 6);
    ck_assert_uint_eq(v86_word(&f, 0), 2);
    ck_assert_uint_eq(v86_word(&f, 1), V86_CS);
    ck_assert_uint_eq(v86_word(&f, 2) & (EFLAGS_IF | EFLAGS_IOPL), EFLAGS_IF | IOPL3);
    fixture_free(&f);
}
END_TEST

START_TEST(int_not_redirected_traps_below_iopl3)
{
    Fixture f;
    vme_setup(&f, "pentium", CR4_VME, EFLAGS_VM);
    V86_PROGRAM(0xCD, 0x21);            /* bit set (pm_setup's ones) */
    expect_v86_gp(&f, FAULT_IOPL_V86, V86_CS, 0);
    fixture_free(&f);
}
END_TEST

START_TEST(int_not_redirected_at_iopl3_goes_through_the_idt)
{
    Fixture f;
    vme_setup(&f, "pentium", CR4_VME, EFLAGS_VM | IOPL3);
    pm_idt(&f, 0x40, 0xEE);
    V86_PROGRAM(0xCD, 0x40);
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, pm_handler_addr(0x40) + 1);
    ck_assert_uint_eq(pm_stack(&f, 0), 2);
    ck_assert_uint_eq(pm_stack(&f, 1), V86_CS);
    ck_assert(pm_stack(&f, 2) & EFLAGS_VM);
    fixture_free(&f);
}
END_TEST

START_TEST(redirection_bitmap_past_the_tss_limit_raises_gp)
{
    Fixture f;
    vme_setup(&f, "pentium", CR4_VME, EFLAGS_VM | IOPL3);
    wr(&f, PM_TSS + 0x66, 0x2000, 2);   /* bitmap at 1FE0h, limit 2068h */
    V86_PROGRAM(0xCD, 0xFF);            /* byte 1FFFh: inside */
    wr(&f, PM_TSS + 0x2000 - 32 + 31, 0x7F, 1);
    wr(&f, 0xFF * 4, 0x10, 2);
    wr(&f, 0xFF * 4 + 2, IVT_HANDLER_CS, 2);
    wr(&f, IVT_HANDLER, 0xF4, 1);
    expect_v86_gp(&f, FAULT_CPL_NOT_ZERO, IVT_HANDLER_CS, 0x10);
    fixture_free(&f);

    vme_setup(&f, "pentium", CR4_VME, EFLAGS_VM | IOPL3);
    wr(&f, PM_TSS + 0x66, 0x3000, 2);   /* bitmap at 2FE0h, past the limit */
    V86_PROGRAM(0xCD, 0x21);
    expect_v86_gp(&f, FAULT_INT_REDIRECT_TSS, V86_CS, 0);
    fixture_free(&f);
}
END_TEST

START_TEST(pvi_cli_sti_at_cpl3_use_vif)
{
    Fixture f;
    vme_setup(&f, "pentium", CR4_PVI, EFLAGS_IF);
    AT(PM_RING3, 0xFB,                  /* sti: VIF = 1 */
       0x9C,                            /* pushfd: PVI does not touch PUSHF */
       0xFA,                            /* cli: VIF = 0 */
       0xFB,                            /* sti: VIF = 1 */
       0xF4);
    pm_expect(&f, EXC_GP, 0, FAULT_CPL_NOT_ZERO);
    ck_assert_uint_eq(pm_stack(&f, 1), PM_RING3 + 4);
    ck_assert_uint_eq(pm_stack(&f, 3) & (EFLAGS_IF | EFLAGS_VIF), EFLAGS_IF | EFLAGS_VIF);
    ck_assert_uint_eq(rd(&f, PM_STACK3 - 4, 4) & (EFLAGS_IF | EFLAGS_VIF),
                      EFLAGS_IF | EFLAGS_VIF);
    fixture_free(&f);
}
END_TEST

START_TEST(pvi_sti_with_vip_and_pvi_off)
{
    Fixture f;
    vme_setup(&f, "pentium", CR4_PVI, EFLAGS_VIP);
    AT(PM_RING3, 0xFA, 0xFB);
    pm_expect(&f, EXC_GP, 0, FAULT_VIP_PENDING);
    ck_assert_uint_eq(pm_stack(&f, 1), PM_RING3 + 1);
    fixture_free(&f);

    vme_setup(&f, "pentium", CR4_VME, EFLAGS_IF);   /* VME alone does nothing at CPL 3 */
    AT(PM_RING3, 0xFA);
    pm_expect(&f, EXC_GP, 0, FAULT_IOPL_CPL);
    fixture_free(&f);
}
END_TEST

Suite *vme_suite(void)
{
    Suite *s = suite_create("vme");
    TCase *tc = tcase_create("vme");
    tcase_add_test(tc, pentium_reports_vme_and_cr4_takes_vme_pvi);
    tcase_add_test(tc, vme_off_behaves_as_before);
    tcase_add_test(tc, cli_sti_toggle_vif_and_pushf_shows_it);
    tcase_add_test(tc, sti_with_vip_raises_gp);
    tcase_add_test(tc, popf_loads_if_into_vif);
    tcase_add_test(tc, popf_and_iret_with_vip_or_tf_raise_gp);
    tcase_add_test(tc, popf_without_if_is_fine_with_vip);
    tcase_add_test(tc, pushfd_popfd_iretd_still_trap);
    tcase_add_test(tc, int_redirected_through_the_ivt_with_vif_as_if);
    tcase_add_test(tc, int_redirected_at_iopl3_clears_if);
    tcase_add_test(tc, int_not_redirected_traps_below_iopl3);
    tcase_add_test(tc, int_not_redirected_at_iopl3_goes_through_the_idt);
    tcase_add_test(tc, redirection_bitmap_past_the_tss_limit_raises_gp);
    tcase_add_test(tc, pvi_cli_sti_at_cpl3_use_vif);
    tcase_add_test(tc, pvi_sti_with_vip_and_pvi_off);
    suite_add_tcase(s, tc);
    return s;
}
