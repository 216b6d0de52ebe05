/* SPDX-License-Identifier: MIT */
/*
 * Host ends of the guest's COM1-COM4 (-serial, once per port in order):
 *   stdio       output to standard output; input from standard input
 *               (raw when it is a terminal)
 *   file:PATH   output appended to a file
 *   pty         a pseudo-terminal for both directions; its name is printed
 *   none        nothing attached
 * By default COM1's output goes to standard output and nothing is read.
 */
#ifndef FAULTLINE_SERIAL_H
#define FAULTLINE_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

#include "machine.h"

enum { SERIAL_PORTS = 4 };

typedef enum SerialKind { SERIAL_NONE, SERIAL_STDOUT, SERIAL_STDIO, SERIAL_FILE, SERIAL_PTY } SerialKind;

typedef struct SerialSpec {
    SerialKind kind;
    const char *path;       /* SERIAL_FILE */
} SerialSpec;

typedef struct SerialHost {
    SerialSpec spec[SERIAL_PORTS];
    int out_fd[SERIAL_PORTS];
    int in_fd[SERIAL_PORTS];
    uint8_t pending[SERIAL_PORTS];      /* a byte read but not yet accepted */
    bool has_pending[SERIAL_PORTS];
    bool stdin_raw;
    struct termios saved_termios;   /* the terminal as it was, restored on close */
} SerialHost;

/* Parses one -serial value; false if it is not one of the forms above. */
bool serial_spec_parse(const char *value, SerialSpec *spec);
/* Opens the host ends; false with a one-line reason in err. */
bool serial_open(SerialHost *h, char *err, size_t err_len);
void serial_close(SerialHost *h);
/* Guest output on port (0-3). */
void serial_write(SerialHost *h, int port, uint8_t ch);
/* Moves waiting host input into the machine without blocking. */
void serial_poll(SerialHost *h, Machine *m);

#endif
