/* SPDX-License-Identifier: MIT */
/*
 * PC16550D UART (see uart16550.h).  In 16450 mode (FIFOs off) the receive and
 * transmit FIFOs act as one-byte holding registers, so one code path serves
 * both modes.  LSR is computed from the FIFOs and the shift register, plus the
 * latched error bits.  The interrupt identification is a pure function of the
 * state, in the datasheet's priority order; the only interrupt latches are
 * THRE (cleared by reading IIR or writing THR), the character timeout and
 * the MSR delta bits.
 */
#include "uart16550.h"

#include <string.h>

enum { LOG_TX_OVERFLOW = 1, LOG_DIVISOR_ZERO = 2, LOG_READ_ONLY = 4 };

static void uart_log_once(Uart16550 *u, uint32_t kind, const char *msg)
{
    if (u->logged & kind)
        return;
    u->logged |= kind;
    if (u->log)
        u->log(u->log_opaque, msg);
}

static bool fifo_mode(const Uart16550 *u)
{
    return u->fcr & UART_FCR_ENABLE;
}

static unsigned fifo_capacity(const Uart16550 *u)
{
    return fifo_mode(u) ? UART_FIFO_SIZE : 1;
}

static void fifo_push(UartFifo *f, uint8_t v)
{
    f->data[(f->head + f->count) % UART_FIFO_SIZE] = v;
    f->count++;
}

static uint8_t fifo_pop(UartFifo *f)
{
    uint8_t v = f->data[f->head % UART_FIFO_SIZE];
    f->head = (uint8_t)((f->head + 1) % UART_FIFO_SIZE);
    f->count--;
    return v;
}

static void fifo_clear(UartFifo *f)
{
    f->head = 0;
    f->count = 0;
}

/* Start + data + parity + stop bits, in half bits (1.5 stop bits with 5-bit words). */
static unsigned frame_half_bits(const Uart16550 *u)
{
    unsigned data = 5 + (u->lcr & UART_LCR_WLS);
    unsigned half = 2 * (1 + data + ((u->lcr & UART_LCR_PEN) ? 1 : 0));
    if (!(u->lcr & UART_LCR_STB))
        return half + 2;
    return half + (data == 5 ? 3 : 4);
}

uint64_t uart16550_char_ns(const Uart16550 *u)
{
    /* The divisor counter reloads from 0 as 65536 (logged as misuse on write). */
    uint64_t divisor = (uint64_t)u->dlm << 8 | u->dll;
    if (divisor == 0)
        divisor = 65536;
    return clock_ticks_to_ns(frame_half_bits(u) * 8 * divisor, UART_CLOCK_HZ);
}

static unsigned rx_trigger(const Uart16550 *u)
{
    static const uint8_t levels[4] = { 1, 4, 8, 14 };
    return fifo_mode(u) ? levels[u->fcr >> 6] : 1;
}

/* The highest-priority pending source, as IIR bits 3-0. */
static uint8_t uart_iir_source(const Uart16550 *u)
{
    if ((u->ier & UART_IER_ELSI) && u->lsr_errors)
        return UART_IIR_LINE;
    if ((u->ier & UART_IER_ERBFI) && u->rx.count >= rx_trigger(u))
        return UART_IIR_RX;
    if ((u->ier & UART_IER_ERBFI) && u->timeout_pending)
        return UART_IIR_TIMEOUT;
    if ((u->ier & UART_IER_ETBEI) && u->thr_ipending)
        return UART_IIR_THRE;
    if ((u->ier & UART_IER_EDSSI) && (u->msr & 0x0F))
        return UART_IIR_MODEM;
    return UART_IIR_NONE;
}

/* On the PC the INTR pin reaches the bus only through a buffer enabled by OUT2. */
static void uart_update_irq(Uart16550 *u)
{
    bool level = uart_iir_source(u) != UART_IIR_NONE && (u->mcr & UART_MCR_OUT2) &&
                 !(u->mcr & UART_MCR_LOOP);
    if (level != u->irq_level) {
        u->irq_level = level;
        irq_set_level(u->irq, level);
    }
}

