/* SPDX-License-Identifier: MIT */
/*
 * VGA scan-out, driven only through the ports and the memory window: a text
 * cell drawn with a font placed in plane 2 (9th column, cursor, blink in
 * virtual time), mode 13h through the DAC and pel mask, planar 12h with
 * panning, CGA-interleaved mode 04h, unchained 320x240, the line compare
 * split, blanking, and the text snapshot the headless runner greps.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "vga_fixture.h"

/* 320x200 4-colour CGA graphics (BIOS mode 04h). */
static const VgaModeRegs VGA_MODE_04 = {
    0x63,
    { 0x03, 0x09, 0x03, 0x00, 0x02 },
    { 0x2D, 0x27, 0x28, 0x90, 0x2B, 0x80, 0xBF, 0x1F, 0x00, 0xC1, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x14, 0x00, 0x96, 0xB9, 0xA2, 0xFF },
    { 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x0F, 0x00, 0xFF },
    { 0x00, 0x13, 0x15, 0x17, 0x02, 0x04, 0x06, 0x07, 0x10, 0x11, 0x12, 0x13, 0x14,
      0x15, 0x16, 0x17, 0x01, 0x00, 0x03, 0x00, 0x00 },
};

enum { FB_W = 800, FB_H = 600 };

typedef struct Frame {
    uint32_t *px;
    int w, h;
} Frame;

static Frame render(VgaRig *r)
{
    Frame f = { malloc(sizeof(uint32_t) * FB_W * FB_H), 0, 0 };
    ck_assert_ptr_nonnull(f.px);
    memset(f.px, 0xEE, sizeof(uint32_t) * FB_W * FB_H);
    vga_render(&r->vga, f.px, FB_W, FB_H, &f.w, &f.h);
    return f;
}

static uint32_t at(const Frame *f, int x, int y)
{
    return f->px[y * FB_W + x];
}

/* The BIOS font-loading sequence: plane 2 alone, sequential, A0000; map 0. */
static void load_glyph_at(VgaRig *r, uint32_t font_base, uint8_t ch, uint8_t row0)
{
    vga_set_reg(r, 0x3C4, 2, 0x04);
    vga_set_reg(r, 0x3C4, 4, 0x06);
    vga_set_reg(r, 0x3CE, 5, 0x00);
    vga_set_reg(r, 0x3CE, 6, 0x04);
    for (unsigned i = 0; i < 32; i++)
        vga_poke(r, 0xA0000 + font_base + ch * 32u + i, i == 0 ? row0 : 0);
    vga_set_reg(r, 0x3C4, 2, 0x03);
    vga_set_reg(r, 0x3C4, 4, 0x02);
    vga_set_reg(r, 0x3CE, 5, 0x10);
    vga_set_reg(r, 0x3CE, 6, 0x0E);
}

static void load_glyph(VgaRig *r, uint8_t ch, uint8_t row0)
{
    load_glyph_at(r, 0, ch, row0);
}

static void put_cell(VgaRig *r, unsigned cell, uint8_t ch, uint8_t attr)
{
    vga_poke(r, 0xB8000 + cell * 2, ch);
    vga_poke(r, 0xB8000 + cell * 2 + 1, attr);
}

#define YELLOW 0xFFFF00u
#define BLUE 0x0000AAu

static VgaRig *text_rig(void)
{
    VgaRig *r = vga_rig_new();
    vga_load_mode(r, &VGA_MODE_03);
    vga_set_dac(r, 0x3E, 63, 63, 0);    /* palette[14] = 0x3E */
    vga_set_dac(r, 0x01, 0, 0, 42);     /* palette[1] = 0x01 */
    load_glyph(r, 'A', 0x81);
    load_glyph(r, 0xC4, 0x01);
    load_glyph(r, 0xB3, 0x01);
    put_cell(r, 0, 'A', 0x1E);
    put_cell(r, 1, ' ', 0x1E);
    put_cell(r, 2, 0xC4, 0x1E);
    put_cell(r, 3, 0xB3, 0x1E);
    put_cell(r, 4, 'A', 0x9E);
    vga_set_reg(r, 0x3D4, 0x0F, 1);     /* cursor on cell 1 */
    return r;
}

/* Guest time at the start of frame n in mode 03h (100 x 449 chars of 9 dots at 28.322 MHz). */
static uint64_t mode03_frame_ns(uint64_t n)
{
    return clock_ticks_to_ns(n * 100 * 449 * 9, 28322000);
}

