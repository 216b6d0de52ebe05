/* SPDX-License-Identifier: MIT */
/*
 * CMOS contents at power-on.  Register numbers follow the IBM AT technical
 * reference (10h-2Fh, checksummed) and the Bochs/QEMU additions above it
 * (30h-31h, 34h-35h memory sizes, 38h and 3Dh boot order, 39h translation).
 */
#include "cmos_setup.h"

#include <string.h>

enum {
    CMOS_SHUTDOWN = 0x0F, CMOS_FLOPPY = 0x10, CMOS_DISK_TYPES = 0x12, CMOS_EQUIPMENT = 0x14,
    CMOS_BASE_MEM_LO = 0x15, CMOS_EXT_MEM_LO = 0x17, CMOS_DISK0_EXT_TYPE = 0x19,
    CMOS_DISK0_PARAMS = 0x1B, CMOS_DISK1_PARAMS = 0x24, CMOS_EXT_MEM2_LO = 0x30,
    CMOS_HIGH_MEM_LO = 0x34, CMOS_BOOT_THIRD = 0x38, CMOS_TRANSLATION = 0x39, CMOS_BOOT_ORDER = 0x3D,
};

uint8_t cmos_floppy_type_for_size(uint64_t bytes)
{
    switch (bytes) {
    case 368640: return CMOS_FLOPPY_360K;
    case 737280: return CMOS_FLOPPY_720K;
    case 1228800: return CMOS_FLOPPY_1M2;
    case 1474560: return CMOS_FLOPPY_1M44;
    case 2949120: return CMOS_FLOPPY_2M88;
    default: return CMOS_FLOPPY_NONE;
    }
}

static uint8_t boot_code(char letter)
{
    return letter == 'a' ? 1 : letter == 'c' ? 2 : letter == 'd' ? 3 : 0;
}

bool cmos_boot_order_valid(const char *order)
{
    size_t n = strlen(order);
    if (n == 0 || n > 3)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!boot_code(order[i]))
            return false;
    return true;
}

static void set16(Mc146818 *rtc, uint8_t index, uint32_t value)
{
    if (value > 0xFFFF)
        value = 0xFFFF;
    mc146818_set_nvram(rtc, index, (uint8_t)value);
    mc146818_set_nvram(rtc, (uint8_t)(index + 1), (uint8_t)(value >> 8));
}

/* AT "user defined" type 47 parameters: cylinders, heads, precomp, control, landing zone, sectors. */
static void set_disk_params(Mc146818 *rtc, uint8_t base, const CmosDisk *d)
{
    uint32_t cyl = d->cylinders > 16383 ? 16383 : d->cylinders;
    set16(rtc, base, cyl);
    mc146818_set_nvram(rtc, (uint8_t)(base + 2), d->heads);
    set16(rtc, (uint8_t)(base + 3), 0xFFFF);            /* no write precompensation */
    mc146818_set_nvram(rtc, (uint8_t)(base + 5), d->heads > 8 ? 0x08 : 0x00);
    set16(rtc, (uint8_t)(base + 6), cyl);
    mc146818_set_nvram(rtc, (uint8_t)(base + 8), d->sectors);
}

static void setup_memory(Mc146818 *rtc, uint64_t ram)
{
    uint64_t above_1m_kib = ram > (1u << 20) ? (ram - (1u << 20)) >> 10 : 0;
    set16(rtc, CMOS_BASE_MEM_LO, 640);
    set16(rtc, CMOS_EXT_MEM_LO, (uint32_t)(above_1m_kib > 0xFFFF ? 0xFFFF : above_1m_kib));
    set16(rtc, CMOS_EXT_MEM2_LO, (uint32_t)(above_1m_kib > 0xFFFF ? 0xFFFF : above_1m_kib));
    uint64_t above_16m = ram > (16u << 20) ? (ram - (16u << 20)) >> 16 : 0;
    set16(rtc, CMOS_HIGH_MEM_LO, (uint32_t)above_16m);
}

static void setup_boot_order(Mc146818 *rtc, const char *order)
{
    uint8_t codes[3] = { 0, 0, 0 };
    for (size_t i = 0; order && order[i] && i < 3; i++)
        codes[i] = boot_code(order[i]);
    mc146818_set_nvram(rtc, CMOS_BOOT_ORDER, (uint8_t)(codes[0] | codes[1] << 4));
    /* Bit 0 set: the Bochs BIOS skips its floppy boot-signature check. */
    mc146818_set_nvram(rtc, CMOS_BOOT_THIRD, (uint8_t)(codes[2] << 4 | 0x01));
}

void cmos_setup(Mc146818 *rtc, const CmosConfig *cfg)
{
    mc146818_set_nvram(rtc, CMOS_SHUTDOWN, 0);
    mc146818_set_nvram(rtc, CMOS_FLOPPY, (uint8_t)(cfg->floppy_type[0] << 4 | cfg->floppy_type[1]));
    int floppies = (cfg->floppy_type[0] != 0) + (cfg->floppy_type[1] != 0);
    /* Equipment: floppies present and count-1 in bits 6-7, an x87, EGA/VGA display (00). */
    uint8_t equipment = (uint8_t)((floppies ? 0x01 | (floppies - 1) << 6 : 0) | (cfg->fpu ? 0x02 : 0));
    mc146818_set_nvram(rtc, CMOS_EQUIPMENT, equipment);
    setup_memory(rtc, cfg->ram_bytes);
    uint8_t types = 0, translation = 0;
    for (int i = 0; i < 2; i++) {
        if (!cfg->disk[i].present)
            continue;
        types |= (uint8_t)(i == 0 ? 0xF0 : 0x0F);       /* type 15: see the extended type byte */
        mc146818_set_nvram(rtc, (uint8_t)(CMOS_DISK0_EXT_TYPE + i), 47);
        set_disk_params(rtc, i == 0 ? CMOS_DISK0_PARAMS : CMOS_DISK1_PARAMS, &cfg->disk[i]);
        translation |= (uint8_t)(1 << (2 * i));         /* LBA translation */
    }
    mc146818_set_nvram(rtc, CMOS_DISK_TYPES, types);
    mc146818_set_nvram(rtc, CMOS_TRANSLATION, translation);
    setup_boot_order(rtc, cfg->boot_order);
    mc146818_update_checksum(rtc);
}