/* The character timeout restarts on every FIFO read or (unless already pending) receive. */
static void timeout_rearm(Uart16550 *u)
{
    clock_event_cancel(u->clock, &u->timeout_event);
    if (fifo_mode(u) && u->rx.count && !u->timeout_pending)
        clock_event_arm(u->clock, &u->timeout_event, u->clock->now_ns + 4 * uart16550_char_ns(u));
}

static void timeout_fire(void *opaque, uint64_t now)
{
    Uart16550 *u = opaque;
    if (fifo_mode(u) && u->rx.count)
        u->timeout_pending = true;
    uart_update_irq(u);
}

/* A character completes in the receiver: into the FIFO, or an overrun. */
static void rx_push(Uart16550 *u, uint8_t byte)
{
    if (u->rx.count < fifo_capacity(u)) {
        fifo_push(&u->rx, byte);
    } else {
        u->lsr_errors |= UART_LSR_OE;
        /* 16450 mode: the new character overwrites RBR; FIFO mode: it is lost. */
        if (!fifo_mode(u))
            u->rx.data[u->rx.head % UART_FIFO_SIZE] = byte;
    }
    timeout_rearm(u);
    uart_update_irq(u);
}

/* Moves the next character from THR/the FIFO into the shift register. */
static void tx_start(Uart16550 *u)
{
    u->tsr = fifo_pop(&u->tx);
    u->tsr_busy = true;
    if (u->tx.count == 0)
        u->thr_ipending = true;
    clock_event_arm(u->clock, &u->tx_event, u->clock->now_ns + uart16550_char_ns(u));
}

static void tx_fire(void *opaque, uint64_t now)
{
    Uart16550 *u = opaque;
    u->tsr_busy = false;
    if (u->mcr & UART_MCR_LOOP)
        rx_push(u, u->tsr);
    else if (u->ops.write)
        u->ops.write(u->ops_opaque, u->tsr);
    if (u->tx.count)
        tx_start(u);
    uart_update_irq(u);
}

static void write_thr(Uart16550 *u, uint8_t v)
{
    if (u->tx.count < fifo_capacity(u)) {
        fifo_push(&u->tx, v);
    } else if (!fifo_mode(u)) {
        u->tx.data[u->tx.head % UART_FIFO_SIZE] = v;     /* overwrites the holding register */
    } else {
        uart_log_once(u, LOG_TX_OVERFLOW, "uart: write to a full transmit FIFO dropped");
    }
    u->thr_ipending = false;
    if (!u->tsr_busy)
        tx_start(u);
    uart_update_irq(u);
}

static uint8_t read_rbr(Uart16550 *u)
{
    if (u->rx.count)
        u->rbr_last = fifo_pop(&u->rx);
    u->timeout_pending = false;
    timeout_rearm(u);
    uart_update_irq(u);
    return u->rbr_last;
}

static void write_ier(Uart16550 *u, uint8_t v)
{
    uint8_t old = u->ier;
    u->ier = v & 0x0F;
    /* Enabling ETBEI while THR is empty raises the THRE interrupt at once. */
    if ((u->ier & UART_IER_ETBEI) && !(old & UART_IER_ETBEI) && u->tx.count == 0)
        u->thr_ipending = true;
    uart_update_irq(u);
}

static uint8_t read_iir(Uart16550 *u)
{
    uint8_t src = uart_iir_source(u);
    if (src == UART_IIR_THRE)
        u->thr_ipending = false;
    uart_update_irq(u);
    return (uint8_t)(src | (fifo_mode(u) ? UART_IIR_FIFO : 0));
}

static void reset_rx_fifo(Uart16550 *u)
{
    fifo_clear(&u->rx);
    u->timeout_pending = false;
    clock_event_cancel(u->clock, &u->timeout_event);
}

static void reset_tx_fifo(Uart16550 *u)
{
    if (u->tx.count)
        u->thr_ipending = true;
    fifo_clear(&u->tx);
}

