/* SPDX-License-Identifier: MIT */
/*
 * The VGA's registers and memory, driven only through ports 3B0-3DF and the
 * A0000-BFFFF window: the standard mode tables read back, CRTC address
 * select and write protect, write modes 0-3, read modes 0-1, latches,
 * chain-4 and odd/even addressing, the memory map select, the DAC's
 * auto-increment, the attribute flip-flop, retrace status in virtual time,
 * guest misuse and the state round trip.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "vga_fixture.h"

/* Reads plane p at plane address a by switching to planar read mode 0. */
static uint8_t plane_at(VgaRig *r, unsigned p, uint32_t a)
{
    vga_set_reg(r, 0x3C4, 4, 0x06);
    vga_set_reg(r, 0x3CE, 5, 0x00);
    vga_set_reg(r, 0x3CE, 6, 0x05);
    vga_set_reg(r, 0x3CE, 4, (uint8_t)p);
    return vga_peek(r, 0xA0000 + a);
}

/* Mode 12h with every plane of byte 0 preset to the given values (write mode 0, map mask). */
static VgaRig *planar_rig(const uint8_t fill[4])
{
    VgaRig *r = vga_rig_new();
    vga_load_mode(r, &VGA_MODE_12);
    for (unsigned p = 0; p < 4; p++) {
        vga_set_reg(r, 0x3C4, 2, (uint8_t)(1u << p));
        vga_poke(r, 0xA0000, fill[p]);
    }
    vga_set_reg(r, 0x3C4, 2, 0x0F);
    return r;
}

START_TEST(mode_tables_read_back)
{
    VgaRig *r = vga_rig_new();
    vga_load_mode(r, &VGA_MODE_03);
    ck_assert_uint_eq(vga_in(r, 0x3CC), 0x67);
    for (uint8_t i = 0; i < 5; i++)
        ck_assert_uint_eq(vga_get_reg(r, 0x3C4, i), VGA_MODE_03.seq[i]);
    for (uint8_t i = 0; i < 25; i++)
        ck_assert_uint_eq(vga_get_reg(r, 0x3D4, i), VGA_MODE_03.crtc[i]);
    for (uint8_t i = 0; i < 9; i++)
        ck_assert_uint_eq(vga_get_reg(r, 0x3CE, i), VGA_MODE_03.gc[i]);
    for (uint8_t i = 0; i < 21; i++) {
        vga_in(r, 0x3DA);
        vga_out(r, 0x3C0, i);
        ck_assert_uint_eq(vga_in(r, 0x3C1), VGA_MODE_03.attr[i]);
    }
    free(r);
}
END_TEST

START_TEST(crtc_ports_follow_io_address_select)
{
    VgaRig *r = vga_rig_new();
    vga_out(r, 0x3C2, 0x67);
    vga_set_reg(r, 0x3D4, 0x0C, 0x12);
    ck_assert_uint_eq(vga_get_reg(r, 0x3D4, 0x0C), 0x12);
    ck_assert_uint_eq(vga_in(r, 0x3B5), 0xFF);
    vga_out(r, 0x3C2, 0x66);    /* mono: CRTC at 3B4/3B5, status at 3BA */
    ck_assert_uint_eq(vga_get_reg(r, 0x3B4, 0x0C), 0x12);
    ck_assert_uint_eq(vga_in(r, 0x3D5), 0xFF);
    ck_assert_uint_eq(vga_in(r, 0x3DA), 0xFF);
    vga_set_reg(r, 0x3D4, 0x0C, 0x34);     /* ignored: the colour block is off */
    ck_assert_uint_eq(vga_get_reg(r, 0x3B4, 0x0C), 0x12);
    free(r);
}
END_TEST

