/* SPDX-License-Identifier: MIT */
/*
 * MC146818A real-time clock (see mc146818.h).  The time registers hold their
 * values in the format the guest chose (BCD or binary, 12- or 24-hour); the
 * update cycle decodes them, adds one second and encodes them back, as the
 * chip does, so a change of DM does not convert what is already stored.  The
 * divider chain is a phase anchored at second_origin_ns: updates fall on whole
 * seconds of it and periodic edges on whole periods of its 32.768 kHz ticks.
 * The update event is armed while the divider runs; the periodic event only
 * while PIE is set, otherwise PF is computed from elapsed time when C is read.
 */
#include "mc146818.h"

#include <string.h>

#define RTC_BASE_HZ 32768u
#define RTC_UIP_TICKS 8u                     /* 244.14 us before each update */
#define RTC_RESTART_DELAY_NS (NS_PER_SECOND / 2)

enum { LOG_READ_ONLY = 1, LOG_DIVIDER = 2 };

typedef struct RtcTime {
    unsigned sec, min, hour, dow, day, mon, year;   /* hour 0-23, dow 1 = Sunday */
} RtcTime;

static void rtc_log_once(Mc146818 *rtc, uint32_t kind, const char *msg)
{
    if (rtc->logged & kind)
        return;
    rtc->logged |= kind;
    if (rtc->log)
        rtc->log(rtc->log_opaque, msg);
}

static uint8_t *reg(Mc146818 *rtc, unsigned index)
{
    return &rtc->cmos[index];
}

static bool rtc_binary(Mc146818 *rtc)
{
    return *reg(rtc, RTC_REG_B) & RTC_B_DM_BINARY;
}

static unsigned from_reg(Mc146818 *rtc, uint8_t v)
{
    return rtc_binary(rtc) ? v : (unsigned)(v >> 4) * 10 + (v & 0x0F);
}

static uint8_t to_reg(Mc146818 *rtc, unsigned v)
{
    return rtc_binary(rtc) ? (uint8_t)v : (uint8_t)(((v / 10) % 10) << 4 | (v % 10));
}

/* Hours in 12-hour mode are 1-12 with bit 7 set for PM. */
static unsigned hours_from_reg(Mc146818 *rtc, uint8_t v)
{
    if (*reg(rtc, RTC_REG_B) & RTC_B_24H)
        return from_reg(rtc, v);
    unsigned h = from_reg(rtc, v & 0x7F) % 12;
    return (v & RTC_HOURS_PM) ? h + 12 : h;
}

static uint8_t hours_to_reg(Mc146818 *rtc, unsigned h)
{
    if (*reg(rtc, RTC_REG_B) & RTC_B_24H)
        return to_reg(rtc, h);
    unsigned h12 = h % 12 ? h % 12 : 12;
    return (uint8_t)(to_reg(rtc, h12) | (h >= 12 ? RTC_HOURS_PM : 0));
}

static void time_load(Mc146818 *rtc, RtcTime *t)
{
    t->sec = from_reg(rtc, *reg(rtc, RTC_SECONDS));
    t->min = from_reg(rtc, *reg(rtc, RTC_MINUTES));
    t->hour = hours_from_reg(rtc, *reg(rtc, RTC_HOURS));
    t->dow = from_reg(rtc, *reg(rtc, RTC_DAY_OF_WEEK));
    t->day = from_reg(rtc, *reg(rtc, RTC_DAY_OF_MONTH));
    t->mon = from_reg(rtc, *reg(rtc, RTC_MONTH));
    t->year = from_reg(rtc, *reg(rtc, RTC_YEAR));
}

static void time_store(Mc146818 *rtc, const RtcTime *t)
{
    *reg(rtc, RTC_SECONDS) = to_reg(rtc, t->sec);
    *reg(rtc, RTC_MINUTES) = to_reg(rtc, t->min);
    *reg(rtc, RTC_HOURS) = hours_to_reg(rtc, t->hour);
    *reg(rtc, RTC_DAY_OF_WEEK) = to_reg(rtc, t->dow);
    *reg(rtc, RTC_DAY_OF_MONTH) = to_reg(rtc, t->day);
    *reg(rtc, RTC_MONTH) = to_reg(rtc, t->mon);
    *reg(rtc, RTC_YEAR) = to_reg(rtc, t->year);
}

/* The chip's leap rule is "year divisible by 4", right for 1901-2099. */
static unsigned days_in_month(unsigned mon, unsigned year)
{
    static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (mon < 1 || mon > 12)
        return 31;
    return days[mon - 1] + (mon == 2 && year % 4 == 0);
}

