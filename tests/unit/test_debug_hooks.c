/* SPDX-License-Identifier: MIT */
/*
 * The CPU's side of the debugger: debug clients attached with
 * cpu_debug_attach see each instruction, exception, interrupt, data and port
 * access, and can stop the run, holding an exception until the next run.
 */
#include "cpu_fixture.h"

typedef struct Recorder {
    uint32_t stop_at;               /* before_insn stops at this EIP */
    bool hold_exceptions;
    unsigned insns, exceptions, interrupts, reads, writes, ports;
    unsigned last_vector;
    CpuInterruptKind last_kind;
    uint32_t last_lin;
    uint16_t last_port;
    bool last_port_write;
} Recorder;

static bool rec_before(void *ctx, Cpu *cpu)
{
    Recorder *r = ctx;
    r->insns++;
    return cpu->eip == r->stop_at;
}

static bool rec_exception(void *ctx, Cpu *cpu, const FaultRecord *f)
{
    Recorder *r = ctx;
    (void)cpu;
    r->exceptions++;
    r->last_vector = f->vector;
    return r->hold_exceptions;
}

static void rec_interrupt(void *ctx, Cpu *cpu, unsigned vector, CpuInterruptKind kind)
{
    Recorder *r = ctx;
    (void)cpu;
    r->interrupts++;
    r->last_vector = vector;
    r->last_kind = kind;
}

static void rec_data(void *ctx, Cpu *cpu, uint32_t lin, unsigned size, bool write)
{
    Recorder *r = ctx;
    (void)size;
    if (write) {
        r->writes++;
        if (lin == DATA)
            cpu->debug_stop = true;     /* a watchpoint: stop after this instruction */
    } else {
        r->reads++;
    }
    r->last_lin = lin;
}

static void rec_port(void *ctx, Cpu *cpu, uint16_t port, unsigned size, bool write)
{
    Recorder *r = ctx;
    (void)cpu;
    (void)size;
    r->ports++;
    r->last_port = port;
    r->last_port_write = write;
}

static CpuDebugHooks hooks_for(Recorder *r)
{
    return (CpuDebugHooks){ .ctx = r, .before_insn = rec_before, .exception = rec_exception,
                            .interrupt = rec_interrupt, .data_access = rec_data,
                            .port_access = rec_port };
}

START_TEST(before_insn_stops_before_the_instruction)
{
    Fixture f;
    fixture_init(&f, "pentium");
    CODE(0x40, 0x40, 0x40, 0xF4);           /* inc ax x3; hlt */
    Recorder r = { .stop_at = FIXTURE_CODE + 2 };
    CpuDebugHooks h = hooks_for(&r);
    ck_assert(cpu_debug_attach(&f.cpu, &h));
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_DEBUG);
    ck_assert_uint_eq(f.cpu.eip, FIXTURE_CODE + 2);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0xFFFF, 2);
    ck_assert_uint_eq(f.cpu.icount, 2);
    /* Detached, the run goes on to the HLT. */
    cpu_debug_detach(&f.cpu, &h);
    ck_assert_uint_eq(f.cpu.debug_count, 0);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0xFFFF, 3);
    fixture_free(&f);
}
END_TEST

START_TEST(held_exception_is_delivered_on_resume)
{
    Fixture f;
    fixture_init(&f, "pentium");
    fixture_vector_to_hlt(&f, EXC_DE, HANDLER);
    CODE(0x31, 0xC9, 0xF7, 0xF1);           /* xor cx,cx; div cx */
    Recorder r = { .stop_at = 0xFFFFFFFF, .hold_exceptions = true };
    CpuDebugHooks h = hooks_for(&r);
    cpu_debug_attach(&f.cpu, &h);
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_DEBUG);
    ck_assert_uint_eq(r.exceptions, 1);
    ck_assert_uint_eq(r.last_vector, EXC_DE);
    ck_assert(f.cpu.exception_held);
    ck_assert_uint_eq(f.cpu.eip, FIXTURE_CODE + 2);        /* at the DIV */
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], FIXTURE_STACK);   /* nothing pushed yet */
    /* Resuming delivers it without asking again, then runs the handler. */
    run_to_hlt(&f);
    ck_assert_uint_eq(r.exceptions, 1);
    ck_assert(!f.cpu.exception_held);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], FIXTURE_STACK - 6);
    ck_assert_uint_eq(rd(&f, FIXTURE_STACK - 6, 2), FIXTURE_CODE + 2);   /* a fault: IP of the DIV */
    ck_assert_uint_eq(r.last_kind, CPU_INT_EXCEPTION);
    fixture_free(&f);
}
END_TEST

