/* SPDX-License-Identifier: MIT */
/*
 * System instructions (SDM vol. 3, 2.7-2.8; vol. 2, the instruction pages):
 * the descriptor-table registers (SGDT, SIDT, LGDT, LIDT), the machine
 * status word (SMSW, LMSW, CLTS), MOV to and from the control and debug
 * registers, the cache and TLB instructions, and the identification
 * instructions of the Pentium (CPUID, RDTSC, RDMSR, WRMSR).  Privileged
 * instructions need CPL 0, which real mode always has and virtual-8086 mode
 * never has.  The descriptor instructions of group 6 and LAR/LSL live in
 * segment.c, the x87 escape and WAIT in fpu.c.  Not modelled: caches.  The
 * breakpoints the debug registers set are checked in debugreg.c.
 */
#include <assert.h>

#include "cpu_internal.h"

/* DR6 and DR7 bits (SDM vol. 3, 17.2) */
#define DR6_BD       0x00002000u    /* the last #DB came from general detection */
#define DR6_WRITABLE 0x0000E00Fu    /* B0-B3, BD, BS, BT */
#define DR6_ONES     0xFFFF0FF0u    /* reserved bits that read as 1 */
#define DR7_GD       0x00002000u
#define DR7_ZEROS    0x0000D800u    /* reserved bits that read as 0 */
#define DR7_ONES     0x00000400u

#define MSR_TSC 0x10u

static void require_cpl0(Cpu *cpu)
{
    unsigned cpl = cpu_cpl(cpu);

    if (cpl != 0)
        cpu_raise(cpu, EXC_GP, 0, FAULT_CPL_NOT_ZERO, cpl, 0, 0);
}

static noreturn void raise_not_in_real_mode(Cpu *cpu)
{
    cpu_raise(cpu, EXC_UD, NO_ERROR_CODE, FAULT_REAL_MODE_ONLY_PM, 0, 0, 0);
}

/* Instructions that exist only in protected mode are #UD in real and V86 mode. */
static void require_protected_mode(Cpu *cpu)
{
    if (cpu_real_mode(cpu) || cpu_v86_mode(cpu))
        raise_not_in_real_mode(cpu);
}

/* ---- protected-mode-only instructions ---- */

/* ARPL raises the RPL of the destination selector to that of the source,
 * so a system call cannot be tricked into using its own privilege. */
void arpl_Ew_Gw(Cpu *cpu, const Insn *in)
{
    uint32_t dst, src;

    require_protected_mode(cpu);
    dst = op_read_rm(cpu, in, 2);
    src = op_read_reg(cpu, in, 2);
    if ((dst & 3) < (src & 3)) {
        op_write_rm(cpu, in, 2, (dst & ~3u) | (src & 3));
        flags_set(cpu, EFLAGS_ZF, EFLAGS_ZF);
    } else {
        flags_set(cpu, EFLAGS_ZF, 0);
    }
}

/* ---- GDTR and IDTR ---- */

/*
 * The 6-byte pseudo-descriptor:   +0 limit (16 bits)   +2 base (32 bits)
 * With a 16-bit operand size only 24 bits of base count.  The 286 stored
 * 0xFF in the sixth byte; the 386 and later store 0 there (386 PRM, SGDT
 * compatibility note; SDM vol. 2, SGDT).
 */
static void store_table_register(Cpu *cpu, const Insn *in, const TableRegister *tr)
{
    uint32_t ea = insn_ea(cpu, in);
    uint32_t base = in->opsize32 ? tr->base : tr->base & 0x00FFFFFFu;

    mem_check_write(cpu, in->seg, ea + 2, 4);   /* no half-written operand on a fault */
    mem_write(cpu, in->seg, ea, tr->limit, 2);
    mem_write(cpu, in->seg, ea + 2, base, 4);
}

static void load_table_register(Cpu *cpu, const Insn *in, TableRegister *tr)
{
    uint32_t ea, limit, base;

    require_cpl0(cpu);
    ea = insn_ea(cpu, in);
    limit = mem_read(cpu, in->seg, ea, 2);
    base = mem_read(cpu, in->seg, ea + 2, 4);
    tr->limit = (uint16_t)limit;
    tr->base = in->opsize32 ? base : base & 0x00FFFFFFu;
}

