/* SPDX-License-Identifier: MIT */
/*
 * The 8042 keyboard controller: its command interpreter, its one-byte output
 * buffer and how that buffer is refilled, the translation of keyboard bytes
 * and the two interrupt outputs.  The IRQ outputs follow the buffer: high
 * while it holds a byte of their port and the command byte enables them, so
 * reading port 0x60 drops the line and the next byte raises it again (the
 * edge the PIC needs).
 */
#include "i8042.h"

#include <string.h>

enum {
    CMD_READ_RAM = 0x20, CMD_WRITE_RAM = 0x60, CMD_PASSWORD_CHECK = 0xA4,
    CMD_AUX_DISABLE = 0xA7, CMD_AUX_ENABLE = 0xA8, CMD_AUX_TEST = 0xA9, CMD_SELF_TEST = 0xAA,
    CMD_KBD_TEST = 0xAB, CMD_KBD_DISABLE = 0xAD, CMD_KBD_ENABLE = 0xAE,
    CMD_READ_INPUT = 0xC0, CMD_READ_OUTPUT = 0xD0, CMD_WRITE_OUTPUT = 0xD1,
    CMD_WRITE_KBD_OBUF = 0xD2, CMD_WRITE_AUX_OBUF = 0xD3, CMD_WRITE_AUX = 0xD4,
    CMD_A20_OFF = 0xDD, CMD_A20_ON = 0xDF, CMD_READ_TEST = 0xE0, CMD_PULSE = 0xF0,
};

enum {
    SELF_TEST_OK = 0x55, INTERFACE_OK = 0x00, NO_PASSWORD = 0xF1,
    /* Input port: keyboard not locked, colour display, no manufacturing jumper. */
    INPUT_PORT = 0xA0,
    OUTPORT_POWER_ON = 0xCF,
};

enum { LOG_BAD_COMMAND = 1, LOG_REPLY_OVERFLOW = 2, LOG_NO_DEVICE = 4 };

static void kbc_log_once(I8042 *c, uint32_t kind, const char *msg)
{
    if (c->logged & kind)
        return;
    c->logged |= kind;
    if (c->log)
        c->log(c->log_opaque, msg);
}

static uint8_t ccb(const I8042 *c)
{
    return c->ram[0];
}

static void update_irq(I8042 *c)
{
    bool irq1 = c->obuf_full && !c->obuf_aux && (ccb(c) & I8042_CCB_INT);
    bool irq12 = c->obuf_full && c->obuf_aux && (ccb(c) & I8042_CCB_INT2);
    if (irq1 != c->irq1_level) {
        c->irq1_level = irq1;
        irq_set_level(c->irq1, irq1);
    }
    if (irq12 != c->irq12_level) {
        c->irq12_level = irq12;
        irq_set_level(c->irq12, irq12);
    }
}

/* Queues one of the controller's own bytes (a reply, or D2/D3 data). */
static void put_reply(I8042 *c, uint8_t byte, bool aux)
{
    if (c->reply_count == I8042_REPLY_SIZE) {
        kbc_log_once(c, LOG_REPLY_OVERFLOW, "i8042: replies not read; byte dropped");
        return;
    }
    unsigned slot = (c->reply_head + c->reply_count) % I8042_REPLY_SIZE;
    c->reply[slot] = byte;
    if (aux)
        c->reply_aux |= (uint8_t)(1u << slot);
    else
        c->reply_aux &= (uint8_t)~(1u << slot);
    c->reply_count++;
}

static bool pop_reply(I8042 *c, uint8_t *byte, bool *aux)
{
    if (!c->reply_count)
        return false;
    *byte = c->reply[c->reply_head];
    *aux = c->reply_aux & (1u << c->reply_head);
    c->reply_head = (uint8_t)((c->reply_head + 1) % I8042_REPLY_SIZE);
    c->reply_count--;
    return true;
}

/*
 * The next keyboard byte as the guest sees it.  With XLAT set the 8042
 * swallows the F0 break prefix and sets bit 7 of the following translated
 * byte instead.
 */
static bool fetch_kbd(I8042 *c, uint8_t *byte)
{
    if (!c->kbd.read)
        return false;
    while (c->kbd.read(c->kbd.dev, byte)) {
        if (!(ccb(c) & I8042_CCB_XLAT))
            return true;
        if (*byte == PS2_BREAK_PREFIX) {
            c->xlat_break = true;
            continue;
        }
        *byte = (uint8_t)(ps2_translate_set2(*byte) | (c->xlat_break ? 0x80 : 0));
        c->xlat_break = false;
        return true;
    }
    return false;
}

/* Fills an empty output buffer: controller bytes first, then keyboard, then mouse. */
static void refill(I8042 *c)
{
    if (c->obuf_full)
        return;
    uint8_t byte;
    bool aux = false;
    bool got = pop_reply(c, &byte, &aux);
    if (!got && !(ccb(c) & I8042_CCB_KBD_DISABLE))
        got = fetch_kbd(c, &byte);
    if (!got && !(ccb(c) & I8042_CCB_AUX_DISABLE) && c->aux.read) {
        got = c->aux.read(c->aux.dev, &byte);
        aux = true;
    }
    if (got) {
        c->obuf = byte;
        c->obuf_full = true;
        c->obuf_aux = aux;
    }
    update_irq(c);
}

