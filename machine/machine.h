/* SPDX-License-Identifier: MIT */
/*
 * The board: wires memory, the port bus, the clock, the CPU and the chips,
 * and runs them.  The frontend sees only this header; everything behind it
 * is opaque, so two machines can run side by side in one process.
 */
#ifndef FAULTLINE_MACHINE_H
#define FAULTLINE_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Machine Machine;

#define MACHINE_MIN_RAM_MIB 1u
#define MACHINE_MAX_RAM_MIB 3072u   /* below the PCI hole under 4 GiB */

typedef struct MachineConfig {
    uint64_t ram_bytes;
    const char *cpu_model;          /* "386", "486", "pentium", "pentium2", "p6-nx" */
    uint64_t ips;                   /* nominal instructions per second */
    /* A flat real-mode program started at 0000:7C00 with no BIOS; when NULL
     * the machine boots its firmware. */
    const uint8_t *program;
    size_t program_size;
    const char *bios_path;          /* -bios: a BIOS image (64-256 KiB) */
    const char *option_rom_path;    /* -option-rom: e.g. a VGA BIOS at C0000h */
    const char *fda, *fdb, *hda, *hdb;  /* disk image files, or NULL */
    const char *cdrom;              /* an ISO image for the CD-ROM (secondary master), or NULL */
    const uint8_t *fda_data;        /* without fda: a 1.44M floppy holding these bytes */
    size_t fda_data_size;
    const char *boot_order;         /* -boot: "a", "c", "ca", ... (default "ca" with firmware) */
    bool snapshot;                  /* writes go to a temporary overlay, never to the images */
    bool no_reboot;                 /* stop instead of resetting on a triple fault */
    uint64_t rtc_seconds;           /* the RTC's start time, seconds since 1970 (UTC) */
    void (*console_char)(void *opaque, uint8_t ch);    /* port 0xE9 output */
    void (*serial_out)(void *opaque, int port, uint8_t ch);   /* COM1-4 (port 0-3) output */
    void (*log)(void *opaque, const char *line);       /* guest misbehaviour, unimplemented features */
    bool log_unmapped;              /* also log accesses to unmapped ports and memory (-d unmapped) */
    bool log_post;                  /* log every POST code written to port 80h (-d post) */
    void *host_opaque;
} MachineConfig;

typedef enum MachineStop {
    MACHINE_STOP_TIME,          /* reached the requested virtual time */
    MACHINE_STOP_GUEST_EXIT,    /* the guest wrote the exit port */
    MACHINE_STOP_SHUTDOWN,      /* triple fault or an unimplemented path: see machine_stop_reason */
    MACHINE_STOP_HALTED,        /* HLT with interrupts off: nothing can wake the CPU */
    MACHINE_STOP_DEBUG,         /* a debug client attached to the CPU asked to stop */
} MachineStop;

/* Returns NULL and a one-line reason in err on bad configuration. */
Machine *machine_create(const MachineConfig *config, char *err, size_t err_len);
void machine_destroy(Machine *m);

/* Runs until virtual time reaches until_ns or something stops the machine. */
MachineStop machine_run(Machine *m, uint64_t until_ns);

uint64_t machine_now_ns(const Machine *m);
uint64_t machine_instructions(const Machine *m);
int machine_guest_exit_status(const Machine *m);
const char *machine_stop_reason(const Machine *m);
/* A hash of RAM, CPU registers and the clock: equal states hash equal. */
uint64_t machine_state_hash(const Machine *m);
/* The display as pixels: XRGB8888, w x h with rows packed w pixels apart
 * (w <= max_w, h <= max_h); false when there is nothing to show.
 * machine_frame_count changes whenever the picture may have changed. */
bool machine_render(Machine *m, uint32_t *pixels, int max_w, int max_h, int *w, int *h);
uint64_t machine_frame_count(const Machine *m);
/* The VGA text screen as rows of characters ('\n' separated); 0 when not in text mode. */
int machine_text_screen(Machine *m, char *out, size_t cap, int *cols, int *rows);

/* Host input, queued and delivered at the next instruction boundary.  Keys
 * are USB HID usage codes (SDL scancodes use the same numbers). */
