/* SPDX-License-Identifier: MIT */
/* PIIX3: the ISA bridge and IDE functions, PIRQ steering, the ELCR. */
#include <check.h>
#include <string.h>

#include "piix3.h"
#include "suites.h"

typedef struct Bench {
    IoSpace ports;
    PciBus bus;
    PicPair pics;
    Piix3 sb;
    int intr;
} Bench;

static void record_intr(void *ctx, int line, int level)
{
    ((Bench *)ctx)->intr = level;
}

static void out8(Bench *b, uint32_t port, uint8_t v)
{
    io_space_write(&b->ports, port, v, 1);
}

/* PICs initialised edge-triggered at 08h/70h as a BIOS does. */
static void bench_init(Bench *b)
{
    memset(b, 0, sizeof(*b));
    io_space_init(&b->ports, "port");
    pic_pair_init(&b->pics, (IrqLine){ record_intr, b, 0 });
    ck_assert(pic_pair_map(&b->pics, &b->ports));
    static const uint8_t master[] = { 0x11, 0x08, 0x04, 0x01 }, slave[] = { 0x11, 0x70, 0x02, 0x01 };
    for (int i = 0; i < 4; i++) {
        out8(b, i ? 0x21 : 0x20, master[i]);
        out8(b, i ? 0xA1 : 0xA0, slave[i]);
    }
    pci_bus_init(&b->bus, NULL, NULL);
    ck_assert(pci_bus_map(&b->bus, &b->ports));
    ck_assert(piix3_init(&b->sb, &b->bus, &b->pics));
    ck_assert(piix3_map(&b->sb, &b->ports));
}

static uint32_t cfg_read(Bench *b, unsigned fn, unsigned reg, unsigned size)
{
    io_space_write(&b->ports, 0xCF8, 0x80000000u | PCI_DEVFN(1, fn) << 8 | (reg & 0xFC), 4);
    return io_space_read(&b->ports, 0xCFC + (reg & 3), size);
}

static void cfg_write(Bench *b, unsigned fn, unsigned reg, uint32_t v, unsigned size)
{
    io_space_write(&b->ports, 0xCF8, 0x80000000u | PCI_DEVFN(1, fn) << 8 | (reg & 0xFC), 4);
    io_space_write(&b->ports, 0xCFC + (reg & 3), v, size);
}

static void eoi(Bench *b)
{
    out8(b, 0xA0, 0x20);
    out8(b, 0x20, 0x20);
}

START_TEST(identities_and_defaults)
{
    Bench b;
    bench_init(&b);
    ck_assert_uint_eq(cfg_read(&b, 0, 0, 4), 0x70008086u);
    ck_assert_uint_eq(cfg_read(&b, 0, 8, 4), 0x06010000u);
    ck_assert_uint_eq(cfg_read(&b, 0, PCI_HEADER_TYPE, 1), 0x80);
    ck_assert_uint_eq(cfg_read(&b, 0, PCI_COMMAND, 4), 0x02000007u);
    ck_assert_uint_eq(cfg_read(&b, 0, PIIX3_PIRQRC, 4), 0x80808080u);
    ck_assert_uint_eq(cfg_read(&b, 0, 0x4C, 4), 0x0003004Du);
    ck_assert_uint_eq(cfg_read(&b, 0, 0x68, 4), 0x00000200u);
    ck_assert_uint_eq(cfg_read(&b, 1, 0, 4), 0x70108086u);
    ck_assert_uint_eq(cfg_read(&b, 1, 8, 4), 0x01018000u);     /* prog-if 80h: legacy */
    ck_assert_uint_eq(cfg_read(&b, 1, PCI_BAR0, 4), 0);        /* no BAR0-3 */
    ck_assert_uint_eq(cfg_read(&b, 1, PCI_BAR0 + 16, 4), 0x1);
    ck_assert_uint_eq(cfg_read(&b, 2, 0, 4), 0xFFFFFFFFu);     /* no USB, no PM */
    ck_assert_uint_eq(cfg_read(&b, 3, 0, 4), 0xFFFFFFFFu);
}
END_TEST

START_TEST(ide_timing_and_bmiba)
{
    Bench b;
    bench_init(&b);
    cfg_write(&b, 1, PIIX3_IDETIM, 0x80008000u, 4);         /* SeaBIOS: decode enable */
    ck_assert_uint_eq(cfg_read(&b, 1, PIIX3_IDETIM, 4), 0x80008000u);
    cfg_write(&b, 1, PCI_BAR0 + 16, 0xFFFFFFFFu, 4);
    ck_assert_uint_eq(cfg_read(&b, 1, PCI_BAR0 + 16, 4), 0xFFFFFFF1u);  /* 16 bytes of I/O */
    cfg_write(&b, 1, PCI_BAR0 + 16, 0xC000, 4);
    ck_assert_uint_eq(pci_bar_address(&b.sb.ide, 4), 0xC000);
    cfg_write(&b, 1, PCI_BAR0, 0xFFFFFFFFu, 4);
    ck_assert_uint_eq(cfg_read(&b, 1, PCI_BAR0, 4), 0);
}
END_TEST

