/* SPDX-License-Identifier: MIT */
/*
 * VGA mode setting for INT 10h AH=00h: the standard IBM VGA register values
 * of each mode (IBM VGA Technical Reference, "Video modes": miscellaneous
 * output, sequencer 1-4, CRTC 0-18h, attribute 0-14h, graphics 0-8), the
 * DAC's default colours, the fonts loaded into plane 2 and the BDA fields.
 * Video memory is reached through FS = A000 and DS = B000, as the INT 10h
 * stub sets them.  Not modelled: the 200-line text modes of the CGA
 * (modes 00h-03h always use 400 scan lines), grey-scale summing.
 */
#include "video.h"

#define TEXT_ATTR { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A, 0x3B, \
                    0x3C, 0x3D, 0x3E, 0x3F, 0x0C, 0x00, 0x0F, 0x08, 0x00 }
#define EGA_ATTR { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11, 0x12, 0x13, \
                   0x14, 0x15, 0x16, 0x17, 0x01, 0x00, 0x0F, 0x00, 0x00 }
#define VGA_ATTR { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A, 0x3B, \
                   0x3C, 0x3D, 0x3E, 0x3F, 0x01, 0x00, 0x0F, 0x00, 0x00 }
#define CRTC_40COL { 0x2D, 0x27, 0x28, 0x90, 0x2B, 0xA0, 0xBF, 0x1F, 0x00, 0x4F, 0x0D, 0x0E, \
                     0, 0, 0, 0, 0x9C, 0x8E, 0x8F, 0x14, 0x1F, 0x96, 0xB9, 0xA3, 0xFF }
#define CRTC_80COL { 0x5F, 0x4F, 0x50, 0x82, 0x55, 0x81, 0xBF, 0x1F, 0x00, 0x4F, 0x0D, 0x0E, \
                     0, 0, 0, 0, 0x9C, 0x8E, 0x8F, 0x28, 0x1F, 0x96, 0xB9, 0xA3, 0xFF }
#define CRTC_350 { 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F, 0x00, 0x40, 0, 0, \
                   0, 0, 0, 0, 0x83, 0x85, 0x5D, 0x28, 0x0F, 0x63, 0xBA, 0xE3, 0xFF }
#define GC_TEXT { 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0E, 0x00, 0xFF }
#define GC_PLANAR { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0F, 0xFF }

