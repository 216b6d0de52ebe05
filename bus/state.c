/* SPDX-License-Identifier: MIT */
/*
 * Serialization of declared device state (see state.h).  Values are written
 * little-endian whatever the host, and every read is bounds-checked, so a
 * truncated or corrupt snapshot is refused rather than trusted.
 */
#include "state.h"

#include <string.h>

static size_t element_size(StateFieldType type)
{
    return type == STATE_FIELD_BOOL ? 1 : (size_t)type;
}

size_t state_size(const StateDesc *desc)
{
    size_t n = 0;
    for (size_t i = 0; i < desc->field_count; i++) {
        const StateField *f = &desc->fields[i];
        n += strlen(f->name) + 1 + 1 + 4 + element_size(f->type) * f->count;
    }
    return n;
}

static uint64_t load_element(const uint8_t *p, StateFieldType type)
{
    switch (type) {
    case STATE_FIELD_U8: return *p;
    case STATE_FIELD_BOOL: return *(const bool *)p;
    case STATE_FIELD_U16: { uint16_t v; memcpy(&v, p, 2); return v; }
    case STATE_FIELD_U32: { uint32_t v; memcpy(&v, p, 4); return v; }
    case STATE_FIELD_U64: { uint64_t v; memcpy(&v, p, 8); return v; }
    }
    return 0;
}

static void store_element(uint8_t *p, StateFieldType type, uint64_t v)
{
    switch (type) {
    case STATE_FIELD_U8: *p = (uint8_t)v; break;
    case STATE_FIELD_BOOL: *(bool *)p = v != 0; break;
    case STATE_FIELD_U16: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
    case STATE_FIELD_U32: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
    case STATE_FIELD_U64: memcpy(p, &v, 8); break;
    }
}

size_t state_save(const StateDesc *desc, const void *obj, uint8_t *buf, size_t cap)
{
    size_t need = state_size(desc);
    if (need > cap)
        return 0;
    const uint8_t *base = obj;
    uint8_t *out = buf;
    for (size_t i = 0; i < desc->field_count; i++) {
        const StateField *f = &desc->fields[i];
        size_t name_len = strlen(f->name) + 1, es = element_size(f->type);
        memcpy(out, f->name, name_len);
        out += name_len;
        *out++ = (uint8_t)f->type;
        for (int b = 0; b < 4; b++)
            *out++ = (uint8_t)(f->count >> (8 * b));
        for (uint32_t e = 0; e < f->count; e++) {
            uint64_t v = load_element(base + f->offset + e * es, f->type);
            for (size_t b = 0; b < es; b++)
                *out++ = (uint8_t)(v >> (8 * b));
        }
    }
    return need;
}

static const StateField *find_field(const StateDesc *desc, const char *name)
{
    for (size_t i = 0; i < desc->field_count; i++)
        if (!strcmp(desc->fields[i].name, name))
            return &desc->fields[i];
    return NULL;
}

bool state_load(const StateDesc *desc, void *obj, const uint8_t *buf, size_t len)
{
    uint8_t *base = obj;
    size_t pos = 0;
    while (pos < len) {
        const uint8_t *nul = memchr(buf + pos, 0, len - pos);
        if (!nul || (size_t)(nul - buf) + 6 > len)
            return false;
        const char *name = (const char *)buf + pos;
        pos = (size_t)(nul - buf) + 1;
        StateFieldType type = (StateFieldType)buf[pos++];
        uint32_t count = 0;
        for (int b = 0; b < 4; b++)
            count |= (uint32_t)buf[pos++] << (8 * b);
        if (type != STATE_FIELD_U8 && type != STATE_FIELD_U16 && type != STATE_FIELD_U32 &&
            type != STATE_FIELD_U64 && type != STATE_FIELD_BOOL)
            return false;
        size_t es = element_size(type);
        if (count > (len - pos) / es)
            return false;
        const StateField *f = find_field(desc, name);
        if (f && (f->type != type || f->count != count))
            return false;
        for (uint32_t e = 0; f && e < count; e++) {
            uint64_t v = 0;
            for (size_t b = 0; b < es; b++)
                v |= (uint64_t)buf[pos + e * es + b] << (8 * b);
            store_element(base + f->offset + e * es, type, v);
        }
        pos += es * count;
    }
    return true;
}
