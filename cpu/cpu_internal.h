/* SPDX-License-Identifier: MIT */
/*
 * Shared by the files of cpu/ only: the decoded instruction, the opcode table
 * row, operand access, lazy flags, the exception raise, and the handler
 * prototypes generated from opcodes.def.
 */
#ifndef FAULTLINE_CPU_INTERNAL_H
#define FAULTLINE_CPU_INTERNAL_H

#include <stdnoreturn.h>

#include "cpu.h"
#include "paging.h"

/* ---- CPU models ---- */

enum {
    FEAT_486   = 1u << 0,   /* BSWAP, XADD, CMPXCHG, INVD, WBINVD, INVLPG, EFLAGS.AC */
    FEAT_CPUID = 1u << 1,   /* EFLAGS.ID toggles and CPUID exists */
    FEAT_TSC   = 1u << 2,   /* RDTSC */
    FEAT_MSR   = 1u << 3,   /* RDMSR/WRMSR */
    FEAT_CX8   = 1u << 4,   /* CMPXCHG8B */
    FEAT_FPU   = 1u << 5,   /* an x87 is present (CR0.ET reads 1) */
    FEAT_CMOV  = 1u << 6,   /* CMOVcc (P6) */
    FEAT_MMX   = 1u << 7,   /* MMX instructions (mmx.c) */
    FEAT_SEP   = 1u << 8,   /* SYSENTER/SYSEXIT and their MSRs (ops_p6.c) */
    FEAT_FXSR  = 1u << 9,   /* FXSAVE/FXRSTOR, CR4.OSFXSR (fpu_env.c) */
};

struct CpuModel {
    const char *name;
    const char *description;
    unsigned features;
    uint32_t eflags_writable;   /* bits POPF/IRET may change */
    char vendor[13];
    uint32_t cpuid_signature;   /* EAX of leaf 1: family/model/stepping */
    uint32_t cpuid_edx;         /* feature bits of leaf 1 */
    uint32_t cpuid_max_leaf;
    /* Extended leaves 80000000h up: 0 when the model has none (the P5 and
     * P6 parts answer those as their highest basic leaf). */
    uint32_t cpuid_ext_max_leaf;
    uint32_t cpuid_ext_edx;     /* EDX of leaf 80000001h */
};

/* CPUID 80000001h EDX bit 20: execute disable; it also says IA32_EFER
 * exists with NXE (SDM vol. 4, table 2-2). */
#define CPUID_EXT_EDX_NX (1u << 20)
#define MSR_EFER 0xC0000080u
#define EFER_NXE 0x800u

static inline bool cpu_has(const Cpu *cpu, unsigned feature)
{
    return (cpu->model->features & feature) != 0;
}

/* CR0.ET reads 1 on the 486 and later whatever the FPU (SDM vol. 3, 2.5);
 * on a 386 it says whether a 387 is fitted. */
static inline bool cpu_et_hardwired(const Cpu *cpu)
{
    return cpu_has(cpu, FEAT_486) || cpu_has(cpu, FEAT_FPU);
}

/* The family field of the CPUID signature: 6 for the P6 parts, whose
 * RDPMC, multi-byte NOP and MSRs 17h/8Bh ops_p6.c models. */
static inline unsigned cpu_family(const Cpu *cpu)
{
    return (cpu->model->cpuid_signature >> 8) & 0xF;
}

/* The P6 MSRs of ops_p6.c (SYSENTER_CS/ESP/EIP, platform ID, BIOS_SIGN_ID)
 * for RDMSR/WRMSR, once access was checked. */
bool p6_msr_exists(const Cpu *cpu, uint32_t msr);
uint64_t p6_msr_read(const Cpu *cpu, uint32_t msr);
void p6_msr_write(Cpu *cpu, uint32_t msr, uint64_t value);

/* ---- the opcode table ---- */

