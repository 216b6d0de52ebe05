/* SPDX-License-Identifier: MIT */
/*
 * The Motorola MC146818A real-time clock and its 128 bytes of CMOS RAM, as
 * wired in the IBM PC/AT: index port 0x70 (bit 7 of every index write is the
 * board's NMI mask latch, kept here for the machine to apply) and data port
 * 0x71, interrupt output on IRQ8.  Follows the MC146818A datasheet: time,
 * calendar and alarm registers in BCD or binary, 12/24-hour, daylight saving,
 * registers A-D, the once-per-second update cycle, periodic, alarm and
 * update-ended interrupts.  Time comes only from the virtual clock: the
 * machine passes the wall time to start from (host time or a fixed date) and
 * the update cycle advances the registers once per virtual second.  Not
 * modelled: the 1984 us window during which the time registers are busy (the
 * update is instantaneous at the end of the 244 us UIP window), the SQW pin,
 * the 4.194/1.048 MHz time bases (any divider setting other than 010 stops
 * the clock), and the extended bank at 0x72/0x73.
 */
#ifndef FAULTLINE_MC146818_H
#define FAULTLINE_MC146818_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "clock.h"
#include "state.h"

#define MC146818_INDEX_PORT 0x70
#define MC146818_NVRAM_SIZE 128

/* Register indices (IBM AT CMOS map for the non-clock bytes used here). */
enum {
    RTC_SECONDS = 0x00, RTC_SECONDS_ALARM = 0x01,
    RTC_MINUTES = 0x02, RTC_MINUTES_ALARM = 0x03,
    RTC_HOURS = 0x04, RTC_HOURS_ALARM = 0x05,
    RTC_DAY_OF_WEEK = 0x06, RTC_DAY_OF_MONTH = 0x07,
    RTC_MONTH = 0x08, RTC_YEAR = 0x09,
    RTC_REG_A = 0x0A, RTC_REG_B = 0x0B, RTC_REG_C = 0x0C, RTC_REG_D = 0x0D,
    RTC_SHUTDOWN_STATUS = 0x0F,
    RTC_CHECKSUM_FIRST = 0x10, RTC_CHECKSUM_LAST = 0x2D,
    RTC_CHECKSUM_HI = 0x2E, RTC_CHECKSUM_LO = 0x2F,
    RTC_CENTURY = 0x32,
};

/*
 * Register A  | UIP | DV2 DV1 DV0 | RS3 RS2 RS1 RS0 |
 * Register B  | SET | PIE | AIE | UIE | SQWE | DM | 24/12 | DSE |
 * Register C  | IRQF | PF | AF | UF | 0 0 0 0 |      (read clears)
 * Register D  | VRT | 0 ... |
 */
enum {
    RTC_A_UIP = 0x80, RTC_A_DV_MASK = 0x70, RTC_A_DV_32K = 0x20, RTC_A_RS_MASK = 0x0F,
    RTC_B_SET = 0x80, RTC_B_PIE = 0x40, RTC_B_AIE = 0x20, RTC_B_UIE = 0x10,
    RTC_B_SQWE = 0x08, RTC_B_DM_BINARY = 0x04, RTC_B_24H = 0x02, RTC_B_DSE = 0x01,
    RTC_C_IRQF = 0x80, RTC_C_PF = 0x40, RTC_C_AF = 0x20, RTC_C_UF = 0x10,
    RTC_D_VRT = 0x80,
    RTC_HOURS_PM = 0x80,
    RTC_ALARM_DONT_CARE = 0xC0,
};

typedef struct Mc146818 {
    uint8_t cmos[MC146818_NVRAM_SIZE];  /* 0x00-0x0D clock registers, the rest NVRAM */
    uint8_t index;
    bool nmi_disabled;          /* bit 7 of the last index write: 1 masks NMI */
    bool dse_fall_done;         /* October's 01:59:59 -> 01:00:00 already taken today */
    bool irq_level;
    uint64_t second_origin_ns;  /* an update boundary, at most 1 s after the divider started */
    uint64_t pf_since_ns;       /* periodic edges after this time set PF */
    ClockEvent update_event;    /* the next once-per-second update */
    ClockEvent periodic_event;  /* the next periodic edge, armed only while PIE is set */

    Clock *clock;
    IrqLine irq;
    BusLogFn log;
    void *log_opaque;
    uint32_t logged;            /* misuse kinds already logged */
} Mc146818;

/*
 * Power-on state: divider running at 32.768 kHz, 1024 Hz rate, BCD, 24-hour,
 * time and century set from wall_seconds (seconds since 1970-01-01 00:00 UTC
 * or local, as the machine chooses); the first update comes 1 s later.
 */
void mc146818_init(Mc146818 *rtc, Clock *clock, IrqLine irq, uint64_t wall_seconds);
/* The RESET pin: clears PIE/AIE/UIE/SQWE and the flags; time and NVRAM stay. */
void mc146818_reset(Mc146818 *rtc);
bool mc146818_map(Mc146818 *rtc, IoSpace *ports);

/* Host/BIOS access to a register or NVRAM byte, with the same effects as the data port. */
void mc146818_set_nvram(Mc146818 *rtc, uint8_t index, uint8_t value);
uint8_t mc146818_get_nvram(Mc146818 *rtc, uint8_t index);
/* Stores the IBM AT checksum (sum of 0x10-0x2D) at 0x2E (high) and 0x2F (low). */
void mc146818_update_checksum(Mc146818 *rtc);

static inline bool mc146818_nmi_disabled(const Mc146818 *rtc)
{
    return rtc->nmi_disabled;
}

extern const StateDesc mc146818_state;

#endif
