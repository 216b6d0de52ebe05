/* SPDX-License-Identifier: MIT */
/*
 * The AT-compatible board: which chip sits at which port and IRQ, and the
 * wires between chips (PIT channel 2 and port 61h, the 8042's A20 and reset
 * lines, the floppy controller's DMA channel, the PICs to the CPU).  Port
 * and IRQ assignments are the IBM PC/AT ones.
 */
#include "machine_internal.h"

#include <stdio.h>
#include <string.h>

#include "cmos_setup.h"

static const uint16_t com_base[MACHINE_COM_PORTS] = { 0x3F8, 0x2F8, 0x3E8, 0x2E8 };
static const int com_irq[MACHINE_COM_PORTS] = { 4, 3, 4, 3 };

static void kbc_set_a20(void *opaque, bool enabled)
{
    Machine *m = opaque;
    m->a20_kbc = enabled;
    cpu_set_a20(&m->cpu, m->a20_kbc || m->a20_port92);
}

static void port92_set_a20(void *opaque, bool enabled)
{
    Machine *m = opaque;
    m->a20_port92 = enabled;
    cpu_set_a20(&m->cpu, m->a20_kbc || m->a20_port92);
}

/* The 8042's and port 92h's reset lines reset the CPU only: the chips keep
 * their state, which is how a BIOS tells a warm boot from a cold one. */
static void request_reset(void *opaque)
{
    Machine *m = opaque;
    m->reset_requested = true;
    m->cpu.stop_requested = true;
}

static void cpu_intr(void *ctx, int line, int level)
{
    /* The CPU polls the PICs at instruction boundaries; nothing to latch here. */
}

static void dma_mem_read(void *opaque, uint64_t phys, void *dst, size_t n)
{
    phys_read_block(opaque, phys, dst, n);
}

static void dma_mem_write(void *opaque, uint64_t phys, const void *src, size_t n)
{
    phys_write_block(opaque, phys, src, n);
}

static void serial_out(void *opaque, uint8_t ch)
{
    ComPort *port = opaque;
    const MachineConfig *c = &port->m->config;
    if (c->serial_out)
        c->serial_out(c->host_opaque, port->index, ch);
}

static void post_code(void *opaque, uint8_t code)
{
    Machine *m = opaque;
    char line[32];
    snprintf(line, sizeof(line), "POST code %02Xh", code);
    m->config.log(m->config.host_opaque, line);
}

static bool open_disks(Machine *m, char *err, size_t err_len)
{
    const MachineConfig *c = &m->config;
    const char *floppies[2] = { c->fda, c->fdb };
    const char *disks[4] = { c->hda, c->hdb, NULL, NULL };
    for (int i = 0; i < 2; i++)
        if (floppies[i] && !disk_image_open(&m->floppy[i], floppies[i], DISK_FLOPPY, c->snapshot, false, err, err_len))
            return false;
    if (!c->fda && c->fda_data && !disk_image_from_memory(&m->floppy[0], c->fda_data, c->fda_data_size, 1474560)) {
        snprintf(err, err_len, "the built-in floppy does not fit in 1.44 MB");
        return false;
    }
    for (int i = 0; i < 4; i++)
        if (disks[i] && !disk_image_open(&m->disk[i], disks[i], DISK_HARD, c->snapshot, false, err, err_len))
            return false;
    if (c->cdrom && !disk_image_open(&m->cdrom_image, c->cdrom, DISK_CDROM, false, true, err, err_len))
        return false;
    return true;
}

static BlockDev *disk_dev(Machine *m, int i)
{
    return m->disk[i].file ? &m->disk[i].dev : NULL;
}

static void setup_cmos(Machine *m)
{
    CmosConfig cc = { .ram_bytes = m->config.ram_bytes, .boot_order = m->config.boot_order,
                      .fpu = cpu_model_has_fpu(m->cpu.model) };
    for (int i = 0; i < 2; i++)
        if (disk_image_present(&m->floppy[i]))
            cc.floppy_type[i] = cmos_floppy_type_for_size(m->floppy[i].dev.sectors * 512);
    for (int i = 0; i < 2; i++) {
        if (!m->disk[i].file)
            continue;
        uint16_t cyls, heads, spt;
        ata_default_geometry(m->disk[i].dev.sectors, &cyls, &heads, &spt);
        cc.disk[i] = (CmosDisk){ .present = true, .cylinders = cyls, .heads = (uint8_t)heads,
                                 .sectors = (uint8_t)spt };
    }
    cmos_setup(&m->rtc, &cc);
}

