/* SPDX-License-Identifier: MIT */
/*
 * The IBM VGA (PS/2 Display Adapter), following IBM's "VGA Technical
 * Reference" register descriptions: miscellaneous output, sequencer, CRT
 * controller, graphics controller, attribute controller and the 256-entry DAC,
 * with 256 KiB of video memory as four 64 KiB planes behind the 32-bit
 * latches.  Port and memory decoding lives in vga.c, the A0000-BFFFF window
 * (planes, latches, read and write modes) in vga_memory.c, and scan-out into
 * an XRGB8888 framebuffer plus the text snapshot in vga_render.c.  Retrace and
 * display-enable status come from the virtual clock and the programmed CRTC
 * timings.  Not modelled: the vertical retrace interrupt (not wired on the PC
 * VGA), cursor and character skew, byte panning (CRTC 08h bits 5-6), count by
 * 2/4 and the vertical-total doubling bit, the monitor sense comparator (input
 * status 0 bit 4 reads 0), light pen, the odd/even page bit and the extended
 * memory bit (memory is always 256 KiB), and changes made in the middle of a
 * frame (the picture is rendered from one instant's registers).
 */
#ifndef FAULTLINE_VGA_H
#define FAULTLINE_VGA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bus.h"
#include "clock.h"
#include "state.h"

#define VGA_PLANE_SIZE 0x10000u
#define VGA_VRAM_SIZE (4u * VGA_PLANE_SIZE)
#define VGA_MMIO_BASE 0xA0000u
#define VGA_MMIO_SIZE 0x20000u
#define VGA_PORT_BASE 0x3B0u
#define VGA_PORT_COUNT 0x30u

enum {
    VGA_SEQ_COUNT = 5,
    VGA_CRTC_COUNT = 0x19,
    VGA_GC_COUNT = 9,
    VGA_ATTR_COUNT = 0x15,
};

typedef struct Vga {
    Clock *clock;
    BusLogFn log;
    void *log_opaque;
    uint32_t logged;            /* kinds of guest misuse already logged */

    uint8_t misc;               /* 3C2 write / 3CC read */
    uint8_t feature;            /* 3xA write / 3CA read */
    uint8_t subsys_enable;      /* 3C3 */
    uint8_t seq_index, seq[8];
    uint8_t crtc_index, crtc[32];
    uint8_t gc_index, gc[16];
    uint8_t attr_index;         /* bits 0-4 index, bit 5 PAS (palette address source) */
    bool attr_flipflop;         /* false: next 3C0 write is an index */
    uint8_t attr[32];
    uint8_t dac_mask;           /* 3C6 */
    uint8_t dac_read_index, dac_write_index;
    uint8_t dac_component;      /* 0..2: which of R, G, B comes next */
    uint8_t dac_state;          /* 3C7 read: 0 after a write index, 3 after a read index */
    uint8_t dac_write_latch[3];
    uint8_t dac[256 * 3];       /* 6-bit R, G, B per entry */
    uint8_t latch[4];           /* one byte per plane, loaded by every CPU read */
    /* Plane p's byte at address a is vram[a * 4 + p]: the four planes side by
     * side, so one address yields the 32 bits the latches and the serializer
     * see at once. */
    uint8_t vram[VGA_VRAM_SIZE];
    uint32_t changes;           /* bumped by every write that can change the picture */
} Vga;

void vga_init(Vga *vga, Clock *clock);
void vga_reset(Vga *vga);
/* Maps ports 3B0-3DF and the A0000-BFFFF window; false on overlap. */
bool vga_map(Vga *vga, IoSpace *ports, IoSpace *mmio);

/* Renders the current picture (XRGB8888, row stride max_w).  One output pixel
 * per distinct memory pixel: 720x400 for mode 03h, 320x200 for 13h, 640x480
 * for 12h; scan lines repeated by double scan or by the maximum scan line in
 * graphics modes are emitted once.  The border (overscan colour) is not drawn.
 * The picture is clipped to max_w x max_h. */
void vga_render(Vga *vga, uint32_t *pixels, int max_w, int max_h, int *w, int *h);
/* The text screen as characters (one '\n'-terminated line per row, CP437
 * mapped to ASCII where printable, else '.'); returns the length written
 * (NUL-terminated when it fits), 0 in graphics modes. */
int vga_text_snapshot(Vga *vga, char *out, size_t cap, int *cols, int *rows);
/* Frames scanned out since time 0 (virtual time and the current timings). */
uint64_t vga_frame_count(const Vga *vga);
/* A number that changes whenever a register or memory write may have changed
 * the picture; with vga_frame_count() / 16 (blink phase) it tells the
 * frontend when a redraw is needed. */
static inline uint32_t vga_change_count(const Vga *vga) { return vga->changes; }

extern const StateDesc vga_state;

#endif
