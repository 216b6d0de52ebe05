/* SPDX-License-Identifier: MIT */
/*
 * Our BIOS's PCI support: INT 1Ah AH=B1h run against the real chipset
 * (i440FX, PIIX3, PCI VGA) through a BiosBus, and the BIOS32 directory and
 * $PIR table in the ROM image.
 */
#include <check.h>
#include <string.h>

#include "bios_internal.h"
#include "i440fx.h"
#include "pci_vga.h"
#include "piix3.h"
#include "suites.h"

typedef struct Bench {
    IoSpace ports;
    IoSpace mmio;
    PciBus bus;
    PicPair pics;
    I440fx nb;
    Piix3 sb;
    PciVga vga;
    uint8_t ram[0x10000];       /* SS = 0: the stub's frame lives here */
    Bios bios;
    BiosBus bb;
    BiosRegs r;
} Bench;

static uint32_t bus_read(void *ctx, unsigned seg, uint32_t off, unsigned size)
{
    Bench *b = ctx;
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)b->ram[(off + i) & 0xFFFF] << (8 * i);
    return v;
}

static void bus_write(void *ctx, unsigned seg, uint32_t off, uint32_t v, unsigned size)
{
    Bench *b = ctx;
    for (unsigned i = 0; i < size; i++)
        b->ram[(off + i) & 0xFFFF] = (uint8_t)(v >> (8 * i));
}

static uint32_t bus_in(void *ctx, uint16_t port, unsigned size)
{
    return io_space_read(&((Bench *)ctx)->ports, port, size);
}

static void bus_out(void *ctx, uint16_t port, uint32_t v, unsigned size)
{
    io_space_write(&((Bench *)ctx)->ports, port, v, size);
}

static void bench_init(Bench *b)
{
    memset(b, 0, sizeof(*b));
    io_space_init(&b->ports, "port");
    io_space_init(&b->mmio, "mmio");
    pic_pair_init(&b->pics, (IrqLine){ 0 });
    pci_bus_init(&b->bus, NULL, NULL);
    ck_assert(pci_bus_map(&b->bus, &b->ports));
    ck_assert(i440fx_init(&b->nb, &b->bus, (I440fxHostOps){ 0 }));
    ck_assert(piix3_init(&b->sb, &b->bus, &b->pics));
    ck_assert(pci_vga_init(&b->vga, &b->bus, &b->mmio));
    static const uint8_t rom[0x1000] = { 0x55, 0xAA, 8 };
    pci_vga_set_rom(&b->vga, rom, sizeof(rom));
    bios_init(&b->bios, NULL, NULL);
    b->bb = (BiosBus){ .ctx = b, .read = bus_read, .write = bus_write, .in = bus_in, .out = bus_out };
}

/* INT 1Ah with AX, and the CF the caller's IRET would see. */
static bool call(Bench *b, uint16_t ax)
{
    b->r.eax = ax;
    b->r.esp = 0x1000;
    bus_write(b, 0, 0x1000 + ROM_FRAME_FLAGS, 0x0202, 2);
    bios_call(&b->bios, BIOS_SVC_INT1A, &b->r, &b->bb);
    return bus_read(b, 0, 0x1000 + ROM_FRAME_FLAGS, 2) & FLAG_CF;
}

START_TEST(installation_check)
{
    Bench b;
    bench_init(&b);
    b.r.ecx = 0x1234FFFF;
    ck_assert(!call(&b, 0xB101));
    ck_assert_uint_eq(b.r.edx, 0x20494350u);        /* "PCI " */
    ck_assert_uint_eq(b.r.eax & 0xFFFF, 0x0001);    /* present, mechanism #1 */
    ck_assert_uint_eq(b.r.ebx & 0xFFFF, 0x0210);
    ck_assert_uint_eq(b.r.ecx, 0x1234FF00u);        /* CL = last bus 0 */
}
END_TEST

