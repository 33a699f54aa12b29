// The DNSSEC records' fields, and the orders DNSSEC puts names in.
//
// record_types.cpp already reads and checks the RDATA of DNSKEY, RRSIG, DS,
// NSEC and NSEC3 when a message arrives. Here that checked RDATA is split into
// named fields, so that validation reads `rrsig.key_tag` instead of bytes 16
// and 17. Each function throws ParseError if the RDATA is not what its type
// says (it can be: a record built by hand, or of another type).
#pragma once

#include "dns_name.hpp"
#include "resource_record.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace dns {

// RFC 4034 section 2.1: a public key of a zone.
struct Dnskey {
    uint16_t flags = 0;   // bit 7 (0x0100): a zone key; bit 15 (0x0001): a key signing key
    uint8_t protocol = 0; // always 3 (RFC 4034 section 2.1.2)
    uint8_t algorithm = 0;
    std::vector<uint8_t> public_key;

    static constexpr uint16_t zone_key_flag = 0x0100;
    static constexpr uint16_t secure_entry_point_flag = 0x0001;
};
Dnskey parse_dnskey(std::span<const uint8_t> rdata);

// RFC 4034 section 3.1: a signature over one RRset.
struct Rrsig {
    uint16_t type_covered = 0;
    uint8_t algorithm = 0;
    uint8_t labels = 0;        // labels of the signed owner name, "*" and the root not counted
    uint32_t original_ttl = 0; // the TTL the RRset had when it was signed
    uint32_t expiration = 0;   // seconds since 1970, modulo 2^32 (section 3.1.5)
    uint32_t inception = 0;
    uint16_t key_tag = 0;
    DnsName signer;
    std::vector<uint8_t> signature;
};
Rrsig parse_rrsig(std::span<const uint8_t> rdata);
// The RDATA without its signature: the start of what the signature signs
// (RFC 4034 section 3.1.8.1), the signer's name in canonical (lower) case.
std::vector<uint8_t> rrsig_rdata_without_signature(std::span<const uint8_t> rdata);

// RFC 4034 section 5.1: the parent's digest of a child's key.
struct Ds {
    uint16_t key_tag = 0;
    uint8_t algorithm = 0;
    uint8_t digest_type = 0;
    std::vector<uint8_t> digest;
};
Ds parse_ds(std::span<const uint8_t> rdata);

// RFC 4034 section 4.1: the next name of the zone, and the types at the owner.
struct Nsec {
    DnsName next;
    std::vector<uint8_t> type_bitmap;
};
Nsec parse_nsec(std::span<const uint8_t> rdata);

// RFC 5155 section 3.2: like NSEC, with the names hashed.
struct Nsec3 {
    uint8_t hash_algorithm = 0; // 1: SHA-1, the only one defined
    uint8_t flags = 0;          // bit 0: opt-out (section 3.1.2.1)
    uint16_t iterations = 0;
    std::vector<uint8_t> salt;
    std::vector<uint8_t> next_hashed_owner; // the raw hash, not its base32hex text
    std::vector<uint8_t> type_bitmap;

    static constexpr uint8_t opt_out_flag = 0x01;
};
Nsec3 parse_nsec3(std::span<const uint8_t> rdata);

// True if `type` is in a type bitmap of NSEC or NSEC3 (RFC 4034 section
// 4.1.2): windows of 256 types, a bit for each type present.
bool bitmap_has_type(std::span<const uint8_t> type_bitmap, uint16_t type);

// True if `rrsig` is an RRSIG over the RRset `record` belongs to: at the
// same owner, and covering its type (the first two bytes of an RRSIG's RDATA,
// RFC 4034 section 3.1), without reading the rest.
bool rrsig_covers(const ResourceRecord& rrsig, const ResourceRecord& record);

// The key tag of a DNSKEY (RFC 4034 Appendix B): a 16-bit checksum of its
// RDATA that RRSIG and DS records use to name the key.
uint16_t key_tag(std::span<const uint8_t> dnskey_rdata);

// A name in the canonical form of RFC 4034 section 6.2: uncompressed, in
// lower case (ASCII letters only, RFC 4034 section 6.1).
std::vector<uint8_t> canonical_name_wire(const DnsName& name);

// The canonical order of names (RFC 4034 section 6.1): compared label by label
// from the rightmost, each label as lower-case bytes, a name sorting before
// the names below it. The order of an NSEC chain.
int compare_canonically(const DnsName& a, const DnsName& b);

} // namespace dns
