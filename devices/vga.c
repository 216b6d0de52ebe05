/* SPDX-License-Identifier: MIT */
/*
 * VGA registers and ports (IBM VGA Technical Reference, "Registers"): the
 * index/data pairs of the sequencer, CRTC and graphics controller, the
 * attribute controller's index/data flip-flop on 3C0, the DAC's read and write
 * index with their three-step R, G, B auto-increment, and the input status
 * registers whose retrace bits are computed from virtual time and the
 * programmed CRTC totals.  The CRTC and input status 1 answer at 3Dx or 3Bx
 * as the miscellaneous output register's I/O address select bit says; the
 * other address reads all ones.
 */
#include "vga_internal.h"

#include <string.h>

enum { LOG_BAD_INDEX = 1, LOG_BAD_PORT = 2 };

static void vga_log_once(Vga *vga, uint32_t kind, const char *message)
{
    if (vga->logged & kind)
        return;
    vga->logged |= kind;
    if (vga->log)
        vga->log(vga->log_opaque, message);
}

void vga_init(Vga *vga, Clock *clock)
{
    memset(vga, 0, sizeof(*vga));
    vga->clock = clock;
    vga_reset(vga);
}

/* Hardware reset leaves the registers for the video BIOS to program; memory
 * keeps its contents on a real card but is cleared here for determinism. */
void vga_reset(Vga *vga)
{
    Clock *clock = vga->clock;
    BusLogFn log = vga->log;
    void *log_opaque = vga->log_opaque;
    memset(vga, 0, sizeof(*vga));
    vga->clock = clock;
    vga->log = log;
    vga->log_opaque = log_opaque;
    vga->dac_mask = 0xFF;
    vga->seq[SEQ_RESET] = 0x03;
    vga->seq[SEQ_MAP_MASK] = 0x0F;
    vga->gc[GC_BIT_MASK] = 0xFF;
    vga->attr[ATTR_PLANE_ENABLE] = 0x0F;
}

/* ---- CRTC timing and the status bits derived from it ---- */

VgaTiming vga_timing(const Vga *vga)
{
    const uint8_t *c = vga->crtc;
    uint8_t ovf = c[CRTC_OVERFLOW];
    VgaTiming t;
    t.dot_hz = ((vga->misc >> MISC_CLOCK_SHIFT) & 3) == 1 ? 28322000u : 25175000u;
    t.dots_per_char = (vga->seq[SEQ_CLOCKING] & SEQ_CLK_8DOT) ? 8 : 9;
    if (vga->seq[SEQ_CLOCKING] & SEQ_CLK_HALF)
        t.dots_per_char *= 2;
    t.h_total = c[CRTC_H_TOTAL] + 5u;
    t.h_disp = c[CRTC_H_DISP_END] + 1u;
    t.v_total = (c[CRTC_V_TOTAL] | (ovf & 0x01) << 8 | (ovf & 0x20) << 4) + 2u;
    t.v_disp = (c[CRTC_V_DISP_END] | (ovf & 0x02) << 7 | (ovf & 0x40) << 3) + 1u;
    t.v_retrace_start = c[CRTC_V_RETRACE_START] | (ovf & 0x04) << 6 | (ovf & 0x80) << 2;
    t.v_retrace_end = c[CRTC_V_RETRACE_END] & 0x0F;
    return t;
}

unsigned vga_line_compare(const Vga *vga)
{
    return vga->crtc[CRTC_LINE_COMPARE] | (vga->crtc[CRTC_OVERFLOW] & 0x10) << 4 |
           (vga->crtc[CRTC_MAX_SCAN] & 0x40) << 3;
}

/* Character clocks since time 0; the frame starts at character clock 0. */
static uint64_t vga_char_clocks(const Vga *vga, const VgaTiming *t)
{
    uint64_t now = vga->clock ? vga->clock->now_ns : 0;
    return clock_ns_to_ticks(now, t->dot_hz) / t->dots_per_char;
}