void i8042_device_ready(void *controller)
{
    refill(controller);
}

static void write_ccb(I8042 *c, uint8_t value)
{
    c->ram[0] = value;
    if (!(value & I8042_CCB_XLAT))
        c->xlat_break = false;
    c->status = (uint8_t)((c->status & ~I8042_STATUS_SYS) | (value & I8042_CCB_SYS));
    update_irq(c);
    refill(c);
}

static void set_ccb_bits(I8042 *c, uint8_t set, uint8_t clear)
{
    write_ccb(c, (uint8_t)((ccb(c) | set) & ~clear));
}

/* The output port: bit 1 gates A20, a 0 in bit 0 resets the CPU (a pulse: the bit reads back 1). */
static void write_outport(I8042 *c, uint8_t value)
{
    uint8_t old = c->outport;
    c->outport = (uint8_t)(value | I8042_OUT_RESET);
    if (((old ^ value) & I8042_OUT_A20) && c->host.set_a20)
        c->host.set_a20(c->host.opaque, value & I8042_OUT_A20);
    if (!(value & I8042_OUT_RESET) && c->host.reset)
        c->host.reset(c->host.opaque);
}

static uint8_t read_outport(const I8042 *c)
{
    uint8_t v = c->outport & (uint8_t)~(I8042_OUT_IRQ1 | I8042_OUT_IRQ12);
    if (c->irq1_level)
        v |= I8042_OUT_IRQ1;
    if (c->irq12_level)
        v |= I8042_OUT_IRQ12;
    return v;
}

/*
 * A byte for a device.  Sending clocks the port, which clears its disable
 * bit; with nothing plugged in the controller reports a timeout and FE.
 */
static void send_to_device(I8042 *c, uint8_t byte, bool aux)
{
    Ps2Device *dev = aux ? &c->aux : &c->kbd;
    set_ccb_bits(c, 0, aux ? I8042_CCB_AUX_DISABLE : I8042_CCB_KBD_DISABLE);
    if (!dev->write) {
        kbc_log_once(c, LOG_NO_DEVICE, "i8042: byte sent to an empty port timed out");
        c->status |= I8042_STATUS_TIMEOUT;
        put_reply(c, PS2_RESEND, aux);
        refill(c);
        return;
    }
    c->status &= (uint8_t)~I8042_STATUS_TIMEOUT;
    dev->write(dev->dev, byte);
    refill(c);
}

/* The data byte that completes a command written to 0x64. */
static void command_data(I8042 *c, uint8_t cmd, uint8_t value)
{
    if (cmd >= CMD_WRITE_RAM && cmd < CMD_WRITE_RAM + I8042_RAM_SIZE) {
        if (cmd == CMD_WRITE_RAM)
            write_ccb(c, value);
        else
            c->ram[cmd - CMD_WRITE_RAM] = value;
        return;
    }
    switch (cmd) {
    case CMD_WRITE_OUTPUT:
        write_outport(c, value);
        break;
    case CMD_WRITE_KBD_OBUF:
    case CMD_WRITE_AUX_OBUF:
        put_reply(c, value, cmd == CMD_WRITE_AUX_OBUF);
        refill(c);
        break;
    case CMD_WRITE_AUX:
        send_to_device(c, value, true);
        break;
    }
}

static void reply_now(I8042 *c, uint8_t byte)
{
    put_reply(c, byte, false);
    refill(c);
}

static bool takes_data(uint8_t cmd)
{
    return (cmd >= CMD_WRITE_RAM && cmd < CMD_WRITE_RAM + I8042_RAM_SIZE) ||
           cmd == CMD_WRITE_OUTPUT || cmd == CMD_WRITE_KBD_OBUF ||
           cmd == CMD_WRITE_AUX_OBUF || cmd == CMD_WRITE_AUX;
}

