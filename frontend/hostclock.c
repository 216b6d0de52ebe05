/* SPDX-License-Identifier: MIT */
/* Host monotonic time and the realtime pacer (see hostclock.h). */
#define _POSIX_C_SOURCE 200809L
#include "hostclock.h"

#include <time.h>

uint64_t host_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void host_pacer_start(HostPacer *p, uint64_t guest_now_ns)
{
    p->host_start = host_now_ns();
    p->guest_start = guest_now_ns;
}

void host_pacer_wait(HostPacer *p, uint64_t guest_now_ns)
{
    uint64_t guest = guest_now_ns - p->guest_start;
    uint64_t host = host_now_ns() - p->host_start;
    if (guest <= host + 1000000)
        return;     /* behind or within a millisecond: run on */
    uint64_t ahead = guest - host;
    struct timespec ts = { (time_t)(ahead / 1000000000ull), (long)(ahead % 1000000000ull) };
    nanosleep(&ts, NULL);
}