/* Immediate forms, read after the ModRM/SIB/displacement bytes. */
typedef enum ImmForm {
    IMM_NONE,
    IMM_B,          /* one byte (zero-extended into imm; handlers sign-extend) */
    IMM_W,          /* two bytes */
    IMM_V,          /* two or four bytes by operand size */
    IMM_FAR,        /* Ap: offset (2/4 by operand size) into imm, selector into imm2 */
    IMM_ENTER,      /* Iw into imm, Ib into imm2 */
    IMM_MOFFS,      /* Ob/Ov: offset of address size into disp */
} ImmForm;

/* Row flags */
enum {
    OPF_MODRM   = 1u << 0,  /* a ModRM byte follows the opcode */
    OPF_LOCK    = 1u << 1,  /* LOCK allowed when the destination is memory */
    OPF_MEM     = 1u << 2,  /* register form is #UD (LEA, LDS, BOUND, ...) */
    OPF_GROUP   = 1u << 3,  /* ModRM.reg selects the row (a group); set by the decoder */
    OPF_486     = 1u << 4,  /* needs FEAT_486 */
    OPF_PENTIUM = 1u << 5,  /* needs the model's matching feature (checked by handler) */
    OPF_CREG    = 1u << 6,  /* MOV to/from CRn/DRn: ModRM.mod is ignored */
    OPF_PREFIX  = 1u << 7,  /* a prefix byte: handled by the decoder */
    OPF_STRING  = 1u << 8,  /* REP prefixes apply */
};

struct Insn;
typedef void (*OpHandler)(Cpu *cpu, const struct Insn *in);

typedef struct OpcodeInfo {
    const char *mnemonic;
    OpHandler handler;
    uint16_t flags;
    uint8_t imm;            /* ImmForm */
    uint8_t map;            /* 0: one-byte map, 1: 0F map */
    uint8_t opcode;
    int8_t reg;             /* ModRM.reg for group rows, -1 otherwise */
} OpcodeInfo;

/* The decoded instruction: every field named, no bit packing. */
typedef struct Insn {
    const OpcodeInfo *op;
    uint8_t map;            /* 0 or 1 (0F) */
    uint8_t opcode;
    uint8_t len;            /* bytes, prefixes included */
    uint8_t seg;            /* segment of the memory operand (default or override) */
    bool seg_override;
    uint8_t rep;            /* 0, REP_E (F3) or REP_NE (F2) */
    bool lock;
    bool opsize32;
    bool addrsize32;
    bool has_modrm;
    uint8_t mod, reg, rm;
    /* Memory operand (mod != 3): offset = base + index * scale + disp. */
    int8_t base;            /* register number, or -1 */
    int8_t index;           /* register number, or -1 */
    uint8_t scale;          /* 1, 2, 4 or 8 */
    uint32_t disp;
    uint32_t imm;
    uint32_t imm2;
} Insn;

enum { REP_NONE = 0, REP_E = 0xF3, REP_NE = 0xF2 };
enum { INSN_MAX_LEN = 15 };

/* Fetches and decodes the instruction at CS:EIP (faults on CS limit, length, #UD). */
void cpu_decode(Cpu *cpu, Insn *in);
/* The row for a map/opcode/reg, or NULL if there is none (#UD). */
const OpcodeInfo *cpu_opcode_lookup(unsigned map, unsigned opcode, unsigned reg);

#define X(map, opcode, reg, mnemonic, handler, imm, flags) \
    void handler(Cpu *cpu, const Insn *in);
#include "opcodes.def"
#undef X

/* ---- x87 and MMX (fpu*.c: the FPU; fpu_env.c: state images; mmx.c) ---- */

/* The start of every x87 instruction (SDM vol. 3, 2.5 and table 9-1):
 * #NM under CR0.EM or CR0.TS; then, for a waiting instruction, a pending
 * unmasked exception (FSW.ES) is #MF with CR0.NE set, else FERR# (IRQ 13). */
