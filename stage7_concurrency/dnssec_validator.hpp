// Validator: DNSSEC validation of the answers a lookup found (RFC 4033 section
// 5, RFC 4035 section 5): may the client believe them?
//
// An answer is believed when a chain of signatures leads to it from a trust
// anchor, a key given in advance (trust_anchors.hpp). A learner draws the
// chain from the top:
//
//   trust anchor: DS of the root ---> the root's DNSKEY RRset (signed by
//     the key the DS is a digest of)
//   the root's DNSKEYs sign the DS of lab. ---> lab.'s DNSKEY RRset
//   lab.'s DNSKEYs sign the DS of example.lab. ---> example.lab.'s DNSKEYs
//   example.lab.'s DNSKEYs sign www.example.lab. A
//
// The validator walks it the other way, from the answer up: the RRSIG over
// the answer names its signer, the zone whose keys are needed (keys_of); a
// zone's keys are trusted when the DS its parent signs matches one of them,
// and the parent's keys are found the same way, up to the anchor. What each
// zone's keys turned out to be is cached (zone_keys.hpp), so the next answer
// from the same zone costs one signature check and no query.
//
// Where a signed parent proves that a child has no DS (an NSEC or NSEC3 that
// says "there is a delegation here, and no DS"), the child is unsigned, and
// so is everything below it: insecure, not bogus. A zone whose DS or RRSIGs
// use only algorithms this validator does not implement is insecure too (RFC
// 4035 section 5.2, RFC 6840 section 5.2).
//
// The lookup gives the validator a way to fetch the DS and DNSKEY records it
// needs (Fetch): it asks the servers as for any question, and the replies are
// checked here, link by link. All checks share the lookup's ValidationBudget
// (validation_limits.hpp): a crafted zone cannot make one lookup do unbounded
// work.
#pragma once

#include "cache.hpp"
#include "resolution.hpp"
#include "task.hpp"
#include "trace.hpp"
#include "validation_limits.hpp"
#include "zone_keys.hpp"

#include <functional>
#include <optional>
#include <vector>

namespace dns {

struct ValidatorSettings {
    // The DS or DNSKEY records the chain of trust starts from; none: no
    // validation at all (--no-validation, or --root-hints without
    // --trust-anchor: another root, whose keys we do not know).
    std::vector<ResourceRecord> trust_anchors;
    // --negative-trust-anchor ZONE (RFC 7646): zones treated as insecure,
    // with everything below them, while their operators mend a broken chain.
    std::vector<DnsName> negative_trust_anchors;
};

class Validator {
  public:
    // The answer the servers give for a question, unvalidated, with its
    // RRSIGs and proofs; nothing if the lookup failed.
    using Fetch = std::function<Task<std::optional<Resolution>>(const Question&)>;

    // What one validation may use: how to fetch, its share of the lookup's
    // budget, and where its steps are traced.
    struct Run {
        Fetch fetch;
        ValidationBudget& budget;
        Trace& trace;
        int depth;
    };

    Validator(ValidatorSettings settings, Cache& cache);

    // False when there is no trust anchor: every answer stays unchecked.
    bool enabled() const { return !settings_.trust_anchors.empty(); }

    // `answer`, the answer to `question` (one link of a CNAME chain), with its
    // security set: secure, insecure or bogus (and then why, in its
    // extended_error), and the TTLs of a secure answer no longer than its
    // signatures allow. An answer not unchecked is returned as it is.
    Task<Resolution> validate(const Question& question, Resolution answer, Run& run);

  private:
    struct Verdict {
        Security security = Security::insecure;
        std::optional<ExtendedError> why{};
    };

    // The keys of `zone`, from the cache or found now (the chain of trust
    // from the closest trust anchor down to `zone`).
    Task<ZoneKeys> keys_of(const DnsName& zone, Run& run);
    Task<ZoneKeys> find_keys(const DnsName& zone, Run& run, uint32_t& ttl);
    // The zone's DNSKEY RRset, checked against the DS records (or DNSKEYs) that
    // vouch for it.
    Task<ZoneKeys> authenticate_dnskeys(const DnsName& zone,
                                        const std::vector<ResourceRecord>& vouchers, Run& run,
                                        uint32_t& ttl);
    // One RRset of an answer, with the answer's RRSIGs and proof.
    Task<Verdict> check_rrset(const std::vector<ResourceRecord>& rrset, const Resolution& answer,
                              Run& run, uint32_t& ttl_cap);
    // The NSEC or NSEC3 proof of a negative answer for `name` and `type`:
    // that the name does not exist (`name_error`), or has no such type.
    Task<Verdict> check_denial(const DnsName& name, uint16_t type, bool name_error,
                               const Resolution& answer, Run& run);
    // What a signed parent's answer to "DS of `zone`?" says of the zone.
    Task<ZoneKeys> keys_from_ds_answer(const DnsName& zone, const Resolution& ds_answer, Run& run,
                                       uint32_t& ttl);
    // Verifies each RRset of `records` (NSEC, NSEC3, SOA) with `keys`.
    Verdict check_proof_signatures(const std::vector<ResourceRecord>& records,
                                   const std::vector<ResourceRecord>& rrsigs, const ZoneKeys& keys,
                                   Run& run);
    // The zone an unsigned RRset at `owner` would have been signed by: the
    // closest zone whose servers the cache knows.
    DnsName zone_of(const DnsName& owner, uint16_t type);
    bool below_negative_trust_anchor(const DnsName& name) const;

    ValidatorSettings settings_;
    Cache& cache_;
};

// What RFC 8914 calls the reason an answer is bogus.
ExtendedError bogus_because(uint16_t code, std::string text);

} // namespace dns
