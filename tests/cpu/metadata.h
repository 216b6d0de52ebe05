/* SPDX-License-Identifier: MIT */
/*
 * The side files of a SingleStepTests suite: metadata.json, which gives each
 * opcode (and, for group opcodes, each ModRM.reg value) a status such as
 * "normal", "undefined" or "fpu" and an optional "flags-mask" that clears the
 * FLAGS bits the instruction leaves undefined; and revocation_list.txt, the
 * hashes of tests known to be bad.  The JSON reader is purpose-built: it walks
 * any well-formed JSON but keeps only those two fields, so the harness needs
 * no JSON library.  Opcode keys are "XX" (one-byte map) or "0FXX".
 */
#ifndef FAULTLINE_TESTS_METADATA_H
#define FAULTLINE_TESTS_METADATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum MetaStatus {
    META_UNKNOWN,           /* not in metadata.json */
    META_NORMAL,
    META_ALIAS,             /* e.g. 82h, a copy of 80h */
    META_UNDOCUMENTED,
    META_UNDEFINED,         /* no defined behaviour (e.g. C6 /1) */
    META_PREFIX,
    META_FPU,
    META_EXTENSION,         /* 0Fh on the 286 */
    META_OTHER,
} MetaStatus;

typedef struct MetaEntry {
    MetaStatus status;
    bool has_flags_mask;
    uint16_t flags_mask;
} MetaEntry;

typedef struct MetaOpcode {
    MetaEntry op;
    bool has_reg;
    MetaEntry reg[8];
} MetaOpcode;

typedef struct Metadata {
    MetaOpcode map[2][256];     /* [0]: one-byte opcodes, [1]: 0F xx */
} Metadata;

/* Loads metadata.json; on failure fills err and leaves m all META_UNKNOWN. */
bool metadata_load(Metadata *m, const char *path, char *err, size_t errlen);
/* The entry for an opcode, the ModRM.reg one for groups (reg < 0: none). */
const MetaEntry *metadata_find(const Metadata *m, int map, uint8_t opcode, int reg);
const char *metadata_status_name(MetaStatus s);

typedef struct Revocations {
    uint8_t (*hash)[20];    /* sorted */
    size_t count;
} Revocations;

/* A missing file is an empty list (returns true); a malformed line is an error. */
bool revocations_load(Revocations *r, const char *path, char *err, size_t errlen);
bool revocations_contain(const Revocations *r, const uint8_t hash[20]);
void revocations_free(Revocations *r);

#endif