START_TEST(crtc_protect_locks_0_to_7_but_line_compare_bit)
{
    VgaRig *r = vga_rig_new();
    vga_load_mode(r, &VGA_MODE_03);     /* leaves 0x11 = 0x8E: protected */
    vga_set_reg(r, 0x3D4, 0x00, 0x12);
    ck_assert_uint_eq(vga_get_reg(r, 0x3D4, 0x00), 0x5F);
    vga_set_reg(r, 0x3D4, 0x07, 0x00);
    ck_assert_uint_eq(vga_get_reg(r, 0x3D4, 0x07), 0x0F);   /* only bit 4 cleared */
    vga_set_reg(r, 0x3D4, 0x09, 0x4E);  /* 8 and above stay writable */
    ck_assert_uint_eq(vga_get_reg(r, 0x3D4, 0x09), 0x4E);
    vga_set_reg(r, 0x3D4, 0x11, 0x0E);
    vga_set_reg(r, 0x3D4, 0x00, 0x12);
    ck_assert_uint_eq(vga_get_reg(r, 0x3D4, 0x00), 0x12);
    free(r);
}
END_TEST

START_TEST(write_mode0_set_reset_and_map_mask)
{
    VgaRig *r = planar_rig((const uint8_t[4]){ 0, 0, 0, 0 });
    vga_set_reg(r, 0x3CE, 0, 0x05);     /* set/reset value 0101 */
    vga_set_reg(r, 0x3CE, 1, 0x03);     /* enabled for planes 0 and 1 */
    vga_set_reg(r, 0x3C4, 2, 0x0B);     /* plane 2 masked off */
    vga_poke(r, 0xA0010, 0x3C);
    ck_assert_uint_eq(plane_at(r, 0, 0x10), 0xFF);
    ck_assert_uint_eq(plane_at(r, 1, 0x10), 0x00);
    ck_assert_uint_eq(plane_at(r, 2, 0x10), 0x00);
    ck_assert_uint_eq(plane_at(r, 3, 0x10), 0x3C);
    free(r);
}
END_TEST

START_TEST(write_mode0_rotate_function_bit_mask_use_latches)
{
    VgaRig *r = planar_rig((const uint8_t[4]){ 0xF0, 0x0F, 0xAA, 0x55 });
    vga_set_reg(r, 0x3CE, 4, 0);
    ck_assert_uint_eq(vga_peek(r, 0xA0000), 0xF0);      /* loads all four latches */
    vga_set_reg(r, 0x3CE, 3, 0x18 | 4); /* XOR, rotate right 4 */
    vga_set_reg(r, 0x3CE, 8, 0x3C);     /* bit mask */
    vga_poke(r, 0xA0001, 0x81);         /* rotated: 0x18 */
    /* plane p: ((0x18 ^ latch) & 0x3C) | (latch & ~0x3C) */
    ck_assert_uint_eq(plane_at(r, 0, 1), 0xE8);
    ck_assert_uint_eq(plane_at(r, 1, 1), 0x17);
    ck_assert_uint_eq(plane_at(r, 2, 1), 0xB2);
    ck_assert_uint_eq(plane_at(r, 3, 1), 0x4D);
    vga_set_reg(r, 0x3CE, 3, 0x08);     /* AND, no rotate */
    vga_set_reg(r, 0x3CE, 8, 0xFF);
    vga_set_reg(r, 0x3CE, 5, 0x00);
    vga_peek(r, 0xA0000);
    vga_poke(r, 0xA0002, 0x3C);
    ck_assert_uint_eq(plane_at(r, 0, 2), 0x30);
    vga_set_reg(r, 0x3CE, 3, 0x10);     /* OR */
    vga_peek(r, 0xA0000);
    vga_poke(r, 0xA0003, 0x3C);
    ck_assert_uint_eq(plane_at(r, 1, 3), 0x3F);
    free(r);
}
END_TEST

START_TEST(write_mode1_copies_latches)
{
    VgaRig *r = planar_rig((const uint8_t[4]){ 0x11, 0x22, 0x33, 0x44 });
    vga_peek(r, 0xA0000);
    vga_set_reg(r, 0x3CE, 5, 0x01);
    vga_set_reg(r, 0x3CE, 8, 0x00);     /* bit mask does not apply in mode 1 */
    vga_poke(r, 0xA0100, 0x99);
    ck_assert_uint_eq(plane_at(r, 0, 0x100), 0x11);
    ck_assert_uint_eq(plane_at(r, 1, 0x100), 0x22);
    ck_assert_uint_eq(plane_at(r, 2, 0x100), 0x33);
    ck_assert_uint_eq(plane_at(r, 3, 0x100), 0x44);
    free(r);
}
END_TEST

