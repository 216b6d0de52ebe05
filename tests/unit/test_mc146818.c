/* SPDX-License-Identifier: MIT */
/* MC146818A RTC driven through ports 0x70/0x71 with a hand-advanced virtual clock. */
#include <check.h>
#include <string.h>

#include "mc146818.h"
#include "suites.h"

#define START_2024_02_29_134530 1709214330ull   /* a Thursday */
#define PERIOD_1024HZ(n) clock_ticks_to_ns(32ull * (n), 32768)

typedef struct IrqRec {
    int level;
    int raises;
} IrqRec;

typedef struct Rig {
    Clock clock;
    IoSpace io;
    Mc146818 rtc;
    IrqRec irq;
} Rig;

static void irq_record(void *ctx, int line, int level)
{
    IrqRec *r = ctx;
    ck_assert_int_eq(line, 8);
    if (level && !r->level)
        r->raises++;
    r->level = level;
}

static void rig_init(Rig *r, uint64_t wall)
{
    memset(r, 0, sizeof(*r));
    clock_init(&r->clock, 0);
    io_space_init(&r->io, "port");
    mc146818_init(&r->rtc, &r->clock, (IrqLine){ irq_record, &r->irq, 8 }, wall);
    ck_assert(mc146818_map(&r->rtc, &r->io));
}

static uint8_t cmos_read(Rig *r, uint8_t index)
{
    io_space_write(&r->io, 0x70, index, 1);
    return (uint8_t)io_space_read(&r->io, 0x71, 1);
}

static void cmos_write(Rig *r, uint8_t index, uint8_t value)
{
    io_space_write(&r->io, 0x70, index, 1);
    io_space_write(&r->io, 0x71, value, 1);
}

START_TEST(start_date_reads_back_in_bcd)
{
    Rig r;
    rig_init(&r, START_2024_02_29_134530);
    ck_assert_uint_eq(cmos_read(&r, RTC_SECONDS), 0x30);
    ck_assert_uint_eq(cmos_read(&r, RTC_MINUTES), 0x45);
    ck_assert_uint_eq(cmos_read(&r, RTC_HOURS), 0x13);
    ck_assert_uint_eq(cmos_read(&r, RTC_DAY_OF_WEEK), 5);
    ck_assert_uint_eq(cmos_read(&r, RTC_DAY_OF_MONTH), 0x29);
    ck_assert_uint_eq(cmos_read(&r, RTC_MONTH), 0x02);
    ck_assert_uint_eq(cmos_read(&r, RTC_YEAR), 0x24);
    ck_assert_uint_eq(cmos_read(&r, RTC_CENTURY), 0x20);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_A), 0x26);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_B), 0x02);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_C), 0x00);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_D), 0x80);
}
END_TEST

START_TEST(time_advances_exactly_one_second_per_1e9_ns)
{
    Rig r;
    rig_init(&r, START_2024_02_29_134530);
    clock_advance_to(&r.clock, NS_PER_SECOND - 1);
    ck_assert_uint_eq(cmos_read(&r, RTC_SECONDS), 0x30);
    clock_advance_to(&r.clock, NS_PER_SECOND);
    ck_assert_uint_eq(cmos_read(&r, RTC_SECONDS), 0x31);
    clock_advance_to(&r.clock, 30 * NS_PER_SECOND);
    ck_assert_uint_eq(cmos_read(&r, RTC_SECONDS), 0x00);
    ck_assert_uint_eq(cmos_read(&r, RTC_MINUTES), 0x46);
}
END_TEST

START_TEST(binary_mode_written_time_counts_in_binary)
{
    Rig r;
    rig_init(&r, START_2024_02_29_134530);
    cmos_write(&r, RTC_REG_B, RTC_B_SET | RTC_B_DM_BINARY | RTC_B_24H);
    cmos_write(&r, RTC_HOURS, 23);
    cmos_write(&r, RTC_MINUTES, 59);
    cmos_write(&r, RTC_SECONDS, 59);
    cmos_write(&r, RTC_DAY_OF_MONTH, 29);
    cmos_write(&r, RTC_MONTH, 2);
    cmos_write(&r, RTC_YEAR, 24);
    cmos_write(&r, RTC_DAY_OF_WEEK, 5);
    cmos_write(&r, RTC_CENTURY, 20);
    cmos_write(&r, RTC_REG_B, RTC_B_DM_BINARY | RTC_B_24H);
    clock_advance_to(&r.clock, NS_PER_SECOND);
    ck_assert_uint_eq(cmos_read(&r, RTC_SECONDS), 0);
    ck_assert_uint_eq(cmos_read(&r, RTC_HOURS), 0);
    ck_assert_uint_eq(cmos_read(&r, RTC_DAY_OF_MONTH), 1);
    ck_assert_uint_eq(cmos_read(&r, RTC_MONTH), 3);
    ck_assert_uint_eq(cmos_read(&r, RTC_DAY_OF_WEEK), 6);
    ck_assert_uint_eq(cmos_read(&r, RTC_YEAR), 24);
}
END_TEST

