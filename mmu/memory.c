/* SPDX-License-Identifier: MIT */
/*
 * Physical memory: RAM first, then ROM regions, then MMIO windows.  Accesses
 * that straddle a region boundary are done a byte at a time, so each byte
 * goes where the address decoder would send it.
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
    io_space_init(&mem->mmio, "mmio");
    return true;
}

void phys_free(PhysMem *mem)
{
    free(mem->ram);
    mem->ram = NULL;
}

bool phys_add_rom(PhysMem *mem, uint64_t base, const uint8_t *data, uint32_t size)
{
    if (mem->rom_count == PHYS_MAX_ROMS)
        return false;
    mem->roms[mem->rom_count++] = (RomRegion){ .base = base, .size = size, .data = data };
    return true;
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
    if (addr <= UINT32_MAX && !phys_ram_ptr(mem, addr) && !find_rom(mem, addr)) {
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
    if (addr <= UINT32_MAX && !phys_ram_ptr(mem, addr) && !find_rom(mem, addr)) {
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
