/* SPDX-License-Identifier: MIT */
/*
 * The 386, 486 and Pentium instructions that the 286 hardware vectors cannot
 * reach (data movement, the stack and control transfer), run as small real-mode programs on the bare fixture CPU.  Every
 * expected value comes from the instruction's page in the SDM, vol. 2; flags
 * the SDM calls undefined are masked out.
 */
#include <check.h>

#include "cpu_fixture.h"
#include "suites.h"

/* ---- stack frames ---- */

START_TEST(enter_level_0_pushes_bp_and_allocates)
{
    Fixture f;
    fixture_init(&f, "386");
    f.cpu.gpr[REG_EBP] = 0xABCD1234;
    CODE(0xC8, 0x10, 0x00, 0x00,        /* enter 0x10, 0 */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(rd(&f, 0x7FFE, 2), 0x1234);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBP], 0xABCD7FFE);  /* 16-bit operand size: BP only */
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], 0x7FEE);
    fixture_free(&f);

    fixture_init(&f, "386");
    f.cpu.gpr[REG_EBP] = 0x1234;
    CODE(0xC8, 0x00, 0x00, 0x21,        /* enter 0, 33: the level is taken mod 32 */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(rd(&f, 0x7FFE, 2), 0x1234);
    ck_assert_uint_eq(rd(&f, 0x7FFC, 2), 0x7FFE);       /* level 1: the frame pointer only */
    ck_assert_uint_eq(f.cpu.gpr[REG_EBP], 0x7FFE);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], 0x7FFC);
    fixture_free(&f);
}
END_TEST

START_TEST(enter_level_3_copies_frame_pointers_and_leave_undoes_it)
{
    Fixture f;
    fixture_init(&f, "386");
    f.cpu.gpr[REG_EBP] = 0x7010;
    wr(&f, 0x700E, 0xAAAA, 2);          /* the enclosing frames' pointers */
    wr(&f, 0x700C, 0xBBBB, 2);
    CODE(0xC8, 0x08, 0x00, 0x03,        /* enter 8, 3 */
         0xC9,                          /* leave */
         0xF4);
    step(&f);
    ck_assert_uint_eq(rd(&f, 0x7FFE, 2), 0x7010);       /* old BP */
    ck_assert_uint_eq(rd(&f, 0x7FFC, 2), 0xAAAA);       /* [BP-2] */
    ck_assert_uint_eq(rd(&f, 0x7FFA, 2), 0xBBBB);       /* [BP-4] */
    ck_assert_uint_eq(rd(&f, 0x7FF8, 2), 0x7FFE);       /* the new frame pointer */
    ck_assert_uint_eq(f.cpu.gpr[REG_EBP], 0x7FFE);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], 0x7FF0);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBP], 0x7010);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], 0x8000);
    fixture_free(&f);
}
END_TEST

START_TEST(enter_32bit_operand_size_on_a_16bit_stack)
{
    Fixture f;
    fixture_init(&f, "386");
    f.cpu.gpr[REG_EBP] = 0x7080;
    wr(&f, 0x707C, 0x55, 4);
    CODE(0x66, 0xC8, 0x04, 0x00, 0x02,  /* enter 4, 2 (o32) */
         0x66, 0xC9,                    /* leave (o32) */
         0xF4);
    step(&f);
    ck_assert_uint_eq(rd(&f, 0x7FFC, 4), 0x7080);       /* EBP */
    ck_assert_uint_eq(rd(&f, 0x7FF8, 4), 0x55);         /* dword at SS:BP-4 */
    ck_assert_uint_eq(rd(&f, 0x7FF4, 4), 0x7FFC);       /* frame pointer */
    ck_assert_uint_eq(f.cpu.gpr[REG_EBP], 0x7FFC);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], 0x7FF0);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBP], 0x7080);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], 0x8000);
    fixture_free(&f);
}
END_TEST

/* SDM, POP: with ESP as the base, the address is computed after ESP moves. */
START_TEST(pop_to_esp_relative_memory_uses_the_incremented_esp)
{
    Fixture f;
    fixture_init(&f, "386");
    wr(&f, 0x8000, 0xDEADBEEF, 4);
    CODE(0x66, 0x67, 0x8F, 0x44, 0x24, 0x04,   /* pop dword [esp+4] */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], 0x8004);
    ck_assert_uint_eq(rd(&f, 0x8008, 4), 0xDEADBEEF);
    ck_assert_uint_eq(rd(&f, 0x8004, 4), 0);
    fixture_free(&f);
}
END_TEST

