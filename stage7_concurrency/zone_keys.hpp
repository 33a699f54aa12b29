// ZoneKeys: what DNSSEC validation learned of one zone, kept in the cache
// beside the answers (dnssec_validator.hpp). Learning it costs queries (the
// DS at the parent, the DNSKEYs at the zone) and signature checks: once
// known, every answer from the zone is checked with a single signature.
#pragma once

#include "extended_errors.hpp"
#include "resolution.hpp"
#include "resource_record.hpp"

#include <optional>
#include <vector>

namespace dns {

struct ZoneKeys {
    // secure: the zone's keys are authenticated, from a trust anchor down;
    // insecure: the zone is proven unsigned (and so is every zone below it);
    // bogus: the chain of trust breaks at or above the zone.
    Security security = Security::unchecked;
    // For secure: the zone's DNSKEY RRset, checked.
    std::vector<ResourceRecord> dnskeys;
    // For bogus: which link broke, for the client's EDE (RFC 8914).
    std::optional<ExtendedError> why;
};

} // namespace dns
