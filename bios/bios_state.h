/* SPDX-License-Identifier: MIT */
/*
 * The host side of our BIOS.  Everything a guest can see (IVT, BDA, EBDA,
 * tables, the state of a service in progress) lives in guest RAM or in the
 * ROM, so a snapshot needs nothing from here; this struct only says where
 * the BIOS reports unimplemented functions (once per kind).
 */
#ifndef FAULTLINE_BIOS_STATE_H
#define FAULTLINE_BIOS_STATE_H

#include "bios.h"
#include "bus.h"

struct Bios {
    BusLogFn log;           /* may be NULL */
    void *log_opaque;
    uint32_t logged;        /* BIOS_LOG_* kinds already reported */
};

void bios_init(Bios *bios, BusLogFn log, void *log_opaque);

#endif
