/* SPDX-License-Identifier: MIT */
/*
 * The SCSI/MMC commands of the ATAPI drive (see atapi.h): each builds its
 * reply (big-endian fields, SPC-2 / MMC-2 layouts) in d->reply, or sets up a
 * read from the disc, or sets sense data and fails.  The disc is a single
 * data track (ADR 1, control 4) from LBA 0 with the lead-out (track AAh) at
 * the capacity.  A disc that arrived since the last command answers the
 * first command with UNIT ATTENTION 06/28/00, except INQUIRY, REQUEST SENSE,
 * GET CONFIGURATION and GET EVENT STATUS NOTIFICATION, which never report it.
 */
#include "atapi.h"

#include <string.h>

enum {
    OP_TEST_UNIT_READY = 0x00, OP_REQUEST_SENSE = 0x03, OP_INQUIRY = 0x12,
    OP_MODE_SENSE6 = 0x1A, OP_START_STOP = 0x1B, OP_PREVENT_ALLOW = 0x1E,
    OP_READ_CAPACITY = 0x25, OP_READ10 = 0x28, OP_SEEK10 = 0x2B, OP_READ_TOC = 0x43,
    OP_GET_CONFIGURATION = 0x46, OP_GESN = 0x4A, OP_READ_DISC_INFO = 0x51,
    OP_MODE_SENSE10 = 0x5A, OP_READ12 = 0xA8,
};

/* Additional sense codes used here (SPC-2 annex D). */
enum {
    ASC_INVALID_OPCODE = 0x20, ASC_LBA_OUT_OF_RANGE = 0x21, ASC_INVALID_FIELD = 0x24,
    ASC_MEDIUM_CHANGED = 0x28, ASC_SAVING_UNSUPPORTED = 0x39, ASC_NO_MEDIUM = 0x3A,
    ASC_REMOVAL_PREVENTED = 0x53,
};

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v);
}

static uint32_t get16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
    return get16(p) << 16 | get16(p + 2);
}

static bool fail(Atapi *d, uint8_t key, uint8_t asc, uint8_t ascq)
{
    atapi_set_sense(d, key, asc, ascq);
    return false;
}

static bool invalid_field(Atapi *d)
{
    return fail(d, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD, 0);
}

/* A reply of len bytes, cut to the allocation length the host gave. */
static bool reply(Atapi *d, uint32_t len, uint32_t alloc)
{
    d->reply_len = len;
    d->left = len < alloc ? len : alloc;
    return true;
}

static uint8_t *clear_reply(Atapi *d)
{
    memset(d->reply, 0, sizeof(d->reply));
    return d->reply;
}

static bool need_medium(Atapi *d)
{
    if (atapi_medium_ready(d))
        return true;
    return fail(d, SENSE_NOT_READY, ASC_NO_MEDIUM, d->tray_open ? 0x02 : 0x00);
}

static bool request_sense(Atapi *d)
{
    uint8_t *r = clear_reply(d);
    r[0] = 0x70;                        /* current error, fixed format */
    r[2] = d->sense_key;
    r[7] = 10;                          /* additional length */
    r[12] = d->asc;
    r[13] = d->ascq;
    atapi_set_sense(d, SENSE_NONE, 0, 0);
    return reply(d, 18, d->cdb[4]);
}

static void put_ascii(uint8_t *p, size_t n, const char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i < len ? s[i] : ' ');
}

static bool inquiry(Atapi *d)
{
    if (d->cdb[1] & 0x01)
        return invalid_field(d);        /* no vital product data pages */
    uint8_t *r = clear_reply(d);
    r[0] = 0x05;                        /* CD/DVD device */
    r[1] = 0x80;                        /* removable medium */
    r[3] = 0x21;                        /* ATAPI version 2, response data format 1 */
    r[4] = 31;                          /* additional length */
    put_ascii(r + 8, 8, "FAULTLN");
    put_ascii(r + 16, 16, "CD-ROM");
    put_ascii(r + 32, 4, "0.1");
    return reply(d, 36, get16(d->cdb + 3));
}

static bool start_stop(Atapi *d)
{
    bool start = d->cdb[4] & 0x01, load_eject = d->cdb[4] & 0x02;
    if (!load_eject)
        return true;                    /* spin up / down: nothing to model */
    if (!start) {
        if (d->locked)
            return fail(d, SENSE_ILLEGAL_REQUEST, ASC_REMOVAL_PREVENTED, 0x02);
        if (!d->tray_open && d->image)
            d->media_event = 3;         /* media removal */
        d->tray_open = true;
        return true;
    }
    if (d->tray_open) {
        d->tray_open = false;
        if (d->image) {
            d->unit_attention = true;
            d->media_event = 2;         /* new media */
        }
    }
    return true;
}

static bool read_capacity(Atapi *d)
{
    if (!need_medium(d))
        return false;
    uint8_t *r = clear_reply(d);
    put32(r, atapi_capacity(d) - 1);
    put32(r + 4, ATAPI_SECTOR_SIZE);
    return reply(d, 8, 8);
}

