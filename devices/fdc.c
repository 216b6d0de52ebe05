/* SPDX-License-Identifier: MIT */
/*
 * The 82077AA (see fdc.h).  The FIFO takes command bytes until the command's
 * length is reached, then the command executes at once: data commands move
 * every sector through DMA channel 2 until terminal count or the end of the
 * track, and the controller enters the result phase and interrupts.  Because
 * nothing is left half-done between port accesses, the state table needs no
 * data buffer.  Media geometry is not saved: it follows the image the machine
 * inserts again before loading a snapshot.
 */
#include "fdc.h"

#include <string.h>

enum {
    REG_SRA = 0, REG_SRB = 1, REG_DOR = 2, REG_TDR = 3, REG_MSR_DSR = 4, REG_FIFO = 5,
};

enum {
    LOG_INVALID = 1, LOG_NON_DMA = 2, LOG_FIFO = 4, LOG_SIZE = 8, LOG_HOST_IO = 16,
};

#define CONFIG_POLL 0x10        /* 1: drive polling (and the reset reports) disabled */
#define CONFIG_DEFAULT 0x20     /* EFIFO set (FIFO off), polling on, threshold 1 */
#define SPECIFY_ND 0x01

static const FdcMedia media_table[] = {
    { 320, 40, 1, 8 }, { 360, 40, 1, 9 }, { 640, 40, 2, 8 }, { 720, 40, 2, 9 },
    { 1440, 80, 2, 9 }, { 2400, 80, 2, 15 }, { 2880, 80, 2, 18 }, { 3360, 80, 2, 21 },
    { 5760, 80, 2, 36 },
};
enum { MEDIA_COUNT = sizeof(media_table) / sizeof(media_table[0]) };

static void log_once(Fdc *fdc, uint32_t kind, const char *message)
{
    if (fdc->logged & kind)
        return;
    fdc->logged |= kind;
    if (fdc->log)
        fdc->log(fdc->log_opaque, message);
}

bool fdc_media_for_size(uint64_t sectors, FdcMedia *media)
{
    for (int i = 0; i < MEDIA_COUNT; i++)
        if (media_table[i].sectors == sectors) {
            *media = media_table[i];
            return true;
        }
    return false;
}

/* An odd-sized image is read with the smallest geometry that holds it. */
static FdcMedia media_for_image(Fdc *fdc, uint64_t sectors)
{
    FdcMedia m;
    if (fdc_media_for_size(sectors, &m))
        return m;
    log_once(fdc, LOG_SIZE, "fdc: image size matches no floppy format; using the next larger one");
    for (int i = 0; i < MEDIA_COUNT; i++)
        if (media_table[i].sectors >= sectors)
            return media_table[i];
    return media_table[MEDIA_COUNT - 1];
}

static void update_irq(Fdc *fdc)
{
    /* In PC-AT mode the DOR DMA gate also gates the interrupt pin. */
    irq_set_level(fdc->irq, fdc->irq_pending && (fdc->dor & FDC_DOR_DMAEN));
}

static void set_irq(Fdc *fdc, bool pending)
{
    fdc->irq_pending = pending;
    update_irq(fdc);
}

static void enter_command_phase(Fdc *fdc)
{
    fdc->phase = FDC_PHASE_COMMAND;
    fdc->cmd_pos = fdc->cmd_len = 0;
    fdc->res_pos = fdc->res_len = 0;
}

static void enter_result_phase(Fdc *fdc, const uint8_t *bytes, uint8_t n, bool interrupt)
{
    memcpy(fdc->result, bytes, n);
    fdc->res_len = n;
    fdc->res_pos = 0;
    fdc->phase = FDC_PHASE_RESULT;
    if (interrupt)
        set_irq(fdc, true);
}

/* Controller reset (DOR bit 2 low, or DSR bit 7): the FIFO and pending status
 * are cleared; CONFIGURE survives only when locked; the heads do not move. */
