/* SPDX-License-Identifier: MIT */
/*
 * The 8254 PIT (see i8254.h).  A running counting element (CE) is described
 * by the tick it was loaded ("start"), the value it held then and, in modes
 * 2 and 3, the count it reloads; sample() turns that into the CE and OUT at
 * any later tick, next_edge() into the tick of the next OUT change.  Before
 * start, and whenever counting is stopped (GATE low in modes 0, 2, 3, 4, or
 * no trigger yet in modes 1 and 5), the CE holds "frozen" and OUT holds
 * "out_before".  A new count written in mode 2 or 3 while counting waits
 * for the end of the current period (mode 3: half period) as "pending".
 */
#include "i8254.h"

#include <string.h>

enum {
    LOG_COUNT_ONE = 1u << 0,
    LOG_BAD_BCD = 1u << 1,
    LOG_READBACK_RESERVED = 1u << 2,
};

static void log_once(I8254 *pit, uint32_t kind, const char *message)
{
    if ((pit->logged & kind) || !pit->log)
        return;
    pit->logged |= kind;
    pit->log(pit->log_opaque, message);
}

typedef struct Sample {
    uint32_t ce;            /* binary, 0..modulus-1 */
    bool out;
} Sample;

static uint64_t now_tick(const I8254 *pit)
{
    return clock_ns_to_ticks(pit->clock->now_ns, PIT_HZ);
}

static uint32_t modulus(const I8254Channel *c)
{
    return c->bcd ? 10000 : 65536;
}

/* The count register as a number of ticks: 0 means the full range. */
static uint32_t cr_ticks(const I8254Channel *c)
{
    uint32_t n = c->cr;
    if (c->bcd)
        n = ((n >> 12) * 1000 + ((n >> 8) & 15) * 100 + ((n >> 4) & 15) * 10 + (n & 15)) % 10000;
    return n ? n : modulus(c);
}

static uint32_t count_of(I8254Channel *c)
{
    if (c->bcd && ((c->cr & 0x8888) & ((c->cr & 0x4444) << 1 | (c->cr & 0x2222) << 2)))
        log_once(c->pit, LOG_BAD_BCD, "i8254: BCD count with a digit above 9");
    return cr_ticks(c);
}

/* Modes 2 and 3 reload the count every period; a count of 1 is illegal there. */
static uint32_t periodic_count(I8254Channel *c)
{
    uint32_t n = count_of(c);
    if (n >= 2)
        return n;
    log_once(c->pit, LOG_COUNT_ONE, "i8254: count 1 in mode 2 or 3 (illegal): runs as 2");
    return 2;
}

static uint16_t encode(const I8254Channel *c, uint32_t ce)
{
    if (!c->bcd)
        return (uint16_t)ce;
    return (uint16_t)((ce / 1000) << 12 | (ce / 100 % 10) << 8 | (ce / 10 % 10) << 4 | ce % 10);
}

static uint32_t down(const I8254Channel *c, uint32_t from, uint64_t by)
{
    uint32_t m = modulus(c);
    return (uint32_t)((from % m + m - by % m) % m);
}

/* Mode 3: OUT is high for (n+1)/2 ticks and low for n/2; the CE steps by two. */
static Sample sample_square(const I8254Channel *c, uint64_t e)
{
    uint32_t n = c->reload, high = (n + 1) / 2, low = n / 2;
    uint32_t first = c->start_low ? low : high;
    uint64_t p = e % n, q = p < first ? p : p - first;
    Sample s = { down(c, n & ~1u, 2 * q), (p < first) != c->start_low };
    return s;
}

static Sample sample(const I8254Channel *c, uint64_t t)
{
    Sample s = { c->frozen, c->out_before };
    if (!c->running || t < c->start)
        return s;
    uint64_t e = t - c->start;
    uint32_t v = c->value;
    s.ce = down(c, v, e);
    switch (c->mode) {
    case 0: s.out = c->done || e >= v; break;
    case 1: s.out = e >= v; break;
    case 2: s.ce = down(c, c->reload, e % c->reload); s.out = e % c->reload != c->reload - 1; break;
    case 3: s = sample_square(c, e); break;
    default: s.out = c->done || e != v; break;     /* 4 and 5: one low tick at terminal count */
    }
    return s;
}

/* The first tick after t at which OUT changes, or CLOCK_NEVER. */
static uint64_t next_edge(const I8254Channel *c, uint64_t t)
{
    if (!c->running)
        return CLOCK_NEVER;
    if (t < c->start) {
        if (sample(c, c->start).out != c->out_before)
            return c->start;
        t = c->start;
    }
    uint64_t e = t - c->start, v = c->value, n = c->reload;
    switch (c->mode) {
    case 0:
    case 1:
        return (!c->done && e < v) ? c->start + v : CLOCK_NEVER;
    case 2:
        return t - e % n + (e % n < n - 1 ? n - 1 : n);
    case 3: {
        uint64_t first = c->start_low ? n / 2 : (n + 1) / 2;
        return t - e % n + (e % n < first ? first : n);
    }
    default:
        if (c->done || e > v)
            return CLOCK_NEVER;
        return c->start + v + (e == v);
    }
}