static bool read_sectors(Atapi *d, uint32_t lba, uint32_t count)
{
    if (!need_medium(d))
        return false;
    uint32_t cap = atapi_capacity(d);
    if (lba > cap || count > cap - lba)
        return fail(d, SENSE_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0);
    if ((uint64_t)count * ATAPI_SECTOR_SIZE > 0xFFFFFFFFu)
        return invalid_field(d);
    d->from_medium = count != 0;
    d->lba = lba;
    d->left = count * ATAPI_SECTOR_SIZE;
    return true;
}

static bool seek(Atapi *d)
{
    if (!need_medium(d))
        return false;
    if (get32(d->cdb + 2) >= atapi_capacity(d))
        return fail(d, SENSE_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0);
    return true;
}

/* An address as LBA, or as 00 M S F with the 150-sector (2 s) pregap. */
static void put_address(uint8_t *p, uint32_t lba, bool msf)
{
    if (!msf) {
        put32(p, lba);
        return;
    }
    uint32_t f = lba + 150;
    p[0] = 0;
    p[1] = (uint8_t)(f / (75 * 60));
    p[2] = (uint8_t)(f / 75 % 60);
    p[3] = (uint8_t)(f % 75);
}

static void put_track(uint8_t *p, uint8_t track, uint32_t lba, bool msf)
{
    p[1] = 0x14;                        /* ADR 1 (position), control 4 (data track) */
    p[2] = track;
    put_address(p + 4, lba, msf);
}

static bool read_toc(Atapi *d)
{
    if (!need_medium(d))
        return false;
    bool msf = d->cdb[1] & 0x02;
    uint8_t format = d->cdb[2] & 0x0F, start = d->cdb[6];
    if (format == 0 && d->cdb[9] & 0xC0)
        format = d->cdb[9] >> 6;        /* the older SFF-8020 place for the format */
    uint8_t *r = clear_reply(d);
    uint32_t len;
    if (format == 0) {
        if (start > 1 && start != 0xAA)
            return invalid_field(d);
        len = 4;
        if (start <= 1) {
            put_track(r + len, 1, 0, msf);
            len += 8;
        }
        put_track(r + len, 0xAA, atapi_capacity(d), msf);
        len += 8;
    } else if (format == 1) {
        len = 12;                       /* one session, starting with track 1 */
        put_track(r + 4, 1, 0, msf);
    } else {
        return invalid_field(d);
    }
    put16(r, len - 2);
    r[2] = 1;                           /* first track or session */
    r[3] = 1;                           /* last track or session */
    return reply(d, len, get16(d->cdb + 7));
}

/* MODE SENSE pages: 01h read error recovery, 2Ah capabilities (MMC-2 5.5.10). */
static uint32_t mode_page(Atapi *d, uint8_t page, uint8_t *p, bool changeable)
{
    if (page == 0x01) {
        static const uint8_t recovery[8] = { 0x01, 0x06, 0x00, 0x05 };
        memcpy(p, recovery, sizeof(recovery));
        if (changeable)
            p[3] = 0;                   /* nothing can be changed */
        return sizeof(recovery);
    }
    memset(p, 0, 22);
    if (changeable) {
        p[0] = 0x2A;
        p[1] = 0x14;
        return 22;
    }
    p[0] = 0x2A;
    p[1] = 0x14;
    p[4] = 0x70;                        /* mode 2 form 1 and 2, multi-session */
    p[6] = 0x29 | (d->locked ? 0x02 : 0);   /* tray, eject, lock (and its state) */
    put16(p + 8, 706);                  /* maximum read speed, kB/s (4x) */
    put16(p + 12, 64);                  /* buffer size, KiB */
    put16(p + 14, 706);
    return 22;
}

static bool mode_sense(Atapi *d, bool ten)
{
    uint8_t pc = d->cdb[2] >> 6, page = d->cdb[2] & 0x3F;
    if (pc == 3)
        return fail(d, SENSE_ILLEGAL_REQUEST, ASC_SAVING_UNSUPPORTED, 0);
    if (page != 0x01 && page != 0x2A && page != 0x3F)
        return invalid_field(d);
    uint8_t *r = clear_reply(d);
    uint32_t header = ten ? 8 : 4, len = header;
    if (page == 0x01 || page == 0x3F)
        len += mode_page(d, 0x01, r + len, pc == 1);
    if (page == 0x2A || page == 0x3F)
        len += mode_page(d, 0x2A, r + len, pc == 1);
    /* Medium type: 01h 120 mm CD-ROM, 70h closed and empty, 71h open. */
    uint8_t medium = atapi_medium_ready(d) ? 0x01 : d->tray_open ? 0x71 : 0x70;
    if (ten) {
        put16(r, len - 2);
        r[2] = medium;
        return reply(d, len, get16(d->cdb + 7));
    }
    r[0] = (uint8_t)(len - 1);
    r[1] = medium;
    return reply(d, len, d->cdb[4]);
}