START_TEST(twelve_hour_mode_uses_pm_bit)
{
    Rig r;
    rig_init(&r, START_2024_02_29_134530);
    cmos_write(&r, RTC_REG_B, RTC_B_SET);          /* BCD, 12-hour */
    cmos_write(&r, RTC_HOURS, 0x11);               /* 11 AM */
    cmos_write(&r, RTC_MINUTES, 0x59);
    cmos_write(&r, RTC_SECONDS, 0x59);
    cmos_write(&r, RTC_REG_B, 0);
    clock_advance_to(&r.clock, NS_PER_SECOND);
    ck_assert_uint_eq(cmos_read(&r, RTC_HOURS), 0x92);     /* 12 PM */
    cmos_write(&r, RTC_REG_B, RTC_B_SET);
    cmos_write(&r, RTC_HOURS, 0x91);               /* 11 PM */
    cmos_write(&r, RTC_MINUTES, 0x59);
    cmos_write(&r, RTC_SECONDS, 0x59);
    cmos_write(&r, RTC_REG_B, 0);
    clock_advance_to(&r.clock, 2 * NS_PER_SECOND);
    ck_assert_uint_eq(cmos_read(&r, RTC_HOURS), 0x12);     /* 12 AM, next day */
    ck_assert_uint_eq(cmos_read(&r, RTC_DAY_OF_MONTH), 0x01);
    ck_assert_uint_eq(cmos_read(&r, RTC_MONTH), 0x03);
}
END_TEST

START_TEST(fixed_start_reads_back_in_binary_12h_after_mode_change)
{
    /* DM does not convert stored values: the registers keep BCD until rewritten. */
    Rig r;
    rig_init(&r, START_2024_02_29_134530);
    cmos_write(&r, RTC_REG_B, RTC_B_DM_BINARY | RTC_B_24H);
    ck_assert_uint_eq(cmos_read(&r, RTC_MINUTES), 0x45);
}
END_TEST

START_TEST(year_wrap_increments_century)
{
    Rig r;
    rig_init(&r, 4102444799ull);                   /* 2099-12-31 23:59:59 */
    ck_assert_uint_eq(cmos_read(&r, RTC_CENTURY), 0x20);
    clock_advance_to(&r.clock, NS_PER_SECOND);
    ck_assert_uint_eq(cmos_read(&r, RTC_YEAR), 0x00);
    ck_assert_uint_eq(cmos_read(&r, RTC_MONTH), 0x01);
    ck_assert_uint_eq(cmos_read(&r, RTC_DAY_OF_MONTH), 0x01);
    ck_assert_uint_eq(cmos_read(&r, RTC_CENTURY), 0x21);
    ck_assert_uint_eq(cmos_read(&r, RTC_DAY_OF_WEEK), 6);
}
END_TEST

START_TEST(leap_day_follows_february_28)
{
    Rig r;
    rig_init(&r, 1709164799ull);                   /* 2024-02-28 23:59:59 */
    clock_advance_to(&r.clock, NS_PER_SECOND);
    ck_assert_uint_eq(cmos_read(&r, RTC_DAY_OF_MONTH), 0x29);
    ck_assert_uint_eq(cmos_read(&r, RTC_MONTH), 0x02);
}
END_TEST

