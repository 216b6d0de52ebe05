/* SPDX-License-Identifier: MIT */
/* The 8259A PIC and the AT master/slave pair through their ports. */
#include <check.h>
#include <string.h>

#include "i8259.h"
#include "suites.h"

typedef struct Fixture {
    IoSpace io;
    PicPair pics;
    int intr;               /* the level on the CPU's INTR pin */
    int intr_changes;
    int logs;
} Fixture;

static void record_intr(void *ctx, int line, int level)
{
    Fixture *f = ctx;
    f->intr = level;
    f->intr_changes++;
}

static void count_log(void *opaque, const char *message)
{
    Fixture *f = opaque;
    f->logs++;
}

static void out8(Fixture *f, uint32_t port, uint8_t v)
{
    io_space_write(&f->io, port, v, 1);
}

static uint8_t in8(Fixture *f, uint32_t port)
{
    return (uint8_t)io_space_read(&f->io, port, 1);
}

/* The BIOS's initialisation: edge triggered, vectors 08h and 70h, slave on IR2. */
static void setup(Fixture *f)
{
    memset(f, 0, sizeof(*f));
    io_space_init(&f->io, "port");
    IrqLine intr = { record_intr, f, 0 };
    pic_pair_init(&f->pics, intr);
    f->pics.master.log = f->pics.slave.log = count_log;
    f->pics.master.log_opaque = f->pics.slave.log_opaque = f;
    ck_assert(pic_pair_map(&f->pics, &f->io));
    static const uint8_t master[] = { 0x11, 0x08, 0x04, 0x01 }, slave[] = { 0x11, 0x70, 0x02, 0x01 };
    for (int i = 0; i < 4; i++) {
        out8(f, i ? 0x21 : 0x20, master[i]);
        out8(f, i ? 0xA1 : 0xA0, slave[i]);
    }
}

static void irq(Fixture *f, int n, int level)
{
    irq_set_level(pic_pair_irq(&f->pics, n), level);
}

static uint8_t read_irr(Fixture *f, uint32_t base)
{
    out8(f, base, 0x0A);
    return in8(f, base);
}

static uint8_t read_isr(Fixture *f, uint32_t base)
{
    out8(f, base, 0x0B);
    return in8(f, base);
}

START_TEST(init_sequence_sets_vectors_and_clears_mask)
{
    Fixture f;
    setup(&f);
    ck_assert_uint_eq(in8(&f, 0x21), 0x00);
    ck_assert_uint_eq(in8(&f, 0xA1), 0x00);
    ck_assert(!pics_pending(&f.pics));
    irq(&f, 1, 1);
    ck_assert(pics_pending(&f.pics));
    ck_assert_int_eq(f.intr, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x09);
    ck_assert_int_eq(f.intr, 0);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x02);
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x00);
    out8(&f, 0x21, 0xB8);                       /* OCW1 */
    ck_assert_uint_eq(in8(&f, 0x21), 0xB8);
}
END_TEST

START_TEST(single_mode_skips_icw3)
{
    Fixture f;
    setup(&f);
    I8259 *pic = &f.pics.master;
    out8(&f, 0x20, 0x13);                       /* edge, single, ICW4 needed */
    out8(&f, 0x21, 0x40);
    out8(&f, 0x21, 0x03);                       /* this is ICW4: AEOI, 8086 */
    ck_assert_uint_eq(pic->icw4, 0x03);
    out8(&f, 0x21, 0xFE);
    ck_assert_uint_eq(in8(&f, 0x21), 0xFE);
    irq(&f, 0, 1);
    ck_assert_uint_eq(i8259_acknowledge(pic), 0x40);
    /* Single mode: IR2 is an ordinary input even with a slave wired to it. */
    out8(&f, 0x21, 0x00);
    irq(&f, 9, 1);
    ck_assert_uint_eq(i8259_acknowledge(pic), 0x42);
}
END_TEST