void machine_key(Machine *m, unsigned hid_usage, bool pressed);
void machine_mouse(Machine *m, int dx, int dy, int dz, unsigned buttons);
/* A byte arriving at COM1-4 (port 0-3); false when its receive FIFO is full
 * (offer it again later: the host side of a serial line has flow control). */
bool machine_serial_input(Machine *m, int port, uint8_t byte);

/* Puts the ISO image at path into the CD-ROM drive, or takes the disc out
 * (path NULL), as a user swapping discs does: the guest sees a new medium
 * (UNIT ATTENTION) or none.  False with a one-line reason when the image
 * cannot be used or there is no drive; the drive then keeps its disc. */
bool machine_change_cdrom(Machine *m, const char *path, char *err, size_t err_len);

/* Disk transfers so far (all drives): a change means the disks were busy. */
uint64_t machine_disk_transfers(const Machine *m);

/* After a shutdown: the faults that led to it, "first -> ... -> last", each
 * with the rule that failed and its evidence. */
void machine_describe_fault_chain(const Machine *m, char *buf, size_t len);

/* One line of CPU state for reports: "EAX=... CS:EIP=...". */
void machine_describe_cpu(const Machine *m, char *buf, size_t len);

/* ---- the debugger's view (the gdb stub) ----
 * Registers in gdb's i386 numbering; memory by linear address through the
 * current paging, read with the debugger's page walk (no A/D bits set, no
 * fault raised).  None of these disturb the guest beyond what they write. */
typedef enum MachineReg {
    MACHINE_REG_EAX, MACHINE_REG_ECX, MACHINE_REG_EDX, MACHINE_REG_EBX,
    MACHINE_REG_ESP, MACHINE_REG_EBP, MACHINE_REG_ESI, MACHINE_REG_EDI,
    MACHINE_REG_EIP, MACHINE_REG_EFLAGS,
    MACHINE_REG_CS, MACHINE_REG_SS, MACHINE_REG_DS, MACHINE_REG_ES,
    MACHINE_REG_FS, MACHINE_REG_GS,
    MACHINE_REG_CR0, MACHINE_REG_CR2, MACHINE_REG_CR3, MACHINE_REG_CR4,     /* read-only here */
    MACHINE_REG_COUNT
} MachineReg;

uint32_t machine_debug_get_reg(const Machine *m, MachineReg reg);
/* False when the value cannot be set that way (a segment register outside
 * real and V86 mode, whose descriptor would have to be loaded; a control
 * register). */
bool machine_debug_set_reg(Machine *m, MachineReg reg, uint32_t value);
/* CS base + EIP: where the next instruction comes from. */
uint32_t machine_debug_pc_linear(const Machine *m);
/* Copy len bytes at a linear address; the number copied, short when a page
 * is not present.  Writes to ROM are dropped, as the guest's would be. */
size_t machine_debug_read_linear(Machine *m, uint32_t lin, void *buf, size_t len);
size_t machine_debug_write_linear(Machine *m, uint32_t lin, const void *buf, size_t len);
/* The same by physical address (no paging, no A20 gate); whole len always. */
void machine_debug_read_physical(Machine *m, uint64_t phys, void *buf, size_t len);
void machine_debug_write_physical(Machine *m, uint64_t phys, const void *buf, size_t len);
/* Runs exactly one instruction (or, halted, waits for the next device
 * event); stops as machine_run does. */
MachineStop machine_step(Machine *m);

/* The CPU itself, for the debugger's own code (debug/): breakpoints attach
 * to it (cpu_debug_attach in cpu.h) and the system views read its state. */
struct Cpu *machine_cpu(Machine *m);

/* Machine events for the tracer and the fault explainer (debug/): a CPU
 * shutdown (triple fault; called before the machine stops or resets, with
 * the fault chain still in the CPU) and each CPU reset after power-on
 * (called after the reset).  Up to MACHINE_EVENT_HOOKS at once. */
typedef enum MachineEvent { MACHINE_EVENT_SHUTDOWN, MACHINE_EVENT_CPU_RESET } MachineEvent;
typedef void (*MachineEventFn)(void *ctx, Machine *m, MachineEvent ev);
enum { MACHINE_EVENT_HOOKS = 4 };
bool machine_add_event_hook(Machine *m, MachineEventFn fn, void *ctx);
void machine_remove_event_hook(Machine *m, MachineEventFn fn, void *ctx);

#endif
