/* SPDX-License-Identifier: MIT */
/*
 * The CPU as a whole in real mode: exception delivery through the IVT, the
 * single-step trap, the run budget, REP counting, A20, the model-specific
 * EFLAGS bits, and guest code that can never hang or crash the host.
 */
#include <check.h>

#include "cpu_fixture.h"
#include "suites.h"

static uint16_t stack_word(Fixture *f, unsigned index)
{
    return (uint16_t)phys_read(&f->mem, (f->cpu.gpr[REG_ESP] & 0xFFFF) + index * 2, 2);
}

START_TEST(divide_error_pushes_the_faulting_ip)
{
    Fixture f;
    fixture_init(&f, "386");
    fixture_vector_to_hlt(&f, EXC_DE, 0x500);
    CODE(0x31, 0xC9,            /* xor cx, cx */
         0xF7, 0xF1);           /* div cx */
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_HALT);
    ck_assert_uint_eq(f.cpu.eip, 0x501);
    ck_assert_uint_eq(stack_word(&f, 0), 0x102);        /* IP of the DIV, not after it */
    ck_assert_uint_eq(stack_word(&f, 1), 0);            /* CS */
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_DIVIDE_BY_ZERO);
    fixture_free(&f);
}
END_TEST

START_TEST(software_interrupt_and_iret_round_trip)
{
    Fixture f;
    fixture_init(&f, "386");
    phys_write(&f.mem, 0x21 * 4, 0x0600, 2);
    phys_write(&f.mem, 0x21 * 4 + 2, 0x0000, 2);
    static const uint8_t handler[] = { 0xB0, 0x42, 0xCF };     /* mov al, 0x42; iret */
    phys_write_block(&f.mem, 0x600, handler, sizeof(handler));
    CODE(0xFB,                  /* sti */
         0xCD, 0x21,            /* int 0x21 */
         0xF4);                 /* hlt */
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_HALT);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0xFF, 0x42);
    ck_assert_uint_eq(f.cpu.eip, 0x104);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], FIXTURE_STACK);
    ck_assert(cpu_get_eflags(&f.cpu) & EFLAGS_IF);      /* IRET restored IF */
    fixture_free(&f);
}
END_TEST

START_TEST(trap_flag_single_steps_one_instruction)
{
    Fixture f;
    fixture_init(&f, "386");
    fixture_vector_to_hlt(&f, EXC_DB, 0x500);
    cpu_set_eflags(&f.cpu, EFLAGS_FIXED1 | EFLAGS_TF);
    CODE(0x40, 0x40);           /* inc ax; inc ax */
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_HALT);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 1);           /* exactly one instruction ran */
    ck_assert_uint_eq(stack_word(&f, 0), 0x101);        /* a trap: IP after it */
    ck_assert(stack_word(&f, 2) & EFLAGS_TF);
    ck_assert(!(cpu_get_eflags(&f.cpu) & EFLAGS_TF));   /* the handler runs without TF */
    fixture_free(&f);
}
END_TEST

START_TEST(word_access_at_offset_ffff_is_gp)
{
    Fixture f;
    fixture_init(&f, "386");
    fixture_vector_to_hlt(&f, EXC_GP, 0x500);
    CODE(0xA1, 0xFF, 0xFF);     /* mov ax, [0xFFFF] */
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_HALT);
    ck_assert_uint_eq(stack_word(&f, 0), 0x100);
    ck_assert_int_eq(f.cpu.last_fault.vector, EXC_GP);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_SEGMENT_LIMIT);
    ck_assert_uint_eq(f.cpu.last_fault.detail[1], 0xFFFF);
    fixture_free(&f);
}
END_TEST

START_TEST(stack_wrap_past_limit_is_ss)
{
    Fixture f;
    fixture_init(&f, "386");
    fixture_vector_to_hlt(&f, EXC_SS, 0x500);
    CODE(0xBC, 0x01, 0x00,      /* mov sp, 1 */
         0x50,                  /* push ax: the word would sit at FFFF..10000 */
         0xBC, 0x00, 0x80);     /* mov sp, 0x8000 (not reached) */
    cpu_run(&f.cpu, 100);
    ck_assert_int_eq(f.cpu.last_fault.vector, EXC_SS);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_STACK_LIMIT);
    ck_assert_uint_eq(f.cpu.last_fault.eip, 0x103);
    fixture_free(&f);
}
END_TEST

START_TEST(run_budget_stops_an_endless_loop)
{
    Fixture f;
    fixture_init(&f, "386");
    CODE(0xEB, 0xFE);           /* jmp $ */
    ck_assert_int_eq(cpu_run(&f.cpu, 1000), CPU_STOP_BUDGET);
    ck_assert_uint_eq(f.cpu.icount, 1000);
    fixture_free(&f);
}
END_TEST

START_TEST(fault_storm_still_ends_at_the_budget)
{
    Fixture f;
    fixture_init(&f, "386");
    /* #UD's handler is itself an undefined opcode: faults forever, never retiring. */
    phys_write(&f.mem, EXC_UD * 4, 0x100, 2);
    CODE(0x0F, 0xFF);
    CpuStop stop = cpu_run(&f.cpu, 5000);
    ck_assert(stop == CPU_STOP_BUDGET || stop == CPU_STOP_SHUTDOWN);
    ck_assert_uint_le(f.cpu.icount, 5000);
    fixture_free(&f);
}
END_TEST

