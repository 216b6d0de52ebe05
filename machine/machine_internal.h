/* SPDX-License-Identifier: MIT */
/*
 * The board behind the opaque Machine: every chip as a member, so a machine
 * is one allocation and two machines never share anything.  For machine/
 * files only.
 */
#ifndef FAULTLINE_MACHINE_INTERNAL_H
#define FAULTLINE_MACHINE_INTERNAL_H

#include "ata.h"
#include "atapi.h"
#include "bios_state.h"
#include "clock.h"
#include "cpu.h"
#include "debugport.h"
#include "diskimage.h"
#include "fdc.h"
#include "i440fx.h"
#include "i8042.h"
#include "i8237.h"
#include "i8254.h"
#include "i8259.h"
#include "machine.h"
#include "mc146818.h"
#include "pci.h"
#include "pci_vga.h"
#include "piix3.h"
#include "memory.h"
#include "port61.h"
#include "port92.h"
#include "ferr_latch.h"
#include "postcode.h"
#include "ps2kbd.h"
#include "ps2mouse.h"
#include "uart16550.h"
#include "vga.h"

enum { MACHINE_COM_PORTS = 4 };

/* Which machine and COM port a UART's host output belongs to. */
typedef struct ComPort {
    struct Machine *m;
    int index;
} ComPort;

struct Machine {
    MachineConfig config;
    Clock clock;
    PhysMem mem;
    IoSpace ports;
    Cpu cpu;

    DebugPorts debug;
    PostCode post;
    PicPair pics;
    I8254 pit;
    Port61 port61;
    Mc146818 rtc;
    I8042 kbc;
    Ps2Kbd kbd;
    Ps2Mouse mouse;
    Port92 port92;
    FerrLatch ferr;             /* the x87 error latch: FERR# -> IRQ 13, OUT F0h clears */
    Vga vga;
    I8237 dma;
    Fdc fdc;
    Ata ata[2];
    Atapi cdrom;                /* the -cdrom drive, secondary master */
    Uart16550 com[MACHINE_COM_PORTS];
    ComPort com_port[MACHINE_COM_PORTS];
    /* The PCI chipset (board.c, "PCI chipset" block): 440FX host bridge,
     * PIIX3 ISA bridge and IDE, the VGA's PCI function with its ROM BAR. */
    PciBus pci;
    I440fx i440fx;
    Piix3 piix3;
    PciVga pci_vga;

    Bios bios;                  /* our BIOS's host side (when no -bios is given) */
    DiskImage floppy[2];
    DiskImage disk[4];          /* primary master, primary slave, secondary master, slave */
    DiskImage cdrom_image;      /* -cdrom: an ISO image (2048-byte sectors), read-only */
    uint8_t *firmware;          /* the BIOS image (ours or -bios) */
    uint32_t firmware_size;
    uint8_t *option_rom;
    uint32_t option_rom_size;
    bool reset_requested;
    bool a20_kbc, a20_port92;   /* the two A20 gates: open when either is */
    struct { MachineEventFn fn; void *ctx; } event_hook[MACHINE_EVENT_HOOKS];
    int event_hooks;            /* machine_add_event_hook (machine_debug.c) */
};

/* board.c: the chips, their ports and IRQs. */
bool board_init(Machine *m, char *err, size_t err_len);
void board_reset(Machine *m);
void board_free(Machine *m);
/* firmware.c: ROM images and the reset into them. */
bool firmware_load(Machine *m, char *err, size_t err_len);
void firmware_free(Machine *m);
/* machine_debug.c: calls the event hooks (machine_add_event_hook). */
void machine_event(Machine *m, MachineEvent ev);
/* input.c: host keys (USB HID usages) to PC keys. */
PcKey input_pc_key(unsigned hid_usage);

#endif
