/* SPDX-License-Identifier: MIT */
/*
 * Machine assembly and the run loop.  The loop asks the clock for the next
 * armed event, lets the CPU run exactly the instructions that fit before it,
 * turns them into virtual time (which fires the event), and on HLT skips
 * straight to the next event.  Nothing here reads the host clock: pacing to
 * real time is the frontend's job.
 */
#include "machine_internal.h"

#include "cmos_setup.h"
#include "state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PROGRAM_LOAD_ADDR = 0x7C00 };

static void load_program(Machine *m)
{
    Cpu *cpu = &m->cpu;
    phys_write_block(&m->mem, PROGRAM_LOAD_ADDR, m->config.program, m->config.program_size);
    for (int seg = 0; seg < SEG_COUNT; seg++)
        cpu_load_segment_real(cpu, seg, 0);
    cpu->eip = PROGRAM_LOAD_ADDR;
    cpu->gpr[REG_ESP] = PROGRAM_LOAD_ADDR;
}

static bool config_valid(const MachineConfig *config, char *err, size_t err_len)
{
    uint64_t mib = config->ram_bytes >> 20;
    if ((config->ram_bytes & 0xFFFFF) || mib < MACHINE_MIN_RAM_MIB || mib > MACHINE_MAX_RAM_MIB) {
        snprintf(err, err_len, "RAM size must be a whole number of MiB from %u to %u",
                 MACHINE_MIN_RAM_MIB, MACHINE_MAX_RAM_MIB);
        return false;
    }
    if (!cpu_model_find(config->cpu_model ? config->cpu_model : "pentium")) {
        snprintf(err, err_len, "unknown CPU model '%s' (known: %s)", config->cpu_model, cpu_model_list());
        return false;
    }
    if (config->program_size > LEGACY_HOLE_START - PROGRAM_LOAD_ADDR) {
        snprintf(err, err_len, "the program does not fit below 640 KiB");
        return false;
    }
    if (config->boot_order && !cmos_boot_order_valid(config->boot_order)) {
        snprintf(err, err_len, "bad boot order '%s' (up to three of a, c, d)", config->boot_order);
        return false;
    }
    return true;
}

Machine *machine_create(const MachineConfig *config, char *err, size_t err_len)
{
    char scratch[8];
    if (!err || !err_len) {
        err = scratch;
        err_len = sizeof(scratch);
    }
    if (!config_valid(config, err, err_len))
        return NULL;
    Machine *m = calloc(1, sizeof(*m));
    if (!m || !phys_init(&m->mem, config->ram_bytes, true)) {
        free(m);
        snprintf(err, err_len, "out of host memory for the guest RAM");
        return NULL;
    }
    m->config = *config;
    if (!m->config.boot_order)
        m->config.boot_order = "ca";
    clock_init(&m->clock, config->ips);
    io_space_init(&m->ports, "port");
    /* Firmware probes empty ports and ROM space as a matter of course: only on request. */
    if (config->log_unmapped)
        m->ports.log = m->mem.mmio.log = config->log;
    m->ports.log_opaque = m->mem.mmio.log_opaque = config->host_opaque;
    cpu_init(&m->cpu, cpu_model_find(config->cpu_model ? config->cpu_model : "pentium"), &m->mem, &m->ports);
    m->cpu.clock = &m->clock;
    m->cpu.log = config->log;
    m->cpu.log_opaque = config->host_opaque;
    debugports_init(&m->debug, (DebugPortSink){ config->console_char, config->host_opaque },
                    &m->cpu.stop_requested);
    bool ok = board_init(m, err, err_len);
    if (ok && config->program)
        load_program(m);
    else if (ok)
        ok = firmware_load(m, err, err_len);
    if (!ok) {
        machine_destroy(m);
        return NULL;
    }
    return m;
}

void machine_destroy(Machine *m)
{
    if (!m)
        return;
    board_free(m);
    firmware_free(m);
    phys_free(&m->mem);
    free(m);
}

