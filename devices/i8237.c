/* SPDX-License-Identifier: MIT */
/*
 * The 8237A pair and the page registers (see i8237.h).  Registers are reached
 * through one window per controller; controller 2's registers sit on even
 * ports 0xC0, 0xC2, ... so its offset is halved (odd ports alias, A0 is not
 * decoded on the AT).  A transfer updates the current address and count
 * exactly as the chip does after each byte or word, so a guest reading them
 * back mid-way or after terminal count sees hardware values.
 */
#include "i8237.h"

#include <stdio.h>
#include <string.h>

enum {
    REG_STATUS_COMMAND = 8, REG_REQUEST = 9, REG_SINGLE_MASK = 10, REG_MODE = 11,
    REG_CLEAR_FLIPFLOP = 12, REG_TEMP_MASTER_CLEAR = 13, REG_CLEAR_MASK = 14, REG_ALL_MASK = 15,
};

#define I8237_CMD_DISABLE 0x04      /* command register bit 2: controller disable */

enum { LOG_READ_WO = 1, LOG_MEM_TO_MEM = 2, LOG_DIRECTION = 4 };

/* Page register port for each channel, low byte of 0x8x. */
static const uint8_t page_port[8] = { 0x87, 0x83, 0x81, 0x82, 0x8F, 0x8B, 0x89, 0x8A };

static void log_once(I8237 *dma, uint32_t kind, const char *message)
{
    if (dma->logged & kind)
        return;
    dma->logged |= kind;
    if (dma->log)
        dma->log(dma->log_opaque, message);
}

void i8237_reset(I8237 *dma)
{
    /* Master clear: command, status, request, temporary and the byte pointer
     * cleared, every channel masked.  Address, count and mode registers are
     * not cleared by the chip; page registers are separate latches. */
    for (int c = 0; c < 2; c++) {
        dma->command[c] = 0;
        dma->status[c] = 0;
        dma->request[c] = 0;
        dma->temp[c] = 0;
        dma->flipflop[c] = false;
        dma->mask[c] = 0x0F;
    }
}

void i8237_init(I8237 *dma, I8237MemOps mem)
{
    memset(dma, 0, sizeof(*dma));
    dma->mem = mem;
    i8237_reset(dma);
}

/* Byte-pointer access to a 16-bit register: low byte first, then high. */
static uint8_t flip_read(I8237 *dma, int ctl, uint16_t value)
{
    bool high = dma->flipflop[ctl];
    dma->flipflop[ctl] = !high;
    return (uint8_t)(high ? value >> 8 : value);
}

static void flip_write(I8237 *dma, int ctl, uint16_t *a, uint16_t *b, uint8_t v)
{
    bool high = dma->flipflop[ctl];
    dma->flipflop[ctl] = !high;
    uint16_t keep = high ? 0x00FF : 0xFF00;
    uint16_t val = high ? (uint16_t)(v << 8) : v;
    *a = (uint16_t)((*a & keep) | val);
    *b = (uint16_t)((*b & keep) | val);
}

static uint8_t ctl_read(I8237 *dma, int ctl, unsigned reg)
{
    if (reg < 8) {
        int ch = ctl * 4 + (int)(reg >> 1);
        return flip_read(dma, ctl, (reg & 1) ? dma->cur_count[ch] : dma->cur_addr[ch]);
    }
    switch (reg) {
    case REG_STATUS_COMMAND: {
        /* Terminal-count bits clear when status is read; request bits do not. */
        uint8_t s = dma->status[ctl];
        dma->status[ctl] &= 0xF0;
        return s;
    }
    case REG_TEMP_MASTER_CLEAR:
        return dma->temp[ctl];
    case REG_ALL_MASK:
        /* The AT chipsets (82C206 and later) read the mask back here. */
        return (uint8_t)(0xF0 | dma->mask[ctl]);
    default:
        log_once(dma, LOG_READ_WO, "i8237: read of a write-only register");
        return 0xFF;
    }
}

