/* SPDX-License-Identifier: MIT */
/*
 * MOO reader (format described in moo.h).  Top-level chunks are read whole
 * into one reusable buffer with gzread; their payload is then walked with a
 * bounds-checked cursor, so nested chunks can never reach outside their
 * parent.  Chunk ids are compared as 4-byte strings ("RAM " has a space).
 */
#include "moo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* No real chunk comes near this; a larger length means a corrupt file. */
#define MOO_CHUNK_MAX (64u << 20)

const char *const moo_reg_names[MOO_REG_COUNT] = {
    "AX", "BX", "CX", "DX", "CS", "SS", "DS", "ES",
    "SP", "BP", "SI", "DI", "IP", "FLAGS",
};

/* A window over a payload; every read checks the bytes are there. */
typedef struct Cursor {
    const uint8_t *data;
    size_t len;
    size_t pos;
} Cursor;

static bool cur_take(Cursor *c, size_t n, const uint8_t **out)
{
    if (c->len - c->pos < n)
        return false;
    *out = c->data + c->pos;
    c->pos += n;
    return true;
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static bool cur_u8(Cursor *c, uint8_t *v)
{
    const uint8_t *p;
    if (!cur_take(c, 1, &p))
        return false;
    *v = p[0];
    return true;
}

static bool cur_u16(Cursor *c, uint16_t *v)
{
    const uint8_t *p;
    if (!cur_take(c, 2, &p))
        return false;
    *v = le16(p);
    return true;
}

static bool cur_u32(Cursor *c, uint32_t *v)
{
    const uint8_t *p;
    if (!cur_take(c, 4, &p))
        return false;
    *v = le32(p);
    return true;
}

/* Reads a nested chunk header; `body` covers exactly its payload. */
static bool cur_chunk(Cursor *c, char id[5], Cursor *body)
{
    const uint8_t *p;
    uint32_t len;
    if (!cur_take(c, 4, &p))
        return false;
    memcpy(id, p, 4);
    id[4] = '\0';
    if (!cur_u32(c, &len) || !cur_take(c, len, &p))
        return false;
    *body = (Cursor){ .data = p, .len = len };
    return true;
}

/* zlib's messages may start with the path, which the caller prints already. */
static const char *zlib_message(MooFile *f, int *zerr)
{
    const char *msg = gzerror(f->gz, zerr);
    size_t n = strlen(f->path);
    if (!strncmp(msg, f->path, n) && !strncmp(msg + n, ": ", 2))
        msg += n + 2;
    return msg;
}

static bool fail(MooFile *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->error, sizeof(f->error), fmt, ap);
    va_end(ap);
    return false;
}

/* REGS and RMSK: a 16-bit mask, then one word per set bit, in bit order. */
static bool parse_regs(MooFile *f, Cursor *c, MooRegs *regs, const char *what)
{
    if (!cur_u16(c, &regs->present))
        return fail(f, "%s chunk too short for its mask", what);
    if (regs->present >> MOO_REG_COUNT)
        return fail(f, "%s mask 0x%04x names unknown registers", what, regs->present);
    for (int r = 0; r < MOO_REG_COUNT; r++)
        if ((regs->present >> r) & 1 && !cur_u16(c, &regs->value[r]))
            return fail(f, "%s chunk ends before %s", what, moo_reg_names[r]);
    return true;
}

static bool parse_ram(MooFile *f, Cursor *c, int which, MooState *st)
{
    uint32_t count;
    if (!cur_u32(c, &count))
        return fail(f, "RAM chunk too short for its count");
    if ((uint64_t)count * 5 > c->len - c->pos)
        return fail(f, "RAM chunk claims %u entries but holds %zu bytes", count, c->len - c->pos);
    if (count > f->ram_cap[which]) {
        MooRamEntry *grown = realloc(f->ram[which], (size_t)count * sizeof(*grown));
        if (!grown)
            return fail(f, "out of memory for %u RAM entries", count);
        f->ram[which] = grown;
        f->ram_cap[which] = count;
    }
    /* The length check above covers every entry. */
    const uint8_t *p = c->data + c->pos;
    for (uint32_t i = 0; i < count; i++, p += 5)
        f->ram[which][i] = (MooRamEntry){ .addr = le32(p), .value = p[4] };
    c->pos += (size_t)count * 5;
    st->ram = f->ram[which];
    st->ram_count = count;
    return true;
}