/* RESET from the 8042, port 92h or a triple fault: the CPU restarts at the
 * reset vector; the chips keep their state, as on an AT. */
static void machine_reset_cpu(Machine *m)
{
    m->reset_requested = false;
    cpu_reset(&m->cpu);
    cpu_set_a20(&m->cpu, true);
    port92_reset(&m->port92);
    machine_event(m, MACHINE_EVENT_CPU_RESET);
}

/* Decides what a stop of the CPU means for the machine; true to keep running. */
static bool handle_cpu_stop(Machine *m, CpuStop stop, MachineStop *result)
{
    bool bare = m->config.program != NULL;
    if (m->debug.exit_requested) {
        *result = MACHINE_STOP_GUEST_EXIT;
        return false;
    }
    if (stop == CPU_STOP_DEBUG) {
        *result = MACHINE_STOP_DEBUG;
        return false;
    }
    if (stop == CPU_STOP_SHUTDOWN) {
        machine_event(m, MACHINE_EVENT_SHUTDOWN);
        if (bare || m->config.no_reboot) {
            *result = MACHINE_STOP_SHUTDOWN;
            return false;
        }
        if (m->config.log) {
            char chain[1024];
            machine_describe_fault_chain(m, chain, sizeof(chain));
            m->config.log(m->config.host_opaque, m->cpu.shutdown_reason ? m->cpu.shutdown_reason : "CPU shutdown");
            if (chain[0])
                m->config.log(m->config.host_opaque, chain);
        }
        machine_reset_cpu(m);
        return true;
    }
    if (m->reset_requested) {
        if (bare || m->config.no_reboot) {
            m->cpu.shutdown_reason = "the guest asked for a reset";
            *result = MACHINE_STOP_SHUTDOWN;
            return false;
        }
        machine_reset_cpu(m);
    }
    return true;
}

MachineStop machine_run(Machine *m, uint64_t until_ns)
{
    Cpu *cpu = &m->cpu;
    MachineStop result = MACHINE_STOP_TIME;
    while (m->clock.now_ns < until_ns) {
        uint64_t deadline = clock_next_deadline(&m->clock);
        if (deadline > until_ns)
            deadline = until_ns;
        CpuStop stop = cpu_run(cpu, clock_instructions_until(&m->clock, deadline));
        cpu_sync_clock(cpu);
        if (!handle_cpu_stop(m, stop, &result))
            return result;
        if (stop == CPU_STOP_HALT) {
            /* With IF clear only NMI could wake the CPU, and no chip raises NMI. */
            if (!(cpu->eflags & EFLAGS_IF) && !cpu->nmi_pending)
                return MACHINE_STOP_HALTED;
            uint64_t next = clock_next_deadline(&m->clock);
            uint64_t halted_from = m->clock.now_ns;
            clock_advance_to(&m->clock, next < until_ns ? next : until_ns);
            /* The TSC counts on through HLT: it ticks at the nominal rate of virtual time. */
            cpu->tsc_offset += clock_ns_to_ticks(m->clock.now_ns - halted_from, m->clock.ips);
        }
    }
    return result;
}

MachineStop machine_step(Machine *m)
{
    Cpu *cpu = &m->cpu;
    MachineStop result = MACHINE_STOP_TIME;
    CpuStop stop = cpu_run(cpu, 1);
    cpu_sync_clock(cpu);
    if (!handle_cpu_stop(m, stop, &result))
        return result;
    if (stop == CPU_STOP_HALT) {
        if (!(cpu->eflags & EFLAGS_IF) && !cpu->nmi_pending)
            return MACHINE_STOP_HALTED;
        /* Halted: the next step can only be the interrupt of the next event. */
        uint64_t halted_from = m->clock.now_ns, next = clock_next_deadline(&m->clock);
        if (next == UINT64_MAX)
            return MACHINE_STOP_HALTED;     /* no event will ever come */
        clock_advance_to(&m->clock, next);
        cpu->tsc_offset += clock_ns_to_ticks(m->clock.now_ns - halted_from, m->clock.ips);
    }
    return result;
}

