/* SPDX-License-Identifier: MIT */
/*
 * A reader for MOO files ("Machine Opcode Operation"), the chunked
 * little-endian format of the SingleStepTests CPU vectors (spec:
 * doc/moo_format_v1.md in github.com/dbalsom/moo).  A file is a `MOO ` header
 * chunk, then top-level `META`, optional `RMSK` and one `TEST` chunk per test;
 * a test holds NAME, BYTS, INIT and FINA (each with REGS and RAM), optional
 * EXCP, and HASH.  Files may be gzipped (read through zlib).  Unknown chunks
 * are skipped by their length.  Only the 16-bit register file (REGS/RMSK) is
 * read; the 386 chunks RG32/RM32/EA32 and the bus-cycle chunk CYCL are skipped.
 * Every length is checked against its enclosing chunk, so a truncated or
 * corrupt file ends with an error message, never a crash.
 */
#ifndef FAULTLINE_TESTS_MOO_H
#define FAULTLINE_TESTS_MOO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Register order of the REGS and RMSK bit masks (spec, "REGS"). */
enum {
    MOO_AX, MOO_BX, MOO_CX, MOO_DX, MOO_CS, MOO_SS, MOO_DS, MOO_ES,
    MOO_SP, MOO_BP, MOO_SI, MOO_DI, MOO_IP, MOO_FLAGS, MOO_REG_COUNT
};

extern const char *const moo_reg_names[MOO_REG_COUNT];

/* A register set: bit r of `present` says whether value[r] was stored. */
typedef struct MooRegs {
    uint16_t present;
    uint16_t value[MOO_REG_COUNT];
} MooRegs;

typedef struct MooRamEntry {
    uint32_t addr;
    uint8_t value;
} MooRamEntry;

typedef struct MooState {
    MooRegs regs;
    MooRegs rmsk;           /* per-test undefined-bit masks; present == 0 if none */
    MooRamEntry *ram;       /* owned by the MooFile, valid until the next moo_next() */
    uint32_t ram_count;
} MooState;

enum { MOO_NAME_MAX = 128, MOO_BYTES_MAX = 16 };

typedef struct MooTest {
    uint32_t index;
    char name[MOO_NAME_MAX];
    uint8_t bytes[MOO_BYTES_MAX];
    uint32_t byte_count;    /* instruction bytes, including the HLT that follows */
    MooState init, final;
    bool has_exception;
    uint8_t exception;      /* EXCP: vector taken */
    uint32_t flags_addr;    /* EXCP: physical address of the FLAGS word pushed */
    bool has_hash;
    uint8_t hash[20];
} MooTest;

typedef struct MooFile {
    void *gz;               /* gzFile */
    char path[512];
    uint8_t version_major, version_minor;
    uint32_t test_count;
    char cpu_id[5];
    bool has_meta;
    uint32_t opcode;        /* META: 0xFFFFFFFF when several */
    char mnemonic[9];
    uint8_t cpu_mode;
    MooRegs rmsk;           /* file-wide undefined-bit masks; present == 0 if none */
    uint8_t *buf;           /* the current top-level chunk's payload */
    bool pending;           /* buf holds a TEST not yet returned (read by moo_open) */
    size_t pending_len;
    size_t buf_cap;
    MooRamEntry *ram[2];    /* storage behind MooTest.init.ram / final.ram */
    uint32_t ram_cap[2];
    char error[256];
} MooFile;

/* Opens the file and reads its header chunk.  On failure f->error says why. */
bool moo_open(MooFile *f, const char *path);
/* Reads the next test: 1 when one was read, 0 at the end, -1 on error (f->error). */
int moo_next(MooFile *f, MooTest *t);
void moo_close(MooFile *f);

/* The value stored for register r, or `fallback` when the set lacks it. */
static inline uint16_t moo_reg(const MooRegs *regs, int r, uint16_t fallback)
{
    return (regs->present >> r) & 1 ? regs->value[r] : fallback;
}

#endif
