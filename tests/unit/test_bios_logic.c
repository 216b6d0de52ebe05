/* SPDX-License-Identifier: MIT */
/*
 * Our BIOS's pure logic: the ROM layout (reset vector, model byte, fixed
 * entry points), the fonts generated from the console-data PSF fonts in CP437
 * order, the hard disk geometry (partition table or LBA-assisted) and CHS to
 * LBA mapping, the E820 map, the CMOS boot order and the scan code set 1
 * translation.
 */
#include <check.h>
#include <string.h>

#include "disk.h"
#include "keyboard.h"
#include "services.h"
#include "suites.h"

START_TEST(rom_has_the_reset_vector_model_byte_and_fixed_entries)
{
    ck_assert_uint_eq(bios_rom_size, 0x10000);
    static const uint8_t jmp_post[5] = { 0xEA, 0x5B, 0xE0, 0x00, 0xF0 };
    ck_assert_mem_eq(bios_rom + 0xFFF0, jmp_post, 5);
    ck_assert_uint_eq(bios_rom[0xFFFE], 0xFC);
    ck_assert_mem_eq(bios_rom + 0xFFF5, "11/24/26", 8);
    /* Every fixed entry point holds code (a near jmp or an iret), not padding. */
    static const uint16_t entries[] = { 0xE05B, 0xE3FE, 0xE6F2, 0xE739, 0xE82E, 0xE987, 0xEC59,
                                        0xEF57, 0xEFD2, 0xF065, 0xF841, 0xF84D, 0xF859, 0xFE6E,
                                        0xFEA5 };
    for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
        ck_assert_msg(bios_rom[entries[i]] == 0xE9, "entry %04X", entries[i]);
    ck_assert_uint_eq(bios_rom[0xE2C3], 0xCF);
    ck_assert_uint_eq(bios_rom[0xFF53], 0xCF);
    /* INT 15h AH=C0h table: length 8, model FCh. */
    ck_assert_uint_eq(bios_rom[0xE6F5], 8);
    ck_assert_uint_eq(bios_rom[0xE6F7], 0xFC);
}
END_TEST

static const uint8_t *glyph(unsigned height, unsigned code)
{
    unsigned base = height == 16 ? 0x0000 : height == 14 ? 0x1000 : 0x1E00;
    return bios_rom + base + code * height;
}

START_TEST(fonts_are_in_cp437_order_in_every_size)
{
    static const unsigned heights[3] = { 16, 14, 8 };
    for (int i = 0; i < 3; i++) {
        unsigned h = heights[i];
        uint8_t blank[16] = { 0 };
        ck_assert_mem_eq(glyph(h, 0x00), blank, h);             /* NUL is blank */
        ck_assert_mem_eq(glyph(h, 0x20), blank, h);             /* space */
        for (unsigned r = 0; r < h; r++)
            ck_assert_uint_eq(glyph(h, 0xDB)[r], 0xFF);          /* full block */
        unsigned lit = 0;                                       /* 0xC4: one horizontal line */
        for (unsigned r = 0; r < h; r++)
            if (glyph(h, 0xC4)[r]) {
                ck_assert_uint_eq(glyph(h, 0xC4)[r], 0xFF);
                lit++;
            }
        ck_assert_uint_ge(lit, 1);
        ck_assert_uint_le(lit, 2);
        unsigned left = 0, right = 0;                           /* 0xDD left half, 0xDE right half */
        for (unsigned r = 0; r < h; r++) {
            left += glyph(h, 0xDD)[r] == 0xF0;
            right += glyph(h, 0xDE)[r] == 0x0F;
        }
        ck_assert_uint_eq(left, h);
        ck_assert_uint_eq(right, h);
        ck_assert(memcmp(glyph(h, 'A'), glyph(h, 'B'), h) != 0);
        ck_assert(memcmp(glyph(h, 'A'), blank, h) != 0);
        ck_assert(memcmp(glyph(h, 0x01), blank, h) != 0);      /* the smiley, not a control code */
    }
    /* The IBM fixed 8x8 table (chars 0-127) at F000:FA6E is the same font. */
    ck_assert_mem_eq(bios_rom + 0xFA6E, glyph(8, 0), 1024);
}
END_TEST