void fpu_check_available(Cpu *cpu);
void fpu_check_pending(Cpu *cpu);
/* FNINIT's state (also RESET's, apart from FCW 0x0040). */
void fpu_init_state(Fpu *fpu);
/* FNSTENV/FNSAVE (registers too) and FLDENV/FRSTOR at the memory operand of
 * `in`, in the 14/28-byte (+80) layout the operand size and mode select
 * (SDM vol. 1, figures 8-9 to 8-12). */
void fpu_store_env(Cpu *cpu, const Insn *in, bool with_registers);
void fpu_load_env(Cpu *cpu, const Insn *in, bool with_registers);
/* An MMX instruction begins: TOP = 0 and every tag valid (SDM vol. 1, 9.5). */
void mmx_enter(Cpu *cpu);
/* RESET's FPU state (SDM vol. 3, table 9-1); cpu_reset calls it. */
void fpu_reset_state(Fpu *fpu);
/* The register stack (fpu.c): TOP, ST(i) by physical number, tags. */
unsigned fpu_top(const Cpu *cpu);
void fpu_set_top(Cpu *cpu, unsigned top);
unsigned fpu_phys(const Cpu *cpu, unsigned i);      /* ST(i) -> R0-R7 */
unsigned fpu_tag_of(Float80 v);                      /* FPU_TAG_VALID/ZERO/SPECIAL */
uint16_t fpu_tag_word(const Fpu *fpu);               /* empty kept, others from contents */
bool fpu_empty(const Cpu *cpu, unsigned i);
Float80 fpu_st(const Cpu *cpu, unsigned i);
void fpu_set_st(Cpu *cpu, unsigned i, Float80 v);   /* writes and tags ST(i) */
void fpu_push(Cpu *cpu, Float80 v);
bool fpu_push_checked(Cpu *cpu, Float80 v);          /* with stack-overflow handling */
void fpu_pop(Cpu *cpu);
void fpu_free(Cpu *cpu, unsigned i);
extern const Float80 fpu_indefinite;                 /* the QNaN real indefinite */
/* Exception flags: set (ES/B if unmasked), C1, stack faults (true: masked,
 * go on with the indefinite), and ES/B/FERR# recomputed after FCW or FSW
 * were loaded (FLDCW, FLDENV, FRSTOR, FXRSTOR call it). */
void fpu_signal(Cpu *cpu, uint16_t flags);
void fpu_set_c1(Cpu *cpu, bool c1);
bool fpu_stack_underflow(Cpu *cpu);
bool fpu_stack_overflow(Cpu *cpu);
void fpu_update_pending(Cpu *cpu);
/* 80- and 64-bit memory operands (writes check all bytes before the first). */
Float80 fpu_read_f80(Cpu *cpu, unsigned seg, uint32_t offset);
void fpu_write_f80(Cpu *cpu, unsigned seg, uint32_t offset, Float80 v);
uint64_t fpu_read_u64(Cpu *cpu, unsigned seg, uint32_t offset);
void fpu_write_u64(Cpu *cpu, unsigned seg, uint32_t offset, uint64_t v);

/* ---- exceptions ---- */

typedef enum FaultRule {
#define X(id, text) id,
#include "fault_rules.def"
#undef X
    FAULT_RULE_COUNT
} FaultRule;

#define NO_ERROR_CODE UINT32_MAX

/* Raises an exception and unwinds to the run loop; never returns. */
noreturn void cpu_raise(Cpu *cpu, unsigned vector, uint32_t error_code, FaultRule rule,
                        uint32_t d0, uint32_t d1, uint32_t d2);

/* Stops the CPU as a triple fault does (the machine reports it and resets). */
noreturn void cpu_shutdown(Cpu *cpu, const char *why);
/* Logs a line once per distinct message pointer (unimplemented features). */
void cpu_log_once(Cpu *cpu, const char *message);

static inline noreturn void cpu_raise_ud(Cpu *cpu)
{
    cpu_raise(cpu, EXC_UD, NO_ERROR_CODE, FAULT_UNDEFINED_OPCODE, 0, 0, 0);
}

