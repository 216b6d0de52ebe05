/* SPDX-License-Identifier: MIT */
/*
 * One vector: enter its state into the reused machine, run it, compare, and
 * when the comparison fails decide whether a correct 386 would differ from
 * the 286 here (the classes in harness.h).  The run steps one instruction at
 * a time and stops before executing any byte the vector does not provide, so
 * a wrong turn cannot scribble over memory that later vectors expect clear.
 * The captured final IP points one past the HLT, as a 386's does after HLT,
 * so it is compared unchanged.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUDGET_PLAIN 64u        /* one instruction, a fault delivery and the HLT */
#define BUDGET_REP 0x20000u     /* each REP iteration counts; CX can be 65535 */

const TestClassInfo test_classes[CLASS_COUNT] = {
    [CLASS_FLAGS_HI] = { "flags-12-15", "a 286 keeps FLAGS bits 12-15 clear in real mode; a 386 lets "
                         "software set IOPL and NT: FLAGS and pushed FLAGS match only with them masked" },
    [CLASS_LOCK_UD] = { "lock-ud", "LOCK on a non-lockable instruction: the 286 ignores it, a 386 "
                        "raises #UD (our core did)" },
    [CLASS_LONG] = { "long-insn", "instruction longer than 10 bytes: #GP on a 286, legal up to 15 "
                     "bytes on a 386" },
    [CLASS_ESC] = { "esc", "ESC opcodes D8-DF: the result depends on the FPU, not the CPU" },
    [CLASS_UNDEFINED] = { "undefined", "encoding undefined per metadata.json (e.g. C6/C7/8F reg!=0): "
                          "the 286's behaviour is not architectural" },
    [CLASS_SEG_OVERRUN] = { "seg-overrun", "word access at offset FFFF: the 286 takes interrupt 13 "
                            "(even for SS) after partly updating SI/DI/CX/SP; a 386 faults with "
                            "nothing changed, #SS for the stack (our core raised #GP/#SS)" },
    [CLASS_IP_WRAP] = { "ip-wrap", "instruction ending at offset FFFF: the 286's IP wraps to 0, a "
                        "386's EIP becomes 10000h (the next fetch would #GP)" },
    [CLASS_SHIFT_OF] = { "shift-of", "OF after a shift or rotate whose masked count is not 1: "
                         "defined on the 286, undefined on a 386 (SDM)" },
    [CLASS_FS_GS] = { "fs-gs", "MOV to or from FS/GS (8C/8E reg 4-5): #UD on a 286, which has no "
                      "FS/GS; defined on a 386" },
};

/* ---- setting up and running one test ---- */

static void remember_dirty(Harness *h, uint32_t addr)
{
    if (h->dirty_count == h->dirty_cap) {
        size_t cap = h->dirty_cap ? h->dirty_cap * 2 : 4096;
        uint32_t *grown = realloc(h->dirty, cap * sizeof(*grown));
        if (!grown) {
            h->dirty_lost = true;
            return;
        }
        h->dirty = grown;
        h->dirty_cap = cap;
    }
    h->dirty[h->dirty_count++] = addr;
}

/*
 * What a vector may have written: the bytes it lists, and the 6-byte
 * interrupt frame below its initial SS:SP, where our core pushes when it
 * raises an exception the 286 did not (LOCK #UD, #SS for #GP).
 */
static void remember_vector(Harness *h, const MooTest *t)
{
    for (uint32_t i = 0; i < t->init.ram_count; i++)
        remember_dirty(h, t->init.ram[i].addr);
    for (uint32_t i = 0; i < t->final.ram_count; i++)
        remember_dirty(h, t->final.ram[i].addr);
    uint32_t ss = t->init.regs.value[MOO_SS] * 16u;
    for (uint16_t k = 1; k <= 6; k++)
        remember_dirty(h, ss + (uint16_t)(t->init.regs.value[MOO_SP] - k));
}

/* Zeroes what the previous vector touched: cheaper than clearing 16 MiB each time. */
static void clear_dirty(Harness *h)
{
    if (h->dirty_lost)
        memset(h->mem.ram, 0, RAM_SIZE);
    else
        for (size_t i = 0; i < h->dirty_count; i++)
            if (h->dirty[i] < RAM_SIZE)
                h->mem.ram[h->dirty[i]] = 0;
    h->dirty_count = 0;
    h->dirty_lost = false;
}

static bool ram_fits(const MooState *st)
{
    for (uint32_t i = 0; i < st->ram_count; i++)
        if (st->ram[i].addr >= RAM_SIZE)
            return false;
    return true;
}

