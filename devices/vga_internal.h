/* SPDX-License-Identifier: MIT */
/*
 * What the three VGA files share: register indices and bits with the names of
 * IBM's reference, the CRTC timing decoded from the registers, and the memory
 * window callbacks.  Not a public interface; only vga*.c include it.
 */
#ifndef FAULTLINE_VGA_INTERNAL_H
#define FAULTLINE_VGA_INTERNAL_H

#include "vga.h"

/* Miscellaneous output register (3C2). */
#define MISC_IOAS 0x01          /* 1: CRTC at 3Dx (colour), 0: 3Bx (mono) */
#define MISC_RAM_ENABLE 0x02
#define MISC_CLOCK_SHIFT 2      /* bits 2-3: 0 = 25.175 MHz, 1 = 28.322 MHz */

/* Sequencer. */
#define SEQ_RESET 0
#define SEQ_CLOCKING 1
#define SEQ_MAP_MASK 2
#define SEQ_CHAR_MAP 3
#define SEQ_MEMORY_MODE 4
#define SEQ_CLK_8DOT 0x01       /* 1: 8-dot characters, 0: 9-dot */
#define SEQ_CLK_HALF 0x08       /* dot clock divided by 2 */
#define SEQ_CLK_SCREEN_OFF 0x20
#define SEQ_MEM_EXTENDED 0x02
#define SEQ_MEM_SEQUENTIAL 0x04 /* odd/even disable */
#define SEQ_MEM_CHAIN4 0x08

/* CRT controller. */
#define CRTC_H_TOTAL 0x00
#define CRTC_H_DISP_END 0x01
#define CRTC_V_TOTAL 0x06
#define CRTC_OVERFLOW 0x07
#define CRTC_PRESET_ROW 0x08
#define CRTC_MAX_SCAN 0x09
#define CRTC_CURSOR_START 0x0A
#define CRTC_CURSOR_END 0x0B
#define CRTC_START_HI 0x0C
#define CRTC_START_LO 0x0D
#define CRTC_CURSOR_HI 0x0E
#define CRTC_CURSOR_LO 0x0F
#define CRTC_V_RETRACE_START 0x10
#define CRTC_V_RETRACE_END 0x11
#define CRTC_V_DISP_END 0x12
#define CRTC_OFFSET 0x13
#define CRTC_UNDERLINE 0x14
#define CRTC_MODE 0x17
#define CRTC_LINE_COMPARE 0x18
#define CRTC_PROTECT 0x80       /* in V_RETRACE_END: registers 0-7 read-only */
#define CRTC_DOUBLE_SCAN 0x80   /* in MAX_SCAN */
#define CRTC_DWORD 0x40         /* in UNDERLINE */
#define CRTC_MODE_CGA 0x01      /* 0: row scan bit 0 drives address bit 13 */
#define CRTC_MODE_HERC 0x02     /* 0: row scan bit 1 drives address bit 14 */
#define CRTC_MODE_WRAP 0x20     /* word mode: MA15 (1) or MA13 (0) to bit 0 */
#define CRTC_MODE_BYTE 0x40

/* Graphics controller. */
#define GC_SET_RESET 0
#define GC_ENABLE_SET_RESET 1
#define GC_COLOR_COMPARE 2
#define GC_ROTATE 3
#define GC_READ_MAP 4
#define GC_MODE 5
#define GC_MISC 6
#define GC_DONT_CARE 7
#define GC_BIT_MASK 8
#define GC_MODE_READ1 0x08
#define GC_MODE_ODD_EVEN 0x10
#define GC_MODE_SHIFT_CGA 0x20
#define GC_MODE_SHIFT_256 0x40
#define GC_MISC_GRAPHICS 0x01
#define GC_MISC_CHAIN_OE 0x02

/* Attribute controller. */
#define ATTR_MODE 0x10
#define ATTR_OVERSCAN 0x11
#define ATTR_PLANE_ENABLE 0x12
#define ATTR_PANNING 0x13
#define ATTR_COLOR_SELECT 0x14
#define ATTR_INDEX_PAS 0x20
#define ATTR_MODE_GRAPHICS 0x01
#define ATTR_MODE_MONO 0x02
#define ATTR_MODE_LINE_GFX 0x04
#define ATTR_MODE_BLINK 0x08
#define ATTR_MODE_PAN_SPLIT 0x20
#define ATTR_MODE_8BIT 0x40
#define ATTR_MODE_P54 0x80

/* The CRTC timing in character clocks and scan lines. */
typedef struct VgaTiming {
    uint64_t dot_hz;
    unsigned dots_per_char;     /* 8 or 9, doubled when the dot clock is halved */
    unsigned h_total, h_disp;   /* character clocks */
    unsigned v_total, v_disp;   /* scan lines */
    unsigned v_retrace_start;
    uint8_t v_retrace_end;      /* low 4 bits of the line counter that end retrace */
} VgaTiming;

VgaTiming vga_timing(const Vga *vga);
unsigned vga_line_compare(const Vga *vga);
/* The memory address the CRTC puts out for counter value ma on row scan rs. */
uint32_t vga_crtc_address(const Vga *vga, uint32_t ma, unsigned row_scan);
/* Byte offset of character map 0-7 in plane 2. */
uint32_t vga_font_base(unsigned map);
/* The XRGB colour of DAC entry index after the pel mask. */
uint32_t vga_dac_rgb(const Vga *vga, uint8_t index);

uint32_t vga_mem_read(void *opaque, uint32_t offset, unsigned size);
void vga_mem_write(void *opaque, uint32_t offset, uint32_t value, unsigned size);

#endif
