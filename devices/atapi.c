/* SPDX-License-Identifier: MIT */
/*
 * The ATAPI drive's side of the ATA protocol (see atapi.h): the ATA
 * commands a packet device accepts, IDENTIFY PACKET DEVICE, and the PACKET
 * command's phases (ATA/ATAPI-6 9.8):
 *
 *   A0h written     -> DRQ, interrupt reason CoD=1 IO=0, no interrupt
 *   12 bytes of CDB -> the command runs (atapi_mmc.c), then for each DRQ
 *                      block: byte count in the cylinder registers,
 *                      CoD=0 IO=1, DRQ, INTRQ
 *   last byte read  -> status: CoD=1 IO=1, DRQ clear, ERR on CHECK
 *                      CONDITION (sense key in error bits 7-4), INTRQ
 *
 * A DRQ block is at most the byte count limit the host wrote before A0h
 * (rounded down to even unless it is the last).  Disc data is loaded one
 * 2048-byte sector at a time as the host reads it.
 */
#include "atapi.h"

#include <stdio.h>
#include <string.h>

#define STATUS_READY (ATA_SR_DRDY | ATA_SR_DSC)

enum { LOG_UNKNOWN_ATA = 1, LOG_DATA_IDLE = 2, LOG_HOST_IO = 4, LOG_DMA = 8 };

static void log_once(Atapi *d, uint32_t kind, const char *message)
{
    if (d->logged & kind)
        return;
    d->logged |= kind;
    if (d->log)
        d->log(d->log_opaque, message);
}

void atapi_set_sense(Atapi *d, uint8_t key, uint8_t asc, uint8_t ascq)
{
    d->sense_key = key;
    d->asc = asc;
    d->ascq = ascq;
}

static void stop(Atapi *d)
{
    d->phase = ATAPI_IDLE;
    d->left = d->chunk_left = 0;
    d->pos = d->reply_len = 0;
    d->from_medium = false;
}

void atapi_reset(Atapi *d)
{
    stop(d);
    d->locked = false;
    d->cdb_len = 0;
    d->byte_limit = 0;
    atapi_set_sense(d, SENSE_NONE, 0, 0);
}

void atapi_init(Atapi *d, BlockDev *image)
{
    memset(d, 0, sizeof(*d));
    atapi_change_medium(d, image);
    if (!image)
        d->media_event = 0;
    atapi_reset(d);
}

void atapi_change_medium(Atapi *d, BlockDev *image)
{
    d->image = image;
    d->tray_open = false;
    d->unit_attention = image != NULL;
    d->media_event = image ? 2 : 3;     /* GESN: new media / media removal */
}

bool atapi_medium_ready(const Atapi *d)
{
    return d->image && !d->tray_open && d->image->sectors >= 4;
}

uint32_t atapi_capacity(const Atapi *d)
{
    if (!atapi_medium_ready(d))
        return 0;
    uint64_t n = d->image->sectors / 4;
    return n > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)n;
}

static void set_reason(Ata *ata, uint8_t reason)
{
    ata->nsector = (uint8_t)((ata->nsector & 0xF8) | reason);
}

/* Status phase of a packet command. */
static void finish(Atapi *d, Ata *ata, int dev, bool good)
{
    stop(d);
    set_reason(ata, ATAPI_IR_COD | ATAPI_IR_IO);
    ata->status[dev] = STATUS_READY | (good ? 0 : ATA_SR_ERR);
    ata->error[dev] = good ? 0 : (uint8_t)(d->sense_key << 4 |
                                           (d->sense_key == SENSE_ILLEGAL_REQUEST ? ATA_ER_ABRT : 0));
    ata_raise_irq(ata);
}

static void abort_command(Atapi *d, Ata *ata, int dev)
{
    stop(d);
    ata->status[dev] = STATUS_READY | ATA_SR_ERR;
    ata->error[dev] = ATA_ER_ABRT;
    ata_raise_irq(ata);
}

/* Offers the next DRQ block, or ends the command when nothing is left. */
static void next_block(Atapi *d, Ata *ata, int dev)
{
    if (d->left == 0) {
        if (d->phase == ATAPI_IDENTIFY_IN) {
            stop(d);                    /* ATA PIO data-in ends without an interrupt */
            ata->status[dev] = STATUS_READY;
        } else {
            finish(d, ata, dev, true);
        }
        return;
    }
    uint32_t limit = d->byte_limit ? d->byte_limit : 0xFFFE;
    uint32_t n = d->left;
    if (n > limit)
        n = (limit & ~1u) ? (limit & ~1u) : 2;
    if (n > d->left)
        n = d->left;
    d->chunk_left = n;
    d->left -= n;
    ata->lba_mid = (uint8_t)n;
    ata->lba_high = (uint8_t)(n >> 8);
    set_reason(ata, ATAPI_IR_IO);
    ata->status[dev] = STATUS_READY | ATA_SR_DRQ;
    ata_raise_irq(ata);
}

