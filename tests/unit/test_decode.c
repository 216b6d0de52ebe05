/* SPDX-License-Identifier: MIT */
/* The decoder: bytes in, a plain Insn with named fields out (SDM vol. 2, ch. 2). */
#include <check.h>

#include "cpu_fixture.h"
#include "suites.h"

/* Decodes the bytes at CS:0x100; returns the vector raised, or -1. */
static int decode(Fixture *f, const void *bytes, size_t n, Insn *in)
{
    jmp_buf env;
    fixture_code(f, bytes, n);
    f->cpu.fault_env = &env;
    f->cpu.insn_eip = f->cpu.eip;
    if (setjmp(env))
        return f->cpu.last_fault.vector;
    cpu_decode(&f->cpu, in);
    return -1;
}

#define DECODE_OK(bytes, in)                                                     \
    do {                                                                          \
        static const uint8_t b_[] = bytes;                                        \
        ck_assert_int_eq(decode(&f, b_, sizeof(b_), &(in)), -1);                  \
        ck_assert_uint_eq((in).len, sizeof(b_));                                  \
    } while (0)

#define BYTES(...) { __VA_ARGS__ }

START_TEST(modrm16_disp8_index_only)
{
    Fixture f;
    Insn in;
    fixture_init(&f, "386");
    DECODE_OK(BYTES(0x8B, 0x44, 0x08), in);            /* mov ax, [si+8] */
    ck_assert_str_eq(in.op->mnemonic, "mov");
    ck_assert_uint_eq(in.mod, 1);
    ck_assert_uint_eq(in.reg, 0);
    ck_assert_int_eq(in.base, -1);
    ck_assert_int_eq(in.index, REG_ESI);
    ck_assert_uint_eq(in.disp, 8);
    ck_assert_uint_eq(in.seg, SEG_DS);
    ck_assert(!in.opsize32);
    f.cpu.gpr[REG_ESI] = 0xFFFC;
    ck_assert_uint_eq(insn_ea(&f.cpu, &in), 0x0004);    /* 16-bit offsets wrap */
    fixture_free(&f);
}
END_TEST

START_TEST(modrm16_every_rm_with_mod0)
{
    static const int8_t want_base[8] = { REG_EBX, REG_EBX, REG_EBP, REG_EBP, -1, -1, -1, REG_EBX };
    static const int8_t want_index[8] = { REG_ESI, REG_EDI, REG_ESI, REG_EDI, REG_ESI, REG_EDI, -1, -1 };
    static const uint8_t want_seg[8] = { SEG_DS, SEG_DS, SEG_SS, SEG_SS, SEG_DS, SEG_DS, SEG_DS, SEG_DS };
    for (int rm = 0; rm < 8; rm++) {
        Fixture f;
        Insn in;
        fixture_init(&f, "386");
        uint8_t b[4] = { 0x8B, (uint8_t)rm, 0x34, 0x12 };
        ck_assert_int_eq(decode(&f, b, sizeof(b), &in), -1);
        ck_assert_int_eq(in.base, want_base[rm]);
        ck_assert_int_eq(in.index, want_index[rm]);
        ck_assert_uint_eq(in.seg, want_seg[rm]);
        ck_assert_uint_eq(in.len, rm == 6 ? 4 : 2);      /* rm 6 with mod 0 is [disp16] */
        if (rm == 6)
            ck_assert_uint_eq(in.disp, 0x1234);
        fixture_free(&f);
    }
}
END_TEST

START_TEST(sib_with_prefixes)
{
    Fixture f;
    Insn in;
    fixture_init(&f, "386");
    DECODE_OK(BYTES(0x66, 0x67, 0x8B, 0x44, 0x8E, 0x10), in);   /* mov eax, [esi+ecx*4+0x10] */
    ck_assert(in.opsize32);
    ck_assert(in.addrsize32);
    ck_assert_int_eq(in.base, REG_ESI);
    ck_assert_int_eq(in.index, REG_ECX);
    ck_assert_uint_eq(in.scale, 4);
    ck_assert_uint_eq(in.disp, 0x10);
    f.cpu.gpr[REG_ESI] = 0x100000;
    f.cpu.gpr[REG_ECX] = 3;
    ck_assert_uint_eq(insn_ea(&f.cpu, &in), 0x10001C);
    fixture_free(&f);
}
END_TEST

