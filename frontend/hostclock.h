/* SPDX-License-Identifier: MIT */
/*
 * The only place Faultline reads the host clock: pacing.  In realtime mode
 * the frontend sleeps whenever virtual time runs ahead of the wall clock;
 * virtual time itself never depends on it.
 */
#ifndef FAULTLINE_HOSTCLOCK_H
#define FAULTLINE_HOSTCLOCK_H

#include <stdint.h>

typedef struct HostPacer {
    uint64_t host_start;
    uint64_t guest_start;
} HostPacer;

uint64_t host_now_ns(void);
void host_pacer_start(HostPacer *p, uint64_t guest_now_ns);
/* Sleeps until the host has caught up with guest_now_ns. */
void host_pacer_wait(HostPacer *p, uint64_t guest_now_ns);

#endif