static bool load_sector(Atapi *d)
{
    if (!atapi_medium_ready(d) || (uint64_t)d->lba >= atapi_capacity(d)) {
        atapi_set_sense(d, SENSE_NOT_READY, 0x3A, d->tray_open ? 0x02 : 0x00);
        return false;
    }
    if (!blockdev_read(d->image, (uint64_t)d->lba * 4, d->sector, 4)) {
        log_once(d, LOG_HOST_IO, "atapi: host read failed; reporting a medium error");
        atapi_set_sense(d, SENSE_MEDIUM_ERROR, 0x11, 0x00);   /* unrecovered read error */
        return false;
    }
    d->lba++;
    d->pos = 0;
    return true;
}

static bool fetch(Atapi *d, uint8_t *b)
{
    if (!d->from_medium) {
        *b = d->pos < d->reply_len ? d->reply[d->pos] : 0;
        d->pos++;
        return true;
    }
    if (d->pos >= ATAPI_SECTOR_SIZE && !load_sector(d))
        return false;
    *b = d->sector[d->pos++];
    return true;
}

uint32_t atapi_data_read(Atapi *d, Ata *ata, int dev, unsigned size)
{
    bool data = d->phase == ATAPI_DATA_IN || d->phase == ATAPI_IDENTIFY_IN;
    if (!data || !(ata->status[dev] & ATA_SR_DRQ) || d->chunk_left == 0) {
        log_once(d, LOG_DATA_IDLE, "atapi: data port read without DRQ");
        return 0xFFFFFFFFu;
    }
    /* A byte access still moves a word: the drive only does 16-bit cycles. */
    unsigned bytes = size == 4 ? 4 : 2;
    uint32_t v = 0;
    for (unsigned i = 0; i < bytes && d->chunk_left > 0; i++) {
        uint8_t b;
        if (!fetch(d, &b)) {
            finish(d, ata, dev, false);
            return v;
        }
        v |= (uint32_t)b << (8 * i);
        d->chunk_left--;
    }
    if (d->chunk_left == 0)
        next_block(d, ata, dev);
    return v;
}

static void run_packet(Atapi *d, Ata *ata, int dev)
{
    if (!atapi_mmc_execute(d)) {
        finish(d, ata, dev, false);
        return;
    }
    d->phase = ATAPI_DATA_IN;
    d->pos = d->from_medium ? ATAPI_SECTOR_SIZE : 0;
    next_block(d, ata, dev);
}

void atapi_data_write(Atapi *d, Ata *ata, int dev, uint32_t value, unsigned size)
{
    if (d->phase != ATAPI_CDB || !(ata->status[dev] & ATA_SR_DRQ)) {
        log_once(d, LOG_DATA_IDLE, "atapi: data port write without DRQ");
        return;
    }
    unsigned bytes = size == 4 ? 4 : 2;
    for (unsigned i = 0; i < bytes && d->cdb_len < sizeof(d->cdb); i++)
        d->cdb[d->cdb_len++] = (uint8_t)(value >> (8 * i));
    if (d->cdb_len == sizeof(d->cdb))
        run_packet(d, ata, dev);
}

static void cmd_packet(Atapi *d, Ata *ata, int dev)
{
    if (ata->feature & 0x01) {
        /* IDENTIFY says no DMA; a host that asks anyway is refused. */
        log_once(d, LOG_DMA, "atapi: PACKET with DMA requested; aborted (PIO only)");
        abort_command(d, ata, dev);
        return;
    }
    d->byte_limit = (uint16_t)(ata->lba_mid | ata->lba_high << 8);
    d->cdb_len = 0;
    memset(d->cdb, 0, sizeof(d->cdb));
    d->phase = ATAPI_CDB;
    set_reason(ata, ATAPI_IR_COD);
    ata->status[dev] = STATUS_READY | ATA_SR_DRQ;
}

static void put_word(uint8_t *out, int word, uint16_t v)
{
    out[word * 2] = (uint8_t)v;
    out[word * 2 + 1] = (uint8_t)(v >> 8);
}

/* ATA string order: the first character of each pair in the high byte. */
static void put_string(uint8_t *out, int word, int words, const char *s)
{
    size_t len = strlen(s);
    for (int i = 0; i < words * 2; i++)
        out[word * 2 + (i ^ 1)] = (uint8_t)((size_t)i < len ? s[i] : ' ');
}

