/* SPDX-License-Identifier: MIT */
/*
 * Reads of guest memory that leave no trace (see dbgmem.h): the page walk of
 * SDM vol. 3, ch. 4 with set_ad false, and physical reads that stop at RAM
 * and ROM.  Not modelled: reading device memory (MMIO), which returns 0xFF.
 */
#include "dbgmem.h"

#include "cpu_internal.h"

static uint8_t phys_byte(PhysMem *mem, uint64_t phys)
{
    const uint8_t *p = phys_ram_ptr(mem, phys);
    if (p)
        return *p;
    for (int i = 0; i < mem->rom_count; i++) {
        const RomRegion *r = &mem->roms[i];
        if (phys >= r->base && phys - r->base < r->size)
            return r->data[phys - r->base];
    }
    return 0xFF;
}

uint64_t dbg_phys_read(Cpu *cpu, uint64_t phys, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)phys_byte(cpu->mem, phys + i) << (8 * i);
    return v;
}

size_t dbg_read_linear(Cpu *cpu, uint32_t lin, void *buf, size_t len)
{
    uint8_t *p = buf;
    uint64_t phys = 0;
    for (size_t i = 0; i < len; i++) {
        uint32_t a = lin + (uint32_t)i;
        /* One walk per page: the tracer calls this for every instruction. */
        if ((i == 0 || (a & 0xFFF) == 0) && !cpu_debug_translate(cpu, a, &phys))
            return i;
        p[i] = phys_byte(cpu->mem, (phys & ~0xFFFull) | (a & 0xFFF));
    }
    return len;
}

bool dbg_read_lin(Cpu *cpu, uint32_t lin, unsigned size, uint32_t *value)
{
    uint8_t b[4] = { 0 };
    if (dbg_read_linear(cpu, lin, b, size) != size)
        return false;
    *value = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return true;
}
