/* SPDX-License-Identifier: MIT */
/*
 * One Intel 8259A programmable interrupt controller, after the 8259A data
 * sheet (Intel 231468): the ICW1-ICW4 initialisation sequence, OCW1 (mask),
 * OCW2 (EOI, specific EOI, rotation, set priority), OCW3 (IRR/ISR read, poll,
 * special mask), edge- or level-triggered inputs chosen by ICW1 LTIM or,
 * per input, by the PIIX Edge/Level Control Register (i8259_set_elcr),
 * automatic EOI, special fully nested mode, and the default IR7 that
 * an INTA gets when its request vanished first.  As on the data sheet, an
 * edge-triggered input must stay high until it is acknowledged: a request
 * that drops first is lost (so devices hold their line, never pulse it).
 * A master acknowledges for a cascaded slave through i8259_cascade(); the
 * master sees a slave's INT output as a level.  Not modelled: MCS-80/85 mode
 * (ICW4 uPM=0 and the ICW1 call address are accepted and logged, the chip
 * behaves as in 8086 mode) and buffered mode (BUF, M/S are stored only).
 */
#ifndef FAULTLINE_I8259_H
#define FAULTLINE_I8259_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "state.h"

#define PIC_MASTER_PORT 0x20
#define PIC_SLAVE_PORT 0xA0
#define PIC_CASCADE_IR 2

/* ICW1 (A0=0, D4=1) and ICW4 bits. */
#define PIC_ICW1_IC4 0x01
#define PIC_ICW1_SNGL 0x02
#define PIC_ICW1_LTIM 0x08
#define PIC_ICW1_INIT 0x10
#define PIC_ICW4_UPM 0x01
#define PIC_ICW4_AEOI 0x02
#define PIC_ICW4_MS 0x04
#define PIC_ICW4_BUF 0x08
#define PIC_ICW4_SFNM 0x10

/*
 * OCW2 (A0=0, D4=D3=0):  R SL EOI 0 0 L2 L1 L0
 * OCW3 (A0=0, D4=0 D3=1): 0 ESMM SMM 0 1 P RR RIS
 */
#define PIC_OCW2_EOI 0x20
#define PIC_OCW2_SL 0x40
#define PIC_OCW2_R 0x80
#define PIC_OCW3_SEL 0x08
#define PIC_OCW3_RIS 0x01
#define PIC_OCW3_RR 0x02
#define PIC_OCW3_P 0x04
#define PIC_OCW3_SMM 0x20
#define PIC_OCW3_ESMM 0x40

typedef struct I8259 {
    const char *name;
    uint8_t irr, isr, imr;
    uint8_t lines;          /* current level of the eight IR inputs */
    uint8_t icw1, icw2, icw3, icw4;
    uint8_t init_step;      /* 0: ready; 2, 3, 4: the ICW expected next */
    uint8_t lowest;         /* the IR with the lowest priority (7 after ICW1) */
    bool rotate_on_aeoi;
    bool special_mask;
    bool read_isr;          /* OCW3 RR/RIS: what a read of A0=0 returns */
    bool poll;              /* OCW3 P: the next read is a poll */
    bool int_out;           /* level last driven on the INT pin */
    uint8_t elcr;           /* PIIX ELCR: inputs sensed by level (no reset by ICW1) */
    IrqLine out;            /* INT: the CPU side, or the master's IR input */
    struct I8259 *slave[8]; /* master only: slaves on these IR inputs */
    BusLogFn log;
    void *log_opaque;
    uint32_t logged;        /* misuse kinds already logged */
} I8259;

void i8259_init(I8259 *pic, const char *name, IrqLine out);
void i8259_reset(I8259 *pic);
/* Maps the two ports at base (0x20 or 0xA0). */
bool i8259_map(I8259 *pic, IoSpace *ports, uint32_t base);
/* The PIIX ELCR (4D0h/4D1h) for this chip: a set bit makes that input
 * level-sensed even without ICW1 LTIM.  The PIIX owns the ports. */
void i8259_set_elcr(I8259 *pic, uint8_t mask);
/* Wires slave's INT to master's IR input ir; the master then acknowledges for it. */
void i8259_cascade(I8259 *master, int ir, I8259 *slave);

/* IrqLine callback: ctx is the I8259, line the IR input 0-7. */
void i8259_set_irq(void *ctx, int line, int level);
static inline IrqLine i8259_irq(I8259 *pic, int ir)
{
    IrqLine irq = { i8259_set_irq, pic, ir };
    return irq;
}

/* The INT output: an unmasked request outranks everything in service. */
bool i8259_int_pending(const I8259 *pic);
/* The INTA cycle: returns the vector (from the slave when cascaded, IR7's on a spurious one). */
uint8_t i8259_acknowledge(I8259 *pic);

extern const StateDesc i8259_state;

/* The PC/AT pair: master at 0x20 (IRQ0-7), slave at 0xA0 (IRQ8-15) on master IR2. */
typedef struct PicPair {
    I8259 master, slave;
} PicPair;

void pic_pair_init(PicPair *pics, IrqLine cpu_intr);
void pic_pair_reset(PicPair *pics);
bool pic_pair_map(PicPair *pics, IoSpace *ports);
/* ISA IRQ n (0-15); IRQ2 is the AT's IRQ2/9 pin, i.e. slave IR1 (IRQ9). */
IrqLine pic_pair_irq(PicPair *pics, int irq);
/* InterruptSource callbacks (cpu/cpu.h): ctx is the PicPair. */
bool pics_pending(void *ctx);
uint8_t pics_acknowledge(void *ctx);
/* Both chips in one chunk ("master.irr", "slave.irr", ...). */
extern const StateDesc pic_pair_state;

#endif
