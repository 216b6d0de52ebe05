/* SPDX-License-Identifier: MIT */
/*
 * The ATA channel (see ata.h).  Every command runs to its next protocol
 * state inside the port write that issues it: a data-in command loads its
 * first DRQ block and interrupts, a data-out command raises DRQ and waits for
 * the host, a non-data command completes and interrupts.  A block boundary
 * reached by a data-port access advances the transfer the same way, so the
 * channel never waits on anything and any snapshot taken between two port
 * accesses resumes exactly.  The IDENTIFY block is built in ata_identify.c;
 * a packet device gets its commands and data-port accesses passed to atapi.c.
 */
#include "ata.h"

#include <string.h>

#include "ata_identify.h"
#include "atapi.h"

enum {
    REG_DATA = 0, REG_ERROR_FEATURE = 1, REG_NSECTOR = 2, REG_LBA_LOW = 3,
    REG_LBA_MID = 4, REG_LBA_HIGH = 5, REG_SELECT = 6, REG_STATUS_COMMAND = 7,
};

enum { LOG_UNKNOWN_CMD = 1, LOG_DATA_IDLE = 2, LOG_HOST_IO = 4 };

#define STATUS_READY (ATA_SR_DRDY | ATA_SR_DSC)

static void log_once(Ata *ata, uint32_t kind, const char *message)
{
    if (ata->logged & kind)
        return;
    ata->logged |= kind;
    if (ata->log)
        ata->log(ata->log_opaque, message);
}

static int selected(const Ata *ata)
{
    return (ata->select & ATA_DH_DEV) ? 1 : 0;
}

static bool present(const Ata *ata, int dev)
{
    return ata->disk[dev] || ata->atapi[dev];
}

static void update_irq(Ata *ata)
{
    irq_set_level(ata->irq, ata->intrq && !(ata->devctl & ATA_DC_NIEN));
}

static void raise_irq(Ata *ata)
{
    ata->intrq = true;
    update_irq(ata);
}

void ata_raise_irq(Ata *ata)
{
    raise_irq(ata);
}

void ata_default_geometry(uint64_t sectors, uint16_t *cyls, uint16_t *heads, uint16_t *spt)
{
    uint64_t c = sectors / (16 * 63);
    *heads = 16;
    *spt = 63;
    *cyls = (uint16_t)(c > 16383 ? 16383 : c == 0 ? 1 : c);
}

static void default_translation(Ata *ata, int dev)
{
    uint64_t sectors = ata->disk[dev] ? ata->disk[dev]->sectors : 0;
    ata_default_geometry(sectors, &ata->cur_cyls[dev], &ata->cur_heads[dev], &ata->cur_spt[dev]);
}

/* The reset signature of device dev, ATA-6 9.12: 00h/00h in the cylinder
 * registers for an ATA device, 14h/EBh for a packet device. */
static void load_signature(Ata *ata, int dev)
{
    bool packet = ata->atapi[dev] != NULL;
    ata->nsector = 1;
    ata->lba_low = 1;
    ata->lba_mid = packet ? 0x14 : 0;
    ata->lba_high = packet ? 0xEB : 0;
}

/* Each device keeps its own task file on real hardware; ours are shared, so
 * until the host writes a register the signature follows DEV (sig_latched). */
static void set_signature(Ata *ata)
{
    ata->select = 0;
    load_signature(ata, present(ata, 0) ? 0 : 1);
    ata->hob_nsector = ata->hob_lba_low = ata->hob_lba_mid = ata->hob_lba_high = 0;
    ata->sig_latched = true;
    for (int d = 0; d < 2; d++) {
        ata->status[d] = present(ata, d) ? STATUS_READY : 0;
        ata->error[d] = present(ata, d) ? 0x01 : 0;
    }
}

static void stop_transfer(Ata *ata)
{
    ata->xfer = ATA_XFER_NONE;
    ata->buf_pos = ata->buf_len = 0;
}

