/* SPDX-License-Identifier: MIT */
/*
 * The x86 CPU: an interpreter for a 386-class core whose features (CPUID,
 * which EFLAGS bits software may toggle, 486/Pentium instructions) come from a
 * named model at run time.  State is plain data in struct Cpu so that the
 * debugger, the snapshot code and the tests read it directly.  Intel SDM vol. 1
 * ch. 3 (registers), vol. 3 ch. 2-3 (system registers, segment caches).
 * This is the public header; cpu_internal.h is for the cpu/ files only.
 */
#ifndef FAULTLINE_CPU_H
#define FAULTLINE_CPU_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "clock.h"
#include "fpu.h"
#include "memory.h"
#include "tlb.h"

enum { REG_EAX, REG_ECX, REG_EDX, REG_EBX, REG_ESP, REG_EBP, REG_ESI, REG_EDI };
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_COUNT };

/* EFLAGS (SDM vol. 1, 3.4.3) */
#define EFLAGS_CF   0x00000001u
#define EFLAGS_FIXED1 0x00000002u   /* bit 1 always reads 1 */
#define EFLAGS_PF   0x00000004u
#define EFLAGS_AF   0x00000010u
#define EFLAGS_ZF   0x00000040u
#define EFLAGS_SF   0x00000080u
#define EFLAGS_TF   0x00000100u
#define EFLAGS_IF   0x00000200u
#define EFLAGS_DF   0x00000400u
#define EFLAGS_OF   0x00000800u
#define EFLAGS_IOPL 0x00003000u
#define EFLAGS_NT   0x00004000u
#define EFLAGS_RF   0x00010000u
#define EFLAGS_VM   0x00020000u
#define EFLAGS_AC   0x00040000u
#define EFLAGS_VIF  0x00080000u
#define EFLAGS_VIP  0x00100000u
#define EFLAGS_ID   0x00200000u
#define EFLAGS_RESERVED 0xFFC08028u
#define EFLAGS_ARITH (EFLAGS_CF | EFLAGS_PF | EFLAGS_AF | EFLAGS_ZF | EFLAGS_SF | EFLAGS_OF)

/* CR0 (SDM vol. 3, 2.5) */
#define CR0_PE 0x00000001u
#define CR0_MP 0x00000002u
#define CR0_EM 0x00000004u
#define CR0_TS 0x00000008u
#define CR0_ET 0x00000010u
#define CR0_NE 0x00000020u
#define CR0_WP 0x00010000u
#define CR0_AM 0x00040000u
#define CR0_NW 0x20000000u
#define CR0_CD 0x40000000u
#define CR0_PG 0x80000000u

/* CR4 (SDM vol. 3, 2.5); a model may set only the bits of features it has. */
#define CR4_VME 0x00000001u
#define CR4_PVI 0x00000002u
#define CR4_TSD 0x00000004u
#define CR4_DE  0x00000008u
#define CR4_PSE 0x00000010u
#define CR4_PAE 0x00000020u
#define CR4_MCE 0x00000040u
#define CR4_PGE 0x00000080u
#define CR4_PCE 0x00000100u
#define CR4_OSFXSR 0x00000200u  /* the OS saves state with FXSAVE (ops_system.c) */

/* Exception vectors (SDM vol. 3, table 6-1) */
enum {
    EXC_DE = 0, EXC_DB = 1, EXC_NMI = 2, EXC_BP = 3, EXC_OF = 4, EXC_BR = 5,
    EXC_UD = 6, EXC_NM = 7, EXC_DF = 8, EXC_TS = 10, EXC_NP = 11, EXC_SS = 12,
    EXC_GP = 13, EXC_PF = 14, EXC_MF = 16, EXC_AC = 17, EXC_MC = 18, EXC_XM = 19,
};

/*
 * A segment register with its hidden descriptor cache (SDM vol. 3, 3.4.3).
 * In real mode a load changes only selector and base, which is why a limit
 * set in protected mode survives the return to real mode ("unreal" mode).
 */
