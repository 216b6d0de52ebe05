/* SPDX-License-Identifier: MIT */
/* The PCI VGA function: identity and the expansion-ROM BAR a BIOS copies the VGA BIOS from. */
#include <check.h>
#include <string.h>

#include "memory.h"
#include "pci_vga.h"
#include "suites.h"

typedef struct Bench {
    IoSpace ports;
    PciBus bus;
    PhysMem mem;
    PciVga vga;
    uint8_t rom[39936];         /* the size of SeaBIOS's vgabios-stdvga.bin */
    int logs;
} Bench;

static void count_log(void *opaque, const char *message)
{
    ((Bench *)opaque)->logs++;
}

static void bench_init(Bench *b, bool with_rom)
{
    memset(b, 0, sizeof(*b));
    io_space_init(&b->ports, "port");
    ck_assert(phys_init(&b->mem, 1 << 20, true));
    b->rom[0] = 0x55;
    b->rom[1] = 0xAA;
    b->rom[2] = sizeof(b->rom) / 512;
    b->rom[sizeof(b->rom) - 1] = 0x5A;
    pci_bus_init(&b->bus, NULL, NULL);
    ck_assert(pci_bus_map(&b->bus, &b->ports));
    ck_assert(pci_vga_init(&b->vga, &b->bus, &b->mem.mmio));
    pci_vga_set_rom(&b->vga, with_rom ? b->rom : NULL, sizeof(b->rom));
    b->vga.log = count_log;
    b->vga.log_opaque = b;
}

static uint32_t cfg_read(Bench *b, unsigned reg, unsigned size)
{
    io_space_write(&b->ports, 0xCF8, 0x80000000u | PCI_DEVFN(2, 0) << 8 | (reg & 0xFC), 4);
    return io_space_read(&b->ports, 0xCFC + (reg & 3), size);
}

static void cfg_write(Bench *b, unsigned reg, uint32_t v, unsigned size)
{
    io_space_write(&b->ports, 0xCF8, 0x80000000u | PCI_DEVFN(2, 0) << 8 | (reg & 0xFC), 4);
    io_space_write(&b->ports, 0xCFC + (reg & 3), v, size);
}

START_TEST(identity_is_qemu_stdvga)
{
    Bench b;
    bench_init(&b, true);
    ck_assert_uint_eq(cfg_read(&b, 0, 4), 0x11111234u);
    ck_assert_uint_eq(cfg_read(&b, 8, 4), 0x03000002u);
    ck_assert_uint_eq(cfg_read(&b, PCI_INT_PIN, 1), 0);
    ck_assert_uint_eq(cfg_read(&b, PCI_BAR0, 4), 0);        /* no framebuffer BAR */
    phys_free(&b.mem);
}
END_TEST

/* SeaBIOS's map_pcirom: probe, program, enable, copy. */
START_TEST(rom_bar_probe_enable_and_read)
{
    Bench b;
    bench_init(&b, true);
    cfg_write(&b, PCI_ROM_BAR, 0xFFFFFFFEu, 4);
    ck_assert_uint_eq(cfg_read(&b, PCI_ROM_BAR, 4), 0xFFFF0000u);   /* 64 KiB */
    cfg_write(&b, PCI_ROM_BAR, 0xFEBE0000u, 4);
    ck_assert_uint_eq(phys_read(&b.mem, 0xFEBE0000u, 2), 0xFFFF);  /* not enabled */
    cfg_write(&b, PCI_ROM_BAR, 0xFEBE0001u, 4);
    ck_assert_uint_eq(phys_read(&b.mem, 0xFEBE0000u, 2), 0xFFFF);  /* memory space off */
    cfg_write(&b, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MEMORY, 2);
    ck_assert_uint_eq(phys_read(&b.mem, 0xFEBE0000u, 4), 0x004EAA55u);
    ck_assert_uint_eq(phys_read(&b.mem, 0xFEBE0000u + sizeof(b.rom) - 1, 1), 0x5A);
    ck_assert_uint_eq(phys_read(&b.mem, 0xFEBE0000u + sizeof(b.rom), 1), 0xFF);  /* past the image */
    uint8_t copy[4];
    phys_read_block(&b.mem, 0xFEBE0000u, copy, sizeof(copy));
    ck_assert_mem_eq(copy, b.rom, sizeof(copy));
    phys_write(&b.mem, 0xFEBE0000u, 0, 1);                            /* ROM: dropped */
    ck_assert_uint_eq(phys_read(&b.mem, 0xFEBE0000u, 1), 0x55);
    cfg_write(&b, PCI_ROM_BAR, 0xFEBC0001u, 4);                       /* moved */
    ck_assert_uint_eq(phys_read(&b.mem, 0xFEBE0000u, 1), 0xFF);
    ck_assert_uint_eq(phys_read(&b.mem, 0xFEBC0000u, 1), 0x55);
    cfg_write(&b, PCI_ROM_BAR, 0xFEBC0000u, 4);                       /* disabled */
    ck_assert_uint_eq(phys_read(&b.mem, 0xFEBC0000u, 1), 0xFF);
    ck_assert_int_eq(b.mem.mmio.count, 0);
    phys_free(&b.mem);
}
END_TEST

