/* SPDX-License-Identifier: MIT */
/*
 * The Intel 8042 keyboard controller as programmed by IBM for the PC/AT and
 * PS/2 (two ports: keyboard and auxiliary/mouse), at ports 0x60 (data) and
 * 0x64 (status/command), following the IBM PS/2 Keyboard and Auxiliary
 * Device Controller technical reference and A. Brouwer's "Keyboard
 * scancodes" notes: status register, 32 bytes of RAM whose byte 0 is the
 * command byte, self and interface tests, port enables, input and output
 * ports (A20 gate and CPU reset reach the machine through host callbacks),
 * writes into its own output buffer, the pulse-output commands, the HP
 * Vectra A20 commands, set 2 -> set 1 translation, and IRQ1/IRQ12.  The
 * output buffer holds one byte; the next one (a controller reply first, then
 * the keyboard's, then the mouse's) is fetched only after the guest has read
 * it.  Commands complete at once, so the input buffer never reads full.
 * Not modelled: passwords, the MCA-only and vendor speed/line commands
 * (logged once and ignored), the AUX multiplexer, parity errors, and the
 * timing of the serial link.
 */
#ifndef FAULTLINE_I8042_H
#define FAULTLINE_I8042_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "ps2.h"
#include "state.h"

#define I8042_DATA_PORT 0x60
#define I8042_COMMAND_PORT 0x64

/*
 * Status (read 0x64) | PERR | TIMEOUT | AUX OBF | UNLOCKED | A2 CMD | SYS | IBF | OBF |
 * Command byte       |  0   |  XLAT   | AUX DIS | KBD DIS  |   0    | SYS | INT2| INT |
 * Output port        | KBD DATA | KBD CLK | IRQ12 | IRQ1 | AUX CLK | AUX DATA | A20 | /RESET |
 */
enum {
    I8042_STATUS_OBF = 0x01, I8042_STATUS_IBF = 0x02, I8042_STATUS_SYS = 0x04,
    I8042_STATUS_CMD = 0x08, I8042_STATUS_UNLOCKED = 0x10, I8042_STATUS_AUX_OBF = 0x20,
    I8042_STATUS_TIMEOUT = 0x40, I8042_STATUS_PARITY = 0x80,

    I8042_CCB_INT = 0x01, I8042_CCB_INT2 = 0x02, I8042_CCB_SYS = 0x04,
    I8042_CCB_KBD_DISABLE = 0x10, I8042_CCB_AUX_DISABLE = 0x20, I8042_CCB_XLAT = 0x40,

    I8042_OUT_RESET = 0x01, I8042_OUT_A20 = 0x02, I8042_OUT_IRQ1 = 0x10, I8042_OUT_IRQ12 = 0x20,
};

/* Board lines the output port drives. */
typedef struct I8042HostOps {
    void (*set_a20)(void *opaque, bool enabled);
    void (*reset)(void *opaque);        /* pulse the CPU's RESET */
    void *opaque;
} I8042HostOps;

enum { I8042_RAM_SIZE = 32, I8042_REPLY_SIZE = 8 };

typedef struct I8042 {
    uint8_t status;             /* SYS, CMD, TIMEOUT as latched; OBF/AUX OBF follow the buffer */
    uint8_t ram[I8042_RAM_SIZE];            /* ram[0] is the command byte */
    uint8_t outport;
    uint8_t pending_cmd;        /* a command waiting for its data byte at 0x60, or 0 */
    uint8_t obuf;               /* the output buffer */
    bool obuf_full;
    bool obuf_aux;              /* the byte in it came from (or is routed as) the aux port */
    bool xlat_break;            /* translation saw F0: OR 0x80 into the next byte */
    uint8_t reply[I8042_REPLY_SIZE];        /* the controller's own bytes waiting for the buffer */
    uint8_t reply_aux;          /* bit i: reply[i] is routed as aux data (D3) */
    uint8_t reply_head, reply_count;
    bool irq1_level, irq12_level;           /* what the IRQ outputs drive now */

    IrqLine irq1, irq12;
    I8042HostOps host;
    Ps2Device kbd, aux;
    BusLogFn log;
    void *log_opaque;
    uint32_t logged;
} I8042;

/*
 * Power-on state: command byte 0 (no IRQs, no translation, ports enabled),
 * output port 0xCF (A20 on, RESET high: the 8042's pins come up high), SYS
 * clear.  The machine must start with its A20 gate open to match.  kbd or
 * aux may have NULL callbacks: bytes sent to them then time out.
 */
void i8042_init(I8042 *c, IrqLine irq1, IrqLine irq12, I8042HostOps host, Ps2Device kbd, Ps2Device aux);
void i8042_reset(I8042 *c);
bool i8042_map(I8042 *c, IoSpace *ports);

/* A device's Ps2Notify.ready: it has a byte for the controller to fetch. */
void i8042_device_ready(void *controller);

static inline Ps2Notify i8042_notify(I8042 *c)
{
    return (Ps2Notify){ .ready = i8042_device_ready, .ctl = c };
}

extern const StateDesc i8042_state;

#endif