void ata_reset(Ata *ata)
{
    ata->feature = ata->hob_feature = 0;
    ata->devctl = 0;
    ata->intrq = false;
    stop_transfer(ata);
    for (int d = 0; d < 2; d++)
        if (ata->atapi[d])
            atapi_reset(ata->atapi[d]);
    set_signature(ata);
    for (int d = 0; d < 2; d++) {
        ata->mult_sectors[d] = 0;
        ata->power_mode[d] = 0xFF;
        default_translation(ata, d);
    }
    update_irq(ata);
}

void ata_init(Ata *ata, IrqLine irq, BlockDev *master, BlockDev *slave)
{
    memset(ata, 0, sizeof(*ata));
    ata->irq = irq;
    ata->disk[0] = master;
    ata->disk[1] = slave;
    ata_reset(ata);
}

void ata_attach_atapi(Ata *ata, int dev, struct Atapi *atapi)
{
    ata->atapi[dev] = atapi;
    if (atapi)
        ata->disk[dev] = NULL;
    ata_reset(ata);
}

static void complete(Ata *ata, int dev)
{
    stop_transfer(ata);
    ata->status[dev] = STATUS_READY;
    raise_irq(ata);
}

static void fail(Ata *ata, int dev, uint8_t status_extra, uint8_t error)
{
    stop_transfer(ata);
    ata->status[dev] = STATUS_READY | ATA_SR_ERR | status_extra;
    ata->error[dev] = error;
    raise_irq(ata);
}

static uint32_t sector_count(const Ata *ata, bool lba48)
{
    if (lba48) {
        uint32_t n = ata->nsector | (uint32_t)ata->hob_nsector << 8;
        return n ? n : 65536;
    }
    return ata->nsector ? ata->nsector : 256;
}

/* Sectors reachable with this addressing: LBA28 stops at 2^28 - 1. */
static uint64_t address_limit(const Ata *ata, int dev, bool lba48)
{
    uint64_t n = ata->disk[dev]->sectors;
    return (!lba48 && n > 0x0FFFFFFF) ? 0x0FFFFFFF : n;
}

/* Task file -> LBA, by LBA48, LBA28 or the current CHS translation. */
static bool decode_address(const Ata *ata, int dev, bool lba48, uint64_t *lba)
{
    if (lba48) {
        *lba = ata->lba_low | (uint64_t)ata->lba_mid << 8 | (uint64_t)ata->lba_high << 16 |
               (uint64_t)ata->hob_lba_low << 24 | (uint64_t)ata->hob_lba_mid << 32 |
               (uint64_t)ata->hob_lba_high << 40;
        return true;
    }
    if (ata->select & ATA_DH_LBA) {
        *lba = ata->lba_low | (uint64_t)ata->lba_mid << 8 | (uint64_t)ata->lba_high << 16 |
               (uint64_t)(ata->select & 0x0F) << 24;
        return true;
    }
    uint32_t cyl = ata->lba_mid | (uint32_t)ata->lba_high << 8;
    uint32_t head = ata->select & 0x0F, sec = ata->lba_low;
    uint32_t heads = ata->cur_heads[dev], spt = ata->cur_spt[dev];
    if (spt == 0 || sec == 0 || sec > spt || head >= heads || cyl >= ata->cur_cyls[dev])
        return false;
    *lba = ((uint64_t)cyl * heads + head) * spt + sec - 1;
    return true;
}

/* LBA -> task file in the addressing the command used (last sector moved, or the failing one). */
static void encode_address(Ata *ata, int dev, bool lba48, uint64_t lba)
{
    if (lba48 || (ata->select & ATA_DH_LBA)) {
        ata->lba_low = (uint8_t)lba;
        ata->lba_mid = (uint8_t)(lba >> 8);
        ata->lba_high = (uint8_t)(lba >> 16);
        if (lba48) {
            ata->hob_lba_low = (uint8_t)(lba >> 24);
            ata->hob_lba_mid = (uint8_t)(lba >> 32);
            ata->hob_lba_high = (uint8_t)(lba >> 40);
        } else {
            ata->select = (uint8_t)((ata->select & 0xF0) | ((lba >> 24) & 0x0F));
        }
        return;
    }
    uint32_t spt = ata->cur_spt[dev], heads = ata->cur_heads[dev];
    if (spt == 0 || heads == 0)
        return;
    uint64_t cyl = lba / ((uint64_t)heads * spt), rest = lba % ((uint64_t)heads * spt);
    ata->lba_mid = (uint8_t)cyl;
    ata->lba_high = (uint8_t)(cyl >> 8);
    ata->select = (uint8_t)((ata->select & 0xF0) | (rest / spt));
    ata->lba_low = (uint8_t)(rest % spt + 1);
}

