/* SPDX-License-Identifier: MIT */
/*
 * The 256-word IDENTIFY DEVICE block of our ATA disk (ATA/ATAPI-6 8.15,
 * table 29): strings, default and current CHS geometry, LBA28 and LBA48
 * capacities, the feature words and PIO modes.  Kept apart from the channel
 * so ata.c stays about the protocol.
 */
#ifndef FAULTLINE_ATA_IDENTIFY_H
#define FAULTLINE_ATA_IDENTIFY_H

#include <stdint.h>

typedef struct AtaIdentityInput {
    uint64_t sectors;           /* disk size in 512-byte sectors */
    int dev;                    /* 0 master, 1 slave: only varies the serial number */
    uint16_t cur_cyls, cur_heads, cur_spt;      /* current CHS translation */
    uint8_t mult_sectors;       /* current READ/WRITE MULTIPLE setting, 0 = off */
} AtaIdentityInput;

/* Fills out[512] in the byte order the data port delivers (words little-endian). */
void ata_identify_build(const AtaIdentityInput *in, uint8_t out[512]);

#endif
