// DNSSEC's signatures: is this RRset signed by this zone's key, and is this
// key the one the parent zone vouches for?
//
// The chain of trust (RFC 4033 section 5) is made of two kinds of link:
//
//   DS -> DNSKEY   the parent zone publishes a DS record, a digest of one of
//                  the child's keys (RFC 4034 section 5); a DNSKEY whose
//                  digest matches is the child's key, as far as the parent
//                  is concerned (ds_matches_dnskey, keys_matching_ds).
//   DNSKEY -> RRSIG -> RRset
//                  a key of the zone signed the RRset; the signature is over
//                  the records in one exact byte form, the canonical form
//                  (RFC 4034 section 6), with the TTL they had when signed
//                  (verify_rrsig, verify_rrset).
//
// The resolver does not use these pieces yet: they are the building blocks of
// validation, tested against the examples published in the RFCs and against
// real signed records of the corpus.
#pragma once

#include "resource_record.hpp"
#include "validation_limits.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace dns {

// What checking a signature found. Each failure says which check failed, so
// the caller can answer and explain (the Extended DNS Error of RFC 8914 that
// fits is named).
enum class SignatureStatus {
    valid,
    // An algorithm this validator does not implement (dnssec_crypto.hpp): not
    // an attack, so the zone is treated as unsigned, insecure (RFC 4035
    // section 5.2, RFC 6840 section 5.2). EDE 1, Unsupported DNSKEY Algorithm.
    unsupported_algorithm,
    bad_signature,  // the key did not sign these records. EDE 6, DNSSEC Bogus
    not_yet_valid,  // now is before the inception time. EDE 8, Signature Not Yet Valid
    expired,        // now is after the expiration time. EDE 7, Signature Expired
    key_mismatch,   // the key's tag, algorithm or owner is not the RRSIG's
    not_a_zone_key, // DNSKEY flags bit 7 clear, or protocol not 3. EDE 11, No Zone Key Bit Set
    malformed,      // RDATA unusable, a labels field past the owner, records of several RRsets
    no_signature,   // no RRSIG (or no matching key) for the RRset. EDE 10, RRSIGs Missing
    budget_spent,   // the lookup's validation budget ran out: answer SERVFAIL
};

std::string_view describe(SignatureStatus status);

// RFC 4034 section 3.1.5: the validity times are 32-bit seconds since 1970,
// compared in serial number arithmetic (RFC 1982), so they keep working when
// the counter wraps in 2106: a is "before or at" b when b - a, modulo 2^32,
// is less than 2^31.
bool serial_before_or_at(uint32_t a, uint32_t b);
// not_yet_valid, expired, or valid: the RRSIG's window against `now`.
SignatureStatus check_validity_period(uint32_t inception, uint32_t expiration,
                                      std::chrono::sys_seconds now);

// The owner name a signature covers (RFC 4035 section 5.3.2): the RRset's
// owner, or, when the RRSIG's labels field counts fewer labels than the owner
// has, the wildcard that the answer was synthesized from: "*." and the
// rightmost `labels` labels (a.z.w.example with labels 2 was *.w.example).
// Nothing if labels is more than the owner has (the RRSIG is not for it).
std::optional<DnsName> signed_owner(const DnsName& owner, uint8_t labels);

// The bytes an RRSIG's signature is over (RFC 4034 section 3.1.8.1): the
// RRSIG's RDATA up to the signature, then each record of the RRset in
// canonical form (section 6.2: the signed owner name and the names of the
// RDATA in lower case, the original TTL) and canonical order (section 6.3:
// by RDATA bytes, duplicates once). `rrset` must be one RRset: its records
// of one owner, class and type. Throws ParseError on unusable RDATA.
std::vector<uint8_t> signed_data(std::span<const ResourceRecord> rrset,
                                 const ResourceRecord& rrsig);

// Checks one RRSIG over one RRset with one DNSKEY, in the order of RFC 4035
// section 5.3.1: the RRSIG is for this RRset, the key is the one it names and
// is a zone key, the algorithm is supported, now is in the validity window,
// and then (charging the budget) the signature itself.
SignatureStatus verify_rrsig(std::span<const ResourceRecord> rrset, const ResourceRecord& rrsig,
                             const ResourceRecord& dnskey, std::chrono::sys_seconds now,
                             ValidationBudget& budget);

// Validates an RRset with the RRSIGs that came with it (records of any type:
// those covering another type are skipped) and the zone's DNSKEY RRset. Valid
// if one RRSIG verifies with one key; tries at most max_signatures_per_rrset
// RRSIGs and max_keys_per_key_tag keys for each (the KeyTrap limits,
// validation_limits.hpp). Otherwise the most telling failure: budget_spent,
// else a failure of a supported algorithm, else unsupported_algorithm (every
// RRSIG was of one this validator cannot check), else no_signature.
SignatureStatus verify_rrset(std::span<const ResourceRecord> rrset,
                             std::span<const ResourceRecord> rrsigs,
                             std::span<const ResourceRecord> dnskeys, std::chrono::sys_seconds now,
                             ValidationBudget& budget);

// What comparing a DS record with a DNSKEY found.
enum class DsMatch {
    matches,
    does_not_match,     // key tag or algorithm differ, or the digest is another key's
    unsupported_digest, // a digest type not implemented: says nothing either way
};

// RFC 4034 section 5.1.4: the digest is over the DNSKEY's owner name in
// canonical form followed by the DNSKEY's RDATA.
DsMatch ds_matches_dnskey(const ResourceRecord& ds, const ResourceRecord& dnskey);

// The keys of a zone's DNSKEY RRset that one of the parent's DS records (or a
// trust anchor) vouches for: zone keys, of a supported algorithm, matching a
// DS of a supported digest type (RFC 4035 section 5.2). At most
// max_keys_per_key_tag keys are hashed for each DS.
std::vector<ResourceRecord> keys_matching_ds(std::span<const ResourceRecord> ds_set,
                                             std::span<const ResourceRecord> dnskeys);

// True if a DS of `ds_set` has a supported digest type and a supported
// algorithm. If none has, the child zone is insecure rather than bogus
// (RFC 4035 section 5.2, RFC 6840 section 5.2).
bool has_supported_ds(std::span<const ResourceRecord> ds_set);

} // namespace dns
