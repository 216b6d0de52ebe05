/* SPDX-License-Identifier: MIT */
/*
 * INT 13h for diskettes (DL < 80h) through the 82077AA FDC (3F0h-3F7h),
 * DMA channel 2 of the 8237 and IRQ6.  A transfer is a chain of FDC
 * commands each ending in an interrupt; C issues one, stores the next step
 * in the stub's phase word and asks the ROM to wait (in x86, sti/hlt on bit
 * 7 of 40:3E, set by the IRQ6 handler), then continues: recalibrate (first
 * use of a drive), seek, read/write, result.  Drive types come from CMOS 10h
 * (1 360K, 2 1.2M, 3 720K, 4 1.44M, 5 2.88M).  The end-of-track sector is
 * the drive type's, so a multi-track transfer on smaller media stops at the
 * track end.  Functions 00h-05h (04h verifies by seeking; 05h formats a
 * track with the address fields at ES:BX), 08h, 15h, 16h, 17h/18h
 * (accepted).  Not modelled: media-type detection by data rate, the disk
 * change line (15h reports a drive without one, so DOS does not rely on
 * 16h, which answers "not changed").
 */
#include "bios_internal.h"

enum { FDC_DOR = 0x3F2, FDC_MSR = 0x3F4, FDC_FIFO = 0x3F5, FDC_CCR = 0x3F7 };
enum { PHASE_START, PHASE_RECALIBRATED, PHASE_SEEKED, PHASE_TRANSFERRED };
enum { ST_TIMEOUT = 0x80, ST_BAD_COMMAND = 0x01, ST_DMA_BOUNDARY = 0x09, ST_NOT_FOUND = 0x04,
       ST_WRITE_PROTECTED = 0x03, ST_CRC = 0x10, ST_SEEK = 0x40, ST_NO_MEDIA = 0x80 };

typedef struct FloppyType {
    uint8_t cyls, spt, rate;    /* rate: CCR value (0 500K, 1 300K, 2 250K, 3 1M bit/s) */
} FloppyType;

static const FloppyType floppy_types[6] = {
    { 0, 0, 0 }, { 40, 9, 1 }, { 80, 15, 0 }, { 80, 9, 2 }, { 80, 18, 0 }, { 80, 36, 3 },
};

static uint8_t drive_type(BiosCtx *c, unsigned drive)
{
    uint8_t t = cmos_rd(c, 0x10);
    t = drive == 0 ? t >> 4 : t & 0x0F;
    return t < 6 ? t : 0;
}

static bool fdc_put(BiosCtx *c, uint8_t v)
{
    for (int i = 0; i < 10000; i++) {
        uint8_t msr = port_in8(c, FDC_MSR);
        if ((msr & 0xC0) == 0x80) {
            port_out8(c, FDC_FIFO, v);
            return true;
        }
    }
    return false;
}

static int fdc_get(BiosCtx *c)
{
    for (int i = 0; i < 10000; i++) {
        uint8_t msr = port_in8(c, FDC_MSR);
        if ((msr & 0xC0) == 0xC0)
            return port_in8(c, FDC_FIFO);
    }
    return -1;
}

static bool fdc_command(BiosCtx *c, const uint8_t *bytes, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (!fdc_put(c, bytes[i]))
            return false;
    return true;
}

/* SENSE INTERRUPT STATUS after a seek or recalibrate: ST0, PCN. */
static int fdc_sense(BiosCtx *c)
{
    if (!fdc_put(c, 0x08))
        return -1;
    int st0 = fdc_get(c);
    int pcn = fdc_get(c);
    return st0 < 0 || pcn < 0 ? -1 : st0;
}

static void motor_on(BiosCtx *c, unsigned drive)
{
    uint8_t motors = (uint8_t)((bda_rd8(c, BDA_FD_MOTOR) & 0x0F) | (1u << drive));
    bda_wr8(c, BDA_FD_MOTOR, (uint8_t)(motors | (drive << 4)));
    bda_wr8(c, BDA_FD_MOTOR_TIMEOUT, 0xFF);         /* held on while we work */
    port_out8(c, FDC_DOR, (uint8_t)(motors << 4 | 0x0C | drive));
}

static void finish(BiosCtx *c, uint8_t status)
{
    set_hi8(&c->r->eax, status);
    bda_wr8(c, BDA_FD_STATUS, status);
    bda_wr8(c, BDA_FD_MOTOR_TIMEOUT, 37);          /* motor off in about two seconds */
    caller_cf(c, status != 0);
    svc_done(c);
}

static void wait_irq(BiosCtx *c, uint16_t next_phase)
{
    svc_set_phase(c, next_phase);
    svc_wait(c, WAIT_FLOPPY_IRQ);
}

static bool irq_arrived(BiosCtx *c)
{
    uint8_t recal = bda_rd8(c, BDA_FD_RECAL);
    bda_wr8(c, BDA_FD_RECAL, recal & 0x7F);
    return recal & 0x80;
}