static void ctl_write(I8237 *dma, int ctl, unsigned reg, uint8_t v)
{
    if (reg < 8) {
        int ch = ctl * 4 + (int)(reg >> 1);
        if (reg & 1)
            flip_write(dma, ctl, &dma->base_count[ch], &dma->cur_count[ch], v);
        else
            flip_write(dma, ctl, &dma->base_addr[ch], &dma->cur_addr[ch], v);
        return;
    }
    int ch = ctl * 4 + (v & 3);
    uint8_t bit = (uint8_t)(1u << (v & 3));
    switch (reg) {
    case REG_STATUS_COMMAND:
        dma->command[ctl] = v;
        if (v & 1)
            log_once(dma, LOG_MEM_TO_MEM, "i8237: memory-to-memory mode not modelled");
        break;
    case REG_REQUEST:
        dma->request[ctl] = (uint8_t)((v & 4) ? dma->request[ctl] | bit : dma->request[ctl] & ~bit);
        dma->status[ctl] = (uint8_t)((dma->status[ctl] & 0x0F) | (dma->request[ctl] << 4));
        break;
    case REG_SINGLE_MASK:
        dma->mask[ctl] = (uint8_t)((v & 4) ? dma->mask[ctl] | bit : dma->mask[ctl] & ~bit);
        break;
    case REG_MODE:
        dma->mode[ch] = v;
        break;
    case REG_CLEAR_FLIPFLOP:
        dma->flipflop[ctl] = false;
        break;
    case REG_TEMP_MASTER_CLEAR:
        dma->command[ctl] = 0;
        dma->status[ctl] = 0;
        dma->request[ctl] = 0;
        dma->temp[ctl] = 0;
        dma->flipflop[ctl] = false;
        dma->mask[ctl] = 0x0F;
        break;
    case REG_CLEAR_MASK:
        dma->mask[ctl] = 0;
        break;
    case REG_ALL_MASK:
        dma->mask[ctl] = v & 0x0F;
        break;
    }
}

static uint32_t dma1_read(void *opaque, uint32_t offset, unsigned size)
{
    return ctl_read(opaque, 0, offset);
}

static void dma1_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    ctl_write(opaque, 0, offset, (uint8_t)value);
}

static uint32_t dma2_read(void *opaque, uint32_t offset, unsigned size)
{
    return ctl_read(opaque, 1, offset >> 1);
}

static void dma2_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    ctl_write(opaque, 1, offset >> 1, (uint8_t)value);
}

/* Each page window's opaque records its base port, so one pair of callbacks
 * serves all four windows. */
static int page_channel(uint32_t port)
{
    for (int ch = 0; ch < 8; ch++)
        if (page_port[ch] == port)
            return ch;
    return -1;
}

static uint32_t page_read(void *opaque, uint32_t offset, unsigned size)
{
    I8237PageWindow *pw = opaque;
    int ch = page_channel(pw->base + offset);
    return ch < 0 ? 0xFF : pw->dma->page[ch];
}

static void page_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    I8237PageWindow *pw = opaque;
    int ch = page_channel(pw->base + offset);
    if (ch >= 0)
        pw->dma->page[ch] = (uint8_t)value;
}

bool i8237_map(I8237 *dma, IoSpace *ports)
{
    IoWindow w1 = { .name = "dma1", .base = 0x00, .length = 16, .widths = IO_WIDTH_8,
                    .read = dma1_read, .write = dma1_write, .opaque = dma };
    IoWindow w2 = { .name = "dma2", .base = 0xC0, .length = 32, .widths = IO_WIDTH_8,
                    .read = dma2_read, .write = dma2_write, .opaque = dma };
    if (!io_space_map(ports, &w1) || !io_space_map(ports, &w2))
        return false;
    /* Page registers: 0x81-0x83, 0x87, 0x89-0x8B, 0x8F (0x80 is the POST port). */
    static const struct { uint8_t port, len; } runs[] = { { 0x81, 3 }, { 0x87, 1 }, { 0x89, 3 }, { 0x8F, 1 } };
    for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
        dma->page_windows[i] = (I8237PageWindow){ .dma = dma, .base = runs[i].port };
        IoWindow w = { .name = "dma-page", .base = runs[i].port, .length = runs[i].len,
                       .widths = IO_WIDTH_8, .read = page_read, .write = page_write,
                       .opaque = &dma->page_windows[i] };
        if (!io_space_map(ports, &w))
            return false;
    }
    return true;
}

bool i8237_channel_masked(const I8237 *dma, int channel)
{
    int ctl = channel >> 2;
    return (dma->mask[ctl] >> (channel & 3)) & 1;
}

bool i8237_channel_tc(const I8237 *dma, int channel)
{
    return channel >= 0 && channel < 8 && dma->last_tc[channel];
}

void i8237_set_request(I8237 *dma, int channel, bool level)
{
    int ctl = channel >> 2;
    uint8_t bit = (uint8_t)(0x10u << (channel & 3));
    dma->status[ctl] = (uint8_t)(level ? dma->status[ctl] | bit : dma->status[ctl] & ~bit);
}

/* Physical address of the channel's current unit: 8-bit channels use page
 * bits 16-23; 16-bit channels shift the word address left and drop page bit 0. */
static uint64_t channel_phys(const I8237 *dma, int ch)
{
    if (ch < 4)
        return ((uint64_t)dma->page[ch] << 16) | dma->cur_addr[ch];
    return ((uint64_t)(dma->page[ch] & 0xFE) << 16) | ((uint64_t)dma->cur_addr[ch] << 1);
}