void sgdt_Ms(Cpu *cpu, const Insn *in) { store_table_register(cpu, in, &cpu->gdtr); }
void sidt_Ms(Cpu *cpu, const Insn *in) { store_table_register(cpu, in, &cpu->idtr); }
void lgdt_Ms(Cpu *cpu, const Insn *in) { load_table_register(cpu, in, &cpu->gdtr); }
void lidt_Ms(Cpu *cpu, const Insn *in) { load_table_register(cpu, in, &cpu->idtr); }

/* ---- CR0 and the machine status word ---- */

/* ET says which coprocessor is attached; from the 486 on it is hardwired,
 * here to "an x87 is present" exactly when the model has one. */
static uint32_t cr0_read(const Cpu *cpu)
{
    return (cpu->cr0 & ~CR0_ET) | (cpu_et_hardwired(cpu) ? CR0_ET : 0);
}

/* The 486 added NE, WP, AM, NW and CD; other bits are ignored on write. */
static uint32_t cr0_writable(const Cpu *cpu)
{
    uint32_t mask = CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_PG;

    if (cpu_has(cpu, FEAT_486))
        mask |= CR0_NE | CR0_WP | CR0_AM | CR0_NW | CR0_CD;
    return mask;
}

/* Paging needs protection on; write-through-off makes no sense with the
 * cache on (SDM vol. 3, table 11-5): both are #GP(0).  cpu_set_control
 * loads the PAE PDPTEs and flushes the TLB when PG or WP changes. */
static void cr0_write(Cpu *cpu, uint32_t value)
{
    uint32_t cr0 = (value & cr0_writable(cpu)) | (cpu_et_hardwired(cpu) ? CR0_ET : 0);

    if (((cr0 & CR0_PG) && !(cr0 & CR0_PE)) || ((cr0 & CR0_NW) && !(cr0 & CR0_CD)))
        cpu_raise(cpu, EXC_GP, 0, FAULT_CR_RESERVED_BIT, 0, value, 0);
    cpu_set_control(cpu, cr0, cpu->cr3, cpu->cr4, false);
}

/* SMSW is not privileged.  Memory and 16-bit registers get the low word;
 * a 32-bit register gets all of CR0 on the 386 and later (the SDM calls the
 * upper half undefined; the parts copy the whole register). */
void smsw_Ew(Cpu *cpu, const Insn *in)
{
    uint32_t cr0 = cr0_read(cpu);

    if (in->mod == 3 && in->opsize32)
        reg_write(cpu, in->rm, 4, cr0);
    else
        op_write_rm(cpu, in, 2, cr0 & 0xFFFF);
}

/* LMSW loads PE, MP, EM and TS only, and can set PE but never clear it:
 * leaving protected mode takes MOV CR0. */
void lmsw_Ew(Cpu *cpu, const Insn *in)
{
    uint32_t msw;

    require_cpl0(cpu);
    msw = op_read_rm(cpu, in, 2);
    cpu->cr0 = (cpu->cr0 & ~(CR0_MP | CR0_EM | CR0_TS)) |
               (msw & (CR0_PE | CR0_MP | CR0_EM | CR0_TS));
}

void clts(Cpu *cpu, const Insn *in)
{
    (void)in;
    require_cpl0(cpu);
    cpu->cr0 &= ~CR0_TS;
}

/* ---- caches and TLB ---- */

/* No caches are modelled, so there is nothing to invalidate or write back. */
void invd(Cpu *cpu, const Insn *in)
{
    (void)in;
    require_cpl0(cpu);
}

void wbinvd(Cpu *cpu, const Insn *in)
{
    (void)in;
    require_cpl0(cpu);
}

/* INVLPG flushes the TLB entries of the page that holds seg:offset.  The
 * operand is only an address and is never accessed, so it cannot fault. */
void invlpg_M(Cpu *cpu, const Insn *in)
{
    require_cpl0(cpu);
    cpu_tlb_flush_page(cpu, cpu->seg[in->seg].base + insn_ea(cpu, in));
}

