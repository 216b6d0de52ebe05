/* SPDX-License-Identifier: MIT */
/*
 * What fl_cpu_tests prints: one line per opcode file, the excluded classes
 * with their reasons, the final "N passed, M failed" line, and with -v the
 * instruction bytes and register, FLAGS and memory differences of failing
 * vectors; --dump prints parsed vectors to check the MOO reader.
 */
#include "harness.h"

#include <stdio.h>

static const char *const why_names[WHY_COUNT - MOO_REG_COUNT] = {
    "RAM", "pushed-FLAGS", "no-HLT", "386-IOPL/NT",
};

static void print_bytes(const uint8_t *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        printf("%s%02x", i ? " " : "", b[i]);
}

static void print_flag_letters(uint16_t bits)
{
    static const struct { uint16_t bit; const char *name; } names[] = {
        { 0x0001, "CF" }, { 0x0004, "PF" }, { 0x0010, "AF" }, { 0x0040, "ZF" }, { 0x0080, "SF" },
        { 0x0100, "TF" }, { 0x0200, "IF" }, { 0x0400, "DF" }, { 0x0800, "OF" }, { 0x3000, "IOPL" },
        { 0x4000, "NT" }, { 0x8000, "bit15" }, { 0x002A, "reserved" },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (bits & names[i].bit)
            printf(" %s", names[i].name);
}

static void print_run(const RunResult *run, const MooTest *t)
{
    static const char *const stops[] = { "halted", "budget exhausted", "left the test's RAM", "shutdown" };
    printf("      run: %s", stops[run->stop]);
    if (run->stop == STOP_LEFT_RAM)
        printf(" at linear %06x", run->stop_lin);
    if (run->first_exception != NO_EXCEPTION)
        printf("; our first exception %s", cpu_exception_name(run->first_exception));
    if (t->has_exception)
        printf("; 286 took vector %u", t->exception);
    printf("\n");
}

void report_failure(Harness *h, const char *label, const MooTest *t, const InsnInfo *info,
                    const RunResult *run, uint32_t why, bool strict)
{
    uint16_t fmask = vector_flags_mask(info) & (strict ? 0xFFFF : ~FLAGS_286_HIGH);
    printf("  %s #%u \"%s\"  bytes ", label, t->index, t->name);
    print_bytes(t->bytes, t->byte_count);
    printf("  hash ");
    for (int i = 0; i < 20; i++)
        printf("%02x", t->hash[i]);
    printf("\n");
    print_run(run, t);
    if (why >> WHY_IOPL_NT & 1)
        printf("      FLAGS bits 12-15 not as a 386 leaves them: initial FLAGS %04x, final %04x\n",
               t->init.regs.value[MOO_FLAGS], vector_actual_reg(&h->cpu, MOO_FLAGS));
    for (int r = 0; r < MOO_REG_COUNT; r++) {
        if (!(why >> r & 1))
            continue;
        uint32_t act = vector_actual_reg(&h->cpu, r);
        uint16_t exp = vector_expected_reg(t, r);
        printf("      %-5s expected %04x got %04x", moo_reg_names[r], exp, act);
        if (r == MOO_FLAGS) {
            printf(" (mask %04x) differ:", fmask);
            print_flag_letters((uint16_t)((act ^ exp) & fmask));
        }
        printf("\n");
    }
    for (uint32_t i = 0; i < t->final.ram_count; i++) {
        const MooRamEntry *e = &t->final.ram[i];
        uint8_t act = (uint8_t)phys_read(&h->mem, e->addr, 1);
        bool slot = vector_ram_mask(info, e->addr, 0) == 0;
        if ((act ^ e->value) & vector_ram_mask(info, e->addr, fmask))
            printf("      RAM [%06x] expected %02x got %02x%s\n", e->addr, e->value, act,
                   slot ? " (pushed FLAGS byte, masked)" : "");
    }
    for (uint32_t i = 0; i < t->init.ram_count; i++) {
        const MooRamEntry *e = &t->init.ram[i];
        uint8_t act = (uint8_t)phys_read(&h->mem, e->addr, 1);
        if (act != e->value && !vector_listed_final(t, e->addr))
            printf("      RAM [%06x] should be unchanged %02x, got %02x\n", e->addr, e->value, act);
    }
}

static void print_regs(const char *label, const MooRegs *regs)
{
    printf("    %s:", label);
    for (int r = 0; r < MOO_REG_COUNT; r++)
        if (regs->present >> r & 1)
            printf(" %s=%04x", moo_reg_names[r], regs->value[r]);
    printf("\n");
}

static void print_ram(const char *label, const MooState *st)
{
    printf("    %s RAM (%u):", label, st->ram_count);
    for (uint32_t i = 0; i < st->ram_count; i++)
        printf("%s%06x=%02x", i % 8 ? " " : "\n      ", st->ram[i].addr, st->ram[i].value);
    printf("\n");
}

void report_dump(const MooTest *t)
{
    printf("  test #%u \"%s\"\n    bytes: ", t->index, t->name);
    print_bytes(t->bytes, t->byte_count);
    printf("\n    hash: ");
    for (int i = 0; i < 20 && t->has_hash; i++)
        printf("%02x", t->hash[i]);
    printf("\n");
    print_regs("init", &t->init.regs);
    print_ram("init", &t->init);
    print_regs("final", &t->final.regs);
    if (t->final.rmsk.present)
        print_regs("final mask", &t->final.rmsk);
    print_ram("final", &t->final);
    if (t->has_exception)
        printf("    exception: vector %u, FLAGS pushed at %06x\n", t->exception, t->flags_addr);
}

void report_file_line(const char *op, const FileStats *s)
{
    unsigned excluded = 0;
    for (int c = CLASS_FLAGS_HI + 1; c < CLASS_FAIL; c++)
        excluded += s->excluded[c];
    printf("%-6s %4u/%-4u", op, s->passed, s->passed + s->failed);
    if (excluded)
        printf("  excluded %u", excluded);
    if (s->revoked)
        printf("  revoked %u", s->revoked);
    if (s->failed) {
        printf("  failing:");
        for (int w = 0; w < WHY_COUNT; w++)
            if (s->why[w])
                printf(" %s %u", w < MOO_REG_COUNT ? moo_reg_names[w] : why_names[w - MOO_REG_COUNT], s->why[w]);
    }
    printf("\n");
}

void report_summary(const Harness *h, double seconds)
{
    const FileStats *s = &h->total;
    printf("passed with bits masked %s: %u  (%s)\n", test_classes[CLASS_FLAGS_HI].name,
           s->excluded[CLASS_FLAGS_HI], test_classes[CLASS_FLAGS_HI].reason);
    for (int c = CLASS_FLAGS_HI + 1; c < CLASS_FAIL; c++)
        printf("excluded %s: %u  (%s)\n", test_classes[c].name, s->excluded[c], test_classes[c].reason);
    if (s->revoked)
        printf("revoked: %u  (listed in revocation_list.txt)\n", s->revoked);
    if (h->file_errors)
        printf("errors: %u unreadable files or tests\n", h->file_errors);
    printf("time: %.2f s, CPU model %s\n", seconds, cpu_model_name(h->model));
    printf("%u passed, %u failed\n", s->passed, s->failed);
}