START_TEST(find_device_by_id_and_index)
{
    Bench b;
    bench_init(&b);
    b.r.ecx = 0x7010;
    b.r.edx = 0x8086;
    b.r.esi = 0;
    ck_assert(!call(&b, 0xB102));
    ck_assert_uint_eq(b.r.ebx & 0xFFFF, 0x0009);    /* bus 0, 00:01.1 */
    ck_assert_uint_eq((b.r.eax >> 8) & 0xFF, 0x00);
    b.r.ecx = 0x1111;
    b.r.edx = 0x1234;
    ck_assert(!call(&b, 0xB102));
    ck_assert_uint_eq(b.r.ebx & 0xFFFF, 0x0010);
    b.r.esi = 1;                                    /* no second one */
    ck_assert(call(&b, 0xB102));
    ck_assert_uint_eq((b.r.eax >> 8) & 0xFF, 0x86);
    b.r.edx = 0xFFFF;
    ck_assert(call(&b, 0xB102));
    ck_assert_uint_eq((b.r.eax >> 8) & 0xFF, 0x83);
}
END_TEST

START_TEST(find_class_code)
{
    Bench b;
    bench_init(&b);
    b.r.ecx = 0x030000;
    b.r.esi = 0;
    ck_assert(!call(&b, 0xB103));
    ck_assert_uint_eq(b.r.ebx & 0xFFFF, 0x0010);
    b.r.ecx = 0x010180;
    ck_assert(!call(&b, 0xB103));
    ck_assert_uint_eq(b.r.ebx & 0xFFFF, 0x0009);
    b.r.ecx = 0x060000;
    ck_assert(!call(&b, 0xB103));
    ck_assert_uint_eq(b.r.ebx & 0xFFFF, 0x0000);
    b.r.ecx = 0x020000;                             /* no network controller */
    ck_assert(call(&b, 0xB103));
    ck_assert_uint_eq((b.r.eax >> 8) & 0xFF, 0x86);
}
END_TEST

START_TEST(config_reads_and_writes)
{
    Bench b;
    bench_init(&b);
    b.r.ebx = 0x0008;                               /* 00:01.0 */
    b.r.edi = 0x02;
    ck_assert(!call(&b, 0xB109));
    ck_assert_uint_eq(b.r.ecx & 0xFFFF, 0x7000);
    b.r.edi = 0x0E;
    ck_assert(!call(&b, 0xB108));
    ck_assert_uint_eq(b.r.ecx & 0xFF, 0x80);
    b.r.edi = 0x60;                                 /* PIRQA to IRQ11 */
    b.r.ecx = 0x0B;
    ck_assert(!call(&b, 0xB10B));
    ck_assert_uint_eq(b.sb.isa.config[0x60], 0x0B);
    b.r.ebx = 0x0010;                               /* VGA ROM BAR probe */
    b.r.edi = 0x30;
    b.r.ecx = 0xFFFFFFFEu;
    ck_assert(!call(&b, 0xB10D));
    ck_assert(!call(&b, 0xB10A));
    ck_assert_uint_eq(b.r.ecx, 0xFFFFF000u);
    b.r.edi = 0x04;
    b.r.ecx = 0x0002;
    ck_assert(!call(&b, 0xB10C));
    ck_assert_uint_eq(b.vga.pci.config[4], 0x02);
    b.r.ebx = 0x0018;                               /* nothing at 00:03.0 */
    b.r.edi = 0;
    ck_assert(!call(&b, 0xB10A));
    ck_assert_uint_eq(b.r.ecx, 0xFFFFFFFFu);
}
END_TEST

