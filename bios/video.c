/* SPDX-License-Identifier: MIT */
/*
 * INT 10h, the video services of the IBM VGA BIOS (IBM VGA Technical
 * Reference, "BIOS"): cursor, pages, scrolling, characters and pixels in
 * text and graphics modes, teletype, CGA palette (0Bh), write string (13h),
 * display combination (1Ah), save/restore (1Ch, reports no support) and the
 * dispatcher; palette/DAC (10h), fonts (11h), alternate select (12h) and
 * functionality/state (1Bh) are in video_info.c.
 * Graphics characters come from the ROM fonts (not from a user INT 43h
 * font).  Not modelled: 11h text-mode font loads resizing the screen rows
 * (they load the glyphs only), the light pen (04h), 1Ch state save.
 */
#include "video.h"

const VideoMode *video_cur_mode(BiosCtx *c)
{
    const VideoMode *m = video_mode_find(bda_rd8(c, BDA_VIDEO_MODE) & 0x7F);
    return m ? m : video_mode_find(3);
}

bool video_is_text(const VideoMode *m)
{
    return m->kind == VM_TEXT || m->kind == VM_MONO;
}

uint16_t video_crtc_port(BiosCtx *c)
{
    uint16_t p = bda_rd16(c, BDA_CRTC_PORT);
    return p == 0x3B4 ? 0x3B4 : 0x3D4;
}

void video_crtc_wr(BiosCtx *c, uint8_t index, uint8_t v)
{
    uint16_t p = video_crtc_port(c);
    port_out8(c, p, index);
    port_out8(c, p + 1, v);
}

void video_set_cursor_shape(BiosCtx *c, uint16_t cx)
{
    uint8_t start = (uint8_t)(cx >> 8), end = (uint8_t)cx;
    unsigned h = bda_rd8(c, BDA_CHAR_HEIGHT);
    bda_wr16(c, BDA_CURSOR_SHAPE, cx);
    /* CGA cursor values (0-7) are scaled to the taller VGA cell. */
    if (h > 8 && (start & 0x1F) < 8 && end < 8) {
        if ((start & 0x1F) >= 4)
            start = (uint8_t)((start & 0x20) | ((start & 0x1F) + h - 9));
        if (end >= 4)
            end = (uint8_t)(end + h - 9);
    }
    video_crtc_wr(c, 0x0A, start & 0x3F);
    video_crtc_wr(c, 0x0B, end & 0x1F);
}

static void update_hw_cursor(BiosCtx *c, uint8_t page)
{
    uint16_t pos = bda_rd16(c, BDA_CURSOR_POS + 2 * page);
    uint16_t cols = bda_rd16(c, BDA_VIDEO_COLS);
    uint16_t addr = (uint16_t)(bda_rd16(c, BDA_VIDEO_PAGE_START) / 2 + (pos >> 8) * cols + (pos & 0xFF));
    video_crtc_wr(c, 0x0E, (uint8_t)(addr >> 8));
    video_crtc_wr(c, 0x0F, (uint8_t)addr);
}

void video_set_cursor_pos(BiosCtx *c, uint8_t page, uint8_t row, uint8_t col)
{
    page &= 7;
    bda_wr16(c, BDA_CURSOR_POS + 2 * page, (uint16_t)(row << 8 | col));
    if (page == bda_rd8(c, BDA_VIDEO_PAGE))
        update_hw_cursor(c, page);
}

static void set_page(BiosCtx *c, uint8_t page)
{
    const VideoMode *m = video_cur_mode(c);
    uint16_t start = (uint16_t)((page & 7) * m->page_size);
    bda_wr8(c, BDA_VIDEO_PAGE, page & 7);
    bda_wr16(c, BDA_VIDEO_PAGE_START, start);
    if (!video_is_text(m))
        start = (uint16_t)(start / 2);
    video_crtc_wr(c, 0x0C, (uint8_t)(start >> 9));
    video_crtc_wr(c, 0x0D, (uint8_t)(start >> 1));
    update_hw_cursor(c, page & 7);
}