/* ---- MOV to and from CRn ---- */

/* CR4 came with the Pentium, the same part that brought CPUID. */
static bool cpu_has_cr4(const Cpu *cpu)
{
    return cpu_has(cpu, FEAT_CPUID);
}

/* CPUID leaf 1 EDX bits of the paging features (SDM vol. 2, table 3-11) */
#define CPUID_EDX_PSE (1u << 3)
#define CPUID_EDX_PAE (1u << 6)
#define CPUID_EDX_PGE (1u << 13)

/* CR4 bits the model may set: only those of features the core implements
 * (TSD with the TSC; PSE, PAE and PGE when the model's CPUID reports them).
 * VME, PVI, DE and the rest are added here as the features land; setting a
 * bit that is not there is #GP(0). */
static uint32_t cr4_writable(const Cpu *cpu)
{
    uint32_t edx = cpu->model->cpuid_edx;
    uint32_t mask = cpu_has(cpu, FEAT_TSC) ? CR4_TSD : 0;

    /* Debugging extensions (I/O breakpoints, DR4/DR5 removed) came with CR4 itself. */
    if (cpu_has_cr4(cpu))
        mask |= CR4_DE;
    mask |= (edx & (1u << 1)) ? CR4_VME | CR4_PVI : 0;     /* CPUID.1:EDX.VME, vme.c */

    if (edx & CPUID_EDX_PSE)
        mask |= CR4_PSE;
    if (edx & CPUID_EDX_PAE)
        mask |= CR4_PAE;
    if (edx & CPUID_EDX_PGE)
        mask |= CR4_PGE;
    if (cpu_family(cpu) >= 6)
        mask |= CR4_PCE;    /* RDPMC at any CPL (ops_p6.c) */
    if (cpu_has(cpu, FEAT_FXSR))
        mask |= CR4_OSFXSR;
    return mask;
}

/* The 486 added the page-level cache bits PWT and PCD to CR3. */
static uint32_t cr3_writable(const Cpu *cpu)
{
    return cpu_has(cpu, FEAT_486) ? 0xFFFFF018u : 0xFFFFF000u;
}

static void check_cr_exists(Cpu *cpu, unsigned n)
{
    if (!(n == 0 || n == 2 || n == 3 || (n == 4 && cpu_has_cr4(cpu))))
        cpu_raise(cpu, EXC_UD, NO_ERROR_CODE, FAULT_CR_INVALID, n, 0, 0);
}

/* MOV r32, CRn: in->reg is n, in->rm the general register (mod is ignored). */
void mov_Rd_Cd(Cpu *cpu, const Insn *in)
{
    uint32_t value;

    check_cr_exists(cpu, in->reg);
    require_cpl0(cpu);
    switch (in->reg) {
    case 0:  value = cr0_read(cpu); break;
    case 2:  value = cpu->cr2; break;
    case 3:  value = cpu->cr3; break;
    default: value = cpu->cr4; break;
    }
    reg_write(cpu, in->rm, 4, value);
}

/* MOV CRn, r32.  Writing CR3 flushes the non-global TLB entries (and loads
 * the PDPTEs under PAE paging); CR4.PSE/PAE/PGE changes flush them all. */
void mov_Cd_Rd(Cpu *cpu, const Insn *in)
{
    uint32_t value;

    check_cr_exists(cpu, in->reg);
    require_cpl0(cpu);
    value = reg_read(cpu, in->rm, 4);
    switch (in->reg) {
    case 0:
        cr0_write(cpu, value);
        break;
    case 2:
        cpu->cr2 = value;
        break;
    case 3:
        cpu_set_control(cpu, cpu->cr0, value & cr3_writable(cpu), cpu->cr4, true);
        break;
    default:
        if (value & ~cr4_writable(cpu))
            cpu_raise(cpu, EXC_GP, 0, FAULT_CR_RESERVED_BIT, 4, value, 0);
        cpu_set_control(cpu, cpu->cr0, cpu->cr3, value, false);
        break;
    }
}

/* ---- MOV to and from DRn ---- */

