/* SPDX-License-Identifier: MIT */
/*
 * VGA scan-out (IBM VGA Technical Reference, "CRT Controller", "Attribute
 * Controller"): the CRTC walks scan lines from the start address, adding the
 * offset after each character row (maximum scan line + 1 lines, doubled by
 * double scan), restarting at address 0 on the line compare line; each
 * character clock fetches the four planes' bytes at the address the CRTC puts
 * out (byte, word or doubleword mode, CGA/Hercules row-scan substitution).
 * Text mode turns character and attribute into pixels with the font in plane
 * 2; graphics modes shift out planar, CGA-interleaved or 256-colour pixels.
 * The attribute controller applies pel panning, colour plane enable, the
 * palette and colour select; the DAC turns the 8-bit index into RGB.  The
 * picture is sampled at one instant: register changes inside a frame (raster
 * effects) are not reproduced.
 */
#include "vga_internal.h"

#include <string.h>

enum { MAX_CHARS = 257, MAX_LINE = MAX_CHARS * 9 + 16 };

/* What one frame's scan-out needs, decoded once from the registers. */
typedef struct Scan {
    VgaTiming t;
    bool text, mode256, cga_shift;
    unsigned char_w;            /* output pixels per character clock */
    unsigned max_scan;
    bool double_scan;
    bool rows_repeat;           /* graphics: row scan does not change the address */
    uint64_t frame;
    uint32_t pal16[16];         /* attribute value -> XRGB */
    uint32_t dac256[256];
} Scan;

static uint8_t plane(const Vga *vga, uint32_t addr, unsigned p)
{
    return vga->vram[(addr & (VGA_PLANE_SIZE - 1)) * 4 + p];
}

/* Attribute palette, colour plane enable and colour select for value v. */
static uint8_t attr_color_index(const Vga *vga, uint8_t v)
{
    uint8_t pal = vga->attr[v & vga->attr[ATTR_PLANE_ENABLE] & 0x0F];
    uint8_t cs = vga->attr[ATTR_COLOR_SELECT];
    uint8_t idx = pal & 0x3F;
    if (vga->attr[ATTR_MODE] & ATTR_MODE_P54)
        idx = (uint8_t)((pal & 0x0F) | (cs & 0x03) << 4);
    return (uint8_t)(idx | (cs & 0x0C) << 4);
}

static void scan_setup(const Vga *vga, Scan *s)
{
    const uint8_t *c = vga->crtc;
    s->t = vga_timing(vga);
    s->text = !(vga->gc[GC_MISC] & GC_MISC_GRAPHICS);
    s->mode256 = !s->text && (vga->gc[GC_MODE] & GC_MODE_SHIFT_256);
    s->cga_shift = !s->text && !s->mode256 && (vga->gc[GC_MODE] & GC_MODE_SHIFT_CGA);
    if (s->text)
        s->char_w = (vga->seq[SEQ_CLOCKING] & SEQ_CLK_8DOT) ? 8 : 9;
    else
        s->char_w = s->mode256 ? 4 : 8;
    s->max_scan = c[CRTC_MAX_SCAN] & 0x1F;
    s->double_scan = c[CRTC_MAX_SCAN] & CRTC_DOUBLE_SCAN;
    s->rows_repeat = !s->text && (c[CRTC_MODE] & (CRTC_MODE_CGA | CRTC_MODE_HERC)) ==
                                     (CRTC_MODE_CGA | CRTC_MODE_HERC);
    s->frame = vga_frame_count(vga);
    for (unsigned i = 0; i < 16; i++)
        s->pal16[i] = vga_dac_rgb(vga, attr_color_index(vga, (uint8_t)i));
    for (unsigned i = 0; i < 256; i++)
        s->dac256[i] = vga_dac_rgb(vga, (uint8_t)i);
}

/* Pixels of horizontal panning for the current mode (pel panning register). */
static unsigned pan_pixels(const Vga *vga, const Scan *s)
{
    unsigned pan = vga->attr[ATTR_PANNING] & 0x0F;
    if (s->mode256)
        return (pan >> 1) & 3;
    if (s->text && s->char_w == 9)
        return pan >= 8 ? 0 : pan + 1;
    return pan & 7;
}