START_TEST(disk_geometry_from_the_partition_table_or_lba_assisted)
{
    DiskGeometry g;
    disk_pick_geometry(NULL, 20480, &g);                        /* 10 MiB */
    ck_assert_uint_eq(g.heads, 16);
    ck_assert_uint_eq(g.spt, 63);
    ck_assert_uint_eq(g.cyls, 20);
    disk_pick_geometry(NULL, 4194304, &g);                      /* 2 GiB: 128 heads */
    ck_assert_uint_eq(g.heads, 128);
    ck_assert_uint_eq(g.cyls, 520);
    disk_pick_geometry(NULL, 16777216, &g);                     /* 8 GiB: 255 heads, capped */
    ck_assert_uint_eq(g.heads, 255);
    ck_assert_uint_eq(g.cyls, 1024);
    uint8_t mbr[512] = { 0 };
    mbr[510] = 0x55;
    mbr[511] = 0xAA;
    /* A partition from LBA 32 (CHS 0/1/1) to 65535 (CHS 63/31/32): 32 x 32. */
    static const uint8_t entry32[16] = { 0x80, 1, 1, 0, 0x06, 31, 32, 63, 32, 0, 0, 0, 0xE0, 0xFF, 0, 0 };
    memcpy(mbr + 446, entry32, 16);
    disk_pick_geometry(mbr, 65536, &g);
    ck_assert_uint_eq(g.heads, 32);
    ck_assert_uint_eq(g.spt, 32);
    ck_assert_uint_eq(g.cyls, 64);
    /* sfdisk on a 16 MiB image: LBA 2048 (0/32/33) to 32767 (2/10/8), i.e.
     * 255 x 63 although the partition ends mid-cylinder. */
    static const uint8_t entry255[16] = { 0x80, 32, 33, 0, 0x06, 10, 8, 2, 0x00, 0x08, 0, 0, 0x00, 0x78, 0, 0 };
    memcpy(mbr + 446, entry255, 16);
    disk_pick_geometry(mbr, 32768, &g);
    ck_assert_uint_eq(g.heads, 255);
    ck_assert_uint_eq(g.spt, 63);
    ck_assert_uint_eq(g.cyls, 2);
    mbr[511] = 0;                                               /* no signature: ignored */
    disk_pick_geometry(mbr, 32768, &g);
    ck_assert_uint_eq(g.heads, 16);
}
END_TEST

START_TEST(chs_maps_to_lba_and_rejects_what_is_outside)
{
    DiskGeometry g = { .cyls = 100, .heads = 16, .spt = 63 };
    uint32_t lba = 99;
    ck_assert(disk_chs_to_lba(&g, 0, 0, 1, &lba));
    ck_assert_uint_eq(lba, 0);
    ck_assert(disk_chs_to_lba(&g, 1, 2, 3, &lba));
    ck_assert_uint_eq(lba, (1 * 16 + 2) * 63 + 2);
    ck_assert(!disk_chs_to_lba(&g, 0, 0, 0, &lba));             /* sectors count from 1 */
    ck_assert(!disk_chs_to_lba(&g, 0, 0, 64, &lba));
    ck_assert(!disk_chs_to_lba(&g, 0, 16, 1, &lba));
    ck_assert(!disk_chs_to_lba(&g, 100, 0, 1, &lba));
}
END_TEST

START_TEST(e820_reserves_the_ebda_and_the_rom)
{
    E820Entry map[E820_MAX];
    unsigned n = e820_build(7 * 1024, 0, map);                  /* 8 MiB machine */
    ck_assert_uint_eq(n, 4);
    ck_assert(map[0].base == 0 && map[0].length == 0x9FC00 && map[0].type == E820_RAM);
    ck_assert(map[1].base == 0x9FC00 && map[1].length == 0x400 && map[1].type == E820_RESERVED);
    ck_assert(map[2].base == 0xF0000 && map[2].length == 0x10000 && map[2].type == E820_RESERVED);
    ck_assert(map[3].base == 0x100000 && map[3].length == 7u << 20 && map[3].type == E820_RAM);
    n = e820_build(0xFFFF, 256, map);                           /* 32 MiB: 16 MiB above 16 MiB */
    ck_assert_uint_eq(n, 4);
    ck_assert(map[3].length == (31u << 20));
    ck_assert_uint_eq(e820_build(0, 0, map), 3);                /* 1 MiB machine */
}
END_TEST