/* IDENTIFY PACKET DEVICE, ATA/ATAPI-6 table 32. */
static void build_identify(uint8_t *out, int dev)
{
    char serial[21];
    memset(out, 0, 512);
    /* ATAPI, CD-ROM (05h), removable, 50 us DRQ after A0h, 12-byte packets. */
    put_word(out, 0, 0x8000 | 0x05 << 8 | 0x80 | 0x40);
    snprintf(serial, sizeof(serial), "FLCD%08d", 1 + dev);
    put_string(out, 10, 10, serial);
    put_string(out, 23, 4, "0.1");
    put_string(out, 27, 20, "Faultline ATAPI CD-ROM");
    put_word(out, 49, 0x0200);          /* LBA; no DMA */
    put_word(out, 53, 0x0002);          /* words 64-70 valid */
    put_word(out, 64, 0x0003);          /* PIO modes 3 and 4 */
    put_word(out, 65, 120);
    put_word(out, 66, 120);
    put_word(out, 67, 120);
    put_word(out, 68, 120);
    put_word(out, 80, 0x0070);          /* ATA/ATAPI-4 to -6 */
    put_word(out, 82, 0x4218);          /* NOP, DEVICE RESET, PACKET, power management */
    put_word(out, 83, 0x4000);
    put_word(out, 84, 0x4000);
    put_word(out, 85, 0x4218);
    put_word(out, 87, 0x4000);
}

static void cmd_identify_packet(Atapi *d, Ata *ata, int dev)
{
    build_identify(d->reply, dev);
    d->reply_len = 512;
    d->from_medium = false;
    d->pos = 0;
    d->phase = ATAPI_IDENTIFY_IN;
    d->chunk_left = 512;
    d->left = 0;
    ata->status[dev] = STATUS_READY | ATA_SR_DRQ;
    ata_raise_irq(ata);
}

/* Commands for ATA devices are aborted with the packet signature in the
 * registers, which is how a host tells the two kinds apart (ATA-6 8.15). */
static void abort_with_signature(Atapi *d, Ata *ata, int dev)
{
    ata->nsector = 1;
    ata->lba_low = 1;
    ata->lba_mid = 0x14;
    ata->lba_high = 0xEB;
    abort_command(d, ata, dev);
}

static void cmd_set_features(Atapi *d, Ata *ata, int dev)
{
    bool ok = ata->feature == 0x03
                  ? ata->nsector <= 0x01 || (ata->nsector >= 0x08 && ata->nsector <= 0x0C)
                  : ata->feature == 0x02 || ata->feature == 0x82 || ata->feature == 0x66 ||
                    ata->feature == 0xCC || ata->feature == 0x55 || ata->feature == 0xAA;
    if (!ok) {
        abort_command(d, ata, dev);
        return;
    }
    ata->status[dev] = STATUS_READY;
    ata_raise_irq(ata);
}

void atapi_command(Atapi *d, Ata *ata, int dev, uint8_t cmd)
{
    stop(d);
    switch (cmd) {
    case 0xA0: cmd_packet(d, ata, dev); break;
    case 0xA1: cmd_identify_packet(d, ata, dev); break;
    case 0xEC: case 0x20: case 0x21: abort_with_signature(d, ata, dev); break;
    case 0x08:                          /* DEVICE RESET: no interrupt (ATA-6 9.11) */
        atapi_reset(d);
        ata->nsector = 1;
        ata->lba_low = 1;
        ata->lba_mid = 0x14;
        ata->lba_high = 0xEB;
        ata->status[dev] = 0;
        ata->error[dev] = 0x01;
        break;
    case 0xEF: cmd_set_features(d, ata, dev); break;
    case 0xE5: case 0x98:               /* CHECK POWER MODE: active */
        ata->nsector = 0xFF;
        ata->status[dev] = STATUS_READY;
        ata_raise_irq(ata);
        break;
    case 0xE0: case 0xE1: case 0xE2: case 0xE3: case 0xE6:
    case 0x94: case 0x95: case 0x96: case 0x97: case 0x99:
        ata->status[dev] = STATUS_READY;
        ata_raise_irq(ata);
        break;
    default:
        if (cmd != 0x00)
            log_once(d, LOG_UNKNOWN_ATA, "atapi: ATA command not for a packet device; aborted");
        abort_command(d, ata, dev);
        break;
    }
}

static const StateField atapi_fields[] = {
    STATE_BOOL(Atapi, tray_open), STATE_BOOL(Atapi, locked), STATE_BOOL(Atapi, unit_attention),
    STATE_U8(Atapi, media_event), STATE_U8(Atapi, sense_key), STATE_U8(Atapi, asc),
    STATE_U8(Atapi, ascq), STATE_U8(Atapi, phase), STATE_U8_ARRAY(Atapi, cdb, 12),
    STATE_U8(Atapi, cdb_len), STATE_U16(Atapi, byte_limit), STATE_U32(Atapi, left),
    STATE_U32(Atapi, chunk_left), STATE_BOOL(Atapi, from_medium), STATE_U32(Atapi, lba),
    STATE_U32(Atapi, pos), STATE_U32(Atapi, reply_len),
    STATE_U8_ARRAY(Atapi, reply, ATAPI_REPLY_MAX),
    STATE_U8_ARRAY(Atapi, sector, ATAPI_SECTOR_SIZE),
};
const StateDesc atapi_state = STATE_DESC("atapi", 1, atapi_fields);