START_TEST(bad_register_and_unknown_function)
{
    Bench b;
    bench_init(&b);
    b.r.ebx = 0;
    b.r.edi = 0x03;                                 /* a word at an odd register */
    b.r.ecx = 0x5555;
    ck_assert(call(&b, 0xB109));
    ck_assert_uint_eq((b.r.eax >> 8) & 0xFF, 0x87);
    ck_assert_uint_eq(b.r.ecx, 0x5555);
    b.r.edi = 0x102;
    ck_assert(call(&b, 0xB108));
    ck_assert_uint_eq((b.r.eax >> 8) & 0xFF, 0x87);
    ck_assert(call(&b, 0xB10E));                    /* get IRQ routing: not supported */
    ck_assert_uint_eq((b.r.eax >> 8) & 0xFF, 0x81);
    ck_assert(call(&b, 0xB1FF));
    ck_assert_uint_eq((b.r.eax >> 8) & 0xFF, 0x81);
}
END_TEST

static unsigned sum8(const uint8_t *p, size_t n)
{
    unsigned s = 0;
    for (size_t i = 0; i < n; i++)
        s += p[i];
    return s & 0xFF;
}

START_TEST(bios32_directory_in_the_rom)
{
    const uint8_t *d = bios_rom + ROM_BIOS32_DIR;
    ck_assert_uint_eq(ROM_BIOS32_DIR % 16, 0);
    ck_assert_mem_eq(d, "_32_", 4);
    uint32_t entry = d[4] | d[5] << 8 | d[6] << 16 | (uint32_t)d[7] << 24;
    ck_assert_uint_eq(entry, 0xF0000u + ROM_BIOS32_ENTRY);
    ck_assert_uint_eq(d[8], 0);                     /* revision */
    ck_assert_uint_eq(d[9], 1);                     /* paragraphs */
    ck_assert_uint_eq(sum8(d, 16), 0);
    /* test bl,bl; jnz; mov al,80h; retf; mov al,81h; retf (32-bit code) */
    static const uint8_t code[] = { 0x84, 0xDB, 0x75, 0x03, 0xB0, 0x80, 0xCB, 0xB0, 0x81, 0xCB };
    ck_assert_mem_eq(bios_rom + ROM_BIOS32_ENTRY, code, sizeof(code));
}
END_TEST

START_TEST(pir_table_in_the_rom)
{
    const uint8_t *t = bios_rom + ROM_PIR_TABLE;
    ck_assert_uint_eq(ROM_PIR_TABLE % 16, 0);
    ck_assert_mem_eq(t, "$PIR", 4);
    ck_assert_uint_eq(t[4] | t[5] << 8, 0x0100);
    unsigned size = t[6] | t[7] << 8;
    ck_assert_uint_eq(size % 16, 0);
    ck_assert_uint_gt(size, 32);
    ck_assert_uint_eq(t[8], 0);                     /* router bus */
    ck_assert_uint_eq(t[9], 0x08);                  /* router 00:01.0 */
    ck_assert_uint_eq(t[0x0C] | t[0x0D] << 8 | t[0x0E] << 16 | (uint32_t)t[0x0F] << 24, 0x70008086u);
    ck_assert_uint_eq(sum8(t, size), 0);
    /* The VGA (device 2): INTA on PIRQB (link 61h) ... INTD on PIRQA, IRQ mask DEF8h. */
    const uint8_t *e = t + 32 + 16;
    ck_assert_uint_eq(e[1], 0x10);
    ck_assert_uint_eq(e[2], 0x61);
    ck_assert_uint_eq(e[3] | e[4] << 8, 0xDEF8);
    ck_assert_uint_eq(e[11], 0x60);
}
END_TEST

Suite *pcibios_suite(void)
{
    Suite *s = suite_create("pcibios");
    TCase *tc = tcase_create("int1a_b1");
    tcase_add_test(tc, installation_check);
    tcase_add_test(tc, find_device_by_id_and_index);
    tcase_add_test(tc, find_class_code);
    tcase_add_test(tc, config_reads_and_writes);
    tcase_add_test(tc, bad_register_and_unknown_function);
    tcase_add_test(tc, bios32_directory_in_the_rom);
    tcase_add_test(tc, pir_table_in_the_rom);
    suite_add_tcase(s, tc);
    return s;
}
