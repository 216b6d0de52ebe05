/* SPDX-License-Identifier: MIT */
/*
 * metadata.json and revocation_list.txt readers (see metadata.h).  The JSON
 * walker is recursive descent over the whole grammar; it remembers the chain
 * of object keys leading to each scalar and hands "status" and "flags-mask"
 * scalars found at opcodes.XX.<field> or opcodes.XX.reg.N.<field> to
 * store_field().  Everything else is parsed and dropped.
 */
#include "metadata.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { JSON_MAX_DEPTH = 16, JSON_KEY_MAX = 32 };

typedef struct Json {
    const char *start, *p, *end;
    char keys[JSON_MAX_DEPTH][JSON_KEY_MAX];
    int depth;
    Metadata *m;
    char *err;
    size_t errlen;
    bool failed;
} Json;

static void json_fail(Json *j, const char *what)
{
    if (!j->failed)
        snprintf(j->err, j->errlen, "%s at byte %ld", what, (long)(j->p - j->start));
    j->failed = true;
}

static void skip_ws(Json *j)
{
    while (j->p < j->end && isspace((unsigned char)*j->p))
        j->p++;
}

/* Reads a string; keeps up to `cap`-1 characters (escapes kept as the escaped char). */
static bool json_string(Json *j, char *out, size_t cap)
{
    size_t n = 0;
    if (j->p >= j->end || *j->p != '"')
        return json_fail(j, "expected a string"), false;
    j->p++;
    while (j->p < j->end && *j->p != '"') {
        char c = *j->p++;
        if (c == '\\') {
            if (j->p >= j->end)
                break;
            c = *j->p++;
        }
        if (out && n + 1 < cap)
            out[n++] = c;
    }
    if (j->p >= j->end)
        return json_fail(j, "unterminated string"), false;
    j->p++;
    if (out)
        out[n] = '\0';
    return true;
}

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "XX" or "0FXX" into map and opcode. */
static bool parse_opcode_key(const char *key, int *map, uint8_t *opcode)
{
    size_t len = strlen(key);
    const char *hex = key;
    if (len == 4 && hex_digit(key[0]) == 0 && hex_digit(key[1]) == 15) {
        *map = 1;
        hex = key + 2;
    } else if (len == 2) {
        *map = 0;
    } else {
        return false;
    }
    int hi = hex_digit(hex[0]), lo = hex_digit(hex[1]);
    if (hi < 0 || lo < 0)
        return false;
    *opcode = (uint8_t)(hi << 4 | lo);
    return true;
}

static MetaStatus status_from_name(const char *s)
{
    static const char *const names[] = {
        [META_NORMAL] = "normal", [META_ALIAS] = "alias", [META_UNDOCUMENTED] = "undocumented",
        [META_UNDEFINED] = "undefined", [META_PREFIX] = "prefix", [META_FPU] = "fpu",
        [META_EXTENSION] = "extension",
    };
    for (size_t i = 1; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(s, names[i]))
            return (MetaStatus)i;
    return META_OTHER;
}

const char *metadata_status_name(MetaStatus s)
{
    static const char *const names[] = {
        "unknown", "normal", "alias", "undocumented", "undefined", "prefix", "fpu",
        "extension", "other",
    };
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

/* A scalar at keys[0..depth-1]: keep it if it is one of our two fields. */
static void store_field(Json *j, const char *str, double num, bool is_num)
{
    int map, reg = -1;
    uint8_t opcode;
    const char *field;
    if (j->depth == 3) {
        field = j->keys[2];
    } else if (j->depth == 5 && !strcmp(j->keys[2], "reg") && hex_digit(j->keys[3][0]) >= 0 &&
               hex_digit(j->keys[3][0]) < 8 && j->keys[3][1] == '\0') {
        reg = hex_digit(j->keys[3][0]);
        field = j->keys[4];
    } else {
        return;
    }
    if (strcmp(j->keys[0], "opcodes") != 0 || !parse_opcode_key(j->keys[1], &map, &opcode))
        return;
    MetaOpcode *op = &j->m->map[map][opcode];
    MetaEntry *e = &op->op;
    if (reg >= 0) {
        op->has_reg = true;
        e = &op->reg[reg];
    }
    if (!strcmp(field, "status") && !is_num) {
        e->status = status_from_name(str);
    } else if (!strcmp(field, "flags-mask") && is_num) {
        e->has_flags_mask = true;
        e->flags_mask = (uint16_t)num;
    }
}

static bool json_value(Json *j);

static bool json_object(Json *j)
{
    j->p++;     /* '{' */
    skip_ws(j);
    if (j->p < j->end && *j->p == '}') {
        j->p++;
        return true;
    }
    if (j->depth >= JSON_MAX_DEPTH)
        return json_fail(j, "nesting too deep"), false;
    for (;;) {
        skip_ws(j);
        if (!json_string(j, j->keys[j->depth], JSON_KEY_MAX))
            return false;
        skip_ws(j);
        if (j->p >= j->end || *j->p != ':')
            return json_fail(j, "expected ':'"), false;
        j->p++;
        j->depth++;
        bool ok = json_value(j);
        j->depth--;
        if (!ok)
            return false;
        skip_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == '}') {
            j->p++;
            return true;
        }
        return json_fail(j, "expected ',' or '}'"), false;
    }
}

