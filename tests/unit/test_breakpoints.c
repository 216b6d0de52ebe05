/* SPDX-License-Identifier: MIT */
/*
 * The breakpoint engine (debug/breakpoints.c) and its conditions
 * (debug/expr.c) on a bare CPU: where each kind stops the run (before the
 * instruction for breakpoints, after it for watch, int and io catches,
 * before delivery for exceptions), conditions, hit counts, enable/disable,
 * and that resuming moves on.
 */
#include "breakpoints.h"
#include "pm_fixture.h"

static int add(Breakpoints *b, BpSpec s)
{
    char err[160] = "";
    int n = bp_add(b, &s, err, sizeof(err));
    ck_assert_msg(n > 0, "bp_add: %s", err);
    return n;
}

static CpuStop run(Fixture *f, Breakpoints *b)
{
    bp_resume(b);
    return cpu_run(&f->cpu, 10000);
}

START_TEST(expr_language)
{
    Fixture f;
    fixture_init(&f, "486");
    Expr e;
    char err[120];
    f.cpu.gpr[REG_EAX] = 0x1234;
    ck_assert(expr_compile(&e, "eax == 0x1234 && ah == 0x12 && al == 52", err, sizeof(err)));
    ck_assert_uint_eq(expr_eval(&e, &f.cpu, NULL), 1);
    ck_assert(expr_compile(&e, "(ax < 5 || cpl == 0) && !(eflags & 0x200)", err, sizeof(err)));
    ck_assert_uint_eq(expr_eval(&e, &f.cpu, NULL), 1);
    FaultRecord pf = { .vector = EXC_PF, .error_code = 6, .detail = { 0x400123 } };
    ck_assert(expr_compile(&e, "error == 6 && cr2 >= 0x400000 && vector == 14", err, sizeof(err)));
    ck_assert_uint_eq(expr_eval(&e, &f.cpu, &pf), 1);
    ck_assert(!expr_compile(&e, "eax ==", err, sizeof(err)));
    ck_assert(!expr_compile(&e, "foo == 1", err, sizeof(err)));
    ck_assert(!expr_compile(&e, "(eax == 1", err, sizeof(err)));
    ck_assert(!expr_compile(&e, "eax == 1 junk", err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "bad expression"));
    fixture_free(&f);
}
END_TEST

START_TEST(break_linear_segoff_physical)
{
    Fixture f;
    fixture_init(&f, "486");
    Breakpoints b;
    bp_init(&b, &f.cpu);
    /* CS = 0010h (base 100h), IP = 0: nop; nop; inc ax; hlt */
    cpu_load_segment_real(&f.cpu, SEG_CS, 0x10);
    f.cpu.eip = 0;
    CODE(0x90, 0x90, 0x40, 0xF4);
    int lin = add(&b, (BpSpec){ .kind = BP_BREAK_LINEAR, .addr = 0x101 });
    int so = add(&b, (BpSpec){ .kind = BP_BREAK_SEGOFF, .sel = 0x10, .addr = 2 });
    int never = add(&b, (BpSpec){ .kind = BP_BREAK_SEGOFF, .sel = 0, .addr = 0x102 });
    int phys = add(&b, (BpSpec){ .kind = BP_BREAK_PHYSICAL, .addr = 0x103 });
    ck_assert_int_eq(run(&f, &b), CPU_STOP_DEBUG);
    ck_assert_uint_eq(f.cpu.eip, 1);
    ck_assert_int_eq(bp_last_stop(&b)->kind, BP_STOP_BREAK);
    ck_assert_int_eq(bp_last_stop(&b)->number, lin);
    ck_assert_int_eq(run(&f, &b), CPU_STOP_DEBUG);
    ck_assert_uint_eq(f.cpu.eip, 2);
    ck_assert_int_eq(bp_last_stop(&b)->number, so);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0);      /* stopped before inc ax */
    ck_assert_int_eq(run(&f, &b), CPU_STOP_DEBUG);
    ck_assert_uint_eq(f.cpu.eip, 3);
    ck_assert_int_eq(bp_last_stop(&b)->number, phys);
    ck_assert_int_eq(run(&f, &b), CPU_STOP_HALT);
    ck_assert_uint_eq(bp_get(&b, never)->hits, 0);
    ck_assert_uint_eq(bp_get(&b, lin)->hits, 1);
    bp_fini(&b);
    ck_assert_int_eq(f.cpu.debug_count, 0);
    fixture_free(&f);
}
END_TEST

