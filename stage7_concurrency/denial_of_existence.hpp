// Authenticated denial of existence: how a signed zone proves that a name, or
// a type at a name, is not there. A signature can only be made over records
// that exist, so the zone signs records that describe the gaps between names:
//
//   NSEC  (RFC 4034 section 4, RFC 4035 section 5.4): one record per name,
//         pointing to the next name in canonical order and listing the types
//         at its own. "Nothing between b.example and ns1.example" proves that
//         ml.example does not exist; the last NSEC points back to the apex.
//   NSEC3 (RFC 5155): the same chain over hashes of the names (SHA-1, with a
//         salt, repeated `iterations` times), so the zone's names cannot be
//         read off the chain. A denial then names the closest encloser (the
//         longest existing ancestor), the next closer name (one label below
//         it) that does not exist, and the wildcard that would have matched.
//
// Wildcards (RFC 4592) are why a name error needs two gaps: the name is not
// there, and neither is a wildcard "*.<closest encloser>" that would have
// answered for it. These functions take the NSEC or NSEC3 records of an
// answer, whose signatures the caller has already verified
// (dnssec_signatures.hpp). The resolver does not use them yet.
#pragma once

#include "resource_record.hpp"
#include "validation_limits.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace dns {

// ---- NSEC ----

// True if `nsec` covers `name`: its owner sorts before `name` and its next
// name after (RFC 4034 section 6.1 order), or, for the last NSEC of the zone,
// whose next name is the apex, `name` is in the zone and sorts after the
// owner. Not if the owner is a delegation (NS without SOA) or a DNAME that
// `name` is below: the names under it are another zone's business (RFC 6840
// section 4.1).
bool nsec_covers(const ResourceRecord& nsec, const DnsName& name);

// True if an NSEC proves that `name` has no `type` (RFC 4035 section 5.4):
// one at `name` whose bitmap has neither `type` nor CNAME (a CNAME would
// have been the answer), or, for an empty non-terminal, one covering `name`
// whose next name is below it. At a delegation (NS without SOA) the parent's
// NSEC speaks only of DS; a DS is never denied by the child's apex NSEC (SOA
// set), which is the child's, not the parent's (RFC 4035 Appendix B.8).
bool nsec_proves_nodata(const ResourceRecord& nsec, const DnsName& name, uint16_t type);

// The closest encloser of `name` an NSEC that covers it shows (RFC 4592
// section 3.3.1): the longest ancestor of `name` that is also an ancestor of
// the NSEC's owner or next name.
DnsName nsec_closest_encloser(const ResourceRecord& nsec, const DnsName& name);

// The wildcard that would answer for names below `closest_encloser`, the
// "source of synthesis" (RFC 4592 section 3.3.1): "*." and the encloser.
DnsName source_of_synthesis(const DnsName& closest_encloser);

// A name error (NXDOMAIN, RFC 4035 section 5.4): an NSEC covers `name`, and
// one covers the source of synthesis at its closest encloser.
bool nsec_proves_name_error(std::span<const ResourceRecord> nsecs, const DnsName& name);

// A wildcard answer (RFC 4035 section 5.3.4): the RRSIG's labels field said
// the answer for `name` was synthesized from "*." and its last `labels`
// labels; an NSEC must cover the next closer name, so no closer match exists.
bool nsec_proves_wildcard_answer(std::span<const ResourceRecord> nsecs, const DnsName& name,
                                 uint8_t labels);

// A wildcard NODATA (RFC 4035 section 5.4, Appendix B.7): an NSEC covers
// `name`, and the NSEC of the source of synthesis proves it has no `type`.
bool nsec_proves_wildcard_nodata(std::span<const ResourceRecord> nsecs, const DnsName& name,
                                 uint16_t type);

// ---- NSEC3 ----

// RFC 5155 section 5: the hash of `name`, its canonical wire form, with
// `salt`, SHA-1 applied 1 + `iterations` times.
std::vector<uint8_t> nsec3_hash(const DnsName& name, std::span<const uint8_t> salt,
                                uint16_t iterations);

// The hash an NSEC3 owner name stands for: its first label, in base32hex.
std::optional<std::vector<uint8_t>> nsec3_owner_hash(const DnsName& owner);

// True if `nsec3` is the record of the name hashed to `hash`.
bool nsec3_matches(const ResourceRecord& nsec3, std::span<const uint8_t> hash);
// True if `hash` falls strictly between the record's owner hash and its next
// hashed owner; the last record of the chain wraps round to the first.
bool nsec3_covers(const ResourceRecord& nsec3, std::span<const uint8_t> hash);

enum class DenialStatus {
    proven,
    // Proven only up to an opt-out span (RFC 5155 section 6): a name that is
    // not there may yet be an unsigned delegation, so the answer is insecure,
    // not authenticated (sections 8.6 and 9.2: no AD bit).
    proven_by_opt_out,
    not_proven, // the records do not prove it: bogus
    // More iterations than validation_limits::max_nsec3_iterations: the zone
    // is treated as insecure (RFC 9276 section 3.2).
    insecure_iterations,
    budget_spent, // the lookup's NSEC3 hashing budget ran out: answer SERVFAIL
};

struct Nsec3Proof {
    DenialStatus status = DenialStatus::not_proven;
    std::optional<DnsName> closest_encloser;
    std::optional<DnsName> next_closer; // one label longer, toward the name
};

// RFC 5155 section 8.3, the closest encloser proof for `name` in `zone`: an
// NSEC3 matches an ancestor of `name` (the closest encloser; not a
// delegation or DNAME, RFC 6840 section 4.1), and one covers the next closer
// name. Every name hashed is charged to `budget`. Records whose parameters
// differ from the first usable one, with flags other than opt-out or an
// unknown hash algorithm are ignored (sections 8.1, 8.2).
Nsec3Proof nsec3_closest_encloser_proof(std::span<const ResourceRecord> nsec3s, const DnsName& name,
                                        const DnsName& zone, ValidationBudget& budget);

// A name error (section 8.4): the closest encloser proof, and an NSEC3
// covering the wildcard at the closest encloser.
Nsec3Proof nsec3_prove_name_error(std::span<const ResourceRecord> nsec3s, const DnsName& name,
                                  const DnsName& zone, ValidationBudget& budget);

// NODATA (sections 8.5 to 8.7): an NSEC3 matching `name` without `type` or
// CNAME; for a DS, a closest encloser proof whose next closer name is covered
// by an opt-out NSEC3 (an unsigned delegation, proven_by_opt_out); for a name
// below a wildcard, the closest encloser proof and an NSEC3 matching the
// wildcard without `type` or CNAME.
Nsec3Proof nsec3_prove_nodata(std::span<const ResourceRecord> nsec3s, const DnsName& name,
                              uint16_t type, const DnsName& zone, ValidationBudget& budget);

// A wildcard answer (section 8.8): the RRSIG's labels field names the
// closest encloser (the last `labels` labels of `name`); an NSEC3 must cover
// the next closer name.
Nsec3Proof nsec3_prove_wildcard_answer(std::span<const ResourceRecord> nsec3s, const DnsName& name,
                                       uint8_t labels, const DnsName& zone,
                                       ValidationBudget& budget);

} // namespace dns