/*
 * The checks of MOV DRn, in order: DR4 and DR5 are other names for DR6 and
 * DR7 unless CR4.DE removes them (#UD); CPL must be 0 (#GP); and DR7.GD
 * turns any access into a #DB fault that clears GD, so the debugger's
 * handler can use the registers, and sets DR6.BD to say why.  Returns the
 * register actually meant.
 */
static unsigned dr_access(Cpu *cpu, unsigned n)
{
    if (n == 4 || n == 5) {
        if (cpu->cr4 & CR4_DE)
            cpu_raise(cpu, EXC_UD, NO_ERROR_CODE, FAULT_DR_INVALID, n, 0, 0);
        n += 2;
    }
    require_cpl0(cpu);
    if (cpu->dr[7] & DR7_GD) {
        cpu->dr[6] |= DR6_BD;
        cpu->dr[7] &= ~DR7_GD;
        cpu_raise(cpu, EXC_DB, NO_ERROR_CODE, FAULT_DEBUG_REGISTER_GD, n, 0, 0);
    }
    return n;
}

void mov_Rd_Dd(Cpu *cpu, const Insn *in)
{
    unsigned n = dr_access(cpu, in->reg);

    reg_write(cpu, in->rm, 4, cpu->dr[n]);
}

void mov_Dd_Rd(Cpu *cpu, const Insn *in)
{
    unsigned n = dr_access(cpu, in->reg);
    uint32_t value = reg_read(cpu, in->rm, 4);

    if (n == 6)
        value = (value & DR6_WRITABLE) | DR6_ONES;
    else if (n == 7)
        value = (value & ~DR7_ZEROS) | DR7_ONES;
    cpu->dr[n] = value;
}

/* ---- time stamp counter and MSRs ---- */

static uint64_t tsc_read(const Cpu *cpu)
{
    return cpu->icount + cpu->tsc_offset;
}

static void edx_eax_write(Cpu *cpu, uint64_t value)
{
    cpu->gpr[REG_EAX] = (uint32_t)value;
    cpu->gpr[REG_EDX] = (uint32_t)(value >> 32);
}

/* CR4.TSD lets an OS hide the TSC from user code (timing side channels). */
void rdtsc(Cpu *cpu, const Insn *in)
{
    (void)in;
    if (!cpu_has(cpu, FEAT_TSC))
        cpu_raise_ud(cpu);
    if ((cpu->cr4 & CR4_TSD) && cpu_cpl(cpu) != 0)
        cpu_raise(cpu, EXC_GP, 0, FAULT_RDTSC_DISABLED, cpu_cpl(cpu), 0, 0);
    edx_eax_write(cpu, tsc_read(cpu));
}

/* IA32_EFER exists where CPUID 80000001h reports NX (or, later, long mode
 * or SYSCALL); its only writable bit so far is NXE.  0 when there is none. */
static uint64_t efer_writable(const Cpu *cpu)
{
    return (cpu->model->cpuid_ext_edx & CPUID_EXT_EDX_NX) ? EFER_NXE : 0;
}

_Static_assert(EFER_NXE == PAGING_EFER_NXE, "the page walk reads EFER.NXE where WRMSR puts it");

/* The model's MSR set: the TSC on every model with MSRs, IA32_EFER where
 * CPUID reports NX, the P6 ones of ops_p6.c.  Any other index is #GP(0), including the APIC base
 * (1Bh) of a real P6: no local APIC is modelled or reported.  Returns the
 * index in ECX. */
static uint32_t check_msr_access(Cpu *cpu)
{
    uint32_t msr = cpu->gpr[REG_ECX];

    if (!cpu_has(cpu, FEAT_MSR))
        cpu_raise_ud(cpu);
    require_cpl0(cpu);
    if (msr != MSR_TSC && !(msr == MSR_EFER && efer_writable(cpu)) && !p6_msr_exists(cpu, msr))
        cpu_raise(cpu, EXC_GP, 0, FAULT_MSR_UNKNOWN, msr, 0, 0);
    return msr;
}

