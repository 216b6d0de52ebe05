/* SPDX-License-Identifier: MIT */
/*
 * The host side of the serial ports.  Reads are non-blocking and happen
 * between slices of virtual time; a byte the UART cannot take yet (its FIFO
 * is full) waits here, so nothing typed is lost.
 */
#define _XOPEN_SOURCE 700
#include "serial.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

bool serial_spec_parse(const char *value, SerialSpec *spec)
{
    *spec = (SerialSpec){ SERIAL_NONE, NULL };
    if (!strcmp(value, "none"))
        return true;
    if (!strcmp(value, "stdio"))
        return spec->kind = SERIAL_STDIO, true;
    if (!strcmp(value, "pty"))
        return spec->kind = SERIAL_PTY, true;
    if (!strncmp(value, "file:", 5) && value[5])
        return spec->kind = SERIAL_FILE, spec->path = value + 5, true;
    return false;
}

static bool open_pty(SerialHost *h, int port, char *err, size_t err_len)
{
    int fd = posix_openpt(O_RDWR | O_NOCTTY);
    if (fd < 0 || grantpt(fd) != 0 || unlockpt(fd) != 0) {
        snprintf(err, err_len, "cannot create a pty for COM%d: %s", port + 1, strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fprintf(stderr, "faultline: COM%d is %s\n", port + 1, ptsname(fd));
    h->out_fd[port] = h->in_fd[port] = fd;
    return true;
}

static void make_stdin_raw(SerialHost *h)
{
    fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &h->saved_termios) != 0)
        return;
    struct termios raw = h->saved_termios;
    raw.c_lflag &= (tcflag_t) ~(ICANON | ECHO);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
        h->stdin_raw = true;
}

bool serial_open(SerialHost *h, char *err, size_t err_len)
{
    for (int i = 0; i < SERIAL_PORTS; i++) {
        h->out_fd[i] = h->in_fd[i] = -1;
        h->has_pending[i] = false;
    }
    for (int i = 0; i < SERIAL_PORTS; i++) {
        switch (h->spec[i].kind) {
        case SERIAL_NONE:
            break;
        case SERIAL_STDOUT:
            h->out_fd[i] = STDOUT_FILENO;
            break;
        case SERIAL_STDIO:
            h->out_fd[i] = STDOUT_FILENO;
            h->in_fd[i] = STDIN_FILENO;
            make_stdin_raw(h);
            break;
        case SERIAL_FILE:
            h->out_fd[i] = open(h->spec[i].path, O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (h->out_fd[i] < 0) {
                snprintf(err, err_len, "cannot open '%s' for COM%d: %s", h->spec[i].path, i + 1, strerror(errno));
                return false;
            }
            break;
        case SERIAL_PTY:
            if (!open_pty(h, i, err, err_len))
                return false;
            break;
        }
    }
    return true;
}

void serial_close(SerialHost *h)
{
    if (h->stdin_raw)
        tcsetattr(STDIN_FILENO, TCSANOW, &h->saved_termios);
    h->stdin_raw = false;
    for (int i = 0; i < SERIAL_PORTS; i++) {
        if (h->out_fd[i] > STDERR_FILENO)
            close(h->out_fd[i]);
        h->out_fd[i] = h->in_fd[i] = -1;
    }
}

void serial_write(SerialHost *h, int port, uint8_t ch)
{
    if (port < 0 || port >= SERIAL_PORTS || h->out_fd[port] < 0)
        return;
    if (h->out_fd[port] == STDOUT_FILENO) {
        putchar(ch);
        if (ch == '\n')
            fflush(stdout);
        return;
    }
    ssize_t ignored = write(h->out_fd[port], &ch, 1);     /* a full pty drops, as a line would */
    (void)ignored;
}

void serial_poll(SerialHost *h, Machine *m)
{
    for (int i = 0; i < SERIAL_PORTS; i++) {
        if (h->in_fd[i] < 0)
            continue;
        for (;;) {
            if (!h->has_pending[i]) {
                if (read(h->in_fd[i], &h->pending[i], 1) != 1)
                    break;
                h->has_pending[i] = true;
            }
            if (!machine_serial_input(m, i, h->pending[i]))
                break;
            h->has_pending[i] = false;
        }
    }
}