static void controller_command(I8042 *c, uint8_t cmd)
{
    c->pending_cmd = 0;
    if (takes_data(cmd)) {
        c->pending_cmd = cmd;
        return;
    }
    if (cmd >= CMD_READ_RAM && cmd < CMD_READ_RAM + I8042_RAM_SIZE) {
        reply_now(c, c->ram[cmd - CMD_READ_RAM]);
        return;
    }
    if (cmd >= CMD_PULSE) {
        /* Low bits 0 select output-port lines to pulse; only /RESET matters. */
        if (!(cmd & I8042_OUT_RESET) && c->host.reset)
            c->host.reset(c->host.opaque);
        return;
    }
    switch (cmd) {
    case CMD_PASSWORD_CHECK: reply_now(c, NO_PASSWORD); break;
    case CMD_AUX_DISABLE: set_ccb_bits(c, I8042_CCB_AUX_DISABLE, 0); break;
    case CMD_AUX_ENABLE: set_ccb_bits(c, 0, I8042_CCB_AUX_DISABLE); break;
    case CMD_AUX_TEST: reply_now(c, INTERFACE_OK); break;
    case CMD_SELF_TEST:
        c->status |= I8042_STATUS_SYS;
        c->ram[0] |= I8042_CCB_SYS;
        reply_now(c, SELF_TEST_OK);
        break;
    case CMD_KBD_TEST: reply_now(c, INTERFACE_OK); break;
    case CMD_KBD_DISABLE: set_ccb_bits(c, I8042_CCB_KBD_DISABLE, 0); break;
    case CMD_KBD_ENABLE: set_ccb_bits(c, 0, I8042_CCB_KBD_DISABLE); break;
    case CMD_READ_INPUT: reply_now(c, INPUT_PORT); break;
    case CMD_READ_OUTPUT: reply_now(c, read_outport(c)); break;
    case CMD_A20_OFF: write_outport(c, c->outport & (uint8_t)~I8042_OUT_A20); break;
    case CMD_A20_ON: write_outport(c, c->outport | I8042_OUT_A20); break;
    case CMD_READ_TEST: reply_now(c, 0x00); break;
    default:
        kbc_log_once(c, LOG_BAD_COMMAND, "i8042: unsupported controller command ignored");
        break;
    }
}

static uint32_t data_read(void *opaque, uint32_t offset, unsigned size)
{
    I8042 *c = opaque;
    uint8_t v = c->obuf;        /* an empty buffer reads its last byte again */
    if (c->obuf_full) {
        c->obuf_full = false;
        update_irq(c);
        refill(c);
    }
    return v;
}

static void data_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    I8042 *c = opaque;
    uint8_t cmd = c->pending_cmd;
    c->status &= (uint8_t)~I8042_STATUS_CMD;
    c->pending_cmd = 0;
    if (cmd)
        command_data(c, cmd, (uint8_t)value);
    else
        send_to_device(c, (uint8_t)value, false);
}

static uint32_t status_read(void *opaque, uint32_t offset, unsigned size)
{
    I8042 *c = opaque;
    uint8_t s = c->status & (uint8_t)(I8042_STATUS_SYS | I8042_STATUS_CMD | I8042_STATUS_TIMEOUT);
    s |= I8042_STATUS_UNLOCKED;
    if (c->obuf_full)
        s |= c->obuf_aux ? I8042_STATUS_OBF | I8042_STATUS_AUX_OBF : I8042_STATUS_OBF;
    return s;
}

static void command_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    I8042 *c = opaque;
    c->status |= I8042_STATUS_CMD;
    controller_command(c, (uint8_t)value);
}

void i8042_reset(I8042 *c)
{
    c->status = 0;
    memset(c->ram, 0, sizeof(c->ram));
    c->outport = OUTPORT_POWER_ON;
    c->pending_cmd = 0;
    c->obuf = 0;
    c->obuf_full = false;
    c->obuf_aux = false;
    c->xlat_break = false;
    c->reply_head = c->reply_count = 0;
    c->reply_aux = 0;
    update_irq(c);
}

void i8042_init(I8042 *c, IrqLine irq1, IrqLine irq12, I8042HostOps host, Ps2Device kbd, Ps2Device aux)
{
    memset(c, 0, sizeof(*c));
    c->irq1 = irq1;
    c->irq12 = irq12;
    c->host = host;
    c->kbd = kbd;
    c->aux = aux;
    i8042_reset(c);
}

bool i8042_map(I8042 *c, IoSpace *ports)
{
    IoWindow data = { .name = "i8042-data", .base = I8042_DATA_PORT, .length = 1,
                      .widths = IO_WIDTH_8, .read = data_read, .write = data_write, .opaque = c };
    IoWindow cmd = { .name = "i8042-cmd", .base = I8042_COMMAND_PORT, .length = 1,
                     .widths = IO_WIDTH_8, .read = status_read, .write = command_write, .opaque = c };
    return io_space_map(ports, &data) && io_space_map(ports, &cmd);
}

static const StateField i8042_fields[] = {
    STATE_U8(I8042, status), STATE_U8_ARRAY(I8042, ram, I8042_RAM_SIZE),
    STATE_U8(I8042, outport), STATE_U8(I8042, pending_cmd), STATE_U8(I8042, obuf),
    STATE_BOOL(I8042, obuf_full), STATE_BOOL(I8042, obuf_aux), STATE_BOOL(I8042, xlat_break),
    STATE_U8_ARRAY(I8042, reply, I8042_REPLY_SIZE), STATE_U8(I8042, reply_aux),
    STATE_U8(I8042, reply_head), STATE_U8(I8042, reply_count),
    STATE_BOOL(I8042, irq1_level), STATE_BOOL(I8042, irq12_level),
};
const StateDesc i8042_state = STATE_DESC("i8042", 1, i8042_fields);