START_TEST(text_cell_uses_font_in_plane_2)
{
    VgaRig *r = text_rig();
    Frame f = render(r);
    ck_assert_int_eq(f.w, 720);
    ck_assert_int_eq(f.h, 400);
    ck_assert_uint_eq(at(&f, 0, 0), YELLOW);
    for (int x = 1; x < 7; x++)
        ck_assert_uint_eq(at(&f, x, 0), BLUE);
    ck_assert_uint_eq(at(&f, 7, 0), YELLOW);
    ck_assert_uint_eq(at(&f, 8, 0), BLUE);      /* 9th column of a letter: background */
    ck_assert_uint_eq(at(&f, 0, 1), BLUE);
    ck_assert_uint_eq(at(&f, 18 + 8, 0), YELLOW);   /* C4h: line graphics extend bit 0 */
    ck_assert_uint_eq(at(&f, 27 + 7, 0), YELLOW);
    ck_assert_uint_eq(at(&f, 27 + 8, 0), BLUE);     /* B3h is outside C0-DF */
    free(f.px);
    /* Line graphics off: the 9th column is background for C4h too. */
    vga_set_attr(r, 0x10, 0x08);
    f = render(r);
    ck_assert_uint_eq(at(&f, 18 + 8, 0), BLUE);
    free(f.px);
    /* 8-dot characters: 640 pixels wide, cell 2 starts at x = 16. */
    vga_set_reg(r, 0x3C4, 1, 0x01);
    f = render(r);
    ck_assert_int_eq(f.w, 640);
    ck_assert_uint_eq(at(&f, 16 + 7, 0), YELLOW);
    ck_assert_uint_eq(at(&f, 16 + 8, 0), BLUE);
    free(f.px);
    free(r);
}
END_TEST

START_TEST(character_map_select_picks_font_by_attribute_bit_3)
{
    VgaRig *r = text_rig();
    load_glyph_at(r, 0x4000, 'A', 0xF0);    /* map 1 lives at 16 KiB */
    load_glyph_at(r, 0x2000, 'A', 0x3C);    /* map 4 lives at 8 KiB */
    put_cell(r, 5, 'A', 0x16);              /* attribute bit 3 clear: map B */
    vga_set_reg(r, 0x3C4, 3, 0x04);         /* map A = 1, map B = 0 */
    Frame f = render(r);
    ck_assert_uint_eq(at(&f, 0, 0), YELLOW);    /* 0x1E: map A, 0xF0 */
    ck_assert_uint_eq(at(&f, 3, 0), YELLOW);
    ck_assert_uint_eq(at(&f, 4, 0), BLUE);
    ck_assert_uint_eq(at(&f, 45, 0), 0x000000u);  /* map B, 0x81: fg 6 is black here */
    free(f.px);
    vga_set_reg(r, 0x3C4, 3, 0x20);         /* map A = 4 (bit 5), map B = 0 */
    f = render(r);
    ck_assert_uint_eq(at(&f, 0, 0), BLUE);
    ck_assert_uint_eq(at(&f, 2, 0), YELLOW);
    ck_assert_uint_eq(at(&f, 6, 0), BLUE);
    free(f.px);
    free(r);
}
END_TEST

START_TEST(cursor_and_blink_follow_virtual_frames)
{
    VgaRig *r = text_rig();
    Frame f = render(r);
    ck_assert_uint_eq(at(&f, 9, 12), BLUE);
    ck_assert_uint_eq(at(&f, 9, 13), YELLOW);   /* cursor rows 13-14 (0Dh-0Eh) */
    ck_assert_uint_eq(at(&f, 17, 14), YELLOW);
    ck_assert_uint_eq(at(&f, 9, 15), BLUE);
    ck_assert_uint_eq(at(&f, 36, 0), YELLOW);   /* blinking cell, visible phase */
    free(f.px);
    clock_advance_to(&r->clock, mode03_frame_ns(8) + 1);
    f = render(r);
    ck_assert_uint_eq(at(&f, 9, 13), BLUE);     /* cursor off for frames 8-15 */
    ck_assert_uint_eq(at(&f, 36, 0), YELLOW);
    free(f.px);
    clock_advance_to(&r->clock, mode03_frame_ns(16) + 1);
    f = render(r);
    ck_assert_uint_eq(at(&f, 9, 13), YELLOW);
    ck_assert_uint_eq(at(&f, 36, 0), BLUE);     /* blink: foreground hidden */
    free(f.px);
    vga_set_attr(r, 0x10, 0x04);        /* blink off: bit 7 is background intensity */
    vga_set_dac(r, 0x39, 0, 0, 63);     /* palette[9] = 0x39 */
    f = render(r);
    ck_assert_uint_eq(at(&f, 36, 0), YELLOW);
    ck_assert_uint_eq(at(&f, 37, 0), 0x0000FFu);
    free(f.px);
    vga_set_reg(r, 0x3D4, 0x0A, 0x2D);  /* cursor disable bit */
    f = render(r);
    ck_assert_uint_eq(at(&f, 9, 13), BLUE);
    free(f.px);
    free(r);
}
END_TEST