START_TEST(pushad_popad_round_trip_skips_the_stored_esp)
{
    Fixture f;
    fixture_init(&f, "386");
    static const uint32_t v[8] = { 0x11111111, 0x22222222, 0x33333333, 0x44444444,
                                   0x8000, 0x66666666, 0x77777777, 0x88888888 };
    for (int r = 0; r < 8; r++)
        f.cpu.gpr[r] = v[r];
    CODE(0x66, 0x60,                    /* pushad */
         0x66, 0x61,                    /* popad */
         0xF4);
    step(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], 0x7FE0);
    for (int r = 0; r < 8; r++)         /* EAX at the top address, EDI at the bottom */
        ck_assert_uint_eq(rd(&f, 0x7FFC - 4 * r, 4), v[r]);
    for (int r = 0; r < 8; r++)
        if (r != REG_ESP)
            f.cpu.gpr[r] = 0;
    wr(&f, 0x7FEC, 0x12345678, 4);      /* POPAD discards the ESP slot */
    run_to_hlt(&f);
    for (int r = 0; r < 8; r++)
        ck_assert_uint_eq(f.cpu.gpr[r], v[r]);
    fixture_free(&f);
}
END_TEST

/* PUSH imm32 0x00060CD7 (AC, VM and arithmetic bits); POPFD; PUSHFD; POP EAX. */
static uint32_t popfd_round_trip(const char *model)
{
    Fixture f;
    fixture_init(&f, model);
    CODE(0x66, 0x68, 0xD7, 0x0C, 0x06, 0x00,
         0x66, 0x9D, 0x66, 0x9C, 0x66, 0x58, 0xF4);
    run_to_hlt(&f);
    uint32_t eax = f.cpu.gpr[REG_EAX];
    fixture_free(&f);
    return eax;
}

START_TEST(popfd_loads_ac_on_the_486_only_and_never_vm)
{
    ck_assert_uint_eq(popfd_round_trip("386"), 0x00000CD7);
    ck_assert_uint_eq(popfd_round_trip("486"), 0x00040CD7);
}
END_TEST

/* ---- segment registers and far pointers ---- */

START_TEST(push_fs_pop_gs_with_32bit_operand_size)
{
    Fixture f;
    fixture_init(&f, "386");
    cpu_load_segment_real(&f.cpu, SEG_FS, 0x4321);
    CODE(0x66, 0x0F, 0xA0,              /* push fs (o32) */
         0x66, 0x0F, 0xA9,              /* pop gs (o32) */
         0xF4);
    step(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], 0x7FFC);
    /* The upper word is either zeroed or left alone (SDM, PUSH); it was 0. */
    ck_assert_uint_eq(rd(&f, 0x7FFC, 4), 0x4321);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], 0x8000);
    ck_assert_uint_eq(f.cpu.seg[SEG_GS].sel, 0x4321);
    ck_assert_uint_eq(f.cpu.seg[SEG_GS].base, 0x43210);
    fixture_free(&f);
}
END_TEST

START_TEST(lss_lfs_lgs_load_offset_then_selector)
{
    Fixture f;
    fixture_init(&f, "386");
    f.cpu.gpr[REG_EBX] = DATA;
    f.cpu.gpr[REG_EDI] = 0xFFFF0000;
    wr(&f, DATA, 0x1234, 2);
    wr(&f, DATA + 2, 0x5678, 2);
    wr(&f, DATA + 0x10, 0x89ABCDEF, 4);
    wr(&f, DATA + 0x14, 0x2345, 2);
    wr(&f, DATA + 0x20, 0xBEEF, 2);
    wr(&f, DATA + 0x22, 0x1111, 2);
    CODE(0x0F, 0xB2, 0x27,                      /* lss sp, [bx] */
         0x66, 0x0F, 0xB4, 0x1E, 0x10, 0x30,    /* lfs ebx, [0x3010] */
         0x0F, 0xB5, 0x3E, 0x20, 0x30,          /* lgs di, [0x3020] */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], 0x1234);
    ck_assert_uint_eq(f.cpu.seg[SEG_SS].sel, 0x5678);
    ck_assert_uint_eq(f.cpu.seg[SEG_SS].base, 0x56780);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x89ABCDEF);
    ck_assert_uint_eq(f.cpu.seg[SEG_FS].sel, 0x2345);
    ck_assert_uint_eq(f.cpu.seg[SEG_FS].base, 0x23450);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDI], 0xFFFFBEEF);
    ck_assert_uint_eq(f.cpu.seg[SEG_GS].sel, 0x1111);
    fixture_free(&f);
}
END_TEST

