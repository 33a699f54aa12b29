#include "dnssec_signatures.hpp"

#include "dnssec_crypto.hpp"
#include "dnssec_records.hpp"
#include "message_writer.hpp"
#include "record_types.hpp"

#include <algorithm>

namespace dns {

namespace {

// The types whose RDATA names are lowered in canonical form: RFC 4034
// section 6.2 item 3, as RFC 6840 section 5.1 corrected it (NSEC's next name
// keeps its case, RRSIG's signer is lowered). HINFO, also listed, has no names.
bool has_lowercased_names(uint16_t type) {
    static constexpr uint16_t types[] = {
        2,  3,  4,  5,  6,  7,  8,  9,  12, 14, // NS MD MF CNAME SOA MB MG MR PTR MINFO
        15, 17, 18, 21, 24, 26, 30, 33, 35, 36, // MX RP AFSDB RT SIG PX NXT SRV NAPTR KX
        38, 39, 46,                             // A6 DNAME RRSIG
    };
    return std::find(std::begin(types), std::end(types), type) != std::end(types);
}

std::vector<uint8_t> canonical_rdata(uint16_t type, std::span<const uint8_t> rdata) {
    if (!has_lowercased_names(type))
        return {rdata.begin(), rdata.end()};
    return rdata_with_lowercase_names(type, rdata);
}

bool is_one_rrset(std::span<const ResourceRecord> rrset) {
    return !rrset.empty() && std::all_of(rrset.begin(), rrset.end(), [&](const auto& record) {
        return record.name == rrset.front().name && record.type == rrset.front().type &&
               record.klass == rrset.front().klass;
    });
}

// How much a failure tells, when several RRSIGs and keys were tried: a
// supported algorithm that failed beats an algorithm we cannot check, which
// beats finding no key, which beats finding no signature at all.
int weight(SignatureStatus status) {
    switch (status) {
    case SignatureStatus::no_signature:
        return 0;
    case SignatureStatus::key_mismatch:
        return 1;
    case SignatureStatus::unsupported_algorithm:
        return 2;
    default:
        return 3;
    }
}

} // namespace

std::string_view describe(SignatureStatus status) {
    switch (status) {
    case SignatureStatus::valid:
        return "valid";
    case SignatureStatus::unsupported_algorithm:
        return "unsupported algorithm";
    case SignatureStatus::bad_signature:
        return "bad signature";
    case SignatureStatus::not_yet_valid:
        return "signature not yet valid";
    case SignatureStatus::expired:
        return "signature expired";
    case SignatureStatus::key_mismatch:
        return "key tag, algorithm or signer does not match the key";
    case SignatureStatus::not_a_zone_key:
        return "not a zone key";
    case SignatureStatus::malformed:
        return "malformed signature, key or RRset";
    case SignatureStatus::no_signature:
        return "no signature";
    case SignatureStatus::budget_spent:
        return "validation budget spent";
    }
    return "unknown";
}

bool serial_before_or_at(uint32_t a, uint32_t b) {
    return static_cast<uint32_t>(b - a) < 0x80000000u;
}

SignatureStatus check_validity_period(uint32_t inception, uint32_t expiration,
                                      std::chrono::sys_seconds now) {
    // Seconds since 1970 modulo 2^32, the way the RRSIG counts them.
    const auto now_serial = static_cast<uint32_t>(now.time_since_epoch().count());
    if (!serial_before_or_at(inception, now_serial))
        return SignatureStatus::not_yet_valid;
    if (!serial_before_or_at(now_serial, expiration))
        return SignatureStatus::expired;
    return SignatureStatus::valid;
}

std::optional<DnsName> signed_owner(const DnsName& owner, uint8_t labels) {
    const auto& owner_labels = owner.labels();
    // RFC 4034 section 3.1.3: the labels field does not count a leading "*".
    const bool is_wildcard = !owner_labels.empty() && owner_labels.front() == "*";
    const size_t count = owner_labels.size() - (is_wildcard ? 1 : 0);
    if (labels > count)
        return std::nullopt;
    if (labels == count)
        return owner;
    std::vector<std::string> wildcard{"*"};
    wildcard.insert(wildcard.end(), owner_labels.end() - labels, owner_labels.end());
    return DnsName(std::move(wildcard));
}

std::vector<uint8_t> signed_data(std::span<const ResourceRecord> rrset,
                                 const ResourceRecord& rrsig) {
    const Rrsig fields = parse_rrsig(rrsig.rdata);
    std::vector<uint8_t> data = rrsig_rdata_without_signature(rrsig.rdata);
    if (rrset.empty())
        return data;
    const auto owner = signed_owner(rrset.front().name, fields.labels);
    if (!owner)
        throw ParseError("an RRSIG with more labels than its owner name", 0);
    const auto owner_wire = canonical_name_wire(*owner);
    // RFC 4034 section 6.3: the records sorted by their canonical RDATA, as
    // unsigned bytes (a shorter RDATA that is a prefix of a longer one first).
    std::vector<std::vector<uint8_t>> rdatas;
    for (const auto& record : rrset)
        rdatas.push_back(canonical_rdata(record.type, record.rdata));
    std::sort(rdatas.begin(), rdatas.end());
    rdatas.erase(std::unique(rdatas.begin(), rdatas.end()), rdatas.end());

    size_t size = data.size();
    for (const auto& rdata : rdatas)
        size += owner_wire.size() + 10 + rdata.size();
    MessageWriter writer(size);
    writer.write_bytes(data);
    for (const auto& rdata : rdatas) {
        // owner | type | class | original TTL | RDATA length | RDATA
        writer.write_bytes(owner_wire);
        writer.write_u16(rrset.front().type);
        writer.write_u16(rrset.front().klass);
        writer.write_u32(fields.original_ttl);
        writer.write_u16(static_cast<uint16_t>(rdata.size()));
        writer.write_bytes(rdata);
    }
    return writer.bytes();
}

SignatureStatus verify_rrsig(std::span<const ResourceRecord> rrset, const ResourceRecord& rrsig,
                             const ResourceRecord& dnskey, std::chrono::sys_seconds now,
                             ValidationBudget& budget) {
    if (!is_one_rrset(rrset) || rrsig.type != type_rrsig || dnskey.type != type_dnskey)
        return SignatureStatus::malformed;
    Rrsig signature;
    Dnskey key;
    try {
        signature = parse_rrsig(rrsig.rdata);
        key = parse_dnskey(dnskey.rdata);
    } catch (const ParseError&) {
        return SignatureStatus::malformed;
    }
    // RFC 4035 section 5.3.1: the RRSIG is for this RRset; its signer is a
    // zone the owner is in, and the wildcard it may stand for is in it too.
    const ResourceRecord& first = rrset.front();
    if (!(rrsig.name == first.name) || rrsig.klass != first.klass ||
        signature.type_covered != first.type || !first.name.is_in(signature.signer) ||
        signature.labels < signature.signer.labels().size() ||
        !signed_owner(first.name, signature.labels))
        return SignatureStatus::malformed;
    // The key is the one the RRSIG names: the signer's, of its algorithm and tag.
    if (!(dnskey.name == signature.signer) || key.algorithm != signature.algorithm ||
        key_tag(dnskey.rdata) != signature.key_tag)
        return SignatureStatus::key_mismatch;
    // RFC 4034 sections 2.1.1 and 2.1.2: only a zone key signs a zone's data.
    if ((key.flags & Dnskey::zone_key_flag) == 0 || key.protocol != 3)
        return SignatureStatus::not_a_zone_key;
    if (!is_supported_algorithm(signature.algorithm))
        return SignatureStatus::unsupported_algorithm;
    if (const auto period = check_validity_period(signature.inception, signature.expiration, now);
        period != SignatureStatus::valid)
        return period;
    // Only now the expensive part, and only while the lookup may afford it.
    if (!budget.charge_signature_verification())
        return SignatureStatus::budget_spent;
    std::vector<uint8_t> data;
    try {
        data = signed_data(rrset, rrsig);
    } catch (const ParseError&) {
        return SignatureStatus::malformed;
    }
    switch (verify_signature(signature.algorithm, key.public_key, data, signature.signature)) {
    case CryptoResult::valid:
        return SignatureStatus::valid;
    case CryptoResult::invalid_signature:
        return SignatureStatus::bad_signature;
    case CryptoResult::unsupported_algorithm:
        return SignatureStatus::unsupported_algorithm;
    case CryptoResult::unusable_key:
        break;
    }
    return SignatureStatus::malformed;
}

SignatureStatus verify_rrset(std::span<const ResourceRecord> rrset,
                             std::span<const ResourceRecord> rrsigs,
                             std::span<const ResourceRecord> dnskeys, std::chrono::sys_seconds now,
                             ValidationBudget& budget) {
    if (!is_one_rrset(rrset))
        return SignatureStatus::malformed;
    SignatureStatus most_telling = SignatureStatus::no_signature;
    size_t signatures_tried = 0;
    for (const auto& rrsig : rrsigs) {
        if (rrsig.type != type_rrsig || !(rrsig.name == rrset.front().name))
            continue;
        try {
            if (parse_rrsig(rrsig.rdata).type_covered != rrset.front().type)
                continue; // the signature of another RRset at this name
        } catch (const ParseError&) {
            continue;
        }
        if (signatures_tried++ == validation_limits::max_signatures_per_rrset)
            break;
        size_t keys_tried = 0;
        for (const auto& dnskey : dnskeys) {
            const SignatureStatus status = verify_rrsig(rrset, rrsig, dnskey, now, budget);
            if (status == SignatureStatus::valid || status == SignatureStatus::budget_spent)
                return status;
            if (weight(status) > weight(most_telling))
                most_telling = status;
            // A key that is not the RRSIG's costs nothing; the ones that are count.
            if (status != SignatureStatus::key_mismatch &&
                ++keys_tried == validation_limits::max_keys_per_key_tag)
                break;
        }
    }
    return most_telling;
}

DsMatch ds_matches_dnskey(const ResourceRecord& ds, const ResourceRecord& dnskey) {
    if (ds.type != type_ds || dnskey.type != type_dnskey || !(ds.name == dnskey.name))
        return DsMatch::does_not_match;
    Ds fields;
    try {
        fields = parse_ds(ds.rdata);
        if (parse_dnskey(dnskey.rdata).algorithm != fields.algorithm ||
            key_tag(dnskey.rdata) != fields.key_tag)
            return DsMatch::does_not_match;
    } catch (const ParseError&) {
        return DsMatch::does_not_match;
    }
    std::vector<uint8_t> hashed = canonical_name_wire(dnskey.name);
    hashed.insert(hashed.end(), dnskey.rdata.begin(), dnskey.rdata.end());
    const auto digest = ds_digest(fields.digest_type, hashed);
    if (!digest)
        return DsMatch::unsupported_digest;
    return *digest == fields.digest ? DsMatch::matches : DsMatch::does_not_match;
}

std::vector<ResourceRecord> keys_matching_ds(std::span<const ResourceRecord> ds_set,
                                             std::span<const ResourceRecord> dnskeys) {
    std::vector<ResourceRecord> matching;
    for (const auto& ds : ds_set) {
        if (ds.type != type_ds)
            continue;
        size_t keys_hashed = 0;
        for (const auto& dnskey : dnskeys) {
            if (dnskey.type != type_dnskey)
                continue;
            try {
                const Ds wanted = parse_ds(ds.rdata);
                const Dnskey key = parse_dnskey(dnskey.rdata);
                if ((key.flags & Dnskey::zone_key_flag) == 0 || key.protocol != 3 ||
                    !is_supported_algorithm(key.algorithm) || key.algorithm != wanted.algorithm ||
                    key_tag(dnskey.rdata) != wanted.key_tag)
                    continue;
            } catch (const ParseError&) {
                continue;
            }
            if (keys_hashed++ == validation_limits::max_keys_per_key_tag)
                break;
            const bool known = std::any_of(matching.begin(), matching.end(), [&](const auto& key) {
                return key.rdata == dnskey.rdata;
            });
            if (!known && ds_matches_dnskey(ds, dnskey) == DsMatch::matches)
                matching.push_back(dnskey);
        }
    }
    return matching;
}

bool has_supported_ds(std::span<const ResourceRecord> ds_set) {
    return std::any_of(ds_set.begin(), ds_set.end(), [](const ResourceRecord& ds) {
        try {
            const Ds fields = parse_ds(ds.rdata);
            return ds.type == type_ds && is_supported_digest_type(fields.digest_type) &&
                   is_supported_algorithm(fields.algorithm);
        } catch (const ParseError&) {
            return false;
        }
    });
}

} // namespace dns
