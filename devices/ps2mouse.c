/* SPDX-License-Identifier: MIT */
/*
 * The PS/2 mouse: its command interpreter and its movement packets.
 *
 *   byte 0  | Y ovf | X ovf | Y sign | X sign | 1 | middle | right | left |
 *   byte 1  X movement, low 8 bits of a 9-bit two's complement count
 *   byte 2  Y movement (up positive), likewise
 *   byte 3  ID 03: Z (wheel) as a signed byte, -8..7
 *           ID 04: | 0 | 0 | button 5 | button 4 | Z, 4-bit signed |
 */
#include "ps2mouse.h"

#include <string.h>

enum {
    MOUSE_CMD_SCALING_1TO1 = 0xE6, MOUSE_CMD_SCALING_2TO1 = 0xE7,
    MOUSE_CMD_RESOLUTION = 0xE8, MOUSE_CMD_STATUS = 0xE9, MOUSE_CMD_STREAM = 0xEA,
    MOUSE_CMD_READ_DATA = 0xEB, MOUSE_CMD_RESET_WRAP = 0xEC, MOUSE_CMD_WRAP = 0xEE,
    MOUSE_CMD_REMOTE = 0xF0, MOUSE_CMD_GET_ID = 0xF2, MOUSE_CMD_SAMPLE_RATE = 0xF3,
    MOUSE_CMD_ENABLE = 0xF4, MOUSE_CMD_DISABLE = 0xF5, MOUSE_CMD_DEFAULTS = 0xF6,
    MOUSE_CMD_RESEND = 0xFE, MOUSE_CMD_RESET = 0xFF,
};

enum {
    PKT_ALWAYS_1 = 0x08, PKT_X_SIGN = 0x10, PKT_Y_SIGN = 0x20, PKT_X_OVF = 0x40, PKT_Y_OVF = 0x80,
    STATUS_REMOTE = 0x40, STATUS_ENABLED = 0x20, STATUS_SCALING = 0x10,
    STATUS_LEFT = 0x04, STATUS_MIDDLE = 0x02, STATUS_RIGHT = 0x01,
    COUNT_MIN = -256, COUNT_MAX = 255,      /* the 9-bit movement counters */
    Z_MIN = -8, Z_MAX = 7,
    ACCUMULATE_LIMIT = 1 << 20,             /* keeps a runaway host from overflowing int32 */
    DEFAULT_RATE = 100, DEFAULT_RESOLUTION = 2,
};

enum { LOG_BAD_COMMAND = 1, LOG_BAD_ARGUMENT = 2 };