/* Brings the lazily kept state up to tick t: a pending reload, the null count flag. */
static void sync(I8254Channel *c, uint64_t t)
{
    if (c->pending && t >= c->pending_at) {
        c->pending = false;
        c->start = c->pending_at;
        c->value = c->reload = periodic_count(c);
        c->start_low = c->pending_low;
    }
    if (c->null_count && t >= c->load_tick)
        c->null_count = false;
}

/* Drives OUT if it changed and arms the event for its next edge (wired channels only). */
static void refresh(I8254Channel *c, uint64_t t)
{
    if (!c->out.set)
        return;
    bool out = sample(c, t).out;
    if (out != c->out_level) {
        c->out_level = out;
        irq_set_level(c->out, out);
    }
    uint64_t k = next_edge(c, t);
    if (k == CLOCK_NEVER)
        clock_event_cancel(c->pit->clock, &c->event);
    else
        clock_event_arm(c->pit->clock, &c->event, clock_ticks_to_ns(k, PIT_HZ));
}

static void on_edge(void *opaque, uint64_t now_ns)
{
    I8254Channel *c = opaque;
    uint64_t t = clock_ns_to_ticks(now_ns, PIT_HZ);
    sync(c, t);
    refresh(c, t);
}

/* Stops the CE where it is; OUT keeps its level unless the caller sets another. */
static void freeze(I8254Channel *c, uint64_t t)
{
    Sample s = sample(c, t);
    if (c->running && t >= c->start && (c->mode == 0 || c->mode == 4))
        c->done = c->done || t - c->start >= c->value;
    c->frozen = (uint16_t)s.ce;
    c->out_before = s.out;
    c->running = false;
    c->pending = false;
}

/* Loads the CE on the CLK after tick t and starts counting from value. */
static void start_at(I8254Channel *c, uint64_t t, uint32_t value, bool out_before)
{
    c->running = true;
    c->start = t + 1;
    c->value = value;
    c->reload = value;
    c->start_low = false;
    c->done = false;
    c->pending = false;
    c->out_before = out_before;
    if (c->null_count)
        c->load_tick = t + 1;
}

/* Modes 2 and 3: the next reload after tick t (end of the period or half period). */
static void set_pending(I8254Channel *c, uint64_t t)
{
    uint64_t e = t - c->start, n = c->reload, p = e % n;
    uint64_t first = c->mode == 2 ? n : (c->start_low ? n / 2 : (n + 1) / 2);
    c->pending = true;
    if (p < first) {
        c->pending_at = t - p + first;
        c->pending_low = c->mode == 3 && !c->start_low;
    } else {
        c->pending_at = t - p + n;
        c->pending_low = c->start_low;
    }
    c->load_tick = c->pending_at;
}

/* A complete count arrived in the CR (data sheet, "Mode definitions"). */
static void count_written(I8254Channel *c, uint64_t t)
{
    c->cr_valid = true;
    c->null_count = true;
    c->load_tick = CLOCK_NEVER;
    switch (c->mode) {
    case 0:
    case 4:
        if (c->gate) {
            start_at(c, t, count_of(c), c->mode == 4 ? sample(c, t).out : false);
        } else {
            freeze(c, t);
            c->frozen = (uint16_t)(count_of(c) % modulus(c));
            c->done = false;
            c->out_before = c->mode == 4;
            c->load_tick = t + 1;
        }
        break;
    case 2:
    case 3:
        if (c->running && t < c->start) {
            c->value = c->reload = periodic_count(c);
            c->load_tick = c->start;
        } else if (c->running) {
            set_pending(c, t);
        } else if (c->gate) {
            start_at(c, t, periodic_count(c), true);
        } else {
            c->frozen = (uint16_t)(count_of(c) % modulus(c));
            c->load_tick = t + 1;
        }
        break;
    default:
        break;                  /* modes 1 and 5 wait for a trigger on GATE */
    }
}

static void write_count(I8254 *pit, int ch, uint8_t v)
{
    I8254Channel *c = &pit->ch[ch];
    uint64_t t = now_tick(pit);
    sync(c, t);
    if (c->rw == PIT_RW_LSB) {
        c->cr = v;
    } else if (c->rw == PIT_RW_MSB) {
        c->cr = (uint16_t)(v << 8);
    } else if (!c->write_msb) {
        c->write_lsb = v;
        c->write_msb = true;
        if (c->mode == 0) {     /* mode 0: the first byte stops the count, OUT low */
            freeze(c, t);
            c->out_before = false;
        }
        refresh(c, t);
        return;
    } else {
        c->cr = (uint16_t)(c->write_lsb | v << 8);
        c->write_msb = false;
    }
    count_written(c, t);
    refresh(c, t);
    if (pit->programmed)
        pit->programmed(pit->programmed_opaque, ch);
}

