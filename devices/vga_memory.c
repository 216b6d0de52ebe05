/* SPDX-License-Identifier: MIT */
/*
 * The CPU's view of VGA memory (IBM VGA Technical Reference, "Graphics
 * Controller Registers" and "Sequencer Memory Mode Register"): the A0000-BFFFF
 * window decoded by the memory map select, the plane selection of chain-4,
 * odd/even and planar addressing, the four 8-bit latches loaded by every read,
 * read modes 0 (one plane) and 1 (colour compare), and write modes 0-3 with
 * set/reset, data rotate, the AND/OR/XOR function, the bit mask and the map
 * mask.  Not modelled: the odd/even page bit and the extended-memory bit
 * (memory is always 256 KiB).
 *
 *   CPU data --rotate--> set/reset --function(latch)--> bit mask --> planes
 *                                                                 (map mask)
 */
#include "vga_internal.h"

/* The window the memory map select field (GC misc bits 2-3) opens, as
 * offsets from A0000: 0 = A0000 128K, 1 = A0000 64K, 2 = B0000 32K, 3 = B8000 32K. */
static bool window_address(const Vga *vga, uint32_t offset, uint32_t *addr)
{
    static const uint32_t base[4] = { 0, 0, 0x10000, 0x18000 };
    static const uint32_t size[4] = { 0x20000, 0x10000, 0x8000, 0x8000 };
    unsigned sel = (vga->gc[GC_MISC] >> 2) & 3;
    if (!(vga->misc & MISC_RAM_ENABLE))
        return false;
    if (offset < base[sel] || offset - base[sel] >= size[sel])
        return false;
    *addr = offset - base[sel];
    return true;
}

static uint8_t *plane_byte(Vga *vga, uint32_t paddr, unsigned plane)
{
    return &vga->vram[(paddr & (VGA_PLANE_SIZE - 1)) * 4 + plane];
}

static uint8_t expand_bit(uint8_t value, unsigned bit)
{
    return (value >> bit) & 1 ? 0xFF : 0x00;
}

static uint8_t apply_function(const Vga *vga, uint8_t v, uint8_t latch)
{
    switch ((vga->gc[GC_ROTATE] >> 3) & 3) {
    case 1: return v & latch;
    case 2: return v | latch;
    case 3: return v ^ latch;
    default: return v;
    }
}

/* The byte write mode wm produces for one plane, before the map mask. */
static uint8_t write_mode_value(const Vga *vga, unsigned plane, uint8_t data)
{
    const uint8_t *gc = vga->gc;
    unsigned rot = gc[GC_ROTATE] & 7;
    uint8_t rotated = (uint8_t)((data >> rot) | (data << ((8 - rot) & 7)));
    uint8_t latch = vga->latch[plane];
    uint8_t mask = gc[GC_BIT_MASK];
    uint8_t v;
    switch (gc[GC_MODE] & 3) {
    case 1:
        return latch;
    case 2:
        v = expand_bit(data, plane);
        break;
    case 3:
        v = expand_bit(gc[GC_SET_RESET], plane);
        mask &= rotated;
        break;
    default:
        v = (gc[GC_ENABLE_SET_RESET] >> plane) & 1 ? expand_bit(gc[GC_SET_RESET], plane)
                                                   : rotated;
        break;
    }
    v = apply_function(vga, v, latch);
    return (uint8_t)((v & mask) | (latch & ~mask));
}

static void write_byte(Vga *vga, uint32_t addr, uint8_t data)
{
    uint8_t memmode = vga->seq[SEQ_MEMORY_MODE];
    uint8_t planes = vga->seq[SEQ_MAP_MASK] & 0x0F;
    uint32_t paddr = addr;
    if (memmode & SEQ_MEM_CHAIN4) {
        planes &= (uint8_t)(1u << (addr & 3));
        paddr = addr & ~3u;
    } else if (!(memmode & SEQ_MEM_SEQUENTIAL)) {
        /* Odd/even: even addresses reach planes 0 and 2, odd ones 1 and 3. */
        planes &= (addr & 1) ? 0x0A : 0x05;
        paddr = addr & ~1u;
    }
    if (!planes)
        return;
    for (unsigned p = 0; p < 4; p++) {
        if (planes & (1u << p))
            *plane_byte(vga, paddr, p) = write_mode_value(vga, p, data);
    }
    vga->changes++;
}

static uint8_t read_byte(Vga *vga, uint32_t addr)
{
    uint32_t paddr = addr;
    unsigned plane = vga->gc[GC_READ_MAP] & 3;
    if (vga->seq[SEQ_MEMORY_MODE] & SEQ_MEM_CHAIN4) {
        plane = addr & 3;
        paddr = addr & ~3u;
    } else if (vga->gc[GC_MODE] & GC_MODE_ODD_EVEN) {
        plane = (plane & 2) | (addr & 1);
        paddr = addr & ~1u;
    }
    for (unsigned p = 0; p < 4; p++)
        vga->latch[p] = *plane_byte(vga, paddr, p);
    if (!(vga->gc[GC_MODE] & GC_MODE_READ1))
        return vga->latch[plane];
    /* Colour compare: a 1 for each pixel whose cared-for planes match. */
    uint8_t diff = 0;
    for (unsigned p = 0; p < 4; p++) {
        if ((vga->gc[GC_DONT_CARE] >> p) & 1)
            diff |= vga->latch[p] ^ expand_bit(vga->gc[GC_COLOR_COMPARE], p);
    }
    return (uint8_t)~diff;
}

uint32_t vga_mem_read(void *opaque, uint32_t offset, unsigned size)
{
    Vga *vga = opaque;
    uint32_t value = 0;
    for (unsigned i = 0; i < size; i++) {
        uint32_t addr;
        uint8_t b = window_address(vga, offset + i, &addr) ? read_byte(vga, addr) : 0xFF;
        value |= (uint32_t)b << (8 * i);
    }
    return value;
}

void vga_mem_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    Vga *vga = opaque;
    for (unsigned i = 0; i < size; i++) {
        uint32_t addr;
        if (window_address(vga, offset + i, &addr))
            write_byte(vga, addr, (uint8_t)(value >> (8 * i)));
    }
}
