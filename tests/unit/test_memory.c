/* SPDX-License-Identifier: MIT */
/* Physical memory: RAM, the legacy hole, ROM, MMIO windows, straddling accesses. */
#include <check.h>

#include "memory.h"
#include "suites.h"

static uint32_t mmio_read(void *opaque, uint32_t offset, unsigned size)
{
    return 0xC0DE0000u | offset;
}

START_TEST(ram_is_little_endian_and_zeroed)
{
    PhysMem m;
    ck_assert(phys_init(&m, 1 << 20, false));
    ck_assert_uint_eq(phys_read(&m, 0x1234, 4), 0);
    phys_write(&m, 0x1000, 0x11223344u, 4);
    ck_assert_uint_eq(phys_read(&m, 0x1000, 1), 0x44);
    ck_assert_uint_eq(phys_read(&m, 0x1002, 2), 0x1122);
    phys_free(&m);
}
END_TEST

START_TEST(legacy_hole_is_not_ram)
{
    PhysMem m;
    ck_assert(phys_init(&m, 2 << 20, true));
    phys_write(&m, 0xB8000, 0x41, 1);
    ck_assert_uint_eq(phys_read(&m, 0xB8000, 1), 0xFF);      /* nothing mapped there yet */
    ck_assert_ptr_null(phys_ram_ptr(&m, 0xA0000));
    ck_assert_ptr_nonnull(phys_ram_ptr(&m, 0x9FFFF));
    ck_assert_ptr_nonnull(phys_ram_ptr(&m, 0x100000));
    ck_assert_uint_eq(phys_read(&m, 0x200000, 1), 0xFF);     /* above RAM */
    phys_free(&m);
}
END_TEST

START_TEST(rom_ignores_writes)
{
    PhysMem m;
    static const uint8_t rom[16] = { 0xEA, 0x5B, 0xE0, 0x00, 0xF0 };
    ck_assert(phys_init(&m, 1 << 20, true));
    ck_assert(phys_add_rom(&m, 0xFFFF0, rom, sizeof(rom)));
    phys_write(&m, 0xFFFF0, 0x90, 1);
    ck_assert_uint_eq(phys_read(&m, 0xFFFF0, 4), 0x00E05BEAu);
    phys_free(&m);
}
END_TEST

START_TEST(mmio_window_gets_whole_access)
{
    PhysMem m;
    ck_assert(phys_init(&m, 1 << 20, true));
    IoWindow w = { .name = "dev", .base = 0xA0000, .length = 0x100, .widths = IO_WIDTH_32 | IO_WIDTH_16 | IO_WIDTH_8,
                   .read = mmio_read };
    ck_assert(io_space_map(&m.mmio, &w));
    ck_assert_uint_eq(phys_read(&m, 0xA0010, 4), 0xC0DE0010u);
    phys_free(&m);
}
END_TEST

START_TEST(access_straddling_ram_end_splits_per_byte)
{
    PhysMem m;
    ck_assert(phys_init(&m, 1 << 20, false));
    phys_write(&m, 0xFFFFE, 0x44332211u, 4);     /* two bytes land, two fall off */
    ck_assert_uint_eq(phys_read(&m, 0xFFFFE, 4), 0xFFFF2211u);
    phys_free(&m);
}
END_TEST

Suite *memory_suite(void)
{
    Suite *s = suite_create("memory");
    TCase *tc = tcase_create("phys");
    tcase_add_test(tc, ram_is_little_endian_and_zeroed);
    tcase_add_test(tc, legacy_hole_is_not_ram);
    tcase_add_test(tc, rom_ignores_writes);
    tcase_add_test(tc, mmio_window_gets_whole_access);
    tcase_add_test(tc, access_straddling_ram_end_splits_per_byte);
    suite_add_tcase(s, tc);
    return s;
}