START_TEST(write_mode2_expands_colour_under_bit_mask)
{
    VgaRig *r = planar_rig((const uint8_t[4]){ 0xFF, 0x00, 0xFF, 0x00 });
    vga_peek(r, 0xA0000);
    vga_set_reg(r, 0x3CE, 5, 0x02);
    vga_set_reg(r, 0x3CE, 8, 0x0F);
    vga_poke(r, 0xA0005, 0x0A);         /* colour 1010 */
    ck_assert_uint_eq(plane_at(r, 0, 5), 0xF0);
    ck_assert_uint_eq(plane_at(r, 1, 5), 0x0F);
    ck_assert_uint_eq(plane_at(r, 2, 5), 0xF0);
    ck_assert_uint_eq(plane_at(r, 3, 5), 0x0F);
    free(r);
}
END_TEST

START_TEST(write_mode3_rotated_data_ands_bit_mask)
{
    VgaRig *r = planar_rig((const uint8_t[4]){ 0x00, 0x00, 0x00, 0x00 });
    vga_peek(r, 0xA0000);
    vga_set_reg(r, 0x3CE, 5, 0x03);
    vga_set_reg(r, 0x3CE, 0, 0x06);     /* colour 0110 */
    vga_set_reg(r, 0x3CE, 3, 0x01);     /* rotate right 1 */
    vga_set_reg(r, 0x3CE, 8, 0xF0);
    vga_poke(r, 0xA0007, 0xFE);         /* rotated 0x7F; mask 0x70 */
    ck_assert_uint_eq(plane_at(r, 0, 7), 0x00);
    ck_assert_uint_eq(plane_at(r, 1, 7), 0x70);
    ck_assert_uint_eq(plane_at(r, 2, 7), 0x70);
    ck_assert_uint_eq(plane_at(r, 3, 7), 0x00);
    free(r);
}
END_TEST

START_TEST(read_modes_select_plane_and_compare_colour)
{
    VgaRig *r = planar_rig((const uint8_t[4]){ 0xF0, 0xCC, 0xAA, 0x00 });
    vga_set_reg(r, 0x3CE, 4, 2);
    ck_assert_uint_eq(vga_peek(r, 0xA0000), 0xAA);
    vga_set_reg(r, 0x3CE, 5, 0x08);     /* read mode 1 */
    vga_set_reg(r, 0x3CE, 2, 0x07);     /* colour 0111 */
    vga_set_reg(r, 0x3CE, 7, 0x0F);
    ck_assert_uint_eq(vga_peek(r, 0xA0000), 0x80);
    vga_set_reg(r, 0x3CE, 7, 0x03);     /* planes 2 and 3 do not matter */
    ck_assert_uint_eq(vga_peek(r, 0xA0000), 0xC0);
    vga_set_reg(r, 0x3CE, 7, 0x00);
    ck_assert_uint_eq(vga_peek(r, 0xA0000), 0xFF);
    free(r);
}
END_TEST

START_TEST(chain4_selects_plane_by_low_address_bits)
{
    VgaRig *r = vga_rig_new();
    vga_load_mode(r, &VGA_MODE_13);
    for (uint8_t i = 0; i < 8; i++)
        vga_poke(r, 0xA0000 + i, (uint8_t)(0x10 + i));
    ck_assert_uint_eq(vga_peek(r, 0xA0005), 0x15);
    vga_poke(r, 0xAFFFF, 0x77);
    ck_assert_uint_eq(vga_peek(r, 0xAFFFF), 0x77);
    ck_assert_uint_eq(plane_at(r, 0, 0), 0x10);
    ck_assert_uint_eq(plane_at(r, 3, 0), 0x13);
    ck_assert_uint_eq(plane_at(r, 1, 4), 0x15);
    ck_assert_uint_eq(plane_at(r, 2, 4), 0x16);
    ck_assert_uint_eq(plane_at(r, 3, 0xFFFC), 0x77);
    free(r);
}
END_TEST

