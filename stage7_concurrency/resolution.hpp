// Resolution: how the lookup of one question ended, as the client will hear it.
//
// Stage 7 moved it here from iterative_resolver.hpp: the cache keeps
// resolutions, and the table of lookups in flight hands one to every client
// that asked the same question.
#pragma once

#include "extended_errors.hpp"
#include "resource_record.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace dns {

// The rcodes a resolution ends with (RFC 1035 section 4.1.1).
constexpr uint8_t rcode_noerror = 0;
constexpr uint8_t rcode_formerr = 1;
constexpr uint8_t rcode_servfail = 2;
constexpr uint8_t rcode_nxdomain = 3;
constexpr uint8_t rcode_notimp = 4;
constexpr uint8_t rcode_refused = 5;
constexpr uint8_t rcode_yxdomain = 6; // a DNAME made the name too long (RFC 6672 2.2)

struct Resolution {
    uint8_t rcode = rcode_servfail;
    std::vector<ResourceRecord> answers; // a CNAME chain first, if there is one
    // For NXDOMAIN and NODATA: the SOA of the zone that said so, for the
    // authority section of the response (RFC 2308 section 3).
    std::vector<ResourceRecord> authorities;
    int upstream_queries = 0;
    // Set when this resolver is itself the authority for the answer: a local
    // zone (RFC 6303 section 3), answered with AA=1.
    bool authoritative = false;
    // Why the answer is a SERVFAIL or REFUSED, or what else the client should
    // know of it, for the EDE option of the response (RFC 8914).
    std::optional<ExtendedError> extended_error{};
};

} // namespace dns
