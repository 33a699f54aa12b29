// classify_reply: what an authoritative server's reply means for the lookup.
//
// Walking down from the root, each reply is one of (RFC 1034 section 5.3.3):
//   - an answer: records for the name and type asked (perhaps behind a CNAME);
//   - NXDOMAIN: the name does not exist (RFC 1035 section 4.1.1, rcode 3), from
//     an authoritative server (AA=1);
//   - NODATA: the name exists but has no records of that type (RFC 2308 section 2.2):
//     a reply with no error and an empty answer from a server of the zone (AA=1,
//     or RA=0: a server that offers no recursion speaks of its own zones);
//   - a referral: "I don't know, but these servers do": NS records for a zone
//     closer to the name, in the authority section, and perhaps their addresses
//     (glue) in the additional section;
//   - YXDOMAIN: a DNAME on the way would make the name longer than a name may
//     be (RFC 6672 section 2.2);
//   - unusable: an error rcode, a truncated reply, a server that is not
//     authoritative for the zone we thought it served ("lame": it offers
//     recursion, RA=1, or refers us to the zone asked), a referral that does not
//     lead closer to the name. The resolver then asks another server.
#pragma once

#include "message.hpp"
#include "root_hints.hpp"

#include <string>
#include <vector>

namespace dns {

enum class ReplyKind { answer, nxdomain, nodata, referral, yxdomain, unusable };

struct ClassifiedReply {
    ReplyKind kind = ReplyKind::unusable;
    std::string why; // for unusable: the reason, for the trace
    // For answer: the records, the aliases first (CNAMEs, and DNAMEs each with
    // the CNAME it implies); for yxdomain, the aliases up to the DNAME.
    std::vector<ResourceRecord> answers;
    // For nxdomain, `answers` holds the CNAMEs that led to the name that does
    // not exist. For nxdomain and nodata: the SOA of the zone that said so, from the
    // authority section (RFC 2308 section 3), to pass on to the client.
    std::vector<ResourceRecord> negative_soa;
    DnsName referral_zone;                    // for referral: the zone delegated
    std::vector<NameServer> referral_servers; // for referral: its servers, with glue
    // For referral: how long the delegation may be cached, the smallest TTL of
    // its NS records and of the glue taken with them.
    uint32_t referral_ttl = 0;
    // DNSSEC's records, for the validator (dnssec_validator.hpp): the RRSIGs
    // of the records in `answers`, and the authority section's NSEC, NSEC3
    // and RRSIG records, of names inside the zone asked.
    std::vector<ResourceRecord> answer_rrsigs;
    std::vector<ResourceRecord> authority_dnssec;
};

// `zone_asked` is the zone the server was asked as an authority for (the root,
// then each zone a referral led to). Records outside it are not believed.
ClassifiedReply classify_reply(const Message& reply, const Question& question,
                               const DnsName& zone_asked);

} // namespace dns
