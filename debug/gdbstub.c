/* SPDX-License-Identifier: MIT */
/*
 * The GDB remote serial protocol (gdb manual, appendix E "Remote Protocol"):
 * $packet#checksum framing with +/- acknowledgements, registers as the
 * target description below lists them (gdb's i386 core set with the x87
 * registers, then cr0-cr4 read-only), memory by linear address (or
 * physical, after QEMU's Qqemu.PhysMemMode:1), breakpoints and watchpoints
 * (Z0-Z4, kept by the target: guest memory is never patched), single step,
 * continue, Ctrl-C, "monitor" commands (qRcmd) passed to the target, and
 * stop replies that name the breakpoint or watched address (swbreak,
 * hwbreak, watch, rwatch, awatch).  One debugger at a time, on 127.0.0.1
 * only.  Not done: no-ack mode, vCont, threads, writing x87 registers.
 */
#define _GNU_SOURCE
#include "gdbstub.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { MAX_PACKET = 4096, MAX_MONITOR_OUTPUT = 16384, MONITOR_CHUNK = 1024 };

struct GdbStub {
    GdbTarget target;
    int listen_fd, conn_fd;
    int port;
    bool stopped;
    char stop_reply[48];    /* why the guest last stopped, for '?' */
    bool phys_mode;         /* m/M take physical addresses (Qqemu.PhysMemMode:1) */
    bool gdb_swbreak, gdb_hwbreak;  /* gdb understands these stop reasons (its qSupported) */
    char packet[MAX_PACKET + 1];
    char reply[MAX_PACKET * 2 + 32];
};

static const char hex_digits[] = "0123456789abcdef";

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parses hex digits up to a non-hex character; *end points after them. */
static uint32_t parse_hex(const char *p, const char **end)
{
    uint32_t v = 0;
    while (hex_value(*p) >= 0)
        v = v << 4 | (uint32_t)hex_value(*p++);
    *end = p;
    return v;
}

GdbStub *gdbstub_listen(const GdbTarget *target, int port, char *err, size_t err_len)
{
    GdbStub *s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, err_len, "out of memory for the gdb stub");
        return NULL;
    }
    s->target = *target;
    s->conn_fd = -1;
    s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(addr);
    if (s->listen_fd < 0 ||
        setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(s->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        listen(s->listen_fd, 1) < 0 ||
        getsockname(s->listen_fd, (struct sockaddr *)&addr, &len) < 0) {
        snprintf(err, err_len, "gdb stub: cannot listen on 127.0.0.1:%d: %s", port, strerror(errno));
        if (s->listen_fd >= 0)
            close(s->listen_fd);
        free(s);
        return NULL;
    }
    s->port = ntohs(addr.sin_port);
    return s;
}

void gdbstub_destroy(GdbStub *s)
{
    if (!s)
        return;
    if (s->conn_fd >= 0)
        close(s->conn_fd);
    close(s->listen_fd);
    free(s);
}

int gdbstub_port(const GdbStub *s) { return s->port; }
bool gdbstub_connected(const GdbStub *s) { return s->conn_fd >= 0; }
bool gdbstub_stopped(const GdbStub *s) { return s->conn_fd >= 0 && s->stopped; }