START_TEST(software_interrupts_and_ports_are_reported)
{
    Fixture f;
    fixture_init(&f, "pentium");
    fixture_vector_to_hlt(&f, 0x21, HANDLER);
    CODE(0xE6, 0x80, 0xE4, 0x61, 0xCD, 0x21);  /* out 80h,al; in al,61h; int 21h */
    Recorder r = { .stop_at = 0xFFFFFFFF };
    CpuDebugHooks h = hooks_for(&r);
    cpu_debug_attach(&f.cpu, &h);
    ck_assert_int_eq(cpu_run(&f.cpu, 2), CPU_STOP_BUDGET);
    ck_assert_uint_eq(r.ports, 2);
    ck_assert_uint_eq(r.last_port, 0x61);
    ck_assert(!r.last_port_write);
    run_to_hlt(&f);
    ck_assert_uint_eq(r.interrupts, 1);
    ck_assert_uint_eq(r.last_vector, 0x21);
    ck_assert_uint_eq(r.last_kind, CPU_INT_SOFTWARE);
    fixture_free(&f);
}
END_TEST

START_TEST(data_access_hook_can_stop_after_the_instruction)
{
    Fixture f;
    fixture_init(&f, "pentium");
    /* mov ax,[DATA+2]; mov [DATA],ax; inc ax; hlt */
    CODE(0xA1, (DATA + 2) & 0xFF, (DATA + 2) >> 8, 0xA3, DATA & 0xFF, DATA >> 8, 0x40, 0xF4);
    Recorder r = { .stop_at = 0xFFFFFFFF };
    CpuDebugHooks h = hooks_for(&r);
    cpu_debug_attach(&f.cpu, &h);
    /* Unwatched: the hook is not called. */
    ck_assert_int_eq(cpu_run(&f.cpu, 1), CPU_STOP_BUDGET);
    ck_assert_uint_eq(r.reads, 0);
    f.cpu.debug_watch_data = true;
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_DEBUG);
    ck_assert_uint_eq(r.writes, 1);
    ck_assert_uint_eq(r.last_lin, DATA);
    ck_assert_uint_eq(f.cpu.eip, FIXTURE_CODE + 6);     /* after the writing MOV */
    fixture_free(&f);
}
END_TEST

START_TEST(icebp_is_recorded_for_the_tracer)
{
    Fixture f;
    fixture_init(&f, "pentium");
    fixture_vector_to_hlt(&f, EXC_DB, HANDLER);
    CODE(0x90, 0xF1);                       /* nop; icebp */
    Recorder r = { .stop_at = 0xFFFFFFFF };
    CpuDebugHooks h = hooks_for(&r);
    cpu_debug_attach(&f.cpu, &h);
    run_to_hlt(&f);
    ck_assert_uint_eq(r.interrupts, 1);
    ck_assert_uint_eq(r.last_vector, EXC_DB);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_ICEBP);
    ck_assert_uint_eq(f.cpu.last_fault.eip, FIXTURE_CODE + 1);
    ck_assert_uint_eq(rd(&f, FIXTURE_STACK - 6, 2), FIXTURE_CODE + 2);  /* a trap: after the F1 */
    fixture_free(&f);
}
END_TEST

START_TEST(attach_is_limited)
{
    Fixture f;
    fixture_init(&f, "386");
    Recorder r = { 0 };
    CpuDebugHooks h[CPU_DEBUG_CLIENTS + 1];
    for (int i = 0; i < CPU_DEBUG_CLIENTS; i++) {
        h[i] = hooks_for(&r);
        ck_assert(cpu_debug_attach(&f.cpu, &h[i]));
    }
    h[CPU_DEBUG_CLIENTS] = hooks_for(&r);
    ck_assert(!cpu_debug_attach(&f.cpu, &h[CPU_DEBUG_CLIENTS]));
    cpu_debug_detach(&f.cpu, &h[0]);
    ck_assert_uint_eq(f.cpu.debug_count, CPU_DEBUG_CLIENTS - 1);
    fixture_free(&f);
}
END_TEST

Suite *debug_hooks_suite(void)
{
    Suite *s = suite_create("debug_hooks");
    TCase *t = tcase_create("hooks");
    tcase_add_test(t, before_insn_stops_before_the_instruction);
    tcase_add_test(t, held_exception_is_delivered_on_resume);
    tcase_add_test(t, software_interrupts_and_ports_are_reported);
    tcase_add_test(t, data_access_hook_can_stop_after_the_instruction);
    tcase_add_test(t, icebp_is_recorded_for_the_tracer);
    tcase_add_test(t, attach_is_limited);
    suite_add_tcase(s, t);
    return s;
}
