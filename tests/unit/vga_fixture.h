/* SPDX-License-Identifier: MIT */
/*
 * Shared by the VGA unit tests: a VGA mapped into its own port and MMIO
 * spaces with a hand-advanced clock, and the register values of the standard
 * BIOS modes 03h, 12h and 13h (from the register tables in IBM's VGA
 * reference), loaded through the ports the way a video BIOS does.
 */
#ifndef FAULTLINE_VGA_FIXTURE_H
#define FAULTLINE_VGA_FIXTURE_H

#include <check.h>
#include <stdlib.h>

#include "bus.h"
#include "clock.h"
#include "vga.h"

typedef struct VgaRig {
    Clock clock;
    IoSpace ports, mmio;
    Vga vga;
} VgaRig;

typedef struct VgaModeRegs {
    uint8_t misc;
    uint8_t seq[5];
    uint8_t crtc[25];
    uint8_t gc[9];
    uint8_t attr[21];
} VgaModeRegs;

/* 80x25 colour text, 9x16 cells, 720x400 at 70 Hz. */
static const VgaModeRegs VGA_MODE_03 = {
    0x67,
    { 0x03, 0x00, 0x03, 0x00, 0x02 },
    { 0x5F, 0x4F, 0x50, 0x82, 0x55, 0x81, 0xBF, 0x1F, 0x00, 0x4F, 0x0D, 0x0E, 0x00,
      0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x1F, 0x96, 0xB9, 0xA3, 0xFF },
    { 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0E, 0x00, 0xFF },
    { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A, 0x3B, 0x3C,
      0x3D, 0x3E, 0x3F, 0x0C, 0x00, 0x0F, 0x08, 0x00 },
};

/* 640x480 16-colour planar at 60 Hz. */
static const VgaModeRegs VGA_MODE_12 = {
    0xE3,
    { 0x03, 0x01, 0x0F, 0x00, 0x06 },
    { 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0x0B, 0x3E, 0x00, 0x40, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0xEA, 0x8C, 0xDF, 0x28, 0x00, 0xE7, 0x04, 0xE3, 0xFF },
    { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0F, 0xFF },
    { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A, 0x3B, 0x3C,
      0x3D, 0x3E, 0x3F, 0x01, 0x00, 0x0F, 0x00, 0x00 },
};

/* 320x200 256-colour, chain-4, scan lines doubled by maximum scan line 1. */
static const VgaModeRegs VGA_MODE_13 = {
    0x63,
    { 0x03, 0x01, 0x0F, 0x00, 0x0E },
    { 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F, 0x00, 0x41, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x40, 0x96, 0xB9, 0xA3, 0xFF },
    { 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0F, 0xFF },
    { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C,
      0x0D, 0x0E, 0x0F, 0x41, 0x00, 0x0F, 0x00, 0x00 },
};

static inline VgaRig *vga_rig_new(void)
{
    VgaRig *r = calloc(1, sizeof(*r));
    ck_assert_ptr_nonnull(r);
    clock_init(&r->clock, CLOCK_DEFAULT_IPS);
    io_space_init(&r->ports, "port");
    io_space_init(&r->mmio, "mmio");
    vga_init(&r->vga, &r->clock);
    ck_assert(vga_map(&r->vga, &r->ports, &r->mmio));
    return r;
}

static inline void vga_out(VgaRig *r, uint32_t port, uint8_t v)
{
    io_space_write(&r->ports, port, v, 1);
}

static inline uint8_t vga_in(VgaRig *r, uint32_t port)
{
    return (uint8_t)io_space_read(&r->ports, port, 1);
}

/* Memory accesses by physical address (A0000-BFFFF). */
static inline void vga_poke(VgaRig *r, uint32_t phys, uint8_t v)
{
    io_space_write(&r->mmio, phys, v, 1);
}

static inline uint8_t vga_peek(VgaRig *r, uint32_t phys)
{
    return (uint8_t)io_space_read(&r->mmio, phys, 1);
}

static inline void vga_set_reg(VgaRig *r, uint32_t index_port, uint8_t index, uint8_t v)
{
    vga_out(r, index_port, index);
    vga_out(r, index_port + 1, v);
}

static inline uint8_t vga_get_reg(VgaRig *r, uint32_t index_port, uint8_t index)
{
    vga_out(r, index_port, index);
    return vga_in(r, index_port + 1);
}

static inline void vga_set_attr(VgaRig *r, uint8_t index, uint8_t v)
{
    vga_in(r, 0x3DA);
    vga_out(r, 0x3C0, index);
    vga_out(r, 0x3C0, v);
    vga_out(r, 0x3C0, 0x20);    /* PAS back on so the screen shows */
}

static inline void vga_load_mode(VgaRig *r, const VgaModeRegs *m)
{
    vga_out(r, 0x3C2, m->misc);
    for (uint8_t i = 0; i < 5; i++)
        vga_set_reg(r, 0x3C4, i, m->seq[i]);
    uint32_t crtc = (m->misc & 1) ? 0x3D4 : 0x3B4;
    vga_set_reg(r, crtc, 0x11, m->crtc[0x11] & 0x7F);   /* unlock 0-7 first */
    for (uint8_t i = 0; i < 25; i++)
        vga_set_reg(r, crtc, i, m->crtc[i]);
    for (uint8_t i = 0; i < 9; i++)
        vga_set_reg(r, 0x3CE, i, m->gc[i]);
    vga_in(r, (m->misc & 1) ? 0x3DA : 0x3BA);
    for (uint8_t i = 0; i < 21; i++) {
        vga_out(r, 0x3C0, i);
        vga_out(r, 0x3C0, m->attr[i]);
    }
    vga_out(r, 0x3C0, 0x20);
}

/* Writes one DAC entry through 3C8/3C9. */
static inline void vga_set_dac(VgaRig *r, uint8_t index, uint8_t red, uint8_t green, uint8_t blue)
{
    vga_out(r, 0x3C8, index);
    vga_out(r, 0x3C9, red);
    vga_out(r, 0x3C9, green);
    vga_out(r, 0x3C9, blue);
}

#endif