START_TEST(odd_even_splits_characters_and_attributes)
{
    VgaRig *r = vga_rig_new();
    vga_load_mode(r, &VGA_MODE_03);
    vga_poke(r, 0xB8000, 'A');
    vga_poke(r, 0xB8001, 0x1E);
    vga_poke(r, 0xB8002, 'B');
    vga_poke(r, 0xB8003, 0x07);
    ck_assert_uint_eq(vga_peek(r, 0xB8001), 0x1E);
    ck_assert_uint_eq(vga_peek(r, 0xB8002), 'B');
    ck_assert_uint_eq(plane_at(r, 0, 0), 'A');
    ck_assert_uint_eq(plane_at(r, 1, 0), 0x1E);
    ck_assert_uint_eq(plane_at(r, 0, 2), 'B');
    ck_assert_uint_eq(plane_at(r, 1, 2), 0x07);
    ck_assert_uint_eq(plane_at(r, 2, 0), 0x00);     /* map mask 3 keeps the font plane */
    free(r);
}
END_TEST

START_TEST(memory_map_select_limits_the_window)
{
    VgaRig *r = vga_rig_new();
    vga_load_mode(r, &VGA_MODE_03);     /* B8000-BFFFF */
    vga_poke(r, 0xA0000, 0x12);
    vga_poke(r, 0xB0000, 0x34);
    ck_assert_uint_eq(vga_peek(r, 0xA0000), 0xFF);
    ck_assert_uint_eq(vga_peek(r, 0xB7FFF), 0xFF);
    ck_assert_uint_eq(plane_at(r, 0, 0), 0x00);     /* now A0000 64K: nothing landed */
    ck_assert_uint_eq(vga_peek(r, 0xB0000), 0xFF);
    vga_set_reg(r, 0x3CE, 6, 0x09);     /* B0000-B7FFF */
    vga_poke(r, 0xB0000, 0x56);
    ck_assert_uint_eq(vga_peek(r, 0xB0000), 0x56);
    ck_assert_uint_eq(vga_peek(r, 0xB8000), 0xFF);
    vga_set_reg(r, 0x3CE, 6, 0x01);     /* A0000 128K: B0000 is plane address 0x10000, which wraps to 0 */
    ck_assert_uint_eq(vga_peek(r, 0xB0000), 0x56);
    vga_out(r, 0x3C2, 0x65);            /* RAM disabled */
    ck_assert_uint_eq(vga_peek(r, 0xA0000), 0xFF);
    free(r);
}
END_TEST

START_TEST(dac_auto_increments_in_rgb_triplets)
{
    VgaRig *r = vga_rig_new();
    vga_out(r, 0x3C8, 0xFE);
    uint8_t vals[6] = { 0x01, 0x02, 0x03, 0x7F, 0x3E, 0xC5 };
    for (int i = 0; i < 6; i++)
        vga_out(r, 0x3C9, vals[i]);
    ck_assert_uint_eq(vga_in(r, 0x3C8), 0x00);      /* wrapped past 0xFF */
    ck_assert_uint_eq(vga_in(r, 0x3C7), 0x00);      /* write mode */
    vga_out(r, 0x3C7, 0xFE);
    ck_assert_uint_eq(vga_in(r, 0x3C7), 0x03);      /* read mode */
    uint8_t want[6] = { 0x01, 0x02, 0x03, 0x3F, 0x3E, 0x05 };
    for (int i = 0; i < 6; i++)
        ck_assert_uint_eq(vga_in(r, 0x3C9), want[i]);
    ck_assert_uint_eq(vga_in(r, 0x3C9), 0x00);      /* entry 0 follows */
    /* A new index mid-triplet restarts at red. */
    vga_out(r, 0x3C8, 5);
    vga_out(r, 0x3C9, 0x11);
    vga_out(r, 0x3C8, 5);
    vga_out(r, 0x3C9, 0x21);
    vga_out(r, 0x3C9, 0x22);
    vga_out(r, 0x3C9, 0x23);
    vga_out(r, 0x3C7, 5);
    ck_assert_uint_eq(vga_in(r, 0x3C9), 0x21);
    vga_out(r, 0x3C6, 0x0F);
    ck_assert_uint_eq(vga_in(r, 0x3C6), 0x0F);
    free(r);
}
END_TEST