static void controller_reset(Fdc *fdc)
{
    enter_command_phase(fdc);
    set_irq(fdc, false);
    fdc->reset_reports = 0;
    memset(fdc->seek_pending, 0, sizeof(fdc->seek_pending));
    if (!fdc->lock) {
        fdc->config = CONFIG_DEFAULT;
        fdc->pretrk = 0;
    }
    fdc->perpendicular &= 0x3C;
}

/* Leaving reset: with polling enabled the controller reports a ready change
 * for each of the four drives, announced by one interrupt. */
static void controller_reset_done(Fdc *fdc)
{
    if (!(fdc->config & CONFIG_POLL)) {
        fdc->reset_reports = 4;
        set_irq(fdc, true);
    }
}

void fdc_reset(Fdc *fdc)
{
    fdc->dor = 0;       /* hardware reset holds the controller in reset */
    fdc->tdr = 0;
    fdc->dsr = 0x02;
    fdc->rate = 0x02;
    fdc->lock = false;
    fdc->specify[0] = fdc->specify[1] = 0;
    fdc->perpendicular = 0;
    fdc->last_eot = 0;
    controller_reset(fdc);
}

void fdc_init(Fdc *fdc, IrqLine irq, I8237 *dma)
{
    memset(fdc, 0, sizeof(*fdc));
    fdc->irq = irq;
    fdc->dma = dma;
    for (int d = 0; d < FDC_DRIVES; d++) {
        fdc->drive_present[d] = true;
        fdc->disk_changed[d] = true;     /* the change line is active at power-on */
    }
    fdc_reset(fdc);
}

void fdc_insert(Fdc *fdc, int drive, BlockDev *disk)
{
    if (drive < 0 || drive >= FDC_DRIVES)
        return;
    fdc->disk[drive] = disk;
    if (disk)
        fdc->media[drive] = media_for_image(fdc, disk->sectors);
    fdc->disk_changed[drive] = true;
}

void fdc_set_drive_present(Fdc *fdc, int drive, bool present)
{
    if (drive >= 0 && drive < FDC_DRIVES)
        fdc->drive_present[drive] = present;
}

static bool drive_exists(const Fdc *fdc, int d)
{
    return d < FDC_DRIVES && fdc->drive_present[d];
}

static BlockDev *drive_media(const Fdc *fdc, int d)
{
    return drive_exists(fdc, d) ? fdc->disk[d] : NULL;
}

static void seek_done(Fdc *fdc, int d, uint8_t st0)
{
    fdc->seek_pending[d] = true;
    fdc->seek_st0[d] = st0;
    /* A step with a disk in the drive clears its change line. */
    if (drive_media(fdc, d))
        fdc->disk_changed[d] = false;
    enter_command_phase(fdc);
    set_irq(fdc, true);
}

static void cmd_seek(Fdc *fdc, bool recalibrate)
{
    int d = fdc->cmd[1] & 3, h = (fdc->cmd[1] >> 2) & 1;
    if (!drive_exists(fdc, d)) {
        /* No track-0 signal ever comes: abnormal end with equipment check. */
        seek_done(fdc, d, (uint8_t)(FDC_ST0_ABNORMAL | FDC_ST0_SEEK_END | FDC_ST0_EQUIP_CHECK |
                                    (h << 2) | d));
        return;
    }
    fdc->pcn[d] = recalibrate ? 0 : fdc->cmd[2];
    fdc->head[d] = (uint8_t)h;
    seek_done(fdc, d, (uint8_t)(FDC_ST0_SEEK_END | (recalibrate ? 0 : h << 2) | d));
}

static void cmd_sense_interrupt(Fdc *fdc)
{
    uint8_t res[2];
    set_irq(fdc, false);
    if (fdc->reset_reports) {
        int d = 4 - fdc->reset_reports--;
        res[0] = (uint8_t)(0xC0 | d);
        res[1] = fdc->pcn[d];
        enter_result_phase(fdc, res, 2, false);
        return;
    }
    for (int d = 0; d < 4; d++)
        if (fdc->seek_pending[d]) {
            fdc->seek_pending[d] = false;
            res[0] = fdc->seek_st0[d];
            res[1] = fdc->pcn[d];
            enter_result_phase(fdc, res, 2, false);
            return;
        }
    res[0] = FDC_ST0_INVALID;
    enter_result_phase(fdc, res, 1, false);
}