static void clear_irq_flag(BiosCtx *c)
{
    bda_wr8(c, BDA_FD_RECAL, bda_rd8(c, BDA_FD_RECAL) & 0x7F);
}

static void start_seek(BiosCtx *c, unsigned drive)
{
    uint8_t cmd[3] = { 0x0F, (uint8_t)(reg_dh(c->r) << 2 | drive), reg_ch(c->r) };
    clear_irq_flag(c);
    if (!fdc_command(c, cmd, 3)) {
        finish(c, ST_TIMEOUT);
        return;
    }
    wait_irq(c, PHASE_SEEKED);
}

/* Programs DMA channel 2 for the caller's ES:BX; false across a 64K page. */
static bool setup_dma(BiosCtx *c, bool write, uint32_t bytes)
{
    uint32_t phys = ((uint32_t)c->r->es << 4) + reg_bx(c->r);
    uint32_t len = bytes - 1;
    if ((phys & 0xFFFF) + len > 0xFFFF)
        return false;
    port_out8(c, 0x0A, 0x06);                       /* mask channel 2 */
    port_out8(c, 0x0C, 0x00);                       /* byte pointer flip-flop */
    port_out8(c, 0x0B, write ? 0x4A : 0x46);        /* single, memory->I/O or I/O->memory */
    port_out8(c, 0x04, (uint8_t)phys);
    port_out8(c, 0x04, (uint8_t)(phys >> 8));
    port_out8(c, 0x81, (uint8_t)(phys >> 16));
    port_out8(c, 0x05, (uint8_t)len);
    port_out8(c, 0x05, (uint8_t)(len >> 8));
    port_out8(c, 0x0A, 0x02);                       /* unmask */
    return true;
}

static void start_transfer(BiosCtx *c, unsigned drive, const FloppyType *t)
{
    BiosRegs *r = c->r;
    bool format = reg_ah(r) == 0x05, write = reg_ah(r) == 0x03 || format;
    if (reg_ah(r) == 0x04) {                        /* verify: the seek succeeded */
        finish(c, 0);
        return;
    }
    /* Format takes the C, H, R, N address fields of each sector from ES:BX. */
    if (!setup_dma(c, write, format ? reg_al(r) * 4u : reg_al(r) * 512u)) {
        set_lo8(&r->eax, 0);
        finish(c, ST_DMA_BOUNDARY);
        return;
    }
    uint8_t head_drive = (uint8_t)(reg_dh(r) << 2 | drive);
    uint8_t rw[9] = {
        (uint8_t)(write ? 0xC5 : 0xE6), head_drive, reg_ch(r), reg_dh(r),
        (uint8_t)(reg_cl(r) & 0x3F), 2, t->spt, 0x1B, 0xFF,
    };
    uint8_t fmt[6] = { 0x4D, head_drive, 2, reg_al(r), 0x6C, 0xF6 };  /* N, SC, GPL, filler */
    clear_irq_flag(c);
    if (!fdc_command(c, format ? fmt : rw, format ? 6 : 9)) {
        finish(c, ST_TIMEOUT);
        return;
    }
    wait_irq(c, PHASE_TRANSFERRED);
}

static uint8_t result_status(const int res[7])
{
    if ((res[0] & 0xC0) == 0)
        return 0;
    if (res[1] & 0x02) return ST_WRITE_PROTECTED;
    if (res[1] & 0x04) return ST_NOT_FOUND;
    if (res[1] & 0x20) return ST_CRC;
    if (res[1] & 0x80) return ST_NOT_FOUND;         /* end of cylinder */
    if (res[1] & 0x01) return 0x02;                 /* missing address mark */
    return 0x20;
}

static void end_transfer(BiosCtx *c)
{
    int res[7];
    for (int i = 0; i < 7; i++) {
        res[i] = fdc_get(c);
        if (res[i] < 0) {
            finish(c, ST_TIMEOUT);
            return;
        }
        bda_wr8(c, BDA_FD_RESULT + i, (uint8_t)res[i]);
    }
    uint8_t status = result_status(res);
    /* Sectors done, from the ID the FDC stopped at (same track, or MT). */
    unsigned start = reg_cl(c->r) & 0x3Fu, count = reg_al(c->r);
    unsigned done = status == 0 || reg_ah(c->r) == 0x05 ? count
                  : (res[5] > (int)start ? (unsigned)res[5] - start : 0);
    set_lo8(&c->r->eax, (uint8_t)(done > count ? count : done));
    finish(c, status);
}

