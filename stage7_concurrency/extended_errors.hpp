// Extended DNS Errors (RFC 8914): why an answer is what it is, on the wire.
//
// An rcode says only that a lookup failed (SERVFAIL) or was not served
// (REFUSED); the resolver's trace knows why. RFC 8914 gives the reason a place
// in the response: an EDNS option (code 15) in the OPT record, holding a
// 16-bit INFO-CODE from IANA's registry and an EXTRA-TEXT for people, so that
// `dig` prints, under the header, "EDE: 22 (No Reachable Authority): (...)".
//
// It goes only to a client that sent EDNS itself (RFC 8914 section 3: the
// option lives in the OPT record, which a response carries only when the
// query did, RFC 6891 section 7).
#pragma once

#include "resource_record.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dns {

// The EDNS option code of an Extended DNS Error (RFC 8914 section 2).
constexpr uint16_t edns_option_extended_error = 15;

// The INFO-CODEs this resolver gives (RFC 8914 section 4).
namespace ede {
constexpr uint16_t other = 0;        // 4.1: none of the others
constexpr uint16_t stale_answer = 3; // 4.4: answered from expired records
// DNSSEC validation (dnssec_validator.hpp): why an answer is bogus.
constexpr uint16_t dnssec_bogus = 6;            // 4.7: a signature or proof does not hold
constexpr uint16_t signature_expired = 7;       // 4.8: now is after an RRSIG's expiration
constexpr uint16_t signature_not_yet_valid = 8; // 4.9: now is before an RRSIG's inception
constexpr uint16_t dnskey_missing = 9;          // 4.10: no DNSKEY matches the parent's DS
constexpr uint16_t rrsigs_missing = 10;         // 4.11: a signed zone sent no RRSIG
constexpr uint16_t no_zone_key_bit_set = 11;    // 4.12: the key is not a zone key
constexpr uint16_t nsec_missing = 12;           // 4.13: a negative answer without its proof
constexpr uint16_t cached_error = 13;           // 4.14: a failure remembered, not looked up
constexpr uint16_t prohibited = 18;             // 4.19: policy says no to this client or name
constexpr uint16_t not_authoritative = 20;      // 4.21: RD=0, and nothing to answer it with
constexpr uint16_t not_supported = 21;          // 4.22: a class or kind of query not served
constexpr uint16_t no_reachable_authority = 22; // 4.23: no server of a zone answered usably
constexpr uint16_t network_error = 23;          // 4.24: another server (a forwarder) failed us
} // namespace ede

struct ExtendedError {
    uint16_t code = ede::other;
    std::string text; // for people; made safe and bounded by extra_text() when written

    friend bool operator==(const ExtendedError&, const ExtendedError&) = default;
};

// The most EXTRA-TEXT this resolver writes: enough for a reason and a name,
// and a SERVFAIL without EDNS's larger payload still fits in 512 bytes.
constexpr size_t max_extra_text = 200;

// `text` as EXTRA-TEXT (RFC 8914 section 2: UTF-8 for people): every byte that
// is not printable ASCII, and the backslash itself, written as \DDD, the way
// names are printed, so that no byte a client or a server chose reaches the
// reader's terminal as it was; cut (at a whole escape) to `max_extra_text`
// bytes, with "..." to say so.
std::string extra_text(std::string_view text);

// Adds the option for `error` to the data of `opt`, an OPT record.
void add_extended_error(ResourceRecord& opt, const ExtendedError& error);

// The EDE options in an OPT record's data: for tests and tools.
std::vector<ExtendedError> read_extended_errors(std::span<const uint8_t> opt_rdata);

// The code for a lookup that failed for `reason` (the resolver's words): No
// Reachable Authority when the servers of a zone did not help, Network Error
// when the forwarder did not, Other for a limit reached or a loop of CNAMEs.
ExtendedError extended_error_for_failure(std::string_view reason);

// `response`, an error response written from the query's header and question
// alone (worker.hpp's error_response), with an OPT record that carries `error`
// if `request` had an OPT record; `response` unchanged otherwise, or if
// `request` cannot be read.
std::vector<uint8_t> with_extended_error(std::vector<uint8_t> response,
                                         std::span<const uint8_t> request,
                                         const ExtendedError& error);

} // namespace dns