static void cmd_sense_drive(Fdc *fdc)
{
    int d = fdc->cmd[1] & 3, h = (fdc->cmd[1] >> 2) & 1;
    BlockDev *disk = drive_media(fdc, d);
    /* ST3: WP, ready (tied on the PC), track 0, two-sided, head, drive.
     * An empty 3.5" drive senses write protect. */
    uint8_t st3 = (uint8_t)(0x20 | 0x08 | (h << 2) | d);
    if (!disk || disk->read_only)
        st3 |= 0x40;
    if (drive_exists(fdc, d) && fdc->pcn[d] == 0)
        st3 |= 0x10;
    enter_result_phase(fdc, &st3, 1, false);
}

static void cmd_dumpreg(Fdc *fdc)
{
    uint8_t r[10] = {
        fdc->pcn[0], fdc->pcn[1], fdc->pcn[2], fdc->pcn[3], fdc->specify[0], fdc->specify[1],
        fdc->last_eot, (uint8_t)((fdc->lock ? 0x80 : 0) | (fdc->perpendicular & 0x3F)),
        fdc->config, fdc->pretrk,
    };
    enter_result_phase(fdc, r, 10, false);
}

/* Where a data command stands: the sector it addresses and its status bytes. */
typedef struct Xfer {
    int d, phys;
    uint8_t c, h, r, n, eot;
    uint8_t st0, st1, st2;
    bool mt;
} Xfer;

static void finish_xfer(Fdc *fdc, Xfer *x)
{
    uint8_t res[7] = {
        (uint8_t)(x->st0 | (x->phys << 2) | x->d), x->st1, x->st2, x->c, x->h, x->r, x->n,
    };
    enter_result_phase(fdc, res, 7, true);
}

static void xfer_fail(Fdc *fdc, Xfer *x, uint8_t st0, uint8_t st1, uint8_t st2)
{
    x->st0 |= (uint8_t)(FDC_ST0_ABNORMAL | st0);
    x->st1 |= st1;
    x->st2 |= st2;
    finish_xfer(fdc, x);
}

/* Finds the sector x addresses on the current track; false (and the result
 * phase) when its ID field is not there. */
static bool locate_sector(Fdc *fdc, Xfer *x, uint64_t *lba)
{
    const FdcMedia *m = &fdc->media[x->d];
    uint8_t track = fdc->pcn[x->d];
    if (x->n != 2 || track >= m->tracks || x->phys >= m->heads || x->r == 0 || x->r > m->spt ||
        x->h != x->phys) {
        xfer_fail(fdc, x, 0, FDC_ST1_ND, 0);
        return false;
    }
    if (x->c != track) {
        xfer_fail(fdc, x, 0, FDC_ST1_ND, x->c == 0xFF ? FDC_ST2_BC : FDC_ST2_WC);
        return false;
    }
    *lba = ((uint64_t)track * m->heads + x->phys) * m->spt + x->r - 1u;
    return true;
}

/* Steps to the next sector ID as the result phase reports it (datasheet table
 * "C, H, R, N after command termination"); true at the end of the cylinder. */
static bool next_sector(Xfer *x)
{
    if (x->r != x->eot) {
        x->r++;
        return false;
    }
    x->r = 1;
    if (x->mt && x->h == 0) {
        x->h = 1;
        x->phys = 1;
        return false;
    }
    x->c++;
    if (x->mt)
        x->h = 0;
    return true;
}