/* GET CONFIGURATION (MMC-3 5.2): Profile List, Core, Removable Medium. */
static bool get_configuration(Atapi *d)
{
    uint8_t rt = d->cdb[1] & 0x03;
    uint32_t first = get16(d->cdb + 2);
    if (rt == 3)
        return invalid_field(d);
    bool ready = atapi_medium_ready(d);
    static const uint8_t features[3][12] = {
        { 0x00, 0x00, 0x03, 0x04, 0x00, 0x08, 0x00, 0x00 },                 /* profile 0008h */
        { 0x00, 0x01, 0x0B, 0x08, 0x00, 0x00, 0x00, 0x02, 0x01 },           /* ATAPI, DBE */
        { 0x00, 0x03, 0x03, 0x04, 0x29 },                                   /* tray, eject, lock */
    };
    static const uint8_t sizes[3] = { 8, 12, 8 };
    uint8_t *r = clear_reply(d);
    uint32_t len = 8;
    for (int i = 0; i < 3; i++) {
        uint32_t number = get16(features[i]);
        if (rt == 2 ? number != first : number < first)
            continue;
        memcpy(r + len, features[i], sizes[i]);
        if (i == 0)
            r[len + 6] = ready;         /* the CD-ROM profile is current with a disc */
        len += sizes[i];
    }
    put32(r, len - 4);
    put16(r + 6, ready ? 0x0008 : 0x0000);
    return reply(d, len, get16(d->cdb + 7));
}

/* GET EVENT STATUS NOTIFICATION (MMC-3 5.6), polled, media class only. */
static bool event_status(Atapi *d)
{
    if (!(d->cdb[1] & 0x01))
        return invalid_field(d);        /* asynchronous operation: not supported */
    uint8_t *r = clear_reply(d);
    r[3] = 0x10;                        /* supported classes: media */
    if (!(d->cdb[4] & 0x10)) {
        put16(r, 2);
        r[2] = 0x80;                    /* no event available */
        return reply(d, 4, get16(d->cdb + 7));
    }
    put16(r, 6);
    r[2] = 0x04;                        /* media class */
    r[4] = d->media_event;
    r[5] = (uint8_t)((d->tray_open ? 0x01 : 0) | (atapi_medium_ready(d) ? 0x02 : 0));
    d->media_event = 0;
    return reply(d, 8, get16(d->cdb + 7));
}

static bool read_disc_info(Atapi *d)
{
    if (!need_medium(d))
        return false;
    if (d->cdb[1] & 0x07)
        return invalid_field(d);
    uint8_t *r = clear_reply(d);
    put16(r, 32);
    r[2] = 0x0E;                        /* complete disc, complete last session */
    r[3] = 1;                           /* first track */
    r[4] = 1;                           /* sessions */
    r[5] = 1;                           /* first and last track of the last session */
    r[6] = 1;
    r[7] = 0x20;                        /* unrestricted use */
    put32(r + 16, 0xFFFFFFFFu);         /* no next session */
    put32(r + 20, 0xFFFFFFFFu);
    return reply(d, 34, get16(d->cdb + 7));
}

static bool reports_unit_attention(uint8_t op)
{
    return op != OP_INQUIRY && op != OP_REQUEST_SENSE && op != OP_GET_CONFIGURATION &&
           op != OP_GESN;
}

bool atapi_mmc_execute(Atapi *d)
{
    uint8_t op = d->cdb[0];
    d->from_medium = false;
    d->reply_len = d->left = 0;
    if (op == OP_REQUEST_SENSE && d->unit_attention) {
        d->unit_attention = false;
        atapi_set_sense(d, SENSE_UNIT_ATTENTION, ASC_MEDIUM_CHANGED, 0);
    }
    if (op != OP_REQUEST_SENSE)
        atapi_set_sense(d, SENSE_NONE, 0, 0);
    if (d->unit_attention && reports_unit_attention(op)) {
        d->unit_attention = false;
        return fail(d, SENSE_UNIT_ATTENTION, ASC_MEDIUM_CHANGED, 0);
    }
    switch (op) {
    case OP_TEST_UNIT_READY: return need_medium(d);
    case OP_REQUEST_SENSE: return request_sense(d);
    case OP_INQUIRY: return inquiry(d);
    case OP_START_STOP: return start_stop(d);
    case OP_PREVENT_ALLOW:
        d->locked = d->cdb[4] & 0x01;
        return true;
    case OP_READ_CAPACITY: return read_capacity(d);
    case OP_READ10: return read_sectors(d, get32(d->cdb + 2), get16(d->cdb + 7));
    case OP_READ12: return read_sectors(d, get32(d->cdb + 2), get32(d->cdb + 6));
    case OP_SEEK10: return seek(d);
    case OP_READ_TOC: return read_toc(d);
    case OP_MODE_SENSE6: return mode_sense(d, false);
    case OP_MODE_SENSE10: return mode_sense(d, true);
    case OP_GET_CONFIGURATION: return get_configuration(d);
    case OP_GESN: return event_status(d);
    case OP_READ_DISC_INFO: return read_disc_info(d);
    default: return fail(d, SENSE_ILLEGAL_REQUEST, ASC_INVALID_OPCODE, 0);
    }
}
