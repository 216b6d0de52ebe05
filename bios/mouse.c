/* SPDX-License-Identifier: MIT */
/*
 * INT 15h AH=C2h, the PS/2 pointing device interface of the IBM PS/2 BIOS:
 * enable/disable (00h), reset (01h), sample rate (02h), resolution (03h),
 * device type (04h), initialise (05h), status and scaling (06h) and the far
 * handler (07h) that the IRQ12 code in rom.asm calls with each packet.  The
 * mouse is reached through the 8042 (D4h: next byte to the auxiliary port)
 * and its answers are polled (bounded) from port 60h while the auxiliary
 * bit of the status register says they are the mouse's.  State lives in the
 * EBDA (FS = EBDA in the INT 15h stub): handler at 22h, packet index 26h,
 * flags 27h (bit 7 handler installed, bits 0-2 packet size), packet 28h.
 * Not modelled: packet sizes other than 3 are accepted but the handler is
 * always given the first three bytes.
 */
#include "bios_internal.h"

enum {
    EBDA_MOUSE_HANDLER = 0x22, EBDA_MOUSE_INDEX = 0x26, EBDA_MOUSE_FLAGS = 0x27,
    MOUSE_HANDLER_SET = 0x80,
    ERR_INVALID_FUNCTION = 0x01, ERR_INVALID_INPUT = 0x02, ERR_INTERFACE = 0x03,
    ERR_NO_HANDLER = 0x05,
    KBC_OBF = 0x01, KBC_IBF = 0x02, KBC_AUX = 0x20,
    CCB_INT2 = 0x02, CCB_AUX_DISABLE = 0x20,
};

static void kbc_wait_input(BiosCtx *c)
{
    for (int i = 0; i < 4096 && (port_in8(c, 0x64) & KBC_IBF); i++)
        ;
}

/* The next byte the mouse sends, or -1; keyboard bytes met on the way are dropped. */
static int aux_read(BiosCtx *c)
{
    for (int i = 0; i < 4096; i++) {
        uint8_t st = port_in8(c, 0x64);
        if (!(st & KBC_OBF))
            continue;
        uint8_t v = port_in8(c, 0x60);
        if (st & KBC_AUX)
            return v;
    }
    return -1;
}

/* Sends a byte to the mouse; true when it answered FAh (acknowledge). */
static bool aux_send(BiosCtx *c, uint8_t v)
{
    kbc_wait_input(c);
    port_out8(c, 0x64, 0xD4);
    kbc_wait_input(c);
    port_out8(c, 0x60, v);
    return aux_read(c) == 0xFA;
}

static void set_ccb(BiosCtx *c, uint8_t set, uint8_t clear)
{
    kbc_wait_input(c);
    port_out8(c, 0x64, 0x20);
    int ccb = -1;
    for (int i = 0; i < 4096 && ccb < 0; i++)
        if (port_in8(c, 0x64) & KBC_OBF)
            ccb = port_in8(c, 0x60);
    if (ccb < 0)
        return;
    kbc_wait_input(c);
    port_out8(c, 0x64, 0x60);
    kbc_wait_input(c);
    port_out8(c, 0x60, (uint8_t)((ccb & ~clear) | set));
}

static void result(BiosCtx *c, uint8_t status)
{
    set_hi8(&c->r->eax, status);
    caller_cf(c, status != 0);
}

static uint8_t mouse_flags(BiosCtx *c)
{
    return (uint8_t)mem_rd(c, BIOS_FS, EBDA_MOUSE_FLAGS, 1);
}

static void enable(BiosCtx *c, bool on)
{
    if (on && !(mouse_flags(c) & MOUSE_HANDLER_SET)) {
        result(c, ERR_NO_HANDLER);
        return;
    }
    mem_wr(c, BIOS_FS, EBDA_MOUSE_INDEX, 0, 1);
    if (on)
        set_ccb(c, CCB_INT2, CCB_AUX_DISABLE);
    bool ok = aux_send(c, on ? 0xF4 : 0xF5);
    if (!on)
        set_ccb(c, 0, CCB_INT2);
    result(c, ok ? 0 : ERR_INTERFACE);
}