static const VideoMode modes[] = {
    { 0x00, VM_TEXT, 40, 25, 16, 0x0800, 0x67, { 0x08, 0x03, 0x00, 0x02 }, CRTC_40COL, TEXT_ATTR, GC_TEXT },
    { 0x01, VM_TEXT, 40, 25, 16, 0x0800, 0x67, { 0x08, 0x03, 0x00, 0x02 }, CRTC_40COL, TEXT_ATTR, GC_TEXT },
    { 0x02, VM_TEXT, 80, 25, 16, 0x1000, 0x67, { 0x00, 0x03, 0x00, 0x02 }, CRTC_80COL, TEXT_ATTR, GC_TEXT },
    { 0x03, VM_TEXT, 80, 25, 16, 0x1000, 0x67, { 0x00, 0x03, 0x00, 0x02 }, CRTC_80COL, TEXT_ATTR, GC_TEXT },
    { 0x04, VM_CGA4, 40, 25, 8, 0x4000, 0x63, { 0x09, 0x03, 0x00, 0x02 },
      { 0x2D, 0x27, 0x28, 0x90, 0x2B, 0x80, 0xBF, 0x1F, 0x00, 0xC1, 0, 0, 0, 0, 0, 0,
        0x9C, 0x8E, 0x8F, 0x14, 0x00, 0x96, 0xB9, 0xA2, 0xFF },
      { 0x00, 0x13, 0x15, 0x17, 0x02, 0x04, 0x06, 0x07, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
        0x16, 0x17, 0x01, 0x00, 0x03, 0x00, 0x00 },
      { 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x0F, 0x00, 0xFF } },
    { 0x05, VM_CGA4, 40, 25, 8, 0x4000, 0x63, { 0x09, 0x03, 0x00, 0x02 },
      { 0x2D, 0x27, 0x28, 0x90, 0x2B, 0x80, 0xBF, 0x1F, 0x00, 0xC1, 0, 0, 0, 0, 0, 0,
        0x9C, 0x8E, 0x8F, 0x14, 0x00, 0x96, 0xB9, 0xA2, 0xFF },
      { 0x00, 0x13, 0x15, 0x17, 0x02, 0x04, 0x06, 0x07, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
        0x16, 0x17, 0x01, 0x00, 0x03, 0x00, 0x00 },
      { 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x0F, 0x00, 0xFF } },
    { 0x06, VM_CGA2, 80, 25, 8, 0x4000, 0x63, { 0x01, 0x01, 0x00, 0x06 },
      { 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F, 0x00, 0xC1, 0, 0, 0, 0, 0, 0,
        0x9C, 0x8E, 0x8F, 0x28, 0x00, 0x96, 0xB9, 0xC2, 0xFF },
      { 0x00, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17,
        0x17, 0x17, 0x01, 0x00, 0x01, 0x00, 0x00 },
      { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0D, 0x00, 0xFF } },
    { 0x07, VM_MONO, 80, 25, 16, 0x1000, 0xA6, { 0x00, 0x03, 0x00, 0x02 },
      { 0x5F, 0x4F, 0x50, 0x82, 0x55, 0x81, 0xBF, 0x1F, 0x00, 0x4F, 0x0D, 0x0E, 0, 0, 0, 0,
        0x9C, 0x8E, 0x8F, 0x28, 0x0F, 0x96, 0xB9, 0xA3, 0xFF },
      { 0x00, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x10, 0x18, 0x18, 0x18, 0x18, 0x18,
        0x18, 0x18, 0x0E, 0x00, 0x0F, 0x08, 0x00 },
      { 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0A, 0x00, 0xFF } },
    { 0x0D, VM_PLANAR, 40, 25, 8, 0x2000, 0x63, { 0x09, 0x0F, 0x00, 0x06 },
      { 0x2D, 0x27, 0x28, 0x90, 0x2B, 0x80, 0xBF, 0x1F, 0x00, 0xC0, 0, 0, 0, 0, 0, 0,
        0x9C, 0x8E, 0x8F, 0x14, 0x00, 0x96, 0xB9, 0xE3, 0xFF }, EGA_ATTR, GC_PLANAR },
    { 0x0E, VM_PLANAR, 80, 25, 8, 0x4000, 0x63, { 0x01, 0x0F, 0x00, 0x06 },
      { 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F, 0x00, 0xC0, 0, 0, 0, 0, 0, 0,
        0x9C, 0x8E, 0x8F, 0x28, 0x00, 0x96, 0xB9, 0xE3, 0xFF }, EGA_ATTR, GC_PLANAR },
    { 0x0F, VM_PLANAR, 80, 25, 14, 0x8000, 0xA2, { 0x01, 0x0F, 0x00, 0x06 }, CRTC_350,
      { 0x00, 0x08, 0x00, 0x00, 0x18, 0x18, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x18,
        0x00, 0x00, 0x0B, 0x00, 0x05, 0x00, 0x00 },
      { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x05, 0xFF } },
    { 0x10, VM_PLANAR, 80, 25, 14, 0x8000, 0xA3, { 0x01, 0x0F, 0x00, 0x06 }, CRTC_350, VGA_ATTR, GC_PLANAR },
    { 0x11, VM_PLANAR, 80, 30, 16, 0xA000, 0xE3, { 0x01, 0x0F, 0x00, 0x06 },
      { 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0x0B, 0x3E, 0x00, 0x40, 0, 0, 0, 0, 0, 0,
        0xEA, 0x8C, 0xDF, 0x28, 0x00, 0xE7, 0x04, 0xC3, 0xFF },
      { 0x00, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F,
        0x3F, 0x3F, 0x01, 0x00, 0x0F, 0x00, 0x00 }, GC_PLANAR },
    { 0x12, VM_PLANAR, 80, 30, 16, 0xA000, 0xE3, { 0x01, 0x0F, 0x00, 0x06 },
      { 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0x0B, 0x3E, 0x00, 0x40, 0, 0, 0, 0, 0, 0,
        0xEA, 0x8C, 0xDF, 0x28, 0x00, 0xE7, 0x04, 0xE3, 0xFF }, VGA_ATTR, GC_PLANAR },
    { 0x13, VM_LINEAR, 40, 25, 8, 0xFA00, 0x63, { 0x01, 0x0F, 0x00, 0x0E },
      { 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F, 0x00, 0x41, 0, 0, 0, 0, 0, 0,
        0x9C, 0x8E, 0x8F, 0x28, 0x40, 0x96, 0xB9, 0xA3, 0xFF },
      { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D,
        0x0E, 0x0F, 0x41, 0x00, 0x0F, 0x00, 0x00 },
      { 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0F, 0xFF } },
};