/* AH=02h-05h as a chain of phases (see the header). */
static void rw_phases(BiosCtx *c, unsigned drive, const FloppyType *t)
{
    switch (svc_phase(c)) {
    case PHASE_START: {
        BiosRegs *r = c->r;
        unsigned sector = reg_ah(r) == 0x05 ? 1 : reg_cl(r) & 0x3Fu;
        if (reg_al(r) == 0 || sector == 0 || reg_dh(r) > 1 || reg_ch(r) >= t->cyls) {
            set_lo8(&r->eax, 0);
            finish(c, ST_BAD_COMMAND);
            return;
        }
        motor_on(c, drive);
        port_out8(c, FDC_CCR, t->rate);
        if (!(bda_rd8(c, BDA_FD_RECAL) & (1u << drive))) {
            uint8_t cmd[2] = { 0x07, (uint8_t)drive };
            clear_irq_flag(c);
            if (!fdc_command(c, cmd, 2)) {
                finish(c, ST_TIMEOUT);
                return;
            }
            wait_irq(c, PHASE_RECALIBRATED);
            return;
        }
        start_seek(c, drive);
        return;
    }
    case PHASE_RECALIBRATED:
        if (!irq_arrived(c) || fdc_sense(c) < 0) {
            finish(c, ST_TIMEOUT);
            return;
        }
        bda_wr8(c, BDA_FD_RECAL, (uint8_t)(bda_rd8(c, BDA_FD_RECAL) | (1u << drive)));
        start_seek(c, drive);
        return;
    case PHASE_SEEKED: {
        int st0 = irq_arrived(c) ? fdc_sense(c) : -1;
        if (st0 < 0 || (st0 & 0xC0)) {
            finish(c, st0 < 0 ? ST_TIMEOUT : ST_SEEK);
            return;
        }
        bda_wr8(c, BDA_FD_TRACK + drive, reg_ch(c->r));
        start_transfer(c, drive, t);
        return;
    }
    default:
        if (!irq_arrived(c)) {
            set_lo8(&c->r->eax, 0);
            finish(c, ST_TIMEOUT);
            return;
        }
        end_transfer(c);
        return;
    }
}

static void get_parameters(BiosCtx *c, unsigned drive, uint8_t type)
{
    BiosRegs *r = c->r;
    uint8_t cmos = cmos_rd(c, 0x10);
    unsigned drives = ((cmos >> 4) ? 1 : 0) + ((cmos & 0x0F) ? 1 : 0);
    if (type == 0) {
        set_lo16(&r->ecx, 0);
        set_lo16(&r->edx, (uint16_t)drives);
        set_lo16(&r->ebx, 0);
        finish(c, 0);
        return;
    }
    const FloppyType *t = &floppy_types[type];
    set_lo16(&r->eax, 0);
    set_lo16(&r->ebx, type);
    set_lo16(&r->ecx, (uint16_t)((t->cyls - 1u) << 8 | t->spt));
    set_lo16(&r->edx, (uint16_t)(0x0100 | drives));
    set_lo16(&r->edi, ROM_FDPT);
    svc_return_es(c, 0xF000);
    finish(c, 0);
}

void floppy_service(BiosCtx *c)
{
    BiosRegs *r = c->r;
    unsigned drive = reg_dl(r);
    uint8_t type = drive < 2 ? drive_type(c, drive) : 0;
    uint8_t ah = reg_ah(r);
    if (ah == 0x08) {
        get_parameters(c, drive, type);
        return;
    }
    if (ah == 0x15) {
        set_hi8(&r->eax, type ? 0x01 : 0x00);       /* 01h: no change line (see 16h) */
        caller_cf(c, false);
        return;
    }
    if (type == 0) {
        finish(c, ah == 0x01 ? bda_rd8(c, BDA_FD_STATUS) : ST_TIMEOUT);
        return;
    }
    switch (ah) {
    case 0x00:
        bda_wr8(c, BDA_FD_RECAL, 0);                /* recalibrate on next use */
        finish(c, 0);
        break;
    case 0x01: {
        uint8_t last = bda_rd8(c, BDA_FD_STATUS);
        set_hi8(&r->eax, last);
        caller_cf(c, last != 0);
        break;
    }
    case 0x02: case 0x03: case 0x04: case 0x05:
        rw_phases(c, drive, &floppy_types[type]);
        break;
    case 0x16: case 0x17: case 0x18:
        finish(c, 0);
        break;
    case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47: case 0x48:
        finish(c, ST_BAD_COMMAND);              /* no EDD for diskettes, as on the AT */
        break;
    default:
        bios_log_once(c, BIOS_LOG_DISK, "bios: unimplemented INT 13h diskette function");
        finish(c, ST_BAD_COMMAND);
        break;
    }
}

/* Controller reset and SPECIFY; the four reset interrupts are sensed here. */
void floppy_post(BiosCtx *c)
{
    if (!(cmos_rd(c, 0x10)))
        return;
    port_out8(c, FDC_DOR, 0x00);
    port_out8(c, FDC_DOR, 0x0C);
    for (int i = 0; i < 4; i++)
        fdc_sense(c);
    static const uint8_t specify[3] = { 0x03, 0xAF, 0x02 };
    fdc_command(c, specify, 3);
    bda_wr8(c, BDA_FD_RECAL, 0);
    for (unsigned d = 0; d < 2; d++) {
        uint8_t t = drive_type(c, d);
        bda_wr8(c, BDA_FD_MEDIA + d, t == 0 ? 0 : t == 1 ? 0x93 : t == 2 ? 0x15 : 0x17);
    }
}