START_TEST(attribute_flipflop_is_reset_by_status_read)
{
    VgaRig *r = vga_rig_new();
    vga_out(r, 0x3C2, 0x67);
    vga_in(r, 0x3DA);
    vga_out(r, 0x3C0, 0x31);            /* index 0x11 with PAS */
    ck_assert_uint_eq(vga_in(r, 0x3C0), 0x31);
    vga_out(r, 0x3C0, 0x2A);            /* data */
    ck_assert_uint_eq(vga_in(r, 0x3C1), 0x2A);
    vga_out(r, 0x3C0, 0x12);            /* index again (flip-flop toggled back) */
    vga_out(r, 0x3C0, 0x05);
    vga_out(r, 0x3C0, 0x02);            /* index 2 */
    vga_in(r, 0x3DA);                   /* back to index state */
    vga_out(r, 0x3C0, 0x11);
    ck_assert_uint_eq(vga_in(r, 0x3C1), 0x2A);
    vga_in(r, 0x3DA);
    vga_out(r, 0x3C0, 0x12);
    ck_assert_uint_eq(vga_in(r, 0x3C1), 0x05);
    ck_assert_uint_eq(vga_in(r, 0x3C0), 0x12);      /* PAS now clear */
    free(r);
}
END_TEST

/* Guest time of character clock n in mode 03h (28.322 MHz, 9 dots). */
static uint64_t mode03_char_ns(uint64_t n)
{
    return clock_ticks_to_ns(n * 9, 28322000);
}

START_TEST(input_status_tracks_virtual_time)
{
    VgaRig *r = vga_rig_new();
    vga_load_mode(r, &VGA_MODE_03);     /* 100 chars x 449 lines, retrace 412-413 */
    ck_assert_uint_eq(vga_in(r, 0x3DA) & 0x09, 0x00);
    clock_advance_to(&r->clock, mode03_char_ns(85));        /* right border */
    ck_assert_uint_eq(vga_in(r, 0x3DA) & 0x09, 0x01);
    clock_advance_to(&r->clock, mode03_char_ns(400 * 100 + 5));
    ck_assert_uint_eq(vga_in(r, 0x3DA) & 0x09, 0x01);
    clock_advance_to(&r->clock, mode03_char_ns(412 * 100));
    ck_assert_uint_eq(vga_in(r, 0x3DA) & 0x09, 0x09);
    clock_advance_to(&r->clock, mode03_char_ns(413 * 100 + 99));
    ck_assert_uint_eq(vga_in(r, 0x3DA) & 0x08, 0x08);
    clock_advance_to(&r->clock, mode03_char_ns(414 * 100));
    ck_assert_uint_eq(vga_in(r, 0x3DA) & 0x08, 0x00);
    clock_advance_to(&r->clock, mode03_char_ns(449 * 100 + 412 * 100));    /* next frame */
    ck_assert_uint_eq(vga_in(r, 0x3DA) & 0x08, 0x08);
    ck_assert_uint_eq(vga_frame_count(&r->vga), 1);
    /* The same instant with the 25 MHz clock falls elsewhere in the frame. */
    vga_out(r, 0x3C2, 0x63);
    ck_assert_uint_eq(vga_in(r, 0x3DA) & 0x08, 0x00);
    free(r);
}
END_TEST

START_TEST(guest_misuse_gets_hardware_answers)
{
    VgaRig *r = vga_rig_new();
    vga_out(r, 0x3C2, 0x67);
    vga_set_reg(r, 0x3C4, 0x07, 0x55);
    ck_assert_uint_eq(vga_get_reg(r, 0x3C4, 0x07), 0xFF);
    vga_set_reg(r, 0x3CE, 0x0F, 0x55);
    ck_assert_uint_eq(vga_get_reg(r, 0x3CE, 0x0F), 0xFF);
    vga_set_reg(r, 0x3D4, 0x40, 0x55);
    ck_assert_uint_eq(vga_get_reg(r, 0x3D4, 0x40), 0xFF);
    vga_in(r, 0x3DA);
    vga_out(r, 0x3C0, 0x1F);
    vga_out(r, 0x3C0, 0x55);
    ck_assert_uint_eq(vga_in(r, 0x3C1), 0xFF);
    vga_out(r, 0x3CD, 0x12);
    ck_assert_uint_eq(vga_in(r, 0x3CD), 0xFF);
    ck_assert_uint_eq(vga_in(r, 0x3C2) & 0x80, 0x00);   /* input status 0 */
    /* 16-bit index/data writes split into the pair. */
    io_space_write(&r->ports, 0x3CE, 0x5A08, 2);
    ck_assert_uint_eq(vga_get_reg(r, 0x3CE, 8), 0x5A);
    free(r);
}
END_TEST