static uint32_t dma_move(Fdc *fdc, void *buf, uint32_t len, bool to_memory)
{
    if (!fdc->dma || !(fdc->dor & FDC_DOR_DMAEN))
        return 0;       /* DREQ never reaches the 8237: the FIFO overruns */
    return i8237_transfer(fdc->dma, FDC_DMA_CHANNEL, buf, len, to_memory);
}

static bool xfer_start(Fdc *fdc, Xfer *x, bool write)
{
    if (fdc->specify[1] & SPECIFY_ND)
        log_once(fdc, LOG_NON_DMA, "fdc: non-DMA mode not modelled; using DMA");
    BlockDev *disk = drive_media(fdc, x->d);
    if (!disk) {
        xfer_fail(fdc, x, FDC_ST0_NOT_READY, FDC_ST1_MA, 0);
        return false;
    }
    if (write && disk->read_only) {
        xfer_fail(fdc, x, 0, FDC_ST1_NW, 0);
        return false;
    }
    return true;
}

/* One sector of READ DATA or WRITE DATA; false when the command has ended. */
static bool xfer_sector(Fdc *fdc, Xfer *x, bool write)
{
    uint8_t buf[BLOCK_SECTOR_SIZE];
    uint64_t lba;
    BlockDev *disk = fdc->disk[x->d];
    if (!locate_sector(fdc, x, &lba))
        return false;
    uint32_t moved;
    bool ok;
    if (write) {
        memset(buf, 0, sizeof(buf));    /* a sector cut short by TC is zero filled */
        moved = dma_move(fdc, buf, sizeof(buf), false);
        ok = moved == 0 || blockdev_write(disk, lba, buf, 1);
    } else {
        ok = blockdev_read(disk, lba, buf, 1);
        moved = ok ? dma_move(fdc, buf, sizeof(buf), true) : 0;
    }
    if (!ok) {
        log_once(fdc, LOG_HOST_IO, "fdc: host image access failed; reporting a data error");
        xfer_fail(fdc, x, 0, FDC_ST1_DE, write ? 0 : FDC_ST2_DD);
        return false;
    }
    if (moved == 0) {
        xfer_fail(fdc, x, 0, FDC_ST1_OR, 0);
        return false;
    }
    bool tc = moved < sizeof(buf) || i8237_channel_tc(fdc->dma, FDC_DMA_CHANNEL);
    bool end_of_cylinder = next_sector(x);
    if (tc) {
        finish_xfer(fdc, x);
        return false;
    }
    if (end_of_cylinder) {
        /* EOT passed without terminal count: abnormal end, "end of cylinder". */
        xfer_fail(fdc, x, 0, FDC_ST1_EN, 0);
        return false;
    }
    return true;
}

static void load_xfer(const Fdc *fdc, Xfer *x)
{
    memset(x, 0, sizeof(*x));
    x->d = fdc->cmd[1] & 3;
    x->phys = (fdc->cmd[1] >> 2) & 1;
    x->c = fdc->cmd[2];
    x->h = fdc->cmd[3];
    x->r = fdc->cmd[4];
    x->n = fdc->cmd[5];
    x->eot = fdc->cmd[6];
    x->mt = fdc->cmd[0] & 0x80;
}

static void cmd_read_write(Fdc *fdc, bool write)
{
    Xfer x;
    load_xfer(fdc, &x);
    fdc->last_eot = x.eot;
    if (!xfer_start(fdc, &x, write))
        return;
    /* Seek implicitly to the command's cylinder whatever CONFIGURE's EIS bit
     * says: QEMU's and Bochs's controllers do, and the Bochs BIOS reads
     * without seeking first. */
    if (x.c < fdc->media[x.d].tracks)
        fdc->pcn[x.d] = x.c;
    fdc->head[x.d] = (uint8_t)x.phys;
    while (xfer_sector(fdc, &x, write))
        ;
}