typedef struct Segment {
    uint16_t sel;
    uint32_t base;
    uint32_t limit;         /* byte granular, already scaled by G */
    uint16_t attr;          /* descriptor bits 40-47 (type, S, DPL, P) and 52-55 (AVL, L, D/B, G) << 8 */
} Segment;

#define SEG_ATTR_TYPE_MASK 0x000Fu
#define SEG_ATTR_S         0x0010u
#define SEG_ATTR_DPL_SHIFT 5
#define SEG_ATTR_P         0x0080u
#define SEG_ATTR_DB        0x4000u
#define SEG_ATTR_G         0x8000u

typedef struct TableRegister {
    uint32_t base;
    uint16_t limit;
} TableRegister;

/* The reason behind the last exception, kept for the debugger and the explainer. */
typedef struct FaultRecord {
    uint8_t vector;
    bool has_error_code;
    uint32_t error_code;
    int rule;               /* FaultRule from fault_rules.def */
    uint32_t detail[3];     /* the selector, offset, limit, ... the rule names */
    uint16_t cs;
    uint32_t eip;           /* start of the faulting instruction */
} FaultRecord;

typedef struct CpuModel CpuModel;

enum { CPU_FAULT_CHAIN = 4 };

/* Where external interrupts come from (the PIC); polled at instruction boundaries. */
typedef struct InterruptSource {
    bool (*pending)(void *ctx);
    uint8_t (*acknowledge)(void *ctx);  /* INTA cycle: returns the vector */
    void *ctx;
} InterruptSource;

/* Arithmetic flags are kept lazily: the operation that last set them. */
typedef struct LazyFlags {
    uint8_t op;             /* FlagOp; FLAG_OP_NONE when EFLAGS holds them */
    uint8_t size;           /* operand size in bytes */
    uint32_t dst, src, res;
} LazyFlags;

typedef enum CpuStop {
    CPU_STOP_BUDGET,        /* ran the requested number of instructions */
    CPU_STOP_HALT,          /* HLT with nothing to wake it */
    CPU_STOP_SHUTDOWN,      /* triple fault */
    CPU_STOP_REQUEST,       /* cpu->stop_requested was set by a device */
    CPU_STOP_DEBUG,         /* a debug hook asked to stop (see CpuDebugHooks) */
} CpuStop;

/* How an interrupt reached the CPU, for the tracer. */
typedef enum CpuInterruptKind {
    CPU_INT_EXCEPTION,      /* raised by the CPU (a FaultRecord describes it) */
    CPU_INT_SOFTWARE,       /* INT n, INT3, INTO */
    CPU_INT_EXTERNAL,       /* INTR from the PIC */
    CPU_INT_NMI,
} CpuInterruptKind;

typedef struct Cpu Cpu;

/*
 * The debugger's and tracer's view of execution (debug/).  Up to
 * CPU_DEBUG_CLIENTS clients attach; with none attached the run loop pays one
 * test per instruction.  Every hook may be NULL.  A hook that wants the run
 * to stop after the current instruction sets cpu->debug_stop.
 */
typedef struct CpuDebugHooks {
    void *ctx;
    /* Before the instruction at CS:EIP executes (after interrupts were
     * sampled); true stops the run with that instruction not yet begun. */
    bool (*before_insn)(void *ctx, Cpu *cpu);
    /* A CPU exception is about to be delivered (cpu->last_fault, with
     * cpu->eip at the faulting instruction for faults); true stops the run
     * first and holds the exception: the next cpu_run delivers it. */
    bool (*exception)(void *ctx, Cpu *cpu, const FaultRecord *fault);
    /* Any interrupt or exception is being delivered (for tracing). */
    void (*interrupt)(void *ctx, Cpu *cpu, unsigned vector, CpuInterruptKind kind);
    /* A data access by linear address (only while cpu->debug_watch_data);
     * called before the access, after its segment checks. */
    void (*data_access)(void *ctx, Cpu *cpu, uint32_t lin, unsigned size, bool write);
    /* An IN/OUT/INS/OUTS port access that passed its permission checks. */
    void (*port_access)(void *ctx, Cpu *cpu, uint16_t port, unsigned size, bool write);
} CpuDebugHooks;