/* Array elements sit under the key of the array itself; we keep nothing from them. */
static bool json_array(Json *j)
{
    j->p++;     /* '[' */
    skip_ws(j);
    if (j->p < j->end && *j->p == ']') {
        j->p++;
        return true;
    }
    if (j->depth >= JSON_MAX_DEPTH)
        return json_fail(j, "nesting too deep"), false;
    for (;;) {
        strcpy(j->keys[j->depth], "[]");
        j->depth++;
        bool ok = json_value(j);
        j->depth--;
        if (!ok)
            return false;
        skip_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == ']') {
            j->p++;
            return true;
        }
        return json_fail(j, "expected ',' or ']'"), false;
    }
}

static bool json_scalar(Json *j)
{
    char buf[64];
    if (*j->p == '"') {
        if (!json_string(j, buf, sizeof(buf)))
            return false;
        store_field(j, buf, 0, false);
        return true;
    }
    size_t n = 0;
    while (j->p < j->end && (isalnum((unsigned char)*j->p) || strchr("+-.", *j->p)) && n + 1 < sizeof(buf))
        buf[n++] = *j->p++;
    buf[n] = '\0';
    if (!strcmp(buf, "true") || !strcmp(buf, "false") || !strcmp(buf, "null"))
        return true;
    char *endp;
    errno = 0;
    double v = strtod(buf, &endp);
    if (n == 0 || *endp != '\0' || errno)
        return json_fail(j, "bad value"), false;
    store_field(j, NULL, v, true);
    return true;
}

static bool json_value(Json *j)
{
    skip_ws(j);
    if (j->p >= j->end)
        return json_fail(j, "unexpected end"), false;
    if (*j->p == '{')
        return json_object(j);
    if (*j->p == '[')
        return json_array(j);
    return json_scalar(j);
}

static char *read_whole_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, fp);
        if (n < cap)
            break;
        char *grown = cap < (64u << 20) ? realloc(buf, cap * 2) : NULL;
        if (!grown) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    bool bad = !buf || ferror(fp);
    fclose(fp);
    if (bad) {
        free(buf);
        snprintf(err, errlen, "%s: read error or too large", path);
        return NULL;
    }
    *len = n;
    return buf;
}

bool metadata_load(Metadata *m, const char *path, char *err, size_t errlen)
{
    size_t len;
    memset(m, 0, sizeof(*m));
    char *text = read_whole_file(path, &len, err, errlen);
    if (!text)
        return false;
    Json j = { .start = text, .p = text, .end = text + len, .m = m, .err = err, .errlen = errlen };
    bool ok = json_value(&j);
    free(text);
    if (!ok) {
        char why[200];
        snprintf(why, sizeof(why), "%s", err);
        snprintf(err, errlen, "%s: %s", path, why);
        memset(m, 0, sizeof(*m));
        return false;
    }
    return true;
}

const MetaEntry *metadata_find(const Metadata *m, int map, uint8_t opcode, int reg)
{
    const MetaOpcode *op = &m->map[map & 1][opcode];
    if (op->has_reg && reg >= 0 && reg < 8)
        return &op->reg[reg];
    return &op->op;
}

static int hash_cmp(const void *a, const void *b)
{
    return memcmp(a, b, 20);
}

/* A line of 40 hex digits, optionally surrounded by blanks. */
static bool parse_hash_line(const char *line, uint8_t out[20])
{
    while (isspace((unsigned char)*line))
        line++;
    for (int i = 0; i < 20; i++) {
        int hi = hex_digit((unsigned char)line[2 * i]), lo = hi < 0 ? -1 : hex_digit((unsigned char)line[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    for (line += 40; *line; line++)
        if (!isspace((unsigned char)*line))
            return false;
    return true;
}

bool revocations_load(Revocations *r, const char *path, char *err, size_t errlen)
{
    char line[256];
    size_t cap = 0, lineno = 0;
    memset(r, 0, sizeof(*r));
    FILE *fp = fopen(path, "r");
    if (!fp)
        return true;
    while (fgets(line, sizeof(line), fp)) {
        lineno++;
        const char *s = line;
        while (isspace((unsigned char)*s))
            s++;
        if (*s == '\0' || *s == '#')
            continue;
        if (r->count == cap) {
            cap = cap ? cap * 2 : 16;
            void *grown = realloc(r->hash, cap * sizeof(*r->hash));
            if (!grown) {
                snprintf(err, errlen, "%s: out of memory", path);
                fclose(fp);
                revocations_free(r);
                return false;
            }
            r->hash = grown;
        }
        if (!parse_hash_line(s, r->hash[r->count])) {
            snprintf(err, errlen, "%s:%zu: not a 40-digit hash", path, lineno);
            fclose(fp);
            revocations_free(r);
            return false;
        }
        r->count++;
    }
    fclose(fp);
    if (r->count)
        qsort(r->hash, r->count, sizeof(*r->hash), hash_cmp);
    return true;
}

bool revocations_contain(const Revocations *r, const uint8_t hash[20])
{
    return r->count && bsearch(hash, r->hash, r->count, sizeof(*r->hash), hash_cmp) != NULL;
}

void revocations_free(Revocations *r)
{
    free(r->hash);
    memset(r, 0, sizeof(*r));
}
