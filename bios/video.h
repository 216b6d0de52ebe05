/* SPDX-License-Identifier: MIT */
/*
 * INT 10h internals shared by video.c (services) and video_modes.c (mode
 * tables, DAC, fonts).  Memory: FS = A000 (graphics, plane 2), DS = B000
 * (text; B800 is DS:8000).
 */
#ifndef FAULTLINE_BIOS_VIDEO_H
#define FAULTLINE_BIOS_VIDEO_H

#include "bios_internal.h"

typedef enum VideoKind { VM_TEXT, VM_MONO, VM_CGA4, VM_CGA2, VM_PLANAR, VM_LINEAR } VideoKind;

typedef struct VideoMode {
    uint8_t mode;
    uint8_t kind;               /* VideoKind */
    uint8_t cols, rows, char_h;
    uint16_t page_size;
    uint8_t misc;
    uint8_t seq[4];             /* sequencer 1-4 */
    uint8_t crtc[25];
    uint8_t attr[21];
    uint8_t gc[9];
} VideoMode;

const VideoMode *video_mode_find(uint8_t mode);
bool video_mode_set(BiosCtx *c, uint8_t al);
void video_default_dac(uint16_t index, uint8_t rgb[3]);
void video_write_regs(BiosCtx *c, const VideoMode *m);
void video_plane2_open(BiosCtx *c);
void video_plane2_close(BiosCtx *c, const VideoMode *m);
const uint8_t *video_rom_font(unsigned height);
void video_load_font(BiosCtx *c, const VideoMode *m, const uint8_t *glyphs, unsigned first,
                     unsigned count, unsigned height, unsigned block);
void video_set_cursor_shape(BiosCtx *c, uint16_t cx);
void video_set_cursor_pos(BiosCtx *c, uint8_t page, uint8_t row, uint8_t col);
/* The current mode (03h if the BDA names none we know) and its CRTC. */
const VideoMode *video_cur_mode(BiosCtx *c);
bool video_is_text(const VideoMode *m);
uint16_t video_crtc_port(BiosCtx *c);
void video_crtc_wr(BiosCtx *c, uint8_t index, uint8_t v);
/* Attribute controller registers (index 0-14h), leaving the display on. */
void video_attr_wr(BiosCtx *c, uint8_t index, uint8_t v);
uint8_t video_attr_rd(BiosCtx *c, uint8_t index);
/* video_info.c */
void video_palette_service(BiosCtx *c);
void video_font_service(BiosCtx *c);
void video_alt_select(BiosCtx *c);
void video_state_info(BiosCtx *c);

#endif
