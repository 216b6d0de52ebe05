/* SPDX-License-Identifier: MIT */
/*
 * Power-on self test, the C half (rom.asm has already handled the CMOS
 * shutdown codes and set GS = 0000, FS = A000, DS = B000, ES = EBDA).  In the
 * order of the IBM PC/AT BIOS: interrupt vectors, BIOS data area and EBDA,
 * the 8259 pair (ICW1-4: master at 08h, slave at 70h on IRQ2), PIT channel 0
 * (mode 3, count 0 = 18.2 Hz), serial and parallel ports probed by port I/O,
 * the 8042 self test and keyboard, video mode 03h and the banner, then the
 * disks.  Not done: a memory test, option ROM scan, the x87 probe.
 */
#include <stdio.h>

#include "bios_internal.h"

/* IVT from the ROM's vector list: count, then (first, last, offset) rows. */
static void post_vectors(BiosCtx *c)
{
    const uint8_t *list = bios_rom + ROM_VECTOR_LIST;
    for (unsigned i = 0; i < list[0]; i++) {
        const uint8_t *row = list + 1 + 4 * i;
        uint16_t off = (uint16_t)(row[2] | row[3] << 8);
        for (unsigned v = row[0]; v <= row[1]; v++)
            ivt_wr(c, v, 0xF000, off);
    }
    /* INT 1Ch must exist and return; INT 1Bh likewise (both IRET already). */
    for (unsigned v = 0x60; v <= 0x67; v++)
        ivt_wr(c, v, 0, 0);             /* user vectors: zero, as IBM leaves them */
}

static void post_bda(BiosCtx *c)
{
    uint16_t reset_flag = bda_rd16(c, BDA_RESET_FLAG);
    for (unsigned off = 0; off < 0x100; off += 4)
        bda_wr32(c, off, 0);
    bda_wr16(c, BDA_RESET_FLAG, reset_flag == 0x1234 ? 0x1234 : 0);
    bda_wr16(c, BDA_MEMORY_KB, 639);
    bda_wr16(c, BDA_EBDA_SEG, ROM_EBDA_SEG);
    /* The EBDA (ES in POST): its first byte is its size in KiB. */
    for (unsigned off = 0; off < 0x400; off += 4)
        mem_wr(c, BIOS_ES, off, 0, 4);
    mem_wr(c, BIOS_ES, 0, 1, 1);
}

static void post_pic(BiosCtx *c)
{
    static const uint8_t icw[2][4] = {
        { 0x11, 0x08, 0x04, 0x01 },     /* edge, cascade, ICW4; vectors 08h; slave on IR2; 8086 */
        { 0x11, 0x70, 0x02, 0x01 },     /* vectors 70h; slave id 2 */
    };
    static const uint16_t base[2] = { 0x20, 0xA0 };
    for (int p = 0; p < 2; p++) {
        port_out8(c, base[p], icw[p][0]);
        for (int i = 1; i < 4; i++)
            port_out8(c, base[p] + 1, icw[p][i]);
    }
    port_out8(c, 0x21, 0xFF);
    port_out8(c, 0xA1, 0xFF);
}

static void post_pit(BiosCtx *c)
{
    port_out8(c, 0x43, 0x36);           /* channel 0, lobyte/hibyte, mode 3, binary */
    port_out8(c, 0x40, 0x00);
    port_out8(c, 0x40, 0x00);
    port_out8(c, 0x43, 0xB6);           /* channel 2 (speaker) to a sane 896 Hz */
    port_out8(c, 0x42, 0x33);
    port_out8(c, 0x42, 0x05);
}

