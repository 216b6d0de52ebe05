/* SPDX-License-Identifier: MIT */
/*
 * INT 10h's register-level and information services (IBM VGA Technical
 * Reference, "BIOS"): palette registers and the DAC (AH=10h), the character
 * generator and font pointers (11h, incl. 1130h), alternate select (12h:
 * EGA information, scan-line and other switches accepted), and the
 * functionality/state table (1Bh).  Not modelled: grey-scale summing
 * (1Bh/101Bh), colour paging (1013h).
 */
#include "video.h"

void video_attr_wr(BiosCtx *c, uint8_t index, uint8_t v)
{
    port_in8(c, video_crtc_port(c) + 6);
    port_out8(c, 0x3C0, index);
    port_out8(c, 0x3C0, v);
    port_out8(c, 0x3C0, 0x20);
}

uint8_t video_attr_rd(BiosCtx *c, uint8_t index)
{
    port_in8(c, video_crtc_port(c) + 6);
    port_out8(c, 0x3C0, index);
    uint8_t v = port_in8(c, 0x3C1);
    port_in8(c, video_crtc_port(c) + 6);
    port_out8(c, 0x3C0, 0x20);
    return v;
}

/* AH=10h: palette registers and the DAC. */
void video_palette_service(BiosCtx *c)
{
    BiosRegs *r = c->r;
    uint32_t dx = reg_dx(r);
    switch (reg_al(r)) {
    case 0x00: video_attr_wr(c, reg_bl(r) & 0x1F, reg_bh(r)); break;
    case 0x01: video_attr_wr(c, 0x11, reg_bh(r)); break;
    case 0x02:
        for (uint8_t i = 0; i < 17; i++)
            video_attr_wr(c, i == 16 ? 0x11 : i, (uint8_t)mem_rd(c, BIOS_ES, (dx + i) & 0xFFFF, 1));
        break;
    case 0x03: {
        uint8_t mc = video_attr_rd(c, 0x10);
        video_attr_wr(c, 0x10, (uint8_t)(reg_bl(r) ? mc | 0x08 : mc & ~0x08));
        break;
    }
    case 0x07: set_hi8(&r->ebx, video_attr_rd(c, reg_bl(r) & 0x1F)); break;
    case 0x08: set_hi8(&r->ebx, video_attr_rd(c, 0x11)); break;
    case 0x09:
        for (uint8_t i = 0; i < 17; i++)
            mem_wr(c, BIOS_ES, (dx + i) & 0xFFFF, video_attr_rd(c, i == 16 ? 0x11 : i), 1);
        break;
    case 0x10:
        port_out8(c, 0x3C8, (uint8_t)reg_bx(r));
        port_out8(c, 0x3C9, reg_dh(r));
        port_out8(c, 0x3C9, reg_ch(r));
        port_out8(c, 0x3C9, reg_cl(r));
        break;
    case 0x12:
        port_out8(c, 0x3C8, (uint8_t)reg_bx(r));
        for (uint32_t i = 0; i < reg_cx(r) * 3u; i++)
            port_out8(c, 0x3C9, (uint8_t)mem_rd(c, BIOS_ES, (dx + i) & 0xFFFF, 1));
        break;
    case 0x15:
        port_out8(c, 0x3C7, (uint8_t)reg_bx(r));
        set_hi8(&r->edx, port_in8(c, 0x3C9));
        set_hi8(&r->ecx, port_in8(c, 0x3C9));
        set_lo8(&r->ecx, port_in8(c, 0x3C9));
        break;
    case 0x17:
        port_out8(c, 0x3C7, (uint8_t)reg_bx(r));
        for (uint32_t i = 0; i < reg_cx(r) * 3u; i++)
            mem_wr(c, BIOS_ES, (dx + i) & 0xFFFF, port_in8(c, 0x3C9), 1);
        break;
    case 0x18: port_out8(c, 0x3C6, reg_bl(r)); break;
    case 0x19: set_lo8(&r->ebx, port_in8(c, 0x3C6)); break;
    case 0x1A: set_lo16(&r->ebx, 0); break;
    default: break;
    }
}

/* Text-mode font loads with recalculation (AL=1xh): new cell height. */
static void set_char_height(BiosCtx *c, const VideoMode *m, unsigned h)
{
    if (h == 0 || h > 32)
        return;
    unsigned rows = 400 / h;
    port_out8(c, video_crtc_port(c), 0x09);
    uint8_t v = port_in8(c, video_crtc_port(c) + 1);
    video_crtc_wr(c, 0x09, (uint8_t)((v & 0xE0) | (h - 1)));
    video_crtc_wr(c, 0x12, (uint8_t)(rows * h - 1));
    bda_wr16(c, BDA_CHAR_HEIGHT, (uint16_t)h);
    bda_wr8(c, BDA_VIDEO_ROWS, (uint8_t)(rows - 1));
    bda_wr16(c, BDA_VIDEO_PAGE_SIZE, (uint16_t)(((rows * m->cols * 2) + 0xFF) & ~0xFFu));
    video_set_cursor_shape(c, (uint16_t)((h - 2) << 8 | (h - 1)));
    bda_wr16(c, BDA_CURSOR_SHAPE, 0x0607);
}