uint64_t vga_frame_count(const Vga *vga)
{
    VgaTiming t = vga_timing(vga);
    return vga_char_clocks(vga, &t) / ((uint64_t)t.h_total * t.v_total);
}

/* Vertical retrace runs from the retrace start line until the line counter's
 * low four bits equal the retrace end value (at most 16 lines later). */
static bool in_vertical_retrace(const VgaTiming *t, unsigned line)
{
    if (line < t->v_retrace_start)
        return false;
    unsigned len = (t->v_retrace_end - t->v_retrace_start) & 0x0F;
    if (len == 0)
        len = 16;
    return line < t->v_retrace_start + len;
}

/* Input status 1: bit 3 vertical retrace, bit 0 "display disabled" (the
 * beam is outside the active area, horizontally or vertically). */
static uint8_t vga_input_status1(const Vga *vga)
{
    VgaTiming t = vga_timing(vga);
    uint64_t pos = vga_char_clocks(vga, &t) % ((uint64_t)t.h_total * t.v_total);
    unsigned line = (unsigned)(pos / t.h_total), col = (unsigned)(pos % t.h_total);
    uint8_t v = 0;
    if (line >= t.v_disp || col >= t.h_disp)
        v |= 0x01;
    if (in_vertical_retrace(&t, line))
        v |= 0x08;
    return v;
}

/* ---- address generation shared by rendering ---- */

uint32_t vga_crtc_address(const Vga *vga, uint32_t ma, unsigned row_scan)
{
    uint8_t mode = vga->crtc[CRTC_MODE];
    uint32_t a;
    if (vga->crtc[CRTC_UNDERLINE] & CRTC_DWORD)
        a = (ma << 2) | ((ma >> 14) & 3);
    else if (!(mode & CRTC_MODE_BYTE))
        a = (ma << 1) | ((ma >> ((mode & CRTC_MODE_WRAP) ? 15 : 13)) & 1);
    else
        a = ma;
    if (!(mode & CRTC_MODE_CGA))
        a = (a & ~0x2000u) | ((row_scan & 1u) << 13);
    if (!(mode & CRTC_MODE_HERC))
        a = (a & ~0x4000u) | ((row_scan & 2u) << 13);
    return a & (VGA_PLANE_SIZE - 1);
}

/* Maps 0-3 sit at 16 KiB steps, 4-7 in the 8 KiB gaps between them. */
uint32_t vga_font_base(unsigned map)
{
    return (map & 3) * 0x4000u + (map >> 2) * 0x2000u;
}

uint32_t vga_dac_rgb(const Vga *vga, uint8_t index)
{
    const uint8_t *e = &vga->dac[(index & vga->dac_mask) * 3];
    uint32_t r = (e[0] << 2) | (e[0] >> 4), g = (e[1] << 2) | (e[1] >> 4);
    uint32_t b = (e[2] << 2) | (e[2] >> 4);
    return r << 16 | g << 8 | b;
}

/* ---- indexed register files ---- */

static void crtc_write(Vga *vga, uint8_t value)
{
    uint8_t i = vga->crtc_index;
    if (i >= VGA_CRTC_COUNT) {
        vga_log_once(vga, LOG_BAD_INDEX, "vga: write to undefined register index ignored");
        return;
    }
    /* The protect bit locks 0-7, except the line compare bit in the overflow. */
    if (i <= 7 && (vga->crtc[CRTC_V_RETRACE_END] & CRTC_PROTECT)) {
        if (i == CRTC_OVERFLOW)
            vga->crtc[i] = (vga->crtc[i] & ~0x10) | (value & 0x10);
        return;
    }
    vga->crtc[i] = value;
}

static uint8_t attr_read_data(const Vga *vga)
{
    uint8_t i = vga->attr_index & 0x1F;
    return i < VGA_ATTR_COUNT ? vga->attr[i] : 0xFF;
}