START_TEST(mono_underline_draws_foreground_on_its_row)
{
    VgaRig *r = text_rig();
    vga_set_dac(r, 0x01, 0, 0, 42);
    vga_set_attr(r, 0x10, 0x0E);        /* monochrome emulation */
    put_cell(r, 5, ' ', 0x01);
    vga_set_reg(r, 0x3D4, 0x14, 0x0F);  /* underline on the last row of the cell */
    Frame f = render(r);
    ck_assert_uint_eq(at(&f, 45, 15), BLUE);
    ck_assert_uint_eq(at(&f, 45, 14), 0x000000u);
    free(f.px);
    free(r);
}
END_TEST

START_TEST(mode13_pixels_go_through_dac_and_pel_mask)
{
    VgaRig *r = vga_rig_new();
    vga_load_mode(r, &VGA_MODE_13);
    vga_set_dac(r, 0x42, 63, 0, 32);
    vga_set_dac(r, 0x02, 0, 21, 0);
    vga_poke(r, 0xA0000 + 3 * 320 + 5, 0x42);
    vga_poke(r, 0xA0000 + 199 * 320 + 319, 0x42);
    Frame f = render(r);
    ck_assert_int_eq(f.w, 320);
    ck_assert_int_eq(f.h, 200);
    ck_assert_uint_eq(at(&f, 5, 3), 0xFF0082u);
    ck_assert_uint_eq(at(&f, 319, 199), 0xFF0082u);
    ck_assert_uint_eq(at(&f, 4, 3), 0x000000u);
    free(f.px);
    vga_out(r, 0x3C6, 0x0F);
    f = render(r);
    ck_assert_uint_eq(at(&f, 5, 3), 0x005500u);
    free(f.px);
    free(r);
}
END_TEST

START_TEST(mode12_planar_pixels_and_panning)
{
    VgaRig *r = vga_rig_new();
    vga_load_mode(r, &VGA_MODE_12);
    vga_set_dac(r, 0x3C, 10, 20, 30);   /* palette[12] = 0x3C */
    vga_set_reg(r, 0x3CE, 5, 0x02);
    vga_set_reg(r, 0x3CE, 8, 0x40);     /* pixel 9 = byte 1, bit 6 */
    vga_peek(r, 0xA0000 + 10 * 80 + 1);
    vga_poke(r, 0xA0000 + 10 * 80 + 1, 0x0C);
    Frame f = render(r);
    ck_assert_int_eq(f.w, 640);
    ck_assert_int_eq(f.h, 480);
    uint32_t c = 0x285179u;     /* 6-bit 10, 20, 30 scaled to 8 bits: v << 2 | v >> 4 */
    ck_assert_uint_eq(at(&f, 9, 10), c);
    ck_assert_uint_eq(at(&f, 8, 10), 0);
    free(f.px);
    vga_set_attr(r, 0x13, 3);
    f = render(r);
    ck_assert_uint_eq(at(&f, 6, 10), c);
    free(f.px);
    /* Colour plane enable masks plane 2 and 3 away: 12 becomes 0. */
    vga_set_attr(r, 0x12, 0x03);
    f = render(r);
    ck_assert_uint_eq(at(&f, 6, 10), 0);
    free(f.px);
    free(r);
}
END_TEST

START_TEST(mode04_interleaves_two_bit_pixels_and_odd_rows)
{
    VgaRig *r = vga_rig_new();
    vga_load_mode(r, &VGA_MODE_04);
    vga_set_dac(r, 0x13, 63, 0, 0);
    vga_set_dac(r, 0x15, 0, 63, 0);
    vga_set_dac(r, 0x17, 0, 0, 63);
    vga_poke(r, 0xB8000 + 0x2000, 0x1B);        /* row 1, pixels 0-3: colours 0 1 2 3 */
    vga_poke(r, 0xB8000 + 0x2001, 0xC0);        /* row 1, pixel 4: colour 3 */
    vga_poke(r, 0xB8000 + 80, 0x40);            /* row 2, pixel 0: colour 1 */
    Frame f = render(r);
    ck_assert_int_eq(f.w, 320);
    ck_assert_int_eq(f.h, 200);
    ck_assert_uint_eq(at(&f, 0, 1), 0);
    ck_assert_uint_eq(at(&f, 1, 1), 0xFF0000u);
    ck_assert_uint_eq(at(&f, 2, 1), 0x00FF00u);
    ck_assert_uint_eq(at(&f, 3, 1), 0x0000FFu);
    ck_assert_uint_eq(at(&f, 4, 1), 0x0000FFu);
    ck_assert_uint_eq(at(&f, 0, 2), 0xFF0000u);
    ck_assert_uint_eq(at(&f, 0, 0), 0);
    free(f.px);
    free(r);
}
END_TEST