/* Checks sectors [lba, lba + n); on failure reports IDNF at the first bad sector. */
static bool check_range(Ata *ata, int dev, uint64_t lba, uint32_t n)
{
    uint64_t limit = address_limit(ata, dev, ata->xfer_lba48);
    if (lba < limit && lba + n <= limit)
        return true;
    encode_address(ata, dev, ata->xfer_lba48, lba < limit ? limit : lba);
    fail(ata, dev, 0, ATA_ER_IDNF);
    return false;
}

static uint32_t block_sectors(const Ata *ata)
{
    return ata->xfer_left < ata->xfer_block ? ata->xfer_left : ata->xfer_block;
}

/* Data-in: fetch the next block from the disk and offer it with DRQ + IRQ. */
static void load_block(Ata *ata, int dev)
{
    uint32_t n = block_sectors(ata);
    if (!check_range(ata, dev, ata->xfer_lba, n))
        return;
    if (!blockdev_read(ata->disk[dev], ata->xfer_lba, ata->buf, n)) {
        log_once(ata, LOG_HOST_IO, "ata: host read failed; reporting an uncorrectable error");
        encode_address(ata, dev, ata->xfer_lba48, ata->xfer_lba);
        fail(ata, dev, 0, ATA_ER_UNC);
        return;
    }
    encode_address(ata, dev, ata->xfer_lba48, ata->xfer_lba + n - 1);
    ata->buf_pos = 0;
    ata->buf_len = n * BLOCK_SECTOR_SIZE;
    ata->status[dev] = STATUS_READY | ATA_SR_DRQ;
    raise_irq(ata);
}

/* Data-out: ask the host for the next block (the first one without an IRQ). */
static void request_block(Ata *ata, int dev, bool first)
{
    uint32_t n = block_sectors(ata);
    if (!check_range(ata, dev, ata->xfer_lba, n))
        return;
    ata->buf_pos = 0;
    ata->buf_len = n * BLOCK_SECTOR_SIZE;
    ata->status[dev] = STATUS_READY | ATA_SR_DRQ;
    if (!first)
        raise_irq(ata);
}

static void block_done(Ata *ata, int dev)
{
    uint32_t n = ata->buf_len / BLOCK_SECTOR_SIZE;
    if (ata->xfer == ATA_XFER_OUT) {
        if (!blockdev_write(ata->disk[dev], ata->xfer_lba, ata->buf, n)) {
            log_once(ata, LOG_HOST_IO, "ata: host write failed; reporting a device fault");
            encode_address(ata, dev, ata->xfer_lba48, ata->xfer_lba);
            fail(ata, dev, ATA_SR_DF, ATA_ER_ABRT);
            return;
        }
        encode_address(ata, dev, ata->xfer_lba48, ata->xfer_lba + n - 1);
    }
    ata->xfer_lba += n;
    ata->xfer_left -= n;
    if (ata->xfer_left == 0) {
        /* Data-in ends silently after the last block; data-out interrupts. */
        bool out = ata->xfer == ATA_XFER_OUT;
        stop_transfer(ata);
        ata->status[dev] = STATUS_READY;
        if (out)
            raise_irq(ata);
    } else if (ata->xfer == ATA_XFER_IN) {
        load_block(ata, dev);
    } else {
        request_block(ata, dev, false);
    }
}

