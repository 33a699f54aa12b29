// The two messages this stage writes: the query it sends to an authoritative
// server, and the response it sends back to its client.
#pragma once

#include "message.hpp"
#include "message_writer.hpp"

#include <cstdint>
#include <vector>

namespace dns {

// Without EDNS, a DNS message over UDP is at most 512 bytes (RFC 1035 section 4.2.1).
constexpr size_t max_udp_message_size = 512;

// A query for `question` with the given ID and RD=0: a resolver walking down from
// the root asks each server only what it knows itself (RFC 1034 section 5.3.3).
std::vector<uint8_t> build_query(uint16_t id, const Question& question);

// The response to `query`: the same ID, opcode, RD bit and question; QR and RA set;
// the rcode; the answer records. Records that do not fit in `max_size` are left
// out whole and TC is set.
std::vector<uint8_t> build_response(const Message& query, uint8_t rcode,
                                    const std::vector<ResourceRecord>& answers,
                                    size_t max_size = max_udp_message_size);

} // namespace dns
