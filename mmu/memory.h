/* SPDX-License-Identifier: MIT */
/*
 * The physical address space as the CPU and bus masters see it: RAM, ROM
 * regions (writes ignored) and MMIO windows, looked up in that order.  On a PC
 * the 384 KiB between 640 KiB and 1 MiB is not RAM (VGA memory, option ROMs,
 * the BIOS); `legacy_hole` models that, and a bare machine (the CPU test
 * harness) turns it off to get flat RAM.  Unmapped addresses read all ones.
 * Physical addresses are 64-bit so PAE (36-bit) and long mode fit unchanged.
 * Shadow RAM: the RAM behind the hole (384 KiB of its own backing, so it
 * exists whatever the RAM size) is routed per 16 KiB segment of
 * C0000h-FFFFFh, as a chipset's PAM registers do: reads from ROM/MMIO or
 * RAM, writes to RAM or on to ROM/MMIO (dropped by a ROM).  A segment is a
 * host-pointer RAM page only when both go to RAM.  Not modelled yet: SMRAM
 * at A0000h, the memory above 4 GiB.
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

/* Shadow routing of one 16 KiB segment (the PAM RE/WE bits). */
#define SHADOW_BASE 0xC0000u
#define SHADOW_SEGMENT 0x4000u
#define SHADOW_SEGMENTS 16
#define SHADOW_READ_RAM 0x1u
#define SHADOW_WRITE_RAM 0x2u
#define SHADOW_RAM (SHADOW_READ_RAM | SHADOW_WRITE_RAM)

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
    uint8_t *shadow;        /* backing of A0000h-FFFFFh behind the hole */
    uint8_t shadow_mode[SHADOW_SEGMENTS];   /* SHADOW_* per segment of C0000h-FFFFFh */
    /* Called when routing changed, so cached host pointers (the CPU's TLB and
     * fetch page) are dropped; set by the machine. */
    void (*remap)(void *opaque);
    void *remap_opaque;
} PhysMem;

/* Allocates zeroed RAM; returns false when the host cannot supply it. */
bool phys_init(PhysMem *mem, uint64_t ram_size, bool legacy_hole);
void phys_free(PhysMem *mem);
bool phys_add_rom(PhysMem *mem, uint64_t base, const uint8_t *data, uint32_t size);
/* Routes the 16 KiB segments of [base, base+size) inside C0000h-FFFFFh
 * (SHADOW_* bits); calls remap when anything changed. */
void phys_set_shadow(PhysMem *mem, uint32_t base, uint32_t size, unsigned mode);

/* Shadow RAM behind the hole, when both reads and writes go to it. */
static inline uint8_t *phys_shadow_ptr(PhysMem *mem, uint64_t addr)
{
    if (addr < SHADOW_BASE || mem->shadow_mode[(addr - SHADOW_BASE) / SHADOW_SEGMENT] != SHADOW_RAM)
        return NULL;
    return mem->shadow + (addr - LEGACY_HOLE_START);
}

/* The host pointer behind a RAM byte (reads and writes both reach it), or
 * NULL when the address is not RAM. */
static inline uint8_t *phys_ram_ptr(PhysMem *mem, uint64_t addr)
{
    if (mem->legacy_hole && addr >= LEGACY_HOLE_START && addr < LEGACY_HOLE_END)
        return phys_shadow_ptr(mem, addr);
    if (addr >= mem->ram_size)
        return NULL;
    return mem->ram + addr;
}

/* The slow path of phys_read/phys_write: ROM, MMIO, region boundaries. */
uint32_t phys_read_slow(PhysMem *mem, uint64_t addr, unsigned size);
void phys_write_slow(PhysMem *mem, uint64_t addr, uint32_t value, unsigned size);

/* Loads and stores of 1, 2 or 4 bytes at a host pointer into guest RAM
 * (little-endian guest on a little-endian host). */
static inline uint32_t host_load(const uint8_t *p, unsigned size)
{
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

static inline void host_store(uint8_t *p, uint32_t value, unsigned size)
{
    if (size == 1) {
        *p = (uint8_t)value;
    } else if (size == 2) {
        uint16_t v = (uint16_t)value;
        memcpy(p, &v, 2);
    } else {
        memcpy(p, &value, 4);
    }
}

/* Accesses of 1, 2 or 4 bytes, little-endian; may span regions.  The common
 * case -- all of it in one piece of host RAM (shadow RAM at FFFFFh and RAM
 * at 100000h are two) -- is inline and does fixed-size loads. */
static inline uint32_t phys_read(PhysMem *mem, uint64_t addr, unsigned size)
{
    uint8_t *p = phys_ram_ptr(mem, addr);
    if (p && phys_ram_ptr(mem, addr + size - 1) == p + size - 1)
        return host_load(p, size);
    return phys_read_slow(mem, addr, size);
}

static inline void phys_write(PhysMem *mem, uint64_t addr, uint32_t value, unsigned size)
{
    uint8_t *p = phys_ram_ptr(mem, addr);
    if (p && phys_ram_ptr(mem, addr + size - 1) == p + size - 1) {
        host_store(p, value, size);
        return;
    }
    phys_write_slow(mem, addr, value, size);
}
void phys_read_block(PhysMem *mem, uint64_t addr, void *dst, size_t len);
void phys_write_block(PhysMem *mem, uint64_t addr, const void *src, size_t len);

#endif
