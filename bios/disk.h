/* SPDX-License-Identifier: MIT */
/*
 * Hard disk internals exposed for unit tests: the BIOS (logical) geometry
 * a drive is given and the CHS to LBA mapping through it.
 */
#ifndef FAULTLINE_BIOS_DISK_H
#define FAULTLINE_BIOS_DISK_H

#include "bios_internal.h"

typedef struct DiskGeometry {
    uint16_t cyls;          /* at most 1024 (INT 13h AH=02h addresses 10 bits) */
    uint16_t heads;         /* 1-255 */
    uint8_t spt;            /* 1-63 */
} DiskGeometry;

typedef struct Disk {
    uint16_t base;          /* ATA command block: 1F0h or 170h */
    uint8_t slave;
    bool lba48;
    DiskGeometry geo;
    uint64_t sectors;
} Disk;

/* The geometry of an existing partition table in `mbr` when it has one (the
 * one its entries' CHS and LBA fields agree with: the largest ending head
 * and sector, else the usual 255/240/128/64/32/16 heads x 63 or 32 sectors),
 * else LBA-assisted translation:
 * 63 sectors and 16, 32, 64, 128 or 255 heads, the fewest that keep the
 * disk within 1024 cylinders.  `mbr` may be NULL. */
void disk_pick_geometry(const uint8_t *mbr, uint64_t sectors, DiskGeometry *g);
/* False when (cyl, head, sector) lies outside the geometry (sector is 1-based). */
bool disk_chs_to_lba(const DiskGeometry *g, unsigned cyl, unsigned head, unsigned sector, uint32_t *lba);

#endif