START_TEST(daylight_saving_skips_and_repeats_an_hour)
{
    Rig r;
    rig_init(&r, 1714269599ull);                   /* Sun 2024-04-28 01:59:59 */
    cmos_write(&r, RTC_REG_B, RTC_B_24H | RTC_B_DSE);
    clock_advance_to(&r.clock, NS_PER_SECOND);
    ck_assert_uint_eq(cmos_read(&r, RTC_HOURS), 0x03);
    ck_assert_uint_eq(cmos_read(&r, RTC_MINUTES), 0x00);
    rig_init(&r, 1729994399ull);                   /* Sun 2024-10-27 01:59:59 */
    cmos_write(&r, RTC_REG_B, RTC_B_24H | RTC_B_DSE);
    clock_advance_to(&r.clock, NS_PER_SECOND);
    ck_assert_uint_eq(cmos_read(&r, RTC_HOURS), 0x01);
    ck_assert_uint_eq(cmos_read(&r, RTC_MINUTES), 0x00);
    clock_advance_to(&r.clock, 3601 * NS_PER_SECOND);   /* the second 01:59:59 passes */
    ck_assert_uint_eq(cmos_read(&r, RTC_HOURS), 0x02);
}
END_TEST

START_TEST(uip_is_set_for_244us_before_each_update)
{
    Rig r;
    rig_init(&r, START_2024_02_29_134530);
    uint64_t uip = clock_ticks_to_ns(8, 32768);     /* 244141 ns */
    clock_advance_to(&r.clock, NS_PER_SECOND - uip - 1);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_A), 0x26);
    clock_advance_to(&r.clock, NS_PER_SECOND - uip);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_A), 0xA6);
    ck_assert_uint_eq(cmos_read(&r, RTC_SECONDS), 0x30);
    clock_advance_to(&r.clock, NS_PER_SECOND);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_A), 0x26);
    ck_assert_uint_eq(cmos_read(&r, RTC_SECONDS), 0x31);
    clock_advance_to(&r.clock, 2 * NS_PER_SECOND - 1000);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_A), 0xA6);
    cmos_write(&r, RTC_REG_A, 0xA6);                /* UIP is read-only */
    cmos_write(&r, RTC_REG_B, RTC_B_SET | RTC_B_24H);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_A), 0x26);
}
END_TEST

START_TEST(periodic_interrupt_at_1024hz)
{
    Rig r;
    rig_init(&r, START_2024_02_29_134530);
    cmos_write(&r, RTC_REG_B, RTC_B_24H | RTC_B_PIE);
    ck_assert_uint_eq(PERIOD_1024HZ(1), 976563);
    ck_assert_uint_eq(r.rtc.periodic_event.deadline, 976563);
    for (uint64_t n = 1; n <= 1024; n++) {
        clock_advance_to(&r.clock, PERIOD_1024HZ(n) - 1);
        ck_assert_int_eq(r.irq.level, 0);
        clock_advance_to(&r.clock, PERIOD_1024HZ(n));
        ck_assert_int_eq(r.irq.level, 1);
        ck_assert_uint_eq(cmos_read(&r, RTC_REG_C) & 0xE0, RTC_C_IRQF | RTC_C_PF);
        ck_assert_int_eq(r.irq.level, 0);
    }
    ck_assert_int_eq(r.irq.raises, 1024);
    ck_assert_uint_eq(PERIOD_1024HZ(1024), NS_PER_SECOND);
    ck_assert_uint_eq(PERIOD_1024HZ(2) - PERIOD_1024HZ(1), 976562);
}
END_TEST

START_TEST(periodic_flag_without_pie_sets_pf_only)
{
    Rig r;
    rig_init(&r, START_2024_02_29_134530);
    clock_advance_to(&r.clock, 500000);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_C), 0x00);
    clock_advance_to(&r.clock, 2000000);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_C), RTC_C_PF);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_C), 0x00);
    ck_assert_int_eq(r.irq.raises, 0);
    ck_assert_uint_eq(r.rtc.periodic_event.deadline, CLOCK_NEVER);
    /* Enabling PIE with PF pending raises IRQ8 at once. */
    clock_advance_to(&r.clock, 3000000);
    cmos_write(&r, RTC_REG_B, RTC_B_24H | RTC_B_PIE);
    ck_assert_int_eq(r.irq.level, 1);
}
END_TEST