/* ---- text cells: DS = B000, colour text at DS:8000 */
static uint32_t text_off(const VideoMode *m, uint8_t page, unsigned row, unsigned col)
{
    return (m->kind == VM_MONO ? 0 : 0x8000) + (uint32_t)(page & 7) * m->page_size
           + (row * m->cols + col) * 2;
}

/* ---- graphics pixels */
static uint32_t cga_off(unsigned x_byte, unsigned y)
{
    return 0x8000 + (y & 1) * 0x2000 + (y >> 1) * 80 + x_byte;
}

static void gc_wr(BiosCtx *c, uint8_t index, uint8_t v)
{
    port_out8(c, 0x3CE, index);
    port_out8(c, 0x3CF, v);
}

static void put_pixel(BiosCtx *c, const VideoMode *m, uint8_t page, unsigned x, unsigned y, uint8_t color)
{
    bool xor_mode = color & 0x80;
    switch (m->kind) {
    case VM_CGA4: case VM_CGA2: {
        unsigned bpp = m->kind == VM_CGA4 ? 2 : 1, mask = (1u << bpp) - 1;
        uint32_t off = cga_off(x * bpp / 8, y);
        unsigned shift = (unsigned)(8 - bpp - (x * bpp) % 8);
        uint8_t b = (uint8_t)mem_rd(c, BIOS_DS, off, 1);
        if (xor_mode)
            b ^= (uint8_t)((color & mask) << shift);
        else
            b = (uint8_t)((b & ~(mask << shift)) | ((color & mask) << shift));
        mem_wr(c, BIOS_DS, off, b, 1);
        break;
    }
    case VM_PLANAR: {
        uint32_t off = (uint32_t)page * m->page_size + y * m->cols + x / 8;
        gc_wr(c, 0x05, 0x02);
        gc_wr(c, 0x03, xor_mode ? 0x18 : 0x00);
        gc_wr(c, 0x08, (uint8_t)(0x80 >> (x & 7)));
        mem_rd(c, BIOS_FS, off, 1);             /* load the latches */
        mem_wr(c, BIOS_FS, off, color & 0x0F, 1);
        gc_wr(c, 0x08, 0xFF);
        gc_wr(c, 0x03, 0x00);
        gc_wr(c, 0x05, 0x00);
        break;
    }
    case VM_LINEAR: {
        uint32_t off = y * 320 + x;
        if (xor_mode)
            color = (uint8_t)(color ^ mem_rd(c, BIOS_FS, off, 1) ^ 0x80);
        mem_wr(c, BIOS_FS, off, color, 1);
        break;
    }
    default:
        break;
    }
}

static uint8_t get_pixel(BiosCtx *c, const VideoMode *m, uint8_t page, unsigned x, unsigned y)
{
    switch (m->kind) {
    case VM_CGA4: case VM_CGA2: {
        unsigned bpp = m->kind == VM_CGA4 ? 2 : 1;
        uint8_t b = (uint8_t)mem_rd(c, BIOS_DS, cga_off(x * bpp / 8, y), 1);
        return (uint8_t)((b >> (8 - bpp - (x * bpp) % 8)) & ((1u << bpp) - 1));
    }
    case VM_PLANAR: {
        uint32_t off = (uint32_t)page * m->page_size + y * m->cols + x / 8;
        uint8_t color = 0;
        for (uint8_t p = 0; p < 4; p++) {
            gc_wr(c, 0x04, p);
            if (mem_rd(c, BIOS_FS, off, 1) & (0x80 >> (x & 7)))
                color |= (uint8_t)(1 << p);
        }
        gc_wr(c, 0x04, 0);
        return color;
    }
    case VM_LINEAR:
        return (uint8_t)mem_rd(c, BIOS_FS, y * 320 + x, 1);
    default:
        return 0;
    }
}

static void draw_glyph(BiosCtx *c, const VideoMode *m, uint8_t page, unsigned col, unsigned row,
                       uint8_t ch, uint8_t color)
{
    unsigned h = m->char_h;
    const uint8_t *glyph = video_rom_font(h) + ch * h;
    for (unsigned y = 0; y < h; y++)
        for (unsigned x = 0; x < 8; x++) {
            bool on = glyph[y] & (0x80 >> x);
            if (on || !(color & 0x80))
                put_pixel(c, m, page, col * 8 + x, row * h + y, on ? color : 0);
        }
}

