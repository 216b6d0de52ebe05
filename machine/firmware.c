/* SPDX-License-Identifier: MIT */
/*
 * Firmware images: the system BIOS (-bios FILE) mapped at the top of the
 * 4 GiB space, where the CPU fetches its first instruction after RESET, with
 * its last 128 KiB also visible below 1 MiB as on every PC; and an option
 * ROM (-option-rom FILE, e.g. a VGA BIOS) at C0000h that the BIOS finds by
 * its 55AAh signature.  A wrong-sized or unsigned image is refused with one
 * line.
 */
#include "machine_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_BIOS = 256 * 1024, MAX_OPTION_ROM = 128 * 1024, LOW_BIOS_WINDOW = 128 * 1024 };

/* Reads a whole file of at most max bytes; NULL with a reason in err. */
static uint8_t *read_image(const char *path, uint32_t max, uint32_t *size, char *err, size_t err_len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_len, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    uint8_t *buf = malloc((size_t)max + 1);
    size_t n = buf ? fread(buf, 1, (size_t)max + 1, f) : 0;
    bool bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, err_len, "cannot read '%s'", path);
        free(buf);
        return NULL;
    }
    if (n == 0 || n > max) {
        snprintf(err, err_len, "'%s' is %s", path, n == 0 ? "empty" : "too large for a ROM image");
        free(buf);
        return NULL;
    }
    *size = (uint32_t)n;
    return buf;
}

static bool load_bios(Machine *m, char *err, size_t err_len)
{
    uint32_t size;
    uint8_t *image = read_image(m->config.bios_path, MAX_BIOS, &size, err, err_len);
    if (!image)
        return false;
    if (size % (64 * 1024)) {
        snprintf(err, err_len, "'%s' is %u bytes; a BIOS image must be 64, 128, 192 or 256 KiB",
                 m->config.bios_path, size);
        free(image);
        return false;
    }
    m->firmware = image;
    m->firmware_size = size;
    uint32_t low = size < LOW_BIOS_WINDOW ? size : LOW_BIOS_WINDOW;
    phys_add_rom(&m->mem, 0x100000000ull - size, image, size);
    phys_add_rom(&m->mem, 0x100000 - low, image + size - low, low);
    return true;
}

static bool load_option_rom(Machine *m, char *err, size_t err_len)
{
    uint32_t size;
    const char *path = m->config.option_rom_path;
    uint8_t *image = read_image(path, MAX_OPTION_ROM, &size, err, err_len);
    if (!image)
        return false;
    if (size < 3 || image[0] != 0x55 || image[1] != 0xAA) {
        snprintf(err, err_len, "'%s' is not an option ROM (it does not start with 55 AA)", path);
        free(image);
        return false;
    }
    m->option_rom = image;
    m->option_rom_size = size;
    phys_add_rom(&m->mem, 0xC0000, image, size);
    return true;
}

bool firmware_load(Machine *m, char *err, size_t err_len)
{
    if (!m->config.bios_path) {
        snprintf(err, err_len, "no BIOS: give -bios FILE (our own BIOS is not built in yet)");
        return false;
    }
    if (!load_bios(m, err, err_len))
        return false;
    return !m->config.option_rom_path || load_option_rom(m, err, err_len);
}

void firmware_free(Machine *m)
{
    free(m->firmware);
    free(m->option_rom);
    m->firmware = m->option_rom = NULL;
}