/* Maps every chip; false only on an emulator bug (overlapping windows). */
static bool map_all(Machine *m)
{
    bool ok = debugports_map(&m->debug, &m->ports) && postcode_map(&m->post, &m->ports) &&
              pic_pair_map(&m->pics, &m->ports) && i8254_map(&m->pit, &m->ports) &&
              port61_map(&m->port61, &m->ports) && mc146818_map(&m->rtc, &m->ports) &&
              i8042_map(&m->kbc, &m->ports) && port92_map(&m->port92, &m->ports) &&
              vga_map(&m->vga, &m->ports, &m->mem.mmio) && i8237_map(&m->dma, &m->ports) &&
              fdc_map(&m->fdc, &m->ports) && ata_map(&m->ata[0], &m->ports, 0x1F0, 0x3F6) &&
              ata_map(&m->ata[1], &m->ports, 0x170, 0x376) && ferr_latch_map(&m->ferr, &m->ports);
    for (int i = 0; i < MACHINE_COM_PORTS; i++)
        ok = ok && uart16550_map(&m->com[i], &m->ports, com_base[i]);
    return ok;
}

/* ---- PCI chipset: i440FX host bridge 00:00.0, PIIX3 00:01.0/00:01.1, VGA 00:02.0 ---- */

static void pam_route(void *opaque, uint32_t base, uint32_t size, unsigned mode)
{
    unsigned shadow = ((mode & PAM_RE) ? SHADOW_READ_RAM : 0) | ((mode & PAM_WE) ? SHADOW_WRITE_RAM : 0);
    phys_set_shadow(opaque, base, size, shadow);
}

/* PAM changed what C0000h-FFFFFh is: drop the CPU's cached host pointers.
 * Re-asserting the A20 gate is the public call that flushes the TLB and the
 * fetch page. */
static void memory_remapped(void *opaque)
{
    Machine *m = opaque;
    cpu_flush_translations(&m->cpu);
}

static bool pci_chipset_init(Machine *m)
{
    pci_bus_init(&m->pci, request_reset, m);
    m->mem.remap = memory_remapped;
    m->mem.remap_opaque = m;
    bool ok = i440fx_init(&m->i440fx, &m->pci, (I440fxHostOps){ pam_route, &m->mem }) &&
              piix3_init(&m->piix3, &m->pci, &m->pics) && pci_vga_init(&m->pci_vga, &m->pci, &m->mem.mmio);
    m->pci_vga.log = m->config.log;
    m->pci_vga.log_opaque = m->config.host_opaque;
    return ok && pci_bus_map(&m->pci, &m->ports) && piix3_map(&m->piix3, &m->ports);
}

static void pci_chipset_reset(Machine *m)
{
    pci_bus_reset(&m->pci);
    i440fx_reset(&m->i440fx);
    piix3_reset(&m->piix3);
    pci_vga_reset(&m->pci_vga);
}

/* ---- end of the PCI chipset block ---- */