/* 3C0 alternates between index and data; reading input status 1 resets it
 * to index. */
static void attr_write(Vga *vga, uint8_t value)
{
    if (!vga->attr_flipflop) {
        vga->attr_index = value & 0x3F;
    } else {
        uint8_t i = vga->attr_index & 0x1F;
        if (i < VGA_ATTR_COUNT)
            vga->attr[i] = i < 0x10 ? value & 0x3F : value;
        else
            vga_log_once(vga, LOG_BAD_INDEX, "vga: write to undefined register index ignored");
    }
    vga->attr_flipflop = !vga->attr_flipflop;
}

static void dac_write_data(Vga *vga, uint8_t value)
{
    vga->dac_write_latch[vga->dac_component] = value & 0x3F;
    if (++vga->dac_component < 3)
        return;
    memcpy(&vga->dac[vga->dac_write_index * 3], vga->dac_write_latch, 3);
    vga->dac_write_index++;
    vga->dac_component = 0;
}

static uint8_t dac_read_data(Vga *vga)
{
    uint8_t v = vga->dac[vga->dac_read_index * 3 + vga->dac_component];
    if (++vga->dac_component == 3) {
        vga->dac_component = 0;
        vga->dac_read_index++;
    }
    return v;
}

/* ---- ports 3B0-3DF ---- */

/* The CRTC pair and the status/feature port move with MISC_IOAS. */
static bool port_is_other_block(const Vga *vga, uint32_t port)
{
    bool color = vga->misc & MISC_IOAS;
    if (port >= 0x3B0 && port <= 0x3BF)
        return color;
    if (port >= 0x3D0 && port <= 0x3DF)
        return !color;
    return false;
}

static uint8_t crtc_port_read(Vga *vga, unsigned low)
{
    if (low == 0x4)
        return vga->crtc_index;
    if (low == 0x5)
        return vga->crtc_index < VGA_CRTC_COUNT ? vga->crtc[vga->crtc_index] : 0xFF;
    if (low == 0xA) {
        vga->attr_flipflop = false;
        return vga_input_status1(vga);
    }
    return 0xFF;
}

static uint8_t indexed_read(const uint8_t *regs, uint8_t index, unsigned count)
{
    return index < count ? regs[index] : 0xFF;
}

static uint32_t vga_port_read(void *opaque, uint32_t offset, unsigned size)
{
    Vga *vga = opaque;
    uint32_t port = VGA_PORT_BASE + offset;
    if (port_is_other_block(vga, port))
        return 0xFF;
    switch (port) {
    case 0x3C0: return vga->attr_index;
    case 0x3C1: return attr_read_data(vga);
    case 0x3C2: return 0x00;    /* input status 0: no retrace IRQ pending, sense 0 */
    case 0x3C3: return vga->subsys_enable;
    case 0x3C4: return vga->seq_index;
    case 0x3C5: return indexed_read(vga->seq, vga->seq_index, VGA_SEQ_COUNT);
    case 0x3C6: return vga->dac_mask;
    case 0x3C7: return vga->dac_state;
    case 0x3C8: return vga->dac_write_index;
    case 0x3C9: return dac_read_data(vga);
    case 0x3CA: return vga->feature;
    case 0x3CC: return vga->misc;
    case 0x3CE: return vga->gc_index;
    case 0x3CF: return indexed_read(vga->gc, vga->gc_index, VGA_GC_COUNT);
    default:
        if ((port & 0xFFF0) == 0x3B0 || (port & 0xFFF0) == 0x3D0)
            return crtc_port_read(vga, port & 0xF);
        return 0xFF;
    }
}

static void seq_write(Vga *vga, uint8_t value)
{
    if (vga->seq_index < VGA_SEQ_COUNT)
        vga->seq[vga->seq_index] = value;
    else
        vga_log_once(vga, LOG_BAD_INDEX, "vga: write to undefined register index ignored");
}