START_TEST(sib_no_base_and_no_index)
{
    Fixture f;
    Insn in;
    fixture_init(&f, "386");
    /* mov eax, [ebp*1 + disp32]: SIB base 5 with mod 0 means no base; index 4 means none */
    DECODE_OK(BYTES(0x67, 0x8B, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12), in);
    ck_assert_int_eq(in.base, -1);
    ck_assert_int_eq(in.index, -1);
    ck_assert_uint_eq(in.disp, 0x12345678);
    ck_assert_uint_eq(in.seg, SEG_DS);
    fixture_free(&f);
}
END_TEST

START_TEST(bp_base_defaults_to_ss_unless_overridden)
{
    Fixture f;
    Insn in;
    fixture_init(&f, "386");
    DECODE_OK(BYTES(0x8B, 0x46, 0xFE), in);             /* mov ax, [bp-2] */
    ck_assert_uint_eq(in.seg, SEG_SS);
    ck_assert_uint_eq(in.disp, 0xFFFFFFFEu);
    f.cpu.gpr[REG_EBP] = 0x10;
    ck_assert_uint_eq(insn_ea(&f.cpu, &in), 0x0E);
    DECODE_OK(BYTES(0x3E, 0x8B, 0x46, 0x00), in);       /* ds: mov ax, [bp] */
    ck_assert_uint_eq(in.seg, SEG_DS);
    ck_assert(in.seg_override);
    DECODE_OK(BYTES(0x67, 0x8B, 0x04, 0x24), in);       /* mov ax, [esp] */
    ck_assert_uint_eq(in.seg, SEG_SS);
    fixture_free(&f);
}
END_TEST

START_TEST(groups_select_row_by_reg_and_immediates)
{
    Fixture f;
    Insn in;
    fixture_init(&f, "386");
    DECODE_OK(BYTES(0x81, 0xC3, 0x34, 0x12), in);       /* add bx, 0x1234 */
    ck_assert_str_eq(in.op->mnemonic, "add");
    ck_assert_uint_eq(in.imm, 0x1234);
    DECODE_OK(BYTES(0x83, 0xEB, 0xFF), in);             /* sub bx, -1 */
    ck_assert_str_eq(in.op->mnemonic, "sub");
    ck_assert_uint_eq(in.imm, 0xFF);
    DECODE_OK(BYTES(0xF7, 0xC1, 0x01, 0x00), in);       /* test cx, 1: only /0 has an immediate */
    ck_assert_str_eq(in.op->mnemonic, "test");
    DECODE_OK(BYTES(0xF7, 0xD1), in);                   /* not cx */
    ck_assert_str_eq(in.op->mnemonic, "not");
    DECODE_OK(BYTES(0xEA, 0x00, 0x7C, 0x34, 0x12), in); /* jmp 1234:7C00 */
    ck_assert_uint_eq(in.imm, 0x7C00);
    ck_assert_uint_eq(in.imm2, 0x1234);
    DECODE_OK(BYTES(0xC8, 0x10, 0x00, 0x02), in);       /* enter 16, 2 */
    ck_assert_uint_eq(in.imm, 0x10);
    ck_assert_uint_eq(in.imm2, 2);
    DECODE_OK(BYTES(0xA1, 0x34, 0x12), in);             /* mov ax, [1234] */
    ck_assert_uint_eq(in.disp, 0x1234);
    DECODE_OK(BYTES(0x67, 0xA1, 0x78, 0x56, 0x34, 0x12), in);
    ck_assert_uint_eq(in.disp, 0x12345678);
    DECODE_OK(BYTES(0x0F, 0xB6, 0xC0), in);             /* movzx ax, al */
    ck_assert_uint_eq(in.map, 1);
    ck_assert_str_eq(in.op->mnemonic, "movzx");
    DECODE_OK(BYTES(0xF3, 0xA4), in);                   /* rep movsb */
    ck_assert_uint_eq(in.rep, REP_E);
    fixture_free(&f);
}
END_TEST

START_TEST(length_limit_is_fifteen_bytes)
{
    Fixture f;
    Insn in;
    uint8_t b[16];
    fixture_init(&f, "386");
    memset(b, 0x66, sizeof(b));
    b[14] = 0x90;
    ck_assert_int_eq(decode(&f, b, 15, &in), -1);
    ck_assert_uint_eq(in.len, 15);
    b[14] = 0x66;
    b[15] = 0x90;
    ck_assert_int_eq(decode(&f, b, 16, &in), EXC_GP);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_INSN_TOO_LONG);
    fixture_free(&f);
}
END_TEST