START_TEST(state_round_trip_keeps_registers_planes_and_latches)
{
    VgaRig *a = vga_rig_new();
    vga_load_mode(a, &VGA_MODE_12);
    vga_set_dac(a, 9, 1, 2, 3);
    for (uint32_t i = 0; i < 0x200; i++)
        vga_poke(a, 0xA0000 + i * 0x80, (uint8_t)(i * 7));
    vga_peek(a, 0xA0080);               /* latches now hold address 0x80 */
    vga_out(a, 0x3C8, 20);
    vga_out(a, 0x3C9, 0x2A);            /* mid-triplet */
    size_t n = state_size(&vga_state);
    uint8_t *buf = malloc(n), *again = malloc(n);
    ck_assert_uint_eq(state_save(&vga_state, &a->vga, buf, n), n);
    VgaRig *b = vga_rig_new();
    ck_assert(state_load(&vga_state, &b->vga, buf, n));
    ck_assert_uint_eq(state_save(&vga_state, &b->vga, again, n), n);
    ck_assert_mem_eq(buf, again, n);
    /* Same behaviour: write mode 1 stores the restored latches. */
    vga_set_reg(a, 0x3CE, 5, 0x01);
    vga_set_reg(b, 0x3CE, 5, 0x01);
    vga_poke(a, 0xA0300, 0);
    vga_poke(b, 0xA0300, 0);
    for (unsigned p = 0; p < 4; p++)
        ck_assert_uint_eq(plane_at(b, p, 0x300), plane_at(a, p, 0x300));
    ck_assert_uint_eq(plane_at(b, 0, 0x300), 7);
    vga_out(b, 0x3C9, 0x2B);
    vga_out(b, 0x3C9, 0x2C);
    vga_out(b, 0x3C7, 20);
    ck_assert_uint_eq(vga_in(b, 0x3C9), 0x2A);
    ck_assert_uint_eq(vga_get_reg(b, 0x3D4, 0x12), 0xDF);
    free(buf);
    free(again);
    free(a);
    free(b);
}
END_TEST

Suite *vga_suite(void)
{
    Suite *s = suite_create("vga");
    TCase *tc = tcase_create("vga");
    tcase_add_test(tc, mode_tables_read_back);
    tcase_add_test(tc, crtc_ports_follow_io_address_select);
    tcase_add_test(tc, crtc_protect_locks_0_to_7_but_line_compare_bit);
    tcase_add_test(tc, write_mode0_set_reset_and_map_mask);
    tcase_add_test(tc, write_mode0_rotate_function_bit_mask_use_latches);
    tcase_add_test(tc, write_mode1_copies_latches);
    tcase_add_test(tc, write_mode2_expands_colour_under_bit_mask);
    tcase_add_test(tc, write_mode3_rotated_data_ands_bit_mask);
    tcase_add_test(tc, read_modes_select_plane_and_compare_colour);
    tcase_add_test(tc, chain4_selects_plane_by_low_address_bits);
    tcase_add_test(tc, odd_even_splits_characters_and_attributes);
    tcase_add_test(tc, memory_map_select_limits_the_window);
    tcase_add_test(tc, dac_auto_increments_in_rgb_triplets);
    tcase_add_test(tc, attribute_flipflop_is_reset_by_status_read);
    tcase_add_test(tc, input_status_tracks_virtual_time);
    tcase_add_test(tc, guest_misuse_gets_hardware_answers);
    tcase_add_test(tc, state_round_trip_keeps_registers_planes_and_latches);
    suite_add_tcase(s, tc);
    return s;
}