static void load_state(Harness *h, const MooTest *t)
{
    static const int gpr_of[] = {
        [MOO_AX] = REG_EAX, [MOO_BX] = REG_EBX, [MOO_CX] = REG_ECX, [MOO_DX] = REG_EDX,
        [MOO_SP] = REG_ESP, [MOO_BP] = REG_EBP, [MOO_SI] = REG_ESI, [MOO_DI] = REG_EDI,
    };
    static const int seg_of[] = { [MOO_CS] = SEG_CS, [MOO_SS] = SEG_SS, [MOO_DS] = SEG_DS, [MOO_ES] = SEG_ES };
    Cpu *cpu = &h->cpu;
    const uint16_t *v = t->init.regs.value;
    cpu_reset(cpu);
    cpu_set_a20(cpu, true);
    cpu->last_fault.vector = NO_EXCEPTION;
    for (int r = MOO_AX; r <= MOO_DI; r++) {
        if (r >= MOO_CS && r <= MOO_ES)
            cpu_load_segment_real(cpu, seg_of[r], v[r]);
        else
            cpu->gpr[gpr_of[r]] = v[r];
    }
    cpu->eip = v[MOO_IP];
    /*
     * The vectors were loaded into the 286 with LOADALL, which can set the
     * reserved FLAGS bits 3, 5 and 15; on a 386 those always read 0, so a
     * state with them set cannot exist.  cpu_set_eflags() is a raw write.
     */
    cpu_set_eflags(cpu, v[MOO_FLAGS]);     /* clears bits 3, 5 and 15, as a 386 does */
    for (uint32_t i = 0; i < t->init.ram_count; i++)
        phys_write(&h->mem, t->init.ram[i].addr, t->init.ram[i].value, 1);
}

static bool in_test_ram(const MooTest *t, uint32_t lin)
{
    for (uint32_t i = 0; i < t->init.ram_count; i++)
        if (t->init.ram[i].addr == lin)
            return true;
    return false;
}

/*
 * Steps one instruction at a time and stops before executing a byte the test
 * did not provide: the 286 only ran code that is in the vector, so anything
 * else (say our #UD going through an IVT entry the test left empty) would only
 * scribble over memory later tests rely on being clear.
 */
static RunResult run_test(Harness *h, const MooTest *t, const InsnInfo *info)
{
    Cpu *cpu = &h->cpu;
    RunResult res = { .stop = STOP_BUDGET, .first_exception = NO_EXCEPTION };
    uint32_t budget = info->rep ? BUDGET_REP : BUDGET_PLAIN;
    for (uint32_t step = 0; step < budget; step++) {
        res.stop_lin = (cpu->seg[SEG_CS].base + cpu->eip) & cpu->a20_mask;
        if (!in_test_ram(t, res.stop_lin)) {
            res.stop = STOP_LEFT_RAM;
            break;
        }
        cpu_run(cpu, 1);
        if (res.first_exception == NO_EXCEPTION)
            res.first_exception = cpu->last_fault.vector;
        if (cpu->shutdown) {
            res.stop = STOP_SHUTDOWN;
            break;
        }
        if (cpu->halted) {
            res.stop = STOP_HALT;
            break;
        }
    }
    return res;
}

/* ---- comparing ---- */

uint32_t vector_actual_reg(Cpu *cpu, int r)
{
    switch (r) {
    case MOO_AX: return cpu->gpr[REG_EAX];
    case MOO_BX: return cpu->gpr[REG_EBX];
    case MOO_CX: return cpu->gpr[REG_ECX];
    case MOO_DX: return cpu->gpr[REG_EDX];
    case MOO_CS: return cpu->seg[SEG_CS].sel;
    case MOO_SS: return cpu->seg[SEG_SS].sel;
    case MOO_DS: return cpu->seg[SEG_DS].sel;
    case MOO_ES: return cpu->seg[SEG_ES].sel;
    case MOO_SP: return cpu->gpr[REG_ESP];
    case MOO_BP: return cpu->gpr[REG_EBP];
    case MOO_SI: return cpu->gpr[REG_ESI];
    case MOO_DI: return cpu->gpr[REG_EDI];
    case MOO_IP: return cpu->eip;
    default: return cpu_get_eflags(cpu) & 0xFFFF;
    }
}

static uint16_t rmsk(const MooFile *f, const MooTest *t, int r)
{
    return moo_reg(&f->rmsk, r, 0xFFFF) & moo_reg(&t->final.rmsk, r, 0xFFFF);
}