enum { CPU_DEBUG_CLIENTS = 4 };

/*
 * Firmware written in C (our BIOS) is entered through the UD0 encoding 0F FF ib
 * when, and only when, the instruction's physical address lies in the
 * firmware ROM; the hook runs in the middle of that instruction, may use the
 * cpu_guest_* accessors below, and a fault it raises restarts the trap.
 */
typedef void (*FirmwareTrapFn)(void *opaque, Cpu *cpu, uint8_t service);

typedef struct Cpu {
    uint32_t gpr[8];
    uint32_t eip;
    uint32_t eflags;        /* arithmetic bits valid only when lazy.op is NONE */
    LazyFlags lazy;
    Segment seg[SEG_COUNT];
    TableRegister gdtr, idtr;
    Segment ldtr, tr;
    uint32_t cr0, cr2, cr3, cr4;
    uint32_t dr[8];

    const CpuModel *model;
    PhysMem *mem;
    IoSpace *io;
    InterruptSource intr;
    BusLogFn log;           /* where the CPU reports unimplemented features; may be NULL */
    void *log_opaque;
    const char *logged[16]; /* messages already logged once */
    const char *shutdown_reason;
    FirmwareTrapFn firmware_trap;
    void *firmware_opaque;
    uint64_t firmware_lo, firmware_hi;  /* physical range of the trap stubs */
    uint32_t a20_mask;      /* 0xFFFFFFFF, or bit 20 clear when the A20 gate is closed */

    /* The RAM page instructions are fetched from, so decoding reads it
     * directly; flushed whenever translation can change (A20, paging). */
    uint32_t fetch_page;    /* linear address of the page, or 1 (never a page) when empty */
    const uint8_t *fetch_host;

    uint64_t icount;        /* instructions retired; each REP iteration counts */
    Clock *clock;           /* the virtual clock the instructions advance; may be NULL */
    uint64_t clock_icount;  /* instructions already turned into clock time */
    uint64_t tsc_offset;    /* RDTSC = icount + tsc_offset; the machine adds the cycles spent in HLT */
    bool halted;
    bool shutdown;
    bool stop_requested;
    bool nmi_pending;
    bool nmi_blocked;       /* an NMI handler runs: the next NMI waits for its IRET */
    uint8_t irq_shadow;     /* STI / MOV SS / POP SS: no interrupt before the next instruction */
    uint8_t db_hits;        /* DR6 B0-B3 of data/I/O breakpoints hit, reported after the instruction */
    bool rep_unfinished;    /* a REP string instruction stopped between iterations (EIP still on it);
                             * set by ops_string.c, cleared by every delivery and reset */

    /* Per-instruction state that must survive a fault's longjmp. */
    uint32_t insn_eip;
    uint64_t run_target;
    jmp_buf *fault_env;
    int fault_depth;        /* 0 normally, 1 while delivering, 2 after #DF */
    FaultRecord last_fault;
    FaultRecord first_fault;    /* for #DF and triple fault: the fault that started it */
    /* The faults of the current delivery in order: the first, any that struck
     * while delivering it (a #DF among them), the one that shut down. */
    FaultRecord fault_chain[CPU_FAULT_CHAIN];
    uint8_t fault_chain_len;

    /* Paging (mmu/): IA32_EFER (only NXE is read so far), the PAE PDPTEs
     * loaded by MOV CR3, and the TLB, flushed whenever translation changes. */
    uint64_t efer;
    uint64_t pdpte[4];
    Tlb tlb;

    /* IA32_SYSENTER_CS, _ESP, _EIP (MSRs 174h-176h) for SYSENTER/SYSEXIT. */
    uint32_t sysenter_cs, sysenter_esp, sysenter_eip;

    /* The x87/MMX state (fpu.h).  FERR# goes out on `ferr` when an unmasked
     * x87 exception is pending and CR0.NE is clear (the PC wires it to IRQ 13). */
    Fpu fpu;
    IrqLine ferr;

    /* Debugger and tracer clients (cpu_debug_attach); debug_watch_data makes
     * every data access call their data_access hooks. */
    const CpuDebugHooks *debug[CPU_DEBUG_CLIENTS];
    uint8_t debug_count;
    bool debug_watch_data;
    bool debug_stop;            /* a hook asked to stop after this instruction */
    bool exception_held;        /* an exception hook stopped the run: deliver cpu->last_fault first */
} Cpu;