const VideoMode *video_mode_find(uint8_t mode)
{
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
        if (modes[i].mode == mode)
            return &modes[i];
    return NULL;
}

/* EGA colour number (bits: 0 B, 1 G, 2 R two-thirds; 3 b, 4 g, 5 r one-third). */
static void ega_rgb(uint8_t n, uint8_t rgb[3])
{
    for (int k = 0; k < 3; k++) {
        int hi = (n >> (2 - k)) & 1, lo = (n >> (5 - k)) & 1;
        rgb[k] = (uint8_t)(hi * 0x2A + lo * 0x15);
    }
}

/* The VGA's default 256-colour palette (mode 13h): the 16 EGA colours, 16
 * greys, then nine 24-step hue circles (three brightnesses x three
 * saturations), then black. */
void video_default_dac(uint16_t index, uint8_t rgb[3])
{
    static const uint8_t ega16[16] = { 0, 1, 2, 3, 4, 5, 20, 7, 56, 57, 58, 59, 60, 61, 62, 63 };
    static const uint8_t grey[16] = { 0x00, 0x05, 0x08, 0x0B, 0x0E, 0x11, 0x14, 0x18,
                                      0x1C, 0x20, 0x24, 0x28, 0x2D, 0x32, 0x38, 0x3F };
    static const uint8_t hi[3] = { 0x3F, 0x1C, 0x10 };
    static const uint8_t lo[3][3] = { { 0x00, 0x1F, 0x2D }, { 0x00, 0x0E, 0x14 }, { 0x00, 0x08, 0x0B } };
    /* Levels 0-4 of R, G, B around the circle, blue first. */
    static const uint8_t hue[24][3] = {
        { 0, 0, 4 }, { 1, 0, 4 }, { 2, 0, 4 }, { 3, 0, 4 }, { 4, 0, 4 }, { 4, 0, 3 }, { 4, 0, 2 }, { 4, 0, 1 },
        { 4, 0, 0 }, { 4, 1, 0 }, { 4, 2, 0 }, { 4, 3, 0 }, { 4, 4, 0 }, { 3, 4, 0 }, { 2, 4, 0 }, { 1, 4, 0 },
        { 0, 4, 0 }, { 0, 4, 1 }, { 0, 4, 2 }, { 0, 4, 3 }, { 0, 4, 4 }, { 0, 3, 4 }, { 0, 2, 4 }, { 0, 1, 4 },
    };
    if (index < 16) {
        ega_rgb(ega16[index], rgb);
    } else if (index < 32) {
        rgb[0] = rgb[1] = rgb[2] = grey[index - 16];
    } else if (index < 248) {
        unsigned g = (index - 32) / 24, h = (index - 32) % 24;
        unsigned top = hi[g / 3], bottom = lo[g / 3][g % 3];
        for (int k = 0; k < 3; k++)
            rgb[k] = (uint8_t)(bottom + ((top - bottom) * hue[h][k] + 1) / 4);
    } else {
        rgb[0] = rgb[1] = rgb[2] = 0;
    }
}

/* The 200-line modes see a CGA-like 64-entry table: bits 0-2 B, G, R and
 * bit 4 intensity (so attribute values 10h-17h are the bright colours),
 * with colour 6 brown as on the CGA monitor. */
static void cga_rgb(uint8_t n, uint8_t rgb[3])
{
    uint8_t i = (n & 0x10) ? 0x15 : 0;
    rgb[0] = (uint8_t)(((n & 4) ? 0x2A : 0) + i);
    rgb[1] = (uint8_t)(((n & 2) ? 0x2A : 0) + i);
    rgb[2] = (uint8_t)(((n & 1) ? 0x2A : 0) + i);
    if ((n & 0x17) == 0x06)
        rgb[1] = 0x15;
}

