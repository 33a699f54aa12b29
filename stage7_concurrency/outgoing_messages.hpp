// The two messages this stage writes: the query it sends to an authoritative
// server, and the response it sends back to its client.
#pragma once

#include "message.hpp"
#include "message_writer.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace dns {

// Without EDNS, a DNS message over UDP is at most 512 bytes (RFC 1035 section 4.2.1).
constexpr size_t max_udp_message_size = 512;

// The largest DNS message there can be: TCP's length prefix has 16 bits.
constexpr size_t max_tcp_message_size = 65535;

// A query for `question` with the given ID and RD=0: a resolver walking down from
// the root asks each server only what it knows itself (RFC 1034 section 5.3.3).
// With EDNS, an OPT record offers our UDP payload size (RFC 6891). A query to
// another recursive resolver (a forwarder) asks it to recurse: RD=1. With
// `dnssec_ok` (and EDNS), the OPT record sets DO: the reply is to carry the
// zone's signatures (RFC 4035 section 3.2.1).
std::vector<uint8_t> build_query(uint16_t id, const Question& question, bool with_edns,
                                 bool recursion_desired = false, bool dnssec_ok = false);

// The response to `query`: the same ID, opcode, RD bit and question (if it was
// read); QR and RA set; the rcode; the answer records; the authority records
// (the SOA of a negative answer); and `opt` (the EDNS record) when the query
// had one. Records that do not fit in `max_size` are left out whole and TC is
// set; the OPT record always has its place.
std::vector<uint8_t> build_response(const Message& query, uint16_t rcode,
                                    const std::vector<ResourceRecord>& answers, size_t max_size,
                                    const std::optional<ResourceRecord>& opt,
                                    const std::vector<ResourceRecord>& authorities = {});

// Any message, written as it is: header, questions and the three sections,
// names compressed. The counts are those of the sections, not of the header.
// For tests and tools that read a message and write it again.
std::vector<uint8_t> build_message(const Message& message);

} // namespace dns