/* Pushes a real-mode FLAGS/CS/IP frame and jumps through the vector table at
 * ivt_base (real-mode delivery, VME redirection), clearing clear_flags. */
void cpu_vector_through_ivt(Cpu *cpu, uint32_t ivt_base, unsigned vector, uint16_t flags_image,
                            uint32_t return_eip, uint32_t clear_flags);

/* Delivers a software interrupt (INT n, INT3, INTO): a trap, so the return
 * address is the next instruction. */
void cpu_software_interrupt(Cpu *cpu, unsigned vector);

/* ---- registers ---- */

static inline uint32_t reg_read(const Cpu *cpu, unsigned reg, unsigned size)
{
    if (size == 1)
        return reg < 4 ? cpu->gpr[reg] & 0xFF : (cpu->gpr[reg - 4] >> 8) & 0xFF;
    if (size == 2)
        return cpu->gpr[reg] & 0xFFFF;
    return cpu->gpr[reg];
}

static inline void reg_write(Cpu *cpu, unsigned reg, unsigned size, uint32_t value)
{
    if (size == 1) {
        if (reg < 4)
            cpu->gpr[reg] = (cpu->gpr[reg] & ~0xFFu) | (value & 0xFF);
        else
            cpu->gpr[reg - 4] = (cpu->gpr[reg - 4] & ~0xFF00u) | ((value & 0xFF) << 8);
    } else if (size == 2) {
        cpu->gpr[reg] = (cpu->gpr[reg] & ~0xFFFFu) | (value & 0xFFFF);
    } else {
        cpu->gpr[reg] = value;
    }
}

static inline unsigned insn_opsize(const Insn *in) { return in->opsize32 ? 4 : 2; }
static inline unsigned insn_addrsize(const Insn *in) { return in->addrsize32 ? 4 : 2; }

static inline uint32_t size_mask(unsigned size)
{
    return size == 4 ? 0xFFFFFFFFu : (1u << (size * 8)) - 1;
}

static inline uint32_t size_sign_bit(unsigned size) { return 1u << (size * 8 - 1); }

/* Sign-extends the low `size` bytes of v to 32 bits. */
static inline uint32_t sign_extend(uint32_t v, unsigned size)
{
    if (size == 1)
        return (uint32_t)(int32_t)(int8_t)v;
    if (size == 2)
        return (uint32_t)(int32_t)(int16_t)v;
    return v;
}

/* Real mode or virtual-8086 mode: segment loads are base = selector * 16. */
static inline bool cpu_real_mode(const Cpu *cpu) { return !(cpu->cr0 & CR0_PE); }
static inline bool cpu_v86_mode(const Cpu *cpu) { return (cpu->eflags & EFLAGS_VM) != 0; }
static inline bool cpu_code32(const Cpu *cpu) { return (cpu->seg[SEG_CS].attr & SEG_ATTR_DB) != 0; }
static inline bool cpu_stack32(const Cpu *cpu) { return (cpu->seg[SEG_SS].attr & SEG_ATTR_DB) != 0; }
static inline unsigned cpu_cpl(const Cpu *cpu)
{
    if (cpu_real_mode(cpu))
        return 0;
    if (cpu_v86_mode(cpu))
        return 3;
    /* SS.DPL always equals CPL in protected mode (SDM vol. 3, 5.5), and unlike
     * CS.RPL it is still 0 between setting CR0.PE and the far jump that
     * loads a protected-mode CS. */
    return (cpu->seg[SEG_SS].attr >> SEG_ATTR_DPL_SHIFT) & 3;
}
static inline unsigned cpu_iopl(const Cpu *cpu) { return (cpu->eflags & EFLAGS_IOPL) >> 12; }

/* V86 mode with IOPL below 3: CLI, STI, PUSHF, POPF, INT n and IRET raise #GP(0)
 * for the V86 monitor to emulate (unless CR4.VME handles them: vme.c). */
