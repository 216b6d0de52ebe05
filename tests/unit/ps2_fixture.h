/* SPDX-License-Identifier: MIT */
/*
 * A bench for the 8042 tests: the controller with a keyboard and a mouse
 * behind it, mapped into a port space, IRQ1/IRQ12 recorded, the A20/reset
 * lines and the keyboard LEDs recorded, and a hand-advanced clock.  Tests
 * talk to the devices only through ports 0x60/0x64.
 */
#ifndef FAULTLINE_TEST_PS2_FIXTURE_H
#define FAULTLINE_TEST_PS2_FIXTURE_H

#include <check.h>
#include <string.h>

#include "i8042.h"
#include "ps2kbd.h"
#include "ps2mouse.h"

typedef struct Ps2Rig {
    Clock clock;
    IoSpace ports;
    I8042 kbc;
    Ps2Kbd kbd;
    Ps2Mouse mouse;
    int level[16], rises[16];
    int a20_calls, resets, led_calls, logs;
    bool a20;
    uint8_t leds;
} Ps2Rig;

static inline void rig_irq(void *ctx, int line, int level)
{
    Ps2Rig *r = ctx;
    if (level && !r->level[line])
        r->rises[line]++;
    r->level[line] = level;
}

static inline void rig_a20(void *opaque, bool enabled)
{
    Ps2Rig *r = opaque;
    r->a20_calls++;
    r->a20 = enabled;
}

static inline void rig_reset(void *opaque)
{
    ((Ps2Rig *)opaque)->resets++;
}

static inline void rig_leds(void *opaque, uint8_t leds)
{
    Ps2Rig *r = opaque;
    r->led_calls++;
    r->leds = leds;
}

static inline void rig_log(void *opaque, const char *msg)
{
    (void)msg;
    ((Ps2Rig *)opaque)->logs++;
}

static inline void rig_init(Ps2Rig *r)
{
    memset(r, 0, sizeof(*r));
    clock_init(&r->clock, 0);
    io_space_init(&r->ports, "port");
    i8042_init(&r->kbc, (IrqLine){ rig_irq, r, 1 }, (IrqLine){ rig_irq, r, 12 },
               (I8042HostOps){ rig_a20, rig_reset, r }, ps2kbd_device(&r->kbd), ps2mouse_device(&r->mouse));
    ps2kbd_init(&r->kbd, &r->clock, (Ps2KbdHostOps){ rig_leds, r }, i8042_notify(&r->kbc));
    ps2mouse_init(&r->mouse, i8042_notify(&r->kbc));
    r->kbc.log = r->kbd.log = r->mouse.log = rig_log;
    r->kbc.log_opaque = r->kbd.log_opaque = r->mouse.log_opaque = r;
    ck_assert(i8042_map(&r->kbc, &r->ports));
}

static inline uint8_t rig_status(Ps2Rig *r)
{
    return (uint8_t)io_space_read(&r->ports, I8042_COMMAND_PORT, 1);
}

static inline void rig_cmd(Ps2Rig *r, uint8_t cmd)
{
    io_space_write(&r->ports, I8042_COMMAND_PORT, cmd, 1);
}

static inline void rig_data(Ps2Rig *r, uint8_t value)
{
    io_space_write(&r->ports, I8042_DATA_PORT, value, 1);
}

static inline void rig_cmd_data(Ps2Rig *r, uint8_t cmd, uint8_t value)
{
    rig_cmd(r, cmd);
    rig_data(r, value);
}

/* The next byte from port 0x60, or -1 when the output buffer is empty. */
static inline int rig_read(Ps2Rig *r)
{
    if (!(rig_status(r) & I8042_STATUS_OBF))
        return -1;
    return (int)io_space_read(&r->ports, I8042_DATA_PORT, 1);
}

/* Asserts that exactly these bytes are waiting, in order, and nothing after. */
static inline void rig_expect_bytes(Ps2Rig *r, const int *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int got = rig_read(r);
        ck_assert_msg(got == bytes[i], "byte %zu: expected %02X, got %s%02X", i, bytes[i],
                      got < 0 ? "nothing " : "", got < 0 ? 0 : got);
    }
    ck_assert_int_eq(rig_read(r), -1);
}

#define EXPECT_BYTES(r, ...) do { \
        const int expected_[] = { __VA_ARGS__ }; \
        rig_expect_bytes((r), expected_, sizeof(expected_) / sizeof(expected_[0])); \
    } while (0)

#define EXPECT_NOTHING(r) ck_assert_int_eq(rig_read(r), -1)

/* Sends a byte to the mouse through D4. */
static inline void rig_aux(Ps2Rig *r, uint8_t value)
{
    rig_cmd_data(r, 0xD4, value);
}

#endif
