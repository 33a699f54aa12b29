// Header: the first 12 bytes of every DNS message (RFC 1035 section 4.1.1).
//
//                                 1  1  1  1  1  1
//   0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
//  +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//  |                      ID                       |
//  +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//  |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
//  +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//  |                    QDCOUNT                    |
//  |                    ANCOUNT                    |
//  |                    NSCOUNT                    |
//  |                    ARCOUNT                    |
//  +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
//
// AD and CD were carved out of RFC 1035's three Z bits by DNSSEC (RFC 4035
// section 3.2); one Z bit is left and must be zero.
#pragma once

#include "message_reader.hpp"

#include <cstdint>

namespace dns {

struct Header {
    static constexpr size_t size = 12;

    uint16_t id = 0;      // chosen by the asker, copied into the response
    bool qr = false;      // 0: a query, 1: a response
    uint8_t opcode = 0;   // 0: a standard query (QUERY)
    bool aa = false;      // the answer comes from an authority for the zone
    bool tc = false;      // the message was truncated
    bool rd = false;      // the asker wants the server to recurse
    bool ra = false;      // the server offers recursion
    bool z = false;       // reserved, must be zero
    bool ad = false;      // DNSSEC: the data is authenticated
    bool cd = false;      // DNSSEC: checking disabled
    uint8_t rcode = 0;    // the response code, 0: no error
    uint16_t qdcount = 0; // number of questions
    uint16_t ancount = 0; // number of answer records
    uint16_t nscount = 0; // number of authority records
    uint16_t arcount = 0; // number of additional records
};

// Reads the 12 header bytes. Throws ParseError if there are fewer.
Header parse_header(MessageReader& reader);

} // namespace dns