static void start_rw(Ata *ata, int dev, uint8_t cmd, bool lba48, bool multiple, bool write)
{
    uint64_t lba;
    if (multiple && ata->mult_sectors[dev] == 0) {
        fail(ata, dev, 0, ATA_ER_ABRT);
        return;
    }
    if (write && ata->disk[dev]->read_only) {
        fail(ata, dev, 0, ATA_ER_ABRT);
        return;
    }
    ata->xfer_lba48 = lba48;
    if (!decode_address(ata, dev, lba48, &lba)) {
        fail(ata, dev, 0, ATA_ER_IDNF);
        return;
    }
    ata->power_mode[dev] = 0xFF;
    ata->xfer_cmd = cmd;
    ata->xfer_lba = lba;
    ata->xfer_left = sector_count(ata, lba48);
    ata->xfer_block = multiple ? ata->mult_sectors[dev] : 1;
    ata->xfer = write ? ATA_XFER_OUT : ATA_XFER_IN;
    if (write)
        request_block(ata, dev, true);
    else
        load_block(ata, dev);
}

static void cmd_verify(Ata *ata, int dev, bool lba48)
{
    uint64_t lba;
    ata->xfer_lba48 = lba48;
    if (!decode_address(ata, dev, lba48, &lba)) {
        fail(ata, dev, 0, ATA_ER_IDNF);
        return;
    }
    uint32_t n = sector_count(ata, lba48);
    if (!check_range(ata, dev, lba, n))
        return;
    encode_address(ata, dev, lba48, lba + n - 1);
    complete(ata, dev);
}

static void cmd_seek(Ata *ata, int dev)
{
    uint64_t lba;
    ata->xfer_lba48 = false;
    if (!decode_address(ata, dev, false, &lba) || lba >= address_limit(ata, dev, false)) {
        fail(ata, dev, 0, ATA_ER_IDNF);
        return;
    }
    complete(ata, dev);
}

static void cmd_identify(Ata *ata, int dev)
{
    AtaIdentityInput in = {
        .sectors = ata->disk[dev]->sectors, .dev = dev,
        .cur_cyls = ata->cur_cyls[dev], .cur_heads = ata->cur_heads[dev],
        .cur_spt = ata->cur_spt[dev], .mult_sectors = ata->mult_sectors[dev],
    };
    ata_identify_build(&in, ata->buf);
    ata->xfer = ATA_XFER_IN;
    ata->xfer_cmd = 0xEC;
    ata->xfer_left = ata->xfer_block = 1;
    ata->buf_pos = 0;
    ata->buf_len = BLOCK_SECTOR_SIZE;
    ata->status[dev] = STATUS_READY | ATA_SR_DRQ;
    raise_irq(ata);
}

static void cmd_set_multiple(Ata *ata, int dev)
{
    uint8_t n = ata->nsector;
    if (n > ATA_MAX_MULTIPLE || (n & (n - 1))) {
        fail(ata, dev, 0, ATA_ER_ABRT);
        return;
    }
    ata->mult_sectors[dev] = n;
    complete(ata, dev);
}

/* INITIALIZE DEVICE PARAMETERS: heads from the device register, sectors from the count. */
static void cmd_init_params(Ata *ata, int dev)
{
    uint32_t spt = ata->nsector, heads = (ata->select & 0x0F) + 1u;
    ata->cur_spt[dev] = (uint16_t)spt;
    ata->cur_heads[dev] = (uint16_t)heads;
    if (spt == 0) {
        /* An unusable translation: CHS commands fail with IDNF until a good one. */
        ata->cur_cyls[dev] = 0;
        fail(ata, dev, 0, ATA_ER_ABRT);
        return;
    }
    uint64_t cyls = ata->disk[dev]->sectors / (heads * spt);
    ata->cur_cyls[dev] = (uint16_t)(cyls > 65535 ? 65535 : cyls);
    complete(ata, dev);
}

/* SET FEATURES: transfer mode (PIO only, as IDENTIFY advertises) and the harmless toggles. */
static void cmd_set_features(Ata *ata, int dev)
{
    bool ok;
    switch (ata->feature) {
    case 0x03:
        ok = ata->nsector <= 0x01 || (ata->nsector >= 0x08 && ata->nsector <= 0x0C);
        break;
    case 0x02: case 0x82: case 0x55: case 0xAA: case 0x66: case 0xCC:
        ok = true;
        break;
    default:
        ok = false;
        break;
    }
    if (ok)
        complete(ata, dev);
    else
        fail(ata, dev, 0, ATA_ER_ABRT);
}

