/* SPDX-License-Identifier: MIT */
/*
 * The Intel 8254 programmable interval timer, after the 8254 data sheet
 * (Intel 231164): three 16-bit down counters clocked at 1.193182 MHz, modes
 * 0-5, binary or BCD counting, LSB/MSB/LSB-then-MSB access, the counter latch
 * and read-back commands (count and status latches, null count), GATE inputs
 * and OUT pins.  Nothing ticks: each counting element is a closed form of the
 * PIT clock ticks elapsed since it was loaded (clock_ns_to_ticks of the
 * virtual clock), and a channel whose OUT is wired arms one ClockEvent for
 * its next OUT edge.  A count is loaded on the CLK after it is written, so a
 * mode 0 count N ends N+1 ticks after the write, as the data sheet says.
 * Not modelled: counts of 1 in modes 2 and 3 (illegal on the data sheet) run
 * as 2; the gate is sampled at once, not on the next rising CLK edge.
 */
#ifndef FAULTLINE_I8254_H
#define FAULTLINE_I8254_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "clock.h"
#include "state.h"

#define PIT_PORT 0x40
#define PIT_HZ 1193182ull

/*
 * Control word (port 0x43):  SC1 SC0 RW1 RW0 M2 M1 M0 BCD
 *   SC = 3: read-back   /COUNT /STATUS CNT2 CNT1 CNT0 0   (bits 5..1)
 *   RW = 0: counter latch; 1 LSB; 2 MSB; 3 LSB then MSB
 * Status byte: OUT NULL RW1 RW0 M2 M1 M0 BCD
 */
#define PIT_RW_LATCH 0
#define PIT_RW_LSB 1
#define PIT_RW_MSB 2
#define PIT_RW_WORD 3
#define PIT_STATUS_OUT 0x80
#define PIT_STATUS_NULL 0x40

struct I8254;

typedef struct I8254Channel {
    /* Programming, as the control word and count writes left it. */
    uint8_t mode;           /* 0-5 */
    uint8_t rw;             /* PIT_RW_* */
    bool bcd;
    uint16_t cr;            /* count register */
    bool cr_valid;          /* a complete count has been written since the control word */
    bool write_msb;         /* LSB-then-MSB: the MSB comes next */
    uint8_t write_lsb;      /* the LSB waiting for its MSB */
    bool read_msb;          /* LSB-then-MSB: the next read returns the MSB */
    bool count_latched;
    uint16_t ol;            /* output latch */
    bool status_latched;
    uint8_t status;
    bool null_count;
    uint64_t load_tick;     /* when the CR reaches the CE (clears null count); CLOCK_NEVER if waiting */
    bool gate;
    /* The counting element: before start it holds frozen and OUT is out_before. */
    bool running;
    uint64_t start;         /* PIT tick at which the CE held value */
    uint32_t value;         /* 1..modulus */
    uint32_t reload;        /* modes 2 and 3: the count reloaded each period */
    bool start_low;         /* mode 3: the sequence from start begins with the low half */
    bool done;              /* modes 0 and 4: terminal count already passed before start */
    uint16_t frozen;
    bool out_before;
    bool pending;           /* modes 2 and 3: a new count waits for the end of the (half) period */
    uint64_t pending_at;
    bool pending_low;
    /* The OUT pin, when wired. */
    bool out_level;         /* level last driven */
    IrqLine out;
    ClockEvent event;
    struct I8254 *pit;
} I8254Channel;

typedef void (*I8254ProgramFn)(void *opaque, int ch);

typedef struct I8254 {
    I8254Channel ch[3];
    Clock *clock;
    I8254ProgramFn programmed;  /* optional: a channel got a control word or a count */
    void *programmed_opaque;
    BusLogFn log;
    void *log_opaque;
    uint32_t logged;
} I8254;

/* irq0 is wired to channel 0's OUT; channels 0 and 1 have GATE tied high. */
void i8254_init(I8254 *pit, Clock *clock, IrqLine irq0);
void i8254_reset(I8254 *pit);
bool i8254_map(I8254 *pit, IoSpace *ports);
/* Wires another channel's OUT pin (e.g. to a speaker model). */
void i8254_connect_out(I8254 *pit, int ch, IrqLine out);
void i8254_set_gate(I8254 *pit, int ch, bool level);
bool i8254_get_out(I8254 *pit, int ch);
/* Mode and reload count (in clock ticks) a sound backend needs for a tone. */
uint8_t i8254_get_mode(const I8254 *pit, int ch);
uint32_t i8254_get_reload(const I8254 *pit, int ch);

extern const StateDesc i8254_state;

#endif
