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

// The flag bits of the header's second 16-bit word, as the diagram above
// places them: the writer sets them, and the fast path and the workers, which
// patch a message's bytes, test them in its third and fourth bytes.
namespace header_flags {
constexpr uint16_t qr = 0x8000;
constexpr uint16_t opcode = 0x7800;
constexpr uint16_t aa = 0x0400;
constexpr uint16_t tc = 0x0200;
constexpr uint16_t rd = 0x0100;
constexpr uint16_t ra = 0x0080;
constexpr uint16_t ad = 0x0020;
constexpr uint16_t cd = 0x0010;
constexpr uint16_t rcode = 0x000f;
// The same bits, as they stand in byte 2 (the high byte) and byte 3 (the low).
constexpr uint8_t in_byte_2(uint16_t flag) {
    return static_cast<uint8_t>(flag >> 8);
}
constexpr uint8_t in_byte_3(uint16_t flag) {
    return static_cast<uint8_t>(flag & 0xff);
}
} // namespace header_flags

// Reads the 12 header bytes. Throws ParseError if there are fewer.
Header parse_header(MessageReader& reader);

} // namespace dns