/* Units (bytes or words) that can move before the address wraps inside its page. */
static uint32_t units_before_wrap(const I8237 *dma, int ch, bool decrement)
{
    uint16_t a = dma->cur_addr[ch];
    return decrement ? (uint32_t)a + 1 : 0x10000u - a;
}

static void move_units(I8237 *dma, int ch, uint8_t *p, uint32_t units, uint32_t unit,
                       bool to_memory, bool verify)
{
    bool dec = dma->mode[ch] & I8237_MODE_DECREMENT;
    uint32_t n = units * unit;
    if (!verify && !dec) {
        uint64_t phys = channel_phys(dma, ch);
        if (to_memory && dma->mem.mem_write)
            dma->mem.mem_write(dma->mem.opaque, phys, p, n);
        else if (!to_memory && dma->mem.mem_read)
            dma->mem.mem_read(dma->mem.opaque, phys, p, n);
    } else if (!verify) {
        /* Decrementing: buffer order ascends while memory addresses descend. */
        for (uint32_t i = 0; i < units; i++) {
            uint64_t phys = channel_phys(dma, ch) - (uint64_t)i * unit;
            if (to_memory && dma->mem.mem_write)
                dma->mem.mem_write(dma->mem.opaque, phys, p + i * unit, unit);
            else if (!to_memory && dma->mem.mem_read)
                dma->mem.mem_read(dma->mem.opaque, phys, p + i * unit, unit);
        }
    }
    dma->cur_addr[ch] = (uint16_t)(dec ? dma->cur_addr[ch] - units : dma->cur_addr[ch] + units);
    dma->cur_count[ch] = (uint16_t)(dma->cur_count[ch] - units);
}

static void terminal_count(I8237 *dma, int ch)
{
    int ctl = ch >> 2;
    dma->status[ctl] |= (uint8_t)(1u << (ch & 3));
    dma->request[ctl] &= (uint8_t)~(1u << (ch & 3));
    dma->status[ctl] &= (uint8_t)~(0x10u << (ch & 3));
    dma->last_tc[ch] = true;
    if (dma->mode[ch] & I8237_MODE_AUTOINIT) {
        dma->cur_addr[ch] = dma->base_addr[ch];
        dma->cur_count[ch] = dma->base_count[ch];
    } else {
        dma->mask[ctl] |= (uint8_t)(1u << (ch & 3));
    }
}

uint32_t i8237_transfer(I8237 *dma, int channel, void *buf, uint32_t len, bool to_memory)
{
    if (channel < 0 || channel > 7)
        return 0;
    int ctl = channel >> 2;
    dma->last_tc[channel] = false;
    if (i8237_channel_masked(dma, channel) || (dma->command[ctl] & I8237_CMD_DISABLE))
        return 0;
    uint8_t type = dma->mode[channel] & I8237_MODE_TYPE_MASK;
    bool verify = type == I8237_MODE_VERIFY || type == I8237_MODE_TYPE_MASK;
    if (!verify && (type == I8237_MODE_WRITE) != to_memory)
        log_once(dma, LOG_DIRECTION, "i8237: channel mode disagrees with the device's direction");
    uint32_t unit = channel < 4 ? 1 : 2;
    uint32_t want = len / unit, done = 0;
    uint8_t *p = buf;
    bool dec = dma->mode[channel] & I8237_MODE_DECREMENT;
    while (done < want) {
        /* cur_count + 1 units remain; stop at the page wrap to recompute the address. */
        uint32_t left = (uint32_t)dma->cur_count[channel] + 1;
        uint32_t run = want - done;
        if (run > left)
            run = left;
        uint32_t wrap = units_before_wrap(dma, channel, dec);
        if (run > wrap)
            run = wrap;
        move_units(dma, channel, p + done * unit, run, unit, to_memory, verify);
        done += run;
        if (run == left) {
            terminal_count(dma, channel);
            break;
        }
    }
    return done * unit;
}

static const StateField i8237_fields[] = {
    STATE_U16_ARRAY(I8237, base_addr, 8), STATE_U16_ARRAY(I8237, base_count, 8),
    STATE_U16_ARRAY(I8237, cur_addr, 8), STATE_U16_ARRAY(I8237, cur_count, 8),
    STATE_U8_ARRAY(I8237, mode, 8), STATE_U8_ARRAY(I8237, page, 8),
    STATE_BOOL_ARRAY(I8237, last_tc, 8),
    STATE_U8_ARRAY(I8237, command, 2), STATE_U8_ARRAY(I8237, status, 2),
    STATE_U8_ARRAY(I8237, mask, 2), STATE_U8_ARRAY(I8237, request, 2),
    STATE_U8_ARRAY(I8237, temp, 2), STATE_BOOL_ARRAY(I8237, flipflop, 2),
};
const StateDesc i8237_state = STATE_DESC("i8237", 1, i8237_fields);