START_TEST(elcr_ports_mask_fixed_edge_inputs)
{
    Bench b;
    bench_init(&b);
    ck_assert_uint_eq(io_space_read(&b.ports, PIIX3_ELCR1, 2), 0x0000);
    out8(&b, PIIX3_ELCR1, 0xFF);
    out8(&b, PIIX3_ELCR2, 0xFF);
    ck_assert_uint_eq(io_space_read(&b.ports, PIIX3_ELCR1, 1), 0xF8);
    ck_assert_uint_eq(io_space_read(&b.ports, PIIX3_ELCR2, 1), 0xDE);
    ck_assert_uint_eq(b.pics.master.elcr, 0xF8);
    ck_assert_uint_eq(b.pics.slave.elcr, 0xDE);
    piix3_reset(&b.sb);
    ck_assert_uint_eq(b.pics.slave.elcr, 0x00);
}
END_TEST

/* SeaBIOS's setup: PIRQA/B to IRQ10, C/D to IRQ11, both level-triggered. */
START_TEST(pirq_steered_to_a_level_triggered_irq)
{
    Bench b;
    bench_init(&b);
    cfg_write(&b, 0, PIIX3_PIRQRC, 0x0B0B0A0Au, 4);
    out8(&b, PIIX3_ELCR2, 0x0C);
    piix3_set_pirq(&b.sb, 2, 1);                            /* PIRQC */
    ck_assert_int_eq(b.intr, 1);
    ck_assert_uint_eq(pics_acknowledge(&b.pics), 0x73);
    eoi(&b);
    ck_assert(pics_pending(&b.pics));                       /* level: still asserted */
    ck_assert_uint_eq(pics_acknowledge(&b.pics), 0x73);
    eoi(&b);
    piix3_set_pirq(&b.sb, 3, 1);                            /* PIRQD shares IRQ11 */
    piix3_set_pirq(&b.sb, 2, 0);
    ck_assert(pics_pending(&b.pics));
    piix3_set_pirq(&b.sb, 3, 0);
    ck_assert(!pics_pending(&b.pics));
    irq_set_level(piix3_pirq(&b.sb, 0), 1);                 /* PIRQA: IRQ10 */
    ck_assert_uint_eq(pics_acknowledge(&b.pics), 0x72);
    eoi(&b);
    cfg_write(&b, 0, PIIX3_PIRQRC, 0x80, 1);                /* disabled: the line drops */
    ck_assert(!pics_pending(&b.pics));
    ck_assert_uint_eq(b.sb.irq_out, 0);
}
END_TEST

START_TEST(reserved_routes_go_nowhere)
{
    Bench b;
    bench_init(&b);
    cfg_write(&b, 0, PIIX3_PIRQRC, 0x7F, 1);
    ck_assert_uint_eq(cfg_read(&b, 0, PIIX3_PIRQRC, 1), 0x0F);  /* bits 6-4 reserved */
    cfg_write(&b, 0, PIIX3_PIRQRC, 0x02, 1);                    /* IRQ2 is reserved */
    piix3_set_pirq(&b.sb, 0, 1);
    ck_assert_uint_eq(b.sb.irq_out, 0);
    ck_assert(!pics_pending(&b.pics));
    cfg_write(&b, 0, PIIX3_PIRQRC, 0x05, 1);                    /* now IRQ5 */
    ck_assert_uint_eq(b.sb.irq_out, 0x20);
    ck_assert_uint_eq(pics_acknowledge(&b.pics), 0x0D);
}
END_TEST

START_TEST(state_round_trip)
{
    Bench b, c;
    bench_init(&b);
    cfg_write(&b, 0, PIIX3_PIRQRC, 0x0B0B0A0Au, 4);
    out8(&b, PIIX3_ELCR2, 0x0C);
    uint8_t buf[1024];
    size_t n = state_save(&piix3_state, &b.sb, buf, sizeof(buf));
    ck_assert_uint_gt(n, 0);
    bench_init(&c);
    ck_assert(state_load(&piix3_state, &c.sb, buf, n));
    piix3_apply(&c.sb);
    ck_assert_uint_eq(c.pics.slave.elcr, 0x0C);
    ck_assert_uint_eq(cfg_read(&c, 0, PIIX3_PIRQRC, 4), 0x0B0B0A0Au);
    piix3_set_pirq(&c.sb, 1, 1);
    ck_assert_uint_eq(pics_acknowledge(&c.pics), 0x72);
}
END_TEST

Suite *piix3_suite(void)
{
    Suite *s = suite_create("piix3");
    TCase *tc = tcase_create("southbridge");
    tcase_add_test(tc, identities_and_defaults);
    tcase_add_test(tc, ide_timing_and_bmiba);
    tcase_add_test(tc, elcr_ports_mask_fixed_edge_inputs);
    tcase_add_test(tc, pirq_steered_to_a_level_triggered_irq);
    tcase_add_test(tc, reserved_routes_go_nowhere);
    tcase_add_test(tc, state_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