bool gdbstub_accept(GdbStub *s, int timeout_ms)
{
    if (s->conn_fd >= 0)
        return true;
    struct pollfd p = { .fd = s->listen_fd, .events = POLLIN };
    if (poll(&p, 1, timeout_ms) <= 0)
        return false;
    s->conn_fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (s->conn_fd < 0)
        return false;
    int one = 1;
    setsockopt(s->conn_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    s->stopped = true;      /* gdb's first question is why the target stopped */
    s->gdb_swbreak = s->gdb_hwbreak = false;
    snprintf(s->stop_reply, sizeof(s->stop_reply), "T%02x", GDB_SIGTRAP);
    return true;
}

static void disconnect(GdbStub *s)
{
    if (s->conn_fd >= 0)
        close(s->conn_fd);
    s->conn_fd = -1;
    s->stopped = false;
}

/* One byte from the debugger, waiting for it; -1 when the connection ended. */
static int read_byte(GdbStub *s)
{
    uint8_t c;
    for (;;) {
        ssize_t n = read(s->conn_fd, &c, 1);
        if (n == 1)
            return c;
        if (n < 0 && errno == EINTR)
            continue;
        disconnect(s);
        return -1;
    }
}

static bool write_all(GdbStub *s, const char *buf, size_t len)
{
    while (len) {
        ssize_t n = write(s->conn_fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            disconnect(s);
            return false;
        }
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* Sends $data#cs and waits for the '+' (a '-' asks for it again). */
static void send_packet(GdbStub *s, const char *data)
{
    size_t len = strlen(data);
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += (uint8_t)data[i];
    char tail[4] = { '#', hex_digits[sum >> 4], hex_digits[sum & 15], 0 };
    for (int tries = 0; tries < 8 && s->conn_fd >= 0; tries++) {
        if (!write_all(s, "$", 1) || !write_all(s, data, len) || !write_all(s, tail, 3))
            return;
        int c;
        while ((c = read_byte(s)) >= 0 && c != '+' && c != '-')
            ;   /* anything else before the ack is noise */
        if (c != '-')
            return;
    }
}

/* True when the debugger has sent something within timeout_ms (-1: wait). */
static bool readable(GdbStub *s, int timeout_ms)
{
    struct pollfd p = { .fd = s->conn_fd, .events = POLLIN };
    int n;
    while ((n = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR)
        ;
    return n > 0;
}

typedef enum PacketRead { PACKET_GONE, PACKET_NONE, PACKET_READ } PacketRead;

/* Reads one packet into s->packet, acknowledging it.  Bytes before a '$'
 * (acks, a Ctrl-C while already stopped) are dropped; when only such
 * bytes came and wait is false, PACKET_NONE. */
static PacketRead get_packet(GdbStub *s, bool wait)
{
    for (;;) {
        int c;
        while ((c = read_byte(s)) >= 0 && c != '$')
            if (!wait && !readable(s, 0))
                return PACKET_NONE;
        if (c < 0)
            return PACKET_GONE;
        size_t len = 0;
        uint8_t sum = 0;
        while ((c = read_byte(s)) >= 0 && c != '#') {
            sum += (uint8_t)c;
            if (len < MAX_PACKET)
                s->packet[len++] = (char)c;
        }
        int hi = c < 0 ? -1 : read_byte(s);
        int lo = hi < 0 ? -1 : read_byte(s);
        if (lo < 0)
            return PACKET_GONE;
        s->packet[len] = '\0';
        if (hex_value((char)hi) * 16 + hex_value((char)lo) == sum)
            return write_all(s, "+", 1) ? PACKET_READ : PACKET_GONE;
        if (!write_all(s, "-", 1))
            return PACKET_GONE;
    }
}

/* 8 hex digits of a little-endian 32-bit value; false if malformed. */
static bool get_hex_le32(const char *in, uint32_t *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        int hi = hex_value(in[2 * i]), lo = hex_value(in[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        *v |= (uint32_t)(hi << 4 | lo) << (8 * i);
    }
    return true;
}

/*
 * gdb's register numbers (GDB_REG_* in gdbstub.h) follow from the order
 * below: the i386 core feature (which gdb requires to list the x87
 * registers), then the control registers in a feature of our own.
 */
static const char target_xml[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
    "<target version=\"1.0\">\n"
    "<feature name=\"org.gnu.gdb.i386.core\">\n"
    "<reg name=\"eax\" bitsize=\"32\" type=\"int32\" regnum=\"0\"/>\n"
    "<reg name=\"ecx\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"edx\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"ebx\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"esp\" bitsize=\"32\" type=\"data_ptr\"/>\n"
    "<reg name=\"ebp\" bitsize=\"32\" type=\"data_ptr\"/>\n"
    "<reg name=\"esi\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"edi\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"eip\" bitsize=\"32\" type=\"code_ptr\"/>\n"
    "<reg name=\"eflags\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"cs\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"ss\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"ds\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"es\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"fs\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"gs\" bitsize=\"32\" type=\"int32\"/>\n"
    "<reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\"/>\n"
    "<reg name=\"st1\" bitsize=\"80\" type=\"i387_ext\"/>\n"
    "<reg name=\"st2\" bitsize=\"80\" type=\"i387_ext\"/>\n"
    "<reg name=\"st3\" bitsize=\"80\" type=\"i387_ext\"/>\n"
    "<reg name=\"st4\" bitsize=\"80\" type=\"i387_ext\"/>\n"
    "<reg name=\"st5\" bitsize=\"80\" type=\"i387_ext\"/>\n"
    "<reg name=\"st6\" bitsize=\"80\" type=\"i387_ext\"/>\n"
    "<reg name=\"st7\" bitsize=\"80\" type=\"i387_ext\"/>\n"
    "<reg name=\"fctrl\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
    "<reg name=\"fstat\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
    "<reg name=\"ftag\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
    "<reg name=\"fiseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
    "<reg name=\"fioff\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
    "<reg name=\"foseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
    "<reg name=\"fooff\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
    "<reg name=\"fop\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
    "</feature>\n"
    "<feature name=\"org.faultline.i386.control\">\n"
    "<reg name=\"cr0\" bitsize=\"32\" type=\"int32\" group=\"system\"/>\n"
    "<reg name=\"cr2\" bitsize=\"32\" type=\"int32\" group=\"system\"/>\n"
    "<reg name=\"cr3\" bitsize=\"32\" type=\"int32\" group=\"system\"/>\n"
    "<reg name=\"cr4\" bitsize=\"32\" type=\"int32\" group=\"system\"/>\n"
    "</feature>\n"
    "</target>\n";

static size_t reg_size(int regno)
{
    return regno >= GDB_REG_ST0 && regno < GDB_REG_FCTRL ? 10 : 4;
}

/* One register in the reply at out: hex bytes, or 'x's for one the target
 * cannot show; returns the characters written. */
static size_t put_register(GdbStub *s, char *out, int regno)
{
    uint8_t buf[GDB_REG_MAX_BYTES];
    size_t n = reg_size(regno);
    if (s->target.read_reg(s->target.ctx, regno, buf) != n) {
        memset(out, 'x', 2 * n);
        return 2 * n;
    }
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex_digits[buf[i] >> 4];
        out[2 * i + 1] = hex_digits[buf[i] & 15];
    }
    return 2 * n;
}

static void read_registers(GdbStub *s)
{
    size_t n = 0;
    for (int r = 0; r < GDB_REG_COUNT; r++)
        n += put_register(s, s->reply + n, r);
    s->reply[n] = '\0';
}

/* qXfer:features:read:target.xml:OFFSET,LENGTH */
static const char *read_features(GdbStub *s, const char *args)
{
    const char *p;
    if (strncmp(args, "target.xml:", 11) != 0)
        return "E00";
    size_t offset = parse_hex(args + 11, &p), len = 0, total = sizeof(target_xml) - 1;
    if (*p == ',')
        len = parse_hex(p + 1, &p);
    if (len > MAX_PACKET - 1)
        len = MAX_PACKET - 1;
    if (offset >= total)
        return "l";
    size_t n = total - offset < len ? total - offset : len;
    s->reply[0] = offset + n < total ? 'm' : 'l';
    memcpy(s->reply + 1, target_xml + offset, n);   /* no '#', '$' or '}' to escape */
    s->reply[1 + n] = '\0';
    return s->reply;
}

static const char *write_registers(GdbStub *s, const char *hex)
{
    bool ok = true;
    for (int r = 0; r < GDB_CORE_REGS && strlen(hex) >= 8; r++, hex += 8) {
        uint32_t v;
        if (!get_hex_le32(hex, &v))
            return "E01";
        ok &= s->target.write_reg(s->target.ctx, r, v);
    }
    return ok ? "OK" : "E02";
}

static const char *register_one(GdbStub *s, const char *args, bool write)
{
    const char *p;
    uint32_t regno = parse_hex(args, &p), v;
    if (regno >= GDB_REG_COUNT)
        return "E00";
    if (!write) {
        s->reply[put_register(s, s->reply, (int)regno)] = '\0';
        return s->reply;
    }
    if (*p != '=' || !get_hex_le32(p + 1, &v))
        return "E01";
    if (regno >= GDB_CORE_REGS)
        return "E02";       /* x87 and control registers are read-only here */
    return s->target.write_reg(s->target.ctx, (int)regno, v) ? "OK" : "E02";
}

static const char *read_memory(GdbStub *s, const char *args)
{
    const char *p;
    uint32_t addr = parse_hex(args, &p);
    if (*p != ',')
        return "E01";
    uint32_t len = parse_hex(p + 1, &p);
    if (len > MAX_PACKET / 2)
        len = MAX_PACKET / 2;
    uint8_t buf[MAX_PACKET / 2];
    size_t n = (s->phys_mode ? s->target.read_phys : s->target.read_mem)(s->target.ctx, addr, buf, len);
    if (n == 0 && len)
        return "E14";       /* EFAULT */
    for (size_t i = 0; i < n; i++) {
        s->reply[2 * i] = hex_digits[buf[i] >> 4];
        s->reply[2 * i + 1] = hex_digits[buf[i] & 15];
    }
    s->reply[2 * n] = '\0';
    return s->reply;
}

static const char *write_memory(GdbStub *s, const char *args)
{
    const char *p;
    uint32_t addr = parse_hex(args, &p);
    if (*p != ',')
        return "E01";
    uint32_t len = parse_hex(p + 1, &p);
    if (*p != ':' || len > MAX_PACKET / 2 || strlen(p + 1) < 2 * (size_t)len)
        return "E01";
    uint8_t buf[MAX_PACKET / 2];
    for (uint32_t i = 0; i < len; i++) {
        int hi = hex_value(p[1 + 2 * i]), lo = hex_value(p[2 + 2 * i]);
        if (hi < 0 || lo < 0)
            return "E01";
        buf[i] = (uint8_t)(hi << 4 | lo);
    }
    size_t n = (s->phys_mode ? s->target.write_phys : s->target.write_mem)(s->target.ctx, addr, buf, len);
    return n == len ? "OK" : "E14";
}

/* Z/z TYPE,ADDR,KIND: gdb's breakpoints (KIND is the instruction length,
 * which a breakpoint by address ignores) and watchpoints (KIND bytes). */
static const char *point(GdbStub *s, const char *args, bool insert)
{
    const char *p;
    if (args[0] < '0' || args[0] > '4' || args[1] != ',' || !s->target.insert_point)
        return "";
    GdbPointType type = (GdbPointType)(args[0] - '0');
    uint32_t addr = parse_hex(args + 2, &p), len = 1;
    if (*p == ',')
        len = parse_hex(p + 1, &p);
    if (type < GDB_POINT_WATCH_WRITE || len == 0)
        len = 1;
    if (insert)
        return s->target.insert_point(s->target.ctx, type, addr, len) ? "OK" : "E28";  /* ENOSPC */
    return s->target.remove_point(s->target.ctx, type, addr, len) ? "OK" : "E02";
}

/* qRcmd,HEX: the command in hex; its output goes to gdb in O packets of
 * hex text, then the answer is OK. */
static const char *monitor_command(GdbStub *s, const char *hex)
{
    char cmd[256];
    static const size_t out_len = MAX_MONITOR_OUTPUT;
    size_t n = 0;
    for (; hex[0] && hex[1] && n < sizeof(cmd) - 1; hex += 2) {
        int hi = hex_value(hex[0]), lo = hex_value(hex[1]);
        if (hi < 0 || lo < 0)
            return "E01";
        cmd[n++] = (char)(hi << 4 | lo);
    }
    cmd[n] = '\0';
    char *out = calloc(1, out_len);
    if (!out)
        return "E0c";       /* ENOMEM */
    if (s->target.monitor)
        s->target.monitor(s->target.ctx, cmd, out, out_len);
    else
        snprintf(out, out_len, "no monitor commands\n");
    size_t len = strlen(out);
    for (size_t at = 0; at < len && s->conn_fd >= 0; at += MONITOR_CHUNK) {
        size_t chunk = len - at < MONITOR_CHUNK ? len - at : MONITOR_CHUNK;
        s->reply[0] = 'O';
        for (size_t i = 0; i < chunk; i++) {
            s->reply[1 + 2 * i] = hex_digits[(uint8_t)out[at + i] >> 4];
            s->reply[2 + 2 * i] = hex_digits[(uint8_t)out[at + i] & 15];
        }
        s->reply[1 + 2 * chunk] = '\0';
        send_packet(s, s->reply);
    }
    free(out);
    return "OK";
}

/* qSupported:FEATURES: notes which stop reasons gdb understands. */
static const char *supported(GdbStub *s, const char *features)
{
    s->gdb_swbreak = strstr(features, "swbreak+") != NULL;
    s->gdb_hwbreak = strstr(features, "hwbreak+") != NULL;
    return "PacketSize=1000;qXfer:features:read+;swbreak+;hwbreak+";  /* hex: 4096 bytes */
}

/* c, s, Csig, Ssig with an optional ;ADDR (or ADDR for c and s): the
 * signal is not used (a held exception is delivered either way); an
 * address is the new EIP. */
static GdbResume resume_packet(GdbStub *s, const char *pk)
{
    const char *p = pk + 1, *end;
    if (pk[0] == 'C' || pk[0] == 'S') {
        parse_hex(p, &end);
        p = *end == ';' ? end + 1 : end;
    }
    if (hex_value(*p) >= 0)
        s->target.write_reg(s->target.ctx, GDB_REG_EIP, parse_hex(p, &end));
    return pk[0] == 's' || pk[0] == 'S' ? GDB_RESUME_STEP : GDB_RESUME_CONTINUE;
}

/* Answers one packet; true with *resume set when it resumes the guest. */
static bool handle_packet(GdbStub *s, GdbResume *resume)
{
    const char *pk = s->packet, *reply = "";
    switch (pk[0]) {
    case '?':
        reply = s->stop_reply;
        break;
    case 'g':
        read_registers(s);
        reply = s->reply;
        break;
    case 'G':
        reply = write_registers(s, pk + 1);
        break;
    case 'p':
    case 'P':
        reply = register_one(s, pk + 1, pk[0] == 'P');
        break;
    case 'm':
        reply = read_memory(s, pk + 1);
        break;
    case 'M':
        reply = write_memory(s, pk + 1);
        break;
    case 'Z':
    case 'z':
        reply = point(s, pk + 1, pk[0] == 'Z');
        break;
    case 'H':
    case 'T':
        reply = "OK";
        break;
    case 'Q':
        if (!strncmp(pk, "Qqemu.PhysMemMode:", 18)) {
            s->phys_mode = pk[18] == '1';
            reply = "OK";
        }
        break;
    case 's':
    case 'c':
    case 'S':
    case 'C':
        *resume = resume_packet(s, pk);
        return true;
    case 'k':
        *resume = GDB_RESUME_KILL;
        return true;
    case 'D':
        send_packet(s, "OK");
        *resume = GDB_RESUME_DETACH;
        return true;
    case 'q':
        if (!strncmp(pk, "qSupported", 10))
            reply = supported(s, pk + 10);
        else if (!strncmp(pk, "qRcmd,", 6))
            reply = monitor_command(s, pk + 6);
        else if (!strncmp(pk, "qXfer:features:read:", 20))
            reply = read_features(s, pk + 20);
        else if (!strcmp(pk, "qqemu.PhysMemMode"))
            reply = s->phys_mode ? "1" : "0";
        else if (!strcmp(pk, "qAttached"))
            reply = "1";                    /* attached to a running machine: kill or detach on quit */
        break;
    case 'v':
        if (!strncmp(pk, "vKill", 5)) {
            send_packet(s, "OK");
            *resume = GDB_RESUME_KILL;
            return true;
        }
        break;      /* vCont? and the rest: empty, so gdb uses s and c */
    }
    send_packet(s, reply);
    return false;
}

GdbResume gdbstub_serve(GdbStub *s, int timeout_ms)
{
    GdbResume resume = GDB_RESUME_DETACH;
    while (s->conn_fd >= 0) {
        if (timeout_ms >= 0 && !readable(s, timeout_ms))
            return GDB_RESUME_NONE;
        PacketRead got = get_packet(s, timeout_ms < 0);
        if (got == PACKET_NONE)
            continue;
        if (got == PACKET_GONE)
            break;
        if (handle_packet(s, &resume)) {
            if (resume == GDB_RESUME_DETACH || resume == GDB_RESUME_KILL)
                disconnect(s);
            else
                s->stopped = false;
            return resume;
        }
    }
    return GDB_RESUME_DETACH;
}

bool gdbstub_poll_interrupt(GdbStub *s)
{
    if (s->conn_fd < 0)
        return false;
    struct pollfd p = { .fd = s->conn_fd, .events = POLLIN };
    bool interrupted = false;
    while (s->conn_fd >= 0 && poll(&p, 1, 0) > 0) {
        char buf[256];
        ssize_t n = read(s->conn_fd, buf, sizeof(buf));
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            disconnect(s);
            return false;
        }
        interrupted |= memchr(buf, 0x03, (size_t)n) != NULL;
    }
    return interrupted;
}

void gdbstub_report_stop(GdbStub *s, GdbStop stop)
{
    if (s->conn_fd < 0)
        return;
    static const char *const reasons[] = {
        [GDB_STOP_WATCH] = "watch", [GDB_STOP_RWATCH] = "rwatch", [GDB_STOP_AWATCH] = "awatch",
    };
    int n = snprintf(s->stop_reply, sizeof(s->stop_reply), "T%02x", stop.signal & 0xFF);
    size_t room = sizeof(s->stop_reply) - (size_t)n;
    /* gdb that did not announce swbreak/hwbreak would not understand them. */
    if (stop.kind == GDB_STOP_SWBREAK && s->gdb_swbreak)
        snprintf(s->stop_reply + n, room, "swbreak:;");
    else if (stop.kind == GDB_STOP_HWBREAK && s->gdb_hwbreak)
        snprintf(s->stop_reply + n, room, "hwbreak:;");
    else if (stop.kind >= GDB_STOP_WATCH)
        snprintf(s->stop_reply + n, room, "%s:%08x;", reasons[stop.kind], stop.addr);
    s->stopped = true;
    send_packet(s, s->stop_reply);
}

static void report_end(GdbStub *s, char kind, int value)
{
    if (s->conn_fd < 0)
        return;
    char reply[8];
    snprintf(reply, sizeof(reply), "%c%02x", kind, value & 0xFF);
    send_packet(s, reply);
    disconnect(s);
}

void gdbstub_report_exit(GdbStub *s, int status) { report_end(s, 'W', status); }
void gdbstub_report_killed(GdbStub *s, int signal) { report_end(s, 'X', signal); }