START_TEST(rate_select_2hz_and_off)
{
    Rig r;
    rig_init(&r, START_2024_02_29_134530);
    cmos_write(&r, RTC_REG_A, 0x2F);               /* 2 Hz */
    cmos_write(&r, RTC_REG_B, RTC_B_24H | RTC_B_PIE);
    clock_advance_to(&r.clock, NS_PER_SECOND / 2 - 1);
    ck_assert_int_eq(r.irq.level, 0);
    clock_advance_to(&r.clock, NS_PER_SECOND / 2);
    ck_assert_int_eq(r.irq.level, 1);
    cmos_read(&r, RTC_REG_C);
    cmos_write(&r, RTC_REG_A, 0x20);               /* rate 0: no periodic interrupt */
    clock_advance_to(&r.clock, 3 * NS_PER_SECOND);
    ck_assert_int_eq(r.irq.level, 0);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_C) & RTC_C_PF, 0);
}
END_TEST

START_TEST(alarm_fires_with_dont_care_fields)
{
    Rig r;
    rig_init(&r, START_2024_02_29_134530);
    cmos_write(&r, RTC_SECONDS_ALARM, 0x35);
    cmos_write(&r, RTC_MINUTES_ALARM, 0xC0);
    cmos_write(&r, RTC_HOURS_ALARM, 0xFF);
    cmos_write(&r, RTC_REG_B, RTC_B_24H | RTC_B_AIE);
    clock_advance_to(&r.clock, 4 * NS_PER_SECOND);
    ck_assert_int_eq(r.irq.level, 0);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_C) & ~RTC_C_PF, RTC_C_UF);   /* PF: the 1024 Hz default */
    clock_advance_to(&r.clock, 5 * NS_PER_SECOND);
    ck_assert_int_eq(r.irq.level, 1);
    ck_assert_uint_eq(cmos_read(&r, RTC_SECONDS), 0x35);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_C) & ~RTC_C_PF, RTC_C_IRQF | RTC_C_AF | RTC_C_UF);
    ck_assert_int_eq(r.irq.level, 0);
    clock_advance_to(&r.clock, 6 * NS_PER_SECOND);
    ck_assert_int_eq(r.irq.level, 0);
    /* An exact alarm on every field. */
    cmos_write(&r, RTC_HOURS_ALARM, 0x13);
    cmos_write(&r, RTC_MINUTES_ALARM, 0x46);
    cmos_write(&r, RTC_SECONDS_ALARM, 0x00);
    clock_advance_to(&r.clock, 30 * NS_PER_SECOND - 1);
    ck_assert_int_eq(r.irq.level, 0);
    clock_advance_to(&r.clock, 30 * NS_PER_SECOND);
    ck_assert_int_eq(r.irq.level, 1);
}
END_TEST

START_TEST(update_ended_interrupt_and_c_read_clears_irq8)
{
    Rig r;
    rig_init(&r, START_2024_02_29_134530);
    cmos_write(&r, RTC_REG_B, RTC_B_24H | RTC_B_UIE);
    clock_advance_to(&r.clock, NS_PER_SECOND);
    ck_assert_int_eq(r.irq.level, 1);
    clock_advance_to(&r.clock, NS_PER_SECOND + 5000);
    ck_assert_int_eq(r.irq.level, 1);              /* level stays high until C is read */
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_C) & ~RTC_C_PF, RTC_C_IRQF | RTC_C_UF);
    ck_assert_int_eq(r.irq.level, 0);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_C), 0);
    clock_advance_to(&r.clock, 2 * NS_PER_SECOND);
    ck_assert_int_eq(r.irq.raises, 2);
    /* Clearing the enable drops IRQF and the line, the flag stays. */
    cmos_write(&r, RTC_REG_B, RTC_B_24H);
    ck_assert_int_eq(r.irq.level, 0);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_C) & ~RTC_C_PF, RTC_C_UF);
}
END_TEST

START_TEST(set_bit_stops_updates_and_clears_uie)
{
    Rig r;
    rig_init(&r, START_2024_02_29_134530);
    cmos_write(&r, RTC_REG_B, RTC_B_SET | RTC_B_UIE | RTC_B_24H);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_B), RTC_B_SET | RTC_B_24H);
    clock_advance_to(&r.clock, 3 * NS_PER_SECOND);
    ck_assert_uint_eq(cmos_read(&r, RTC_SECONDS), 0x30);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_C) & RTC_C_UF, 0);
    cmos_write(&r, RTC_SECONDS, 0x10);
    cmos_write(&r, RTC_REG_B, RTC_B_24H);
    clock_advance_to(&r.clock, 3 * NS_PER_SECOND + 1);
    ck_assert_uint_eq(cmos_read(&r, RTC_SECONDS), 0x10);
    clock_advance_to(&r.clock, 4 * NS_PER_SECOND);    /* the divider kept its phase */
    ck_assert_uint_eq(cmos_read(&r, RTC_SECONDS), 0x11);
}
END_TEST