START_TEST(break_condition_enable_delete)
{
    Fixture f;
    fixture_init(&f, "486");
    Breakpoints b;
    bp_init(&b, &f.cpu);
    CODE(0x40, 0xEB, 0xFD);     /* again: inc ax; jmp again */
    int n = add(&b, (BpSpec){ .kind = BP_BREAK_LINEAR, .addr = 0x100, .cond = "ax == 3" });
    ck_assert_int_eq(run(&f, &b), CPU_STOP_DEBUG);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 3);
    ck_assert_uint_eq(bp_get(&b, n)->hits, 1);
    ck_assert(bp_enable(&b, n, false));
    ck_assert_int_eq(f.cpu.debug_count, 0);     /* nothing enabled: detached */
    bp_resume(&b);
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_BUDGET);
    ck_assert(bp_enable(&b, n, true));
    ck_assert(bp_delete(&b, n));
    ck_assert(!bp_delete(&b, n));
    ck_assert_ptr_null(bp_get(&b, n));
    char err[120];
    BpSpec bad = { .kind = BP_BREAK_LINEAR, .addr = 0x100, .cond = "ax = 3" };
    ck_assert_int_eq(bp_add(&b, &bad, err, sizeof(err)), 0);
    BpSpec vec = { .kind = BP_CATCH_EXCEPTION, .addr = 32 };
    ck_assert_int_eq(bp_add(&b, &vec, err, sizeof(err)), 0);
    bp_fini(&b);
    fixture_free(&f);
}
END_TEST

/* mov [3000h], ax; mov bx, [3000h]; mov [3001h], cl; hlt */
static void watch_code(Fixture *fx)
{
    static const uint8_t c[] = { 0xA3, 0x00, 0x30, 0x8B, 0x1E, 0x00, 0x30, 0x88, 0x0E, 0x01, 0x30, 0xF4 };
    fixture_code(fx, c, sizeof(c));
    fx->cpu.gpr[REG_EAX] = 0xABCD;
    fx->cpu.gpr[REG_ECX] = 0x77;
    wr(fx, 0x3000, 0x1234, 2);
}

START_TEST(watch_write_read_access)
{
    Fixture f;
    fixture_init(&f, "486");
    Breakpoints b;
    bp_init(&b, &f.cpu);
    watch_code(&f);
    int w = add(&b, (BpSpec){ .kind = BP_WATCH_WRITE, .addr = 0x3000, .len = 2 });
    ck_assert(f.cpu.debug_watch_data);
    ck_assert_int_eq(run(&f, &b), CPU_STOP_DEBUG);
    ck_assert_uint_eq(f.cpu.eip, 0x103);            /* after the writing instruction */
    const BpStop *s = bp_last_stop(&b);
    ck_assert_int_eq(s->kind, BP_STOP_WATCH);
    ck_assert_int_eq(s->number, w);
    ck_assert_uint_eq(s->addr, 0x3000);
    ck_assert_uint_eq(s->size, 2);
    ck_assert(s->write);
    ck_assert_uint_eq(s->old_value, 0x1234);
    ck_assert_uint_eq(s->new_value, 0xABCD);
    char text[200];
    bp_describe_stop(s, text, sizeof(text));
    ck_assert_str_eq(text, "watchpoint 1: write of 2 bytes at lin 00003000: 1234 -> abcd");
    ck_assert_int_eq(run(&f, &b), CPU_STOP_DEBUG);  /* the byte write at 3001h */
    ck_assert_uint_eq(f.cpu.eip, 0x10B);
    ck_assert_uint_eq(bp_last_stop(&b)->new_value, 0x77);
    ck_assert_int_eq(run(&f, &b), CPU_STOP_HALT);
    bp_delete_all(&b);
    ck_assert(!f.cpu.debug_watch_data);
    fixture_free(&f);

    fixture_init(&f, "486");
    bp_init(&b, &f.cpu);
    watch_code(&f);
    add(&b, (BpSpec){ .kind = BP_WATCH_READ, .addr = 0x3001 });
    ck_assert_int_eq(run(&f, &b), CPU_STOP_DEBUG);
    ck_assert_uint_eq(f.cpu.eip, 0x107);            /* after mov bx, [3000h] */
    ck_assert(!bp_last_stop(&b)->write);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0xABCD);
    ck_assert_int_eq(run(&f, &b), CPU_STOP_HALT);
    bp_fini(&b);
    fixture_free(&f);

    fixture_init(&f, "486");
    bp_init(&b, &f.cpu);
    watch_code(&f);
    add(&b, (BpSpec){ .kind = BP_WATCH_ACCESS, .addr = 0x2FFF, .len = 2, .cond = "bx == 0" });
    ck_assert_int_eq(run(&f, &b), CPU_STOP_DEBUG);
    ck_assert_uint_eq(f.cpu.eip, 0x103);
    ck_assert_int_eq(run(&f, &b), CPU_STOP_DEBUG);  /* the read: bx is still 0 when it reads */
    ck_assert_uint_eq(f.cpu.eip, 0x107);
    ck_assert_int_eq(run(&f, &b), CPU_STOP_HALT);   /* the write to 3001h is outside 2fff-3000 */
    bp_fini(&b);
    fixture_free(&f);
}
END_TEST