static void write_cells(BiosCtx *c, uint8_t page, uint8_t ch, uint8_t attr, unsigned count, bool with_attr)
{
    const VideoMode *m = video_cur_mode(c);
    uint16_t pos = bda_rd16(c, BDA_CURSOR_POS + 2 * (page & 7));
    unsigned row = pos >> 8, col = pos & 0xFF;
    for (unsigned i = 0; i < count && row < m->rows; i++) {
        if (video_is_text(m)) {
            uint32_t off = text_off(m, page, row, col);
            mem_wr(c, BIOS_DS, off, ch, 1);
            if (with_attr)
                mem_wr(c, BIOS_DS, off + 1, attr, 1);
        } else {
            draw_glyph(c, m, page, col, row, ch, attr);
        }
        if (++col >= m->cols) {
            col = 0;
            row++;
        }
    }
}

/* ---- scrolling a window (AH=06h up / 07h down) */
static void copy_cell_line(BiosCtx *c, const VideoMode *m, uint8_t page, unsigned dst_row, unsigned src_row,
                           unsigned left, unsigned right)
{
    unsigned h = m->char_h;
    for (unsigned y = 0; y < h; y++) {
        unsigned dy = dst_row * h + y, sy = src_row * h + y;
        if (m->kind == VM_LINEAR) {
            for (unsigned x = left * 8; x < (right + 1) * 8; x++)
                mem_wr(c, BIOS_FS, dy * 320 + x, mem_rd(c, BIOS_FS, sy * 320 + x, 1), 1);
        } else if (m->kind == VM_PLANAR) {
            uint32_t base = (uint32_t)page * m->page_size;
            gc_wr(c, 0x05, 0x01);               /* write mode 1: store the latches */
            for (unsigned x = left; x <= right; x++) {
                mem_rd(c, BIOS_FS, base + sy * m->cols + x, 1);
                mem_wr(c, BIOS_FS, base + dy * m->cols + x, 0, 1);
            }
            gc_wr(c, 0x05, 0x00);
        } else {
            unsigned bpc = m->kind == VM_CGA4 ? 2 : 1;
            for (unsigned x = left * bpc; x < (right + 1) * bpc; x++)
                mem_wr(c, BIOS_DS, cga_off(x, dy), mem_rd(c, BIOS_DS, cga_off(x, sy), 1), 1);
        }
    }
}

static void blank_cell_line(BiosCtx *c, const VideoMode *m, uint8_t page, unsigned row,
                            unsigned left, unsigned right, uint8_t attr)
{
    if (video_is_text(m)) {
        for (unsigned x = left; x <= right; x++)
            mem_wr(c, BIOS_DS, text_off(m, page, row, x), (uint32_t)(attr << 8 | ' '), 2);
        return;
    }
    for (unsigned y = row * m->char_h; y < (row + 1) * m->char_h; y++)
        for (unsigned x = left * 8; x < (right + 1) * 8; x++)
            put_pixel(c, m, page, x, y, attr & 0x7F);
}

static void scroll(BiosCtx *c, uint8_t page, unsigned lines, uint8_t attr, unsigned top, unsigned left,
                   unsigned bottom, unsigned right, bool up)
{
    const VideoMode *m = video_cur_mode(c);
    if (right >= m->cols)
        right = m->cols - 1u;
    if (bottom >= m->rows)
        bottom = m->rows - 1u;
    if (top > bottom || left > right)
        return;
    unsigned height = bottom - top + 1;
    if (lines == 0 || lines > height)
        lines = height;
    for (unsigned i = 0; i < height; i++) {
        unsigned row = up ? top + i : bottom - i;
        if (i + lines < height) {
            unsigned src = up ? row + lines : row - lines;
            if (video_is_text(m))
                for (unsigned x = left; x <= right; x++)
                    mem_wr(c, BIOS_DS, text_off(m, page, row, x),
                           mem_rd(c, BIOS_DS, text_off(m, page, src, x), 2), 2);
            else
                copy_cell_line(c, m, page, row, src, left, right);
        } else {
            blank_cell_line(c, m, page, row, left, right, attr);
        }
    }
}