START_TEST(ivt_limit_leads_to_triple_fault_shutdown)
{
    Fixture f;
    fixture_init(&f, "386");
    f.cpu.idtr.limit = 0;       /* as after LIDT with a zero limit */
    CODE(0xCC);                 /* int3 */
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_SHUTDOWN);
    ck_assert(f.cpu.shutdown);
    ck_assert_ptr_nonnull(f.cpu.shutdown_reason);
    /* The chain: INT3's vector is past the limit (#GP), so is #GP's (a second
     * #GP: contributory, hence #DF), and so is #DF's: shutdown. */
    ck_assert_uint_eq(f.cpu.fault_chain_len, 4);
    ck_assert_uint_eq(f.cpu.fault_chain[0].vector, EXC_GP);
    ck_assert_uint_eq(f.cpu.fault_chain[0].error_code, 3 * 8 + 2);
    ck_assert_uint_eq(f.cpu.fault_chain[1].vector, EXC_GP);
    ck_assert_uint_eq(f.cpu.fault_chain[2].vector, EXC_DF);
    ck_assert_uint_eq(f.cpu.fault_chain[3].vector, EXC_GP);
    ck_assert_uint_eq(f.cpu.fault_chain[3].error_code, EXC_DF * 8 + 2);
    char text[256];
    cpu_describe_fault(&f.cpu.fault_chain[0], text, sizeof(text));
    ck_assert_str_eq(text, "#GP(001a) at 0000:00000100: interrupt vector 3 lies past the limit 0 of the real-mode IDTR");
    fixture_free(&f);
}
END_TEST

START_TEST(rep_iterations_count_as_instructions)
{
    Fixture f;
    fixture_init(&f, "386");
    CODE(0xB9, 0x05, 0x00,      /* mov cx, 5 */
         0xBE, 0x00, 0x20,      /* mov si, 0x2000 */
         0xBF, 0x00, 0x30,      /* mov di, 0x3000 */
         0xF3, 0xA4,            /* rep movsb */
         0xF4);
    phys_write_block(&f.mem, 0x2000, "hello", 5);
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_HALT);
    ck_assert_uint_eq(f.cpu.icount, 3 + 5 + 1);
    uint8_t out[5];
    phys_read_block(&f.mem, 0x3000, out, 5);
    ck_assert_mem_eq(out, "hello", 5);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 0);
    fixture_free(&f);
}
END_TEST

START_TEST(a20_gate_wraps_at_one_megabyte)
{
    Fixture f;
    fixture_init(&f, "386");
    CODE(0xB8, 0xFF, 0xFF,      /* mov ax, 0xFFFF */
         0x8E, 0xC0,            /* mov es, ax */
         0x26, 0xC6, 0x06, 0x10, 0x00, 0x5A,     /* mov byte [es:0x10], 0x5A -> 0x100000 */
         0xF4);
    cpu_set_a20(&f.cpu, false);
    cpu_run(&f.cpu, 100);
    ck_assert_uint_eq(phys_read(&f.mem, 0x0, 1), 0x5A);
    ck_assert_uint_eq(phys_read(&f.mem, 0x100000, 1), 0);
    fixture_free(&f);
}
END_TEST

/* PUSHFD; POP EAX; XOR EAX, bit; PUSH EAX; POPFD; PUSHFD; POP EAX; HLT -> did `bit` stick? */
static bool eflags_bit_toggles(const char *model, uint32_t bit)
{
    Fixture f;
    fixture_init(&f, model);
    uint8_t code[] = { 0x66, 0x9C, 0x66, 0x58, 0x66, 0x35, 0, 0, 0, 0, 0x66, 0x50, 0x66, 0x9D,
                       0x66, 0x9C, 0x66, 0x58, 0xF4 };
    memcpy(&code[6], &bit, 4);
    fixture_code(&f, code, sizeof(code));
    uint32_t before = cpu_get_eflags(&f.cpu);
    cpu_run(&f.cpu, 100);
    bool toggled = ((f.cpu.gpr[REG_EAX] ^ before) & bit) != 0;
    fixture_free(&f);
    return toggled;
}

START_TEST(models_differ_in_toggleable_eflags)
{
    ck_assert(!eflags_bit_toggles("386", EFLAGS_AC));
    ck_assert(eflags_bit_toggles("486", EFLAGS_AC));
    ck_assert(!eflags_bit_toggles("486", EFLAGS_ID));
    ck_assert(eflags_bit_toggles("pentium", EFLAGS_ID));
    ck_assert(eflags_bit_toggles("pentium2", EFLAGS_ID));
    ck_assert(eflags_bit_toggles("386", EFLAGS_NT));    /* a 386 lets real-mode code set NT */
}
END_TEST