/* INIT or FINA: REGS, RMSK and RAM subchunks; others (QUEU, RG32, ...) skipped. */
static bool parse_state(MooFile *f, Cursor *c, int which, MooState *st)
{
    bool have_regs = false;
    char id[5];
    Cursor body;
    memset(st, 0, sizeof(*st));
    while (c->pos < c->len) {
        if (!cur_chunk(c, id, &body))
            return fail(f, "%s: subchunk runs past its parent", which ? "FINA" : "INIT");
        if (!strcmp(id, "REGS")) {
            if (!parse_regs(f, &body, &st->regs, "REGS"))
                return false;
            have_regs = true;
        } else if (!strcmp(id, "RMSK")) {
            if (!parse_regs(f, &body, &st->rmsk, "RMSK"))
                return false;
        } else if (!strcmp(id, "RAM ")) {
            if (!parse_ram(f, &body, which, st))
                return false;
        }
    }
    if (!have_regs)
        return fail(f, "%s has no REGS chunk", which ? "FINA" : "INIT");
    return true;
}

/* NAME and BYTS share a shape: a redundant length, then that many bytes. */
static bool parse_counted(MooFile *f, Cursor *c, const char *what, const uint8_t **p, uint32_t *n)
{
    if (!cur_u32(c, n) || !cur_take(c, *n, p))
        return fail(f, "%s length runs past its chunk", what);
    return true;
}

static bool parse_test_chunk(MooFile *f, Cursor *c, char id[5], MooTest *t, unsigned *seen)
{
    const uint8_t *p = NULL;
    uint32_t n = 0;
    if (!strcmp(id, "NAME")) {
        if (!parse_counted(f, c, "NAME", &p, &n))
            return false;
        n = n < MOO_NAME_MAX - 1 ? n : MOO_NAME_MAX - 1;
        memcpy(t->name, p, n);
        t->name[n] = '\0';
    } else if (!strcmp(id, "BYTS")) {
        if (!parse_counted(f, c, "BYTS", &p, &n))
            return false;
        if (n == 0 || n > MOO_BYTES_MAX)
            return fail(f, "BYTS holds %u bytes (expected 1 to %d)", n, MOO_BYTES_MAX);
        memcpy(t->bytes, p, n);
        t->byte_count = n;
        *seen |= 1;
    } else if (!strcmp(id, "INIT")) {
        if (!parse_state(f, c, 0, &t->init))
            return false;
        *seen |= 2;
    } else if (!strcmp(id, "FINA")) {
        if (!parse_state(f, c, 1, &t->final))
            return false;
        *seen |= 4;
    } else if (!strcmp(id, "EXCP")) {
        if (!cur_u8(c, &t->exception) || !cur_u32(c, &t->flags_addr))
            return fail(f, "EXCP chunk too short");
        t->has_exception = true;
    } else if (!strcmp(id, "HASH")) {
        if (!cur_take(c, 20, &p))
            return fail(f, "HASH chunk too short");
        memcpy(t->hash, p, 20);
        t->has_hash = true;
    }
    return true;
}

static bool parse_test(MooFile *f, Cursor *c, MooTest *t)
{
    unsigned seen = 0;
    char id[5];
    Cursor body;
    memset(t, 0, sizeof(*t));
    if (!cur_u32(c, &t->index))
        return fail(f, "TEST chunk too short for its index");
    while (c->pos < c->len) {
        if (!cur_chunk(c, id, &body))
            return fail(f, "test %u: subchunk runs past the TEST chunk", t->index);
        if (!parse_test_chunk(f, &body, id, t, &seen)) {
            char why[sizeof(f->error)];
            memcpy(why, f->error, sizeof(why));
            return fail(f, "test %u: %.200s", t->index, why);
        }
    }
    if (seen != 7)
        return fail(f, "test %u lacks its %s chunk", t->index,
                    !(seen & 1) ? "BYTS" : !(seen & 2) ? "INIT" : "FINA");
    return true;
}

static void parse_meta(MooFile *f, Cursor *c)
{
    const uint8_t *p;
    /* version (2), cpu_type (1), opcode (4), mnemonic (8), test count (4), seed (8), mode (1) */
    if (!cur_take(c, 28, &p))
        return;
    f->has_meta = true;
    f->opcode = le32(p + 3);
    memcpy(f->mnemonic, p + 7, 8);
    f->mnemonic[8] = '\0';
    for (int i = 7; i >= 0 && f->mnemonic[i] == ' '; i--)
        f->mnemonic[i] = '\0';
    f->cpu_mode = p[27];
}

