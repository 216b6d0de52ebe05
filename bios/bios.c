/* SPDX-License-Identifier: MIT */
/*
 * The dispatcher behind the ROM's trap stubs, and the helpers every service
 * shares: the caller's FLAGS image, the live "wait" signal, CMOS access and
 * one-time logging.  The services themselves live in post.c, video*.c,
 * keyboard.c, disk.c, floppy.c and services.c.
 */
#include "bios_internal.h"

void bios_init(Bios *bios, BusLogFn log, void *log_opaque)
{
    bios->log = log;
    bios->log_opaque = log_opaque;
    bios->logged = 0;
}

void bios_log_once(BiosCtx *c, uint32_t kind, const char *message)
{
    if (!c->bios || (c->bios->logged & kind))
        return;
    c->bios->logged |= kind;
    if (c->bios->log)
        c->bios->log(c->bios->log_opaque, message);
}

void caller_flags(BiosCtx *c, uint16_t mask, uint16_t value)
{
    uint16_t flags = frame_rd(c, ROM_FRAME_FLAGS);
    frame_wr(c, ROM_FRAME_FLAGS, (uint16_t)((flags & ~mask) | (value & mask)));
}

void svc_wait(BiosCtx *c, SvcWait kind)
{
    c->r->eflags &= ~(uint32_t)(FLAG_ZF | FLAG_SF);
    c->r->eflags |= FLAG_CF;
    if (kind == WAIT_FLOPPY_IRQ)
        c->r->eflags |= FLAG_ZF;
    else if (kind == WAIT_NONE)
        c->r->eflags |= FLAG_SF;
}

void svc_done(BiosCtx *c)
{
    c->r->eflags &= ~(uint32_t)FLAG_CF;
}

uint8_t cmos_rd(BiosCtx *c, uint8_t index)
{
    port_out8(c, 0x70, index & 0x7F);
    return port_in8(c, 0x71);
}

void cmos_wr(BiosCtx *c, uint8_t index, uint8_t v)
{
    port_out8(c, 0x70, index & 0x7F);
    port_out8(c, 0x71, v);
}

uint32_t cmos_ext_kb(BiosCtx *c)
{
    uint32_t kb = cmos_rd(c, 0x17) | ((uint32_t)cmos_rd(c, 0x18) << 8);
    if (kb == 0)
        kb = cmos_rd(c, 0x30) | ((uint32_t)cmos_rd(c, 0x31) << 8);
    return kb;
}

uint32_t cmos_high_64k(BiosCtx *c)
{
    return cmos_rd(c, 0x34) | ((uint32_t)cmos_rd(c, 0x35) << 8);
}

void bios_call(Bios *bios, unsigned service, BiosRegs *regs, const BiosBus *bus)
{
    BiosCtx c = { bios, regs, bus };
    /* Services that do not wait leave the live CF clear: "done". */
    svc_done(&c);
    switch (service) {
    case BIOS_SVC_POST: post_run(&c); break;
    case BIOS_SVC_KBD_IRQ: keyboard_irq(&c); break;
    case BIOS_SVC_BOOT_NEXT: boot_next(&c); break;
    case BIOS_SVC_INT10: video_service(&c); break;
    case BIOS_SVC_INT11: misc_int11(&c); break;
    case BIOS_SVC_INT12: misc_int12(&c); break;
    case BIOS_SVC_INT13:
        if (cdrom_int13(&c))
            break;
        if (reg_dl(regs) & 0x80)
            disk_service(&c);
        else
            floppy_service(&c);
        break;
    case BIOS_SVC_INT14: misc_int14(&c); break;
    case BIOS_SVC_INT15: misc_int15(&c); break;
    case BIOS_SVC_INT16: keyboard_service(&c); break;
    case BIOS_SVC_INT17: misc_int17(&c); break;
    case BIOS_SVC_INT1A: misc_int1a(&c); break;
    default:
        bios_log_once(&c, BIOS_LOG_UNIMPLEMENTED, "bios: trap with an unknown service number");
        break;
    }
}
