/* SPDX-License-Identifier: MIT */
/*
 * The 8259A PIC and the PC/AT master/slave pair (see i8259.h).  Priority is
 * kept as the IR with the lowest priority ("lowest"); the highest is the one
 * after it, wrapping, so rotation is a single assignment.  The INT output is
 * recomputed after every change and driven only when it changes.
 */
#include "i8259.h"

#include <stddef.h>
#include <string.h>

enum {
    LOG_8080_MODE = 1u << 0,
    LOG_BUFFERED = 1u << 1,
};

static void log_once(I8259 *pic, uint32_t kind, const char *message)
{
    if ((pic->logged & kind) || !pic->log)
        return;
    pic->logged |= kind;
    pic->log(pic->log_opaque, message);
}

/* IR inputs wired to a slave's INT output, which the master sees as a level. */
static uint8_t cascade_mask(const I8259 *pic)
{
    uint8_t mask = 0;
    for (int ir = 0; ir < 8; ir++)
        if (pic->slave[ir])
            mask |= (uint8_t)(1u << ir);
    return mask;
}

/* Level-sensed inputs: all with ICW1 LTIM, else those the PIIX ELCR selects. */
static uint8_t level_mask(const I8259 *pic)
{
    return (pic->icw1 & PIC_ICW1_LTIM) ? 0xFF : (uint8_t)(pic->elcr | cascade_mask(pic));
}

/* The set bit of mask with the highest priority, or -1. */
static int highest_in(const I8259 *pic, uint8_t mask)
{
    for (int i = 1; i <= 8; i++) {
        int ir = (pic->lowest + i) & 7;
        if (mask & (1u << ir))
            return ir;
    }
    return -1;
}

static int priority_of(const I8259 *pic, int ir)
{
    return (ir - pic->lowest - 1) & 7;      /* 0 is the highest */
}

/*
 * The priority resolver: the best unmasked request, unless something of
 * equal or higher priority is in service.  Special mask mode lets masked
 * in-service levels stop blocking; special fully nested mode lets a slave
 * interrupt again while its cascade input is in service on the master.
 */
static int pending_ir(const I8259 *pic)
{
    int ir = highest_in(pic, pic->irr & (uint8_t)~pic->imr);
    if (ir < 0)
        return -1;
    uint8_t in_service = pic->isr;
    if (pic->special_mask)
        in_service &= (uint8_t)~pic->imr;
    if ((pic->icw4 & PIC_ICW4_SFNM) && !(pic->icw1 & PIC_ICW1_SNGL))
        in_service &= (uint8_t)~(pic->icw3 & cascade_mask(pic));
    int busy = highest_in(pic, in_service);
    if (busy >= 0 && priority_of(pic, busy) <= priority_of(pic, ir))
        return -1;
    return ir;
}

static void update(I8259 *pic)
{
    bool level = pending_ir(pic) >= 0;
    if (level == pic->int_out)
        return;
    pic->int_out = level;
    irq_set_level(pic->out, level);
}

void i8259_set_irq(void *ctx, int line, int level)
{
    I8259 *pic = ctx;
    uint8_t bit = (uint8_t)(1u << (line & 7));
    bool was_high = pic->lines & bit;
    if (level)
        pic->lines |= bit;
    else
        pic->lines &= (uint8_t)~bit;
    if (!level)
        pic->irr &= (uint8_t)~bit;      /* edge or level: the request must still be there at INTA */
    else if (!was_high || (level_mask(pic) & bit))
        pic->irr |= bit;
    update(pic);
}

bool i8259_int_pending(const I8259 *pic)
{
    return pending_ir(pic) >= 0;
}

/* First INTA (or a poll): the request moves from IRR to ISR. */
static void take(I8259 *pic, int ir)
{
    uint8_t bit = (uint8_t)(1u << ir);
    pic->isr |= bit;
    if (!(level_mask(pic) & bit))
        pic->irr &= (uint8_t)~bit;
}

/* End of the INTA sequence: automatic EOI, with rotation if asked for. */
static void finish(I8259 *pic, int ir)
{
    if (!(pic->icw4 & PIC_ICW4_AEOI))
        return;
    pic->isr &= (uint8_t)~(1u << ir);
    if (pic->rotate_on_aeoi)
        pic->lowest = (uint8_t)ir;
}

static bool is_cascade(const I8259 *pic, int ir)
{
    return !(pic->icw1 & PIC_ICW1_SNGL) && (pic->icw3 & (1u << ir)) && pic->slave[ir];
}