/* EXECUTE DEVICE DIAGNOSTIC: both devices pass; device 0 reports and interrupts. */
static void cmd_diagnostic(Ata *ata)
{
    stop_transfer(ata);
    for (int d = 0; d < 2; d++)
        if (ata->atapi[d])
            atapi_reset(ata->atapi[d]);
    set_signature(ata);
    raise_irq(ata);
}

static void power_command(Ata *ata, int dev, uint8_t mode)
{
    ata->power_mode[dev] = mode;
    complete(ata, dev);
}

static void execute(Ata *ata, uint8_t cmd)
{
    int dev = selected(ata);
    if (cmd == 0x90) {
        cmd_diagnostic(ata);
        return;
    }
    /* A command to an absent device, or a busy one, is not accepted by anyone. */
    if (!present(ata, dev) || (ata->status[dev] & ATA_SR_BSY))
        return;
    ata->intrq = false;
    update_irq(ata);
    stop_transfer(ata);
    if (ata->atapi[dev]) {
        atapi_command(ata->atapi[dev], ata, dev, cmd);
        return;
    }
    if ((cmd & 0xF0) == 0x10) {         /* RECALIBRATE */
        complete(ata, dev);
        return;
    }
    if ((cmd & 0xF0) == 0x70) {         /* SEEK */
        cmd_seek(ata, dev);
        return;
    }
    switch (cmd) {
    case 0x20: case 0x21: start_rw(ata, dev, cmd, false, false, false); break;
    case 0x24: start_rw(ata, dev, cmd, true, false, false); break;
    case 0x29: start_rw(ata, dev, cmd, true, true, false); break;
    case 0xC4: start_rw(ata, dev, cmd, false, true, false); break;
    case 0x30: case 0x31: start_rw(ata, dev, cmd, false, false, true); break;
    case 0x34: start_rw(ata, dev, cmd, true, false, true); break;
    case 0x39: start_rw(ata, dev, cmd, true, true, true); break;
    case 0xC5: start_rw(ata, dev, cmd, false, true, true); break;
    case 0x40: case 0x41: cmd_verify(ata, dev, false); break;
    case 0x42: cmd_verify(ata, dev, true); break;
    case 0x91: cmd_init_params(ata, dev); break;
    case 0xC6: cmd_set_multiple(ata, dev); break;
    case 0xEC: cmd_identify(ata, dev); break;
    case 0xEF: cmd_set_features(ata, dev); break;
    case 0xE7: case 0xEA: complete(ata, dev); break;
    case 0xE0: case 0x94: case 0xE2: case 0x96: case 0xE6: case 0x99:
        power_command(ata, dev, 0x00);
        break;
    case 0xE1: case 0x95: case 0xE3: case 0x97:
        power_command(ata, dev, 0xFF);
        break;
    case 0xE5: case 0x98:               /* CHECK POWER MODE */
        ata->nsector = ata->power_mode[dev];
        complete(ata, dev);
        break;
    default:
        log_once(ata, LOG_UNKNOWN_CMD, "ata: unsupported command aborted");
        fail(ata, dev, 0, ATA_ER_ABRT);
        break;
    }
}

static uint32_t data_read(Ata *ata, unsigned size)
{
    int dev = selected(ata);
    if (ata->xfer != ATA_XFER_IN || !(ata->status[dev] & ATA_SR_DRQ)) {
        log_once(ata, LOG_DATA_IDLE, "ata: data port read without DRQ");
        return 0xFFFFFFFFu;
    }
    /* A byte access still moves a whole word: the drive only does 16-bit cycles. */
    unsigned bytes = size == 4 ? 4 : 2;
    uint32_t v = 0;
    for (unsigned i = 0; i < bytes && ata->buf_pos < ata->buf_len; i++)
        v |= (uint32_t)ata->buf[ata->buf_pos++] << (8 * i);
    if (ata->buf_pos >= ata->buf_len)
        block_done(ata, dev);
    return v;
}

