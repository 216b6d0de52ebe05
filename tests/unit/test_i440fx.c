/* SPDX-License-Identifier: MIT */
/* 82441FX host bridge: identity, register defaults and masks, PAM shadow routing. */
#include <check.h>
#include <string.h>

#include "i440fx.h"
#include "memory.h"
#include "suites.h"

typedef struct Bench {
    IoSpace ports;
    PciBus bus;
    I440fx nb;
    PhysMem mem;
    uint8_t rom[0x20000];       /* the BIOS's last 128 KiB at E0000h */
    int remaps;
} Bench;

static void bench_set_pam(void *opaque, uint32_t base, uint32_t size, unsigned mode)
{
    phys_set_shadow(opaque, base, size, mode);
}

static void bench_remap(void *opaque)
{
    ((Bench *)opaque)->remaps++;
}

static void bench_init(Bench *b)
{
    memset(b, 0, sizeof(*b));
    io_space_init(&b->ports, "port");
    ck_assert(phys_init(&b->mem, 1 << 20, true));
    b->mem.remap = bench_remap;
    b->mem.remap_opaque = b;
    for (size_t i = 0; i < sizeof(b->rom); i++)
        b->rom[i] = (uint8_t)(i >> 12);
    ck_assert(phys_add_rom(&b->mem, 0xE0000, b->rom, sizeof(b->rom)));
    pci_bus_init(&b->bus, NULL, NULL);
    ck_assert(pci_bus_map(&b->bus, &b->ports));
    ck_assert(i440fx_init(&b->nb, &b->bus, (I440fxHostOps){ bench_set_pam, &b->mem }));
}

static void bench_free(Bench *b)
{
    phys_free(&b->mem);
}

static uint32_t cfg_read(Bench *b, unsigned reg, unsigned size)
{
    io_space_write(&b->ports, 0xCF8, 0x80000000u | (reg & 0xFC), 4);
    return io_space_read(&b->ports, 0xCFC + (reg & 3), size);
}

static void cfg_write(Bench *b, unsigned reg, uint32_t v, unsigned size)
{
    io_space_write(&b->ports, 0xCF8, 0x80000000u | (reg & 0xFC), 4);
    io_space_write(&b->ports, 0xCFC + (reg & 3), v, size);
}

START_TEST(identity_and_defaults)
{
    Bench b;
    bench_init(&b);
    ck_assert_uint_eq(cfg_read(&b, 0, 4), 0x12378086u);
    ck_assert_uint_eq(cfg_read(&b, 8, 4), 0x06000002u);
    ck_assert_uint_eq(cfg_read(&b, PCI_HEADER_TYPE, 1), 0x00);
    ck_assert_uint_eq(cfg_read(&b, PCI_SUBSYS_VENDOR, 4), 0x11001AF4u);
    ck_assert_uint_eq(cfg_read(&b, PCI_COMMAND, 4), 0x02800006u);
    ck_assert_uint_eq(cfg_read(&b, I440FX_SMRAM, 1), 0x02);
    ck_assert_uint_eq(cfg_read(&b, 0x58, 1), 0x10);
    ck_assert_uint_eq(cfg_read(&b, I440FX_PAM0, 1), 0);
    ck_assert_uint_eq(cfg_read(&b, 0x5C, 4), 0);                /* PAM3-6 */
    ck_assert_uint_eq(cfg_read(&b, I440FX_DRB0, 4), 0x02020202u);
    bench_free(&b);
}
END_TEST

START_TEST(register_masks)
{
    Bench b;
    bench_init(&b);
    cfg_write(&b, I440FX_PAM0, 0xFF, 1);
    ck_assert_uint_eq(cfg_read(&b, I440FX_PAM0, 1), 0x30);      /* low nibble reserved */
    cfg_write(&b, I440FX_PAM0 + 1, 0xFF, 1);
    ck_assert_uint_eq(cfg_read(&b, I440FX_PAM0 + 1, 1), 0x33);
    cfg_write(&b, I440FX_SMRAM, 0xFF, 1);
    ck_assert_uint_eq(cfg_read(&b, I440FX_SMRAM, 1), 0x7A);     /* C_BASE_SEG stays 010b */
    cfg_write(&b, I440FX_DRB0 + 3, 0x10, 1);
    ck_assert_uint_eq(cfg_read(&b, I440FX_DRB0 + 3, 1), 0x10);
    cfg_write(&b, PCI_INT_LINE, 0x0B, 1);
    ck_assert_uint_eq(cfg_read(&b, PCI_INT_LINE, 1), 0x00);
    cfg_write(&b, 0, 0, 4);
    ck_assert_uint_eq(cfg_read(&b, 0, 4), 0x12378086u);
    bench_free(&b);
}
END_TEST

/* SeaBIOS's sequence: make F0000h write-only RAM, copy the ROM onto itself,
 * then read from RAM; finally read-only. */