START_TEST(masked_request_waits_in_irr)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x21, 0x08);
    irq(&f, 3, 1);
    ck_assert(!pics_pending(&f.pics));
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x08);
    out8(&f, 0x21, 0x00);
    ck_assert(pics_pending(&f.pics));
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x0B);
}
END_TEST

START_TEST(fully_nested_priority_and_non_specific_eoi)
{
    Fixture f;
    setup(&f);
    irq(&f, 3, 1);
    irq(&f, 1, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x09);
    ck_assert(!pics_pending(&f.pics));          /* IR3 is below IR1 in service */
    irq(&f, 0, 1);
    ck_assert(pics_pending(&f.pics));           /* IR0 nests */
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x08);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x03);
    out8(&f, 0x20, 0x20);                       /* clears the highest: IR0 */
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x02);
    ck_assert(!pics_pending(&f.pics));
    out8(&f, 0x20, 0x20);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x0B);
}
END_TEST

START_TEST(specific_eoi_clears_only_that_level)
{
    Fixture f;
    setup(&f);
    irq(&f, 5, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x0D);
    irq(&f, 4, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x0C);
    out8(&f, 0x20, 0x65);                       /* specific EOI for IR5 */
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x10);
    out8(&f, 0x20, 0x62);                       /* nothing in service there: no effect */
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x10);
}
END_TEST

START_TEST(rotation_commands)
{
    Fixture f;
    setup(&f);
    irq(&f, 1, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x09);
    out8(&f, 0x20, 0xA0);                       /* rotate on non-specific EOI: IR1 lowest */
    irq(&f, 1, 0);
    irq(&f, 1, 1);
    irq(&f, 3, 1);
    irq(&f, 0, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x0B);     /* 2,3,...,7,0,1 */
    out8(&f, 0x20, 0x20);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x08);
    out8(&f, 0x20, 0xE0);                       /* rotate on specific EOI 0: IR0 lowest */
    irq(&f, 0, 0);
    irq(&f, 0, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x09);
    out8(&f, 0x20, 0x61);
    out8(&f, 0x20, 0xC4);                       /* set priority: IR4 lowest, IR5 highest */
    irq(&f, 6, 1);
    irq(&f, 4, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x0E);
    out8(&f, 0x20, 0x20);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x08);     /* IR0 before IR4 now */
    out8(&f, 0x20, 0x20);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x0C);
}
END_TEST

START_TEST(automatic_eoi_and_rotate_in_aeoi)
{
    Fixture f;
    setup(&f);
    static const uint8_t icw[] = { 0x11, 0x08, 0x04, 0x03 };
    for (int i = 0; i < 4; i++)
        out8(&f, i ? 0x21 : 0x20, icw[i]);
    irq(&f, 3, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x0B);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    out8(&f, 0x20, 0x80);                       /* rotate in AEOI mode */
    irq(&f, 3, 0);
    irq(&f, 3, 1);
    irq(&f, 4, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x0B);     /* IR3 now lowest */
    irq(&f, 3, 0);
    irq(&f, 3, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x0C);
    out8(&f, 0x20, 0x00);                       /* clear rotate in AEOI */
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x0B);
    irq(&f, 0, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x08);
}
END_TEST

START_TEST(poll_command_acknowledges)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x20, 0x0C);
    ck_assert_uint_eq(in8(&f, 0x20), 0x00);     /* nothing requesting */
    irq(&f, 6, 1);
    irq(&f, 5, 1);
    out8(&f, 0x20, 0x0C);
    ck_assert_uint_eq(in8(&f, 0x21), 0x85);     /* the next read, at either address */
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x20);
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x40);
    ck_assert_uint_eq(in8(&f, 0x21), 0x00);     /* the poll is over: the IMR again */
}
END_TEST