static uint8_t status_of(I8254Channel *c, uint64_t t)
{
    uint8_t st = (uint8_t)(c->rw << 4 | c->mode << 1 | c->bcd);
    if (sample(c, t).out)
        st |= PIT_STATUS_OUT;
    if (c->null_count)
        st |= PIT_STATUS_NULL;
    return st;
}

static void latch_count(I8254Channel *c, uint64_t t)
{
    if (c->count_latched)
        return;                 /* a second latch before the read is ignored */
    c->ol = encode(c, sample(c, t).ce);
    c->count_latched = true;
}

static uint8_t read_counter(I8254 *pit, int ch)
{
    I8254Channel *c = &pit->ch[ch];
    uint64_t t = now_tick(pit);
    sync(c, t);
    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    uint16_t v = c->count_latched ? c->ol : encode(c, sample(c, t).ce);
    bool msb = c->rw == PIT_RW_MSB || (c->rw == PIT_RW_WORD && c->read_msb);
    if (c->rw == PIT_RW_WORD)
        c->read_msb = !c->read_msb;
    if (c->rw != PIT_RW_WORD || !c->read_msb)
        c->count_latched = false;
    return msb ? (uint8_t)(v >> 8) : (uint8_t)v;
}

static void read_back(I8254 *pit, uint8_t v, uint64_t t)
{
    if (v & 1)
        log_once(pit, LOG_READBACK_RESERVED, "i8254: read-back command with reserved bit 0 set");
    for (int ch = 0; ch < 3; ch++) {
        I8254Channel *c = &pit->ch[ch];
        if (!(v & (2u << ch)))
            continue;
        sync(c, t);
        if (!(v & 0x20))
            latch_count(c, t);
        if (!(v & 0x10) && !c->status_latched) {
            c->status = status_of(c, t);
            c->status_latched = true;
        }
    }
}

/* A control word resets the channel's control logic; OUT goes to its mode's initial level. */
static void write_control(I8254 *pit, uint8_t v)
{
    uint64_t t = now_tick(pit);
    int ch = v >> 6;
    if (ch == 3) {
        read_back(pit, v, t);
        return;
    }
    I8254Channel *c = &pit->ch[ch];
    sync(c, t);
    if (((v >> 4) & 3) == PIT_RW_LATCH) {
        latch_count(c, t);
        return;
    }
    freeze(c, t);
    c->rw = (v >> 4) & 3;
    c->mode = (v >> 1) & 7;
    if (c->mode > 5)
        c->mode -= 4;           /* x10 and x11 are modes 2 and 3 */
    c->bcd = v & 1;
    c->write_msb = c->read_msb = false;
    c->count_latched = c->status_latched = false;
    c->cr_valid = false;
    c->null_count = true;
    c->load_tick = CLOCK_NEVER;
    c->done = false;
    c->out_before = c->mode != 0;
    refresh(c, t);
    if (pit->programmed)
        pit->programmed(pit->programmed_opaque, ch);
}

static uint32_t pit_read(void *opaque, uint32_t offset, unsigned size)
{
    I8254 *pit = opaque;
    return offset < 3 ? read_counter(pit, (int)offset) : 0xFF;  /* the control word is write-only */
}

static void pit_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    I8254 *pit = opaque;
    if (offset < 3)
        write_count(pit, (int)offset, (uint8_t)value);
    else
        write_control(pit, (uint8_t)value);
}

static void gate_rise(I8254Channel *c, uint64_t t)
{
    switch (c->mode) {
    case 0:
    case 4:
        if (!c->cr_valid || (c->mode == 0 && c->write_msb))
            return;             /* no count yet, or mode 0 half-way through a new one */
        c->running = true;
        c->start = t;
        c->value = c->frozen ? c->frozen : modulus(c);
        break;
    case 1:
    case 5:
        if (c->cr_valid)
            start_at(c, t, count_of(c), sample(c, t).out);
        break;
    default:
        if (c->cr_valid)
            start_at(c, t, periodic_count(c), true);
        break;
    }
}