/* Moves the cursor on after a character at (row, col), scrolling at the end. */
static void cursor_advance(BiosCtx *c, const VideoMode *m, uint8_t page, unsigned row, unsigned col)
{
    if (col >= m->cols) {
        col = 0;
        row++;
    }
    if (row >= m->rows) {
        uint8_t fill = 0;
        if (video_is_text(m))
            fill = (uint8_t)(mem_rd(c, BIOS_DS, text_off(m, page, m->rows - 1u, 0), 2) >> 8);
        scroll(c, page, 1, fill, 0, 0, m->rows - 1u, m->cols - 1u, true);
        row = m->rows - 1u;
    }
    video_set_cursor_pos(c, page, (uint8_t)row, (uint8_t)col);
}

void video_teletype(BiosCtx *c, uint8_t ch, uint8_t page, uint8_t attr)
{
    const VideoMode *m = video_cur_mode(c);
    page &= 7;
    uint16_t pos = bda_rd16(c, BDA_CURSOR_POS + 2 * page);
    unsigned row = pos >> 8, col = pos & 0xFF;
    switch (ch) {
    case 0x07:
        return;                         /* BEL: the speaker is not beeped */
    case 0x08:
        if (col > 0)
            col--;
        break;
    case 0x0D:
        col = 0;
        break;
    case 0x0A:
        row++;
        break;
    default:
        if (video_is_text(m))
            mem_wr(c, BIOS_DS, text_off(m, page, row, col), ch, 1);
        else
            draw_glyph(c, m, page, col, row, ch, attr);
        col++;
        break;
    }
    cursor_advance(c, m, page, row, col);
}

void video_print(BiosCtx *c, const char *text)
{
    for (; *text; text++)
        video_teletype(c, (uint8_t)*text, bda_rd8(c, BDA_VIDEO_PAGE), 0x07);
}

/* AH=13h: the string at ES:BP. */
static void write_string(BiosCtx *c)
{
    BiosRegs *r = c->r;
    uint8_t mode = reg_al(r), page = reg_bh(r) & 7, attr = reg_bl(r);
    uint16_t saved = bda_rd16(c, BDA_CURSOR_POS + 2 * page);
    video_set_cursor_pos(c, page, reg_dh(r), reg_dl(r));
    uint32_t off = r->ebp & 0xFFFF;
    for (unsigned i = 0; i < reg_cx(r); i++) {
        uint8_t ch = (uint8_t)mem_rd(c, BIOS_ES, off++ & 0xFFFF, 1);
        if (mode & 2)
            attr = (uint8_t)mem_rd(c, BIOS_ES, off++ & 0xFFFF, 1);
        if (ch == 7 || ch == 8 || ch == 10 || ch == 13) {
            video_teletype(c, ch, page, attr);
            continue;
        }
        write_cells(c, page, ch, attr, 1, true);
        uint16_t pos = bda_rd16(c, BDA_CURSOR_POS + 2 * page);
        cursor_advance(c, video_cur_mode(c), page, pos >> 8, (pos & 0xFFu) + 1);
    }
    if (!(mode & 1))
        video_set_cursor_pos(c, page, (uint8_t)(saved >> 8), (uint8_t)saved);
}

/* AH=08h: character and attribute at the cursor (text modes). */
static uint16_t read_cell(BiosCtx *c, uint8_t page)
{
    const VideoMode *m = video_cur_mode(c);
    uint16_t pos = bda_rd16(c, BDA_CURSOR_POS + 2 * (page & 7));
    if (!video_is_text(m))
        return 0;
    return (uint16_t)mem_rd(c, BIOS_DS, text_off(m, page, pos >> 8, pos & 0xFF), 2);
}

static void cga_palette(BiosCtx *c)
{
    BiosRegs *r = c->r;
    uint8_t pal = bda_rd8(c, BDA_VIDEO_CGA_PAL);
    if (reg_bh(r) == 0) {
        pal = (uint8_t)((pal & 0xE0) | (reg_bl(r) & 0x1F));
        uint8_t bg = (uint8_t)((reg_bl(r) & 7) | ((reg_bl(r) & 0x10) ? 0x10 : 0));
        video_attr_wr(c, 0x11, bg);
        if (!video_is_text(video_cur_mode(c)))
            video_attr_wr(c, 0x00, bg);
    } else {
        pal = (uint8_t)((pal & ~0x20) | ((reg_bl(r) & 1) ? 0x20 : 0));
        uint8_t base = (uint8_t)((reg_bl(r) & 1) | ((pal & 0x10) ? 0x10 : 0));
        for (uint8_t i = 1; i < 4; i++)
            video_attr_wr(c, i, (uint8_t)(base + 2 * i));
    }
    bda_wr8(c, BDA_VIDEO_CGA_PAL, pal);
}