static void load_dac(BiosCtx *c, const VideoMode *m)
{
    uint8_t rgb[3];
    port_out8(c, 0x3C6, 0xFF);
    port_out8(c, 0x3C8, 0);
    for (unsigned i = 0; i < 256; i++) {
        if (m->kind == VM_LINEAR)
            video_default_dac((uint16_t)i, rgb);
        else if (m->kind == VM_MONO || m->mode == 0x0F)
            rgb[0] = rgb[1] = rgb[2] = (uint8_t)((i & 0x10 ? 0x2A : 0) + (i & 0x08 ? 0x15 : 0));
        else if (i < 64 && m->char_h == 8)
            cga_rgb((uint8_t)i, rgb);
        else if (i < 64)
            ega_rgb((uint8_t)i, rgb);
        else
            rgb[0] = rgb[1] = rgb[2] = 0;
        for (int k = 0; k < 3; k++)
            port_out8(c, 0x3C9, rgb[k]);
    }
}

void video_write_regs(BiosCtx *c, const VideoMode *m)
{
    uint16_t crtc = m->kind == VM_MONO ? 0x3B4 : 0x3D4;
    port_out8(c, 0x3C4, 0x00);
    port_out8(c, 0x3C5, 0x01);                  /* synchronous reset */
    port_out8(c, 0x3C2, m->misc);
    for (int i = 0; i < 4; i++) {
        port_out8(c, 0x3C4, (uint8_t)(i + 1));
        port_out8(c, 0x3C5, m->seq[i]);
    }
    port_out8(c, 0x3C4, 0x00);
    port_out8(c, 0x3C5, 0x03);
    port_out8(c, crtc, 0x11);
    port_out8(c, crtc + 1, 0x00);               /* unlock CRTC 0-7 */
    for (int i = 0; i < 25; i++) {
        port_out8(c, crtc, (uint8_t)i);
        port_out8(c, crtc + 1, m->crtc[i]);
    }
    port_in8(c, crtc + 6);                      /* attribute flip-flop to "index" */
    for (int i = 0; i < 21; i++) {
        port_out8(c, 0x3C0, (uint8_t)i);
        port_out8(c, 0x3C0, m->attr[i]);
    }
    for (int i = 0; i < 9; i++) {
        port_out8(c, 0x3CE, (uint8_t)i);
        port_out8(c, 0x3CF, m->gc[i]);
    }
    port_out8(c, 0x3C0, 0x20);                  /* palette address source: display on */
}

/* Plane 2 access at A000 (sequential addressing), and back to the mode's. */
void video_plane2_open(BiosCtx *c)
{
    static const uint8_t seq[][2] = { { 2, 0x04 }, { 4, 0x07 } };
    static const uint8_t gc[][2] = { { 4, 0x02 }, { 5, 0x00 }, { 6, 0x04 } };
    for (int i = 0; i < 2; i++) {
        port_out8(c, 0x3C4, seq[i][0]);
        port_out8(c, 0x3C5, seq[i][1]);
    }
    for (int i = 0; i < 3; i++) {
        port_out8(c, 0x3CE, gc[i][0]);
        port_out8(c, 0x3CF, gc[i][1]);
    }
}

void video_plane2_close(BiosCtx *c, const VideoMode *m)
{
    port_out8(c, 0x3C4, 2);
    port_out8(c, 0x3C5, m->seq[1]);
    port_out8(c, 0x3C4, 4);
    port_out8(c, 0x3C5, m->seq[3]);
    for (int i = 4; i <= 6; i++) {
        port_out8(c, 0x3CE, (uint8_t)i);
        port_out8(c, 0x3CF, m->gc[i]);
    }
}

/* Character generator block n starts at these plane-2 offsets (VGA map select). */
static uint32_t font_block_base(unsigned block)
{
    return (uint32_t)((block & 3) * 0x4000 + ((block >> 2) & 1) * 0x2000);
}

const uint8_t *video_rom_font(unsigned height)
{
    if (height >= 16)
        return bios_rom + ROM_FONT8X16;
    if (height >= 14)
        return bios_rom + ROM_FONT8X14;
    return bios_rom + ROM_FONT8X8;
}