/* FCR bits 7-1 are written only together with FCR0 = 1; toggling FCR0 clears both FIFOs. */
static void write_fcr(Uart16550 *u, uint8_t v)
{
    bool enable = v & UART_FCR_ENABLE;
    if (enable != fifo_mode(u)) {
        reset_rx_fifo(u);
        reset_tx_fifo(u);
    }
    if (!enable) {
        u->fcr = 0;
    } else {
        u->fcr = v & (UART_FCR_ENABLE | UART_FCR_DMA | UART_FCR_TRIGGER);
        if (v & UART_FCR_RX_RESET)
            reset_rx_fifo(u);
        if (v & UART_FCR_TX_RESET)
            reset_tx_fifo(u);
    }
    uart_update_irq(u);
}

static uint8_t read_lsr(Uart16550 *u)
{
    uint8_t v = u->lsr_errors;
    if (u->rx.count)
        v |= UART_LSR_DR;
    if (u->tx.count == 0)
        v |= UART_LSR_THRE;
    if (u->tx.count == 0 && !u->tsr_busy)
        v |= UART_LSR_TEMT;
    u->lsr_errors = 0;
    uart_update_irq(u);
    return v;
}

/* Modem inputs; in loopback they are wired from MCR: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD. */
static uint8_t modem_inputs(const Uart16550 *u)
{
    if (!(u->mcr & UART_MCR_LOOP))
        return u->host_lines & 0xF0;
    uint8_t m = u->mcr;
    return (uint8_t)(((m & UART_MCR_RTS) ? UART_MSR_CTS : 0) | ((m & UART_MCR_DTR) ? UART_MSR_DSR : 0) |
                     ((m & UART_MCR_OUT1) ? UART_MSR_RI : 0) | ((m & UART_MCR_OUT2) ? UART_MSR_DCD : 0));
}

static void msr_update(Uart16550 *u)
{
    uint8_t now = modem_inputs(u), old = u->msr & 0xF0, changed = now ^ old;
    uint8_t delta = u->msr & 0x0F;
    if (changed & UART_MSR_CTS)
        delta |= UART_MSR_DCTS;
    if (changed & UART_MSR_DSR)
        delta |= UART_MSR_DDSR;
    if ((old & UART_MSR_RI) && !(now & UART_MSR_RI))
        delta |= UART_MSR_TERI;     /* trailing edge of RI only */
    if (changed & UART_MSR_DCD)
        delta |= UART_MSR_DDCD;
    u->msr = now | delta;
    uart_update_irq(u);
}

static uint8_t read_msr(Uart16550 *u)
{
    uint8_t v = u->msr;
    u->msr &= 0xF0;
    uart_update_irq(u);
    return v;
}

static uint32_t uart_read(void *opaque, uint32_t offset, unsigned size)
{
    Uart16550 *u = opaque;
    bool dlab = u->lcr & UART_LCR_DLAB;
    switch (offset) {
    case UART_RBR_THR: return dlab ? u->dll : read_rbr(u);
    case UART_IER: return dlab ? u->dlm : u->ier;
    case UART_IIR_FCR: return read_iir(u);
    case UART_LCR: return u->lcr;
    case UART_MCR: return u->mcr;
    case UART_LSR: return read_lsr(u);
    case UART_MSR: return read_msr(u);
    default: return u->scr;
    }
}

static void write_divisor(Uart16550 *u, uint32_t offset, uint8_t v)
{
    if (offset == UART_DLL)
        u->dll = v;
    else
        u->dlm = v;
    if (u->dll == 0 && u->dlm == 0)
        uart_log_once(u, LOG_DIVISOR_ZERO, "uart: divisor 0 programmed (counts as 65536)");
}

