/* SPDX-License-Identifier: MIT */
/* PCI configuration mechanism #1, the configuration-space masks and BAR probing. */
#include <check.h>
#include <string.h>

#include "pci.h"
#include "suites.h"

typedef struct Bench {
    IoSpace ports;
    PciBus bus;
    PciDevice dev;
    int resets;
    int hooks;
    unsigned hook_offset, hook_size;
} Bench;

static void bench_reset(void *opaque)
{
    ((Bench *)opaque)->resets++;
}

static void bench_hook(void *opaque, PciDevice *dev, unsigned offset, unsigned size)
{
    Bench *b = opaque;
    b->hooks++;
    b->hook_offset = offset;
    b->hook_size = size;
}

/* A function at 00:03.0 with a 4 KiB memory BAR0, a 16-byte I/O BAR1 and a 64 KiB ROM. */
static void bench_init(Bench *b)
{
    memset(b, 0, sizeof(*b));
    io_space_init(&b->ports, "port");
    pci_bus_init(&b->bus, bench_reset, b);
    ck_assert(pci_bus_map(&b->bus, &b->ports));
    pci_device_init(&b->dev, 0x1234, 0x5678, 0x02, 0x030000, 0);
    pci_device_set_bar(&b->dev, 0, 0x1000, 0x8);        /* prefetchable memory */
    pci_device_set_bar(&b->dev, 1, 0x10, PCI_BAR_IO);
    pci_device_set_bar(&b->dev, PCI_ROM_INDEX, 0x10000, 0);
    b->dev.write_hook = bench_hook;
    b->dev.opaque = b;
    ck_assert(pci_bus_attach(&b->bus, PCI_DEVFN(3, 0), &b->dev));
}

static void select_reg(Bench *b, unsigned devfn, unsigned reg)
{
    io_space_write(&b->ports, 0xCF8, 0x80000000u | devfn << 8 | reg, 4);
}

static uint32_t cfg_read(Bench *b, unsigned devfn, unsigned reg, unsigned size)
{
    select_reg(b, devfn, reg & 0xFC);
    return io_space_read(&b->ports, 0xCFC + (reg & 3), size);
}

static void cfg_write(Bench *b, unsigned devfn, unsigned reg, uint32_t v, unsigned size)
{
    select_reg(b, devfn, reg & 0xFC);
    io_space_write(&b->ports, 0xCFC + (reg & 3), v, size);
}

START_TEST(reads_ids_at_every_width_and_offset)
{
    Bench b;
    bench_init(&b);
    unsigned d = PCI_DEVFN(3, 0);
    ck_assert_uint_eq(cfg_read(&b, d, 0, 4), 0x56781234u);
    ck_assert_uint_eq(cfg_read(&b, d, 0, 2), 0x1234);
    ck_assert_uint_eq(cfg_read(&b, d, 2, 2), 0x5678);
    ck_assert_uint_eq(cfg_read(&b, d, 1, 1), 0x12);
    ck_assert_uint_eq(cfg_read(&b, d, 3, 1), 0x56);
    ck_assert_uint_eq(cfg_read(&b, d, 8, 4), 0x03000002u);
    ck_assert_uint_eq(cfg_read(&b, d, 0x0A, 2), 0x0300);
    ck_assert_uint_eq(io_space_read(&b.ports, 0xCF8, 4), 0x80001808u);   /* address reads back */
}
END_TEST

START_TEST(absent_disabled_and_other_buses_read_all_ones)
{
    Bench b;
    bench_init(&b);
    ck_assert_uint_eq(cfg_read(&b, PCI_DEVFN(4, 0), 0, 4), 0xFFFFFFFFu);
    ck_assert_uint_eq(cfg_read(&b, PCI_DEVFN(3, 1), 0, 2), 0xFFFF);
    io_space_write(&b.ports, 0xCF8, 0x00001800u, 4);                /* enable bit clear */
    ck_assert_uint_eq(io_space_read(&b.ports, 0xCFC, 4), 0xFFFFFFFFu);
    io_space_write(&b.ports, 0xCF8, 0x80011800u, 4);                /* bus 1 */
    ck_assert_uint_eq(io_space_read(&b.ports, 0xCFC, 2), 0xFFFF);
    io_space_write(&b.ports, 0xCFC, 0, 4);                           /* dropped */
    ck_assert_uint_eq(cfg_read(&b, PCI_DEVFN(3, 0), 0, 4), 0x56781234u);
    ck_assert_int_eq(b.hooks, 0);
}
END_TEST

START_TEST(address_register_takes_dwords_only)
{
    Bench b;
    bench_init(&b);
    io_space_write(&b.ports, 0xCF8, 0xFFFFFFFFu, 4);
    ck_assert_uint_eq(io_space_read(&b.ports, 0xCF8, 4), 0x80FFFFFCu);  /* reserved and type bits */
    io_space_write(&b.ports, 0xCF8, 0x12, 1);                          /* ISA bus, not the register */
    io_space_write(&b.ports, 0xCFA, 0x3456, 2);
    ck_assert_uint_eq(io_space_read(&b.ports, 0xCF8, 4), 0x80FFFFFCu);
    ck_assert_uint_eq(io_space_read(&b.ports, 0xCF8, 1), 0xFF);
}
END_TEST