uint64_t machine_now_ns(const Machine *m) { return m->clock.now_ns; }

uint64_t machine_disk_transfers(const Machine *m)
{
    uint64_t n = 0;
    for (int i = 0; i < 2; i++)
        n += m->floppy[i].transfers;
    for (int i = 0; i < 4; i++)
        n += m->disk[i].transfers;
    return n + m->cdrom_image.transfers;
}
uint64_t machine_instructions(const Machine *m) { return m->cpu.icount; }

bool machine_change_cdrom(Machine *m, const char *path, char *err, size_t err_len)
{
    if (m->ata[1].atapi[0] != &m->cdrom) {
        snprintf(err, err_len, "this machine has no CD-ROM drive (a hard disk is the secondary master)");
        return false;
    }
    /* Try the new disc first, so a bad file leaves the old one in. */
    if (path) {
        DiskImage probe = { 0 };
        if (!disk_image_open(&probe, path, DISK_CDROM, false, true, err, err_len))
            return false;
        disk_image_close(&probe);
    }
    atapi_change_medium(&m->cdrom, NULL);
    disk_image_close(&m->cdrom_image);
    if (path) {
        if (!disk_image_open(&m->cdrom_image, path, DISK_CDROM, false, true, err, err_len))
            return false;
        atapi_change_medium(&m->cdrom, &m->cdrom_image.dev);
    }
    return true;
}

int machine_guest_exit_status(const Machine *m) { return m->debug.exit_status; }

const char *machine_stop_reason(const Machine *m)
{
    if (m->cpu.shutdown_reason)
        return m->cpu.shutdown_reason;
    return "no stop reason recorded";
}

static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 0x100000001B3ull;
    return h;
}

/* Hashes one chip's declared state, as a snapshot would save it. */
static uint64_t hash_device(uint64_t h, const StateDesc *desc, const void *chip)
{
    size_t size = state_size(desc);
    uint8_t *buf = malloc(size);
    size_t n = buf ? state_save(desc, chip, buf, size) : 0;
    h = fnv1a(h, desc->name, strlen(desc->name));
    h = fnv1a(h, buf, n);
    free(buf);
    return h;
}

uint64_t machine_state_hash(const Machine *m)
{
    Cpu *cpu = (Cpu *)&m->cpu;
    uint64_t h = 0xCBF29CE484222325ull;
    h = fnv1a(h, m->mem.ram, m->mem.ram_size);
    if (m->mem.shadow)
        h = fnv1a(h, m->mem.shadow, LEGACY_HOLE_END - LEGACY_HOLE_START);
    h = fnv1a(h, cpu->gpr, sizeof(cpu->gpr));
    uint32_t regs[] = { cpu->eip, cpu_get_eflags(cpu), cpu->cr0, cpu->cr2, cpu->cr3, cpu->cr4,
                        cpu->gdtr.base, cpu->gdtr.limit, cpu->idtr.base, cpu->idtr.limit,
                        cpu->ldtr.sel, cpu->tr.sel, (uint32_t)cpu->efer, cpu->sysenter_cs,
                        cpu->sysenter_esp, cpu->sysenter_eip, cpu->fpu.mxcsr };
    h = fnv1a(h, regs, sizeof(regs));
    h = fnv1a(h, cpu->dr, sizeof(cpu->dr));
    for (int i = 0; i < SEG_COUNT; i++) {
        uint32_t seg[4] = { cpu->seg[i].sel, cpu->seg[i].base, cpu->seg[i].limit, cpu->seg[i].attr };
        h = fnv1a(h, seg, sizeof(seg));
    }
    /* The x87 field by field (Float80 has padding). */
    const Fpu *fpu = &cpu->fpu;
    uint32_t fpu_regs[8] = { fpu->control, fpu->status, fpu->tag, fpu->last_opcode,
                             fpu->last_ip, fpu->last_cs, fpu->last_dp, fpu->last_ds };
    h = fnv1a(h, fpu_regs, sizeof(fpu_regs));
    for (int i = 0; i < 8; i++) {
        h = fnv1a(h, &fpu->reg[i].significand, sizeof(fpu->reg[i].significand));
        h = fnv1a(h, &fpu->reg[i].sign_exp, sizeof(fpu->reg[i].sign_exp));
    }
    h = hash_device(h, &pic_pair_state, &m->pics);
    h = hash_device(h, &i8254_state, &m->pit);
    h = hash_device(h, &port61_state, &m->port61);
    h = hash_device(h, &mc146818_state, &m->rtc);
    h = hash_device(h, &i8042_state, &m->kbc);
    h = hash_device(h, &ps2kbd_state, &m->kbd);
    h = hash_device(h, &ps2mouse_state, &m->mouse);
    h = hash_device(h, &port92_state, &m->port92);
    h = hash_device(h, &ferr_latch_state, &m->ferr);
    h = hash_device(h, &vga_state, &m->vga);
    h = hash_device(h, &i8237_state, &m->dma);
    h = hash_device(h, &fdc_state, &m->fdc);
    for (int i = 0; i < 2; i++)
        h = hash_device(h, &ata_state, &m->ata[i]);
    h = hash_device(h, &atapi_state, &m->cdrom);
    for (int i = 0; i < MACHINE_COM_PORTS; i++)
        h = hash_device(h, &uart16550_state, &m->com[i]);
    h = hash_device(h, &postcode_state, &m->post);
    h = hash_device(h, &pci_bus_state, &m->pci);
    h = hash_device(h, &i440fx_state, &m->i440fx);
    h = hash_device(h, &piix3_state, &m->piix3);
    h = hash_device(h, &pci_vga_state, &m->pci_vga);
    h = fnv1a(h, &m->clock.now_ns, sizeof(m->clock.now_ns));
    return fnv1a(h, &cpu->icount, sizeof(cpu->icount));
}