START_TEST(divider_reset_holds_time_then_updates_half_a_second_later)
{
    Rig r;
    rig_init(&r, START_2024_02_29_134530);
    cmos_write(&r, RTC_REG_A, 0x70);
    clock_advance_to(&r.clock, 5 * NS_PER_SECOND + 100);
    ck_assert_uint_eq(cmos_read(&r, RTC_SECONDS), 0x30);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_A), 0x70);
    cmos_write(&r, RTC_REG_A, 0x26);
    clock_advance_to(&r.clock, 5 * NS_PER_SECOND + 100 + NS_PER_SECOND / 2 - 1);
    ck_assert_uint_eq(cmos_read(&r, RTC_SECONDS), 0x30);
    clock_advance_to(&r.clock, 5 * NS_PER_SECOND + 100 + NS_PER_SECOND / 2);
    ck_assert_uint_eq(cmos_read(&r, RTC_SECONDS), 0x31);
}
END_TEST

START_TEST(index_port_nmi_mask_and_nvram)
{
    Rig r;
    rig_init(&r, START_2024_02_29_134530);
    ck_assert(!mc146818_nmi_disabled(&r.rtc));
    io_space_write(&r.io, 0x70, 0x80 | RTC_SHUTDOWN_STATUS, 1);
    ck_assert(mc146818_nmi_disabled(&r.rtc));
    io_space_write(&r.io, 0x71, 0x0A, 1);
    ck_assert_uint_eq(io_space_read(&r.io, 0x70, 1), 0xFF);
    ck_assert_uint_eq(cmos_read(&r, RTC_SHUTDOWN_STATUS), 0x0A);
    ck_assert(!mc146818_nmi_disabled(&r.rtc));
    cmos_write(&r, 0x7F, 0x5A);
    ck_assert_uint_eq(cmos_read(&r, 0x7F), 0x5A);
    ck_assert_uint_eq(mc146818_get_nvram(&r.rtc, 0x7F), 0x5A);
}
END_TEST

START_TEST(checksum_covers_0x10_to_0x2d)
{
    Rig r;
    rig_init(&r, START_2024_02_29_134530);
    for (uint8_t i = 0x10; i <= 0x2D; i++)
        mc146818_set_nvram(&r.rtc, i, 0xF0);
    mc146818_set_nvram(&r.rtc, 0x30, 0x55);         /* outside the sum */
    mc146818_update_checksum(&r.rtc);
    /* 30 bytes of 0xF0 = 0x1C20 */
    ck_assert_uint_eq(cmos_read(&r, RTC_CHECKSUM_HI), 0x1C);
    ck_assert_uint_eq(cmos_read(&r, RTC_CHECKSUM_LO), 0x20);
}
END_TEST

START_TEST(guest_misuse_gets_hardware_answers)
{
    Rig r;
    rig_init(&r, START_2024_02_29_134530);
    cmos_write(&r, RTC_REG_C, 0xFF);
    cmos_write(&r, RTC_REG_D, 0x00);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_C), 0);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_D), 0x80);
    for (uint8_t i = 0; i <= RTC_YEAR; i++)
        cmos_write(&r, i, 0xFF);
    cmos_write(&r, RTC_REG_B, 0x7F);               /* everything enabled, binary, 24h */
    cmos_write(&r, RTC_REG_A, 0x01);               /* 4.194 MHz time base: clock stops */
    clock_advance_to(&r.clock, 3 * NS_PER_SECOND);
    cmos_write(&r, RTC_REG_A, 0x23);
    clock_advance_to(&r.clock, 10 * NS_PER_SECOND);
    ck_assert_int_eq(r.irq.level, 1);
    io_space_write(&r.io, 0x71, 0x00, 2);           /* word access is split by the bus */
}
END_TEST

