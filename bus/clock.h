/* SPDX-License-Identifier: MIT */
/*
 * The virtual clock: the one integer time base (nanoseconds of guest time)
 * from which every timer derives.  The CPU advances it by retiring
 * instructions at a nominal rate; HLT skips to the next armed event.  Devices
 * never tick: they arm an event for their next state change and derive
 * counters from elapsed time.  Nothing here reads the host clock.
 */
#ifndef FAULTLINE_CLOCK_H
#define FAULTLINE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define NS_PER_SECOND 1000000000ull
#define CLOCK_NEVER UINT64_MAX
#define CLOCK_DEFAULT_IPS 50000000ull   /* 50 MIPS: documented in the README */

typedef void (*ClockEventFn)(void *opaque, uint64_t now_ns);

typedef struct ClockEvent {
    const char *name;
    ClockEventFn fire;
    void *opaque;
    uint64_t deadline;      /* CLOCK_NEVER when not armed */
    uint32_t order;         /* registration order: breaks deadline ties */
} ClockEvent;

enum { CLOCK_MAX_EVENTS = 64 };

typedef struct Clock {
    uint64_t now_ns;
    uint64_t ips;               /* nominal instructions per second */
    uint64_t insn_remainder;    /* instructions * 1e9 not yet turned into whole ns */
    ClockEvent *events[CLOCK_MAX_EVENTS];
    int event_count;
} Clock;

void clock_init(Clock *clock, uint64_t ips);
/* Registers an event object owned by a device; it starts disarmed. */
bool clock_event_register(Clock *clock, ClockEvent *event, const char *name,
                          ClockEventFn fire, void *opaque);
void clock_event_arm(Clock *clock, ClockEvent *event, uint64_t deadline_ns);
void clock_event_cancel(Clock *clock, ClockEvent *event);
uint64_t clock_next_deadline(const Clock *clock);

/* Advances time, firing every event whose deadline is reached, in order. */
void clock_advance_to(Clock *clock, uint64_t ns);
void clock_retire_instructions(Clock *clock, uint64_t count);
/* How many instructions fit before the given deadline (at least 1). */
uint64_t clock_instructions_until(const Clock *clock, uint64_t deadline_ns);

/* Converts elapsed guest time into ticks of a device clock of hz (exact integer math). */
static inline uint64_t clock_ns_to_ticks(uint64_t ns, uint64_t hz)
{
    return (uint64_t)(((unsigned __int128)ns * hz) / NS_PER_SECOND);
}

/* The first guest time at which a device clock of hz has counted ticks (rounded up). */
static inline uint64_t clock_ticks_to_ns(uint64_t ticks, uint64_t hz)
{
    return (uint64_t)(((unsigned __int128)ticks * NS_PER_SECOND + hz - 1) / hz);
}

#endif