static void font_pointer(BiosCtx *c)
{
    BiosRegs *r = c->r;
    uint32_t ptr;
    switch (reg_bh(r)) {
    case 0x00: ptr = ivt_rd(c, 0x1F); break;
    case 0x01: ptr = ivt_rd(c, 0x43); break;
    case 0x02: case 0x05: ptr = 0xF0000000u | ROM_FONT8X14; break;
    case 0x03: ptr = 0xF0000000u | ROM_FONT8X8; break;
    case 0x04: ptr = 0xF0000000u | (ROM_FONT8X8 + 1024); break;
    default: ptr = 0xF0000000u | ROM_FONT8X16; break;
    }
    svc_return_es(c, (uint16_t)(ptr >> 16));
    set_lo16(&r->ebp, (uint16_t)ptr);
    set_lo16(&r->ecx, bda_rd16(c, BDA_CHAR_HEIGHT));
    set_lo8(&r->edx, bda_rd8(c, BDA_VIDEO_ROWS));
}

/* AH=11h: character generator. */
void video_font_service(BiosCtx *c)
{
    BiosRegs *r = c->r;
    const VideoMode *m = video_cur_mode(c);
    uint8_t al = reg_al(r), block = reg_bl(r) & 7;
    unsigned h = 0;
    switch (al & 0xEF) {
    case 0x00: {
        uint8_t glyphs[256 * 32];
        unsigned count = reg_cx(r), first = reg_dx(r) & 0xFF;
        h = reg_bh(r);
        if (h == 0 || h > 32 || count == 0)
            return;
        if (count > 256 - first)
            count = 256 - first;
        for (uint32_t i = 0; i < count * h; i++)
            glyphs[i] = (uint8_t)mem_rd(c, BIOS_ES, (r->ebp + i) & 0xFFFF, 1);
        video_load_font(c, m, glyphs, first, count, h, block);
        break;
    }
    case 0x01: h = 14; video_load_font(c, m, video_rom_font(14), 0, 256, 14, block); break;
    case 0x02: h = 8; video_load_font(c, m, video_rom_font(8), 0, 256, 8, block); break;
    case 0x04: h = 16; video_load_font(c, m, video_rom_font(16), 0, 256, 16, block); break;
    case 0x03:
        port_out8(c, 0x3C4, 0x03);
        port_out8(c, 0x3C5, reg_bl(r));
        return;
    default:
        if (al == 0x20) {
            ivt_wr(c, 0x1F, r->es, (uint16_t)r->ebp);
        } else if (al >= 0x21 && al <= 0x24) {
            static const uint16_t rom_font[] = { 0, ROM_FONT8X14, ROM_FONT8X8, ROM_FONT8X16 };
            if (al == 0x21)
                ivt_wr(c, 0x43, r->es, (uint16_t)r->ebp);
            else
                ivt_wr(c, 0x43, 0xF000, rom_font[al - 0x21]);
        } else if (al == 0x30) {
            font_pointer(c);
        }
        return;
    }
    if ((al & 0x10) && video_is_text(m))
        set_char_height(c, m, h);
}

/* AH=1Bh: the 64-byte functionality/state table at ES:DI. */
void video_state_info(BiosCtx *c)
{
    BiosRegs *r = c->r;
    const VideoMode *m = video_cur_mode(c);
    uint8_t t[64] = { 0 };
    uint16_t v;
    t[0] = ROM_STATIC_FUNC & 0xFF;
    t[1] = ROM_STATIC_FUNC >> 8;
    t[3] = 0xF0;
    for (unsigned i = 0; i < 0x1E; i++)         /* 40:49 to 40:66 as IBM lays them out */
        t[4 + i] = bda_rd8(c, BDA_VIDEO_MODE + i);
    t[0x1E] = (uint8_t)video_crtc_port(c);
    t[0x1F] = (uint8_t)(video_crtc_port(c) >> 8);
    t[0x20] = bda_rd8(c, BDA_VIDEO_MSR);
    t[0x21] = bda_rd8(c, BDA_VIDEO_CGA_PAL);
    t[0x22] = (uint8_t)(bda_rd8(c, BDA_VIDEO_ROWS) + 1);
    v = bda_rd16(c, BDA_CHAR_HEIGHT);
    t[0x23] = (uint8_t)v;
    t[0x24] = (uint8_t)(v >> 8);
    t[0x25] = 0x08;
    v = m->kind == VM_LINEAR ? 256 : m->kind == VM_CGA4 ? 4 : m->kind == VM_CGA2 || m->mode == 0x11 ? 2
        : m->kind == VM_MONO ? 0 : 16;
    t[0x27] = (uint8_t)v;
    t[0x28] = (uint8_t)(v >> 8);
    t[0x29] = (uint8_t)(m->page_size ? (m->kind == VM_PLANAR || m->kind == VM_LINEAR ? 1 : 0x8000 / m->page_size) : 1);
    t[0x2A] = m->char_h == 8 ? 0 : m->char_h == 14 ? 1 : m->rows == 30 ? 3 : 2;
    t[0x2D] = 0x21;
    t[0x31] = 3;
    for (unsigned i = 0; i < 64; i++)
        mem_wr(c, BIOS_ES, (r->edi + i) & 0xFFFF, t[i], 1);
    set_lo8(&r->eax, 0x1B);
}

void video_alt_select(BiosCtx *c)
{
    BiosRegs *r = c->r;
    switch (reg_bl(r)) {
    case 0x10:
        set_lo16(&r->ebx, 0x0003);              /* colour, 256K */
        set_lo16(&r->ecx, 0x0009);              /* feature bits 0, switches 9 */
        break;
    case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: case 0x36:
        set_lo8(&r->eax, 0x12);
        break;
    default:
        break;
    }
}