static inline void cpu_check_v86_iopl(Cpu *cpu)
{
    if (cpu_v86_mode(cpu) && cpu_iopl(cpu) < 3)
        cpu_raise(cpu, EXC_GP, 0, FAULT_IOPL_V86, cpu_iopl(cpu), 0, 0);
}

/* Virtual interrupts (vme.c, SDM vol. 3, 20.3-20.4).  vme_virtual_flags:
 * V86 mode under CR4.VME at IOPL < 3, where 16-bit PUSHF/POPF/IRET use VIF;
 * vme_virtual_if: CLI/STI act on VIF (that, or CPL 3 under CR4.PVI). */
bool vme_virtual_flags(const Cpu *cpu);
bool vme_virtual_if(const Cpu *cpu);
void vme_check_set_vif(Cpu *cpu);           /* #GP(0) while VIP is set */
uint16_t vme_flags_image(Cpu *cpu);         /* FLAGS with IF = VIF, IOPL = 3 */
void vme_check_flags(Cpu *cpu, uint16_t image);
void vme_load_flags(Cpu *cpu, uint16_t image);
/* INT n in V86 mode under CR4.VME (interrupt.c): true when the TSS's
 * redirection bitmap sends `vector` to the task's own IVT; then
 * v86_redirect_interrupt delivers it there. */
bool v86_int_redirected(Cpu *cpu, unsigned vector);
void v86_redirect_interrupt(Cpu *cpu, unsigned vector);

/* ---- memory ---- */

/* The checks a data access gets besides segment and page rights, called only
 * while CR0.AM or a DR7 enable bit is set: alignment (#AC, alignment.c) and
 * data breakpoints (debugreg.c). */
void cpu_data_access_checks(Cpu *cpu, uint32_t lin, unsigned size, bool write);
void alignment_check(Cpu *cpu, uint32_t lin, unsigned size);
void debug_data_access(Cpu *cpu, uint32_t lin, unsigned size, bool write);
/* The data_access hooks of the attached debug clients (exec.c). */
void cpu_debug_data_access(Cpu *cpu, uint32_t lin, unsigned size, bool write);
/* The other breakpoints of debugreg.c: I/O (port_in/out, with CR4.DE), the
 * instruction check before a fetch (called while DR7 enables one or RF is
 * set), and the DR6 update for the #DB trap after an instruction. */
void debug_io_access(Cpu *cpu, uint16_t port, unsigned size);
void debug_instruction_start(Cpu *cpu);
unsigned debug_trap_status(Cpu *cpu, bool single_step);

/* Segmented access with the limit check (#GP, or #SS for SS) and translation. */
uint32_t mem_read(Cpu *cpu, unsigned seg, uint32_t offset, unsigned size);
void mem_write(Cpu *cpu, unsigned seg, uint32_t offset, uint32_t value, unsigned size);
/* Checks that a write would succeed (limit, page) without writing; for commit-later handlers. */
void mem_check_write(Cpu *cpu, unsigned seg, uint32_t offset, unsigned size);
/* Linear-address access with the rights of the CPL (CPL 3 is a user access);
 * both pages of a page-crossing access are translated before any byte moves. */
uint32_t lin_read(Cpu *cpu, uint32_t lin, unsigned size);
void lin_write(Cpu *cpu, uint32_t lin, uint32_t value, unsigned size);
/* System accesses (GDT, LDT, IDT, TSS, I/O bitmap): supervisor at any CPL (SDM vol. 3, 4.6). */
uint32_t lin_read_system(Cpu *cpu, uint32_t lin, unsigned size);
void lin_write_system(Cpu *cpu, uint32_t lin, uint32_t value, unsigned size);

/* ---- paging ---- */

/* Commits CR0/CR3/CR4 as MOV CRn does: with PAE paging on, loads the PDPTEs
 * from CR3 first (#GP(0) on a reserved bit, nothing changed); then flushes
 * the TLB as the change requires (a CR3 write keeps global pages). */