uint8_t i8259_acknowledge(I8259 *pic)
{
    uint8_t base = pic->icw2 & 0xF8;
    int ir = pending_ir(pic);
    if (ir < 0)
        return base | 7;            /* default IR7: the request went away; ISR untouched */
    take(pic, ir);
    uint8_t vector = base | (uint8_t)ir;
    if (is_cascade(pic, ir))
        vector = i8259_acknowledge(pic->slave[ir]);
    finish(pic, ir);
    update(pic);
    return vector;
}

/* OCW3 poll: the read that follows acts as the acknowledge. */
static uint8_t poll_read(I8259 *pic)
{
    pic->poll = false;
    int ir = pending_ir(pic);
    if (ir < 0)
        return 0x00;
    take(pic, ir);
    finish(pic, ir);
    update(pic);
    return 0x80 | (uint8_t)ir;
}

static void eoi(I8259 *pic, int ir, bool rotate)
{
    if (ir < 0)
        return;
    pic->isr &= (uint8_t)~(1u << ir);
    if (rotate)
        pic->lowest = (uint8_t)ir;
}

static void write_ocw2(I8259 *pic, uint8_t v)
{
    int level = v & 7;
    switch (v >> 5) {
    case 0: pic->rotate_on_aeoi = false; break;
    case 1: eoi(pic, highest_in(pic, pic->isr), false); break;
    case 2: break;                                  /* no operation */
    case 3: eoi(pic, level, false); break;
    case 4: pic->rotate_on_aeoi = true; break;
    case 5: eoi(pic, highest_in(pic, pic->isr), true); break;
    case 6: pic->lowest = (uint8_t)level; break;    /* set priority */
    case 7: eoi(pic, level, true); break;
    }
}

static void write_ocw3(I8259 *pic, uint8_t v)
{
    if (v & PIC_OCW3_ESMM)
        pic->special_mask = v & PIC_OCW3_SMM;
    if (v & PIC_OCW3_P)
        pic->poll = true;
    if (v & PIC_OCW3_RR)
        pic->read_isr = v & PIC_OCW3_RIS;
}

/* ICW1 starts the sequence and resets the chip's working state (data sheet, "ICW1"). */
static void write_icw1(I8259 *pic, uint8_t v)
{
    pic->icw1 = v;
    pic->icw4 = 0;
    pic->init_step = 2;
    pic->imr = 0;
    pic->isr = 0;
    pic->irr = pic->lines & level_mask(pic);    /* edge inputs need a fresh rising edge */
    pic->lowest = 7;
    pic->special_mask = false;
    pic->read_isr = false;
    pic->poll = false;
    pic->rotate_on_aeoi = false;
    if (!(v & PIC_ICW1_IC4))
        log_once(pic, LOG_8080_MODE, "i8259: ICW1 without ICW4 (8080 mode): treated as 8086 mode");
}

static void write_data(I8259 *pic, uint8_t v)
{
    switch (pic->init_step) {
    case 2:
        pic->icw2 = v;
        if (!(pic->icw1 & PIC_ICW1_SNGL))
            pic->init_step = 3;
        else
            pic->init_step = (pic->icw1 & PIC_ICW1_IC4) ? 4 : 0;
        break;
    case 3:
        pic->icw3 = v;
        pic->init_step = (pic->icw1 & PIC_ICW1_IC4) ? 4 : 0;
        break;
    case 4:
        pic->icw4 = v;
        pic->init_step = 0;
        if (!(v & PIC_ICW4_UPM))
            log_once(pic, LOG_8080_MODE, "i8259: ICW4 selects 8080 mode: treated as 8086 mode");
        if (v & PIC_ICW4_BUF)
            log_once(pic, LOG_BUFFERED, "i8259: buffered mode has no effect here");
        break;
    default:
        pic->imr = v;                               /* OCW1 */
        break;
    }
}

static void pic_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    I8259 *pic = opaque;
    uint8_t v = (uint8_t)value;
    if (offset & 1)
        write_data(pic, v);
    else if (v & PIC_ICW1_INIT)
        write_icw1(pic, v);
    else if (v & PIC_OCW3_SEL)
        write_ocw3(pic, v);
    else
        write_ocw2(pic, v);
    update(pic);
}

static uint32_t pic_read(void *opaque, uint32_t offset, unsigned size)
{
    I8259 *pic = opaque;
    if (pic->poll)
        return poll_read(pic);
    if (offset & 1)
        return pic->imr;
    return pic->read_isr ? pic->isr : pic->irr;
}

/*
 * The 8259A has no reset pin and its power-on state is undefined until ICW1;
 * we start it fully masked with base 0 so nothing is delivered before the
 * firmware programs it.
 */