void i8254_set_gate(I8254 *pit, int ch, bool level)
{
    I8254Channel *c = &pit->ch[ch];
    uint64_t t = now_tick(pit);
    sync(c, t);
    if (level == c->gate)
        return;
    c->gate = level;
    if (level) {
        gate_rise(c, t);
    } else if (c->mode == 2 || c->mode == 3) {
        freeze(c, t);
        c->out_before = true;   /* GATE low forces OUT high at once */
        if (c->null_count)
            c->load_tick = CLOCK_NEVER;
    } else if (c->mode == 0 || c->mode == 4) {
        freeze(c, t);
    }
    refresh(c, t);
}

bool i8254_get_out(I8254 *pit, int ch)
{
    I8254Channel *c = &pit->ch[ch];
    uint64_t t = now_tick(pit);
    sync(c, t);
    return sample(c, t).out;
}

uint8_t i8254_get_mode(const I8254 *pit, int ch)
{
    return pit->ch[ch].mode;
}

uint32_t i8254_get_reload(const I8254 *pit, int ch)
{
    const I8254Channel *c = &pit->ch[ch];
    return c->cr_valid ? cr_ticks(c) : 0;   /* the latest count, even before it is loaded */
}

/* The 8254's power-on state is undefined; we start each channel idle with OUT high. */
void i8254_reset(I8254 *pit)
{
    for (int ch = 0; ch < 3; ch++) {
        I8254Channel *c = &pit->ch[ch];
        c->mode = 3;
        c->rw = PIT_RW_WORD;
        c->bcd = false;
        c->cr = 0;
        c->cr_valid = c->write_msb = c->read_msb = false;
        c->count_latched = c->status_latched = false;
        c->null_count = false;
        c->load_tick = CLOCK_NEVER;
        c->gate = ch != 2;      /* channel 2's GATE comes from port 61h bit 0 */
        c->running = c->pending = c->done = c->start_low = false;
        c->frozen = 0;
        c->out_before = true;
        refresh(c, now_tick(pit));
    }
}

void i8254_init(I8254 *pit, Clock *clock, IrqLine irq0)
{
    static const char *const names[3] = { "pit0", "pit1", "pit2" };
    memset(pit, 0, sizeof(*pit));
    pit->clock = clock;
    for (int ch = 0; ch < 3; ch++) {
        pit->ch[ch].pit = pit;
        clock_event_register(clock, &pit->ch[ch].event, names[ch], on_edge, &pit->ch[ch]);
    }
    pit->ch[0].out = irq0;
    i8254_reset(pit);
}

void i8254_connect_out(I8254 *pit, int ch, IrqLine out)
{
    I8254Channel *c = &pit->ch[ch];
    uint64_t t = now_tick(pit);
    c->out = out;
    sync(c, t);
    c->out_level = sample(c, t).out;
    irq_set_level(out, c->out_level);
    refresh(c, t);
}

bool i8254_map(I8254 *pit, IoSpace *ports)
{
    IoWindow w = { .name = "pit", .base = PIT_PORT, .length = 4, .widths = IO_WIDTH_8,
                   .read = pit_read, .write = pit_write, .opaque = pit };
    return io_space_map(ports, &w);
}

#define CHANNEL_FIELDS(i) \
    STATE_U8(I8254, ch[i].mode), STATE_U8(I8254, ch[i].rw), STATE_BOOL(I8254, ch[i].bcd), \
    STATE_U16(I8254, ch[i].cr), STATE_BOOL(I8254, ch[i].cr_valid), \
    STATE_BOOL(I8254, ch[i].write_msb), STATE_U8(I8254, ch[i].write_lsb), \
    STATE_BOOL(I8254, ch[i].read_msb), STATE_BOOL(I8254, ch[i].count_latched), \
    STATE_U16(I8254, ch[i].ol), STATE_BOOL(I8254, ch[i].status_latched), \
    STATE_U8(I8254, ch[i].status), STATE_BOOL(I8254, ch[i].null_count), \
    STATE_U64(I8254, ch[i].load_tick), STATE_BOOL(I8254, ch[i].gate), \
    STATE_BOOL(I8254, ch[i].running), STATE_U64(I8254, ch[i].start), \
    STATE_U32(I8254, ch[i].value), STATE_U32(I8254, ch[i].reload), \
    STATE_BOOL(I8254, ch[i].start_low), STATE_BOOL(I8254, ch[i].done), \
    STATE_U16(I8254, ch[i].frozen), STATE_BOOL(I8254, ch[i].out_before), \
    STATE_BOOL(I8254, ch[i].pending), STATE_U64(I8254, ch[i].pending_at), \
    STATE_BOOL(I8254, ch[i].pending_low), STATE_BOOL(I8254, ch[i].out_level), \
    STATE_U64(I8254, ch[i].event.deadline)

static const StateField i8254_fields[] = { CHANNEL_FIELDS(0), CHANNEL_FIELDS(1), CHANNEL_FIELDS(2) };
const StateDesc i8254_state = STATE_DESC("i8254", 1, i8254_fields);