START_TEST(catch_int_ah_and_io)
{
    Fixture f;
    fixture_init(&f, "486");
    Breakpoints b;
    bp_init(&b, &f.cpu);
    /* mov ah, 2; int 21h; mov ah, 9; int 21h; out 80h, al; in al, 60h; hlt */
    CODE(0xB4, 0x02, 0xCD, 0x21, 0xB4, 0x09, 0xCD, 0x21, 0xE6, 0x80, 0xE4, 0x60, 0xF4);
    wr(&f, 0x21 * 4, HANDLER, 2);
    wr(&f, 0x21 * 4 + 2, 0, 2);
    wr(&f, HANDLER, 0xCF, 1);                       /* iret */
    int n = add(&b, (BpSpec){ .kind = BP_CATCH_INT, .addr = 0x21, .ah = 9 });
    int io = add(&b, (BpSpec){ .kind = BP_CATCH_IO, .addr = 0x60, .len = 0x64, .ah = -1 });
    ck_assert_int_eq(run(&f, &b), CPU_STOP_DEBUG);
    const BpStop *s = bp_last_stop(&b);
    ck_assert_int_eq(s->kind, BP_STOP_INT);
    ck_assert_int_eq(s->number, n);
    ck_assert_uint_eq(s->ah, 9);
    ck_assert_uint_eq(f.cpu.eip, HANDLER);          /* the handler's first instruction */
    ck_assert_uint_eq(bp_get(&b, n)->hits, 1);
    ck_assert_int_eq(run(&f, &b), CPU_STOP_DEBUG);
    s = bp_last_stop(&b);
    ck_assert_int_eq(s->kind, BP_STOP_IO);
    ck_assert_int_eq(s->number, io);
    ck_assert_uint_eq(s->port, 0x60);
    ck_assert(!s->write);
    ck_assert_uint_eq(f.cpu.eip, 0x10C);            /* after in al, 60h */
    ck_assert_int_eq(run(&f, &b), CPU_STOP_HALT);
    bp_fini(&b);
    fixture_free(&f);
}
END_TEST

START_TEST(catch_mode)
{
    Fixture f;
    fixture_init(&f, "486");
    Breakpoints b;
    bp_init(&b, &f.cpu);
    /* mov eax, cr0; or al, 1; mov cr0, eax; nop; hlt */
    CODE(0x0F, 0x20, 0xC0, 0x0C, 0x01, 0x0F, 0x22, 0xC0, 0x90, 0xF4);
    add(&b, (BpSpec){ .kind = BP_CATCH_MODE });
    ck_assert_int_eq(run(&f, &b), CPU_STOP_DEBUG);
    const BpStop *s = bp_last_stop(&b);
    ck_assert_int_eq(s->kind, BP_STOP_MODE);
    ck_assert_uint_eq(s->old_mode, 0);
    ck_assert_uint_eq(s->new_mode, BP_MODE_PE);
    ck_assert_uint_eq(f.cpu.eip, 0x108);            /* before the first instruction in the new mode */
    char text[120];
    bp_describe_stop(s, text, sizeof(text));
    ck_assert_str_eq(text, "catchpoint 1: mode change real -> protected");
    ck_assert_int_eq(run(&f, &b), CPU_STOP_HALT);
    bp_fini(&b);
    fixture_free(&f);
}
END_TEST