START_TEST(cpuid_exists_only_where_the_model_has_it)
{
    Fixture f;
    fixture_init(&f, "486");
    fixture_vector_to_hlt(&f, EXC_UD, 0x500);
    CODE(0x0F, 0xA2, 0xF4);     /* cpuid */
    cpu_run(&f.cpu, 100);
    ck_assert_uint_eq(f.cpu.eip, 0x501);
    fixture_free(&f);
    fixture_init(&f, "pentium");
    CODE(0x66, 0x31, 0xC0, 0x0F, 0xA2, 0xF4);   /* xor eax, eax; cpuid */
    cpu_run(&f.cpu, 100);
    ck_assert_uint_eq(f.cpu.eip, 0x106);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x756E6547u);     /* "Genu" */
    ck_assert_uint_ge(f.cpu.gpr[REG_EAX], 1);
    fixture_free(&f);
    ck_assert_ptr_null(cpu_model_find("z80"));
}
END_TEST

START_TEST(port_reads_all_ones_when_nothing_is_there)
{
    Fixture f;
    fixture_init(&f, "386");
    CODE(0xE4, 0x80, 0x66, 0xED, 0xF4);     /* in al, 0x80; in eax, dx */
    cpu_run(&f.cpu, 100);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0xFFFFFFFFu);
    fixture_free(&f);
}
END_TEST

typedef struct TrapLog {
    int calls;
    uint8_t service;
    uint32_t ax_seen;
} TrapLog;

static void trap_hook(void *opaque, Cpu *cpu, uint8_t service)
{
    TrapLog *log = opaque;
    log->calls++;
    log->service = service;
    log->ax_seen = cpu->gpr[REG_EAX] & 0xFFFF;
    cpu->gpr[REG_EBX] = cpu_guest_read(cpu, SEG_DS, 0x2000, 2);    /* the service reads guest memory */
}

START_TEST(firmware_trap_only_from_the_firmware_rom)
{
    Fixture f;
    TrapLog log = { 0 };
    fixture_init(&f, "386");
    fixture_vector_to_hlt(&f, EXC_UD, 0x500);
    f.cpu.firmware_trap = trap_hook;
    f.cpu.firmware_opaque = &log;
    f.cpu.firmware_lo = 0x600;
    f.cpu.firmware_hi = 0x700;
    phys_write(&f.mem, 0x2000, 0xCAFE, 2);
    static const uint8_t stub[] = { 0x0F, 0xFF, 0x13, 0xF4 };   /* ud0 0x13; hlt */
    phys_write_block(&f.mem, 0x600, stub, sizeof(stub));
    CODE(0xB8, 0x34, 0x12,      /* mov ax, 0x1234 */
         0xEA, 0x00, 0x06, 0x00, 0x00);  /* jmp 0000:0600 */
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_HALT);
    ck_assert_int_eq(log.calls, 1);
    ck_assert_uint_eq(log.service, 0x13);
    ck_assert_uint_eq(log.ax_seen, 0x1234);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX] & 0xFFFF, 0xCAFE);
    ck_assert_uint_eq(f.cpu.eip, 0x604);
    fixture_free(&f);

    /* The same bytes outside the ROM range are UD0: #UD, no call. */
    fixture_init(&f, "386");
    fixture_vector_to_hlt(&f, EXC_UD, 0x500);
    log.calls = 0;
    f.cpu.firmware_trap = trap_hook;
    f.cpu.firmware_opaque = &log;
    f.cpu.firmware_lo = 0x600;
    f.cpu.firmware_hi = 0x700;
    CODE(0x0F, 0xFF, 0x13, 0xF4);
    cpu_run(&f.cpu, 100);
    ck_assert_int_eq(log.calls, 0);
    ck_assert_uint_eq(f.cpu.eip, 0x501);
    ck_assert_int_eq(f.cpu.last_fault.vector, EXC_UD);
    fixture_free(&f);
}
END_TEST

Suite *cpu_suite(void)
{
    Suite *s = suite_create("cpu");
    TCase *tc = tcase_create("real_mode");
    tcase_add_test(tc, divide_error_pushes_the_faulting_ip);
    tcase_add_test(tc, software_interrupt_and_iret_round_trip);
    tcase_add_test(tc, trap_flag_single_steps_one_instruction);
    tcase_add_test(tc, word_access_at_offset_ffff_is_gp);
    tcase_add_test(tc, stack_wrap_past_limit_is_ss);
    tcase_add_test(tc, run_budget_stops_an_endless_loop);
    tcase_add_test(tc, fault_storm_still_ends_at_the_budget);
    tcase_add_test(tc, ivt_limit_leads_to_triple_fault_shutdown);
    tcase_add_test(tc, rep_iterations_count_as_instructions);
    tcase_add_test(tc, a20_gate_wraps_at_one_megabyte);
    tcase_add_test(tc, models_differ_in_toggleable_eflags);
    tcase_add_test(tc, cpuid_exists_only_where_the_model_has_it);
    tcase_add_test(tc, port_reads_all_ones_when_nothing_is_there);
    tcase_add_test(tc, firmware_trap_only_from_the_firmware_rom);
    suite_add_tcase(s, tc);
    return s;
}
