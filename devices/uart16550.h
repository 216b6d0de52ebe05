/* SPDX-License-Identifier: MIT */
/*
 * The National Semiconductor PC16550D UART (the "16550A" of PC serial
 * ports), one instance per COM port; the machine maps COM1-4 at
 * 0x3F8/0x2F8/0x3E8/0x2E8 on IRQ4/3/4/3.  Follows the PC16550D datasheet:
 * RBR/THR, IER, IIR/FCR with 16-byte FIFOs, receive trigger levels and the
 * character timeout indication, LCR, MCR with loopback, LSR, MSR with delta
 * bits, SCR and the divisor latch; interrupt priorities and IIR semantics as
 * specified.  Characters take their real time on the line (start, data,
 * parity and stop bits at the programmed baud rate, in virtual time).  As on
 * the PC board, the IRQ output is gated by OUT2 (and so is off in loopback).
 * Not modelled: parity/framing errors and break (the host link carries only
 * bytes, so PE/FE/BI and LSR bit 7 stay clear), DMA mode signalling, the
 * 1-bit-time delay before THR moves into the shift register.
 */
#ifndef FAULTLINE_UART16550_H
#define FAULTLINE_UART16550_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "clock.h"
#include "state.h"

#define UART_FIFO_SIZE 16
#define UART_CLOCK_HZ 1843200u      /* the PC's crystal: 115200 baud at divisor 1 */

enum {
    UART_RBR_THR = 0, UART_IER = 1, UART_IIR_FCR = 2, UART_LCR = 3,
    UART_MCR = 4, UART_LSR = 5, UART_MSR = 6, UART_SCR = 7,
    UART_DLL = 0, UART_DLM = 1,     /* while LCR.DLAB is set */
};

enum {
    UART_IER_ERBFI = 0x01, UART_IER_ETBEI = 0x02, UART_IER_ELSI = 0x04, UART_IER_EDSSI = 0x08,
    /* IIR: bit 0 = no interrupt pending, bits 3-1 the source, bits 7-6 set when FIFOs are on */
    UART_IIR_NONE = 0x01, UART_IIR_MODEM = 0x00, UART_IIR_THRE = 0x02, UART_IIR_RX = 0x04,
    UART_IIR_LINE = 0x06, UART_IIR_TIMEOUT = 0x0C, UART_IIR_FIFO = 0xC0,
    UART_FCR_ENABLE = 0x01, UART_FCR_RX_RESET = 0x02, UART_FCR_TX_RESET = 0x04,
    UART_FCR_DMA = 0x08, UART_FCR_TRIGGER = 0xC0,
    UART_LCR_WLS = 0x03, UART_LCR_STB = 0x04, UART_LCR_PEN = 0x08, UART_LCR_BREAK = 0x40,
    UART_LCR_DLAB = 0x80,
    UART_MCR_DTR = 0x01, UART_MCR_RTS = 0x02, UART_MCR_OUT1 = 0x04, UART_MCR_OUT2 = 0x08,
    UART_MCR_LOOP = 0x10,
    UART_LSR_DR = 0x01, UART_LSR_OE = 0x02, UART_LSR_PE = 0x04, UART_LSR_FE = 0x08,
    UART_LSR_BI = 0x10, UART_LSR_THRE = 0x20, UART_LSR_TEMT = 0x40, UART_LSR_FIFO_ERR = 0x80,
    UART_MSR_DCTS = 0x01, UART_MSR_DDSR = 0x02, UART_MSR_TERI = 0x04, UART_MSR_DDCD = 0x08,
    UART_MSR_CTS = 0x10, UART_MSR_DSR = 0x20, UART_MSR_RI = 0x40, UART_MSR_DCD = 0x80,
};

/* The host side: where transmitted characters go (write may be NULL: nothing attached). */
typedef struct SerialOps {
    void (*write)(void *opaque, uint8_t ch);
} SerialOps;

typedef struct UartFifo {
    uint8_t data[UART_FIFO_SIZE];
    uint8_t head;
    uint8_t count;
} UartFifo;

typedef struct Uart16550 {
    uint8_t ier, lcr, mcr, scr, dll, dlm;
    uint8_t fcr;                /* FIFO enable, DMA mode and trigger bits as written */
    uint8_t lsr_errors;         /* latched OE/PE/FE/BI, cleared by reading LSR */
    uint8_t msr;                /* line states (7-4) and delta bits (3-0) */
    uint8_t host_lines;         /* CTS/DSR/RI/DCD driven by the host, MSR positions */
    uint8_t rbr_last;           /* RBR keeps the last character when the FIFO is empty */
    UartFifo rx, tx;
    uint8_t tsr;                /* the character being shifted out */
    bool tsr_busy;
    bool thr_ipending;          /* the THRE interrupt latch */
    bool timeout_pending;
    bool irq_level;
    ClockEvent tx_event;        /* end of the character in the shift register */
    ClockEvent timeout_event;   /* four character times after the last FIFO activity */

    Clock *clock;
    IrqLine irq;
    SerialOps ops;
    void *ops_opaque;
    BusLogFn log;
    void *log_opaque;
    uint32_t logged;
} Uart16550;

/* Power-on: master reset, 9600 baud divisor, host lines CTS, DSR and DCD asserted. */
void uart16550_init(Uart16550 *u, Clock *clock, IrqLine irq, const SerialOps *ops, void *opaque);
/* The MR pin: registers per the datasheet's reset table; SCR and the divisor stay. */
void uart16550_reset(Uart16550 *u);
bool uart16550_map(Uart16550 *u, IoSpace *ports, uint16_t base);

/* A byte arrives from the host; false in loopback (ignored) or on an overrun (OE set). */
bool uart16550_receive(Uart16550 *u, uint8_t byte);
/* How many bytes the receiver can take now without an overrun. */
unsigned uart16550_can_receive(const Uart16550 *u);
/* The host's modem status inputs (UART_MSR_CTS | ... ); changes set the delta bits. */
void uart16550_set_modem_lines(Uart16550 *u, uint8_t lines);
/* Guest time of one character at the current line settings. */
uint64_t uart16550_char_ns(const Uart16550 *u);

extern const StateDesc uart16550_state;

#endif
