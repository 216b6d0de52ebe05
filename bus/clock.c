/* SPDX-License-Identifier: MIT */
/*
 * The virtual clock and its armed events.  Instructions become nanoseconds
 * at the nominal rate with the remainder carried, so the conversion is exact
 * and the same run always sees the same times.  Events fire in deadline
 * order, ties broken by registration order, which keeps runs deterministic.
 */
#include "clock.h"

#include <string.h>

void clock_init(Clock *clock, uint64_t ips)
{
    memset(clock, 0, sizeof(*clock));
    clock->ips = ips ? ips : CLOCK_DEFAULT_IPS;
}

bool clock_event_register(Clock *clock, ClockEvent *event, const char *name,
                          ClockEventFn fire, void *opaque)
{
    if (clock->event_count == CLOCK_MAX_EVENTS)
        return false;
    event->name = name;
    event->fire = fire;
    event->opaque = opaque;
    event->deadline = CLOCK_NEVER;
    event->order = (uint32_t)clock->event_count;
    clock->events[clock->event_count++] = event;
    return true;
}

void clock_event_arm(Clock *clock, ClockEvent *event, uint64_t deadline_ns)
{
    (void)clock;
    event->deadline = deadline_ns;
}

void clock_event_cancel(Clock *clock, ClockEvent *event)
{
    (void)clock;
    event->deadline = CLOCK_NEVER;
}

uint64_t clock_next_deadline(const Clock *clock)
{
    uint64_t next = CLOCK_NEVER;
    for (int i = 0; i < clock->event_count; i++)
        if (clock->events[i]->deadline < next)
            next = clock->events[i]->deadline;
    return next;
}

/* The earliest due event (lowest deadline, then lowest order), or NULL. */
static ClockEvent *next_due(Clock *clock, uint64_t ns)
{
    ClockEvent *best = NULL;
    for (int i = 0; i < clock->event_count; i++) {
        ClockEvent *e = clock->events[i];
        if (e->deadline <= ns && (!best || e->deadline < best->deadline))
            best = e;
    }
    return best;
}

void clock_advance_to(Clock *clock, uint64_t ns)
{
    ClockEvent *e;
    while ((e = next_due(clock, ns)) != NULL) {
        if (e->deadline > clock->now_ns)
            clock->now_ns = e->deadline;
        e->deadline = CLOCK_NEVER;      /* a periodic device re-arms in fire() */
        e->fire(e->opaque, clock->now_ns);
    }
    if (ns > clock->now_ns)
        clock->now_ns = ns;
}

void clock_retire_instructions(Clock *clock, uint64_t count)
{
    unsigned __int128 scaled = (unsigned __int128)count * NS_PER_SECOND + clock->insn_remainder;
    uint64_t ns = (uint64_t)(scaled / clock->ips);
    clock->insn_remainder = (uint64_t)(scaled % clock->ips);
    clock_advance_to(clock, clock->now_ns + ns);
}

uint64_t clock_instructions_until(const Clock *clock, uint64_t deadline_ns)
{
    if (deadline_ns <= clock->now_ns)
        return 1;
    if (deadline_ns == CLOCK_NEVER)
        return UINT64_MAX / 2;
    unsigned __int128 needed = (unsigned __int128)(deadline_ns - clock->now_ns) * clock->ips;
    if (needed <= clock->insn_remainder)
        return 1;
    needed -= clock->insn_remainder;
    uint64_t n = (uint64_t)((needed + NS_PER_SECOND - 1) / NS_PER_SECOND);
    return n ? n : 1;
}
