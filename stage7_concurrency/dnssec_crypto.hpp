// The cryptography of DNSSEC, done by OpenSSL's libcrypto (its EVP interface).
//
// DNSSEC writes keys and signatures in its own compact forms; OpenSSL wants
// its own. This file turns one into the other, for the algorithms a validator
// is asked to support today (RFC 8624 section 3.1):
//
//   5, 7   RSASHA1, RSASHA1-NSEC3-SHA1   RFC 3110, RFC 5155   MUST validate
//   8, 10  RSASHA256, RSASHA512          RFC 5702             MUST validate
//   13     ECDSAP256SHA256               RFC 6605             MUST validate
//   14     ECDSAP384SHA384               RFC 6605             RECOMMENDED
//   15     ED25519                       RFC 8080             RECOMMENDED
//   16     ED448                         RFC 8080             MAY
//
// and the digests of DS records (RFC 8624 section 3.3): SHA-1 (type 1, RFC
// 4034), SHA-256 (type 2, RFC 4509), SHA-384 (type 4, RFC 6605). Anything else
// (RSA/MD5, DSA, GOST) is "unsupported": RFC 4035 section 5.2 then treats the
// zone as unsigned, not as forged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace dns {

enum class CryptoResult {
    valid,
    invalid_signature, // the signature is not the key's over this data
    unusable_key,      // the key's or the signature's bytes are not of this algorithm's form
    unsupported_algorithm,
};

bool is_supported_algorithm(uint8_t algorithm);

// Verifies `signature` over `signed_data` with a DNSKEY's public key field.
CryptoResult verify_signature(uint8_t algorithm, std::span<const uint8_t> public_key,
                              std::span<const uint8_t> signed_data,
                              std::span<const uint8_t> signature);

// Each thread keeps OpenSSL's form of the keys it verified with, so that a
// key is built once, not for every signature: how many it keeps now, and at
// most (for the tests).
size_t keys_kept_by_this_thread();
size_t max_keys_kept_per_thread();

bool is_supported_digest_type(uint8_t digest_type);

// The digest of a DS digest type over `data`; nothing for a type not supported.
std::optional<std::vector<uint8_t>> ds_digest(uint8_t digest_type, std::span<const uint8_t> data);

// SHA-1 of `data`: the hash of NSEC3 (RFC 5155 section 5).
std::vector<uint8_t> sha1(std::span<const uint8_t> data);

} // namespace dns