START_TEST(boot_order_follows_cmos_3d_and_38)
{
    uint8_t order[3];
    ck_assert_uint_eq(boot_order(0x00, 0x00, order), 2);        /* unset: A then C */
    ck_assert_uint_eq(order[0], BOOT_FLOPPY);
    ck_assert_uint_eq(order[1], BOOT_DISK);
    ck_assert_uint_eq(boot_order(0x12, 0x30, order), 3);        /* C, A, CD-ROM */
    ck_assert_uint_eq(order[0], BOOT_DISK);
    ck_assert_uint_eq(order[1], BOOT_FLOPPY);
    ck_assert_uint_eq(order[2], BOOT_CDROM);
    ck_assert_uint_eq(boot_order(0x02, 0x00, order), 1);        /* C only */
    ck_assert_uint_eq(boot_order(0x22, 0x20, order), 1);        /* repeats count once */
}
END_TEST

START_TEST(scan_codes_translate_like_a_us_keyboard)
{
    enum { RSHIFT = 0x01, LSHIFT = 0x02, CTRL = 0x04, ALT = 0x08, NUM = 0x20, CAPS = 0x40 };
    ck_assert_uint_eq(keyboard_translate(0x1E, false, 0), 0x1E61);         /* a */
    ck_assert_uint_eq(keyboard_translate(0x1E, false, LSHIFT), 0x1E41);    /* A */
    ck_assert_uint_eq(keyboard_translate(0x1E, false, CAPS), 0x1E41);
    ck_assert_uint_eq(keyboard_translate(0x1E, false, CAPS | RSHIFT), 0x1E61);
    ck_assert_uint_eq(keyboard_translate(0x02, false, CAPS), 0x0231);      /* caps: digits unshifted */
    ck_assert_uint_eq(keyboard_translate(0x02, false, LSHIFT), 0x0221);    /* ! */
    ck_assert_uint_eq(keyboard_translate(0x1E, false, CTRL), 0x1E01);      /* ^A */
    ck_assert_uint_eq(keyboard_translate(0x1E, false, ALT), 0x1E00);       /* Alt-A */
    ck_assert_uint_eq(keyboard_translate(0x02, false, ALT), 0x7800);       /* Alt-1 */
    ck_assert_uint_eq(keyboard_translate(0x1C, false, 0), 0x1C0D);         /* Enter */
    ck_assert_uint_eq(keyboard_translate(0x1C, true, 0), 0xE00D);          /* keypad Enter */
    ck_assert_uint_eq(keyboard_translate(0x0E, false, 0), 0x0E08);         /* Backspace */
    ck_assert_uint_eq(keyboard_translate(0x01, false, 0), 0x011B);         /* Esc */
    ck_assert_uint_eq(keyboard_translate(0x3B, false, 0), 0x3B00);         /* F1 */
    ck_assert_uint_eq(keyboard_translate(0x3B, false, LSHIFT), 0x5400);
    ck_assert_uint_eq(keyboard_translate(0x44, false, CTRL), 0x6700);      /* Ctrl-F10 */
    ck_assert_uint_eq(keyboard_translate(0x58, false, 0), 0x8600);         /* F12 */
    ck_assert_uint_eq(keyboard_translate(0x48, false, 0), 0x4800);         /* keypad up */
    ck_assert_uint_eq(keyboard_translate(0x48, false, NUM), 0x4838);       /* keypad 8 */
    ck_assert_uint_eq(keyboard_translate(0x48, true, NUM), 0x48E0);        /* grey up */
    ck_assert_uint_eq(keyboard_translate(0x35, true, 0), 0xE02F);          /* keypad / */
    ck_assert_uint_eq(keyboard_translate(0x2A, false, 0), 0);              /* shift alone */
    ck_assert_uint_eq(keyboard_translate(0x39, false, 0), 0x3920);         /* space */
    ck_assert_uint_eq(keyboard_translate(0x2B, false, LSHIFT), 0x2B7C);    /* | */
}
END_TEST

Suite *bios_logic_suite(void)
{
    Suite *s = suite_create("bios_logic");
    TCase *tc = tcase_create("pure");
    tcase_add_test(tc, rom_has_the_reset_vector_model_byte_and_fixed_entries);
    tcase_add_test(tc, fonts_are_in_cp437_order_in_every_size);
    tcase_add_test(tc, disk_geometry_from_the_partition_table_or_lba_assisted);
    tcase_add_test(tc, chs_maps_to_lba_and_rejects_what_is_outside);
    tcase_add_test(tc, e820_reserves_the_ebda_and_the_rom);
    tcase_add_test(tc, boot_order_follows_cmos_3d_and_38);
    tcase_add_test(tc, scan_codes_translate_like_a_us_keyboard);
    suite_add_tcase(s, tc);
    return s;
}
