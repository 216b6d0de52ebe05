/* SPDX-License-Identifier: MIT */
/*
 * A PS/2 mouse on the 8042's auxiliary port, following the IBM PS/2 mouse
 * technical reference and Microsoft's IntelliMouse extensions: reset (AA 00),
 * get ID (00; 03 after the 200-100-80 sample-rate knock; 04, the 5-button
 * IntelliMouse Explorer, after 200-200-80 once in mode 03), sample rate,
 * resolution, 1:1 / 2:1 scaling, status request, stream and remote modes,
 * read data, wrap (echo) mode, enable/disable reporting, defaults, resend.
 * Packets are 3 bytes (4 in IntelliMouse modes) with sign and overflow bits.
 * In stream mode host movement larger than a packet can carry is split over
 * several packets, as the mouse would report a fast move over consecutive
 * samples; in remote mode movement accumulates in the 9-bit counters until
 * Read Data, which saturates them and sets the overflow bits.  Not
 * modelled: pacing packets at the sample rate (a packet is queued as soon as
 * there is movement and room in the 16-byte buffer) and the resolution's
 * effect on counts (host deltas are taken as counts).
 */
#ifndef FAULTLINE_PS2MOUSE_H
#define FAULTLINE_PS2MOUSE_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "ps2.h"
#include "state.h"

/* Button bits of ps2mouse_move(). */
enum {
    PS2MOUSE_BUTTON_LEFT = 1, PS2MOUSE_BUTTON_RIGHT = 2, PS2MOUSE_BUTTON_MIDDLE = 4,
    PS2MOUSE_BUTTON_4 = 8, PS2MOUSE_BUTTON_5 = 16,
};

/* Device IDs reported by Get ID (F2). */
enum { PS2MOUSE_ID_STANDARD = 0x00, PS2MOUSE_ID_WHEEL = 0x03, PS2MOUSE_ID_5BUTTON = 0x04 };

typedef struct Ps2Mouse {
    Ps2Queue reply;             /* command responses: sent before buffered packets */
    Ps2Queue packets;           /* movement packets, whole packets only */
    uint8_t id;                 /* PS2MOUSE_ID_* */
    uint8_t sample_rate;        /* reports per second */
    uint8_t resolution;         /* 0-3: 1, 2, 4, 8 counts/mm */
    bool scaling_2to1;
    bool remote;                /* remote mode (F0) rather than stream mode (EA) */
    bool reporting;             /* data reporting enabled (F4) */
    bool wrap;                  /* wrap mode (EE): every byte echoed */
    uint8_t pending_cmd;        /* F3 or E8 waiting for its argument, or 0 */
    uint8_t last_sent;          /* what Resend (FE) repeats */
    uint8_t rate_history[3];    /* the last three sample rates set, oldest first */
    uint8_t buttons;            /* PS2MOUSE_BUTTON_* currently down */
    uint8_t reported_buttons;   /* as of the last packet */
    int32_t dx, dy, dz;         /* movement not yet reported (PS/2 sense: +y is up) */

    Ps2Notify notify;
    BusLogFn log;
    void *log_opaque;
    uint32_t logged;
} Ps2Mouse;

void ps2mouse_init(Ps2Mouse *mouse, Ps2Notify notify);
/* Power-on defaults: 100 samples/s, 4 counts/mm, 1:1, stream mode, reporting off, ID 00. */
void ps2mouse_reset(Ps2Mouse *mouse);

/*
 * The host moved the mouse: dx right-positive, dy down-positive (screen
 * sense; the mouse reports up-positive), dz wheel clicks towards the user
 * positive, buttons a PS2MOUSE_BUTTON_* mask of what is held now.
 */
void ps2mouse_move(Ps2Mouse *mouse, int dx, int dy, int dz, uint8_t buttons);

/* The controller side of the link (see ps2.h). */
void ps2mouse_write(Ps2Mouse *mouse, uint8_t byte);
bool ps2mouse_read(Ps2Mouse *mouse, uint8_t *byte);
Ps2Device ps2mouse_device(Ps2Mouse *mouse);

extern const StateDesc ps2mouse_state;

#endif