static void reset(BiosCtx *c)
{
    set_ccb(c, 0, CCB_AUX_DISABLE | CCB_INT2);
    if (!aux_send(c, 0xFF)) {
        result(c, ERR_INTERFACE);
        return;
    }
    int bat = aux_read(c), id = aux_read(c);
    mem_wr(c, BIOS_FS, EBDA_MOUSE_INDEX, 0, 1);
    set_lo16(&c->r->ebx, (uint16_t)((id < 0 ? 0 : id) << 8 | (bat < 0 ? 0 : bat)));
    result(c, bat == 0xAA ? 0 : ERR_INTERFACE);
}

static void status_or_scaling(BiosCtx *c)
{
    BiosRegs *r = c->r;
    if (reg_bh(r) == 1 || reg_bh(r) == 2) {
        result(c, aux_send(c, reg_bh(r) == 1 ? 0xE6 : 0xE7) ? 0 : ERR_INTERFACE);
        return;
    }
    if (reg_bh(r) != 0) {
        result(c, ERR_INVALID_INPUT);
        return;
    }
    if (!aux_send(c, 0xE9)) {
        result(c, ERR_INTERFACE);
        return;
    }
    int s[3];
    for (int i = 0; i < 3; i++)
        s[i] = aux_read(c);
    set_lo8(&r->ebx, (uint8_t)s[0]);
    set_lo8(&r->ecx, (uint8_t)s[1]);
    set_lo8(&r->edx, (uint8_t)s[2]);
    result(c, s[2] < 0 ? ERR_INTERFACE : 0);
}

void mouse_service(BiosCtx *c)
{
    static const uint8_t rates[7] = { 10, 20, 40, 60, 80, 100, 200 };
    BiosRegs *r = c->r;
    uint8_t bh = reg_bh(r);
    switch (reg_al(r)) {
    case 0x00: enable(c, bh != 0); break;
    case 0x01: reset(c); break;
    case 0x02:
        if (bh > 6)
            result(c, ERR_INVALID_INPUT);
        else
            result(c, aux_send(c, 0xF3) && aux_send(c, rates[bh]) ? 0 : ERR_INTERFACE);
        break;
    case 0x03:
        if (bh > 3)
            result(c, ERR_INVALID_INPUT);
        else
            result(c, aux_send(c, 0xE8) && aux_send(c, bh) ? 0 : ERR_INTERFACE);
        break;
    case 0x04: {
        int id = aux_send(c, 0xF2) ? aux_read(c) : -1;
        set_hi8(&r->ebx, (uint8_t)(id < 0 ? 0 : id));
        result(c, id < 0 ? ERR_INTERFACE : 0);
        break;
    }
    case 0x05:
        if (bh < 1 || bh > 8) {
            result(c, ERR_INVALID_INPUT);
            break;
        }
        mem_wr(c, BIOS_FS, EBDA_MOUSE_FLAGS, (uint8_t)((mouse_flags(c) & MOUSE_HANDLER_SET) | (bh < 3 ? 3 : bh > 7 ? 7 : bh)), 1);
        mem_wr(c, BIOS_FS, EBDA_MOUSE_INDEX, 0, 1);
        result(c, aux_send(c, 0xF5) && aux_send(c, 0xF6) ? 0 : ERR_INTERFACE);
        break;
    case 0x06: status_or_scaling(c); break;
    case 0x07: {
        uint32_t handler = (uint32_t)r->es << 16 | reg_bx(r);
        uint8_t flags = mouse_flags(c);
        if ((flags & 7) == 0)
            flags |= 3;
        mem_wr(c, BIOS_FS, EBDA_MOUSE_HANDLER, handler, 4);
        mem_wr(c, BIOS_FS, EBDA_MOUSE_FLAGS, handler ? flags | MOUSE_HANDLER_SET : flags & ~MOUSE_HANDLER_SET, 1);
        result(c, 0);
        break;
    }
    default:
        result(c, ERR_INVALID_FUNCTION);
        break;
    }
}
