/* SPDX-License-Identifier: MIT */
/*
 * What the C services share: the call context (state, the caller's
 * registers, the guest-visible bus), byte/word views of the registers,
 * memory and port helpers, the BDA (reached through GS = 0000, which every
 * ROM stub loads before it traps), the caller's FLAGS image in the stub's
 * frame (rom.asm describes it), CMOS access, and the service entry points.
 */
#ifndef FAULTLINE_BIOS_INTERNAL_H
#define FAULTLINE_BIOS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "bios.h"
#include "bios_state.h"

#define SERVICE(name, num) BIOS_SVC_##name = num,
enum BiosService {
#include "services.def"
};
#undef SERVICE
#define ROMSYM(name, value) ROM_##name = value,
enum BiosRomLayout {
#include "layout.def"
};
#undef ROMSYM

enum {
    FLAG_CF = 0x0001, FLAG_ZF = 0x0040, FLAG_SF = 0x0080, FLAG_IF = 0x0200,
};

/* BIOS Data Area offsets (segment 0040h), IBM PC/AT Technical Reference. */
enum {
    BDA_COM_BASE = 0x00, BDA_LPT_BASE = 0x08, BDA_EBDA_SEG = 0x0E, BDA_EQUIPMENT = 0x10,
    BDA_MEMORY_KB = 0x13, BDA_KBD_FLAGS0 = 0x17, BDA_KBD_FLAGS1 = 0x18, BDA_KBD_ALT_KEYPAD = 0x19,
    BDA_KBD_HEAD = 0x1A, BDA_KBD_TAIL = 0x1C, BDA_KBD_BUFFER = 0x1E,
    BDA_FD_RECAL = 0x3E, BDA_FD_MOTOR = 0x3F, BDA_FD_MOTOR_TIMEOUT = 0x40, BDA_FD_STATUS = 0x41,
    BDA_FD_RESULT = 0x42,
    BDA_VIDEO_MODE = 0x49, BDA_VIDEO_COLS = 0x4A, BDA_VIDEO_PAGE_SIZE = 0x4C,
    BDA_VIDEO_PAGE_START = 0x4E, BDA_CURSOR_POS = 0x50, BDA_CURSOR_SHAPE = 0x60,
    BDA_VIDEO_PAGE = 0x62, BDA_CRTC_PORT = 0x63, BDA_VIDEO_MSR = 0x65, BDA_VIDEO_CGA_PAL = 0x66,
    BDA_RESET_PTR = 0x67, BDA_TICKS = 0x6C, BDA_MIDNIGHT = 0x70, BDA_BREAK = 0x71,
    BDA_RESET_FLAG = 0x72, BDA_HD_STATUS = 0x74, BDA_HD_COUNT = 0x75,
    BDA_PRINTER_TIMEOUT = 0x78, BDA_COM_TIMEOUT = 0x7C,
    BDA_KBD_START = 0x80, BDA_KBD_END = 0x82, BDA_VIDEO_ROWS = 0x84, BDA_CHAR_HEIGHT = 0x85,
    BDA_VIDEO_CTL = 0x87, BDA_VIDEO_SWITCHES = 0x88, BDA_VIDEO_MODESET = 0x89, BDA_VIDEO_DCC = 0x8A,
    BDA_FD_MEDIA = 0x90, BDA_FD_TRACK = 0x94,
    BDA_KBD_FLAGS3 = 0x96, BDA_KBD_FLAGS2 = 0x97,
    BDA_WAIT_FLAG_PTR = 0x98, BDA_WAIT_COUNT = 0x9C, BDA_WAIT_ACTIVE = 0xA0,
    BDA_VIDEO_SAVE_PTR = 0xA8,
};

typedef struct BiosCtx {
    Bios *bios;
    BiosRegs *r;
    const BiosBus *bus;
} BiosCtx;

