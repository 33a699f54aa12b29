// EDNS(0), RFC 6891: the OPT pseudo-record that stretches the 1987 header.
//
// A client that puts an OPT record in the additional section of its query says:
// "I understand EDNS version 0, and I can receive UDP responses of up to N bytes"
// (the record's CLASS field holds N). Its TTL field holds 8 more bits of rcode,
// the EDNS version and the DO flag (DNSSEC OK); its data holds options.
//
//   TTL: | extended rcode (8) | version (8) | DO | zero (15) |
#pragma once

#include "message.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>

namespace dns {

// What a server should answer with when a query's EDNS is malformed.
class EdnsError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Edns {
    uint16_t udp_payload_size = 512; // the largest UDP response the sender accepts
    uint8_t version = 0;
    bool dnssec_ok = false;
    uint8_t extended_rcode = 0; // the upper 8 bits of a 12-bit rcode
};

// The size this resolver offers and uses for UDP: large enough for most
// answers, small enough not to be fragmented on any path (DNS flag day 2020).
constexpr uint16_t our_udp_payload_size = 1232;
// BADVERS (16): the query's EDNS version is one we do not speak (RFC 6891 6.1.3).
constexpr uint16_t rcode_badvers = 16;

// The message's EDNS, if it has an OPT record. Throws EdnsError if it has more
// than one, one outside the additional section, one whose owner is not the root,
// or options that run past the record's data (RFC 6891 sections 6.1.1, 6.1.2).
std::optional<Edns> find_edns(const Message& message);

// The OPT record of a message that we send: our payload size, version 0,
// and the upper bits of `rcode` (an rcode over 15, such as BADVERS, needs them).
ResourceRecord make_opt_record(uint16_t rcode = 0, bool dnssec_ok = false);

} // namespace dns