/* A UART answers through its scratch register; a printer port latches data. */
static unsigned post_serial_parallel(BiosCtx *c, unsigned *lpts)
{
    static const uint16_t com[4] = { 0x3F8, 0x2F8, 0x3E8, 0x2E8 };
    /* Not 3BCh: on a VGA machine that address belongs to the video adapter. */
    static const uint16_t lpt[2] = { 0x378, 0x278 };
    unsigned n = 0;
    for (int i = 0; i < 4; i++) {
        port_out8(c, com[i] + 7, 0x5A);
        if (port_in8(c, com[i] + 7) != 0x5A)
            continue;
        port_out8(c, com[i] + 7, 0xA5);
        if (port_in8(c, com[i] + 7) != 0xA5)
            continue;
        bda_wr16(c, BDA_COM_BASE + 2 * n, com[i]);
        bda_wr8(c, BDA_COM_TIMEOUT + n, 1);
        n++;
    }
    *lpts = 0;
    for (int i = 0; i < 2; i++) {
        port_out8(c, lpt[i], 0xAA);
        if (port_in8(c, lpt[i]) != 0xAA)
            continue;
        bda_wr16(c, BDA_LPT_BASE + 2 * *lpts, lpt[i]);
        bda_wr8(c, BDA_PRINTER_TIMEOUT + *lpts, 20);
        (*lpts)++;
    }
    return n;
}

/* Equipment word (INT 11h): floppies from CMOS 10h, video 80x25 colour. */
static void post_equipment(BiosCtx *c, unsigned coms, unsigned lpts)
{
    uint8_t fd = cmos_rd(c, 0x10);
    unsigned floppies = ((fd >> 4) ? 1 : 0) + ((fd & 0x0F) ? 1 : 0);
    uint16_t eq = 0x0020;               /* initial video mode: 80x25 colour */
    if (floppies)
        eq |= 0x0001 | (uint16_t)((floppies - 1) << 6);
    if (cmos_rd(c, 0x14) & 0x02)
        eq |= 0x0002;                   /* math coprocessor, as CMOS says */
    eq |= (uint16_t)((coms & 7) << 9);
    eq |= (uint16_t)((lpts & 3) << 14);
    bda_wr16(c, BDA_EQUIPMENT, eq);
}

static void post_rtc(BiosCtx *c)
{
    cmos_wr(c, 0x0A, 0x26);             /* 32.768 kHz time base, 1024 Hz periodic rate */
    uint8_t b = cmos_rd(c, 0x0B);
    cmos_wr(c, 0x0B, (uint8_t)((b & ~0x70) | 0x02));   /* no interrupts yet, 24-hour */
    cmos_rd(c, 0x0C);
    /* The tick count starts at the RTC's time of day, as DOS expects. */
    uint8_t hh = cmos_rd(c, 0x04), mm = cmos_rd(c, 0x02), ss = cmos_rd(c, 0x00);
    if (!(b & 0x04)) {
        hh = (uint8_t)((hh >> 4) * 10 + (hh & 15));
        mm = (uint8_t)((mm >> 4) * 10 + (mm & 15));
        ss = (uint8_t)((ss >> 4) * 10 + (ss & 15));
    }
    uint32_t secs = (uint32_t)hh * 3600 + mm * 60u + ss;
    bda_wr32(c, BDA_TICKS, (uint32_t)((uint64_t)secs * 1193180 / 65536));
}

static void post_banner(BiosCtx *c)
{
    char line[96];
    uint32_t high = cmos_high_64k(c);
    uint32_t ext_kb = high ? 15 * 1024 + high * 64 : cmos_ext_kb(c);
    video_print(c, "Faultline BIOS\r\n");
    snprintf(line, sizeof(line), "Memory: 640K base, %luK extended (%lu MiB total)\r\n",
             (unsigned long)ext_kb, (unsigned long)((ext_kb + 1024) / 1024));
    video_print(c, line);
}

void post_run(BiosCtx *c)
{
    unsigned coms, lpts;
    post_vectors(c);
    post_bda(c);
    post_pic(c);
    post_pit(c);
    coms = post_serial_parallel(c, &lpts);
    post_equipment(c, coms, lpts);
    post_rtc(c);
    keyboard_post(c);
    video_set_mode(c, 0x03);
    post_banner(c);
    pci_post(c);
    floppy_post(c);
    disk_post(c);
    cdrom_post(c);
    /* Unmask the timer, keyboard, cascade, floppy, RTC, mouse and both ATA channels. */
    port_out8(c, 0x21, 0xB8);
    port_out8(c, 0xA1, 0x2E);
}