static void cmd_read_id(Fdc *fdc)
{
    Xfer x = { .d = fdc->cmd[1] & 3, .phys = (fdc->cmd[1] >> 2) & 1 };
    if (!xfer_start(fdc, &x, false))
        return;
    const FdcMedia *m = &fdc->media[x.d];
    x.c = fdc->pcn[x.d];
    x.h = (uint8_t)x.phys;
    x.r = 1;
    x.n = 2;
    if (x.c >= m->tracks || x.phys >= m->heads) {
        xfer_fail(fdc, &x, 0, FDC_ST1_MA | FDC_ST1_ND, 0);
        return;
    }
    finish_xfer(fdc, &x);
}

/* FORMAT TRACK: the host supplies C, H, R, N per sector by DMA; each sector's
 * data area is filled with the filler byte D. */
static void cmd_format(Fdc *fdc)
{
    Xfer x = { .d = fdc->cmd[1] & 3, .phys = (fdc->cmd[1] >> 2) & 1, .n = fdc->cmd[2] };
    uint8_t sc = fdc->cmd[3], fill = fdc->cmd[5];
    if (!xfer_start(fdc, &x, true))
        return;
    const FdcMedia *m = &fdc->media[x.d];
    uint8_t track = fdc->pcn[x.d];
    uint8_t data[BLOCK_SECTOR_SIZE];
    memset(data, fill, sizeof(data));
    for (unsigned i = 0; i < sc; i++) {
        uint8_t id[4];
        uint32_t moved = dma_move(fdc, id, sizeof(id), false);
        if (moved < sizeof(id)) {
            xfer_fail(fdc, &x, 0, FDC_ST1_OR, 0);
            return;
        }
        x.c = id[0];
        x.h = id[1];
        x.r = id[2];
        x.n = id[3];
        /* Only standard-layout sectors can be stored in a flat image. */
        if (track < m->tracks && x.phys < m->heads && x.r >= 1 && x.r <= m->spt && x.n == 2) {
            uint64_t lba = ((uint64_t)track * m->heads + x.phys) * m->spt + x.r - 1u;
            if (!blockdev_write(fdc->disk[x.d], lba, data, 1)) {
                xfer_fail(fdc, &x, 0, FDC_ST1_DE, 0);
                return;
            }
        }
        if (i8237_channel_tc(fdc->dma, FDC_DMA_CHANNEL))
            break;
    }
    finish_xfer(fdc, &x);
}

typedef struct FdcCommand {
    uint8_t mask, value, length;
} FdcCommand;

enum {
    CMD_READ, CMD_WRITE, CMD_READ_ID, CMD_FORMAT, CMD_RECALIBRATE, CMD_SEEK, CMD_SENSE_INT,
    CMD_SPECIFY, CMD_SENSE_DRIVE, CMD_VERSION, CMD_CONFIGURE, CMD_LOCK, CMD_DUMPREG,
    CMD_PERPENDICULAR, CMD_COUNT,
};

/* First command byte: opcode in the low bits, MT/MFM/SK/LOCK flags above. */
static const FdcCommand commands[CMD_COUNT] = {
    [CMD_READ] = { 0x1F, 0x06, 9 }, [CMD_WRITE] = { 0x3F, 0x05, 9 },
    [CMD_READ_ID] = { 0xBF, 0x0A, 2 }, [CMD_FORMAT] = { 0xBF, 0x0D, 6 },
    [CMD_RECALIBRATE] = { 0xFF, 0x07, 2 }, [CMD_SEEK] = { 0xFF, 0x0F, 3 },
    [CMD_SENSE_INT] = { 0xFF, 0x08, 1 }, [CMD_SPECIFY] = { 0xFF, 0x03, 3 },
    [CMD_SENSE_DRIVE] = { 0xFF, 0x04, 2 }, [CMD_VERSION] = { 0xFF, 0x10, 1 },
    [CMD_CONFIGURE] = { 0xFF, 0x13, 4 }, [CMD_LOCK] = { 0x7F, 0x14, 1 },
    [CMD_DUMPREG] = { 0xFF, 0x0E, 1 }, [CMD_PERPENDICULAR] = { 0xFF, 0x12, 2 },
};