START_TEST(no_rom_means_no_rom_bar)
{
    Bench b;
    bench_init(&b, false);
    cfg_write(&b, PCI_ROM_BAR, 0xFFFFFFFEu, 4);
    ck_assert_uint_eq(cfg_read(&b, PCI_ROM_BAR, 4), 0);
    cfg_write(&b, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    ck_assert_int_eq(b.mem.mmio.count, 0);
    phys_free(&b.mem);
}
END_TEST

START_TEST(overlapping_rom_bar_is_refused_and_logged)
{
    Bench b;
    bench_init(&b, true);
    IoWindow other = { .name = "other", .base = 0xE0000000u, .length = 0x1000 };
    ck_assert(io_space_map(&b.mem.mmio, &other));
    cfg_write(&b, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    cfg_write(&b, PCI_ROM_BAR, 0xE0000001u, 4);
    ck_assert_int_eq(b.logs, 1);
    ck_assert(!b.vga.mapped);
    ck_assert_int_eq(b.mem.mmio.count, 1);
    cfg_write(&b, PCI_ROM_BAR, 0xE0010001u, 4);
    ck_assert(b.vga.mapped);
    ck_assert_uint_eq(phys_read(&b.mem, 0xE0010000u, 1), 0x55);
    phys_free(&b.mem);
}
END_TEST

START_TEST(state_round_trip_remaps)
{
    Bench b, c;
    bench_init(&b, true);
    cfg_write(&b, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    cfg_write(&b, PCI_ROM_BAR, 0xFEBE0001u, 4);
    uint8_t buf[512];
    size_t n = state_save(&pci_vga_state, &b.vga, buf, sizeof(buf));
    ck_assert_uint_gt(n, 0);
    bench_init(&c, true);
    ck_assert(state_load(&pci_vga_state, &c.vga, buf, n));
    pci_vga_apply(&c.vga);
    ck_assert_uint_eq(phys_read(&c.mem, 0xFEBE0000u, 2), 0xAA55);
    pci_vga_reset(&c.vga);
    ck_assert_uint_eq(phys_read(&c.mem, 0xFEBE0000u, 2), 0xFFFF);
    phys_free(&b.mem);
    phys_free(&c.mem);
}
END_TEST

Suite *pci_vga_suite(void)
{
    Suite *s = suite_create("pci_vga");
    TCase *tc = tcase_create("rom_bar");
    tcase_add_test(tc, identity_is_qemu_stdvga);
    tcase_add_test(tc, rom_bar_probe_enable_and_read);
    tcase_add_test(tc, no_rom_means_no_rom_bar);
    tcase_add_test(tc, overlapping_rom_bar_is_refused_and_logged);
    tcase_add_test(tc, state_round_trip_remaps);
    suite_add_tcase(s, tc);
    return s;
}