void cpu_set_control(Cpu *cpu, uint32_t cr0, uint32_t cr3, uint32_t cr4, bool cr3_written);
/* Drops every cached translation (TLB and fetch cache): A20, shadow RAM, reset. */
void cpu_tlb_flush_all(Cpu *cpu);
/* INVLPG: drops the translations of the page holding lin. */
void cpu_tlb_flush_page(Cpu *cpu, uint32_t lin);
/* The physical address an instruction fetch from lin uses (through the TLB;
 * may raise #PF): what the firmware trap compares with its ROM range. */
uint64_t cpu_translate_fetch(Cpu *cpu, uint32_t lin);
/* translate.c's side of access.c: everything but an unpaged access within
 * one page (system: supervisor rights at any CPL), and the page check of
 * mem_check_write with paging on. */
uint32_t lin_read_slow(Cpu *cpu, uint32_t lin, unsigned size, bool system);
void lin_write_slow(Cpu *cpu, uint32_t lin, uint32_t value, unsigned size, bool system);
void lin_check_write(Cpu *cpu, uint32_t lin, unsigned size);
static inline bool crosses_page(uint32_t lin, unsigned size)
{
    return (lin & 0xFFF) + size > 0x1000;
}
/* The page walk with this CPU's control registers; set_ad false is the
 * debugger's walk, which writes nothing.  Raises nothing. */
bool cpu_page_walk(Cpu *cpu, uint64_t lin, PageAccess access, bool user, bool set_ad,
                   PageWalkOut *out, PageFault *fault);

/* One instruction byte at CS:offset (CS limit and execute rights checked);
 * the slow path behind the decoder's fetch cache, which it refills. */
uint8_t cpu_fetch_code_byte(Cpu *cpu, uint32_t offset);
void cpu_flush_fetch_cache(Cpu *cpu);

/* The effective offset of the ModRM memory operand (masked to the address size). */
uint32_t insn_ea(const Cpu *cpu, const Insn *in);

/* ModRM operands: rm is register or memory; reg is always a register. */
uint32_t op_read_rm(Cpu *cpu, const Insn *in, unsigned size);
void op_write_rm(Cpu *cpu, const Insn *in, unsigned size, uint32_t value);
static inline uint32_t op_read_reg(const Cpu *cpu, const Insn *in, unsigned size)
{
    return reg_read(cpu, in->reg, size);
}
static inline void op_write_reg(Cpu *cpu, const Insn *in, unsigned size, uint32_t value)
{
    reg_write(cpu, in->reg, size, value);
}

/* ---- stack ---- */

/* Push and pop of 2 or 4 bytes through SS:SP or SS:ESP (by SS.B). */
void stack_push(Cpu *cpu, unsigned size, uint32_t value);
uint32_t stack_pop(Cpu *cpu, unsigned size);
/* Reads the stack slot `offset` bytes above the top without popping. */
uint32_t stack_peek(Cpu *cpu, uint32_t offset, unsigned size);
/* SP or ESP by the stack size, and the write that keeps the other half. */
uint32_t stack_pointer(const Cpu *cpu);
void stack_pointer_set(Cpu *cpu, uint32_t value);
/* The mask at which stack offsets wrap: 0xFFFF for SS.B clear. */
static inline uint32_t stack_mask(const Cpu *cpu) { return cpu_stack32(cpu) ? 0xFFFFFFFFu : 0xFFFFu; }

/* ---- control transfer ---- */

/* Near jump within CS: masks to 16 bits for a 16-bit operand size, checks the CS limit. */
void cpu_jump_near(Cpu *cpu, uint32_t target, unsigned opsize);
/* Far jump: loads CS (real mode: base = sel * 16) and EIP. */
void cpu_jump_far(Cpu *cpu, uint16_t sel, uint32_t offset, unsigned opsize);
/* Loads a data segment register (ES, SS, DS, FS, GS) as the current mode does. */
void cpu_load_segment(Cpu *cpu, int seg, uint16_t sel);
/* IRET's real-mode core: pops IP, CS, FLAGS of the operand size. */
void cpu_iret(Cpu *cpu, unsigned opsize);