static inline uint8_t reg_ah(const BiosRegs *r) { return (uint8_t)(r->eax >> 8); }
static inline uint8_t reg_al(const BiosRegs *r) { return (uint8_t)r->eax; }
static inline uint8_t reg_bh(const BiosRegs *r) { return (uint8_t)(r->ebx >> 8); }
static inline uint8_t reg_bl(const BiosRegs *r) { return (uint8_t)r->ebx; }
static inline uint8_t reg_ch(const BiosRegs *r) { return (uint8_t)(r->ecx >> 8); }
static inline uint8_t reg_cl(const BiosRegs *r) { return (uint8_t)r->ecx; }
static inline uint8_t reg_dh(const BiosRegs *r) { return (uint8_t)(r->edx >> 8); }
static inline uint8_t reg_dl(const BiosRegs *r) { return (uint8_t)r->edx; }
static inline uint16_t reg_ax(const BiosRegs *r) { return (uint16_t)r->eax; }
static inline uint16_t reg_bx(const BiosRegs *r) { return (uint16_t)r->ebx; }
static inline uint16_t reg_cx(const BiosRegs *r) { return (uint16_t)r->ecx; }
static inline uint16_t reg_dx(const BiosRegs *r) { return (uint16_t)r->edx; }

static inline void set_lo8(uint32_t *reg, uint8_t v) { *reg = (*reg & ~0xFFu) | v; }
static inline void set_hi8(uint32_t *reg, uint8_t v) { *reg = (*reg & ~0xFF00u) | ((uint32_t)v << 8); }
static inline void set_lo16(uint32_t *reg, uint16_t v) { *reg = (*reg & ~0xFFFFu) | v; }

/* Guest memory through the caller's segments, as x86 code would reach it. */
static inline uint32_t mem_rd(BiosCtx *c, unsigned seg, uint32_t off, unsigned size)
{
    return c->bus->read(c->bus->ctx, seg, off, size);
}
static inline void mem_wr(BiosCtx *c, unsigned seg, uint32_t off, uint32_t v, unsigned size)
{
    c->bus->write(c->bus->ctx, seg, off, v, size);
}
static inline uint8_t port_in8(BiosCtx *c, uint16_t port) { return (uint8_t)c->bus->in(c->bus->ctx, port, 1); }
static inline uint16_t port_in16(BiosCtx *c, uint16_t port) { return (uint16_t)c->bus->in(c->bus->ctx, port, 2); }
static inline void port_out8(BiosCtx *c, uint16_t port, uint8_t v) { c->bus->out(c->bus->ctx, port, v, 1); }
static inline void port_out16(BiosCtx *c, uint16_t port, uint16_t v) { c->bus->out(c->bus->ctx, port, v, 2); }

/* The BDA: GS = 0000 in every stub, so 40:xx is GS:04xx. */
static inline uint8_t bda_rd8(BiosCtx *c, unsigned off) { return (uint8_t)mem_rd(c, BIOS_GS, 0x400 + off, 1); }
static inline uint16_t bda_rd16(BiosCtx *c, unsigned off) { return (uint16_t)mem_rd(c, BIOS_GS, 0x400 + off, 2); }
static inline uint32_t bda_rd32(BiosCtx *c, unsigned off) { return mem_rd(c, BIOS_GS, 0x400 + off, 4); }
static inline void bda_wr8(BiosCtx *c, unsigned off, uint8_t v) { mem_wr(c, BIOS_GS, 0x400 + off, v, 1); }
static inline void bda_wr16(BiosCtx *c, unsigned off, uint16_t v) { mem_wr(c, BIOS_GS, 0x400 + off, v, 2); }
static inline void bda_wr32(BiosCtx *c, unsigned off, uint32_t v) { mem_wr(c, BIOS_GS, 0x400 + off, v, 4); }

/* Interrupt vector n (far pointer, offset in the low word). */
static inline uint32_t ivt_rd(BiosCtx *c, unsigned n) { return mem_rd(c, BIOS_GS, n * 4, 4); }
static inline void ivt_wr(BiosCtx *c, unsigned n, uint16_t seg, uint16_t off)
{
    mem_wr(c, BIOS_GS, n * 4, ((uint32_t)seg << 16) | off, 4);
}