/* Attaches or detaches a debug client (false when CPU_DEBUG_CLIENTS are attached). */
bool cpu_debug_attach(Cpu *cpu, const CpuDebugHooks *hooks);
void cpu_debug_detach(Cpu *cpu, const CpuDebugHooks *hooks);

/* Named models: "386", "486", "pentium", "pentium2", "p6-nx". NULL if unknown. */
const CpuModel *cpu_model_find(const char *name);
const char *cpu_model_name(const CpuModel *model);
const char *cpu_model_list(void);   /* for --help: "386, 486, pentium, pentium2, p6-nx" */
/* Whether the model has an x87 (the BIOS's equipment byte reports it). */
bool cpu_model_has_fpu(const CpuModel *model);

void cpu_init(Cpu *cpu, const CpuModel *model, PhysMem *mem, IoSpace *io);
/* The state after RESET (SDM vol. 3, 9.1.1): real mode at F000:FFF0. */
void cpu_reset(Cpu *cpu);

/* Runs until `budget` more instructions have retired or something stops it. */
CpuStop cpu_run(Cpu *cpu, uint64_t budget);

/* Brings the clock up to the instructions retired so far (firing due events)
 * and ends the current run early if an event is now due sooner.  Port I/O
 * calls it, so devices always see the time of the access. */
void cpu_sync_clock(Cpu *cpu);

uint32_t cpu_get_eflags(Cpu *cpu);
void cpu_set_eflags(Cpu *cpu, uint32_t value);   /* raw: no privilege checks */
/* Loads a segment register as a real-mode (or V86) load does: base = sel * 16. */
void cpu_load_segment_real(Cpu *cpu, int seg, uint16_t sel);
void cpu_set_a20(Cpu *cpu, bool enabled);
/* Drops every cached translation (TLB, fetch cache): call it when the
 * physical memory map changes under the CPU, e.g. shadow RAM switching. */
void cpu_flush_translations(Cpu *cpu);
/* Accesses as guest code at the current CS:EIP would make them: through the
 * segment's checks and paging, with the I/O permission checks.  They may
 * raise a fault, which unwinds out of the caller (only valid while the CPU
 * is running an instruction, e.g. inside a firmware trap). */
uint32_t cpu_guest_read(Cpu *cpu, int seg, uint32_t offset, unsigned size);
void cpu_guest_write(Cpu *cpu, int seg, uint32_t offset, uint32_t value, unsigned size);
uint32_t cpu_guest_in(Cpu *cpu, uint16_t port, unsigned size);
void cpu_guest_out(Cpu *cpu, uint16_t port, uint32_t value, unsigned size);

/* The debugger's translation of a linear address: a supervisor read walk
 * that sets no accessed or dirty bit and raises nothing (the A20 gate
 * applied); false when the page is not present. */
bool cpu_debug_translate(Cpu *cpu, uint32_t lin, uint64_t *phys);

/* One fault in words: "#GP(0010) at 0008:00001234: <the rule's sentence
 * with its evidence>". */
void cpu_describe_fault(const FaultRecord *f, char *buf, size_t len);

/* Short name of an exception vector ("#GP"), and its rule's sentence. */
const char *cpu_exception_name(unsigned vector);
const char *cpu_fault_rule_text(int rule);

#endif
