// ResourceRecord: one record of an answer, authority or additional section
// (RFC 1035 section 4.1.3): an owner name, a type, a class, a time to live and
// the record's data (RDATA).
#pragma once

#include "dns_name.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace dns {

// Record types the resolver itself looks at (RFC 1035 section 3.2.2); every
// type it reads, writes and prints is described in record_types.cpp.
enum RecordType : uint16_t {
    type_a = 1,
    type_ns = 2,
    type_cname = 5,
    type_soa = 6,
    type_ptr = 12,
    type_mx = 15,
    type_aaaa = 28,
    type_dname = 39, // RFC 6672 (dname.hpp)
    type_opt = 41,
    type_ds = 43,
    // DNSSEC (RFC 4034, RFC 5155): what dnssec_signatures.* and denial_of_existence.* read.
    type_rrsig = 46,
    type_nsec = 47,
    type_dnskey = 48,
    type_nsec3 = 50,
    type_any = 255, // a question's type only: every type (RFC 1035 section 3.2.3)
};
constexpr uint16_t class_in = 1;

struct ResourceRecord {
    DnsName name;
    uint16_t type = 0;
    uint16_t klass = 0;
    uint32_t ttl = 0; // seconds the record may be kept and reused
    // The RDATA, always uncompressed: a name inside it that the sender compressed
    // into a pointer to elsewhere in its message is written out in full here, so
    // the record means the same thing outside the message it came in. Its fields
    // have been checked against its type's description (record_types.hpp).
    std::vector<uint8_t> rdata;
};

// Reads one record at the reader's position. Throws ParseError.
ResourceRecord parse_record(MessageReader& reader);

// The name that is the whole RDATA of an NS, CNAME or PTR record.
DnsName rdata_as_name(const ResourceRecord& record);

// The RDATA as dig prints it: an A record's address, an MX record's preference
// and name, ...; a type this stage does not know in the generic form of RFC 3597
// section 5 (\# length hex).
std::string rdata_to_text(const ResourceRecord& record);

} // namespace dns