static void uart_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    Uart16550 *u = opaque;
    uint8_t v = (uint8_t)value;
    bool dlab = u->lcr & UART_LCR_DLAB;
    switch (offset) {
    case UART_RBR_THR:
    case UART_IER:
        if (dlab)
            write_divisor(u, offset, v);
        else if (offset == UART_RBR_THR)
            write_thr(u, v);
        else
            write_ier(u, v);
        break;
    case UART_IIR_FCR: write_fcr(u, v); break;
    case UART_LCR: u->lcr = v; break;
    case UART_MCR:
        u->mcr = v & 0x1F;
        msr_update(u);
        break;
    case UART_LSR:
    case UART_MSR:
        uart_log_once(u, LOG_READ_ONLY, "uart: write to LSR/MSR (factory test) ignored");
        break;
    default: u->scr = v; break;
    }
}

bool uart16550_map(Uart16550 *u, IoSpace *ports, uint16_t base)
{
    IoWindow w = { .name = "uart16550", .base = base, .length = 8, .widths = IO_WIDTH_8,
                   .read = uart_read, .write = uart_write, .opaque = u };
    return io_space_map(ports, &w);
}

bool uart16550_receive(Uart16550 *u, uint8_t byte)
{
    if (u->mcr & UART_MCR_LOOP)
        return false;       /* SIN is disconnected from the receiver in loopback */
    bool fits = u->rx.count < fifo_capacity(u);
    rx_push(u, byte);
    return fits;
}

unsigned uart16550_can_receive(const Uart16550 *u)
{
    if (u->mcr & UART_MCR_LOOP)
        return 0;
    return fifo_capacity(u) - u->rx.count;
}

void uart16550_set_modem_lines(Uart16550 *u, uint8_t lines)
{
    u->host_lines = lines & 0xF0;
    msr_update(u);
}

void uart16550_reset(Uart16550 *u)
{
    u->ier = 0;
    u->lcr = 0;
    u->mcr = 0;
    u->fcr = 0;
    u->lsr_errors = 0;
    fifo_clear(&u->rx);
    fifo_clear(&u->tx);
    u->tsr_busy = false;
    u->thr_ipending = false;
    u->timeout_pending = false;
    clock_event_cancel(u->clock, &u->tx_event);
    clock_event_cancel(u->clock, &u->timeout_event);
    u->msr = modem_inputs(u);
    uart_update_irq(u);
}

void uart16550_init(Uart16550 *u, Clock *clock, IrqLine irq, const SerialOps *ops, void *opaque)
{
    memset(u, 0, sizeof(*u));
    u->clock = clock;
    u->irq = irq;
    if (ops)
        u->ops = *ops;
    u->ops_opaque = opaque;
    clock_event_register(clock, &u->tx_event, "uart-tx", tx_fire, u);
    clock_event_register(clock, &u->timeout_event, "uart-timeout", timeout_fire, u);
    u->dll = 12;
    u->host_lines = UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD;
    uart16550_reset(u);
}

static const StateField uart16550_fields[] = {
    STATE_U8(Uart16550, ier), STATE_U8(Uart16550, lcr), STATE_U8(Uart16550, mcr),
    STATE_U8(Uart16550, scr), STATE_U8(Uart16550, dll), STATE_U8(Uart16550, dlm),
    STATE_U8(Uart16550, fcr), STATE_U8(Uart16550, lsr_errors), STATE_U8(Uart16550, msr),
    STATE_U8(Uart16550, host_lines), STATE_U8(Uart16550, rbr_last),
    STATE_U8_ARRAY(Uart16550, rx.data, UART_FIFO_SIZE), STATE_U8(Uart16550, rx.head),
    STATE_U8(Uart16550, rx.count),
    STATE_U8_ARRAY(Uart16550, tx.data, UART_FIFO_SIZE), STATE_U8(Uart16550, tx.head),
    STATE_U8(Uart16550, tx.count),
    STATE_U8(Uart16550, tsr), STATE_BOOL(Uart16550, tsr_busy),
    STATE_BOOL(Uart16550, thr_ipending), STATE_BOOL(Uart16550, timeout_pending),
    STATE_BOOL(Uart16550, irq_level),
    STATE_U64(Uart16550, tx_event.deadline), STATE_U64(Uart16550, timeout_event.deadline),
};

const StateDesc uart16550_state = STATE_DESC("uart16550", 1, uart16550_fields);
