#include "dnssec_crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace dns {

namespace {

// Every OpenSSL object is owned by a std::unique_ptr that frees it with the
// function OpenSSL gives for it, whichever way the function returns.
using PublicKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using KeyContext = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;
using DigestContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
using ParameterBuilder = std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)>;
using Parameters = std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)>;
using BigNumber = std::unique_ptr<BIGNUM, decltype(&BN_free)>;
using EcdsaSignature = std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)>;

PublicKey no_key() {
    return PublicKey(nullptr, &EVP_PKEY_free);
}

BigNumber big_number(std::span<const uint8_t> big_endian) {
    return BigNumber(BN_bin2bn(big_endian.data(), static_cast<int>(big_endian.size()), nullptr),
                     &BN_free);
}

// A public key of OpenSSL's key type `type` ("RSA", "EC") from its parameters.
PublicKey key_from_parameters(const char* type, OSSL_PARAM_BLD* builder) {
    const Parameters parameters(OSSL_PARAM_BLD_to_param(builder), &OSSL_PARAM_free);
    const KeyContext context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr),
                             &EVP_PKEY_CTX_free);
    EVP_PKEY* key = nullptr;
    if (!parameters || !context || EVP_PKEY_fromdata_init(context.get()) != 1 ||
        EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, parameters.get()) != 1)
        return no_key();
    return PublicKey(key, &EVP_PKEY_free);
}

// RFC 3110 section 2: the exponent's length in one byte (or, if that byte is
// 0, in the next two), the exponent, then the modulus, all big-endian.
PublicKey rsa_key(std::span<const uint8_t> key, uint8_t algorithm) {
    if (key.empty())
        return no_key();
    size_t exponent_length = key[0];
    size_t at = 1;
    if (exponent_length == 0) {
        if (key.size() < 3)
            return no_key();
        exponent_length = size_t{key[1]} << 8 | key[2];
        at = 3;
    }
    if (exponent_length == 0 || key.size() <= at + exponent_length)
        return no_key();
    const BigNumber exponent = big_number(key.subspan(at, exponent_length));
    const BigNumber modulus = big_number(key.subspan(at + exponent_length));
    if (!exponent || !modulus)
        return no_key();
    // Key sizes: 512 to 4096 bits (RFC 3110 section 2, RFC 5702 section 2),
    // at least 1024 for RSASHA512 (RFC 5702 section 2.2).
    const int bits = BN_num_bits(modulus.get());
    if (bits < (algorithm == 10 ? 1024 : 512) || bits > 4096)
        return no_key();
    const ParameterBuilder builder(OSSL_PARAM_BLD_new(), &OSSL_PARAM_BLD_free);
    if (!builder ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get()) != 1)
        return no_key();
    return key_from_parameters("RSA", builder.get());
}

// RFC 6605 section 4: the point's x and y, each as long as the curve's
// numbers, with no prefix; OpenSSL reads the uncompressed form 04 | x | y.
PublicKey ecdsa_key(std::span<const uint8_t> key, const char* curve, size_t number_length) {
    if (key.size() != 2 * number_length)
        return no_key();
    std::vector<uint8_t> point{0x04};
    point.insert(point.end(), key.begin(), key.end());
    const ParameterBuilder builder(OSSL_PARAM_BLD_new(), &OSSL_PARAM_BLD_free);
    if (!builder ||
        OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve, 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                         point.size()) != 1)
        return no_key();
    return key_from_parameters("EC", builder.get());
}

// RFC 8080 section 3: the key as it is, 32 bytes for Ed25519, 57 for Ed448.
PublicKey eddsa_key(std::span<const uint8_t> key, int type, size_t length) {
    if (key.size() != length)
        return no_key();
    return PublicKey(EVP_PKEY_new_raw_public_key(type, nullptr, key.data(), key.size()),
                     &EVP_PKEY_free);
}

// RFC 6605 section 4: the signature is r | s, each as long as the curve's
// numbers; OpenSSL verifies the DER form of RFC 3279 (a SEQUENCE of two INTEGERs).
std::optional<std::vector<uint8_t>> ecdsa_signature_as_der(std::span<const uint8_t> signature,
                                                           size_t number_length) {
    if (signature.size() != 2 * number_length)
        return std::nullopt;
    BigNumber r = big_number(signature.first(number_length));
    BigNumber s = big_number(signature.subspan(number_length));
    const EcdsaSignature pair(ECDSA_SIG_new(), &ECDSA_SIG_free);
    if (!r || !s || !pair || ECDSA_SIG_set0(pair.get(), r.get(), s.get()) != 1)
        return std::nullopt;
    r.release(); // the pair owns r and s now
    s.release();
    const int length = i2d_ECDSA_SIG(pair.get(), nullptr);
    if (length <= 0)
        return std::nullopt;
    std::vector<uint8_t> der(static_cast<size_t>(length));
    uint8_t* out = der.data();
    i2d_ECDSA_SIG(pair.get(), &out);
    return der;
}

// How each algorithm hashes and what its key is; nullptr where EdDSA hashes itself.
struct AlgorithmForm {
    const EVP_MD* digest;
    PublicKey key;
};

std::optional<AlgorithmForm> algorithm_form(uint8_t algorithm, std::span<const uint8_t> key) {
    switch (algorithm) {
    case 5: // RSASHA1
    case 7: // RSASHA1-NSEC3-SHA1: the same, a new number to say "NSEC3" (RFC 5155 section 2)
        return AlgorithmForm{EVP_sha1(), rsa_key(key, algorithm)};
    case 8:
        return AlgorithmForm{EVP_sha256(), rsa_key(key, algorithm)};
    case 10:
        return AlgorithmForm{EVP_sha512(), rsa_key(key, algorithm)};
    case 13:
        return AlgorithmForm{EVP_sha256(), ecdsa_key(key, "P-256", 32)};
    case 14:
        return AlgorithmForm{EVP_sha384(), ecdsa_key(key, "P-384", 48)};
    case 15:
        return AlgorithmForm{nullptr, eddsa_key(key, EVP_PKEY_ED25519, 32)};
    case 16:
        return AlgorithmForm{nullptr, eddsa_key(key, EVP_PKEY_ED448, 57)};
    default:
        return std::nullopt;
    }
}

