/* SPDX-License-Identifier: MIT */
/*
 * The physical address space as the CPU and bus masters see it: RAM, ROM
 * regions (writes ignored) and MMIO windows, looked up in that order.  On a PC
 * the 384 KiB between 640 KiB and 1 MiB is not RAM (VGA memory, option ROMs,
 * the BIOS); `legacy_hole` models that, and a bare machine (the CPU test
 * harness) turns it off to get flat RAM.  Unmapped addresses read all ones.
 * Physical addresses are 64-bit so PAE (36-bit) and long mode fit unchanged.
 * Not modelled yet: shadow RAM (PAM registers), the memory above 4 GiB.
 */
#ifndef FAULTLINE_MEMORY_H
#define FAULTLINE_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bus.h"

#define LEGACY_HOLE_START 0xA0000u
#define LEGACY_HOLE_END   0x100000u

enum { PHYS_MAX_ROMS = 8 };

typedef struct RomRegion {
    uint64_t base;
    uint32_t size;
    const uint8_t *data;    /* owned by the machine */
} RomRegion;

typedef struct PhysMem {
    uint8_t *ram;
    uint64_t ram_size;
    bool legacy_hole;
    RomRegion roms[PHYS_MAX_ROMS];
    int rom_count;
    IoSpace mmio;
} PhysMem;

/* Allocates zeroed RAM; returns false when the host cannot supply it. */
bool phys_init(PhysMem *mem, uint64_t ram_size, bool legacy_hole);
void phys_free(PhysMem *mem);
bool phys_add_rom(PhysMem *mem, uint64_t base, const uint8_t *data, uint32_t size);

/* The host pointer behind a RAM byte, or NULL when the address is not RAM. */
static inline uint8_t *phys_ram_ptr(PhysMem *mem, uint64_t addr)
{
    if (addr >= mem->ram_size)
        return NULL;
    if (mem->legacy_hole && addr >= LEGACY_HOLE_START && addr < LEGACY_HOLE_END)
        return NULL;
    return mem->ram + addr;
}

/* The slow path of phys_read/phys_write: ROM, MMIO, region boundaries. */
uint32_t phys_read_slow(PhysMem *mem, uint64_t addr, unsigned size);
void phys_write_slow(PhysMem *mem, uint64_t addr, uint32_t value, unsigned size);

/* Accesses of 1, 2 or 4 bytes, little-endian; may span regions.  The common
 * case -- all of it in RAM -- is inline and does fixed-size loads. */
static inline uint32_t phys_read(PhysMem *mem, uint64_t addr, unsigned size)
{
    uint8_t *p = phys_ram_ptr(mem, addr);
    if (p && phys_ram_ptr(mem, addr + size - 1)) {
        if (size == 1)
            return *p;
        if (size == 2) {
            uint16_t v;
            memcpy(&v, p, 2);
            return v;
        }
        uint32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    return phys_read_slow(mem, addr, size);
}

static inline void phys_write(PhysMem *mem, uint64_t addr, uint32_t value, unsigned size)
{
    uint8_t *p = phys_ram_ptr(mem, addr);
    if (p && phys_ram_ptr(mem, addr + size - 1)) {
        if (size == 1) {
            *p = (uint8_t)value;
        } else if (size == 2) {
            uint16_t v = (uint16_t)value;
            memcpy(p, &v, 2);
        } else {
            memcpy(p, &value, 4);
        }
        return;
    }
    phys_write_slow(mem, addr, value, size);
}
void phys_read_block(PhysMem *mem, uint64_t addr, void *dst, size_t len);
void phys_write_block(PhysMem *mem, uint64_t addr, const void *src, size_t len);

#endif
