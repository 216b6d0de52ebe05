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
    pci_vga_set_rom(&m->pci_vga, image, size);     /* and behind the PCI VGA's ROM BAR */
    return true;
}

/* ---- our BIOS: the bridge between its trap stubs and its C services ---- */

static uint32_t bridge_read(void *ctx, unsigned seg, uint32_t offset, unsigned size)
{
    return cpu_guest_read(ctx, (int)seg, offset, size);
}

static void bridge_write(void *ctx, unsigned seg, uint32_t offset, uint32_t value, unsigned size)
{
    cpu_guest_write(ctx, (int)seg, offset, value, size);
}

static uint32_t bridge_in(void *ctx, uint16_t port, unsigned size)
{
    return cpu_guest_in(ctx, port, size);
}

static void bridge_out(void *ctx, uint16_t port, uint32_t value, unsigned size)
{
    cpu_guest_out(ctx, port, value, size);
}

static bool bridge_phys_copy(void *ctx, uint64_t dst, uint64_t src, uint32_t len)
{
    Cpu *cpu = ctx;
    if (cpu->cr0 & CR0_PE)
        return false;
    uint8_t chunk[512];
    for (uint32_t done = 0; done < len; done += sizeof(chunk)) {
        uint32_t n = len - done < sizeof(chunk) ? len - done : (uint32_t)sizeof(chunk);
        phys_read_block(cpu->mem, src + done, chunk, n);
        phys_write_block(cpu->mem, dst + done, chunk, n);
    }
    return true;
}

/* The flags a service may return in: CF PF AF ZF SF IF DF OF. */
#define BIOS_RESULT_FLAGS 0x0ED5u

/*
 * Runs the service on a copy of the caller's registers and commits the copy
 * only when the service returns: a fault inside it unwinds past this
 * function and the trap instruction restarts with nothing changed.
 */
static void bios_trap(void *opaque, Cpu *cpu, uint8_t service)
{
    Machine *m = opaque;
    BiosRegs r = {
        .eax = cpu->gpr[REG_EAX], .ecx = cpu->gpr[REG_ECX], .edx = cpu->gpr[REG_EDX],
        .ebx = cpu->gpr[REG_EBX], .esp = cpu->gpr[REG_ESP], .ebp = cpu->gpr[REG_EBP],
        .esi = cpu->gpr[REG_ESI], .edi = cpu->gpr[REG_EDI], .eip = cpu->eip,
        .eflags = cpu_get_eflags(cpu),
        .es = cpu->seg[SEG_ES].sel, .cs = cpu->seg[SEG_CS].sel, .ss = cpu->seg[SEG_SS].sel,
        .ds = cpu->seg[SEG_DS].sel, .fs = cpu->seg[SEG_FS].sel, .gs = cpu->seg[SEG_GS].sel,
    };
    const BiosRegs before = r;
    BiosBus bus = { .ctx = cpu, .read = bridge_read, .write = bridge_write, .in = bridge_in,
                    .out = bridge_out, .phys_copy = bridge_phys_copy };
    bios_call(&m->bios, service, &r, &bus);
    const uint32_t gpr[8] = { r.eax, r.ecx, r.edx, r.ebx, r.esp, r.ebp, r.esi, r.edi };
    memcpy(cpu->gpr, gpr, sizeof(gpr));
    cpu->eip = r.eip;
    cpu_set_eflags(cpu, (cpu_get_eflags(cpu) & ~BIOS_RESULT_FLAGS) | (r.eflags & BIOS_RESULT_FLAGS));
    /* Segment registers are loaded as real mode and V86 mode load them
     * (base = selector * 16); in protected mode a service cannot change them. */
    const uint16_t old_sel[SEG_COUNT] = { before.es, before.cs, before.ss, before.ds, before.fs, before.gs };
    const uint16_t new_sel[SEG_COUNT] = { r.es, r.cs, r.ss, r.ds, r.fs, r.gs };
    for (int i = 0; i < SEG_COUNT; i++)
        if (new_sel[i] != old_sel[i] && (!(cpu->cr0 & CR0_PE) || (cpu->eflags & EFLAGS_VM)))
            cpu_load_segment_real(cpu, i, new_sel[i]);
}

static void load_our_bios(Machine *m)
{
    phys_add_rom(&m->mem, 0x100000000ull - BIOS_ROM_SIZE, bios_rom, BIOS_ROM_SIZE);
    phys_add_rom(&m->mem, BIOS_ROM_BASE, bios_rom, BIOS_ROM_SIZE);
    bios_init(&m->bios, m->config.log, m->config.host_opaque);
    m->cpu.firmware_trap = bios_trap;
    m->cpu.firmware_opaque = m;
    m->cpu.firmware_lo = BIOS_ROM_BASE;
    m->cpu.firmware_hi = BIOS_ROM_BASE + BIOS_ROM_SIZE;
}

bool firmware_load(Machine *m, char *err, size_t err_len)
{
    if (!m->config.bios_path)
        load_our_bios(m);
    else if (!load_bios(m, err, err_len))
        return false;
    return !m->config.option_rom_path || load_option_rom(m, err, err_len);
}

void firmware_free(Machine *m)
{
    free(m->firmware);
    free(m->option_rom);
    m->firmware = m->option_rom = NULL;
}