/* Loads `count` glyphs of `height` rows from `glyphs` into block `block`. */
void video_load_font(BiosCtx *c, const VideoMode *m, const uint8_t *glyphs, unsigned first,
                     unsigned count, unsigned height, unsigned block)
{
    uint32_t base = font_block_base(block);
    video_plane2_open(c);
    for (unsigned i = 0; i < count && first + i < 256; i++) {
        uint32_t at = base + (first + i) * 32;
        for (unsigned row = 0; row < 32; row += 4) {
            uint32_t v = 0;
            for (unsigned b = 0; b < 4; b++)
                if (row + b < height)
                    v |= (uint32_t)glyphs[i * height + row + b] << (8 * b);
            mem_wr(c, BIOS_FS, at + row, v, 4);
        }
    }
    video_plane2_close(c, m);
}

static void clear_memory(BiosCtx *c, const VideoMode *m)
{
    if (m->kind == VM_TEXT || m->kind == VM_MONO) {
        uint32_t base = m->kind == VM_MONO ? 0 : 0x8000;
        for (uint32_t off = 0; off < 0x8000; off += 4)
            mem_wr(c, BIOS_DS, base + off, 0x07200720, 4);
    } else if (m->kind == VM_CGA2 || m->kind == VM_CGA4) {
        for (uint32_t off = 0; off < 0x8000; off += 4)
            mem_wr(c, BIOS_DS, 0x8000 + off, 0, 4);
    } else {
        port_out8(c, 0x3C4, 2);
        port_out8(c, 0x3C5, 0x0F);
        for (uint32_t off = 0; off < 0x10000; off += 4)
            mem_wr(c, BIOS_FS, off, 0, 4);
        port_out8(c, 0x3C4, 2);
        port_out8(c, 0x3C5, m->seq[1]);
    }
}

static void set_bda(BiosCtx *c, const VideoMode *m, bool cleared)
{
    bda_wr8(c, BDA_VIDEO_MODE, m->mode);
    bda_wr16(c, BDA_VIDEO_COLS, m->cols);
    bda_wr16(c, BDA_VIDEO_PAGE_SIZE, m->page_size);
    bda_wr16(c, BDA_VIDEO_PAGE_START, 0);
    for (unsigned p = 0; p < 8; p++)
        bda_wr16(c, BDA_CURSOR_POS + 2 * p, 0);
    bda_wr16(c, BDA_CURSOR_SHAPE, 0x0607);
    bda_wr8(c, BDA_VIDEO_PAGE, 0);
    bda_wr16(c, BDA_CRTC_PORT, m->kind == VM_MONO ? 0x3B4 : 0x3D4);
    bda_wr8(c, BDA_VIDEO_MSR, m->kind == VM_TEXT ? (m->cols == 80 ? 0x29 : 0x28)
                              : m->kind == VM_MONO ? 0x29 : 0x2E);
    bda_wr8(c, BDA_VIDEO_CGA_PAL, m->mode == 0x06 ? 0x3F : 0x30);
    bda_wr8(c, BDA_VIDEO_ROWS, (uint8_t)(m->rows - 1));
    bda_wr16(c, BDA_CHAR_HEIGHT, m->char_h);
    bda_wr8(c, BDA_VIDEO_CTL, (uint8_t)(0x60 | (cleared ? 0 : 0x80)));
    bda_wr8(c, BDA_VIDEO_SWITCHES, 0xF9);
    bda_wr8(c, BDA_VIDEO_MODESET, 0x51);
    bda_wr8(c, BDA_VIDEO_DCC, 0);
    /* INT 43h: the graphics font of this mode (F000, our ROM). */
    ivt_wr(c, 0x43, 0xF000, (uint16_t)(video_rom_font(m->char_h) - bios_rom));
    if (m->char_h == 8)
        ivt_wr(c, 0x43, 0xF000, ROM_FONT8X8);
}

/* AH=00h.  AL bit 7: keep video memory.  Returns false for unknown modes. */
bool video_mode_set(BiosCtx *c, uint8_t al)
{
    const VideoMode *m = video_mode_find(al & 0x7F);
    if (!m)
        return false;
    video_write_regs(c, m);
    load_dac(c, m);
    if (m->kind == VM_TEXT || m->kind == VM_MONO)
        video_load_font(c, m, video_rom_font(m->char_h), 0, 256, m->char_h, 0);
    if (!(al & 0x80))
        clear_memory(c, m);
    set_bda(c, m, !(al & 0x80));
    video_set_cursor_shape(c, 0x0607);
    video_set_cursor_pos(c, 0, 0, 0);
    return true;
}

void video_set_mode(BiosCtx *c, uint8_t mode)
{
    video_mode_set(c, mode);
}