START_TEST(mov_to_cs_is_undefined)
{
    Fixture f;
    fixture_init(&f, "386");
    CODE(0x8E, 0xC8, 0xF4);             /* mov cs, ax */
    run_to_fault(&f, EXC_UD, 0x100);
    ck_assert_uint_eq(f.cpu.seg[SEG_CS].sel, 0);
    fixture_free(&f);
}
END_TEST

/* ---- data movement ---- */

START_TEST(movzx_movsx_from_registers_and_memory)
{
    Fixture f;
    fixture_init(&f, "386");
    f.cpu.gpr[REG_EAX] = 0x1234A5FF;
    f.cpu.gpr[REG_EBX] = 0x000001F0;
    f.cpu.gpr[REG_EDX] = 0x00008001;
    wr(&f, DATA, 0x80, 1);
    wr(&f, DATA + 2, 0xBEEF, 2);
    CODE(0x66, 0x0F, 0xB6, 0xFC,                /* movzx edi, ah */
         0x66, 0x0F, 0xBE, 0xEC,                /* movsx ebp, ah */
         0x0F, 0xB6, 0xC3,                      /* movzx ax, bl */
         0x66, 0x0F, 0xBF, 0xCA,                /* movsx ecx, dx */
         0x66, 0x0F, 0xBE, 0x16, 0x00, 0x30,    /* movsx edx, byte [0x3000] */
         0x66, 0x0F, 0xB7, 0x36, 0x02, 0x30,    /* movzx esi, word [0x3002] */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDI], 0x000000A5);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBP], 0xFFFFFFA5);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x123400F0);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 0xFFFF8001);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0xFFFFFF80);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESI], 0x0000BEEF);
    fixture_free(&f);
}
END_TEST

START_TEST(cwde_and_cdq_sign_extend)
{
    Fixture f;
    fixture_init(&f, "386");
    f.cpu.gpr[REG_EAX] = 0x12348000;
    f.cpu.gpr[REG_EDX] = 0x5555;
    CODE(0x66, 0x98,                            /* cwde */
         0x66, 0x99,                            /* cdq */
         0x66, 0x89, 0xC3,                      /* mov ebx, eax */
         0x66, 0x89, 0xD1,                      /* mov ecx, edx */
         0x66, 0xB8, 0xFF, 0xFF, 0xFF, 0x7F,    /* mov eax, 0x7FFFFFFF */
         0x66, 0x99,                            /* cdq */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0xFFFF8000);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 0xFFFFFFFF);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0);
    fixture_free(&f);
}
END_TEST

START_TEST(bswap_reverses_bytes_on_the_486_and_is_undefined_on_the_386)
{
    Fixture f;
    fixture_init(&f, "486");
    f.cpu.gpr[REG_ECX] = 0x11223344;
    f.cpu.gpr[REG_EDI] = 0x80000001;
    CODE(0x66, 0x0F, 0xC9,              /* bswap ecx */
         0x66, 0x0F, 0xCF,              /* bswap edi */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 0x44332211);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDI], 0x01000080);
    fixture_free(&f);

    fixture_init(&f, "386");
    f.cpu.gpr[REG_ECX] = 0x11223344;
    CODE(0x66, 0x0F, 0xC9, 0xF4);
    run_to_fault(&f, EXC_UD, 0x100);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 0x11223344);
    fixture_free(&f);
}
END_TEST

START_TEST(lea_with_32bit_and_16bit_address_sizes)
{
    Fixture f;
    fixture_init(&f, "386");
    f.cpu.gpr[REG_EAX] = 0x10000000;
    f.cpu.gpr[REG_EBX] = 0x100;
    f.cpu.gpr[REG_ESI] = 0xFFFF0000;
    f.cpu.gpr[REG_EDI] = 0x12345678;
    f.cpu.gpr[REG_EDX] = 0xAAAA0000;
    CODE(0x66, 0x67, 0x8D, 0x44, 0x58, 0x10,    /* lea eax, [eax+ebx*2+0x10] */
         0x66, 0x8D, 0x4C, 0xFF,                /* lea ecx, [si-1]: wraps at 16 bits */
         0x67, 0x8D, 0x14, 0x3B,                /* lea dx, [ebx+edi]: truncated */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x10000210);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 0x0000FFFF);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0xAAAA5778);
    fixture_free(&f);
}
END_TEST

