/* SPDX-License-Identifier: MIT */
/*
 * Physical memory: RAM first, then ROM regions, then MMIO windows.  Accesses
 * that straddle a region boundary are done a byte at a time, so each byte
 * goes where the address decoder would send it.  Shadow RAM behind the
 * legacy hole is routed per segment: a segment whose reads and writes both
 * go to RAM is plain RAM (phys_ram_ptr), a split one is resolved per byte.
 */
#include "memory.h"

#include <stdlib.h>
#include <string.h>

bool phys_init(PhysMem *mem, uint64_t ram_size, bool legacy_hole)
{
    memset(mem, 0, sizeof(*mem));
    mem->ram = calloc(1, ram_size);
    if (!mem->ram)
        return false;
    mem->ram_size = ram_size;
    mem->legacy_hole = legacy_hole;
    if (legacy_hole) {
        mem->shadow = calloc(1, LEGACY_HOLE_END - LEGACY_HOLE_START);
        if (!mem->shadow) {
            free(mem->ram);
            mem->ram = NULL;
            return false;
        }
    }
    io_space_init(&mem->mmio, "mmio");
    return true;
}

void phys_free(PhysMem *mem)
{
    free(mem->ram);
    free(mem->shadow);
    mem->ram = NULL;
    mem->shadow = NULL;
}

bool phys_add_rom(PhysMem *mem, uint64_t base, const uint8_t *data, uint32_t size)
{
    if (mem->rom_count == PHYS_MAX_ROMS)
        return false;
    mem->roms[mem->rom_count++] = (RomRegion){ .base = base, .size = size, .data = data };
    return true;
}

void phys_set_shadow(PhysMem *mem, uint32_t base, uint32_t size, unsigned mode)
{
    bool changed = false;
    for (uint32_t a = base; a - base < size; a += SHADOW_SEGMENT) {
        if (a < SHADOW_BASE || a >= LEGACY_HOLE_END)
            continue;
        uint8_t *m = &mem->shadow_mode[(a - SHADOW_BASE) / SHADOW_SEGMENT];
        changed |= *m != (uint8_t)(mode & SHADOW_RAM);
        *m = (uint8_t)(mode & SHADOW_RAM);
    }
    if (changed && mem->remap)
        mem->remap(mem->remap_opaque);
}

/* The shadow byte an access of this kind reaches, or NULL when it goes on
 * to ROM or MMIO. */
static uint8_t *shadow_byte(PhysMem *mem, uint64_t addr, unsigned kind)
{
    if (!mem->shadow || addr < SHADOW_BASE || addr >= LEGACY_HOLE_END)
        return NULL;
    if (!(mem->shadow_mode[(addr - SHADOW_BASE) / SHADOW_SEGMENT] & kind))
        return NULL;
    return mem->shadow + (addr - LEGACY_HOLE_START);
}

static const RomRegion *find_rom(const PhysMem *mem, uint64_t addr)
{
    for (int i = 0; i < mem->rom_count; i++)
        if (addr - mem->roms[i].base < mem->roms[i].size)
            return &mem->roms[i];
    return NULL;
}

static uint8_t read_byte(PhysMem *mem, uint64_t addr)
{
    uint8_t *ram = phys_ram_ptr(mem, addr);
    if (!ram)
        ram = shadow_byte(mem, addr, SHADOW_READ_RAM);
    if (ram)
        return *ram;
    const RomRegion *rom = find_rom(mem, addr);
    if (rom)
        return rom->data[addr - rom->base];
    if (addr > UINT32_MAX)
        return 0xFF;
    return (uint8_t)io_space_read(&mem->mmio, (uint32_t)addr, 1);
}

static void write_byte(PhysMem *mem, uint64_t addr, uint8_t value)
{
    uint8_t *ram = phys_ram_ptr(mem, addr);
    if (!ram)
        ram = shadow_byte(mem, addr, SHADOW_WRITE_RAM);
    if (ram) {
        *ram = value;
        return;
    }
    if (find_rom(mem, addr) || addr > UINT32_MAX)
        return;
    io_space_write(&mem->mmio, (uint32_t)addr, value, 1);
}

uint32_t phys_read_slow(PhysMem *mem, uint64_t addr, unsigned size)
{
    if (addr <= UINT32_MAX && !phys_ram_ptr(mem, addr) && !shadow_byte(mem, addr, SHADOW_READ_RAM) &&
        !find_rom(mem, addr)) {
        const IoWindow *w = io_space_find(&mem->mmio, (uint32_t)addr);
        if (w && addr + size <= (uint64_t)w->base + w->length)
            return io_space_read(&mem->mmio, (uint32_t)addr, size);
    }
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)read_byte(mem, addr + i) << (i * 8);
    return v;
}

void phys_write_slow(PhysMem *mem, uint64_t addr, uint32_t value, unsigned size)
{
    if (addr <= UINT32_MAX && !phys_ram_ptr(mem, addr) && !shadow_byte(mem, addr, SHADOW_WRITE_RAM) &&
        !find_rom(mem, addr)) {
        const IoWindow *w = io_space_find(&mem->mmio, (uint32_t)addr);
        if (w && addr + size <= (uint64_t)w->base + w->length) {
            io_space_write(&mem->mmio, (uint32_t)addr, value, size);
            return;
        }
    }
    for (unsigned i = 0; i < size; i++)
        write_byte(mem, addr + i, (uint8_t)(value >> (i * 8)));
}

void phys_read_block(PhysMem *mem, uint64_t addr, void *dst, size_t len)
{
    uint8_t *out = dst;
    for (size_t i = 0; i < len; i++)
        out[i] = read_byte(mem, addr + i);
}

void phys_write_block(PhysMem *mem, uint64_t addr, const void *src, size_t len)
{
    const uint8_t *in = src;
    for (size_t i = 0; i < len; i++)
        write_byte(mem, addr + i, in[i]);
}