static int command_index(uint8_t first)
{
    for (int i = 0; i < CMD_COUNT; i++)
        if ((first & commands[i].mask) == commands[i].value)
            return i;
    return -1;
}

static void execute(Fdc *fdc)
{
    uint8_t res;
    switch (command_index(fdc->cmd[0])) {
    case CMD_READ: cmd_read_write(fdc, false); break;
    case CMD_WRITE: cmd_read_write(fdc, true); break;
    case CMD_READ_ID: cmd_read_id(fdc); break;
    case CMD_FORMAT: cmd_format(fdc); break;
    case CMD_RECALIBRATE: cmd_seek(fdc, true); break;
    case CMD_SEEK: cmd_seek(fdc, false); break;
    case CMD_SENSE_INT: cmd_sense_interrupt(fdc); break;
    case CMD_SENSE_DRIVE: cmd_sense_drive(fdc); break;
    case CMD_DUMPREG: cmd_dumpreg(fdc); break;
    case CMD_VERSION:
        res = 0x90;
        enter_result_phase(fdc, &res, 1, false);
        break;
    case CMD_LOCK:
        fdc->lock = fdc->cmd[0] & 0x80;
        res = (uint8_t)(fdc->lock ? 0x10 : 0);
        enter_result_phase(fdc, &res, 1, false);
        break;
    case CMD_SPECIFY:
        fdc->specify[0] = fdc->cmd[1];
        fdc->specify[1] = fdc->cmd[2];
        enter_command_phase(fdc);
        break;
    case CMD_CONFIGURE:
        fdc->config = fdc->cmd[2] & 0x7F;
        fdc->pretrk = fdc->cmd[3];
        enter_command_phase(fdc);
        break;
    case CMD_PERPENDICULAR: {
        uint8_t v = fdc->cmd[1];
        uint8_t drives = (v & 0x80) ? (v & 0x3C) : (fdc->perpendicular & 0x3C);
        fdc->perpendicular = (uint8_t)(drives | (v & 0x03));
        enter_command_phase(fdc);
        break;
    }
    }
}

static void fifo_write(Fdc *fdc, uint8_t v)
{
    if (fdc->phase != FDC_PHASE_COMMAND || !(fdc->dor & FDC_DOR_NRESET)) {
        log_once(fdc, LOG_FIFO, "fdc: FIFO write outside the command phase ignored");
        return;
    }
    if (fdc->cmd_pos == 0) {
        int i = command_index(v);
        if (i < 0) {
            /* Invalid opcode: one result byte 80h, no interrupt. */
            uint8_t st0 = FDC_ST0_INVALID;
            log_once(fdc, LOG_INVALID, "fdc: invalid command");
            enter_result_phase(fdc, &st0, 1, false);
            return;
        }
        fdc->cmd_len = commands[i].length;
    }
    fdc->cmd[fdc->cmd_pos++] = v;
    if (fdc->cmd_pos == fdc->cmd_len)
        execute(fdc);
}

static uint8_t fifo_read(Fdc *fdc)
{
    if (fdc->phase != FDC_PHASE_RESULT) {
        log_once(fdc, LOG_FIFO, "fdc: FIFO read outside the result phase");
        return 0xFF;
    }
    /* Reading the result of a data command acknowledges its interrupt. */
    if (fdc->res_pos == 0 && fdc->res_len == 7)
        set_irq(fdc, false);
    uint8_t v = fdc->result[fdc->res_pos++];
    if (fdc->res_pos == fdc->res_len)
        enter_command_phase(fdc);
    return v;
}

static uint8_t msr_value(const Fdc *fdc)
{
    if (!(fdc->dor & FDC_DOR_NRESET))
        return 0;
    if (fdc->phase == FDC_PHASE_RESULT)
        return FDC_MSR_RQM | FDC_MSR_DIO | FDC_MSR_CB;
    return (uint8_t)(FDC_MSR_RQM | (fdc->cmd_pos ? FDC_MSR_CB : 0));
}