START_TEST(pam0_shadows_the_bios_segment)
{
    Bench b;
    bench_init(&b);
    int before = b.remaps;
    ck_assert_uint_eq(phys_read(&b.mem, 0xF3000, 1), 0x13);
    cfg_write(&b, I440FX_PAM0, 0x20, 1);                        /* WE only */
    ck_assert_int_eq(b.remaps, before + 1);
    for (uint32_t a = 0xF0000; a < 0x100000; a += 4)
        phys_write(&b.mem, a, phys_read(&b.mem, a, 4), 4);
    phys_write(&b.mem, 0xF3000, 0x77, 1);
    ck_assert_uint_eq(phys_read(&b.mem, 0xF3000, 1), 0x13);     /* still the ROM */
    cfg_write(&b, I440FX_PAM0, 0x30, 1);                        /* RE and WE */
    ck_assert_uint_eq(phys_read(&b.mem, 0xF3000, 1), 0x77);
    ck_assert_uint_eq(phys_read(&b.mem, 0xFFFF0, 1), 0x1F);
    ck_assert_ptr_nonnull(phys_ram_ptr(&b.mem, 0xF0000));
    cfg_write(&b, I440FX_PAM0, 0x10, 1);                        /* RE only: write protected */
    phys_write(&b.mem, 0xF3000, 0x00, 1);
    ck_assert_uint_eq(phys_read(&b.mem, 0xF3000, 1), 0x77);
    ck_assert_ptr_null(phys_ram_ptr(&b.mem, 0xF0000));
    ck_assert_uint_eq(phys_read(&b.mem, 0xE0000, 1), 0x00);     /* E0000h untouched: ROM */
    bench_free(&b);
}
END_TEST

START_TEST(pam1_to_pam6_route_16k_segments)
{
    Bench b;
    bench_init(&b);
    cfg_write(&b, I440FX_PAM0 + 1, 0x3000, 2);      /* PAM1 = 00h, PAM2 = 30h: CC000h only */
    ck_assert_ptr_null(phys_ram_ptr(&b.mem, 0xC0000));
    ck_assert_ptr_null(phys_ram_ptr(&b.mem, 0xC8000));
    ck_assert_ptr_nonnull(phys_ram_ptr(&b.mem, 0xCC000));
    ck_assert_ptr_null(phys_ram_ptr(&b.mem, 0xD0000));
    cfg_write(&b, I440FX_PAM0 + 5, 0x0003, 2);      /* PAM5 low nibble: E0000h-E3FFFh */
    ck_assert_ptr_nonnull(phys_ram_ptr(&b.mem, 0xE0000));
    ck_assert_ptr_null(phys_ram_ptr(&b.mem, 0xE4000));
    ck_assert_uint_eq(phys_read(&b.mem, 0xE4000, 1), 0x04);    /* the ROM */
    ck_assert_uint_eq(phys_read(&b.mem, 0xE0000, 1), 0x00);    /* zeroed RAM */
    cfg_write(&b, I440FX_PAM0 + 3, 0x11111111u, 4); /* PAM3-6 read-only: dword at 5Ch */
    ck_assert_uint_eq(cfg_read(&b, 0x5C, 4), 0x11111111u);
    ck_assert_ptr_null(phys_ram_ptr(&b.mem, 0xE0000));
    i440fx_reset(&b.nb);
    ck_assert_ptr_null(phys_ram_ptr(&b.mem, 0xCC000));
    ck_assert_uint_eq(phys_read(&b.mem, 0xE0000, 1), 0x00);
    bench_free(&b);
}
END_TEST

START_TEST(state_round_trip_reapplies_pam)
{
    Bench b, c;
    bench_init(&b);
    cfg_write(&b, I440FX_PAM0, 0x30, 1);
    cfg_write(&b, I440FX_SMRAM, 0x0A, 1);
    uint8_t buf[512];
    size_t n = state_save(&i440fx_state, &b.nb, buf, sizeof(buf));
    ck_assert_uint_gt(n, 0);
    bench_init(&c);
    ck_assert(state_load(&i440fx_state, &c.nb, buf, n));
    i440fx_apply(&c.nb);
    ck_assert_ptr_nonnull(phys_ram_ptr(&c.mem, 0xF0000));
    ck_assert_uint_eq(cfg_read(&c, I440FX_SMRAM, 1), 0x0A);
    uint8_t again[512];
    ck_assert_uint_eq(state_save(&i440fx_state, &c.nb, again, sizeof(again)), n);
    ck_assert_mem_eq(buf, again, n);
    bench_free(&b);
    bench_free(&c);
}
END_TEST

Suite *i440fx_suite(void)
{
    Suite *s = suite_create("i440fx");
    TCase *tc = tcase_create("host_bridge");
    tcase_add_test(tc, identity_and_defaults);
    tcase_add_test(tc, register_masks);
    tcase_add_test(tc, pam0_shadows_the_bios_segment);
    tcase_add_test(tc, pam1_to_pam6_route_16k_segments);
    tcase_add_test(tc, state_round_trip_reapplies_pam);
    suite_add_tcase(s, tc);
    return s;
}