static void data_write(Ata *ata, uint32_t value, unsigned size)
{
    int dev = selected(ata);
    if (ata->xfer != ATA_XFER_OUT || !(ata->status[dev] & ATA_SR_DRQ)) {
        log_once(ata, LOG_DATA_IDLE, "ata: data port write without DRQ");
        return;
    }
    unsigned bytes = size == 4 ? 4 : 2;
    for (unsigned i = 0; i < bytes && ata->buf_pos < ata->buf_len; i++)
        ata->buf[ata->buf_pos++] = (uint8_t)(value >> (8 * i));
    if (ata->buf_pos >= ata->buf_len)
        block_done(ata, dev);
}

static uint8_t reg_read(Ata *ata, unsigned reg)
{
    int dev = selected(ata);
    bool hob = ata->devctl & ATA_DC_HOB;
    if (!present(ata, 0) && !present(ata, 1))
        return 0xFF;                    /* nobody drives the bus */
    if (!present(ata, dev))
        return 0;                       /* the master answers 0 for a missing slave */
    if (ata->status[dev] & ATA_SR_BSY)
        return ata->status[dev];        /* while busy every register reads as status */
    switch (reg) {
    case REG_ERROR_FEATURE: return ata->error[dev];
    case REG_NSECTOR: return hob ? ata->hob_nsector : ata->nsector;
    case REG_LBA_LOW: return hob ? ata->hob_lba_low : ata->lba_low;
    case REG_LBA_MID: return hob ? ata->hob_lba_mid : ata->lba_mid;
    case REG_LBA_HIGH: return hob ? ata->hob_lba_high : ata->lba_high;
    case REG_SELECT: return ata->select;
    default:
        ata->intrq = false;             /* reading status acknowledges the interrupt */
        update_irq(ata);
        return ata->status[dev];
    }
}

/* Writes to the task file push the old value into the HOB latch and clear HOB. */
static void latch(uint8_t *cur, uint8_t *hob, uint8_t v)
{
    *hob = *cur;
    *cur = v;
}

static void reg_write(Ata *ata, unsigned reg, uint8_t v)
{
    if ((ata->status[0] | ata->status[1]) & ATA_SR_BSY)
        return;                         /* ignored while a device is busy (SRST held) */
    ata->devctl &= (uint8_t)~ATA_DC_HOB;
    if (reg == REG_SELECT && ata->sig_latched) {
        if ((v ^ ata->select) & ATA_DH_DEV)
            load_signature(ata, (v & ATA_DH_DEV) ? 1 : 0);
    } else {
        ata->sig_latched = false;
    }
    switch (reg) {
    case REG_ERROR_FEATURE: latch(&ata->feature, &ata->hob_feature, v); break;
    case REG_NSECTOR: latch(&ata->nsector, &ata->hob_nsector, v); break;
    case REG_LBA_LOW: latch(&ata->lba_low, &ata->hob_lba_low, v); break;
    case REG_LBA_MID: latch(&ata->lba_mid, &ata->hob_lba_mid, v); break;
    case REG_LBA_HIGH: latch(&ata->lba_high, &ata->hob_lba_high, v); break;
    case REG_SELECT: ata->select = v; break;
    default: execute(ata, v); break;
    }
}

static uint32_t cmd_block_read(void *opaque, uint32_t offset, unsigned size)
{
    Ata *ata = opaque;
    if (offset == REG_DATA) {
        int dev = selected(ata);
        if (!present(ata, dev))
            return (present(ata, 0) || present(ata, 1)) ? 0 : 0xFFFFFFFFu;
        uint32_t v = ata->atapi[dev] ? atapi_data_read(ata->atapi[dev], ata, dev, size)
                                     : data_read(ata, size);
        return size == 1 ? v & 0xFF : v;
    }
    uint32_t v = 0;
    for (unsigned i = 0; i < size && offset + i < 8; i++)
        v |= (uint32_t)reg_read(ata, offset + i) << (8 * i);
    return v;
}

