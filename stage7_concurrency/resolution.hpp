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

// What DNSSEC validation found for an answer (RFC 4035 section 4.3):
//   secure    a chain of signatures leads from a trust anchor to every RRset
//             of the answer (and to its proof, for a negative one);
//   insecure  a signed parent proves that the zone on the way is unsigned, or
//             signs with nothing this validator implements: the answer is
//             what it is, without proof either way;
//   bogus     the chain should be there and is broken: a bad, expired or
//             missing signature, a key the parent does not vouch for, a proof
//             that does not prove. Never handed out as an answer (SERVFAIL),
//             unless the client asked to check for itself (CD=1);
//   unchecked not validated: validation is off, or the answer comes from a
//             local zone or a forwarder, or it is on its way to the validator.
// (RFC 4035's fourth result, indeterminate, "no trust anchor to say", is
// unchecked here: with no anchor above a name, nothing is validated.)
enum class Security : uint8_t { unchecked, secure, insecure, bogus };

// The security of an answer made of two (a CNAME and its target's records,
// from two zones): as its weakest part.
constexpr Security weakest(Security a, Security b) {
    for (const Security worst : {Security::bogus, Security::unchecked, Security::insecure})
        if (a == worst || b == worst)
            return worst;
    return Security::secure;
}

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
    // DNSSEC (dnssec_validator.hpp). The RRSIGs of the answer's RRsets, and
    // the authority section's NSEC and NSEC3 records with their RRSIGs and the
    // SOA's (the proof of a negative answer, or of a wildcard's): given to a
    // client that asks for them (DO=1, RFC 4035 section 3.2.1), so that it can
    // check them itself.
    std::vector<ResourceRecord> answer_rrsigs{};
    std::vector<ResourceRecord> authority_dnssec{};
    Security security = Security::unchecked;
};

} // namespace dns
