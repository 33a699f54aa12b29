// The record types this stage knows: one description per type, a list of the
// fields its RDATA is made of. The same description drives all three things a
// resolver does with a record (the way PowerDNS describes each type once):
//
//   reading   from a message: each field checked, compressed names written out;
//   writing   into a message: names compressed where the type allows it;
//   printing  as presentation text, the way dig prints it.
//
// MX, for example, is {u16, compressible_name}: a 16-bit preference, then the
// mail exchanger's name (RFC 1035 section 3.3.9). Adding a type is adding one
// line to the table in record_types.cpp. A type without a description is kept
// as opaque bytes and printed in the generic form of RFC 3597 section 5.
#pragma once

#include "message_reader.hpp"
#include "message_writer.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dns {

// The kinds of field that RDATA is made of.
enum class FieldKind {
    u8,          // an 8-bit number
    u16,         // a 16-bit number, network byte order
    u32,         // a 32-bit number
    record_type, // a 16-bit record type, printed by name: RRSIG's type covered
    time,        // 32-bit seconds since 1970, printed YYYYMMDDHHMMSS (RFC 4034 section 3.2)
    ipv4,        // 4 bytes (RFC 1035 section 3.4.1)
    ipv6,        // 16 bytes (RFC 3596 section 2.2)
    // A name that may be compressed in the RDATA of the types of RFC 1035 (RFC
    // 3597 section 4): a pointer may stand for it when written.
    compressible_name,
    // A name that is never compressed when written (every type after RFC 1035;
    // RFC 3597 section 4, RFC 4034 section 6.2). Read either way: some old
    // servers compress SRV and others (RFC 3597 section 4 asks us to cope).
    name,
    character_string,   // a length byte and that many bytes, printed in quotes (RFC 1035 3.3)
    character_strings,  // one or more character-strings, to the end of the RDATA: TXT
    tag,                // CAA's tag: a length byte and letters, printed without quotes
    quoted_rest,        // CAA's value: the rest of the RDATA, printed as one quoted string
    hex_rest,           // the rest of the RDATA in hex: DS's digest, TLSA's data
    base64_rest,        // the rest in base64: a DNSKEY's key, an RRSIG's signature
    hex_with_length,    // a length byte, then bytes printed in hex, "-" if none: NSEC3's salt
    base32_with_length, // a length byte, then bytes in base32hex: NSEC3's next hashed owner
    type_bitmap,        // which types exist at a name (RFC 4034 section 4.1.2): NSEC, NSEC3
    service_parameters, // key=value pairs of SVCB and HTTPS (RFC 9460 section 2.2)
    edns_options,       // code, length, data of each EDNS option (RFC 6891 section 6.1.2)
};

// The fields of `type`'s RDATA, in order; empty for a type without a description.
std::span<const FieldKind> record_fields(uint16_t type);

// Reads the RDATA of a record of `type`, `length` bytes at the reader's
// position, field by field, and returns it with every name written out in
// full (a pointer means nothing outside its message). Throws ParseError if the
// fields do not fill exactly `length` bytes, or one of them is malformed.
std::vector<uint8_t> read_rdata(MessageReader& reader, uint16_t type, uint16_t length);

// Writes `rdata` (as read_rdata returns it) into a message: its compressible
// names compressed against the names the message already holds. Throws
// MessageTooLarge if it does not fit.
void write_rdata(MessageWriter& writer, uint16_t type, std::span<const uint8_t> rdata);

// The RDATA with every name field in lower case (ASCII A-Z only), as DNSSEC's
// canonical form writes the names in the RDATA of the types RFC 4034 section
// 6.2 lists (dnssec_signatures.cpp says which). RDATA as read_rdata returns it
// holds its names uncompressed, so each name's bytes are changed where they
// are. A type without a description, or RDATA that does not match its fields,
// comes back as it is.
std::vector<uint8_t> rdata_with_lowercase_names(uint16_t type, std::span<const uint8_t> rdata);

// The RDATA as dig prints it: "10 mail.example.lab." for an MX record.
std::string rdata_text(uint16_t type, std::span<const uint8_t> rdata);

} // namespace dns