uint16_t vector_expected_reg(const MooTest *t, int r)
{
    return moo_reg(&t->final.regs, r, t->init.regs.value[r]);
}

/* Mask for a final RAM byte: a pushed FLAGS image gets the FLAGS mask. */
uint8_t vector_ram_mask(const InsnInfo *info, uint32_t addr, uint16_t fmask)
{
    if (info->has_flags_slot && addr == info->flags_slot[0])
        return (uint8_t)fmask;
    if (info->has_flags_slot && addr == info->flags_slot[1])
        return (uint8_t)(fmask >> 8);
    return 0xFF;
}

bool vector_listed_final(const MooTest *t, uint32_t addr)
{
    for (uint32_t i = 0; i < t->final.ram_count; i++)
        if (t->final.ram[i].addr == addr)
            return true;
    return false;
}

/*
 * Sets a bit in *why for each mismatch (registers, RAM, pushed FLAGS).
 * Upper halves of 32-bit registers must stay zero: no 16-bit instruction
 * writes them.  Initial bytes the vector does not list as changed must keep
 * their value.
 */
static uint32_t compare(Harness *h, const MooFile *f, const MooTest *t, const InsnInfo *info,
                        uint16_t fmask)
{
    uint32_t why = 0;
    for (int r = 0; r < MOO_REG_COUNT; r++) {
        uint32_t m = rmsk(f, t, r) | (r == MOO_FLAGS ? 0 : 0xFFFF0000u);
        if (r == MOO_FLAGS)
            m &= fmask;
        if ((vector_actual_reg(&h->cpu, r) ^ vector_expected_reg(t, r)) & m)
            why |= 1u << r;
    }
    for (uint32_t i = 0; i < t->final.ram_count; i++) {
        const MooRamEntry *e = &t->final.ram[i];
        uint8_t m = vector_ram_mask(info, e->addr, fmask);
        if ((phys_read(&h->mem, e->addr, 1) ^ e->value) & m)
            why |= 1u << (m == 0xFF ? WHY_RAM : WHY_PUSHED_FLAGS);
    }
    for (uint32_t i = 0; i < t->init.ram_count; i++) {
        const MooRamEntry *e = &t->init.ram[i];
        if (phys_read(&h->mem, e->addr, 1) != e->value && !vector_listed_final(t, e->addr))
            why |= 1u << WHY_RAM;
    }
    return why;
}

/* ---- classification ---- */

static bool is_prefix_286(uint8_t b)
{
    return b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E || b == 0xF0 || b == 0xF2 || b == 0xF3;
}

/* Bytes of displacement after a 16-bit ModRM byte. */
static unsigned disp_size16(uint8_t modrm)
{
    unsigned mod = modrm >> 6, rm = modrm & 7;
    return mod == 1 ? 1 : mod == 2 || (mod == 0 && rm == 6) ? 2 : 0;
}

/* The count of a C0/C1 (immediate) or D2/D3 (CL) shift group; -1 otherwise. */
static int shift_count(const MooTest *t, uint8_t opcode, unsigned modrm_at)
{
    if (opcode == 0xD2 || opcode == 0xD3)
        return t->init.regs.value[MOO_CX] & 0xFF;
    if ((opcode != 0xC0 && opcode != 0xC1) || modrm_at >= t->byte_count)
        return -1;
    unsigned imm_at = modrm_at + 1 + disp_size16(t->bytes[modrm_at]);
    return imm_at < t->byte_count ? t->bytes[imm_at] : -1;
}

static InsnInfo decode_info(const Harness *h, const MooTest *t)
{
    InsnInfo info = { .reg = -1, .len = t->byte_count - 1 };
    unsigned i = 0;
    for (; i < info.len && is_prefix_286(t->bytes[i]); i++) {
        info.lock |= t->bytes[i] == 0xF0;
        info.rep |= t->bytes[i] == 0xF2 || t->bytes[i] == 0xF3;
    }
    info.opcode = t->bytes[i < t->byte_count ? i : 0];
    info.modrm = i + 1 < t->byte_count ? t->bytes[i + 1] : -1;
    bool modrm_reg = h->meta.map[0][info.opcode].has_reg || info.opcode == 0x8C || info.opcode == 0x8E;
    if (modrm_reg && i + 1 < t->byte_count)
        info.reg = (t->bytes[i + 1] >> 3) & 7;
    info.shift_count = shift_count(t, info.opcode, i + 1);
    info.meta = metadata_find(&h->meta, 0, info.opcode, info.reg);
    /*
     * An interrupt frame (exceptions and INT n) leaves FLAGS at the final
     * SS:SP+4, PUSHF at SS:SP.  EXCP also gives an address, but it is rounded
     * down to even, which is off by one when SP is odd.
     */
    if (t->has_exception || info.opcode == 0x9C) {
        uint32_t ss = vector_expected_reg(t, MOO_SS) * 16u;
        uint16_t sp = vector_expected_reg(t, MOO_SP) + (t->has_exception ? 4 : 0);
        info.has_flags_slot = true;
        info.flags_slot[0] = ss + sp;
        info.flags_slot[1] = ss + (uint16_t)(sp + 1);
    }
    return info;
}

