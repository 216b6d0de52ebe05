/* SPDX-License-Identifier: MIT */
/*
 * One ATA/IDE channel with a master and an optional slave hard disk, PIO only
 * (ATA/ATAPI-6, T13/1410D: register block, PIO data-in/data-out/non-data
 * protocols, 48-bit addressing, the software-reset signature).  The machine
 * maps the primary channel at 0x1F0-0x1F7 + 0x3F6 (IRQ14) and the secondary at
 * 0x170-0x177 + 0x376 (IRQ15); 0x3F7/0x377 belong to the floppy controller.
 * Commands complete at once (no seek or rotation delay), so BSY is only seen
 * while SRST is held.  A position may hold an ATAPI packet device instead of
 * a disk (atapi.c): the channel keeps the shared registers and hands the
 * device its commands and data-port accesses.  Not modelled: DMA (no
 * bus-master IDE), SMART,
 * security, host protected area, per-device shadow task files (both devices
 * latch the same registers, which is what the bus does anyway).
 */
#ifndef FAULTLINE_ATA_H
#define FAULTLINE_ATA_H

#include <stdbool.h>
#include <stdint.h>

#include "blockdev.h"
#include "bus.h"
#include "state.h"

/* Status register (0x1F7 / alternate status 0x3F6). */
#define ATA_SR_ERR 0x01
#define ATA_SR_DRQ 0x08
#define ATA_SR_DSC 0x10
#define ATA_SR_DF 0x20
#define ATA_SR_DRDY 0x40
#define ATA_SR_BSY 0x80
/* Error register (0x1F1 read). */
#define ATA_ER_AMNF 0x01
#define ATA_ER_ABRT 0x04
#define ATA_ER_IDNF 0x10
#define ATA_ER_UNC 0x40
/* Device control register (0x3F6 write). */
#define ATA_DC_NIEN 0x02
#define ATA_DC_SRST 0x04
#define ATA_DC_HOB 0x80
/* Device/head register (0x1F6): 1 L 1 DEV HS3-HS0. */
#define ATA_DH_LBA 0x40
#define ATA_DH_DEV 0x10

enum { ATA_MAX_MULTIPLE = 16 };     /* sectors per DRQ block in READ/WRITE MULTIPLE */

typedef enum AtaXfer { ATA_XFER_NONE, ATA_XFER_IN, ATA_XFER_OUT } AtaXfer;

struct Atapi;

typedef struct Ata {
    /* Task file, as latched by both devices; hob_* hold the previous write (LBA48). */
    uint8_t feature, nsector, lba_low, lba_mid, lba_high;
    uint8_t hob_feature, hob_nsector, hob_lba_low, hob_lba_mid, hob_lba_high;
    uint8_t select, devctl;
    bool sig_latched;           /* reset signature still in the registers: DEV changes reload it */
    bool intrq;                 /* INTRQ asserted by the selected device */
    /* Per device. */
    uint8_t status[2], error[2];
    uint8_t mult_sectors[2];    /* 0: READ/WRITE MULTIPLE disabled */
    uint16_t cur_cyls[2], cur_heads[2], cur_spt[2];   /* logical CHS translation */
    uint8_t power_mode[2];      /* CHECK POWER MODE answer: 0xFF active/idle, 0x00 standby */
    /* The PIO transfer in progress on the selected device. */
    uint8_t xfer;               /* AtaXfer */
    uint8_t xfer_cmd;
    bool xfer_lba48;
    uint64_t xfer_lba;          /* first sector of the current block */
    uint32_t xfer_left;         /* sectors still to move, current block included */
    uint32_t xfer_block;        /* sectors in the current block */
    uint32_t buf_pos, buf_len;  /* bytes */
    uint8_t buf[ATA_MAX_MULTIPLE * BLOCK_SECTOR_SIZE];

    BlockDev *disk[2];          /* host side; NULL: no disk */
    struct Atapi *atapi[2];     /* a packet device in this position instead, or NULL */
    IrqLine irq;
    BusLogFn log;
    void *log_opaque;
    uint32_t logged;
} Ata;

/* Power-on state; master and slave may be NULL. */
void ata_init(Ata *ata, IrqLine irq, BlockDev *master, BlockDev *slave);
/* Hardware reset (RESET- on the cable): both devices show the signature. */
void ata_reset(Ata *ata);
/* Puts a packet device (atapi.h) at position dev (0 master, 1 slave) and
 * resets the channel so its signature shows. */
void ata_attach_atapi(Ata *ata, int dev, struct Atapi *atapi);
/* For packet devices: assert INTRQ (shown on the line unless nIEN). */
void ata_raise_irq(Ata *ata);
/* Maps the command block (8 ports at cmd_base) and the control port (ctl_base). */
bool ata_map(Ata *ata, IoSpace *ports, uint16_t cmd_base, uint16_t ctl_base);
/* The default CHS geometry of a disk: 16 heads, 63 sectors, cylinders from size. */
void ata_default_geometry(uint64_t sectors, uint16_t *cyls, uint16_t *heads, uint16_t *spt);

extern const StateDesc ata_state;

#endif
