/* SPDX-License-Identifier: MIT */
/*
 * Shared by the files of fl_cpu_tests: the harness state (one PhysMem, IoSpace
 * and Cpu reused for every vector), the per-file counters, and the classes of
 * legitimate 286-versus-386 differences.  vector.c runs and judges one
 * vector, report.c prints, harness.c walks the folder.
 */
#ifndef FAULTLINE_TESTS_HARNESS_H
#define FAULTLINE_TESTS_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu.h"
#include "metadata.h"
#include "moo.h"

#define RAM_SIZE (16u << 20)
#define FLAGS_286_HIGH 0xF000u  /* FLAGS bits 12-15: IOPL, NT, reserved */
#define NO_EXCEPTION 0xFFu

/*
 * Why a vector may fail on a correct 386.  Each class is decided per vector,
 * only after the plain comparison failed (vector.c, classify()).  The first
 * five are the ones the test-data README names; the rest were found in the
 * data.  CLASS_PASS and CLASS_FAIL bracket them.
 */
typedef enum TestClass {
    CLASS_PASS, CLASS_FLAGS_HI, CLASS_LOCK_UD, CLASS_LONG, CLASS_ESC, CLASS_UNDEFINED,
    CLASS_SEG_OVERRUN, CLASS_IP_WRAP, CLASS_SHIFT_OF, CLASS_FS_GS,
    CLASS_FAIL, CLASS_COUNT
} TestClass;

typedef struct TestClassInfo {
    const char *name, *reason;
} TestClassInfo;

extern const TestClassInfo test_classes[CLASS_COUNT];

/* Reasons a comparison failed: bits 0-13 are the MOO registers, then these. */
enum { WHY_RAM = MOO_REG_COUNT, WHY_PUSHED_FLAGS, WHY_NO_HALT, WHY_IOPL_NT, WHY_COUNT };

typedef struct Options {
    bool verbose;
    bool dump;
    bool help;
    const char *filter;         /* comma-separated file-name prefixes */
    long index;                 /* -1: every test */
    unsigned print_limit;       /* failing tests printed per file with -v; 0: all */
    const char *show_class;     /* -x: also print vectors excused under this class */
    double min_pass_rate;       /* < 0: any failure fails the run */
    const char *model;
    const char *dir;
} Options;

/* What the instruction bytes say, decoded as far as judging needs. */
typedef struct InsnInfo {
    bool lock, rep;
    uint8_t opcode;
    int reg;                    /* ModRM.reg for group opcodes and 8C/8E, else -1 */
    int modrm;                  /* the byte after the opcode, or -1 */
    unsigned len;               /* without the trailing HLT */
    int shift_count;            /* C0/C1/D2/D3: the count operand, else -1 */
    const MetaEntry *meta;
    bool has_flags_slot;        /* a FLAGS image was pushed (exception, INT, PUSHF) */
    uint32_t flags_slot[2];     /* its two bytes' physical addresses */
} InsnInfo;

typedef enum StopKind { STOP_HALT, STOP_BUDGET, STOP_LEFT_RAM, STOP_SHUTDOWN } StopKind;

typedef struct RunResult {
    StopKind stop;
    uint8_t first_exception;    /* vector of the first fault our core raised */
    uint32_t stop_lin;          /* linear address execution stopped at */
} RunResult;

typedef struct FileStats {
    unsigned passed, failed, revoked, printed;
    unsigned excluded[CLASS_COUNT];
    unsigned why[WHY_COUNT];
} FileStats;

typedef struct Harness {
    Options opt;
    PhysMem mem;
    IoSpace io;
    Cpu cpu;
    const CpuModel *model;
    Metadata meta;
    bool have_meta;
    Revocations revoked;
    uint32_t *dirty;            /* addresses the previous vector wrote, to clear */
    size_t dirty_count, dirty_cap;
    bool dirty_lost;            /* the list could not grow: clear all RAM */
    FileStats total;
    unsigned file_errors;
} Harness;

/* vector.c */
bool vector_valid(const MooTest *t, char *why, size_t len);
void vector_run(Harness *h, const MooFile *f, const MooTest *t, FileStats *s);
uint32_t vector_actual_reg(Cpu *cpu, int r);
uint16_t vector_expected_reg(const MooTest *t, int r);
uint16_t vector_flags_mask(const InsnInfo *info);
uint8_t vector_ram_mask(const InsnInfo *info, uint32_t addr, uint16_t fmask);
bool vector_listed_final(const MooTest *t, uint32_t addr);

/* report.c */
/* label: "FAIL" or a class name; strict: FLAGS shown under the metadata mask only. */
void report_failure(Harness *h, const char *label, const MooTest *t, const InsnInfo *info,
                    const RunResult *run, uint32_t why, bool strict);
void report_dump(const MooTest *t);
void report_file_line(const char *op, const FileStats *s);
void report_summary(const Harness *h, double seconds);

#endif
