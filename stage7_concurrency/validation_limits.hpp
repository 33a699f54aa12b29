// Limits on the work DNSSEC validation may do for one lookup.
//
// Validation costs CPU that a zone's owner chooses how to spend. In 2024 two
// attacks showed how much (both published by the ATHENE researchers, fixed the
// same day by every validating resolver):
//
//   KeyTrap (CVE-2023-50387): RFC 4035 section 5.3.1 asks a validator to try
//     every DNSKEY whose key tag and algorithm match an RRSIG, and every RRSIG
//     of an RRset, until one verifies. A zone can publish many keys with the
//     same 16-bit tag and many signatures that all fail: keys x signatures
//     expensive public-key operations for one answer.
//   NSEC3 (CVE-2023-50868): a closest-encloser proof (RFC 5155 section 8.3)
//     hashes each ancestor of the name asked, each hash repeated 1 + iterations
//     times; a zone with many labels and many iterations multiplies both.
//
// The fix everywhere is a budget: count the work, and give up when it is spent.
// The caller then answers SERVFAIL (a bogus answer must not be given; an
// attacker must not get unbounded work either). The numbers, and what the
// other resolvers chose for the same thing:
//
//   Unbound 1.19.1 (validator/val_sigcrypt.c, val_nsec3.c): at most 8 RRSIGs
//     tried for an RRset (MAX_VALIDATE_RRSIGS), 4 DS that fail to match
//     (MAX_DS_MATCH_FAILURES), 8 NSEC3 hash calculations before it suspends
//     the proof and carries on later (MAX_NSEC3_CALCULATIONS), 16 suspensions.
//   PowerDNS Recursor 4.8.6 / 4.9.3 / 5.0.2 (settings): max-dnskeys 2 (keys
//     with the same tag and algorithm), max-rrsigs-per-record 2,
//     max-signature-validations-per-query 30, max-nsec3s-per-record 10,
//     max-nsec3-hash-computations-per-query 600.
//   Knot Resolver 5.7.1: a per-request budget of crypto operations
//     (vld_limit_crypto), NSEC3 iterations priced together with the salt
//     length, and an answer with more than 8 NSEC3 records treated as bogus.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dns {

namespace validation_limits {

// DNSKEYs tried for one RRSIG (or one DS) when several share its key tag and
// algorithm. Two, as PowerDNS: a real collision between two keys of one zone
// is rare (the tag is 16 bits) and two keys cover it; twenty are an attack.
constexpr size_t max_keys_per_key_tag = 2;

// RRSIGs tried for one RRset. Eight, as Unbound: a zone in an algorithm
// rollover signs with two algorithms, a key rollover with two keys each.
constexpr size_t max_signatures_per_rrset = 8;

// Public-key signature verifications for one lookup, all zones together. A
// lookup three zones below the root verifies a DNSKEY RRset and a DS RRset
// per zone and then the answer and its denial: about ten. 30, as PowerDNS.
constexpr size_t max_signature_verifications_per_lookup = 30;

// SHA-1 computations for NSEC3 hashing in one lookup. A name costs 1 +
// iterations of them (RFC 5155 section 5), so iterations are priced in, as
// Knot Resolver prices them: a closest-encloser proof for a name ten labels
// below its zone, at the most iterations accepted (below), is 10 x 101 =
// 1010. PowerDNS allows 600 "hash computations"; Unbound 8 names a pass.
constexpr size_t max_nsec3_sha1_computations_per_lookup = 1500;

// NSEC3 iterations above which a zone is treated as insecure, not validated:
// RFC 9276 section 3.2 lets a validator do so for high iteration counts (and
// asks zones for 0). Each extra iteration is one more SHA-1 per name hashed.
constexpr uint16_t max_nsec3_iterations = 100;

} // namespace validation_limits

// The work one lookup may still do. The verifier and the denial code charge it
// before each expensive step; once a charge is refused the budget stays spent,
// and the lookup must end in SERVFAIL.
class ValidationBudget {
  public:
    ValidationBudget() = default;
    ValidationBudget(size_t signature_verifications, size_t nsec3_sha1_computations)
        : signature_verifications_left_(signature_verifications),
          nsec3_sha1_computations_left_(nsec3_sha1_computations) {}

    // True (and counted) if one more signature verification is allowed.
    bool charge_signature_verification();
    // True (and counted) if hashing one name with `iterations` is allowed.
    bool charge_nsec3_hash(uint16_t iterations);

    bool spent() const { return spent_; }
    size_t signature_verifications_left() const { return signature_verifications_left_; }
    size_t nsec3_sha1_computations_left() const { return nsec3_sha1_computations_left_; }

  private:
    size_t signature_verifications_left_ =
        validation_limits::max_signature_verifications_per_lookup;
    size_t nsec3_sha1_computations_left_ =
        validation_limits::max_nsec3_sha1_computations_per_lookup;
    bool spent_ = false;
};

} // namespace dns
