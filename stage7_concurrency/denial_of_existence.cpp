#include "denial_of_existence.hpp"

#include "dnssec_crypto.hpp"
#include "dnssec_records.hpp"
#include "text_encodings.hpp"

#include <algorithm>

namespace dns {

namespace {

constexpr uint16_t type_dname = 39;

// The ancestor of `name` made of its last `count` labels (count 0: the root).
DnsName ancestor(const DnsName& name, size_t count) {
    const auto& labels = name.labels();
    return DnsName(
        std::vector<std::string>(labels.end() - static_cast<std::ptrdiff_t>(count), labels.end()));
}

// How many labels, from the right, `a` and `b` share.
size_t shared_labels(const DnsName& a, const DnsName& b) {
    size_t count = std::min(a.labels().size(), b.labels().size());
    while (count > 0 && !a.is_in(ancestor(b, count)))
        --count;
    return count;
}

// A zone cut the parent's records cannot speak below: a delegation (NS
// without SOA) or a DNAME (RFC 6840 section 4.1).
bool is_cut(std::span<const uint8_t> type_bitmap) {
    return (bitmap_has_type(type_bitmap, type_ns) && !bitmap_has_type(type_bitmap, type_soa)) ||
           bitmap_has_type(type_bitmap, type_dname);
}

std::optional<Nsec> nsec_fields(const ResourceRecord& record) {
    if (record.type != type_nsec)
        return std::nullopt;
    try {
        return parse_nsec(record.rdata);
    } catch (const ParseError&) {
        return std::nullopt;
    }
}

// What the bitmap of the record at `name` says about `type`, for NSEC and
// NSEC3 alike: neither the type nor a CNAME there (RFC 4035 section 5.4,
// RFC 5155 section 8.5), and the record is from the zone that may say so.
bool bitmap_denies(std::span<const uint8_t> type_bitmap, uint16_t type) {
    if (bitmap_has_type(type_bitmap, type) || bitmap_has_type(type_bitmap, type_cname))
        return false;
    // A DS lives on the parent side of a cut: the child's apex record (SOA
    // set) cannot deny it. Any other type at a delegation is the child's.
    if (type == type_ds)
        return !bitmap_has_type(type_bitmap, type_soa);
    return !is_cut(type_bitmap);
}

// The NSEC3 records of one hash chain: SHA-1, flags 0 or opt-out, owners
// directly below the zone, and all with the parameters of the first such
// record (RFC 5155 sections 8.1 and 8.2).
struct Nsec3Chain {
    uint16_t iterations = 0;
    std::vector<uint8_t> salt;
    std::vector<std::pair<std::vector<uint8_t>, Nsec3>> records; // owner hash, fields
};

std::optional<Nsec3Chain> nsec3_chain(std::span<const ResourceRecord> nsec3s, const DnsName& zone) {
    std::optional<Nsec3Chain> chain;
    for (const auto& record : nsec3s) {
        if (record.type != type_nsec3 || !record.name.is_in(zone) ||
            record.name.labels().size() != zone.labels().size() + 1)
            continue;
        Nsec3 fields;
        try {
            fields = parse_nsec3(record.rdata);
        } catch (const ParseError&) {
            continue;
        }
        const auto owner_hash = nsec3_owner_hash(record.name);
        if (!owner_hash || fields.hash_algorithm != 1 || (fields.flags & ~Nsec3::opt_out_flag) != 0)
            continue;
        if (!chain)
            chain = Nsec3Chain{fields.iterations, fields.salt, {}};
        if (fields.iterations == chain->iterations && fields.salt == chain->salt)
            chain->records.emplace_back(*owner_hash, std::move(fields));
    }
    return chain;
}

bool hash_is_between(std::span<const uint8_t> owner, std::span<const uint8_t> next,
                     std::span<const uint8_t> hash) {
    const auto less = [](std::span<const uint8_t> a, std::span<const uint8_t> b) {
        return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
    };
    if (less(owner, next))
        return less(owner, hash) && less(hash, next);
    return less(owner, hash) || less(hash, next); // the last record: round to the first
}

const Nsec3* matching(const Nsec3Chain& chain, std::span<const uint8_t> hash) {
    for (const auto& [owner_hash, fields] : chain.records)
        if (std::equal(owner_hash.begin(), owner_hash.end(), hash.begin(), hash.end()))
            return &fields;
    return nullptr;
}

const Nsec3* covering(const Nsec3Chain& chain, std::span<const uint8_t> hash) {
    for (const auto& [owner_hash, fields] : chain.records)
        if (hash_is_between(owner_hash, fields.next_hashed_owner, hash))
            return &fields;
    return nullptr;
}

// Each name hashed costs 1 + iterations SHA-1 computations (CVE-2023-50868):
// charged first, nothing computed once the budget is spent.
std::optional<std::vector<uint8_t>> charged_hash(const Nsec3Chain& chain, const DnsName& name,
                                                 ValidationBudget& budget) {
    if (!budget.charge_nsec3_hash(chain.iterations))
        return std::nullopt;
    return nsec3_hash(name, chain.salt, chain.iterations);
}

Nsec3Proof with_status(DenialStatus status) {
    return Nsec3Proof{status, std::nullopt, std::nullopt};
}

// RFC 5155 section 8.3, walking up from `name`: the first ancestor whose hash
// an NSEC3 matches is the closest encloser; the name one label longer (hashed
// the step before) must be covered. `name_hash`, if the caller hashed `name`
// already, is not paid for twice.
Nsec3Proof closest_encloser(const Nsec3Chain& chain, const DnsName& name, const DnsName& zone,
                            ValidationBudget& budget,
                            std::optional<std::vector<uint8_t>> name_hash = std::nullopt) {
    if (!name.is_in(zone))
        return with_status(DenialStatus::not_proven);
    std::vector<uint8_t> closer_hash;
    for (size_t count = name.labels().size();; --count) {
        const DnsName candidate = ancestor(name, count);
        auto hash = count == name.labels().size() && name_hash
                        ? name_hash
                        : charged_hash(chain, candidate, budget);
        if (!hash)
            return with_status(DenialStatus::budget_spent);
        if (const Nsec3* match = matching(chain, *hash)) {
            // The name itself exists (no denial of it), or the encloser is a cut.
            if (count == name.labels().size() || is_cut(match->type_bitmap))
                return with_status(DenialStatus::not_proven);
            const Nsec3* cover = covering(chain, closer_hash);
            if (!cover)
                return with_status(DenialStatus::not_proven);
            const bool opt_out = (cover->flags & Nsec3::opt_out_flag) != 0;
            return Nsec3Proof{opt_out ? DenialStatus::proven_by_opt_out : DenialStatus::proven,
                              candidate, ancestor(name, count + 1)};
        }
        if (count == zone.labels().size())
            return with_status(DenialStatus::not_proven); // not even the apex matched
        closer_hash = std::move(*hash);
    }
}

// The chain of `nsec3s`, or why there is none to prove anything with.
std::optional<Nsec3Proof> unusable_chain(const std::optional<Nsec3Chain>& chain) {
    if (!chain)
        return with_status(DenialStatus::not_proven);
    if (chain->iterations > validation_limits::max_nsec3_iterations)
        return with_status(DenialStatus::insecure_iterations);
    return std::nullopt;
}

} // namespace

bool nsec_covers(const ResourceRecord& nsec, const DnsName& name) {
    const auto fields = nsec_fields(nsec);
    if (!fields || (name.is_in(nsec.name) && !(name == nsec.name) && is_cut(fields->type_bitmap)))
        return false;
    const bool after_owner = compare_canonically(nsec.name, name) < 0;
    if (compare_canonically(nsec.name, fields->next) < 0)
        return after_owner && compare_canonically(name, fields->next) < 0;
    // The last NSEC of the zone: its next name is the apex.
    return after_owner && name.is_in(fields->next);
}

bool nsec_proves_nodata(const ResourceRecord& nsec, const DnsName& name, uint16_t type) {
    const auto fields = nsec_fields(nsec);
    if (!fields)
        return false;
    if (nsec.name == name)
        return bitmap_denies(fields->type_bitmap, type);
    // An empty non-terminal: no record of its own, but names below it.
    return nsec_covers(nsec, name) && fields->next.is_in(name);
}

DnsName nsec_closest_encloser(const ResourceRecord& nsec, const DnsName& name) {
    size_t shared = shared_labels(name, nsec.name);
    if (const auto fields = nsec_fields(nsec))
        shared = std::max(shared, shared_labels(name, fields->next));
    return ancestor(name, shared);
}

DnsName source_of_synthesis(const DnsName& closest_encloser) {
    std::vector<std::string> labels{"*"};
    labels.insert(labels.end(), closest_encloser.labels().begin(), closest_encloser.labels().end());
    return DnsName(std::move(labels));
}

bool nsec_proves_name_error(std::span<const ResourceRecord> nsecs, const DnsName& name) {
    for (const auto& nsec : nsecs) {
        if (!nsec_covers(nsec, name))
            continue;
        const DnsName wildcard = source_of_synthesis(nsec_closest_encloser(nsec, name));
        if (std::any_of(nsecs.begin(), nsecs.end(),
                        [&](const auto& other) { return nsec_covers(other, wildcard); }))
            return true;
    }
    return false;
}

bool nsec_proves_wildcard_answer(std::span<const ResourceRecord> nsecs, const DnsName& name,
                                 uint8_t labels) {
    if (labels >= name.labels().size())
        return false; // not synthesized from a wildcard
    const DnsName next_closer = ancestor(name, labels + size_t{1});
    return std::any_of(nsecs.begin(), nsecs.end(),
                       [&](const auto& nsec) { return nsec_covers(nsec, next_closer); });
}

bool nsec_proves_wildcard_nodata(std::span<const ResourceRecord> nsecs, const DnsName& name,
                                 uint16_t type) {
    for (const auto& nsec : nsecs) {
        if (!nsec_covers(nsec, name))
            continue;
        const DnsName wildcard = source_of_synthesis(nsec_closest_encloser(nsec, name));
        if (std::any_of(nsecs.begin(), nsecs.end(), [&](const auto& other) {
                return other.name == wildcard && nsec_proves_nodata(other, wildcard, type);
            }))
            return true;
    }
    return false;
}

std::vector<uint8_t> nsec3_hash(const DnsName& name, std::span<const uint8_t> salt,
                                uint16_t iterations) {
    // IH(salt, x, 0) = H(x | salt); IH(salt, x, k) = H(IH(salt, x, k-1) | salt)
    std::vector<uint8_t> input = canonical_name_wire(name);
    std::vector<uint8_t> hash;
    for (uint32_t round = 0; round <= iterations; ++round) {
        input.insert(input.end(), salt.begin(), salt.end());
        hash = sha1(input);
        input = hash;
    }
    return hash;
}

std::optional<std::vector<uint8_t>> nsec3_owner_hash(const DnsName& owner) {
    if (owner.is_root())
        return std::nullopt;
    auto hash = decode_base32hex(owner.labels().front());
    if (!hash || hash->empty())
        return std::nullopt;
    return hash;
}

bool nsec3_matches(const ResourceRecord& nsec3, std::span<const uint8_t> hash) {
    const auto owner_hash = nsec3_owner_hash(nsec3.name);
    return nsec3.type == type_nsec3 && owner_hash &&
           std::equal(owner_hash->begin(), owner_hash->end(), hash.begin(), hash.end());
}

bool nsec3_covers(const ResourceRecord& nsec3, std::span<const uint8_t> hash) {
    const auto owner_hash = nsec3_owner_hash(nsec3.name);
    if (nsec3.type != type_nsec3 || !owner_hash)
        return false;
    try {
        return hash_is_between(*owner_hash, parse_nsec3(nsec3.rdata).next_hashed_owner, hash);
    } catch (const ParseError&) {
        return false;
    }
}

Nsec3Proof nsec3_closest_encloser_proof(std::span<const ResourceRecord> nsec3s, const DnsName& name,
                                        const DnsName& zone, ValidationBudget& budget) {
    const auto chain = nsec3_chain(nsec3s, zone);
    if (const auto unusable = unusable_chain(chain))
        return *unusable;
    return closest_encloser(*chain, name, zone, budget);
}

Nsec3Proof nsec3_prove_name_error(std::span<const ResourceRecord> nsec3s, const DnsName& name,
                                  const DnsName& zone, ValidationBudget& budget) {
    const auto chain = nsec3_chain(nsec3s, zone);
    if (const auto unusable = unusable_chain(chain))
        return *unusable;
    Nsec3Proof proof = closest_encloser(*chain, name, zone, budget);
    if (proof.status != DenialStatus::proven && proof.status != DenialStatus::proven_by_opt_out)
        return proof;
    const auto wildcard_hash =
        charged_hash(*chain, source_of_synthesis(*proof.closest_encloser), budget);
    if (!wildcard_hash)
        return with_status(DenialStatus::budget_spent);
    if (!covering(*chain, *wildcard_hash))
        proof.status = DenialStatus::not_proven;
    return proof;
}

Nsec3Proof nsec3_prove_nodata(std::span<const ResourceRecord> nsec3s, const DnsName& name,
                              uint16_t type, const DnsName& zone, ValidationBudget& budget) {
    const auto chain = nsec3_chain(nsec3s, zone);
    if (const auto unusable = unusable_chain(chain))
        return *unusable;
    const auto name_hash = charged_hash(*chain, name, budget);
    if (!name_hash)
        return with_status(DenialStatus::budget_spent);
    // Section 8.5: the name's own record, without the type (or a CNAME).
    if (const Nsec3* match = matching(*chain, *name_hash))
        return with_status(bitmap_denies(match->type_bitmap, type) ? DenialStatus::proven
                                                                   : DenialStatus::not_proven);
    Nsec3Proof proof = closest_encloser(*chain, name, zone, budget, name_hash);
    if (proof.status != DenialStatus::proven && proof.status != DenialStatus::proven_by_opt_out)
        return proof;
    // Section 8.6: no DS, because no delegation of a signed zone is there;
    // only an opt-out span can leave one out (and then it is unsigned).
    if (type == type_ds)
        return with_status(proof.status == DenialStatus::proven_by_opt_out
                               ? DenialStatus::proven_by_opt_out
                               : DenialStatus::not_proven);
    // Section 8.7: the wildcard that answers for the name has no such type.
    const auto wildcard_hash =
        charged_hash(*chain, source_of_synthesis(*proof.closest_encloser), budget);
    if (!wildcard_hash)
        return with_status(DenialStatus::budget_spent);
    const Nsec3* wildcard = matching(*chain, *wildcard_hash);
    if (!wildcard || !bitmap_denies(wildcard->type_bitmap, type))
        proof.status = DenialStatus::not_proven;
    return proof;
}

Nsec3Proof nsec3_prove_wildcard_answer(std::span<const ResourceRecord> nsec3s, const DnsName& name,
                                       uint8_t labels, const DnsName& zone,
                                       ValidationBudget& budget) {
    const auto chain = nsec3_chain(nsec3s, zone);
    if (const auto unusable = unusable_chain(chain))
        return *unusable;
    if (labels >= name.labels().size() || labels < zone.labels().size() || !name.is_in(zone))
        return with_status(DenialStatus::not_proven);
    const DnsName next_closer = ancestor(name, labels + size_t{1});
    const auto hash = charged_hash(*chain, next_closer, budget);
    if (!hash)
        return with_status(DenialStatus::budget_spent);
    const Nsec3* cover = covering(*chain, *hash);
    if (!cover)
        return with_status(DenialStatus::not_proven);
    const bool opt_out = (cover->flags & Nsec3::opt_out_flag) != 0;
    return Nsec3Proof{opt_out ? DenialStatus::proven_by_opt_out : DenialStatus::proven,
                      ancestor(name, labels), next_closer};
}

} // namespace dns