/* Reads one top-level chunk into f->buf.  1: read, 0: clean end of file, -1: error. */
static int read_chunk(MooFile *f, char id[5], Cursor *body)
{
    uint8_t hdr[8];
    int got = gzread(f->gz, hdr, sizeof(hdr));
    if (got == 0) {
        int zerr;
        const char *msg = zlib_message(f, &zerr);
        if (zerr == Z_OK)
            return 0;
        return fail(f, "compressed data ends early: %s", msg), -1;
    }
    if (got != (int)sizeof(hdr)) {
        int zerr;
        const char *msg = zlib_message(f, &zerr);
        return fail(f, "truncated chunk header%s%s", zerr ? ": " : "", zerr ? msg : ""), -1;
    }
    memcpy(id, hdr, 4);
    id[4] = '\0';
    uint32_t len = le32(hdr + 4);
    if (len > MOO_CHUNK_MAX)
        return fail(f, "chunk '%.4s' claims %u bytes", id, len), -1;
    if (len > f->buf_cap) {
        uint8_t *grown = realloc(f->buf, len);
        if (!grown)
            return fail(f, "out of memory for a %u-byte chunk", len), -1;
        f->buf = grown;
        f->buf_cap = len;
    }
    if (len && gzread(f->gz, f->buf, len) != (int)len) {
        int zerr;
        const char *msg = zlib_message(f, &zerr);
        return fail(f, "chunk '%.4s' truncated%s%s", id, zerr ? ": " : "", zerr ? msg : ""), -1;
    }
    *body = (Cursor){ .data = f->buf, .len = len };
    return 1;
}

/*
 * Reads top-level chunks until a TEST, handling META and RMSK on the way;
 * the TEST payload stays in f->buf.  1: a test is pending, 0: end, -1: error.
 */
static int advance(MooFile *f, Cursor *test)
{
    char id[5];
    for (;;) {
        int r = read_chunk(f, id, test);
        if (r <= 0)
            return r;
        if (!strcmp(id, "TEST"))
            return 1;
        if (!strcmp(id, "META"))
            parse_meta(f, test);
        else if (!strcmp(id, "RMSK") && !parse_regs(f, test, &f->rmsk, "RMSK"))
            return -1;
    }
}

bool moo_open(MooFile *f, const char *path)
{
    char id[5];
    Cursor body;
    const uint8_t *p;
    memset(f, 0, sizeof(*f));
    snprintf(f->path, sizeof(f->path), "%s", path);
    f->opcode = 0xFFFFFFFFu;
    f->gz = gzopen(path, "rb");
    if (!f->gz)
        return fail(f, "cannot open");
    gzbuffer(f->gz, 1u << 17);
    int r = read_chunk(f, id, &body);
    if (r <= 0)
        return r == 0 ? fail(f, "empty file") : false;
    if (strcmp(id, "MOO ") != 0)
        return fail(f, "not a MOO file (first chunk '%.4s')", id);
    /* version (2), reserved (2), test count (4), CPU id (4) */
    if (!cur_take(&body, 12, &p))
        return fail(f, "MOO header chunk too short");
    f->version_major = p[0];
    f->version_minor = p[1];
    f->test_count = le32(p + 4);
    memcpy(f->cpu_id, p + 8, 4);
    f->cpu_id[4] = '\0';
    /* Read up to the first test so META and a file-wide RMSK are known at once. */
    r = advance(f, &body);
    if (r < 0)
        return false;
    f->pending = r == 1;
    f->pending_len = r == 1 ? body.len : 0;
    return true;
}

int moo_next(MooFile *f, MooTest *t)
{
    Cursor body;
    int r;
    if (f->pending) {
        f->pending = false;
        body = (Cursor){ .data = f->buf, .len = f->pending_len };
    } else if ((r = advance(f, &body)) <= 0) {
        return r;
    }
    return parse_test(f, &body, t) ? 1 : -1;
}

void moo_close(MooFile *f)
{
    if (f->gz)
        gzclose(f->gz);
    free(f->buf);
    free(f->ram[0]);
    free(f->ram[1]);
    memset(f, 0, sizeof(*f));
}