void video_service(BiosCtx *c)
{
    BiosRegs *r = c->r;
    uint8_t page = reg_bh(r) & 7;
    switch (reg_ah(r)) {
    case 0x00:
        if (video_mode_set(c, reg_al(r)))
            set_lo8(&r->eax, (reg_al(r) & 0x7F) <= 7 && (reg_al(r) & 0x7F) != 6 ? 0x30 : 0x20);
        break;
    case 0x01: video_set_cursor_shape(c, reg_cx(r)); break;
    case 0x02: video_set_cursor_pos(c, page, reg_dh(r), reg_dl(r)); break;
    case 0x03:
        set_lo16(&r->ecx, bda_rd16(c, BDA_CURSOR_SHAPE));
        set_lo16(&r->edx, bda_rd16(c, BDA_CURSOR_POS + 2 * page));
        break;
    case 0x04: set_hi8(&r->eax, 0); break;
    case 0x05: set_page(c, reg_al(r)); break;
    case 0x06: case 0x07:
        scroll(c, bda_rd8(c, BDA_VIDEO_PAGE), reg_al(r), reg_bh(r), reg_ch(r), reg_cl(r),
               reg_dh(r), reg_dl(r), reg_ah(r) == 0x06);
        break;
    case 0x08: set_lo16(&r->eax, read_cell(c, page)); break;
    case 0x09: write_cells(c, page, reg_al(r), reg_bl(r), reg_cx(r), true); break;
    case 0x0A: write_cells(c, page, reg_al(r), reg_bl(r), reg_cx(r), false); break;
    case 0x0B: cga_palette(c); break;
    case 0x0C: {
        const VideoMode *m = video_cur_mode(c);
        if (!video_is_text(m))
            put_pixel(c, m, page, reg_cx(r), reg_dx(r), reg_al(r));
        break;
    }
    case 0x0D: {
        const VideoMode *m = video_cur_mode(c);
        set_lo8(&r->eax, video_is_text(m) ? 0 : get_pixel(c, m, page, reg_cx(r), reg_dx(r)));
        break;
    }
    case 0x0E: video_teletype(c, reg_al(r), bda_rd8(c, BDA_VIDEO_PAGE), reg_bl(r)); break;
    case 0x0F:
        set_lo8(&r->eax, (uint8_t)(bda_rd8(c, BDA_VIDEO_MODE) | (bda_rd8(c, BDA_VIDEO_CTL) & 0x80)));
        set_hi8(&r->eax, (uint8_t)bda_rd16(c, BDA_VIDEO_COLS));
        set_hi8(&r->ebx, bda_rd8(c, BDA_VIDEO_PAGE));
        break;
    case 0x10: video_palette_service(c); break;
    case 0x11: video_font_service(c); break;
    case 0x12: video_alt_select(c); break;
    case 0x13: write_string(c); break;
    case 0x1A:
        if (reg_al(r) == 0x00)
            set_lo16(&r->ebx, bda_rd8(c, BDA_VIDEO_DCC) ? bda_rd8(c, BDA_VIDEO_DCC) : 0x0008);
        else if (reg_al(r) == 0x01)
            bda_wr8(c, BDA_VIDEO_DCC, reg_bl(r));
        set_lo8(&r->eax, 0x1A);
        break;
    case 0x1B: video_state_info(c); break;
    case 0x1C: set_lo8(&r->eax, 0x00); break;  /* save/restore state: not supported */
    case 0x4F: break;   /* no VESA BIOS Extensions: AL left != 4Fh says so to the caller */
    default:
        bios_log_once(c, BIOS_LOG_VIDEO, "bios: unimplemented INT 10h function");
        break;
    }
}