/* ---- control transfer ---- */

START_TEST(jcc_rel16_taken_not_taken_and_wrapping)
{
    Fixture f;
    fixture_init(&f, "386");
    cpu_set_eflags(&f.cpu, EFLAGS_FIXED1 | EFLAGS_ZF);
    CODE(0x0F, 0x84, 0x00, 0x01, 0xF4);         /* jz +0x100 -> 0x204 */
    wr(&f, 0x204, 0xF4, 1);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, 0x205);
    fixture_free(&f);

    fixture_init(&f, "386");
    cpu_set_eflags(&f.cpu, EFLAGS_FIXED1);
    CODE(0x0F, 0x84, 0x00, 0x01, 0xF4);         /* ZF clear: falls through */
    wr(&f, 0x204, 0xF4, 1);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, 0x105);
    fixture_free(&f);

    fixture_init(&f, "386");
    cpu_set_eflags(&f.cpu, EFLAGS_FIXED1);
    CODE(0x0F, 0x85, 0x00, 0xFF, 0xF4);         /* jnz: 0x104 + 0xFF00 wraps to 0x0004 */
    wr(&f, 0x0004, 0xF4, 1);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, 0x0005);
    fixture_free(&f);

    /* o32 jz rel32 to 0x10107: past the CS limit only matters when taken. */
    fixture_init(&f, "386");
    cpu_set_eflags(&f.cpu, EFLAGS_FIXED1 | EFLAGS_ZF);
    CODE(0x66, 0x0F, 0x84, 0x00, 0x00, 0x01, 0x00, 0xF4);
    run_to_fault(&f, EXC_GP, 0x100);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_JUMP_LIMIT);
    fixture_free(&f);

    fixture_init(&f, "386");
    cpu_set_eflags(&f.cpu, EFLAGS_FIXED1);
    CODE(0x66, 0x0F, 0x84, 0x00, 0x00, 0x01, 0x00, 0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, 0x108);
    fixture_free(&f);
}
END_TEST

START_TEST(loop_counts_ecx_with_a_32bit_address_size)
{
    Fixture f;
    fixture_init(&f, "386");
    f.cpu.gpr[REG_ECX] = 0x10000;
    CODE(0x67, 0xE2, 0x02,              /* loop +2 (ECX) */
         0xF4, 0x90, 0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 0xFFFF);
    ck_assert_uint_eq(f.cpu.eip, 0x106);        /* taken */
    fixture_free(&f);

    fixture_init(&f, "386");
    f.cpu.gpr[REG_ECX] = 0x10001;
    CODE(0xE2, 0x02,                    /* loop +2 (CX): CX becomes 0 */
         0xF4, 0x90, 0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 0x10000);
    ck_assert_uint_eq(f.cpu.eip, 0x103);        /* not taken */
    fixture_free(&f);
}
END_TEST

START_TEST(call_rel32_pushes_eip_or_faults_past_the_limit)
{
    Fixture f;
    fixture_init(&f, "386");
    CODE(0x66, 0xE8, 0xFA, 0x00, 0x00, 0x00);  /* call dword 0x200 */
    wr(&f, 0x200, 0xF4, 1);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, 0x201);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], 0x7FFC);
    ck_assert_uint_eq(rd(&f, 0x7FFC, 4), 0x106);
    fixture_free(&f);

    /* 0x106 + 0x10000 is past the 64 KiB limit: #GP before anything is pushed. */
    fixture_init(&f, "386");
    CODE(0x66, 0xE8, 0x00, 0x00, 0x01, 0x00, 0xF4);
    run_to_fault(&f, EXC_GP, 0x100);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_JUMP_LIMIT);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], 0x8000 - 6);  /* only the exception frame */
    fixture_free(&f);
}
END_TEST