static bool cursor_on_row(const Vga *vga, const Scan *s, unsigned rs)
{
    uint8_t start = vga->crtc[CRTC_CURSOR_START], end = vga->crtc[CRTC_CURSOR_END] & 0x1F;
    if ((start & 0x20) || (s->frame & 8))
        return false;
    start &= 0x1F;
    return start <= end && rs >= start && rs <= end;
}

/* One text scan line as 4-bit attribute values. */
static void text_line(const Vga *vga, const Scan *s, uint8_t *out, uint32_t ma, unsigned rs,
                      unsigned chars)
{
    uint8_t cmap = vga->seq[SEQ_CHAR_MAP], mode = vga->attr[ATTR_MODE];
    unsigned map_a = ((cmap >> 2) & 3) | ((cmap >> 3) & 4);
    unsigned map_b = (cmap & 3) | ((cmap >> 2) & 4);
    uint32_t cursor = (uint32_t)vga->crtc[CRTC_CURSOR_HI] << 8 | vga->crtc[CRTC_CURSOR_LO];
    bool cursor_row = cursor_on_row(vga, s, rs);
    bool blink_off = (mode & ATTR_MODE_BLINK) && (s->frame & 16);
    bool underline_row = rs == (vga->crtc[CRTC_UNDERLINE] & 0x1Fu);
    for (unsigned c = 0; c < chars; c++, out += s->char_w) {
        uint32_t a = vga_crtc_address(vga, ma + c, rs);
        uint8_t ch = plane(vga, a, 0), at = plane(vga, a, 1);
        uint32_t glyph = vga_font_base((at & 8) ? map_a : map_b) + ch * 32u + rs;
        uint8_t bits = rs < 32 ? plane(vga, glyph, 2) : 0;
        uint8_t fg = at & 0x0F, bg = at >> 4;
        bool ninth = (mode & ATTR_MODE_LINE_GFX) && ch >= 0xC0 && ch <= 0xDF && (bits & 1);
        if (mode & ATTR_MODE_BLINK) {
            bg &= 7;
            if ((at & 0x80) && blink_off)
                bits = 0, ninth = false;
        }
        if ((underline_row && (at & 0x77) == 0x01) ||
            (cursor_row && ((ma + c) & 0xFFFF) == cursor))
            bits = 0xFF, ninth = true;
        for (unsigned x = 0; x < 8; x++)
            out[x] = (bits & (0x80 >> x)) ? fg : bg;
        if (s->char_w == 9)
            out[8] = ninth ? fg : bg;
    }
}

/* One graphics scan line: 4-bit attribute values, or DAC indices in 256-colour mode. */
static void graphics_line(const Vga *vga, const Scan *s, uint8_t *out, uint32_t ma, unsigned rs,
                          unsigned chars)
{
    for (unsigned c = 0; c < chars; c++) {
        uint32_t a = vga_crtc_address(vga, ma + c, rs);
        uint8_t p[4] = { plane(vga, a, 0), plane(vga, a, 1), plane(vga, a, 2), plane(vga, a, 3) };
        if (s->mode256) {
            memcpy(out, p, 4);
            out += 4;
        } else if (s->cga_shift) {
            /* Two bits per pixel: planes 0/2 feed the first four, 1/3 the next four. */
            for (unsigned i = 0; i < 8; i++) {
                unsigned sh = 6 - 2 * (i & 3), lo = i < 4 ? 0 : 1;
                *out++ = (uint8_t)(((p[lo] >> sh) & 3) | ((p[lo + 2] >> sh) & 3) << 2);
            }
        } else {
            for (unsigned i = 0; i < 8; i++) {
                unsigned b = 7 - i;
                *out++ = (uint8_t)(((p[0] >> b) & 1) | ((p[1] >> b) & 1) << 1 |
                                   ((p[2] >> b) & 1) << 2 | ((p[3] >> b) & 1) << 3);
            }
        }
    }
}