/* ---- protected-mode segmentation (segment.c, transfer.c, interrupt.c) ---- */

/* A raw 8-byte descriptor (SDM vol. 3, 3.4.5): lo is bytes 0-3, hi bytes 4-7. */
typedef struct Descriptor {
    uint32_t lo, hi;
} Descriptor;

static inline uint32_t desc_base(Descriptor d)
{
    return (d.lo >> 16) | ((d.hi & 0xFF) << 16) | (d.hi & 0xFF000000u);
}
static inline uint32_t desc_limit(Descriptor d)
{
    uint32_t l = (d.lo & 0xFFFF) | (d.hi & 0xF0000);
    return (d.hi & 0x00800000u) ? (l << 12) | 0xFFF : l;
}
/* Bits 40-47 and 52-55 in the layout of Segment.attr. */
static inline uint16_t desc_attr(Descriptor d) { return (uint16_t)((d.hi >> 8) & 0xF0FF); }
static inline unsigned attr_dpl(uint16_t attr) { return (attr >> SEG_ATTR_DPL_SHIFT) & 3; }
/* S and type together: 0x10-0x1F code/data, 0x00-0x0F system. */
static inline unsigned attr_kind(uint16_t attr) { return attr & 0x1F; }
static inline bool attr_is_code(uint16_t attr) { return (attr & 0x18) == 0x18; }
static inline bool attr_is_data(uint16_t attr) { return (attr & 0x18) == 0x10; }
static inline bool attr_conforming(uint16_t attr) { return attr_is_code(attr) && (attr & 4); }
static inline bool attr_present(uint16_t attr) { return (attr & SEG_ATTR_P) != 0; }

/* A stack being built: a copy of the segment cache and the moving pointer.
 * `system` writes as CPL 0 (a new inner stack, before CPL changes). */
typedef struct StackFrame {
    Segment ss;
    uint32_t esp;
    bool system;
} StackFrame;

/* Reads the descriptor selected by sel from the GDT or LDT; false when the
 * index lies past the table's limit (the caller picks the exception).
 * *addr receives the descriptor's linear address. */
bool desc_read(Cpu *cpu, uint16_t sel, Descriptor *d, uint32_t *addr);
/* Sets the accessed bit (type bit 0) of a code/data descriptor in memory. */
void desc_set_accessed(Cpu *cpu, uint32_t addr, Descriptor *d);
/* Fills a segment cache from a descriptor. */
void segment_from_desc(Segment *s, uint16_t sel, Descriptor d);
/* Loads CS with a code segment already checked, RPL forced to cpl. */
void segment_load_cs(Cpu *cpu, uint16_t sel, Descriptor d, uint32_t addr, unsigned cpl);
/* The checks of a stack segment load for privilege level pl; raises
 * `vector` (#GP for a load or RET, #TS for a TSS stack), #SS when not present. */
void segment_check_stack(Cpu *cpu, uint16_t sel, unsigned pl, unsigned vector, uint32_t ext,
                         Descriptor *d, uint32_t *addr);
/* After a return to an outer level: data segments the new CPL may not use become null. */
void segment_invalidate_outer(Cpu *cpu);
/* Protected-mode MOV/POP/LxS segment load with every check (SDM vol. 2, MOV). */
void cpu_load_segment_pm(Cpu *cpu, int seg, uint16_t sel);

/* The stack for privilege level pl from the current TSS (#TS on a short TSS),
 * checked as a stack for pl and opened as a frame for pushes. */
void tss_stack_frame(Cpu *cpu, unsigned pl, uint32_t ext, StackFrame *f, uint32_t *desc_addr);

/* Far JMP/CALL/RET in protected mode (transfer.c). */
void pm_jump_far(Cpu *cpu, uint16_t sel, uint32_t offset, unsigned opsize);
void pm_call_far(Cpu *cpu, uint16_t sel, uint32_t offset, unsigned opsize);
void pm_return_far(Cpu *cpu, unsigned opsize, uint32_t extra);
void pm_iret(Cpu *cpu, unsigned opsize);
/* Reads a descriptor or raises `vector` with error code (sel & ~3) | ext. */
void desc_fetch(Cpu *cpu, uint16_t sel, Descriptor *d, uint32_t *addr, unsigned vector,
                uint32_t ext);
