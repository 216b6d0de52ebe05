/* SPDX-License-Identifier: MIT */
/*
 * Pure parts of services.c exposed for unit tests: the E820 memory map and
 * the boot order read from CMOS 3Dh/38h (Bochs/QEMU convention).
 */
#ifndef FAULTLINE_BIOS_SERVICES_H
#define FAULTLINE_BIOS_SERVICES_H

#include "bios_internal.h"

enum { E820_RAM = 1, E820_RESERVED = 2, E820_MAX = 8 };

typedef struct E820Entry {
    uint64_t base, length;
    uint32_t type;
} E820Entry;

/* Conventional RAM below the 1 KiB EBDA at 9FC00, the EBDA and the BIOS ROM
 * reserved, then RAM above 1 MiB: ext_kb KiB (CMOS 17h/18h), or up to 16 MiB
 * plus high_64k 64 KiB blocks (CMOS 34h/35h).  Returns the entry count. */
unsigned e820_build(uint32_t ext_kb, uint32_t high_64k, E820Entry *map);

enum { BOOT_FLOPPY = 1, BOOT_DISK = 2, BOOT_CDROM = 3 };
/* Boot devices in order: CMOS 3Dh low nibble, high nibble, 38h bits 4-7;
 * floppy then hard disk when 3Dh is 0.  Returns how many. */
unsigned boot_order(uint8_t cmos3d, uint8_t cmos38, uint8_t order[3]);

#endif