START_TEST(undefined_and_illegal_forms_raise_ud)
{
    Fixture f;
    Insn in;
    fixture_init(&f, "386");
    static const uint8_t lock_reg[] = { 0xF0, 0x01, 0xC0 }, lock_mem[] = { 0xF0, 0x01, 0x07 };
    static const uint8_t lock_mov[] = { 0xF0, 0x89, 0x07 }, lea_reg[] = { 0x8D, 0xC0 };
    static const uint8_t no_row[] = { 0x0F, 0x04 }, c6_reg1[] = { 0xC6, 0x08, 0x00 };
    static const uint8_t bswap[] = { 0x0F, 0xC8 };
    ck_assert_int_eq(decode(&f, lock_reg, 3, &in), EXC_UD);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_LOCK_NOT_ALLOWED);
    ck_assert_int_eq(decode(&f, lock_mem, 3, &in), -1);
    ck_assert(in.lock);
    ck_assert_int_eq(decode(&f, lock_mov, 3, &in), EXC_UD);
    ck_assert_int_eq(decode(&f, lea_reg, 2, &in), EXC_UD);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_REGISTER_OPERAND);
    ck_assert_int_eq(decode(&f, no_row, 2, &in), EXC_UD);
    ck_assert_int_eq(decode(&f, c6_reg1, 3, &in), EXC_UD);
    ck_assert_int_eq(decode(&f, bswap, 2, &in), EXC_UD);     /* BSWAP is a 486 instruction */
    fixture_free(&f);
    fixture_init(&f, "486");
    ck_assert_int_eq(decode(&f, bswap, 2, &in), -1);
    fixture_free(&f);
}
END_TEST

START_TEST(fetch_past_cs_limit_faults)
{
    Fixture f;
    Insn in;
    fixture_init(&f, "386");
    f.cpu.eip = 0xFFFF;
    phys_write(&f.mem, 0xFFFF, 0xB0, 1);                /* mov al, imm8: the imm8 lies at 0x10000 */
    jmp_buf env;
    f.cpu.fault_env = &env;
    f.cpu.insn_eip = f.cpu.eip;
    if (setjmp(env) == 0) {
        cpu_decode(&f.cpu, &in);
        ck_abort_msg("decoding past the CS limit did not fault");
    }
    ck_assert_int_eq(f.cpu.last_fault.vector, EXC_GP);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_CODE_LIMIT);
    fixture_free(&f);
}
END_TEST

START_TEST(table_rows_are_consistent)
{
    /* Every row's handler exists, and lookups agree with the row's own key. */
    for (unsigned map = 0; map < 2; map++)
        for (unsigned op = 0; op < 256; op++)
            for (unsigned reg = 0; reg < 8; reg++) {
                const OpcodeInfo *row = cpu_opcode_lookup(map, op, reg);
                if (!row)
                    continue;
                ck_assert_uint_eq(row->map, map);
                ck_assert_uint_eq(row->opcode, op);
                ck_assert(row->reg < 0 || (unsigned)row->reg == reg);
                ck_assert_ptr_nonnull(row->mnemonic);
            }
    ck_assert_ptr_null(cpu_opcode_lookup(0, 0xFF, 7));
    ck_assert_ptr_null(cpu_opcode_lookup(1, 0x01, 5));
    ck_assert_ptr_nonnull(cpu_opcode_lookup(1, 0xBA, 4));
}
END_TEST

Suite *decode_suite(void)
{
    Suite *s = suite_create("decode");
    TCase *tc = tcase_create("decode");
    tcase_add_test(tc, modrm16_disp8_index_only);
    tcase_add_test(tc, modrm16_every_rm_with_mod0);
    tcase_add_test(tc, sib_with_prefixes);
    tcase_add_test(tc, sib_no_base_and_no_index);
    tcase_add_test(tc, bp_base_defaults_to_ss_unless_overridden);
    tcase_add_test(tc, groups_select_row_by_reg_and_immediates);
    tcase_add_test(tc, length_limit_is_fifteen_bytes);
    tcase_add_test(tc, undefined_and_illegal_forms_raise_ud);
    tcase_add_test(tc, fetch_past_cs_limit_faults);
    tcase_add_test(tc, table_rows_are_consistent);
    suite_add_tcase(s, tc);
    return s;
}