void frame_push(Cpu *cpu, StackFrame *f, unsigned size, uint32_t value);
/* Raises #SS(error_code) unless `bytes` more bytes fit below the pointer. */
void frame_reserve(Cpu *cpu, const StackFrame *f, unsigned bytes, uint32_t error_code);
/* ICEBP: a #DB trap delivered without INT n's gate-DPL check. */
void cpu_icebp_interrupt(Cpu *cpu);

/* Protected-mode delivery through the IDT (interrupt.c).  `software` is
 * true for INT n, INT3 and INTO (gate DPL checked, EXT clear). */
void pm_deliver(Cpu *cpu, unsigned vector, uint32_t return_eip, bool software, bool has_error,
                uint32_t error_code);
/* Task switches (task.c).  `return_eip` is saved in the old TSS; ext is
 * the EXT bit for error codes.  Afterwards insn_eip is the new task's EIP,
 * so a fault while loading its segments is delivered in the new task. */
typedef enum TaskReason { TASK_JMP, TASK_CALL, TASK_IRET, TASK_INT } TaskReason;
void task_switch(Cpu *cpu, uint16_t sel, TaskReason why, uint32_t return_eip, uint32_t ext);
/* A JMP or CALL to a TSS descriptor or task gate (desc read from sel). */
void task_far(Cpu *cpu, uint16_t sel, Descriptor d, TaskReason why);

/* The I/O permission check of protected and V86 mode (the TSS bitmap). */
void pm_check_io(Cpu *cpu, uint16_t port, unsigned size);

/* ---- I/O ---- */

/* Port I/O after the IOPL / I/O-bitmap check (always allowed in real mode). */
uint32_t cpu_port_in(Cpu *cpu, uint16_t port, unsigned size);
void cpu_port_out(Cpu *cpu, uint16_t port, uint32_t value, unsigned size);

/* ---- flags ---- */

typedef enum FlagOp {
    FLAG_OP_NONE,
    FLAG_OP_ADD, FLAG_OP_ADC, FLAG_OP_SUB, FLAG_OP_SBB,
    FLAG_OP_LOGIC,          /* AND/OR/XOR/TEST: CF=OF=0, AF cleared */
    FLAG_OP_INC, FLAG_OP_DEC,   /* CF untouched */
    FLAG_OP_NEG,            /* recorded as dst = 0, src = the operand */
} FlagOp;

/* Records a flag-setting ALU result; flags are computed when read. */
void flags_record(Cpu *cpu, FlagOp op, unsigned size, uint32_t dst, uint32_t src, uint32_t res);
/* Sets the flags in mask to the bits of value (other flags unchanged). */
void flags_set(Cpu *cpu, uint32_t mask, uint32_t value);
/* Sets SF, ZF and PF from a result (others unchanged). */
void flags_set_szp(Cpu *cpu, unsigned size, uint32_t res);
bool flag_cf(Cpu *cpu);
bool flag_zf(Cpu *cpu);
bool flag_af(Cpu *cpu);
bool flag_of(Cpu *cpu);
bool flag_sf(Cpu *cpu);
/* Condition code cc (low nibble of Jcc/SETcc/CMOVcc) */
bool cpu_condition(Cpu *cpu, unsigned cc);
uint32_t parity_flag(uint32_t res);     /* EFLAGS_PF if the low byte has even parity */

/* ---- ALU ---- */

/* The eight group-1 operations in ModRM.reg order. */
typedef enum AluOp { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP } AluOp;

/* Computes dst OP src of the given size, records the flags, returns the result. */
uint32_t alu_binary(Cpu *cpu, AluOp op, unsigned size, uint32_t dst, uint32_t src);

#endif