/* Mode X: mode 13h unchained, byte mode, 480 lines halved by max scan line 1. */
START_TEST(unchained_320x240_uses_map_mask_planes)
{
    VgaRig *r = vga_rig_new();
    vga_load_mode(r, &VGA_MODE_13);
    vga_set_reg(r, 0x3C4, 4, 0x06);
    vga_out(r, 0x3C2, 0xE3);
    static const uint8_t regs[][2] = { { 0x11, 0x2C }, { 0x06, 0x0D }, { 0x07, 0x3E },
                                       { 0x10, 0xEA }, { 0x11, 0x2C }, { 0x12, 0xDF },
                                       { 0x14, 0x00 }, { 0x15, 0xE7 }, { 0x16, 0x06 },
                                       { 0x17, 0xE3 } };
    for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
        vga_set_reg(r, 0x3D4, regs[i][0], regs[i][1]);
    vga_set_dac(r, 7, 63, 63, 63);
    vga_set_reg(r, 0x3C4, 2, 0x04);     /* x = 6 lives in plane 2 */
    vga_poke(r, 0xA0000 + 239 * 80 + 6 / 4, 7);
    Frame f = render(r);
    ck_assert_int_eq(f.w, 320);
    ck_assert_int_eq(f.h, 240);
    ck_assert_uint_eq(at(&f, 6, 239), 0xFFFFFFu);
    ck_assert_uint_eq(at(&f, 5, 239), 0);
    free(f.px);
    /* 360 wide: 90 character clocks of 4 pixels. */
    vga_set_reg(r, 0x3D4, 0x01, 0x59);
    f = render(r);
    ck_assert_int_eq(f.w, 360);
    free(f.px);
    free(r);
}
END_TEST

START_TEST(start_address_and_line_compare_split)
{
    VgaRig *r = vga_rig_new();
    vga_load_mode(r, &VGA_MODE_13);
    vga_set_dac(r, 1, 63, 0, 0);
    vga_set_dac(r, 2, 0, 63, 0);
    vga_poke(r, 0xA0000, 1);            /* row 0 */
    vga_poke(r, 0xA0000 + 320, 2);      /* row 1 */
    vga_set_reg(r, 0x3D4, 0x0C, 0);
    vga_set_reg(r, 0x3D4, 0x0D, 80);    /* start at row 1 (80 doublewords) */
    vga_set_reg(r, 0x3D4, 0x07, 0x0F);  /* protected, but the line compare bit 8 clears */
    vga_set_reg(r, 0x3D4, 0x09, 0x01);
    vga_set_reg(r, 0x3D4, 0x18, 100);   /* split at scan line 100 = output row 50 */
    Frame f = render(r);
    ck_assert_uint_eq(at(&f, 0, 0), 0x00FF00u);
    ck_assert_uint_eq(at(&f, 0, 49), 0);
    ck_assert_uint_eq(at(&f, 0, 50), 0xFF0000u);
    ck_assert_uint_eq(at(&f, 0, 51), 0x00FF00u);
    free(f.px);
    free(r);
}
END_TEST

START_TEST(screen_off_and_palette_access_blank)
{
    VgaRig *r = vga_rig_new();
    vga_load_mode(r, &VGA_MODE_13);
    vga_set_dac(r, 1, 63, 63, 63);
    vga_poke(r, 0xA0000, 1);
    Frame f = render(r);
    ck_assert_uint_eq(at(&f, 0, 0), 0xFFFFFFu);
    free(f.px);
    vga_in(r, 0x3DA);
    vga_out(r, 0x3C0, 0x00);            /* PAS clear: CPU owns the palette */
    f = render(r);
    ck_assert_uint_eq(at(&f, 0, 0), 0);
    free(f.px);
    vga_in(r, 0x3DA);
    vga_out(r, 0x3C0, 0x20);
    f = render(r);
    ck_assert_uint_eq(at(&f, 0, 0), 0xFFFFFFu);
    free(f.px);
    vga_set_reg(r, 0x3C4, 1, 0x21);     /* screen off */
    f = render(r);
    ck_assert_uint_eq(at(&f, 0, 0), 0);
    ck_assert_int_eq(f.w, 320);
    free(f.px);
    vga_set_reg(r, 0x3C4, 1, 0x01);
    vga_set_reg(r, 0x3C4, 0, 0x01);     /* synchronous reset */
    f = render(r);
    ck_assert_uint_eq(at(&f, 0, 0), 0);
    free(f.px);
    vga_set_reg(r, 0x3C4, 0, 0x03);
    f = render(r);
    ck_assert_uint_eq(at(&f, 0, 0), 0xFFFFFFu);
    free(f.px);
    free(r);
}
END_TEST

