/* SPDX-License-Identifier: MIT */
/* Physical memory: RAM, the legacy hole, ROM, MMIO windows, straddling accesses. */
#include <check.h>
#include <string.h>

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

static void count_remap(void *opaque)
{
    (*(int *)opaque)++;
}

START_TEST(shadow_segments_route_reads_and_writes)
{
    PhysMem m;
    static uint8_t rom[0x10000];
    memset(rom, 0xAB, sizeof(rom));
    int remaps = 0;
    ck_assert(phys_init(&m, 2 << 20, true));
    m.remap = count_remap;
    m.remap_opaque = &remaps;
    ck_assert(phys_add_rom(&m, 0xF0000, rom, sizeof(rom)));
    /* Power-on: everything goes to the ROM; writes are dropped. */
    phys_write(&m, 0xF1000, 0x11, 1);
    ck_assert_uint_eq(phys_read(&m, 0xF1000, 1), 0xAB);
    ck_assert_ptr_null(phys_ram_ptr(&m, 0xF1000));
    /* Write-only shadow: reads still see the ROM, writes fill the RAM (the copy step). */
    phys_set_shadow(&m, 0xF0000, 0x10000, SHADOW_WRITE_RAM);
    ck_assert_int_eq(remaps, 1);
    phys_write(&m, 0xF1000, phys_read(&m, 0xF1000, 4) ^ 0x01020304u, 4);
    ck_assert_uint_eq(phys_read(&m, 0xF1000, 4), 0xABABABABu);
    ck_assert_ptr_null(phys_ram_ptr(&m, 0xF1000));
    /* Read-only shadow: the copy is visible, writes are dropped, still no host pointer. */
    phys_set_shadow(&m, 0xF0000, 0x10000, SHADOW_READ_RAM);
    ck_assert_int_eq(remaps, 2);
    ck_assert_uint_eq(phys_read(&m, 0xF1000, 4), 0xAAA9A8AFu);
    phys_write(&m, 0xF1000, 0, 4);
    ck_assert_uint_eq(phys_read(&m, 0xF1000, 2), 0xA8AFu);
    ck_assert_ptr_null(phys_ram_ptr(&m, 0xF1000));
    /* Both to RAM: an ordinary RAM page with a host pointer. */
    phys_set_shadow(&m, 0xF0000, 0x10000, SHADOW_RAM);
    ck_assert_ptr_nonnull(phys_ram_ptr(&m, 0xF1000));
    phys_write(&m, 0xF1000, 0x55, 1);
    ck_assert_uint_eq(phys_read(&m, 0xF1000, 1), 0x55);
    ck_assert_uint_eq(*phys_ram_ptr(&m, 0xF1000), 0x55);
    phys_set_shadow(&m, 0xF0000, 0x10000, SHADOW_RAM);    /* no change: no remap */
    ck_assert_int_eq(remaps, 3);
    /* Back to ROM: the RAM keeps its contents behind it. */
    phys_set_shadow(&m, 0xF0000, 0x10000, 0);
    ck_assert_uint_eq(phys_read(&m, 0xF1000, 1), 0xAB);
    phys_set_shadow(&m, 0xF0000, 0x10000, SHADOW_READ_RAM);
    ck_assert_uint_eq(phys_read(&m, 0xF1000, 1), 0x55);
    phys_free(&m);
}
END_TEST

START_TEST(shadow_segments_are_16k_and_independent)
{
    PhysMem m;
    ck_assert(phys_init(&m, 512 << 10, true));          /* shadow exists below 1 MiB of RAM too */
    phys_set_shadow(&m, 0xC4000, 0x4000, SHADOW_RAM);
    ck_assert_ptr_null(phys_ram_ptr(&m, 0xC3FFF));
    ck_assert_ptr_nonnull(phys_ram_ptr(&m, 0xC4000));
    ck_assert_ptr_nonnull(phys_ram_ptr(&m, 0xC7FFF));
    ck_assert_ptr_null(phys_ram_ptr(&m, 0xC8000));
    phys_write(&m, 0xC7FFE, 0x44332211u, 4);           /* straddles into the unrouted segment */
    ck_assert_uint_eq(phys_read(&m, 0xC7FFE, 4), 0xFFFF2211u);
    phys_set_shadow(&m, 0xA0000, 0x20000, SHADOW_RAM);  /* outside C0000h-FFFFFh: ignored */
    ck_assert_ptr_null(phys_ram_ptr(&m, 0xA0000));
    ck_assert_ptr_null(phys_ram_ptr(&m, 0x90000));      /* above this machine's RAM */
    phys_free(&m);
    ck_assert(phys_init(&m, 2 << 20, true));
    phys_set_shadow(&m, 0xFC000, 0x4000, SHADOW_RAM);   /* shadow and RAM above 1 MiB: two pieces */
    phys_write(&m, 0xFFFFE, 0x44332211u, 4);
    ck_assert_uint_eq(phys_read(&m, 0xFFFFE, 2), 0x2211);
    ck_assert_uint_eq(phys_read(&m, 0x100000, 2), 0x4433);
    ck_assert_uint_eq(phys_read(&m, 0xFFFFE, 4), 0x44332211u);
    phys_free(&m);
}
END_TEST

START_TEST(shadow_read_ram_hides_mmio_and_write_ram_skips_it)
{
    PhysMem m;
    ck_assert(phys_init(&m, 1 << 20, true));
    IoWindow w = { .name = "dev", .base = 0xD0000, .length = 0x4000, .widths = IO_WIDTH_32 | IO_WIDTH_16 | IO_WIDTH_8,
                   .read = mmio_read };
    ck_assert(io_space_map(&m.mmio, &w));
    ck_assert_uint_eq(phys_read(&m, 0xD0010, 4), 0xC0DE0010u);
    phys_set_shadow(&m, 0xD0000, 0x4000, SHADOW_WRITE_RAM);
    phys_write(&m, 0xD0010, 0x12345678u, 4);
    ck_assert_uint_eq(phys_read(&m, 0xD0010, 4), 0xC0DE0010u);
    phys_set_shadow(&m, 0xD0000, 0x4000, SHADOW_READ_RAM);
    ck_assert_uint_eq(phys_read(&m, 0xD0010, 4), 0x12345678u);
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
    tcase_add_test(tc, shadow_segments_route_reads_and_writes);
    tcase_add_test(tc, shadow_segments_are_16k_and_independent);
    tcase_add_test(tc, shadow_read_ram_hides_mmio_and_write_ram_skips_it);
    suite_add_tcase(s, tc);
    return s;
}