START_TEST(far_call_and_return_with_32bit_operand_size)
{
    Fixture f;
    fixture_init(&f, "386");
    cpu_load_segment_real(&f.cpu, SEG_CS, 0x0010);  /* code at 0010:0000 = linear 0x100 */
    f.cpu.eip = 0;
    CODE(0x66, 0x9A, 0x00, 0x01, 0x00, 0x00, 0x20, 0x00,  /* call dword 0020:00000100 */
         0xF4);
    wr(&f, 0x300, 0xCB66, 2);           /* at 0020:0100: retf (o32) */
    step(&f);
    ck_assert_uint_eq(f.cpu.seg[SEG_CS].sel, 0x20);
    ck_assert_uint_eq(f.cpu.eip, 0x100);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], 0x7FF8);
    ck_assert_uint_eq(rd(&f, 0x7FFC, 2), 0x0010);       /* CS in a dword slot */
    ck_assert_uint_eq(rd(&f, 0x7FF8, 4), 0x00000008);   /* EIP after the call */
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.seg[SEG_CS].sel, 0x10);
    ck_assert_uint_eq(f.cpu.eip, 9);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], 0x8000);
    fixture_free(&f);
}
END_TEST

START_TEST(bound_raises_br_outside_the_signed_range)
{
    Fixture f;
    static const uint32_t inside[] = { 0xFFFB, 0xFFF6, 0xFFFF };    /* -5, -10, -1 */
    for (unsigned i = 0; i < 3; i++) {
        fixture_init(&f, "386");
        f.cpu.gpr[REG_EAX] = inside[i];
        f.cpu.gpr[REG_EBX] = DATA;
        wr(&f, DATA, 0xFFF6, 2);        /* lower -10 */
        wr(&f, DATA + 2, 0xFFFF, 2);    /* upper -1 */
        CODE(0x62, 0x07, 0xF4);         /* bound ax, [bx] */
        run_to_hlt(&f);
        ck_assert_uint_eq(f.cpu.eip, 0x103);
        fixture_free(&f);
    }

    fixture_init(&f, "386");
    f.cpu.gpr[REG_EBX] = DATA;
    wr(&f, DATA, 0xFFF6, 2);
    wr(&f, DATA + 2, 0xFFFF, 2);
    CODE(0x62, 0x07, 0xF4);             /* AX = 0 lies above -1 */
    run_to_fault(&f, EXC_BR, 0x100);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_BOUND_RANGE);
    fixture_free(&f);

    fixture_init(&f, "386");
    f.cpu.gpr[REG_EAX] = 0x80000000;
    f.cpu.gpr[REG_EBX] = DATA;
    wr(&f, DATA, 0, 4);
    wr(&f, DATA + 4, 0x7FFFFFFF, 4);
    CODE(0x66, 0x62, 0x07, 0xF4);       /* bound eax, [bx]: a negative index */
    run_to_fault(&f, EXC_BR, 0x100);
    fixture_free(&f);
}
END_TEST

/* ---- double shifts ---- */

Suite *insn_move_suite(void)
{
    Suite *s = suite_create("insn_move");
    TCase *tc = tcase_create("insn_move");
    tcase_add_test(tc, enter_level_0_pushes_bp_and_allocates);
    tcase_add_test(tc, enter_level_3_copies_frame_pointers_and_leave_undoes_it);
    tcase_add_test(tc, enter_32bit_operand_size_on_a_16bit_stack);
    tcase_add_test(tc, pop_to_esp_relative_memory_uses_the_incremented_esp);
    tcase_add_test(tc, pushad_popad_round_trip_skips_the_stored_esp);
    tcase_add_test(tc, popfd_loads_ac_on_the_486_only_and_never_vm);
    tcase_add_test(tc, push_fs_pop_gs_with_32bit_operand_size);
    tcase_add_test(tc, lss_lfs_lgs_load_offset_then_selector);
    tcase_add_test(tc, mov_to_cs_is_undefined);
    tcase_add_test(tc, movzx_movsx_from_registers_and_memory);
    tcase_add_test(tc, cwde_and_cdq_sign_extend);
    tcase_add_test(tc, bswap_reverses_bytes_on_the_486_and_is_undefined_on_the_386);
    tcase_add_test(tc, lea_with_32bit_and_16bit_address_sizes);
    tcase_add_test(tc, jcc_rel16_taken_not_taken_and_wrapping);
    tcase_add_test(tc, loop_counts_ecx_with_a_32bit_address_size);
    tcase_add_test(tc, call_rel32_pushes_eip_or_faults_past_the_limit);
    tcase_add_test(tc, far_call_and_return_with_32bit_operand_size);
    tcase_add_test(tc, bound_raises_br_outside_the_signed_range);
    suite_add_tcase(s, tc);
    return s;
}