/* Daylight saving (DSE): last Sunday of April skips 02:00, last Sunday of October repeats 01:00. */
static bool dse_adjust(Mc146818 *rtc, RtcTime *t)
{
    if (!(*reg(rtc, RTC_REG_B) & RTC_B_DSE) || t->dow != 1 || t->hour != 1 ||
        t->min != 59 || t->sec != 59)
        return false;
    if (t->mon == 4 && t->day + 7 > 30) {
        t->hour = 3, t->min = 0, t->sec = 0;
        return true;
    }
    if (t->mon == 10 && t->day + 7 > 31 && !rtc->dse_fall_done) {
        rtc->dse_fall_done = true;
        t->hour = 1, t->min = 0, t->sec = 0;
        return true;
    }
    return false;
}

/* Adds one second; returns true when the year wrapped from 99 to 00. */
static bool time_tick(Mc146818 *rtc, RtcTime *t)
{
    if (dse_adjust(rtc, t))
        return false;
    if (++t->sec < 60)
        return false;
    t->sec = 0;
    if (++t->min < 60)
        return false;
    t->min = 0;
    if (++t->hour < 24)
        return false;
    t->hour = 0;
    rtc->dse_fall_done = false;
    t->dow = t->dow >= 7 ? 1 : t->dow + 1;
    if (++t->day <= days_in_month(t->mon, t->year))
        return false;
    t->day = 1;
    if (++t->mon <= 12)
        return false;
    t->mon = 1;
    t->year = (t->year + 1) % 100;
    return t->year == 0;
}

static bool alarm_matches(Mc146818 *rtc)
{
    static const uint8_t pairs[3][2] = {
        { RTC_SECONDS_ALARM, RTC_SECONDS }, { RTC_MINUTES_ALARM, RTC_MINUTES },
        { RTC_HOURS_ALARM, RTC_HOURS },
    };
    for (int i = 0; i < 3; i++) {
        uint8_t alarm = *reg(rtc, pairs[i][0]);
        if ((alarm & RTC_ALARM_DONT_CARE) != RTC_ALARM_DONT_CARE && alarm != *reg(rtc, pairs[i][1]))
            return false;
    }
    return true;
}

/* IRQF = PF.PIE + AF.AIE + UF.UIE, and the IRQ8 output follows IRQF. */
static void rtc_update_irq(Mc146818 *rtc)
{
    uint8_t *c = reg(rtc, RTC_REG_C);
    bool irqf = (*c & *reg(rtc, RTC_REG_B) & (RTC_C_PF | RTC_C_AF | RTC_C_UF)) != 0;
    *c = (uint8_t)((*c & ~RTC_C_IRQF) | (irqf ? RTC_C_IRQF : 0));
    if (irqf != rtc->irq_level) {
        rtc->irq_level = irqf;
        irq_set_level(rtc->irq, irqf);
    }
}

static bool rtc_running(Mc146818 *rtc)
{
    return (*reg(rtc, RTC_REG_A) & RTC_A_DV_MASK) == RTC_A_DV_32K;
}

/* Periodic rate in 32.768 kHz ticks: RS 1 and 2 tap the chain at 256 and 128 Hz. */
static uint64_t periodic_ticks(Mc146818 *rtc)
{
    unsigned rs = *reg(rtc, RTC_REG_A) & RTC_A_RS_MASK;
    if (rs == 0 || !rtc_running(rtc))
        return 0;
    if (rs <= 2)
        return 64u << rs;
    return 1u << (rs - 1);
}

/* Divider ticks counted at time t (the chain started at most 1 s before the origin). */
static uint64_t divider_ticks(Mc146818 *rtc, uint64_t t)
{
    return clock_ns_to_ticks(t + NS_PER_SECOND - rtc->second_origin_ns, RTC_BASE_HZ);
}

static uint64_t next_periodic_ns(Mc146818 *rtc, uint64_t after, uint64_t period)
{
    uint64_t edge = (divider_ticks(rtc, after) / period + 1) * period;
    return clock_ticks_to_ns(edge, RTC_BASE_HZ) + rtc->second_origin_ns - NS_PER_SECOND;
}

static uint64_t next_update_ns(Mc146818 *rtc, uint64_t now)
{
    uint64_t elapsed = now + NS_PER_SECOND - rtc->second_origin_ns;
    return rtc->second_origin_ns + (elapsed / NS_PER_SECOND) * NS_PER_SECOND;
}