bool board_init(Machine *m, char *err, size_t err_len)
{
    if (!open_disks(m, err, err_len))
        return false;
    /* The PICs first: the PIT drives IRQ0 high at reset and must find them ready. */
    pic_pair_init(&m->pics, (IrqLine){ .set = cpu_intr, .ctx = m });
    m->cpu.intr = (InterruptSource){ .pending = pics_pending, .acknowledge = pics_acknowledge, .ctx = &m->pics };
    i8254_init(&m->pit, &m->clock, pic_pair_irq(&m->pics, 0));
    port61_init(&m->port61, &m->clock, &m->pit, (SpeakerOps){ 0 });
    mc146818_init(&m->rtc, &m->clock, pic_pair_irq(&m->pics, 8), m->config.rtc_seconds);
    ps2kbd_init(&m->kbd, &m->clock, (Ps2KbdHostOps){ 0 }, i8042_notify(&m->kbc));
    ps2mouse_init(&m->mouse, i8042_notify(&m->kbc));
    I8042HostOps kbc_host = { .set_a20 = kbc_set_a20, .reset = request_reset, .opaque = m };
    i8042_init(&m->kbc, pic_pair_irq(&m->pics, 1), pic_pair_irq(&m->pics, 12), kbc_host,
               ps2kbd_device(&m->kbd), ps2mouse_device(&m->mouse));
    ferr_latch_init(&m->ferr, pic_pair_irq(&m->pics, 13));
    m->cpu.ferr = ferr_latch_input(&m->ferr);
    port92_init(&m->port92, (Port92HostOps){ .set_a20 = port92_set_a20, .reset = request_reset, .opaque = m });
    m->a20_kbc = true;          /* the 8042 powers up with its A20 line high */
    m->a20_port92 = false;
    vga_init(&m->vga, &m->clock);
    i8237_init(&m->dma, (I8237MemOps){ dma_mem_read, dma_mem_write, &m->mem });
    fdc_init(&m->fdc, pic_pair_irq(&m->pics, 6), &m->dma);
    for (int i = 0; i < 2; i++)
        fdc_insert(&m->fdc, i, disk_image_present(&m->floppy[i]) ? &m->floppy[i].dev : NULL);
    ata_init(&m->ata[0], pic_pair_irq(&m->pics, 14), disk_dev(m, 0), disk_dev(m, 1));
    ata_init(&m->ata[1], pic_pair_irq(&m->pics, 15), disk_dev(m, 2), disk_dev(m, 3));
    /* Like QEMU's PC, the board has a CD-ROM drive at the secondary master,
     * empty unless -cdrom gave it a disc (machine_change_cdrom swaps discs). */
    if (!disk_dev(m, 2)) {
        atapi_init(&m->cdrom, disk_image_present(&m->cdrom_image) ? &m->cdrom_image.dev : NULL);
        m->cdrom.log = m->config.log;
        m->cdrom.log_opaque = m->config.host_opaque;
        ata_attach_atapi(&m->ata[1], 0, &m->cdrom);
    }
    static const SerialOps serial_ops = { .write = serial_out };
    for (int i = 0; i < MACHINE_COM_PORTS; i++) {
        m->com_port[i] = (ComPort){ .m = m, .index = i };
        uart16550_init(&m->com[i], &m->clock, pic_pair_irq(&m->pics, com_irq[i]), &serial_ops, &m->com_port[i]);
    }
    postcode_init(&m->post, m->config.log_post && m->config.log ? post_code : NULL, m);
    m->vga.log = m->rtc.log = m->com[0].log = m->config.log;
    m->vga.log_opaque = m->rtc.log_opaque = m->com[0].log_opaque = m->config.host_opaque;
    setup_cmos(m);
    if (!map_all(m) || !pci_chipset_init(m)) {
        snprintf(err, err_len, "internal error: two chips claim the same port");
        return false;
    }
    return true;
}

void board_reset(Machine *m)
{
    pic_pair_reset(&m->pics);
    i8254_reset(&m->pit);
    port61_reset(&m->port61);
    i8042_reset(&m->kbc);
    ps2kbd_reset(&m->kbd);
    ps2mouse_reset(&m->mouse);
    port92_reset(&m->port92);
    ferr_latch_reset(&m->ferr);
    vga_reset(&m->vga);
    i8237_reset(&m->dma);
    fdc_reset(&m->fdc);
    ata_reset(&m->ata[0]);
    ata_reset(&m->ata[1]);
    for (int i = 0; i < MACHINE_COM_PORTS; i++)
        uart16550_reset(&m->com[i]);
    postcode_reset(&m->post);
    pci_chipset_reset(m);
    m->a20_kbc = true;
    m->a20_port92 = false;
    cpu_set_a20(&m->cpu, true);
}

void board_free(Machine *m)
{
    for (int i = 0; i < 2; i++)
        disk_image_close(&m->floppy[i]);
    for (int i = 0; i < 4; i++)
        disk_image_close(&m->disk[i]);
    disk_image_close(&m->cdrom_image);
}