static void dor_write(Fdc *fdc, uint8_t v)
{
    uint8_t old = fdc->dor;
    fdc->dor = v;
    if (!(v & FDC_DOR_NRESET) && (old & FDC_DOR_NRESET))
        controller_reset(fdc);
    else if ((v & FDC_DOR_NRESET) && !(old & FDC_DOR_NRESET))
        controller_reset_done(fdc);
    update_irq(fdc);
}

static uint32_t fdc_read(void *opaque, uint32_t offset, unsigned size)
{
    Fdc *fdc = opaque;
    switch (offset) {
    case REG_DOR: return fdc->dor;
    case REG_TDR: return fdc->tdr & 0x03;
    case REG_MSR_DSR: return msr_value(fdc);
    case REG_FIFO: return fifo_read(fdc);
    default: return 0xFF;       /* SRA/SRB exist only in PS/2 mode */
    }
}

static void fdc_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    Fdc *fdc = opaque;
    uint8_t v = (uint8_t)value;
    switch (offset) {
    case REG_DOR:
        dor_write(fdc, v);
        break;
    case REG_TDR:
        fdc->tdr = v & 0x03;
        break;
    case REG_MSR_DSR:
        fdc->dsr = v & 0x7F;
        fdc->rate = v & 0x03;
        if (v & 0x80) {         /* self-clearing software reset */
            controller_reset(fdc);
            controller_reset_done(fdc);
        }
        break;
    case REG_FIFO:
        fifo_write(fdc, v);
        break;
    }
}

/* DIR: bit 7 is the selected drive's disk change line; bits 6-0 belong to IDE. */
static uint32_t dir_read(void *opaque, uint32_t offset, unsigned size)
{
    Fdc *fdc = opaque;
    int d = fdc->dor & FDC_DOR_SELECT;
    return (d < FDC_DRIVES && fdc->drive_present[d] && fdc->disk_changed[d]) ? 0x80 : 0x00;
}

static void ccr_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    Fdc *fdc = opaque;
    fdc->rate = value & 0x03;
}

bool fdc_map(Fdc *fdc, IoSpace *ports)
{
    IoWindow main = { .name = "fdc", .base = 0x3F0, .length = 6, .widths = IO_WIDTH_8,
                      .read = fdc_read, .write = fdc_write, .opaque = fdc };
    IoWindow dir = { .name = "fdc-dir", .base = 0x3F7, .length = 1, .widths = IO_WIDTH_8,
                     .read = dir_read, .write = ccr_write, .opaque = fdc };
    return io_space_map(ports, &main) && io_space_map(ports, &dir);
}

static const StateField fdc_fields[] = {
    STATE_U8(Fdc, dor), STATE_U8(Fdc, tdr), STATE_U8(Fdc, dsr), STATE_U8(Fdc, rate),
    STATE_U8(Fdc, phase), STATE_U8_ARRAY(Fdc, cmd, 9), STATE_U8(Fdc, cmd_len),
    STATE_U8(Fdc, cmd_pos), STATE_U8_ARRAY(Fdc, result, 10), STATE_U8(Fdc, res_len),
    STATE_U8(Fdc, res_pos), STATE_BOOL(Fdc, irq_pending), STATE_U8(Fdc, reset_reports),
    STATE_BOOL_ARRAY(Fdc, seek_pending, 4), STATE_U8_ARRAY(Fdc, seek_st0, 4),
    STATE_U8_ARRAY(Fdc, pcn, 4), STATE_U8_ARRAY(Fdc, head, FDC_DRIVES),
    STATE_BOOL_ARRAY(Fdc, disk_changed, FDC_DRIVES), STATE_U8_ARRAY(Fdc, specify, 2),
    STATE_U8(Fdc, config), STATE_U8(Fdc, pretrk), STATE_BOOL(Fdc, lock),
    STATE_U8(Fdc, perpendicular), STATE_U8(Fdc, last_eot),
};
const StateDesc fdc_state = STATE_DESC("fdc", 1, fdc_fields);