/* Folds periodic edges since pf_since_ns into PF, then re-arms from now. */
static void periodic_refresh(Mc146818 *rtc)
{
    Clock *clock = rtc->clock;
    uint64_t period = periodic_ticks(rtc);
    if (period && next_periodic_ns(rtc, rtc->pf_since_ns, period) <= clock->now_ns)
        *reg(rtc, RTC_REG_C) |= RTC_C_PF;
    rtc->pf_since_ns = clock->now_ns;
    clock_event_cancel(clock, &rtc->periodic_event);
    if (period && (*reg(rtc, RTC_REG_B) & RTC_B_PIE))
        clock_event_arm(clock, &rtc->periodic_event, next_periodic_ns(rtc, clock->now_ns, period));
    rtc_update_irq(rtc);
}

static void periodic_fire(void *opaque, uint64_t now)
{
    Mc146818 *rtc = opaque;
    *reg(rtc, RTC_REG_C) |= RTC_C_PF;
    rtc->pf_since_ns = now;
    periodic_refresh(rtc);
}

static void update_arm(Mc146818 *rtc)
{
    if (rtc_running(rtc))
        clock_event_arm(rtc->clock, &rtc->update_event, next_update_ns(rtc, rtc->clock->now_ns));
    else
        clock_event_cancel(rtc->clock, &rtc->update_event);
}

/* The update cycle: one second later, then the alarm compare, then UF. */
static void update_fire(void *opaque, uint64_t now)
{
    Mc146818 *rtc = opaque;
    if (!(*reg(rtc, RTC_REG_B) & RTC_B_SET)) {
        RtcTime t;
        time_load(rtc, &t);
        if (time_tick(rtc, &t)) {
            uint8_t *century = reg(rtc, RTC_CENTURY);
            *century = to_reg(rtc, (from_reg(rtc, *century) + 1) % 100);
        }
        time_store(rtc, &t);
        if (alarm_matches(rtc))
            *reg(rtc, RTC_REG_C) |= RTC_C_AF;
        *reg(rtc, RTC_REG_C) |= RTC_C_UF;
        rtc_update_irq(rtc);
    }
    update_arm(rtc);
}

static bool uip_visible(Mc146818 *rtc)
{
    uint64_t deadline = rtc->update_event.deadline;
    if (deadline == CLOCK_NEVER || (*reg(rtc, RTC_REG_B) & RTC_B_SET))
        return false;
    return rtc->clock->now_ns + clock_ticks_to_ns(RTC_UIP_TICKS, RTC_BASE_HZ) >= deadline;
}

static void write_reg_a(Mc146818 *rtc, uint8_t value)
{
    bool was_running = rtc_running(rtc);
    periodic_refresh(rtc);
    *reg(rtc, RTC_REG_A) = value & (uint8_t)~RTC_A_UIP;
    uint8_t dv = value & RTC_A_DV_MASK;
    if (dv != RTC_A_DV_32K && dv < 0x60)
        rtc_log_once(rtc, LOG_DIVIDER, "rtc: divider set for a time base other than 32.768 kHz; clock stopped");
    /* Leaving divider reset: the first update comes half a second later. */
    if (!was_running && rtc_running(rtc))
        rtc->second_origin_ns = rtc->clock->now_ns + RTC_RESTART_DELAY_NS;
    update_arm(rtc);
    periodic_refresh(rtc);
}

/* Setting SET aborts updates and clears UIE (datasheet, register B). */
static void write_reg_b(Mc146818 *rtc, uint8_t value)
{
    periodic_refresh(rtc);
    if (value & RTC_B_SET)
        value &= (uint8_t)~RTC_B_UIE;
    *reg(rtc, RTC_REG_B) = value;
    periodic_refresh(rtc);
}

static uint8_t read_reg_c(Mc146818 *rtc)
{
    periodic_refresh(rtc);
    uint8_t value = *reg(rtc, RTC_REG_C);
    *reg(rtc, RTC_REG_C) = 0;
    rtc_update_irq(rtc);
    return value;
}

void mc146818_set_nvram(Mc146818 *rtc, uint8_t index, uint8_t value)
{
    index &= MC146818_NVRAM_SIZE - 1;
    switch (index) {
    case RTC_REG_A: write_reg_a(rtc, value); break;
    case RTC_REG_B: write_reg_b(rtc, value); break;
    case RTC_REG_C:
    case RTC_REG_D:
        rtc_log_once(rtc, LOG_READ_ONLY, "rtc: write to read-only register C or D ignored");
        break;
    default: *reg(rtc, index) = value; break;
    }
}

uint8_t mc146818_get_nvram(Mc146818 *rtc, uint8_t index)
{
    index &= MC146818_NVRAM_SIZE - 1;
    switch (index) {
    case RTC_REG_A: return (uint8_t)(*reg(rtc, RTC_REG_A) | (uip_visible(rtc) ? RTC_A_UIP : 0));
    case RTC_REG_C: return read_reg_c(rtc);
    case RTC_REG_D: return RTC_D_VRT;
    default: return *reg(rtc, index);
    }
}