void i8259_reset(I8259 *pic)
{
    pic->icw1 = PIC_ICW1_IC4;
    pic->irr = pic->lines & level_mask(pic);
    pic->isr = 0;
    pic->imr = 0xFF;
    pic->icw2 = pic->icw3 = 0;
    pic->icw4 = PIC_ICW4_UPM;
    pic->init_step = 0;
    pic->lowest = 7;
    pic->rotate_on_aeoi = pic->special_mask = pic->read_isr = pic->poll = false;
    update(pic);
}

void i8259_init(I8259 *pic, const char *name, IrqLine out)
{
    memset(pic, 0, sizeof(*pic));
    pic->name = name;
    pic->out = out;
    i8259_reset(pic);
}

bool i8259_map(I8259 *pic, IoSpace *ports, uint32_t base)
{
    IoWindow w = { .name = pic->name, .base = base, .length = 2, .widths = IO_WIDTH_8,
                   .read = pic_read, .write = pic_write, .opaque = pic };
    return io_space_map(ports, &w);
}

/* An input switched to level sensing requests at once if its line is high;
 * one switched to edge keeps its pending request (it was seen as an edge). */
void i8259_set_elcr(I8259 *pic, uint8_t mask)
{
    pic->elcr = mask;
    pic->irr |= (uint8_t)(pic->lines & level_mask(pic));
    update(pic);
}

void i8259_cascade(I8259 *master, int ir, I8259 *slave)
{
    master->slave[ir & 7] = slave;
    slave->out = i8259_irq(master, ir & 7);
    i8259_set_irq(master, ir & 7, slave->int_out);
}

/* The field rows of one PIC at base inside the saved object, names prefixed. */
#define PIC_ROW(pre, base, m, kind) { pre #m, kind, (base) + offsetof(I8259, m), 1 }
#define PIC_FIELDS(pre, base) \
    PIC_ROW(pre, base, irr, STATE_FIELD_U8), PIC_ROW(pre, base, isr, STATE_FIELD_U8), \
    PIC_ROW(pre, base, imr, STATE_FIELD_U8), PIC_ROW(pre, base, lines, STATE_FIELD_U8), \
    PIC_ROW(pre, base, icw1, STATE_FIELD_U8), PIC_ROW(pre, base, icw2, STATE_FIELD_U8), \
    PIC_ROW(pre, base, icw3, STATE_FIELD_U8), PIC_ROW(pre, base, icw4, STATE_FIELD_U8), \
    PIC_ROW(pre, base, init_step, STATE_FIELD_U8), PIC_ROW(pre, base, lowest, STATE_FIELD_U8), \
    PIC_ROW(pre, base, rotate_on_aeoi, STATE_FIELD_BOOL), \
    PIC_ROW(pre, base, special_mask, STATE_FIELD_BOOL), \
    PIC_ROW(pre, base, read_isr, STATE_FIELD_BOOL), PIC_ROW(pre, base, poll, STATE_FIELD_BOOL), \
    PIC_ROW(pre, base, int_out, STATE_FIELD_BOOL), PIC_ROW(pre, base, elcr, STATE_FIELD_U8)

static const StateField i8259_fields[] = { PIC_FIELDS("", 0) };
const StateDesc i8259_state = STATE_DESC("i8259", 1, i8259_fields);

static const StateField pic_pair_fields[] = {
    PIC_FIELDS("master.", offsetof(PicPair, master)),
    PIC_FIELDS("slave.", offsetof(PicPair, slave)),
};
const StateDesc pic_pair_state = STATE_DESC("pic", 1, pic_pair_fields);

void pic_pair_init(PicPair *pics, IrqLine cpu_intr)
{
    IrqLine none = { 0 };
    i8259_init(&pics->master, "pic-master", cpu_intr);
    i8259_init(&pics->slave, "pic-slave", none);
    i8259_cascade(&pics->master, PIC_CASCADE_IR, &pics->slave);
}

void pic_pair_reset(PicPair *pics)
{
    i8259_reset(&pics->slave);
    i8259_reset(&pics->master);
}

bool pic_pair_map(PicPair *pics, IoSpace *ports)
{
    return i8259_map(&pics->master, ports, PIC_MASTER_PORT) &&
           i8259_map(&pics->slave, ports, PIC_SLAVE_PORT);
}

IrqLine pic_pair_irq(PicPair *pics, int irq)
{
    if (irq == PIC_CASCADE_IR)
        irq = 9;
    return irq < 8 ? i8259_irq(&pics->master, irq) : i8259_irq(&pics->slave, irq & 7);
}

bool pics_pending(void *ctx)
{
    PicPair *pics = ctx;
    return i8259_int_pending(&pics->master);
}

uint8_t pics_acknowledge(void *ctx)
{
    PicPair *pics = ctx;
    return i8259_acknowledge(&pics->master);
}