static void cmd_block_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    Ata *ata = opaque;
    if (offset == REG_DATA) {
        int dev = selected(ata);
        if (ata->atapi[dev])
            atapi_data_write(ata->atapi[dev], ata, dev, value, size);
        else if (ata->disk[dev])
            data_write(ata, value, size);
        return;
    }
    for (unsigned i = 0; i < size && offset + i < 8; i++)
        reg_write(ata, offset + i, (uint8_t)(value >> (8 * i)));
}

static uint32_t ctl_read(void *opaque, uint32_t offset, unsigned size)
{
    Ata *ata = opaque;
    int dev = selected(ata);
    if (!present(ata, 0) && !present(ata, 1))
        return 0xFF;
    return present(ata, dev) ? ata->status[dev] : 0;   /* alternate status: no IRQ acknowledge */
}

static void ctl_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    Ata *ata = opaque;
    uint8_t old = ata->devctl, v = (uint8_t)value;
    ata->devctl = v;
    if ((v & ATA_DC_SRST) && !(old & ATA_DC_SRST)) {
        /* SRST asserted: both devices go busy and drop whatever they were doing. */
        stop_transfer(ata);
        ata->intrq = false;
        for (int d = 0; d < 2; d++) {
            if (ata->atapi[d])
                atapi_reset(ata->atapi[d]);
            if (present(ata, d))
                ata->status[d] = ATA_SR_BSY;
        }
    } else if (!(v & ATA_DC_SRST) && (old & ATA_DC_SRST)) {
        set_signature(ata);
    }
    update_irq(ata);
}

bool ata_map(Ata *ata, IoSpace *ports, uint16_t cmd_base, uint16_t ctl_base)
{
    IoWindow cmd = { .name = "ata", .base = cmd_base, .length = 8,
                     .widths = IO_WIDTH_8 | IO_WIDTH_16 | IO_WIDTH_32,
                     .read = cmd_block_read, .write = cmd_block_write, .opaque = ata };
    IoWindow ctl = { .name = "ata-ctl", .base = ctl_base, .length = 1, .widths = IO_WIDTH_8,
                     .read = ctl_read, .write = ctl_write, .opaque = ata };
    return io_space_map(ports, &cmd) && io_space_map(ports, &ctl);
}

static const StateField ata_fields[] = {
    STATE_U8(Ata, feature), STATE_U8(Ata, nsector), STATE_U8(Ata, lba_low),
    STATE_U8(Ata, lba_mid), STATE_U8(Ata, lba_high),
    STATE_U8(Ata, hob_feature), STATE_U8(Ata, hob_nsector), STATE_U8(Ata, hob_lba_low),
    STATE_U8(Ata, hob_lba_mid), STATE_U8(Ata, hob_lba_high),
    STATE_U8(Ata, select), STATE_U8(Ata, devctl), STATE_BOOL(Ata, sig_latched),
    STATE_BOOL(Ata, intrq),
    STATE_U8_ARRAY(Ata, status, 2), STATE_U8_ARRAY(Ata, error, 2),
    STATE_U8_ARRAY(Ata, mult_sectors, 2), STATE_U16_ARRAY(Ata, cur_cyls, 2),
    STATE_U16_ARRAY(Ata, cur_heads, 2), STATE_U16_ARRAY(Ata, cur_spt, 2),
    STATE_U8_ARRAY(Ata, power_mode, 2),
    STATE_U8(Ata, xfer), STATE_U8(Ata, xfer_cmd), STATE_BOOL(Ata, xfer_lba48),
    STATE_U64(Ata, xfer_lba), STATE_U32(Ata, xfer_left), STATE_U32(Ata, xfer_block),
    STATE_U32(Ata, buf_pos), STATE_U32(Ata, buf_len),
    STATE_U8_ARRAY(Ata, buf, ATA_MAX_MULTIPLE * BLOCK_SECTOR_SIZE),
};
const StateDesc ata_state = STATE_DESC("ata", 2, ata_fields);