static void mouse_log_once(Ps2Mouse *m, uint32_t kind, const char *msg)
{
    if (m->logged & kind)
        return;
    m->logged |= kind;
    if (m->log)
        m->log(m->log_opaque, msg);
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static unsigned packet_size(const Ps2Mouse *m)
{
    return m->id == PS2MOUSE_ID_STANDARD ? 3 : 4;
}

/* The buttons this mouse model can report. */
static uint8_t visible_buttons(const Ps2Mouse *m)
{
    return m->buttons & (m->id == PS2MOUSE_ID_5BUTTON ? 0x1F : 0x07);
}

static void reply(Ps2Mouse *m, uint8_t byte)
{
    ps2_queue_push(&m->reply, byte);
}

static void clear_counters(Ps2Mouse *m)
{
    m->dx = m->dy = m->dz = 0;
    m->reported_buttons = visible_buttons(m);
}

/* Writes one packet; x and y already within -256..255, z within -8..7. */
static void put_packet(Ps2Mouse *m, Ps2Queue *q, int x, int y, int z, uint8_t ovf)
{
    uint8_t b = visible_buttons(m);
    uint8_t head = (uint8_t)(PKT_ALWAYS_1 | (b & 7) | ovf);
    if (x < 0)
        head |= PKT_X_SIGN;
    if (y < 0)
        head |= PKT_Y_SIGN;
    ps2_queue_push(q, head);
    ps2_queue_push(q, (uint8_t)x);
    ps2_queue_push(q, (uint8_t)y);
    if (m->id == PS2MOUSE_ID_WHEEL)
        ps2_queue_push(q, (uint8_t)z);
    else if (m->id == PS2MOUSE_ID_5BUTTON)
        ps2_queue_push(q, (uint8_t)((z & 0x0F) | ((b >> 3) << 4)));
    m->reported_buttons = b;
}

/* 2:1 scaling, applied by the mouse to stream-mode reports only. */
static int scale_2to1(int v)
{
    static const int small[] = { 0, 1, 1, 3, 6, 9 };
    int mag = v < 0 ? -v : v;
    int out = mag <= 5 ? small[mag] : 2 * mag;
    return v < 0 ? -out : out;
}

/*
 * Stream mode: turns pending movement into packets while whole packets fit,
 * each carrying as much as a 9-bit counter holds (half of it under 2:1
 * scaling, so the scaled value still fits).  What does not fit waits.
 */
static void stream_flush(Ps2Mouse *m)
{
    if (m->remote || !m->reporting || m->wrap)
        return;
    int lo = m->scaling_2to1 ? -128 : COUNT_MIN, hi = m->scaling_2to1 ? 127 : COUNT_MAX;
    while ((m->dx || m->dy || m->dz || visible_buttons(m) != m->reported_buttons) &&
           ps2_queue_free(&m->packets) >= packet_size(m)) {
        int x = clamp(m->dx, lo, hi), y = clamp(m->dy, lo, hi), z = clamp(m->dz, Z_MIN, Z_MAX);
        m->dx -= x;
        m->dy -= y;
        m->dz -= z;
        if (m->scaling_2to1) {
            x = scale_2to1(x);
            y = scale_2to1(y);
        }
        put_packet(m, &m->packets, x, y, z, 0);
    }
}

/* Read Data: the counters as they stand, saturated with the overflow bits set. */
static void read_data(Ps2Mouse *m)
{
    uint8_t ovf = 0;
    if (m->dx < COUNT_MIN || m->dx > COUNT_MAX)
        ovf |= PKT_X_OVF;
    if (m->dy < COUNT_MIN || m->dy > COUNT_MAX)
        ovf |= PKT_Y_OVF;
    put_packet(m, &m->reply, clamp(m->dx, COUNT_MIN, COUNT_MAX), clamp(m->dy, COUNT_MIN, COUNT_MAX),
               clamp(m->dz, Z_MIN, Z_MAX), ovf);
    m->dx = m->dy = m->dz = 0;
}

static int32_t accumulate(int32_t acc, int delta)
{
    int64_t v = (int64_t)acc + delta;
    return (int32_t)(v < -ACCUMULATE_LIMIT ? -ACCUMULATE_LIMIT : v > ACCUMULATE_LIMIT ? ACCUMULATE_LIMIT : v);
}

void ps2mouse_move(Ps2Mouse *m, int dx, int dy, int dz, uint8_t buttons)
{
    m->buttons = buttons & 0x1F;
    if (!m->remote && (!m->reporting || m->wrap)) {
        /* A disabled stream-mode mouse reports nothing, now or later. */
        clear_counters(m);
        return;
    }
    m->dx = accumulate(m->dx, dx);
    m->dy = accumulate(m->dy, -dy);
    if (m->id != PS2MOUSE_ID_STANDARD)
        m->dz = accumulate(m->dz, dz);
    stream_flush(m);
    ps2_notify(m->notify);
}

static void mouse_defaults(Ps2Mouse *m)
{
    m->sample_rate = DEFAULT_RATE;
    m->resolution = DEFAULT_RESOLUTION;
    m->scaling_2to1 = false;
    m->remote = false;
    m->reporting = false;
    ps2_queue_clear(&m->packets);
    clear_counters(m);
}

static uint8_t status_byte(const Ps2Mouse *m)
{
    uint8_t s = 0;
    if (m->remote)
        s |= STATUS_REMOTE;
    if (m->reporting)
        s |= STATUS_ENABLED;
    if (m->scaling_2to1)
        s |= STATUS_SCALING;
    if (m->buttons & PS2MOUSE_BUTTON_LEFT)
        s |= STATUS_LEFT;
    if (m->buttons & PS2MOUSE_BUTTON_MIDDLE)
        s |= STATUS_MIDDLE;
    if (m->buttons & PS2MOUSE_BUTTON_RIGHT)
        s |= STATUS_RIGHT;
    return s;
}

static bool valid_rate(uint8_t rate)
{
    static const uint8_t rates[] = { 10, 20, 40, 60, 80, 100, 200 };
    for (size_t i = 0; i < sizeof(rates); i++)
        if (rates[i] == rate)
            return true;
    return false;
}

/* The IntelliMouse "knocks": sample rates 200, 100, 80 give a wheel; then 200, 200, 80 five buttons. */
static void set_sample_rate(Ps2Mouse *m, uint8_t rate)
{
    m->sample_rate = rate;
    m->rate_history[0] = m->rate_history[1];
    m->rate_history[1] = m->rate_history[2];
    m->rate_history[2] = rate;
    const uint8_t *h = m->rate_history;
    uint8_t old_id = m->id;
    if (m->id == PS2MOUSE_ID_STANDARD && h[0] == 200 && h[1] == 100 && h[2] == 80)
        m->id = PS2MOUSE_ID_WHEEL;
    else if (m->id == PS2MOUSE_ID_WHEEL && h[0] == 200 && h[1] == 200 && h[2] == 80)
        m->id = PS2MOUSE_ID_5BUTTON;
    if (m->id != old_id)
        m->reported_buttons = visible_buttons(m);   /* newly visible buttons are no change */
}

static void mouse_argument(Ps2Mouse *m, uint8_t arg)
{
    uint8_t cmd = m->pending_cmd;
    m->pending_cmd = 0;
    bool ok = cmd == MOUSE_CMD_SAMPLE_RATE ? valid_rate(arg) : arg <= 3;
    if (!ok) {
        mouse_log_once(m, LOG_BAD_ARGUMENT, "ps2mouse: invalid sample rate or resolution");
        reply(m, PS2_RESEND);
        return;
    }
    reply(m, PS2_ACK);
    if (cmd == MOUSE_CMD_SAMPLE_RATE)
        set_sample_rate(m, arg);
    else
        m->resolution = arg;
}

static void mouse_reset_command(Ps2Mouse *m)
{
    mouse_defaults(m);
    m->id = PS2MOUSE_ID_STANDARD;
    m->wrap = false;
    memset(m->rate_history, 0, sizeof(m->rate_history));
    reply(m, PS2_ACK);
    reply(m, PS2_BAT_OK);
    reply(m, PS2MOUSE_ID_STANDARD);
}

/* Mode and enable changes restart the movement counters and drop queued packets. */
static void restart_reports(Ps2Mouse *m)
{
    ps2_queue_clear(&m->packets);
    clear_counters(m);
}

/*
 * A command from the host interrupts streaming: packets not yet sent are
 * dropped so the reply is not mixed into a packet (movement not yet
 * packetized is kept).
 */
static void mouse_command(Ps2Mouse *m, uint8_t cmd)
{
    ps2_queue_clear(&m->packets);
    switch (cmd) {
    case MOUSE_CMD_SCALING_1TO1: case MOUSE_CMD_SCALING_2TO1:
        m->scaling_2to1 = cmd == MOUSE_CMD_SCALING_2TO1;
        reply(m, PS2_ACK);
        break;
    case MOUSE_CMD_RESOLUTION: case MOUSE_CMD_SAMPLE_RATE:
        m->pending_cmd = cmd;
        reply(m, PS2_ACK);
        break;
    case MOUSE_CMD_STATUS:
        reply(m, PS2_ACK);
        reply(m, status_byte(m));
        reply(m, m->resolution);
        reply(m, m->sample_rate);
        break;
    case MOUSE_CMD_STREAM: case MOUSE_CMD_REMOTE:
        m->remote = cmd == MOUSE_CMD_REMOTE;
        restart_reports(m);
        reply(m, PS2_ACK);
        break;
    case MOUSE_CMD_READ_DATA:
        reply(m, PS2_ACK);
        read_data(m);
        break;
    case MOUSE_CMD_RESET_WRAP: case MOUSE_CMD_WRAP:
        m->wrap = cmd == MOUSE_CMD_WRAP;
        restart_reports(m);
        reply(m, PS2_ACK);
        break;
    case MOUSE_CMD_GET_ID:
        reply(m, PS2_ACK);
        reply(m, m->id);
        break;
    case MOUSE_CMD_ENABLE: case MOUSE_CMD_DISABLE:
        m->reporting = cmd == MOUSE_CMD_ENABLE;
        restart_reports(m);
        reply(m, PS2_ACK);
        break;
    case MOUSE_CMD_DEFAULTS:
        mouse_defaults(m);
        reply(m, PS2_ACK);
        break;
    case MOUSE_CMD_RESEND:
        reply(m, m->last_sent);
        break;
    case MOUSE_CMD_RESET:
        mouse_reset_command(m);
        break;
    default:
        mouse_log_once(m, LOG_BAD_COMMAND, "ps2mouse: unknown command answered with FE");
        reply(m, PS2_RESEND);
        break;
    }
}

void ps2mouse_write(Ps2Mouse *m, uint8_t byte)
{
    if (m->wrap && byte != MOUSE_CMD_RESET_WRAP && byte != MOUSE_CMD_RESET)
        reply(m, byte);             /* wrap mode echoes everything else */
    else if (m->pending_cmd)
        mouse_argument(m, byte);
    else
        mouse_command(m, byte);
    ps2_notify(m->notify);
}

bool ps2mouse_read(Ps2Mouse *m, uint8_t *byte)
{
    if (!ps2_queue_pop(&m->reply, byte) && !ps2_queue_pop(&m->packets, byte))
        return false;
    m->last_sent = *byte;
    stream_flush(m);        /* movement that did not fit may fit now */
    return true;
}

static void device_write(void *dev, uint8_t byte)
{
    ps2mouse_write(dev, byte);
}

static bool device_read(void *dev, uint8_t *byte)
{
    return ps2mouse_read(dev, byte);
}

Ps2Device ps2mouse_device(Ps2Mouse *m)
{
    return (Ps2Device){ .write = device_write, .read = device_read, .dev = m };
}

void ps2mouse_reset(Ps2Mouse *m)
{
    ps2_queue_clear(&m->reply);
    m->buttons = 0;
    mouse_defaults(m);
    m->id = PS2MOUSE_ID_STANDARD;
    m->wrap = false;
    m->pending_cmd = 0;
    m->last_sent = 0;
    memset(m->rate_history, 0, sizeof(m->rate_history));
}

void ps2mouse_init(Ps2Mouse *m, Ps2Notify notify)
{
    memset(m, 0, sizeof(*m));
    m->notify = notify;
    ps2mouse_reset(m);
}

static const StateField ps2mouse_fields[] = {
    STATE_U8_ARRAY(Ps2Mouse, reply.data, PS2_QUEUE_SIZE),
    STATE_U8(Ps2Mouse, reply.head), STATE_U8(Ps2Mouse, reply.count),
    STATE_U8_ARRAY(Ps2Mouse, packets.data, PS2_QUEUE_SIZE),
    STATE_U8(Ps2Mouse, packets.head), STATE_U8(Ps2Mouse, packets.count),
    STATE_U8(Ps2Mouse, id), STATE_U8(Ps2Mouse, sample_rate), STATE_U8(Ps2Mouse, resolution),
    STATE_BOOL(Ps2Mouse, scaling_2to1), STATE_BOOL(Ps2Mouse, remote),
    STATE_BOOL(Ps2Mouse, reporting), STATE_BOOL(Ps2Mouse, wrap),
    STATE_U8(Ps2Mouse, pending_cmd), STATE_U8(Ps2Mouse, last_sent),
    STATE_U8_ARRAY(Ps2Mouse, rate_history, 3),
    STATE_U8(Ps2Mouse, buttons), STATE_U8(Ps2Mouse, reported_buttons),
    STATE_U32(Ps2Mouse, dx), STATE_U32(Ps2Mouse, dy), STATE_U32(Ps2Mouse, dz),
};
const StateDesc ps2mouse_state = STATE_DESC("ps2mouse", 1, ps2mouse_fields);
