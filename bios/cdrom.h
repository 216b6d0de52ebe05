/* SPDX-License-Identifier: MIT */
/*
 * Our BIOS's CD-ROM support, shared by cdrom.c (the ATAPI driver, POST
 * detection and the El Torito boot) and cdrom_int13.c (INT 13h for the CD
 * drive and for an emulated diskette).  The drive's record lives in the
 * EBDA after the hard disk table; the El Torito parsers are pure so the
 * unit tests can feed them sectors.
 */
#ifndef FAULTLINE_BIOS_CDROM_H
#define FAULTLINE_BIOS_CDROM_H

#include "bios_internal.h"

enum { CD_DRIVE = 0xE0, CD_SECTOR = 2048 };
enum { CD_SENSE_NOT_READY = 0x2, CD_SENSE_UNIT_ATTENTION = 0x6 };

/* El Torito boot media types (catalog entry byte 1, bits 0-3). */
enum { ELTORITO_NO_EMULATION = 0, ELTORITO_FLOPPY_1M2 = 1, ELTORITO_FLOPPY_1M44 = 2,
       ELTORITO_FLOPPY_2M88 = 3, ELTORITO_HARD_DISK = 4 };

typedef struct ElToritoBoot {
    uint8_t media;          /* ELTORITO_* */
    uint16_t load_segment;  /* 07C0h when the catalog says 0 */
    uint16_t sectors;       /* virtual 512-byte sectors to load (no emulation) */
    uint32_t lba;           /* the image's first 2048-byte sector */
} ElToritoBoot;

/* The Boot Record Volume Descriptor (sector 17): the boot catalog's sector,
 * or false when it is not an El Torito descriptor. */
bool eltorito_catalog_lba(const uint8_t sector[CD_SECTOR], uint32_t *lba);
/* The validation entry (header 01h, key 55AAh, words summing to 0) and the
 * initial/default entry (88h bootable); false when either is wrong. */
bool eltorito_parse_catalog(const uint8_t sector[CD_SECTOR], ElToritoBoot *boot);
/* Cylinders, heads and sectors per track of an emulated diskette (0 otherwise). */
void eltorito_floppy_geometry(uint8_t media, unsigned *cyls, unsigned *heads, unsigned *spt);

/* The drive's EBDA record (offset CD_RECORD). */
typedef struct CdDrive {
    uint16_t base;          /* ATA command block; 0: no CD-ROM drive */
    uint8_t slave;
    uint8_t emulation;      /* ELTORITO_* being emulated while `active` */
    bool active;            /* a diskette is emulated as drive 00h */
    uint8_t status;         /* last INT 13h status for the CD or the emulated drive */
    uint16_t load_segment, sectors;
    uint32_t image_lba;
    uint16_t equipment;     /* the equipment word before emulation began */
} CdDrive;

void cd_load(BiosCtx *c, unsigned seg, CdDrive *d);
void cd_store(BiosCtx *c, unsigned seg, const CdDrive *d);

/* Runs one packet command by polled PIO (retrying after UNIT ATTENTION);
 * data goes to buf (at most len bytes kept).  Returns 0 or the sense key
 * (0xFF: no answer). */
unsigned cd_command(BiosCtx *c, const CdDrive *d, const uint8_t cdb[12], uint8_t *buf, uint32_t len);
/* Ends diskette emulation (restoring the equipment word); EBDA in seg. */
void cdrom_end_emulation(BiosCtx *c, unsigned seg);
/* READ(10) of one 2048-byte sector. */
unsigned cd_read_sector(BiosCtx *c, const CdDrive *d, uint32_t lba, uint8_t buf[CD_SECTOR]);

#endif