/* The stub's frame on the caller's stack (rom.asm). */
static inline uint16_t frame_rd(BiosCtx *c, unsigned off) { return (uint16_t)mem_rd(c, BIOS_SS, (c->r->esp + off) & 0xFFFF, 2); }
static inline void frame_wr(BiosCtx *c, unsigned off, uint16_t v) { mem_wr(c, BIOS_SS, (c->r->esp + off) & 0xFFFF, v, 2); }
static inline uint16_t svc_phase(BiosCtx *c) { return frame_rd(c, ROM_FRAME_PHASE); }
static inline void svc_set_phase(BiosCtx *c, uint16_t v) { frame_wr(c, ROM_FRAME_PHASE, v); }

/* Result flags in the caller's FLAGS image, returned by the stub's IRET. */
void caller_flags(BiosCtx *c, uint16_t mask, uint16_t value);
static inline void caller_cf(BiosCtx *c, bool set) { caller_flags(c, FLAG_CF, set ? FLAG_CF : 0); }
/* The live flags after the trap: the stub's "wait, then call again" signal. */
typedef enum SvcWait { WAIT_INTERRUPT, WAIT_FLOPPY_IRQ, WAIT_NONE } SvcWait;
void svc_wait(BiosCtx *c, SvcWait kind);
void svc_done(BiosCtx *c);
/* A segment returned in ES: the stub pops ES from its frame. */
static inline void svc_return_es(BiosCtx *c, uint16_t seg) { frame_wr(c, ROM_FRAME_ES, seg); }

/* CMOS (MC146818 + AT extension) through ports 70h/71h, NMI left enabled. */
uint8_t cmos_rd(BiosCtx *c, uint8_t index);
void cmos_wr(BiosCtx *c, uint8_t index, uint8_t v);

enum { BIOS_LOG_UNIMPLEMENTED = 1, BIOS_LOG_DISK = 2, BIOS_LOG_VIDEO = 4 };
void bios_log_once(BiosCtx *c, uint32_t kind, const char *message);

/* Memory above 1 MiB in KiB, from CMOS 17h/18h (or 30h/31h) and 34h/35h. */
uint32_t cmos_ext_kb(BiosCtx *c);
uint32_t cmos_high_64k(BiosCtx *c);

/* Services (one per file group). */
void post_run(BiosCtx *c);
void video_service(BiosCtx *c);
void video_set_mode(BiosCtx *c, uint8_t mode);
void video_teletype(BiosCtx *c, uint8_t ch, uint8_t page, uint8_t attr);
void video_print(BiosCtx *c, const char *text);
void keyboard_irq(BiosCtx *c);
void keyboard_service(BiosCtx *c);
void keyboard_post(BiosCtx *c);
void disk_service(BiosCtx *c);
void disk_post(BiosCtx *c);
void floppy_service(BiosCtx *c);
void floppy_post(BiosCtx *c);
void cdrom_post(BiosCtx *c);            /* cdrom.c: find the ATAPI CD-ROM */
bool cdrom_bootable(BiosCtx *c);        /* cdrom.c: a drive with an El Torito disc */
bool cdrom_boot(BiosCtx *c);            /* cdrom.c: El Torito, for INT 19h */
bool cdrom_int13(BiosCtx *c);           /* cdrom_int13.c: true when it served the call */
void boot_next(BiosCtx *c);
void misc_int11(BiosCtx *c);
void misc_int12(BiosCtx *c);
void misc_int14(BiosCtx *c);
void misc_int15(BiosCtx *c);
void misc_int17(BiosCtx *c);
void mouse_service(BiosCtx *c);
void misc_int1a(BiosCtx *c);
void pci_bios_service(BiosCtx *c);     /* INT 1Ah AH=B1h (pcibios.c) */
void pci_post(BiosCtx *c);             /* POST's PCI set-up: IDE decode on (pcibios.c) */

#endif
