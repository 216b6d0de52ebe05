/* SPDX-License-Identifier: MIT */
/*
 * An ATAPI CD-ROM drive on an ATA channel (ata.c), PIO only: the packet
 * device side of ATA/ATAPI-6 (T13/1410D 8.16 IDENTIFY PACKET DEVICE, 8.21
 * PACKET, 9.8 the PACKET PIO data-in protocol with its interrupt reason and
 * byte count limit) and the commands a BIOS, Linux's sr_mod and El Torito
 * loaders send (SPC-2 / MMC-2: TEST UNIT READY, REQUEST SENSE, INQUIRY,
 * START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL, READ CAPACITY, READ(10/12),
 * READ TOC formats 0 and 1, MODE SENSE(6/10) pages 01h/2Ah/3Fh, GET
 * CONFIGURATION, GET EVENT STATUS NOTIFICATION (polled, media class), READ
 * DISC INFORMATION, SEEK).  The disc is one data track of 2048-byte sectors,
 * read from a BlockDev of 512-byte sectors (four per CD sector).  Commands
 * complete at once; DRQ for the command packet comes without an interrupt
 * (IDENTIFY word 0 says "accelerated DRQ").  Not modelled: DMA and
 * overlapped commands, audio (PLAY/READ CD/subchannel), MODE SELECT, write
 * profiles, multi-session discs, changers.
 */
#ifndef FAULTLINE_ATAPI_H
#define FAULTLINE_ATAPI_H

#include <stdbool.h>
#include <stdint.h>

#include "ata.h"
#include "blockdev.h"
#include "bus.h"
#include "state.h"

#define ATAPI_SECTOR_SIZE 2048u
/* The interrupt reason register (the sector count register of a packet device). */
#define ATAPI_IR_COD 0x01           /* 1: command packet / status, 0: user data */
#define ATAPI_IR_IO 0x02            /* 1: to the host */
/* Sense keys (SPC-2 table 107). */
enum {
    SENSE_NONE = 0x0, SENSE_NOT_READY = 0x2, SENSE_MEDIUM_ERROR = 0x3,
    SENSE_ILLEGAL_REQUEST = 0x5, SENSE_UNIT_ATTENTION = 0x6,
};

enum { ATAPI_REPLY_MAX = 512 };

typedef enum AtapiPhase {
    ATAPI_IDLE, ATAPI_CDB, ATAPI_DATA_IN, ATAPI_IDENTIFY_IN,
} AtapiPhase;

typedef struct Atapi {
    /* Mechanism and medium. */
    bool tray_open;
    bool locked;                /* PREVENT ALLOW MEDIUM REMOVAL */
    bool unit_attention;        /* a medium arrived: the next command reports 06/28/00 */
    uint8_t media_event;        /* GET EVENT STATUS media event code not yet reported */
    uint8_t sense_key, asc, ascq;
    /* The command in progress. */
    uint8_t phase;              /* AtapiPhase */
    uint8_t cdb[12];
    uint8_t cdb_len;
    uint16_t byte_limit;        /* the cylinder registers when PACKET was written */
    uint32_t left;              /* bytes of the command's data not yet in a DRQ block */
    uint32_t chunk_left;        /* bytes of the current DRQ block not yet read */
    bool from_medium;           /* data comes from the disc (else from reply) */
    uint32_t lba;               /* next CD sector to load */
    uint32_t pos;               /* read position in sector[] or reply[] */
    uint32_t reply_len;
    uint8_t reply[ATAPI_REPLY_MAX];
    uint8_t sector[ATAPI_SECTOR_SIZE];

    BlockDev *image;            /* host side: the disc in the drive, or NULL */
    BusLogFn log;
    void *log_opaque;
    uint32_t logged;
} Atapi;

/* Power-on state with `image` (may be NULL) in the closed tray; a disc
 * present at power-on still reports UNIT ATTENTION once, as after a load. */
void atapi_init(Atapi *d, BlockDev *image);
/* Host: put a disc in (NULL: take it out).  Closes the tray. */
void atapi_change_medium(Atapi *d, BlockDev *image);
/* A disc can be read: present and the tray closed. */
bool atapi_medium_ready(const Atapi *d);
/* Capacity in 2048-byte sectors (0 without a disc). */
uint32_t atapi_capacity(const Atapi *d);

/* Called by the channel (ata.c) for the device at position `dev`. */
void atapi_reset(Atapi *d);                 /* hardware reset or SRST */
void atapi_command(Atapi *d, Ata *ata, int dev, uint8_t cmd);
uint32_t atapi_data_read(Atapi *d, Ata *ata, int dev, unsigned size);
void atapi_data_write(Atapi *d, Ata *ata, int dev, uint32_t value, unsigned size);

/* The MMC command set (atapi_mmc.c): runs cdb[] and leaves either a
 * reply in reply[]/reply_len, a medium transfer (from_medium, lba, left) or
 * sense data; returns false for CHECK CONDITION. */
bool atapi_mmc_execute(Atapi *d);
void atapi_set_sense(Atapi *d, uint8_t key, uint8_t asc, uint8_t ascq);

extern const StateDesc atapi_state;

#endif