uint16_t vector_flags_mask(const InsnInfo *info)
{
    return info->meta->has_flags_mask ? info->meta->flags_mask : 0xFFFF;
}

/*
 * LOCK is legal on a 386 only before these, with a memory destination (SDM
 * vol. 2, LOCK): ADD OR ADC SBB AND SUB XOR (Eb,Gb / Ev,Gv), group 1 except
 * CMP, XCHG, NOT and NEG, INC and DEC.
 */
static bool lockable_on_386(const InsnInfo *info)
{
    uint8_t op = info->opcode;
    if (info->modrm < 0 || info->modrm >> 6 == 3)
        return false;
    if (op < 0x40 && (op & 7) <= 1 && (op & 0x38) != 0x38)
        return true;
    if (op >= 0x80 && op <= 0x83)
        return info->reg != 7;
    if (op == 0x86 || op == 0x87)
        return true;
    if (op == 0xF6 || op == 0xF7)
        return info->reg == 2 || info->reg == 3;
    if (op == 0xFE || op == 0xFF)
        return info->reg == 0 || info->reg == 1;
    return false;
}

/* Only OF differs, in a shift or rotate whose masked count is not 1. */
static bool only_shift_of(Harness *h, const MooTest *t, const InsnInfo *info, uint32_t masked)
{
    if (info->shift_count < 0 || (info->shift_count & 31) < 2 || masked != 1u << MOO_FLAGS)
        return false;
    uint16_t diff = (uint16_t)(vector_actual_reg(&h->cpu, MOO_FLAGS) ^ vector_expected_reg(t, MOO_FLAGS));
    return (diff & vector_flags_mask(info) & ~FLAGS_286_HIGH) == EFLAGS_OF;
}

/* An initial RAM byte of the vector, or -1 when it lists none at addr. */
static int init_byte(const MooTest *t, uint32_t addr)
{
    for (uint32_t i = 0; i < t->init.ram_count; i++)
        if (t->init.ram[i].addr == addr)
            return t->init.ram[i].value;
    return -1;
}

/*
 * Where the 286 data cannot judge FLAGS bits 12-15, check them against what a
 * 386 does: IOPL and NT keep their initial value (POPF and IRET load them
 * from the popped image in real mode), bit 15 reads 0, and a pushed FLAGS
 * image carries the initial bits.
 */
static bool high_flags_as_386(Harness *h, const MooTest *t, const InsnInfo *info, const RunResult *run)
{
    uint16_t init = t->init.regs.value[MOO_FLAGS] & (EFLAGS_IOPL | EFLAGS_NT);
    uint16_t want = init;
    if ((info->opcode == 0x9D || info->opcode == 0xCF) && run->first_exception == NO_EXCEPTION) {
        uint32_t ss = t->init.regs.value[MOO_SS] * 16u;
        uint16_t sp = t->init.regs.value[MOO_SP] + (info->opcode == 0xCF ? 4 : 0);
        int hi = init_byte(t, ss + (uint16_t)(sp + 1));
        if (hi < 0)
            return true;
        want = (uint16_t)(hi << 8) & (EFLAGS_IOPL | EFLAGS_NT);
    }
    if ((vector_actual_reg(&h->cpu, MOO_FLAGS) & FLAGS_286_HIGH) != want)
        return false;
    if (!info->has_flags_slot)
        return true;
    uint8_t pushed = (uint8_t)phys_read(&h->mem, info->flags_slot[1], 1);
    return (pushed & FLAGS_286_HIGH >> 8) == init >> 8;
}

/*
 * The 286 took interrupt 13 and our core #GP or #SS.  After #GP both ran the
 * same handler, so only the registers the 286 had already stepped (and the
 * frame that moves with SP) may differ; after #SS our core went through an
 * IVT entry the vector does not provide, so nothing further can be compared.
 */