START_TEST(catch_gp_by_cpl_and_error)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_idt(&f, EXC_GP, ACC_INTGATE0);
    PM(TO_RING3(0x00));
    AT(PM_RING3, 0xFA, 0xF4);                       /* cli at IOPL 0 in ring 3: #GP(0) */
    Breakpoints b;
    bp_init(&b, &f.cpu);
    int wrong = add(&b, (BpSpec){ .kind = BP_CATCH_EXCEPTION, .addr = 13, .cond = "error == 8" });
    int n = add(&b, (BpSpec){ .kind = BP_CATCH_EXCEPTION, .addr = 13, .cond = "cpl == 3 && error == 0" });
    ck_assert_int_eq(run(&f, &b), CPU_STOP_DEBUG);
    const BpStop *s = bp_last_stop(&b);
    ck_assert_int_eq(s->kind, BP_STOP_EXCEPTION);
    ck_assert_int_eq(s->number, n);
    ck_assert_uint_eq(s->fault.vector, EXC_GP);
    ck_assert_uint_eq(f.cpu.eip, PM_RING3);         /* held: at the faulting instruction */
    ck_assert_uint_eq(f.cpu.seg[SEG_CS].sel, SEL_CODE3 | 3);
    ck_assert(f.cpu.exception_held);
    ck_assert_uint_eq(bp_get(&b, wrong)->hits, 0);
    pm_expect(&f, EXC_GP, 0, FAULT_IOPL_CPL);   /* resuming delivers it */
    bp_fini(&b);
    fixture_free(&f);
}
END_TEST

START_TEST(catch_pf_by_cr2)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_idt(&f, EXC_PF, ACC_INTGATE0);
    /* PDE[0] -> page table at 21000h mapping the first 4 MiB; PDE[1] absent. */
    wr(&f, 0x20000, 0x21007, 4);
    for (uint32_t i = 0; i < 1024; i++)
        wr(&f, 0x21000 + 4 * i, (i << 12) | 7, 4);
    PM(0xB8, 0x00, 0x00, 0x02, 0x00,                /* mov eax, 20000h */
       0x0F, 0x22, 0xD8,                            /* mov cr3, eax */
       0x0F, 0x20, 0xC0, 0x0D, 0x00, 0x00, 0x00, 0x80, /* mov eax, cr0; or eax, 80000000h */
       0x0F, 0x22, 0xC0,                            /* mov cr0, eax */
       0xA1, 0x10, 0x00, 0x40, 0x00,                /* mov eax, [400010h] */
       0xF4);
    Breakpoints b;
    bp_init(&b, &f.cpu);
    add(&b, (BpSpec){ .kind = BP_CATCH_EXCEPTION, .addr = 14, .cond = "cr2 == 0x123" });
    int n = add(&b, (BpSpec){ .kind = BP_CATCH_EXCEPTION, .addr = 14, .cond = "cr2 >= 0x400000 && cpl == 0" });
    int pb = add(&b, (BpSpec){ .kind = BP_BREAK_PHYSICAL, .addr = PM_BODY + 19 });
    ck_assert_int_eq(run(&f, &b), CPU_STOP_DEBUG);  /* paging on: CS:EIP translated */
    ck_assert_int_eq(bp_last_stop(&b)->number, pb);
    ck_assert_int_eq(run(&f, &b), CPU_STOP_DEBUG);
    const BpStop *s = bp_last_stop(&b);
    ck_assert_int_eq(s->number, n);
    ck_assert_uint_eq(s->fault.vector, EXC_PF);
    ck_assert_uint_eq(s->fault.error_code, 0);      /* supervisor read, not present */
    pm_expect(&f, EXC_PF, 0, FAULT_PAGE_NOT_PRESENT);
    ck_assert_uint_eq(f.cpu.cr2, 0x400010);
    bp_fini(&b);
    fixture_free(&f);
}
END_TEST

Suite *breakpoints_suite(void)
{
    Suite *s = suite_create("breakpoints");
    TCase *tc = tcase_create("breakpoints");
    tcase_add_test(tc, expr_language);
    tcase_add_test(tc, break_linear_segoff_physical);
    tcase_add_test(tc, break_condition_enable_delete);
    tcase_add_test(tc, watch_write_read_access);
    tcase_add_test(tc, catch_int_ah_and_io);
    tcase_add_test(tc, catch_mode);
    tcase_add_test(tc, catch_gp_by_cpl_and_error);
    tcase_add_test(tc, catch_pf_by_cr2);
    suite_add_tcase(s, tc);
    return s;
}
