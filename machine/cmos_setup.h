/* SPDX-License-Identifier: MIT */
/*
 * What the board's setup writes into CMOS before power-on, in the layout of
 * the IBM AT plus the Bochs/QEMU extensions that SeaBIOS, the Bochs BIOS and
 * our own BIOS all read: memory sizes, floppy and hard-disk types and
 * geometry, the equipment byte, the boot order, and the checksum.
 */
#ifndef FAULTLINE_CMOS_SETUP_H
#define FAULTLINE_CMOS_SETUP_H

#include <stdbool.h>
#include <stdint.h>

#include "mc146818.h"

/* CMOS floppy drive types (register 10h nibbles). */
enum { CMOS_FLOPPY_NONE = 0, CMOS_FLOPPY_360K = 1, CMOS_FLOPPY_1M2 = 2, CMOS_FLOPPY_720K = 3,
       CMOS_FLOPPY_1M44 = 4, CMOS_FLOPPY_2M88 = 5 };

typedef struct CmosDisk {
    bool present;
    uint32_t cylinders;
    uint8_t heads, sectors;
} CmosDisk;

typedef struct CmosConfig {
    uint64_t ram_bytes;
    uint8_t floppy_type[2];     /* CMOS_FLOPPY_* */
    CmosDisk disk[2];           /* primary master and slave */
    const char *boot_order;     /* QEMU's -boot letters: a floppy, c disk, d CD-ROM */
    bool fpu;
} CmosConfig;

/* The floppy type for an image size in bytes (CMOS_FLOPPY_NONE if none fits). */
uint8_t cmos_floppy_type_for_size(uint64_t bytes);
/* Checks a -boot string; false if it has a letter other than a, c, d or more than 3. */
bool cmos_boot_order_valid(const char *order);
void cmos_setup(Mc146818 *rtc, const CmosConfig *cfg);

#endif