void machine_describe_fault_chain(const Machine *m, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < m->cpu.fault_chain_len && n + 1 < len; i++) {
        if (i)
            n += (size_t)snprintf(buf + n, len - n, " -> ");
        if (n + 1 < len)
            cpu_describe_fault(&m->cpu.fault_chain[i], buf + n, len - n);
        n += strlen(buf + n);
    }
}

void machine_describe_cpu(const Machine *m, char *buf, size_t len)
{
    Cpu *cpu = (Cpu *)&m->cpu;
    snprintf(buf, len,
             "EAX=%08x EBX=%08x ECX=%08x EDX=%08x ESI=%08x EDI=%08x EBP=%08x ESP=%08x "
             "CS:EIP=%04x:%08x SS=%04x DS=%04x ES=%04x EFLAGS=%08x CR0=%08x",
             cpu->gpr[REG_EAX], cpu->gpr[REG_EBX], cpu->gpr[REG_ECX], cpu->gpr[REG_EDX],
             cpu->gpr[REG_ESI], cpu->gpr[REG_EDI], cpu->gpr[REG_EBP], cpu->gpr[REG_ESP],
             cpu->seg[SEG_CS].sel, cpu->eip, cpu->seg[SEG_SS].sel, cpu->seg[SEG_DS].sel,
             cpu->seg[SEG_ES].sel, cpu_get_eflags(cpu), cpu->cr0);
}

bool machine_render(Machine *m, uint32_t *pixels, int max_w, int max_h, int *w, int *h)
{
    vga_render(&m->vga, pixels, max_w, max_h, w, h);
    /* The VGA writes rows max_w apart; callers get them packed, w apart. */
    for (int y = 1; y < *h && *w < max_w; y++)
        memmove(pixels + (size_t)y * (size_t)*w, pixels + (size_t)y * (size_t)max_w, (size_t)*w * sizeof(uint32_t));
    return *w > 0 && *h > 0;
}

uint64_t machine_frame_count(const Machine *m)
{
    return vga_change_count(&m->vga);
}

int machine_text_screen(Machine *m, char *out, size_t cap, int *cols, int *rows)
{
    return vga_text_snapshot(&m->vga, out, cap, cols, rows);
}