START_TEST(text_snapshot_maps_cp437_to_ascii)
{
    VgaRig *r = vga_rig_new();
    vga_load_mode(r, &VGA_MODE_03);
    const char *msg = "HELLO";
    for (unsigned i = 0; i < 5; i++)
        put_cell(r, 80 + 2 + i, (uint8_t)msg[i], 0x07);
    put_cell(r, 0, 0x01, 0x07);
    put_cell(r, 1, 0xDB, 0x07);
    put_cell(r, 2, 'x', 0x07);
    char buf[81 * 25 + 1];
    int cols = 0, rows = 0;
    int n = vga_text_snapshot(&r->vga, buf, sizeof(buf), &cols, &rows);
    ck_assert_int_eq(cols, 80);
    ck_assert_int_eq(rows, 25);
    ck_assert_int_eq(n, 81 * 25);
    ck_assert(strncmp(buf, "..x ", 4) == 0);
    ck_assert(strncmp(buf + 81, "  HELLO ", 8) == 0);
    ck_assert_int_eq(buf[80], '\n');
    ck_assert_int_eq(buf[n - 1], '\n');
    /* Too small a buffer: whole rows only, still terminated. */
    char small[100];
    n = vga_text_snapshot(&r->vga, small, sizeof(small), &cols, &rows);
    ck_assert_int_eq(n, 81);
    ck_assert_int_eq(small[81], '\0');
    vga_load_mode(r, &VGA_MODE_13);
    ck_assert_int_eq(vga_text_snapshot(&r->vga, buf, sizeof(buf), &cols, &rows), 0);
    free(r);
}
END_TEST

/* Whatever a guest writes to the registers, scan-out stays inside its buffers. */
START_TEST(random_registers_render_safely)
{
    VgaRig *r = vga_rig_new();
    uint32_t x = 12345;
    uint32_t *px = malloc(sizeof(uint32_t) * 300 * 200);
    char text[4096];
    for (int round = 0; round < 200; round++) {
        for (int i = 0; i < 64; i++) {
            x = x * 1103515245u + 12345u;
            uint32_t port = 0x3B0 + (x >> 8) % 0x30;
            vga_out(r, port, (uint8_t)(x >> 20));
            if (round & 1)
                vga_poke(r, 0xA0000 + (x >> 12) % 0x20000, (uint8_t)x);
        }
        int w, h, cols, rows;
        vga_render(&r->vga, px, 300, 200, &w, &h);
        ck_assert_int_le(w, 300);
        ck_assert_int_le(h, 200);
        int n = vga_text_snapshot(&r->vga, text, sizeof(text), &cols, &rows);
        ck_assert_int_lt(n, (int)sizeof(text));
    }
    int w = 1, h = 1;
    vga_render(&r->vga, px, 0, 0, &w, &h);
    ck_assert_int_eq(w, 0);
    free(px);
    free(r);
}
END_TEST

Suite *vga_render_suite(void)
{
    Suite *s = suite_create("vga_render");
    TCase *tc = tcase_create("vga_render");
    tcase_add_test(tc, text_cell_uses_font_in_plane_2);
    tcase_add_test(tc, character_map_select_picks_font_by_attribute_bit_3);
    tcase_add_test(tc, cursor_and_blink_follow_virtual_frames);
    tcase_add_test(tc, mono_underline_draws_foreground_on_its_row);
    tcase_add_test(tc, mode13_pixels_go_through_dac_and_pel_mask);
    tcase_add_test(tc, mode12_planar_pixels_and_panning);
    tcase_add_test(tc, mode04_interleaves_two_bit_pixels_and_odd_rows);
    tcase_add_test(tc, unchained_320x240_uses_map_mask_planes);
    tcase_add_test(tc, start_address_and_line_compare_split);
    tcase_add_test(tc, screen_off_and_palette_access_blank);
    tcase_add_test(tc, text_snapshot_maps_cp437_to_ascii);
    tcase_add_test(tc, random_registers_render_safely);
    suite_add_tcase(s, tc);
    return s;
}
