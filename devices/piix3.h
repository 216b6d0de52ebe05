/* SPDX-License-Identifier: MIT */
/*
 * The Intel 82371SB PIIX3 PCI ISA IDE Xcelerator, after its data sheet
 * (Intel 290550): function 0, the PCI-to-ISA bridge at 00:01.0 (8086:7000,
 * class 0601, multi-function header), with the PIRQA-PIRQD route control
 * registers (60h-63h) that steer the four PCI interrupt lines to ISA IRQs,
 * and the Edge/Level Control Registers at ports 4D0h/4D1h that make chosen
 * 8259 inputs level-sensed; function 1, the IDE interface at 00:01.1
 * (8086:7010, class 0101, programming interface 80h: both channels fixed at
 * the legacy 1F0h/3F6h IRQ14 and 170h/376h IRQ15, bus-master capable, BMIBA
 * at BAR4), with its timing registers as storage.  This is the PIIX3 as
 * QEMU's i440FX board has it, which is what SeaBIOS sets up: no power
 * management function (that is the PIIX4's 00:01.3).  The other bridge
 * registers (ISA clock, X-bus chip selects, top of memory, motherboard IRQ
 * and DMA, APIC base, SMI) are storage with their reset values.  Not
 * modelled: bus-master IDE DMA (BMIBA decodes nothing), the IDE decode
 * enable bits (the ATA channels answer whatever IDETIM says), the USB
 * function, SMI generation, the reset control register (pci.c has it).
 * A PCI line routed to an ISA IRQ drives that PIC input as the only driver.
 */
#ifndef FAULTLINE_PIIX3_H
#define FAULTLINE_PIIX3_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "i8259.h"
#include "pci.h"
#include "state.h"

#define PIIX3_PIRQRC 0x60           /* PIRQA-D route control, 60h-63h */
#define PIIX3_PIRQ_DISABLE 0x80     /* IRQEN# */
#define PIIX3_ELCR1 0x4D0
#define PIIX3_ELCR2 0x4D1
#define PIIX3_IDETIM 0x40           /* primary; secondary at 42h */
#define PIIX3_BMIBA_SIZE 16

typedef struct Piix3 {
    PciDevice isa;              /* function 0: the ISA bridge */
    PciDevice ide;              /* function 1: the IDE interface */
    uint8_t elcr[2];            /* IRQ0-7, IRQ8-15 */
    uint8_t pirq_level;         /* PIRQA-D inputs asserted (bit n = PIRQ n) */
    uint16_t irq_out;           /* ISA IRQs the PCI lines drive high */
    PicPair *pics;
} Piix3;

/* Power-on state; plugs functions 0 and 1 in at device 1 (false if taken). */
bool piix3_init(Piix3 *p, PciBus *bus, PicPair *pics);
void piix3_reset(Piix3 *p);
/* Maps the ELCR ports. */
bool piix3_map(Piix3 *p, IoSpace *ports);
/* A PCI interrupt line (0 = PIRQA .. 3 = PIRQD) changed level. */
void piix3_set_pirq(Piix3 *p, int pirq, int level);
/* IrqLine for a PCI function's INTx pin, after the board's swizzle. */
void piix3_pirq_set(void *ctx, int line, int level);
static inline IrqLine piix3_pirq(Piix3 *p, int pirq)
{
    IrqLine irq = { piix3_pirq_set, p, pirq };
    return irq;
}
/* Pushes the ELCR to the PICs (after a state load). */
void piix3_apply(Piix3 *p);

extern const StateDesc piix3_state;

#endif