START_TEST(special_mask_mode_lets_lower_levels_in)
{
    Fixture f;
    setup(&f);
    irq(&f, 1, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x09);
    irq(&f, 5, 1);
    ck_assert(!pics_pending(&f.pics));
    out8(&f, 0x21, 0x02);
    ck_assert(!pics_pending(&f.pics));          /* masking alone does not help */
    out8(&f, 0x20, 0x68);                       /* set special mask mode */
    ck_assert(pics_pending(&f.pics));
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x0D);
    out8(&f, 0x20, 0x48);                       /* reset special mask mode */
    irq(&f, 6, 1);
    ck_assert(!pics_pending(&f.pics));
    out8(&f, 0x20, 0x28);                       /* OCW3 without ESMM: SMM kept as is */
    ck_assert(!pics_pending(&f.pics));
}
END_TEST

START_TEST(edge_needs_a_new_rising_edge_level_does_not)
{
    Fixture f;
    setup(&f);
    irq(&f, 4, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x0C);
    out8(&f, 0x20, 0x20);
    ck_assert(!pics_pending(&f.pics));          /* still high, but no new edge */
    irq(&f, 4, 0);
    irq(&f, 4, 1);
    ck_assert(pics_pending(&f.pics));
    static const uint8_t icw[] = { 0x19, 0x08, 0x04, 0x01 };   /* level triggered */
    for (int i = 0; i < 4; i++)
        out8(&f, i ? 0x21 : 0x20, icw[i]);
    ck_assert(pics_pending(&f.pics));           /* a high level is a request at once */
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x0C);
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x10);
    out8(&f, 0x20, 0x20);
    ck_assert(pics_pending(&f.pics));           /* still asserted: again */
    irq(&f, 4, 0);
    ck_assert(!pics_pending(&f.pics));
}
END_TEST

START_TEST(elcr_makes_one_input_level_sensed)
{
    Fixture f;
    setup(&f);
    i8259_set_elcr(&f.pics.slave, 0x08);        /* IRQ11 level, the rest edge */
    irq(&f, 11, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x73);
    out8(&f, 0xA0, 0x20);
    out8(&f, 0x20, 0x20);
    ck_assert(pics_pending(&f.pics));           /* still high: requests again */
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x73);
    out8(&f, 0xA0, 0x20);
    out8(&f, 0x20, 0x20);
    irq(&f, 11, 0);
    ck_assert(!pics_pending(&f.pics));
    irq(&f, 10, 1);                             /* IRQ10 stays edge-sensed */
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x72);
    out8(&f, 0xA0, 0x20);
    out8(&f, 0x20, 0x20);
    ck_assert(!pics_pending(&f.pics));
    i8259_set_elcr(&f.pics.slave, 0x04);        /* switched to level while high */
    ck_assert(pics_pending(&f.pics));
    static const uint8_t icw[] = { 0x11, 0x70, 0x02, 0x01 };   /* ICW1 keeps the ELCR */
    for (int i = 0; i < 4; i++)
        out8(&f, i ? 0xA1 : 0xA0, icw[i]);
    ck_assert_uint_eq(f.pics.slave.elcr, 0x04);
    ck_assert(pics_pending(&f.pics));
}
END_TEST

START_TEST(icw1_rearms_edge_detection)
{
    Fixture f;
    setup(&f);
    irq(&f, 3, 1);
    out8(&f, 0x21, 0xFF);
    static const uint8_t icw[] = { 0x11, 0x08, 0x04, 0x01 };
    for (int i = 0; i < 4; i++)
        out8(&f, i ? 0x21 : 0x20, icw[i]);
    ck_assert_uint_eq(in8(&f, 0x21), 0x00);
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x00);
    ck_assert(!pics_pending(&f.pics));
}
END_TEST

START_TEST(spurious_irq7_and_irq15)
{
    Fixture f;
    setup(&f);
    irq(&f, 4, 1);
    ck_assert(pics_pending(&f.pics));
    irq(&f, 4, 0);                              /* the request goes away before INTA */
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x0F);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    /* On the slave: IRQ15's vector, and the master's cascade level is in service. */
    irq(&f, 12, 1);
    ck_assert(pics_pending(&f.pics));
    out8(&f, 0xA1, 0x10);                       /* masked between INT and INTA */
    ck_assert(!pics_pending(&f.pics));
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x0F);
    out8(&f, 0xA1, 0x00);
    ck_assert(pics_pending(&f.pics));
    I8259 *slave = &f.pics.slave;
    i8259_set_irq(slave, 4, 0);
    i8259_set_irq(&f.pics.master, 2, 1);        /* as if INT still stood at the master's INTA */
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x77);
    ck_assert_uint_eq(read_isr(&f, 0xA0), 0x00);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x04);
}
END_TEST

