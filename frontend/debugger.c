/* SPDX-License-Identifier: MIT */
/*
 * The gdb stub in the run loop.  With no breakpoint set the guest runs in
 * whole slices and Ctrl-C is noticed between them; with breakpoints it runs
 * one instruction at a time and stops before any instruction whose CS:EIP
 * is a breakpoint's linear address (correct first, fast later).  The first
 * instruction after a resume is never stopped at, so continuing from a
 * breakpoint moves on.
 */
#include "debugger.h"

#include <stdio.h>

static uint32_t target_get_reg(void *ctx, int regno)
{
    return machine_debug_get_reg(ctx, (MachineReg)regno);
}

static bool target_set_reg(void *ctx, int regno, uint32_t value)
{
    return machine_debug_set_reg(ctx, (MachineReg)regno, value);
}

static size_t target_read_mem(void *ctx, uint32_t addr, uint8_t *buf, size_t len)
{
    return machine_debug_read_linear(ctx, addr, buf, len);
}

static size_t target_write_mem(void *ctx, uint32_t addr, const uint8_t *buf, size_t len)
{
    return machine_debug_write_linear(ctx, addr, buf, len);
}

static size_t target_read_phys(void *ctx, uint32_t addr, uint8_t *buf, size_t len)
{
    machine_debug_read_physical(ctx, addr, buf, len);
    return len;
}

static size_t target_write_phys(void *ctx, uint32_t addr, const uint8_t *buf, size_t len)
{
    machine_debug_write_physical(ctx, addr, buf, len);
    return len;
}

_Static_assert((int)GDB_TARGET_REGS == (int)MACHINE_REG_COUNT && (int)MACHINE_REG_CR0 == (int)GDB_CORE_REGS,
               "the stub's registers are the machine's debug registers, in the same order");

bool debugger_open(Debugger *d, Machine *m, int port, bool wait_for_attach)
{
    GdbTarget target = { .ctx = m, .get_reg = target_get_reg, .set_reg = target_set_reg,
                         .read_mem = target_read_mem, .write_mem = target_write_mem,
                         .read_phys = target_read_phys, .write_phys = target_write_phys };
    char err[160];
    *d = (Debugger){ .machine = m, .wait_for_attach = wait_for_attach };
    d->stub = gdbstub_listen(&target, port, err, sizeof(err));
    if (!d->stub) {
        fprintf(stderr, "faultline: %s\n", err);
        return false;
    }
    fprintf(stderr, "faultline: gdb stub listening on 127.0.0.1:%d\n", gdbstub_port(d->stub));
    fflush(stderr);
    return true;
}

void debugger_close(Debugger *d)
{
    gdbstub_destroy(d->stub);
    d->stub = NULL;
}

/* The machine stopped for good: gdb hears the exit status. */
static void report_machine_stop(Debugger *d, MachineStop stop)
{
    if (stop != MACHINE_STOP_TIME)
        gdbstub_report_exit(d->stub, stop == MACHINE_STOP_GUEST_EXIT ? machine_guest_exit_status(d->machine) >> 1 : 0);
}

/* While the guest is stopped: true when the debugger let it go on. */
static bool serve_stopped(Debugger *d, MachineStop *stop, DebugSlice *result)
{
    switch (gdbstub_serve(d->stub)) {
    case GDB_RESUME_KILL:
        *result = DEBUG_KILLED;
        return false;
    case GDB_RESUME_STEP:
        *stop = machine_step(d->machine);
        if (*stop == MACHINE_STOP_TIME)
            gdbstub_report_stop(d->stub, GDB_SIGTRAP);
        else
            report_machine_stop(d, *stop);
        return false;
    case GDB_RESUME_CONTINUE:
        d->resumed = true;
        return true;
    case GDB_RESUME_DETACH:
        return true;
    }
    return true;
}

/* Instruction by instruction, stopping before a breakpoint. */
static MachineStop run_checked(Debugger *d, uint64_t until_ns)
{
    Machine *m = d->machine;
    while (machine_now_ns(m) < until_ns) {
        if (!d->resumed && gdbstub_breakpoint_at(d->stub, machine_debug_pc_linear(m))) {
            gdbstub_report_stop(d->stub, GDB_SIGTRAP);
            return MACHINE_STOP_TIME;
        }
        d->resumed = false;
        MachineStop stop = machine_step(m);
        if (stop != MACHINE_STOP_TIME)
            return stop;
    }
    return MACHINE_STOP_TIME;
}

DebugSlice debugger_run(Debugger *d, uint64_t until_ns, MachineStop *stop)
{
    DebugSlice result = DEBUG_RAN;
    *stop = MACHINE_STOP_TIME;
    if (!gdbstub_connected(d->stub)) {
        bool block = d->wait_for_attach;
        if (gdbstub_accept(d->stub, block))
            d->wait_for_attach = false;
        else if (block)
            return DEBUG_RAN;
    }
    if (gdbstub_stopped(d->stub) && !serve_stopped(d, stop, &result))
        return result;
    if (gdbstub_poll_interrupt(d->stub)) {
        gdbstub_report_stop(d->stub, GDB_SIGINT);
        return DEBUG_RAN;
    }
    if (gdbstub_connected(d->stub) && gdbstub_has_breakpoints(d->stub)) {
        *stop = run_checked(d, until_ns);
    } else {
        d->resumed = false;
        *stop = machine_run(d->machine, until_ns);
    }
    report_machine_stop(d, *stop);
    return DEBUG_RAN;
}
