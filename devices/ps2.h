/* SPDX-License-Identifier: MIT */
/*
 * What the 8042 keyboard controller and the PS/2 devices behind it share: the
 * link between them (the controller pushes a byte down the serial line with
 * write() and pulls the device's next byte with read(); a device announces
 * that it has a byte with its notify hook), the small byte FIFO each of them
 * buffers in, and the 8042's scan-code translation table (set 2 -> set 1),
 * which the keyboard reuses to produce set 1 itself.  The serial protocol
 * (clock/data lines, parity, bit timing) is not modelled: a byte crosses the
 * link at once, and only when the controller can take it.
 */
#ifndef FAULTLINE_PS2_H
#define FAULTLINE_PS2_H

#include <stdbool.h>
#include <stdint.h>

/* The controller's view of one device port (keyboard or auxiliary). */
typedef struct Ps2Device {
    void (*write)(void *dev, uint8_t byte);     /* a byte from the host; NULL: nothing plugged in */
    bool (*read)(void *dev, uint8_t *byte);     /* the device's next byte, false if none */
    void *dev;
} Ps2Device;

/* A device's way to say "I have a byte to send" (the controller then pulls it). */
typedef struct Ps2Notify {
    void (*ready)(void *ctl);
    void *ctl;
} Ps2Notify;

static inline void ps2_notify(Ps2Notify n)
{
    if (n.ready)
        n.ready(n.ctl);
}

/* A byte FIFO; 16 bytes is the buffer size of an IBM keyboard. */
enum { PS2_QUEUE_SIZE = 16 };

typedef struct Ps2Queue {
    uint8_t data[PS2_QUEUE_SIZE];
    uint8_t head;
    uint8_t count;
} Ps2Queue;

static inline unsigned ps2_queue_free(const Ps2Queue *q)
{
    return PS2_QUEUE_SIZE - q->count;
}

static inline void ps2_queue_clear(Ps2Queue *q)
{
    q->head = 0;
    q->count = 0;
}

/* Appends a byte; false (and nothing stored) when the queue is full. */
static inline bool ps2_queue_push(Ps2Queue *q, uint8_t byte)
{
    if (q->count == PS2_QUEUE_SIZE)
        return false;
    q->data[(q->head + q->count) % PS2_QUEUE_SIZE] = byte;
    q->count++;
    return true;
}

static inline bool ps2_queue_pop(Ps2Queue *q, uint8_t *byte)
{
    if (!q->count)
        return false;
    *byte = q->data[q->head];
    q->head = (uint8_t)((q->head + 1) % PS2_QUEUE_SIZE);
    q->count--;
    return true;
}

/* Responses a PS/2 device sends. */
enum {
    PS2_ACK = 0xFA,
    PS2_RESEND = 0xFE,
    PS2_ERROR = 0xFC,
    PS2_BAT_OK = 0xAA,
    PS2_ECHO = 0xEE,
    PS2_BREAK_PREFIX = 0xF0,        /* set 2/3: the next byte is a key release */
    PS2_EXT_PREFIX = 0xE0,
    PS2_EXT1_PREFIX = 0xE1,         /* Pause */
};

/*
 * The 8042 translation of one set-2 byte into set 1 (Konzak, "PC 8042
 * Controller").  Bytes 0x80 and up pass unchanged except 0x83 (F7) and 0x84
 * (SysRq); the F0 break prefix is not translated here but by the caller,
 * which ORs 0x80 into the next translated byte.
 */
uint8_t ps2_translate_set2(uint8_t byte);

#endif