START_TEST(cascaded_slave_supplies_vector)
{
    Fixture f;
    setup(&f);
    irq(&f, 14, 1);
    ck_assert_int_eq(f.intr, 1);
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x04);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x76);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x04);
    ck_assert_uint_eq(read_isr(&f, 0xA0), 0x40);
    irq(&f, 2, 1);                              /* the AT's IRQ2 pin is IRQ9 */
    irq(&f, 0, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x08);
    out8(&f, 0x20, 0x20);
    ck_assert(!pics_pending(&f.pics));          /* IR2 still in service on the master */
    out8(&f, 0xA0, 0x20);
    out8(&f, 0x20, 0x20);
    ck_assert(pics_pending(&f.pics));
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x71);
    /* A masked cascade input hides the whole slave. */
    out8(&f, 0xA0, 0x20);
    out8(&f, 0x20, 0x20);
    out8(&f, 0x21, 0x04);
    irq(&f, 8, 1);
    ck_assert(!pics_pending(&f.pics));
}
END_TEST

START_TEST(special_fully_nested_mode_on_master)
{
    Fixture f;
    setup(&f);
    irq(&f, 9, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x71);
    irq(&f, 8, 1);                              /* higher than IRQ9 on the slave */
    ck_assert(!pics_pending(&f.pics));          /* fully nested: master IR2 blocks */
    out8(&f, 0xA0, 0x20);
    out8(&f, 0x20, 0x20);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x70);
    out8(&f, 0xA0, 0x20);
    out8(&f, 0x20, 0x20);
    irq(&f, 8, 0);
    irq(&f, 9, 0);
    static const uint8_t icw[] = { 0x11, 0x08, 0x04, 0x11 };
    for (int i = 0; i < 4; i++)
        out8(&f, i ? 0x21 : 0x20, icw[i]);
    irq(&f, 9, 1);
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x71);
    irq(&f, 8, 1);
    ck_assert(pics_pending(&f.pics));           /* SFNM: the slave may interrupt again */
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x70);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x04);
    ck_assert_uint_eq(read_isr(&f, 0xA0), 0x03);
    ck_assert(!pics_pending(&f.pics));
}
END_TEST