static void gc_write(Vga *vga, uint8_t value)
{
    if (vga->gc_index < VGA_GC_COUNT)
        vga->gc[vga->gc_index] = value;
    else
        vga_log_once(vga, LOG_BAD_INDEX, "vga: write to undefined register index ignored");
}

static void crtc_port_write(Vga *vga, unsigned low, uint8_t v)
{
    if (low == 0x4)
        vga->crtc_index = v;
    else if (low == 0x5)
        crtc_write(vga, v);
    else if (low == 0xA)
        vga->feature = v;
    else
        vga_log_once(vga, LOG_BAD_PORT, "vga: write to unused port ignored");
}

static void vga_port_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    Vga *vga = opaque;
    uint32_t port = VGA_PORT_BASE + offset;
    uint8_t v = (uint8_t)value;
    if (port_is_other_block(vga, port))
        return;
    vga->changes++;
    switch (port) {
    case 0x3C0: attr_write(vga, v); break;
    case 0x3C2: vga->misc = v; break;
    case 0x3C3: vga->subsys_enable = v & 1; break;
    case 0x3C4: vga->seq_index = v; break;
    case 0x3C5: seq_write(vga, v); break;
    case 0x3C6: vga->dac_mask = v; break;
    case 0x3C7:
        vga->dac_read_index = v;
        vga->dac_component = 0;
        vga->dac_state = 3;
        break;
    case 0x3C8:
        vga->dac_write_index = v;
        vga->dac_component = 0;
        vga->dac_state = 0;
        break;
    case 0x3C9: dac_write_data(vga, v); break;
    case 0x3CE: vga->gc_index = v; break;
    case 0x3CF: gc_write(vga, v); break;
    default:
        if ((port & 0xFFF0) == 0x3B0 || (port & 0xFFF0) == 0x3D0)
            crtc_port_write(vga, port & 0xF, v);
        else
            vga_log_once(vga, LOG_BAD_PORT, "vga: write to unused port ignored");
        break;
    }
}

bool vga_map(Vga *vga, IoSpace *ports, IoSpace *mmio)
{
    IoWindow p = { .name = "vga", .base = VGA_PORT_BASE, .length = VGA_PORT_COUNT,
                   .widths = IO_WIDTH_8, .read = vga_port_read, .write = vga_port_write,
                   .opaque = vga };
    IoWindow m = { .name = "vga-mem", .base = VGA_MMIO_BASE, .length = VGA_MMIO_SIZE,
                   .widths = IO_WIDTH_8, .read = vga_mem_read, .write = vga_mem_write,
                   .opaque = vga };
    if (!io_space_map(ports, &p))
        return false;
    return io_space_map(mmio, &m);
}

static const StateField vga_fields[] = {
    STATE_U8(Vga, misc), STATE_U8(Vga, feature), STATE_U8(Vga, subsys_enable),
    STATE_U8(Vga, seq_index), STATE_U8_ARRAY(Vga, seq, 8),
    STATE_U8(Vga, crtc_index), STATE_U8_ARRAY(Vga, crtc, 32),
    STATE_U8(Vga, gc_index), STATE_U8_ARRAY(Vga, gc, 16),
    STATE_U8(Vga, attr_index), STATE_BOOL(Vga, attr_flipflop), STATE_U8_ARRAY(Vga, attr, 32),
    STATE_U8(Vga, dac_mask), STATE_U8(Vga, dac_read_index), STATE_U8(Vga, dac_write_index),
    STATE_U8(Vga, dac_component), STATE_U8(Vga, dac_state),
    STATE_U8_ARRAY(Vga, dac_write_latch, 3), STATE_U8_ARRAY(Vga, dac, 256 * 3),
    STATE_U8_ARRAY(Vga, latch, 4), STATE_U8_ARRAY(Vga, vram, VGA_VRAM_SIZE),
    STATE_U32(Vga, changes),
};
const StateDesc vga_state = STATE_DESC("vga", 1, vga_fields);