START_TEST(state_round_trip_keeps_behaviour)
{
    Rig a, b;
    rig_init(&a, START_2024_02_29_134530);
    cmos_write(&a, RTC_REG_A, 0x2A);               /* 64 Hz */
    cmos_write(&a, RTC_REG_B, RTC_B_24H | RTC_B_PIE | RTC_B_AIE);
    cmos_write(&a, RTC_SECONDS_ALARM, 0x33);
    cmos_write(&a, RTC_MINUTES_ALARM, 0xC0);
    cmos_write(&a, RTC_HOURS_ALARM, 0xC0);
    io_space_write(&a.io, 0x70, 0x80 | 0x40, 1);
    clock_advance_to(&a.clock, 1234567890);
    uint8_t buf[1024], again[1024];
    size_t n = state_save(&mc146818_state, &a.rtc, buf, sizeof(buf));
    ck_assert_uint_gt(n, 0);
    rig_init(&b, 0);
    clock_advance_to(&b.clock, 1234567890);
    ck_assert(state_load(&mc146818_state, &b.rtc, buf, n));
    ck_assert_uint_eq(state_save(&mc146818_state, &b.rtc, again, sizeof(again)), n);
    ck_assert_mem_eq(buf, again, n);
    ck_assert(mc146818_nmi_disabled(&b.rtc));
    b.irq = a.irq;
    for (uint64_t t = 1234567890; t < 4 * NS_PER_SECOND; t += 999999) {
        clock_advance_to(&a.clock, t);
        clock_advance_to(&b.clock, t);
        ck_assert_int_eq(a.irq.level, b.irq.level);
        for (uint8_t i = 0; i <= RTC_REG_D; i++)
            ck_assert_uint_eq(cmos_read(&a, i), cmos_read(&b, i));
    }
    ck_assert_int_eq(a.irq.raises, b.irq.raises);
}
END_TEST

START_TEST(reset_clears_enables_and_flags)
{
    Rig r;
    rig_init(&r, START_2024_02_29_134530);
    cmos_write(&r, RTC_REG_B, RTC_B_24H | RTC_B_UIE | RTC_B_PIE | RTC_B_AIE);
    clock_advance_to(&r.clock, NS_PER_SECOND);
    ck_assert_int_eq(r.irq.level, 1);
    mc146818_reset(&r.rtc);
    ck_assert_int_eq(r.irq.level, 0);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_B), RTC_B_24H);
    ck_assert_uint_eq(cmos_read(&r, RTC_REG_C), 0);
    ck_assert_uint_eq(cmos_read(&r, RTC_SECONDS), 0x31);
    ck_assert_uint_eq(r.rtc.periodic_event.deadline, CLOCK_NEVER);
}
END_TEST

Suite *mc146818_suite(void)
{
    Suite *s = suite_create("mc146818");
    TCase *tc = tcase_create("mc146818");
    tcase_add_test(tc, start_date_reads_back_in_bcd);
    tcase_add_test(tc, time_advances_exactly_one_second_per_1e9_ns);
    tcase_add_test(tc, binary_mode_written_time_counts_in_binary);
    tcase_add_test(tc, twelve_hour_mode_uses_pm_bit);
    tcase_add_test(tc, fixed_start_reads_back_in_binary_12h_after_mode_change);
    tcase_add_test(tc, year_wrap_increments_century);
    tcase_add_test(tc, leap_day_follows_february_28);
    tcase_add_test(tc, daylight_saving_skips_and_repeats_an_hour);
    tcase_add_test(tc, uip_is_set_for_244us_before_each_update);
    tcase_add_test(tc, periodic_interrupt_at_1024hz);
    tcase_add_test(tc, periodic_flag_without_pie_sets_pf_only);
    tcase_add_test(tc, rate_select_2hz_and_off);
    tcase_add_test(tc, alarm_fires_with_dont_care_fields);
    tcase_add_test(tc, update_ended_interrupt_and_c_read_clears_irq8);
    tcase_add_test(tc, set_bit_stops_updates_and_clears_uie);
    tcase_add_test(tc, divider_reset_holds_time_then_updates_half_a_second_later);
    tcase_add_test(tc, index_port_nmi_mask_and_nvram);
    tcase_add_test(tc, checksum_covers_0x10_to_0x2d);
    tcase_add_test(tc, guest_misuse_gets_hardware_answers);
    tcase_add_test(tc, state_round_trip_keeps_behaviour);
    tcase_add_test(tc, reset_clears_enables_and_flags);
    suite_add_tcase(s, tc);
    return s;
}