static bool seg_overrun(const MooTest *t, const RunResult *run, uint32_t masked)
{
    const uint32_t stepped = 1u << MOO_SI | 1u << MOO_DI | 1u << MOO_CX | 1u << MOO_SP |
                             1u << WHY_RAM | 1u << WHY_PUSHED_FLAGS;
    if (!t->has_exception || t->exception != EXC_GP)
        return false;
    if (run->first_exception == EXC_SS)
        return true;
    return run->first_exception == EXC_GP && run->stop == STOP_HALT && !(masked & ~stepped);
}

/* Called only when the plain comparison failed.  The first class that fits wins. */
static TestClass classify(Harness *h, const MooFile *f, const MooTest *t, const InsnInfo *info,
                          const RunResult *run, uint32_t *why)
{
    uint32_t masked = compare(h, f, t, info, vector_flags_mask(info) & ~FLAGS_286_HIGH);
    if (run->stop == STOP_HALT && !masked) {
        if (high_flags_as_386(h, t, info, run))
            return CLASS_FLAGS_HI;
        *why = 1u << WHY_IOPL_NT;
        return CLASS_FAIL;
    }
    if (info->lock && !lockable_on_386(info) && run->first_exception == EXC_UD)
        return CLASS_LOCK_UD;
    if (info->len > 10 && t->has_exception && t->exception == EXC_GP)
        return CLASS_LONG;
    if (info->opcode >= 0xD8 && info->opcode <= 0xDF)
        return CLASS_ESC;
    if (info->meta->status == META_UNDEFINED)
        return CLASS_UNDEFINED;
    if (seg_overrun(t, run, masked))
        return CLASS_SEG_OVERRUN;
    if (run->stop == STOP_HALT && masked == 1u << MOO_IP && h->cpu.eip == 0x10000 &&
        vector_expected_reg(t, MOO_IP) == 0)
        return CLASS_IP_WRAP;
    if (run->stop == STOP_HALT && only_shift_of(h, t, info, masked))
        return CLASS_SHIFT_OF;
    if ((info->opcode == 0x8C || info->opcode == 0x8E) && (info->reg == 4 || info->reg == 5) &&
        t->has_exception && t->exception == EXC_UD && run->first_exception == NO_EXCEPTION)
        return CLASS_FS_GS;
    *why = masked | (run->stop != STOP_HALT ? 1u << WHY_NO_HALT : 0);
    return CLASS_FAIL;
}

void vector_run(Harness *h, const MooFile *f, const MooTest *t, FileStats *s)
{
    InsnInfo info = decode_info(h, t);
    clear_dirty(h);
    load_state(h, t);
    remember_vector(h, t);
    RunResult run = run_test(h, t, &info);
    uint32_t why = compare(h, f, t, &info, vector_flags_mask(&info));
    if (run.stop != STOP_HALT)
        why |= 1u << WHY_NO_HALT;
    uint32_t strict = why;
    TestClass cls = why ? classify(h, f, t, &info, &run, &why) : CLASS_PASS;
    bool room = !h->opt.print_limit || s->printed < h->opt.print_limit;
    if (cls == CLASS_PASS) {
        s->passed++;
    } else if (cls == CLASS_FLAGS_HI) {
        /* Not an exclusion: the README's rule is to compare these bits masked. */
        s->passed++;
        s->excluded[cls]++;
    } else if (cls != CLASS_FAIL) {
        s->excluded[cls]++;
        if (h->opt.show_class && !strcmp(h->opt.show_class, test_classes[cls].name) && room) {
            s->printed++;
            report_failure(h, test_classes[cls].name, t, &info, &run, strict, true);
        }
    } else {
        s->failed++;
        for (int w = 0; w < WHY_COUNT; w++)
            s->why[w] += why >> w & 1;
        if (h->opt.verbose && room) {
            s->printed++;
            report_failure(h, "FAIL", t, &info, &run, why, false);
        }
    }
}

bool vector_valid(const MooTest *t, char *why, size_t len)
{
    if (t->init.regs.present != (1u << MOO_REG_COUNT) - 1)
        return snprintf(why, len, "initial REGS lack registers (mask %04x)", t->init.regs.present), false;
    if (!ram_fits(&t->init) || !ram_fits(&t->final))
        return snprintf(why, len, "RAM address beyond 16 MiB"), false;
    return true;
}

