/* SPDX-License-Identifier: MIT */
/*
 * The Intel 82077AA floppy disk controller in PC-AT mode (82077AA datasheet,
 * 1994): DOR 0x3F2, TDR 0x3F3, MSR/DSR 0x3F4, FIFO 0x3F5, DIR/CCR 0x3F7 (the
 * rest of 0x3F7 belongs to the IDE channel), IRQ6, DMA channel 2 through the
 * i8237.  Two drives, each with an optional image whose size picks the media
 * geometry (160K to 2.88M).  Commands execute at once inside the port write
 * that completes them, moving all their data by DMA; results and interrupts
 * follow as the datasheet sequences them.  Not modelled: non-DMA (PIO)
 * transfers, the data-rate/media match, seek and rotation timing, READ
 * TRACK, READ/WRITE DELETED, SCAN, VERIFY, relative seek, sector sizes other
 * than 512 bytes, drives 2 and 3 (they report no drive).
 */
#ifndef FAULTLINE_FDC_H
#define FAULTLINE_FDC_H

#include <stdbool.h>
#include <stdint.h>

#include "blockdev.h"
#include "bus.h"
#include "i8237.h"
#include "state.h"

enum { FDC_DRIVES = 2, FDC_DMA_CHANNEL = 2 };

/* DOR (0x3F2): motor enables 7-4, DMA/IRQ gate 3, not-reset 2, drive select 1-0. */
#define FDC_DOR_SELECT 0x03
#define FDC_DOR_NRESET 0x04
#define FDC_DOR_DMAEN 0x08
/* MSR (0x3F4): request for master, data direction (1: to host), non-DMA, busy. */
#define FDC_MSR_RQM 0x80
#define FDC_MSR_DIO 0x40
#define FDC_MSR_NDMA 0x20
#define FDC_MSR_CB 0x10
/* ST0 */
#define FDC_ST0_ABNORMAL 0x40
#define FDC_ST0_INVALID 0x80
#define FDC_ST0_SEEK_END 0x20
#define FDC_ST0_EQUIP_CHECK 0x10
#define FDC_ST0_NOT_READY 0x08
/* ST1 */
#define FDC_ST1_MA 0x01
#define FDC_ST1_NW 0x02
#define FDC_ST1_ND 0x04
#define FDC_ST1_OR 0x10
#define FDC_ST1_DE 0x20
#define FDC_ST1_EN 0x80
/* ST2 */
#define FDC_ST2_DD 0x20
#define FDC_ST2_WC 0x10
#define FDC_ST2_BC 0x02

typedef struct FdcMedia {
    uint32_t sectors;           /* image size that selects this media */
    uint8_t tracks, heads, spt;
} FdcMedia;

typedef enum FdcPhase { FDC_PHASE_COMMAND, FDC_PHASE_RESULT } FdcPhase;

typedef struct Fdc {
    uint8_t dor, tdr, dsr, rate;
    uint8_t phase;              /* FdcPhase */
    uint8_t cmd[9], cmd_len, cmd_pos;
    uint8_t result[10], res_len, res_pos;
    bool irq_pending;
    /* SENSE INTERRUPT STATUS reports still owed: one per drive after a reset,
     * or a seek/recalibrate completion per drive. */
    uint8_t reset_reports;      /* reports left from the last reset (4..0) */
    bool seek_pending[4];
    uint8_t seek_st0[4];
    uint8_t pcn[4];             /* present cylinder number per drive */
    uint8_t head[FDC_DRIVES];
    bool disk_changed[FDC_DRIVES];
    uint8_t specify[2];         /* SRT/HUT, HLT/ND */
    uint8_t config, pretrk;     /* CONFIGURE: EIS/EFIFO/POLL/FIFOTHR, precompensation track */
    bool lock;
    uint8_t perpendicular;      /* PERPENDICULAR MODE: D3-D0, GAP, WGATE */
    uint8_t last_eot;           /* EOT of the last read/write, reported by DUMPREG */

    BlockDev *disk[FDC_DRIVES]; /* host side; NULL: no media in the drive */
    bool drive_present[FDC_DRIVES];
    FdcMedia media[FDC_DRIVES];
    I8237 *dma;
    IrqLine irq;
    BusLogFn log;
    void *log_opaque;
    uint32_t logged;
} Fdc;

/* Power-on state; drives 0 and 1 exist, empty.  dma may be NULL (reads then overrun). */
void fdc_init(Fdc *fdc, IrqLine irq, I8237 *dma);
void fdc_reset(Fdc *fdc);
bool fdc_map(Fdc *fdc, IoSpace *ports);
/* Inserts media (NULL ejects); either way the drive's disk change line goes active. */
void fdc_insert(Fdc *fdc, int drive, BlockDev *disk);
/* Marks a drive as not installed (it then answers as an empty connector). */
void fdc_set_drive_present(Fdc *fdc, int drive, bool present);
/* The geometry an image of this many sectors is read with (false: no standard size fits). */
bool fdc_media_for_size(uint64_t sectors, FdcMedia *media);

extern const StateDesc fdc_state;

#endif