START_TEST(read_only_fields_and_write_one_to_clear)
{
    Bench b;
    bench_init(&b);
    unsigned d = PCI_DEVFN(3, 0);
    cfg_write(&b, d, 0, 0xFFFFFFFFu, 4);
    ck_assert_uint_eq(cfg_read(&b, d, 0, 4), 0x56781234u);
    cfg_write(&b, d, PCI_COMMAND, 0xFFFF, 2);
    ck_assert_uint_eq(cfg_read(&b, d, PCI_COMMAND, 2), 0x0347);
    ck_assert_int_eq(b.hooks, 2);
    ck_assert_uint_eq(b.hook_offset, PCI_COMMAND);
    ck_assert_uint_eq(b.hook_size, 2);
    b.dev.config[PCI_STATUS + 1] = 0x30;        /* the chip latched two aborts */
    cfg_write(&b, d, PCI_STATUS + 1, 0x10, 1);
    ck_assert_uint_eq(cfg_read(&b, d, PCI_STATUS, 2), 0x2000);
    cfg_write(&b, d, PCI_INT_LINE, 0x0B, 1);
    ck_assert_uint_eq(cfg_read(&b, d, PCI_INT_LINE, 1), 0x0B);
}
END_TEST

START_TEST(bar_size_probe_and_programming)
{
    Bench b;
    bench_init(&b);
    unsigned d = PCI_DEVFN(3, 0);
    ck_assert_uint_eq(cfg_read(&b, d, PCI_BAR0, 4), 0x8);
    cfg_write(&b, d, PCI_BAR0, 0xFFFFFFFFu, 4);
    ck_assert_uint_eq(cfg_read(&b, d, PCI_BAR0, 4), 0xFFFFF008u);   /* 4 KiB, prefetchable */
    cfg_write(&b, d, PCI_BAR0 + 4, 0xFFFFFFFFu, 4);
    ck_assert_uint_eq(cfg_read(&b, d, PCI_BAR0 + 4, 4), 0xFFFFFFF1u);  /* 16 bytes of I/O */
    cfg_write(&b, d, PCI_BAR0 + 8, 0xFFFFFFFFu, 4);                 /* not implemented */
    ck_assert_uint_eq(cfg_read(&b, d, PCI_BAR0 + 8, 4), 0);
    cfg_write(&b, d, PCI_ROM_BAR, 0xFFFFFFFEu, 4);
    ck_assert_uint_eq(cfg_read(&b, d, PCI_ROM_BAR, 4), 0xFFFF0000u);   /* 64 KiB, disabled */
    cfg_write(&b, d, PCI_ROM_BAR, 0xFEBC0001u, 4);
    ck_assert_uint_eq(pci_bar_address(&b.dev, PCI_ROM_INDEX), 0xFEBC0000u);
    ck_assert_uint_eq(cfg_read(&b, d, PCI_ROM_BAR, 1), 0x01);
    cfg_write(&b, d, PCI_BAR0 + 4, 0xC001, 4);
    ck_assert_uint_eq(pci_bar_address(&b.dev, 1), 0xC000);
    cfg_write(&b, d, PCI_BAR0 + 2, 0xFEBD, 2);                        /* a word at offset 2 */
    ck_assert_uint_eq(pci_bar_address(&b.dev, 0), 0xFEBDF000u);
    ck_assert_uint_eq(b.hook_offset, PCI_BAR0 + 2);
}
END_TEST

START_TEST(reset_control_register_at_cf9)
{
    Bench b;
    bench_init(&b);
    io_space_write(&b.ports, 0xCF9, PCI_RCR_SYS_RST, 1);
    ck_assert_int_eq(b.resets, 0);
    ck_assert_uint_eq(io_space_read(&b.ports, 0xCF9, 1), PCI_RCR_SYS_RST);
    io_space_write(&b.ports, 0xCF9, PCI_RCR_SYS_RST | PCI_RCR_RST_CPU, 1);
    ck_assert_int_eq(b.resets, 1);
    io_space_write(&b.ports, 0xCF8, 0x80000000u, 4);     /* a dword is the address, not RCR */
    ck_assert_int_eq(b.resets, 1);
}
END_TEST

START_TEST(state_round_trip)
{
    Bench b;
    bench_init(&b);
    select_reg(&b, PCI_DEVFN(3, 0), 8);
    uint8_t buf[64];
    size_t n = state_save(&pci_bus_state, &b.bus, buf, sizeof(buf));
    ck_assert_uint_gt(n, 0);
    Bench c;
    bench_init(&c);
    ck_assert(state_load(&pci_bus_state, &c.bus, buf, n));
    ck_assert_uint_eq(io_space_read(&c.ports, 0xCFC, 4), 0x03000002u);
    ck_assert(!state_load(&pci_bus_state, &c.bus, buf, n - 1));
}
END_TEST

Suite *pci_suite(void)
{
    Suite *s = suite_create("pci");
    TCase *tc = tcase_create("mechanism1");
    tcase_add_test(tc, reads_ids_at_every_width_and_offset);
    tcase_add_test(tc, absent_disabled_and_other_buses_read_all_ones);
    tcase_add_test(tc, address_register_takes_dwords_only);
    tcase_add_test(tc, read_only_fields_and_write_one_to_clear);
    tcase_add_test(tc, bar_size_probe_and_programming);
    tcase_add_test(tc, reset_control_register_at_cf9);
    tcase_add_test(tc, state_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