void rdmsr(Cpu *cpu, const Insn *in)
{
    uint32_t msr = check_msr_access(cpu);

    (void)in;
    if (msr == MSR_EFER)
        edx_eax_write(cpu, cpu->efer);
    else if (msr == MSR_TSC)
        edx_eax_write(cpu, tsc_read(cpu));
    else
        edx_eax_write(cpu, p6_msr_read(cpu, msr));
}

/* A reserved bit is #GP(0) with EFER unchanged.  NXE decides whether XD is
 * a rights bit or a reserved one, so cached translations go when it flips. */
static void efer_write(Cpu *cpu, uint64_t value)
{
    if (value & ~efer_writable(cpu))
        cpu_raise(cpu, EXC_GP, 0, FAULT_MSR_RESERVED_BIT, MSR_EFER, (uint32_t)(value >> 32),
                  (uint32_t)value);
    if ((value ^ cpu->efer) & EFER_NXE)
        cpu_tlb_flush_all(cpu);
    cpu->efer = value;
}

/* Writing the TSC moves the offset, so it keeps counting from the new value. */
void wrmsr(Cpu *cpu, const Insn *in)
{
    uint32_t msr = check_msr_access(cpu);
    uint64_t value = (uint64_t)cpu->gpr[REG_EDX] << 32 | cpu->gpr[REG_EAX];

    (void)in;
    if (msr == MSR_EFER)
        efer_write(cpu, value);
    else if (msr == MSR_TSC)
        cpu->tsc_offset = value - cpu->icount;
    else
        p6_msr_write(cpu, msr, value);
}

/* ---- CPUID ---- */

/* Four vendor characters as CPUID returns them: the first in the low byte. */
static uint32_t vendor_word(const CpuModel *model, unsigned first)
{
    const unsigned char *v = (const unsigned char *)model->vendor + first;

    return v[0] | (uint32_t)v[1] << 8 | (uint32_t)v[2] << 16 | (uint32_t)v[3] << 24;
}

/* The leaf CPUID answers for the one asked: like Intel parts, a leaf above
 * the highest basic or extended one answers as the highest basic leaf does
 * (so a model without extended leaves answers 80000000h as leaf 1). */
static uint32_t cpuid_leaf(const CpuModel *model, uint32_t leaf)
{
    if (leaf >= 0x80000000u && model->cpuid_ext_max_leaf != 0)
        return leaf <= model->cpuid_ext_max_leaf ? leaf : model->cpuid_max_leaf;
    return leaf <= model->cpuid_max_leaf ? leaf : model->cpuid_max_leaf;
}

static void cpuid_write(Cpu *cpu, uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t edx)
{
    cpu->gpr[REG_EAX] = eax;
    cpu->gpr[REG_EBX] = ebx;
    cpu->gpr[REG_ECX] = ecx;
    cpu->gpr[REG_EDX] = edx;
}

/* Leaf 0 gives the highest leaf and the vendor ("Genu" "ineI" "ntel" in
 * EBX, EDX, ECX); leaf 1 the signature and feature bits.  On Intel parts
 * leaf 80000000h gives only the highest extended leaf and 80000001h only
 * feature bits (EAX, EBX, ECX zero here: no LAHF in 64-bit mode, no LM). */
void cpuid(Cpu *cpu, const Insn *in)
{
    const CpuModel *model = cpu->model;

    (void)in;
    if (!cpu_has(cpu, FEAT_CPUID))
        cpu_raise_ud(cpu);
    switch (cpuid_leaf(model, cpu->gpr[REG_EAX])) {
    case 0:
        cpuid_write(cpu, model->cpuid_max_leaf, vendor_word(model, 0), vendor_word(model, 8),
                    vendor_word(model, 4));
        break;
    case 1:
        cpuid_write(cpu, model->cpuid_signature, 0, 0, model->cpuid_edx);
        break;
    case 0x80000000u:
        cpuid_write(cpu, model->cpuid_ext_max_leaf, 0, 0, 0);
        break;
    case 0x80000001u:
        cpuid_write(cpu, 0, 0, 0, model->cpuid_ext_edx);
        break;
    default:
        assert(!"the model's highest CPUID leaf names a leaf CPUID does not implement");
        break;
    }
}
