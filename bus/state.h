/* SPDX-License-Identifier: MIT */
/*
 * Device state as declared field tables.  A chip lists the members of its
 * struct that make up its architectural state (registers, latches, counters,
 * armed deadlines), with a version; snapshots serialize from that table and
 * nothing else, so there are no positional arrays and no hand-counted sizes.
 * Host-side members (callbacks, pointers, the IoSpace it is mapped into) are
 * simply not listed.  The encoding is a sequence of tagged fields:
 *   field name (NUL-terminated), type (1 byte), count (u32), data (little-endian)
 * so a newer reader can skip fields it does not know and default missing ones.
 */
#ifndef FAULTLINE_STATE_H
#define FAULTLINE_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum StateFieldType {
    STATE_FIELD_U8 = 1,
    STATE_FIELD_U16 = 2,
    STATE_FIELD_U32 = 4,
    STATE_FIELD_U64 = 8,
    STATE_FIELD_BOOL = 0x11,
} StateFieldType;

typedef struct StateField {
    const char *name;
    StateFieldType type;
    size_t offset;
    uint32_t count;         /* array length; 1 for a scalar */
} StateField;

typedef struct StateDesc {
    const char *name;       /* chunk name, e.g. "pic" */
    uint32_t version;
    const StateField *fields;
    size_t field_count;
} StateDesc;

/* Field-table rows: STATE_U8(Pic, imr), STATE_U8_ARRAY(Cmos, ram, 128), ... */
#define STATE_SCALAR(T, m, kind) { #m, kind, offsetof(T, m), 1 }
#define STATE_ARRAY(T, m, kind, n) { #m, kind, offsetof(T, m), (n) }
#define STATE_U8(T, m) STATE_SCALAR(T, m, STATE_FIELD_U8)
#define STATE_U16(T, m) STATE_SCALAR(T, m, STATE_FIELD_U16)
#define STATE_U32(T, m) STATE_SCALAR(T, m, STATE_FIELD_U32)
#define STATE_U64(T, m) STATE_SCALAR(T, m, STATE_FIELD_U64)
#define STATE_BOOL(T, m) STATE_SCALAR(T, m, STATE_FIELD_BOOL)
#define STATE_U8_ARRAY(T, m, n) STATE_ARRAY(T, m, STATE_FIELD_U8, n)
#define STATE_U16_ARRAY(T, m, n) STATE_ARRAY(T, m, STATE_FIELD_U16, n)
#define STATE_U32_ARRAY(T, m, n) STATE_ARRAY(T, m, STATE_FIELD_U32, n)
#define STATE_U64_ARRAY(T, m, n) STATE_ARRAY(T, m, STATE_FIELD_U64, n)
#define STATE_BOOL_ARRAY(T, m, n) STATE_ARRAY(T, m, STATE_FIELD_BOOL, n)
#define STATE_DESC(nm, ver, table) { nm, ver, table, sizeof(table) / sizeof((table)[0]) }

/* Bytes state_save needs for this object. */
size_t state_size(const StateDesc *desc);
/* Serializes; returns the bytes written, or 0 when cap is too small. */
size_t state_save(const StateDesc *desc, const void *obj, uint8_t *buf, size_t cap);
/* Fills the listed fields from buf (unknown fields skipped, missing ones left
 * as they are); false on malformed input or a type/count mismatch. */
bool state_load(const StateDesc *desc, void *obj, const uint8_t *buf, size_t len);

#endif