static void emit_line(const Vga *vga, const Scan *s, uint32_t *dst, int w, uint32_t ma,
                      unsigned rs, bool split)
{
    uint8_t line[MAX_LINE];
    unsigned chars = s->t.h_disp + 1;   /* one spare character clock for panning */
    if (chars > MAX_CHARS)
        chars = MAX_CHARS;
    if (s->text)
        text_line(vga, s, line, ma, rs, chars);
    else
        graphics_line(vga, s, line, ma, rs, chars);
    unsigned pan = (split && (vga->attr[ATTR_MODE] & ATTR_MODE_PAN_SPLIT)) ? 0
                                                                          : pan_pixels(vga, s);
    const uint8_t *src = line + pan;
    for (int x = 0; x < w; x++)
        dst[x] = s->mode256 ? s->dac256[src[x]] : s->pal16[src[x] & 0x0F];
}

/* Screen off, the CPU owning the palette (PAS clear) or a sequencer reset
 * in progress all leave the display black. */
static bool display_blanked(const Vga *vga)
{
    return (vga->seq[SEQ_CLOCKING] & SEQ_CLK_SCREEN_OFF) ||
           !(vga->attr_index & ATTR_INDEX_PAS) || (vga->seq[SEQ_RESET] & 3) != 3;
}

/* Walks the frame's scan lines; emits those that show new memory content. */
void vga_render(Vga *vga, uint32_t *pixels, int max_w, int max_h, int *w, int *h)
{
    Scan s;
    *w = *h = 0;
    if (max_w <= 0 || max_h <= 0)
        return;
    scan_setup(vga, &s);
    const uint8_t *c = vga->crtc;
    unsigned chars = s.t.h_disp < MAX_CHARS - 1 ? s.t.h_disp : MAX_CHARS - 1;
    int width = (int)(chars * s.char_w);
    if (width > max_w)
        width = max_w;
    bool blank = display_blanked(vga);
    uint32_t ma = (uint32_t)c[CRTC_START_HI] << 8 | c[CRTC_START_LO];
    uint32_t offset = c[CRTC_OFFSET] * 2u;
    unsigned rs = c[CRTC_PRESET_ROW] & 0x1F, line_compare = vga_line_compare(vga);
    bool split = false, second_half = false;
    int out_y = 0;
    for (unsigned y = 0; y < s.t.v_disp && out_y < max_h; y++) {
        if (y == line_compare) {
            ma = 0, rs = 0, split = true, second_half = false;
        }
        bool repeat = (s.double_scan && second_half) || (s.rows_repeat && rs != 0);
        if (!repeat) {
            uint32_t *dst = pixels + (size_t)out_y * (size_t)max_w;
            if (blank)
                memset(dst, 0, (size_t)width * sizeof(uint32_t));
            else
                emit_line(vga, &s, dst, width, ma, rs, split);
            out_y++;
        }
        if (s.double_scan && !second_half) {
            second_half = true;
            continue;
        }
        second_half = false;
        if (rs >= s.max_scan) {
            rs = 0;
            ma += offset;
        } else {
            rs++;
        }
    }
    *w = width;
    *h = out_y;
}

static char cp437_to_ascii(uint8_t ch)
{
    if (ch == 0x00 || ch == 0xFF)
        return ' ';
    return (ch >= 0x20 && ch < 0x7F) ? (char)ch : '.';
}

int vga_text_snapshot(Vga *vga, char *out, size_t cap, int *cols, int *rows)
{
    if (vga->gc[GC_MISC] & GC_MISC_GRAPHICS)
        return 0;
    VgaTiming t = vga_timing(vga);
    const uint8_t *c = vga->crtc;
    unsigned line_h = ((c[CRTC_MAX_SCAN] & 0x1Fu) + 1) * ((c[CRTC_MAX_SCAN] & CRTC_DOUBLE_SCAN) ? 2 : 1);
    unsigned ncols = t.h_disp, nrows = t.v_disp / line_h;
    uint32_t ma = (uint32_t)c[CRTC_START_HI] << 8 | c[CRTC_START_LO];
    size_t n = 0;
    for (unsigned r = 0; r < nrows; r++, ma += c[CRTC_OFFSET] * 2u) {
        if (n + ncols + 1 >= cap)
            break;
        for (unsigned col = 0; col < ncols; col++)
            out[n++] = cp437_to_ascii(plane(vga, vga_crtc_address(vga, ma + col, 0), 0));
        out[n++] = '\n';
    }
    if (n < cap)
        out[n] = '\0';
    *cols = (int)ncols;
    *rows = (int)nrows;
    return (int)n;
}