START_TEST(state_round_trip_keeps_behaviour)
{
    Fixture a, b, c;
    setup(&a);
    setup(&b);
    setup(&c);
    out8(&a, 0x21, 0x20);
    out8(&a, 0x20, 0xC3);                       /* IR3 lowest */
    irq(&a, 1, 1);
    irq(&a, 5, 1);
    irq(&a, 6, 1);
    irq(&a, 10, 1);
    ck_assert_uint_eq(pics_acknowledge(&a.pics), 0x0E);   /* order 4,5,6,7,0,1,2,3 */
    out8(&a, 0x20, 0x0B);
    uint8_t m[512], s[512], pair[1024], again[1024];
    size_t nm = state_save(&i8259_state, &a.pics.master, m, sizeof(m));
    size_t ns = state_save(&i8259_state, &a.pics.slave, s, sizeof(s));
    size_t np = state_save(&pic_pair_state, &a.pics, pair, sizeof(pair));
    ck_assert_uint_gt(nm, 0);
    ck_assert_uint_gt(np, nm + ns);             /* the names carry the chip's prefix */
    ck_assert(state_load(&i8259_state, &b.pics.master, m, nm));
    ck_assert(state_load(&i8259_state, &b.pics.slave, s, ns));
    ck_assert_uint_eq(state_save(&i8259_state, &b.pics.master, again, sizeof(again)), nm);
    ck_assert_mem_eq(m, again, nm);
    ck_assert_uint_eq(state_save(&pic_pair_state, &b.pics, again, sizeof(again)), np);
    ck_assert_mem_eq(pair, again, np);
    ck_assert(state_load(&pic_pair_state, &c.pics, pair, np));
    ck_assert_uint_eq(state_save(&i8259_state, &c.pics.master, again, sizeof(again)), nm);
    ck_assert_mem_eq(m, again, nm);
    ck_assert_uint_eq(state_save(&i8259_state, &c.pics.slave, again, sizeof(again)), ns);
    ck_assert_mem_eq(s, again, ns);
    ck_assert_uint_eq(in8(&b, 0x20), 0x40);     /* read_isr survived */
    ck_assert_uint_eq(in8(&b, 0x21), 0x20);
    for (int i = 0; i < 3; i++) {
        out8(&a, 0xA0, 0x20);
        out8(&b, 0xA0, 0x20);
        out8(&a, 0x20, 0x20);
        out8(&b, 0x20, 0x20);
        ck_assert_int_eq(pics_pending(&a.pics), pics_pending(&b.pics));
        ck_assert_uint_eq(pics_acknowledge(&a.pics), pics_acknowledge(&b.pics));
    }
    irq(&a, 5, 0);
    irq(&b, 5, 0);
    out8(&a, 0x21, 0x00);
    out8(&b, 0x21, 0x00);
    ck_assert_uint_eq(pics_acknowledge(&a.pics), pics_acknowledge(&b.pics));
}
END_TEST

START_TEST(guest_misuse_gets_hardware_answers)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x20, 0x20);                       /* EOI with nothing in service */
    out8(&f, 0x20, 0x40);                       /* OCW2 no-op */
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    out8(&f, 0x20, 0x10);                       /* ICW1 without ICW4: 8080 mode */
    out8(&f, 0x20, 0x12);
    out8(&f, 0x21, 0x20);
    out8(&f, 0x21, 0xFF);                       /* single, no ICW4: this is OCW1 */
    ck_assert_uint_eq(in8(&f, 0x21), 0xFF);
    ck_assert_int_eq(f.logs, 1);                /* logged once */
    out8(&f, 0x20, 0x1B);
    out8(&f, 0x21, 0x20);
    out8(&f, 0x21, 0x00);                       /* ICW4 with uPM=0 */
    ck_assert_int_eq(f.logs, 1);
    ck_assert(!pics_pending(&f.pics));
    ck_assert_uint_eq(pics_acknowledge(&f.pics), 0x27);   /* no request: IR7's vector */
}
END_TEST

Suite *i8259_suite(void)
{
    Suite *s = suite_create("i8259");
    TCase *tc = tcase_create("i8259");
    tcase_add_test(tc, init_sequence_sets_vectors_and_clears_mask);
    tcase_add_test(tc, single_mode_skips_icw3);
    tcase_add_test(tc, masked_request_waits_in_irr);
    tcase_add_test(tc, fully_nested_priority_and_non_specific_eoi);
    tcase_add_test(tc, specific_eoi_clears_only_that_level);
    tcase_add_test(tc, rotation_commands);
    tcase_add_test(tc, automatic_eoi_and_rotate_in_aeoi);
    tcase_add_test(tc, poll_command_acknowledges);
    tcase_add_test(tc, special_mask_mode_lets_lower_levels_in);
    tcase_add_test(tc, edge_needs_a_new_rising_edge_level_does_not);
    tcase_add_test(tc, elcr_makes_one_input_level_sensed);
    tcase_add_test(tc, icw1_rearms_edge_detection);
    tcase_add_test(tc, spurious_irq7_and_irq15);
    tcase_add_test(tc, cascaded_slave_supplies_vector);
    tcase_add_test(tc, special_fully_nested_mode_on_master);
    tcase_add_test(tc, state_round_trip_keeps_behaviour);
    tcase_add_test(tc, guest_misuse_gets_hardware_answers);
    suite_add_tcase(s, tc);
    return s;
}