void mc146818_update_checksum(Mc146818 *rtc)
{
    unsigned sum = 0;
    for (unsigned i = RTC_CHECKSUM_FIRST; i <= RTC_CHECKSUM_LAST; i++)
        sum += rtc->cmos[i];
    rtc->cmos[RTC_CHECKSUM_HI] = (uint8_t)(sum >> 8);
    rtc->cmos[RTC_CHECKSUM_LO] = (uint8_t)sum;
}

static uint32_t rtc_port_read(void *opaque, uint32_t offset, unsigned size)
{
    Mc146818 *rtc = opaque;
    if (offset == 0)
        return 0xFF;        /* the index port is write-only on the AT */
    return mc146818_get_nvram(rtc, rtc->index);
}

static void rtc_port_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    Mc146818 *rtc = opaque;
    if (offset == 0) {
        rtc->index = value & 0x7F;
        rtc->nmi_disabled = (value & 0x80) != 0;
    } else {
        mc146818_set_nvram(rtc, rtc->index, (uint8_t)value);
    }
}

bool mc146818_map(Mc146818 *rtc, IoSpace *ports)
{
    IoWindow w = { .name = "rtc", .base = MC146818_INDEX_PORT, .length = 2, .widths = IO_WIDTH_8,
                   .read = rtc_port_read, .write = rtc_port_write, .opaque = rtc };
    return io_space_map(ports, &w);
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian, era arithmetic). */
static void date_from_days(uint64_t days, unsigned *year, unsigned *mon, unsigned *day)
{
    uint64_t z = days + 719468;             /* days since 0000-03-01 */
    uint64_t era = z / 146097, doe = z % 146097;
    uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    uint64_t mp = (5 * doy + 2) / 153;
    *day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *mon = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *year = (unsigned)(yoe + era * 400 + (*mon <= 2));
}

static void set_wall_time(Mc146818 *rtc, uint64_t wall_seconds)
{
    uint64_t days = wall_seconds / 86400, secs = wall_seconds % 86400;
    unsigned year, mon, day;
    date_from_days(days, &year, &mon, &day);
    RtcTime t = { .sec = (unsigned)(secs % 60), .min = (unsigned)(secs / 60 % 60),
                  .hour = (unsigned)(secs / 3600), .dow = (unsigned)((days + 4) % 7 + 1),
                  .day = day, .mon = mon, .year = year % 100 };
    time_store(rtc, &t);
    *reg(rtc, RTC_CENTURY) = to_reg(rtc, year / 100 % 100);
}

void mc146818_init(Mc146818 *rtc, Clock *clock, IrqLine irq, uint64_t wall_seconds)
{
    memset(rtc, 0, sizeof(*rtc));
    rtc->clock = clock;
    rtc->irq = irq;
    clock_event_register(clock, &rtc->update_event, "rtc-update", update_fire, rtc);
    clock_event_register(clock, &rtc->periodic_event, "rtc-periodic", periodic_fire, rtc);
    rtc->cmos[RTC_REG_A] = RTC_A_DV_32K | 0x06;     /* 1024 Hz, as the AT BIOS leaves it */
    rtc->cmos[RTC_REG_B] = RTC_B_24H;
    rtc->second_origin_ns = clock->now_ns + NS_PER_SECOND;
    rtc->pf_since_ns = clock->now_ns;
    set_wall_time(rtc, wall_seconds);
    update_arm(rtc);
}

void mc146818_reset(Mc146818 *rtc)
{
    rtc->cmos[RTC_REG_B] &= (uint8_t)~(RTC_B_PIE | RTC_B_AIE | RTC_B_UIE | RTC_B_SQWE);
    rtc->cmos[RTC_REG_C] = 0;
    rtc->index = 0;
    rtc->nmi_disabled = false;
    periodic_refresh(rtc);
    rtc->cmos[RTC_REG_C] = 0;
    rtc_update_irq(rtc);
}

static const StateField mc146818_fields[] = {
    STATE_U8_ARRAY(Mc146818, cmos, MC146818_NVRAM_SIZE),
    STATE_U8(Mc146818, index),
    STATE_BOOL(Mc146818, nmi_disabled),
    STATE_BOOL(Mc146818, dse_fall_done),
    STATE_BOOL(Mc146818, irq_level),
    STATE_U64(Mc146818, second_origin_ns),
    STATE_U64(Mc146818, pf_since_ns),
    STATE_U64(Mc146818, update_event.deadline),
    STATE_U64(Mc146818, periodic_event.deadline),
};

const StateDesc mc146818_state = STATE_DESC("mc146818", 1, mc146818_fields);