// Building OpenSSL's form of a key is dear: for ECDSA, EVP_PKEY_fromdata()
// sets the curve up anew each time, about a fifth of a validating miss. And a
// few keys check nearly every signature: a zone's one ZSK signs every answer
// in it. So each thread keeps the keys it has built, found again by their
// algorithm and bytes, in a map of its own that needs no lock. A DNSKEY is
// public, and a key built from the same bytes is the same key: keeping it
// changes no verdict. A key that could not be built is kept too (as no key),
// so bad bytes sent again are not parsed again.
class BuiltKeys {
  public:
    // The keys a thread keeps. One more, and all are dropped, to be built
    // again as they are asked for: the bound holds whatever keys arrive,
    // and a resolver's working set of zones signed with distinct keys is
    // usually far smaller.
    static constexpr size_t max_keys = 256;

    // The form of `key` for `algorithm`, built now or before; nothing if
    // the algorithm is not supported.
    const AlgorithmForm* find_or_build(uint8_t algorithm, std::span<const uint8_t> key) {
        // The map's key: the algorithm's number, then the key's bytes.
        lookup_.assign(1, static_cast<char>(algorithm));
        lookup_.append(reinterpret_cast<const char*>(key.data()), key.size());
        if (const auto found = forms_.find(std::string_view(lookup_)); found != forms_.end())
            return &found->second;
        auto form = algorithm_form(algorithm, key);
        if (!form)
            return nullptr;
        if (forms_.size() >= max_keys)
            forms_.clear();
        return &forms_.emplace(lookup_, std::move(*form)).first->second;
    }
    size_t size() const { return forms_.size(); }

  private:
    struct Hash {
        using is_transparent = void;
        size_t operator()(std::string_view bytes) const {
            return std::hash<std::string_view>{}(bytes);
        }
    };
    std::unordered_map<std::string, AlgorithmForm, Hash, std::equal_to<>> forms_;
    std::string lookup_; // reused, so that a lookup allocates nothing
};

thread_local BuiltKeys built_keys;

CryptoResult verify(const AlgorithmForm& form, std::span<const uint8_t> signed_data,
                    std::span<const uint8_t> signature) {
    const DigestContext context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!context ||
        EVP_DigestVerifyInit(context.get(), nullptr, form.digest, nullptr, form.key.get()) != 1)
        return CryptoResult::unusable_key;
    // 1: verified; 0: not this key's signature; below 0: malformed (as bad).
    const int verified = EVP_DigestVerify(context.get(), signature.data(), signature.size(),
                                          signed_data.data(), signed_data.size());
    return verified == 1 ? CryptoResult::valid : CryptoResult::invalid_signature;
}

} // namespace

bool is_supported_algorithm(uint8_t algorithm) {
    switch (algorithm) {
    case 5:
    case 7:
    case 8:
    case 10:
    case 13:
    case 14:
    case 15:
    case 16:
        return true;
    default:
        return false;
    }
}

CryptoResult verify_signature(uint8_t algorithm, std::span<const uint8_t> public_key,
                              std::span<const uint8_t> signed_data,
                              std::span<const uint8_t> signature) {
    const AlgorithmForm* form = built_keys.find_or_build(algorithm, public_key);
    if (!form)
        return CryptoResult::unsupported_algorithm;
    CryptoResult result = CryptoResult::unusable_key;
    if (form->key) {
        if (algorithm == 13 || algorithm == 14) {
            const auto der = ecdsa_signature_as_der(signature, algorithm == 13 ? 32 : 48);
            result = der ? verify(*form, signed_data, *der) : CryptoResult::invalid_signature;
        } else {
            result = verify(*form, signed_data, signature);
        }
    }
    // OpenSSL keeps its errors in a queue per thread: leave none behind.
    ERR_clear_error();
    return result;
}

size_t keys_kept_by_this_thread() {
    return built_keys.size();
}

size_t max_keys_kept_per_thread() {
    return BuiltKeys::max_keys;
}

namespace {

// DS digest types (IANA's "Digest Algorithms" registry): 3 is GOST, not supported.
const EVP_MD* ds_digest_function(uint8_t digest_type) {
    return digest_type == 1   ? EVP_sha1()
           : digest_type == 2 ? EVP_sha256()
           : digest_type == 4 ? EVP_sha384()
                              : nullptr;
}

} // namespace

bool is_supported_digest_type(uint8_t digest_type) {
    return ds_digest_function(digest_type) != nullptr;
}

std::optional<std::vector<uint8_t>> ds_digest(uint8_t digest_type, std::span<const uint8_t> data) {
    const EVP_MD* digest = ds_digest_function(digest_type);
    if (digest == nullptr)
        return std::nullopt;
    std::vector<uint8_t> result(static_cast<size_t>(EVP_MD_get_size(digest)));
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), result.data(), &length, digest, nullptr) != 1) {
        ERR_clear_error();
        return std::nullopt;
    }
    result.resize(length);
    return result;
}

std::vector<uint8_t> sha1(std::span<const uint8_t> data) {
    return ds_digest(1, data).value_or(std::vector<uint8_t>{}); // SHA-1 is digest type 1
}

} // namespace dns
