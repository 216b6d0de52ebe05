/* SPDX-License-Identifier: MIT */
/*
 * Port 61h (see port61.h).  The refresh toggle is a pure function of the
 * virtual time, so it needs no event; channel 2 OUT is sampled from the PIT.
 */
#include "port61.h"

#include <string.h>

/* Tells the host about a change of tone (or, when forced, the current one). */
static void report_speaker(Port61 *p, bool force)
{
    bool on = false;
    uint32_t hz = 0;
    uint32_t reload = i8254_get_reload(p->pit, 2);
    if ((p->control & (PORT61_GATE2 | PORT61_SPEAKER)) == (PORT61_GATE2 | PORT61_SPEAKER) &&
        i8254_get_mode(p->pit, 2) == 3 && reload) {
        on = true;
        hz = (uint32_t)((PIT_HZ + reload / 2) / reload);
    }
    if (!force && on == p->tone_on && hz == p->tone_hz)
        return;
    p->tone_on = on;
    p->tone_hz = hz;
    if (p->speaker.tone)
        p->speaker.tone(p->speaker.opaque, on, hz);
}

static void pit_programmed(void *opaque, int ch)
{
    if (ch == 2)
        report_speaker(opaque, false);
}

static uint32_t port61_read(void *opaque, uint32_t offset, unsigned size)
{
    Port61 *p = opaque;
    uint8_t v = p->control & 0x0F;
    if ((p->clock->now_ns / PORT61_REFRESH_NS) & 1)
        v |= PORT61_REFRESH;
    if (i8254_get_out(p->pit, 2))
        v |= PORT61_OUT2;
    return v;
}

static void port61_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    Port61 *p = opaque;
    p->control = (uint8_t)(value & 0x0F);
    i8254_set_gate(p->pit, 2, p->control & PORT61_GATE2);
    report_speaker(p, false);
}

void port61_reset(Port61 *p)
{
    port61_write(p, 0, 0, 1);
}

void port61_init(Port61 *p, Clock *clock, I8254 *pit, SpeakerOps speaker)
{
    memset(p, 0, sizeof(*p));
    p->clock = clock;
    p->pit = pit;
    p->speaker = speaker;
    pit->programmed = pit_programmed;
    pit->programmed_opaque = p;
    port61_reset(p);
}

bool port61_map(Port61 *p, IoSpace *ports)
{
    IoWindow w = { .name = "port61", .base = PORT61_PORT, .length = 1, .widths = IO_WIDTH_8,
                   .read = port61_read, .write = port61_write, .opaque = p };
    return io_space_map(ports, &w);
}

void port61_post_load(Port61 *p)
{
    report_speaker(p, true);
}

static const StateField port61_fields[] = {
    STATE_U8(Port61, control),
};
const StateDesc port61_state = STATE_DESC("port61", 1, port61_fields);
