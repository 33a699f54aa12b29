#include "dnssec_validator.hpp"

#include "code_names.hpp"
#include "denial_of_existence.hpp"
#include "dnssec_records.hpp"
#include "dnssec_signatures.hpp"
#include "trust_anchors.hpp"

#include <algorithm>
#include <chrono>
#include <sstream>

namespace dns {

namespace {

// Signature validity is a matter of absolute times (RFC 4034 section 3.1.5):
// the wall clock, in whole seconds.
std::chrono::sys_seconds wall_clock_now() {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string describe(const DnsName& name, uint16_t type) {
    return name.to_string() + " " + type_name(type);
}

std::string_view security_name(Security security) {
    switch (security) {
    case Security::secure:
        return "secure";
    case Security::insecure:
        return "insecure";
    case Security::bogus:
        return "bogus";
    case Security::unchecked:
        break;
    }
    return "unchecked";
}

// The records of `records` split into RRsets (one owner and type each), in
// the order they first appear.
std::vector<std::vector<ResourceRecord>> split_rrsets(const std::vector<ResourceRecord>& records) {
    std::vector<std::vector<ResourceRecord>> rrsets;
    for (const auto& record : records) {
        auto same = std::find_if(rrsets.begin(), rrsets.end(), [&](const auto& rrset) {
            return rrset.front().type == record.type && rrset.front().name == record.name;
        });
        if (same == rrsets.end())
            rrsets.push_back({record});
        else
            same->push_back(record);
    }
    return rrsets;
}

std::vector<ResourceRecord> records_of_type(const std::vector<ResourceRecord>& records,
                                            const DnsName& owner, uint16_t type) {
    std::vector<ResourceRecord> found;
    for (const auto& record : records)
        if (record.type == type && record.name == owner)
            found.push_back(record);
    return found;
}

std::optional<Rrsig> read_rrsig(const ResourceRecord& record) {
    try {
        return parse_rrsig(record.rdata);
    } catch (const ParseError&) {
        return std::nullopt;
    }
}

// An RRSIG as the trace shows it: who signed, with which key and algorithm,
// and its validity window (inception to expiration, as dig prints them).
std::string describe_signature(const std::vector<ResourceRecord>& rrsigs) {
    if (rrsigs.empty())
        return "no RRSIG";
    const auto fields = read_rrsig(rrsigs.front());
    if (!fields)
        return "an RRSIG that cannot be read";
    // dig's text of an RRSIG: TYPE ALGORITHM LABELS TTL EXPIRATION INCEPTION ...
    std::vector<std::string> words;
    std::istringstream text(rdata_to_text(rrsigs.front()));
    for (std::string word; words.size() < 6 && text >> word;)
        words.push_back(word);
    return "RRSIG by " + fields->signer.to_string() + " key " + std::to_string(fields->key_tag) +
           " (" + algorithm_name(fields->algorithm) + "), " +
           (words.size() == 6 ? words[5] + "-" + words[4] : std::string("?")) +
           (rrsigs.size() > 1 ? " (and " + std::to_string(rrsigs.size() - 1) + " more)" : "");
}

// The RRSIGs among `rrsigs` over the RRset of `owner` and `type`.
std::vector<ResourceRecord> rrsigs_over(const std::vector<ResourceRecord>& rrsigs,
                                        const DnsName& owner, uint16_t type) {
    std::vector<ResourceRecord> found;
    for (const auto& rrsig : rrsigs)
        if (rrsig.type == type_rrsig && rrsig.name == owner)
            if (const auto fields = read_rrsig(rrsig); fields && fields->type_covered == type)
                found.push_back(rrsig);
    return found;
}

// The zone that signed these RRSIGs (the first one's signer field).
std::optional<DnsName> signer_of(const std::vector<ResourceRecord>& rrsigs) {
    for (const auto& rrsig : rrsigs)
        if (const auto fields = read_rrsig(rrsig))
            return fields->signer;
    return std::nullopt;
}

// How long a signed RRset may be kept (RFC 4035 section 5.3.3): no longer
// than the TTL it was signed with, and not past the signature's expiration.
uint32_t signature_ttl_cap(const std::vector<ResourceRecord>& rrsigs,
                           std::chrono::sys_seconds now) {
    uint32_t cap = UINT32_MAX;
    const auto now_serial = static_cast<uint32_t>(now.time_since_epoch().count());
    for (const auto& rrsig : rrsigs)
        if (const auto fields = read_rrsig(rrsig)) {
            cap = std::min(cap, fields->original_ttl);
            if (serial_before_or_at(now_serial, fields->expiration))
                cap = std::min(cap, fields->expiration - now_serial);
        }
    return cap;
}

// The number of labels an RRSIG counts for its owner (RFC 4034 section
// 3.1.3): a "*" label and the root are not counted.
size_t signed_label_count(const DnsName& owner) {
    const auto& labels = owner.labels();
    return !labels.empty() && labels.front() == "*" ? labels.size() - 1 : labels.size();
}

bool nsec_has_type(const ResourceRecord& nsec, uint16_t type) {
    try {
        if (nsec.type == type_nsec)
            return bitmap_has_type(parse_nsec(nsec.rdata).type_bitmap, type);
        return bitmap_has_type(parse_nsec3(nsec.rdata).type_bitmap, type);
    } catch (const ParseError&) {
        return false;
    }
}

// The NSEC3 record of `name` itself, if one of `nsec3s` is (its hash with
// the record's own salt and iterations, RFC 5155 section 5).
const ResourceRecord* nsec3_of(const std::vector<ResourceRecord>& nsec3s, const DnsName& name,
                               ValidationBudget& budget) {
    for (const auto& nsec3 : nsec3s) {
        try {
            const Nsec3 fields = parse_nsec3(nsec3.rdata);
            if (fields.iterations > validation_limits::max_nsec3_iterations ||
                !budget.charge_nsec3_hash(fields.iterations))
                return nullptr;
            if (nsec3_matches(nsec3, nsec3_hash(name, fields.salt, fields.iterations)))
                return &nsec3;
        } catch (const ParseError&) {
        }
    }
    return nullptr;
}

// The proof of a negative (or wildcard) answer, taken from its authority
// section: the NSEC and the NSEC3 records, and every record whose signature
// must be checked before the proof is believed (the SOA too, for a negative
// answer).
struct Proof {
    std::vector<ResourceRecord> nsecs;
    std::vector<ResourceRecord> nsec3s;
    std::vector<ResourceRecord> signed_records;
};

Proof proof_of(const Resolution& answer) {
    Proof proof;
    for (const auto& record : answer.authorities)
        if (record.type == type_soa)
            proof.signed_records.push_back(record);
    for (const auto& record : answer.authority_dnssec) {
        if (record.type == type_nsec)
            proof.nsecs.push_back(record);
        else if (record.type == type_nsec3)
            proof.nsec3s.push_back(record);
        if (record.type != type_rrsig)
            proof.signed_records.push_back(record);
    }
    return proof;
}

} // namespace

ExtendedError bogus_because(uint16_t code, std::string text) {
    return ExtendedError{code, std::move(text)};
}

namespace {

// A signature check's result as the validator's verdict: valid is secure;
// an algorithm this validator does not implement is insecure (RFC 4035
// section 5.2); every other failure is bogus, with the EDE that names it.
struct StatusVerdict {
    Security security;
    std::optional<ExtendedError> why;
};

StatusVerdict verdict_of(SignatureStatus status, const std::string& what) {
    const std::string text = what + ": " + std::string(describe(status));
    switch (status) {
    case SignatureStatus::valid:
        return {Security::secure, std::nullopt};
    case SignatureStatus::unsupported_algorithm:
        return {Security::insecure, std::nullopt};
    case SignatureStatus::expired:
        return {Security::bogus, bogus_because(ede::signature_expired, text)};
    case SignatureStatus::not_yet_valid:
        return {Security::bogus, bogus_because(ede::signature_not_yet_valid, text)};
    case SignatureStatus::no_signature:
        return {Security::bogus, bogus_because(ede::rrsigs_missing, text)};
    case SignatureStatus::not_a_zone_key:
        return {Security::bogus, bogus_because(ede::no_zone_key_bit_set, text)};
    default:
        return {Security::bogus, bogus_because(ede::dnssec_bogus, text)};
    }
}

} // namespace

Validator::Validator(ValidatorSettings settings, Cache& cache)
    : settings_(std::move(settings)), cache_(cache) {}

bool Validator::below_negative_trust_anchor(const DnsName& name) const {
    return std::any_of(settings_.negative_trust_anchors.begin(),
                       settings_.negative_trust_anchors.end(),
                       [&](const DnsName& zone) { return name.is_in(zone); });
}

DnsName Validator::zone_of(const DnsName& owner, uint16_t type) {
    if (auto found = cache_.find_closest_delegation(owner, type == type_ds))
        return found->delegation->zone;
    return DnsName{};
}

Task<Resolution> Validator::validate(const Question& question, Resolution answer, Run& run) {
    const bool validatable = answer.rcode == rcode_noerror || answer.rcode == rcode_nxdomain ||
                             answer.rcode == rcode_yxdomain;
    // An answer to ANY holds whatever the server had at hand (RFC 8482): it
    // is passed on as it came, unchecked.
    if (!enabled() || answer.security != Security::unchecked || !validatable ||
        answer.authoritative || question.type == type_any)
        co_return answer;
    if (below_negative_trust_anchor(question.name)) {
        run.trace.step(run.depth, [&] {
            return "DNSSEC: " + question.name.to_string() +
                   " is below a negative trust anchor: insecure";
        });
        answer.security = Security::insecure;
        co_return answer;
    }
    Verdict overall{Security::secure};
    const auto worse = [&](Verdict verdict) {
        if (static_cast<int>(verdict.security) > static_cast<int>(overall.security))
            overall = std::move(verdict);
    };
    uint32_t ttl_cap = UINT32_MAX;
    std::optional<DnsName> dname_owner;
    for (const auto& rrset : split_rrsets(answer.answers)) {
        const ResourceRecord& first = rrset.front();
        // The CNAME a DNAME implies is made by the resolver (dname.hpp), not
        // signed by anyone: the DNAME's signature stands for it (RFC 6672
        // section 5.3.1).
        if (first.type == type_cname && dname_owner && first.name.is_in(*dname_owner))
            continue;
        if (first.type == type_dname)
            dname_owner = first.name;
        Verdict verdict = co_await check_rrset(rrset, answer, run, ttl_cap);
        worse(std::move(verdict));
        if (overall.security == Security::bogus)
            break;
    }
    const bool name_error = answer.rcode == rcode_nxdomain;
    if (overall.security != Security::bogus && (name_error || answer.answers.empty())) {
        // The name the denial is about: the end of the chain before it.
        DnsName denied = question.name;
        if (!answer.answers.empty() && answer.answers.back().type == type_cname)
            denied = rdata_as_name(answer.answers.back());
        Verdict verdict = co_await check_denial(denied, question.type, name_error, answer, run);
        worse(std::move(verdict));
    }
    answer.security = overall.security;
    if (overall.security == Security::bogus) {
        answer.extended_error = overall.why;
    } else if (overall.security == Security::secure && ttl_cap != UINT32_MAX) {
        for (auto* records : {&answer.answers, &answer.answer_rrsigs, &answer.authorities,
                              &answer.authority_dnssec})
            for (auto& record : *records)
                record.ttl = std::min(record.ttl, ttl_cap);
    }
    run.trace.step(run.depth, [&] {
        return "DNSSEC: " + describe(question.name, question.type) + " is " +
               std::string(security_name(overall.security)) +
               (overall.why ? " (" + overall.why->text + ")" : std::string());
    });
    co_return answer;
}

Task<Validator::Verdict> Validator::check_rrset(const std::vector<ResourceRecord>& rrset,
                                                const Resolution& answer, Run& run,
                                                uint32_t& ttl_cap) {
    const DnsName& owner = rrset.front().name;
    const uint16_t type = rrset.front().type;
    const auto rrsigs = rrsigs_over(answer.answer_rrsigs, owner, type);
    if (rrsigs.empty()) {
        // Unsigned: fine if the zone is proven unsigned, bogus if it is signed.
        const DnsName zone = zone_of(owner, type);
        const ZoneKeys keys = co_await keys_of(zone, run);
        // The servers of a signed zone may serve an unsigned child zone too,
        // and answer for its names themselves: no referral showed the cut.
        // So the names between the zone and the owner are asked for their DS,
        // from the top (as Unbound does): a proven delegation without DS on
        // the way makes the answer insecure; a name that is no zone cut keeps
        // the parent's keys. (A name whose answer proves nothing stops the
        // search: the missing RRSIG is then the reason given.)
        if (keys.security != Security::secure)
            co_return Verdict{keys.security, keys.why};
        const auto& labels = owner.labels();
        for (size_t below = zone.labels().size() + 1; below <= labels.size(); ++below) {
            const DnsName on_the_way(
                std::vector<std::string>(labels.end() - static_cast<long>(below), labels.end()));
            const ZoneKeys probed = co_await keys_of(on_the_way, run);
            if (probed.security == Security::insecure)
                co_return Verdict{Security::insecure};
            if (probed.security != Security::secure)
                break;
        }
        run.trace.step(run.depth, [&] {
            return "  " + describe(owner, type) + " has no RRSIG, and " + zone.to_string() +
                   " is signed";
        });
        co_return Verdict{
            Security::bogus,
            bogus_because(ede::rrsigs_missing, "no RRSIG over " + describe(owner, type) +
                                                   " from the signed zone " + zone.to_string())};
    }
    const auto signer = signer_of(rrsigs);
    if (!signer || !owner.is_in(*signer))
        co_return Verdict{
            Security::bogus,
            bogus_because(ede::dnssec_bogus, "the RRSIG over " + describe(owner, type) +
                                                 " names a signer above no zone of it")};
    const ZoneKeys keys = co_await keys_of(*signer, run);
    if (keys.security != Security::secure)
        co_return Verdict{keys.security, keys.why};
    const auto now = wall_clock_now();
    const SignatureStatus status = verify_rrset(rrset, rrsigs, keys.dnskeys, now, run.budget);
    run.trace.step(run.depth, [&] {
        return "  " + describe(owner, type) + ": " + describe_signature(rrsigs) + ": " +
               std::string(describe(status));
    });
    auto [security, why] = verdict_of(status, "the RRSIG over " + describe(owner, type));
    if (security != Security::secure)
        co_return Verdict{security, why};
    ttl_cap = std::min(ttl_cap, signature_ttl_cap(rrsigs, now));
    // An RRSIG that counts fewer labels than its owner has was made for a
    // wildcard, "*" and its last labels (RFC 4035 section 5.3.4): the answer
    // was synthesized, and only a proof that no closer name exists shows
    // that it was the right one to synthesize.
    const auto fields = read_rrsig(rrsigs.front());
    if (fields && fields->labels < signed_label_count(owner)) {
        const auto [nsecs, nsec3s, signed_records] = proof_of(answer);
        const Verdict signed_proof =
            check_proof_signatures(signed_records, answer.authority_dnssec, keys, run);
        if (signed_proof.security != Security::secure)
            co_return signed_proof;
        bool proven = !nsecs.empty() && nsec_proves_wildcard_answer(nsecs, owner, fields->labels);
        if (!proven && !nsec3s.empty())
            proven = nsec3_prove_wildcard_answer(nsec3s, owner, fields->labels, *signer, run.budget)
                         .status == DenialStatus::proven;
        run.trace.step(run.depth, [&] {
            return std::string("  a wildcard answer; no closer name: ") +
                   (proven ? "proven" : "not proven");
        });
        if (!proven)
            co_return Verdict{
                Security::bogus,
                bogus_because(ede::nsec_missing, "no proof that " + owner.to_string() +
                                                     " has no closer match than the wildcard")};
    }
    co_return Verdict{Security::secure};
}

Validator::Verdict Validator::check_proof_signatures(const std::vector<ResourceRecord>& records,
                                                     const std::vector<ResourceRecord>& rrsigs,
                                                     const ZoneKeys& keys, Run& run) {
    const auto now = wall_clock_now();
    for (const auto& rrset : split_rrsets(records)) {
        const SignatureStatus status = verify_rrset(rrset, rrsigs, keys.dnskeys, now, run.budget);
        run.trace.step(run.depth, [&] {
            const auto& first = rrset.front();
            return "  " + describe(first.name, first.type) + ": " +
                   describe_signature(rrsigs_over(rrsigs, first.name, first.type)) + ": " +
                   std::string(describe(status));
        });
        auto [security, why] = verdict_of(
            status, "the RRSIG over " + describe(rrset.front().name, rrset.front().type));
        if (security != Security::secure)
            return Verdict{security, why};
    }
    return Verdict{Security::secure};
}

Task<Validator::Verdict> Validator::check_denial(const DnsName& name, uint16_t type,
                                                 bool name_error, const Resolution& answer,
                                                 Run& run) {
    // The zone that says so: the owner of its SOA, else the signer of the proof.
    std::optional<DnsName> zone;
    for (const auto& record : answer.authorities)
        if (record.type == type_soa)
            zone = record.name;
    if (!zone)
        zone = signer_of(answer.authority_dnssec);
    if (!zone)
        zone = zone_of(name, type);
    const ZoneKeys keys = co_await keys_of(*zone, run);
    if (keys.security != Security::secure)
        co_return Verdict{keys.security, keys.why};
    const auto [nsecs, nsec3s, signed_records] = proof_of(answer);
    const Verdict signatures =
        check_proof_signatures(signed_records, answer.authority_dnssec, keys, run);
    if (signatures.security != Security::secure)
        co_return signatures;
    const std::string claim =
        name_error ? name.to_string() + " does not exist" : "no " + describe(name, type);
    if (!nsecs.empty()) {
        bool proven = false;
        if (name_error)
            proven = nsec_proves_name_error(nsecs, name);
        else
            proven = std::any_of(
                         nsecs.begin(), nsecs.end(),
                         [&](const auto& nsec) { return nsec_proves_nodata(nsec, name, type); }) ||
                     nsec_proves_wildcard_nodata(nsecs, name, type);
        run.trace.step(run.depth, [&] {
            return "  NSEC: " + claim + ": " + (proven ? "proven" : "not proven");
        });
        if (proven)
            co_return Verdict{Security::secure};
        co_return Verdict{Security::bogus, bogus_because(ede::nsec_missing,
                                                         "the NSEC records do not prove " + claim)};
    }
    if (!nsec3s.empty()) {
        const Nsec3Proof proof = name_error
                                     ? nsec3_prove_name_error(nsec3s, name, *zone, run.budget)
                                     : nsec3_prove_nodata(nsec3s, name, type, *zone, run.budget);
        run.trace.step(run.depth, [&] {
            std::string text = "  NSEC3: " + claim + ": ";
            switch (proof.status) {
            case DenialStatus::proven:
                text += "proven";
                break;
            case DenialStatus::proven_by_opt_out:
                text += "proven up to an opt-out span: insecure";
                break;
            case DenialStatus::insecure_iterations:
                text += "too many iterations to check: insecure";
                break;
            case DenialStatus::budget_spent:
                text += "the validation budget is spent";
                break;
            case DenialStatus::not_proven:
                text += "not proven";
                break;
            }
            if (proof.closest_encloser)
                text += " (closest encloser " + proof.closest_encloser->to_string() + ")";
            return text;
        });
        switch (proof.status) {
        case DenialStatus::proven:
            co_return Verdict{Security::secure};
        case DenialStatus::proven_by_opt_out:
        case DenialStatus::insecure_iterations:
            co_return Verdict{Security::insecure};
        case DenialStatus::budget_spent:
            co_return Verdict{
                Security::bogus,
                bogus_because(ede::dnssec_bogus,
                              "the NSEC3 proof needs more work than a lookup may do")};
        case DenialStatus::not_proven:
            break;
        }
        co_return Verdict{
            Security::bogus,
            bogus_because(ede::nsec_missing, "the NSEC3 records do not prove " + claim)};
    }
    co_return Verdict{Security::bogus,
                      bogus_because(ede::nsec_missing, "the signed zone " + zone->to_string() +
                                                           " sent no NSEC or NSEC3 to prove " +
                                                           claim)};
}

Task<ZoneKeys> Validator::keys_of(const DnsName& zone, Run& run) {
    if (auto cached = cache_.find_keys(zone)) {
        run.trace.step(run.depth, [&] {
            return "  the keys of " + zone.to_string() +
                   ", from the cache: " + std::string(security_name(cached->security));
        });
        co_return std::move(*cached);
    }
    uint32_t ttl = UINT32_MAX;
    ZoneKeys keys = co_await find_keys(zone, run, ttl);
    if (ttl != 0 && ttl != UINT32_MAX)
        cache_.store_keys(zone, keys, ttl);
    co_return keys;
}

Task<ZoneKeys> Validator::find_keys(const DnsName& zone, Run& run, uint32_t& ttl) {
    if (below_negative_trust_anchor(zone)) {
        ttl = 0; // nothing to learn: the flag says so
        co_return ZoneKeys{Security::insecure, {}, {}};
    }
    // A trust anchor for the zone itself: its DNSKEYs are checked against it.
    std::vector<ResourceRecord> anchors;
    bool anchor_above = false;
    for (const auto& anchor : settings_.trust_anchors) {
        if (anchor.name == zone)
            anchors.push_back(anchor);
        anchor_above = anchor_above || zone.is_in(anchor.name);
    }
    if (!anchors.empty()) {
        run.trace.step(run.depth, [&] {
            return "  trust anchor for " + zone.to_string() + ": " +
                   std::to_string(anchors.size()) + " record(s)";
        });
        co_return co_await authenticate_dnskeys(zone, anchors, run, ttl);
    }
    if (!anchor_above) {
        ttl = 0;
        co_return ZoneKeys{Security::insecure, {}, {}}; // no anchor says anything of it
    }
    // Otherwise the parent vouches for the zone with a DS RRset, or proves
    // that it has none.
    // (Named, not a temporary inside co_await: GCC 12 may destroy such a
    // temporary twice.)
    const Question ds_question{zone, type_ds, class_in};
    const auto ds_answer = co_await run.fetch(ds_question);
    if (!ds_answer) {
        ttl = 0; // a failed lookup, not a verdict: not kept
        co_return ZoneKeys{Security::bogus,
                           {},
                           bogus_because(ede::dnssec_bogus, "the DS of " + zone.to_string() +
                                                                " could not be fetched")};
    }
    co_return co_await keys_from_ds_answer(zone, *ds_answer, run, ttl);
}

Task<ZoneKeys> Validator::keys_from_ds_answer(const DnsName& zone, const Resolution& ds_answer,
                                              Run& run, uint32_t& ttl) {
    const auto ds_set = records_of_type(ds_answer.answers, zone, type_ds);
    const bool has_ds = ds_answer.rcode == rcode_noerror && !ds_set.empty();
    const auto ds_rrsigs = rrsigs_over(ds_answer.answer_rrsigs, zone, type_ds);
    // The parent: the signer of the DS RRset, or the zone of the denial.
    std::optional<DnsName> parent = has_ds ? signer_of(ds_rrsigs) : std::nullopt;
    if (!has_ds)
        for (const auto& record : ds_answer.authorities)
            if (record.type == type_soa)
                parent = record.name;
    if (!parent)
        parent = has_ds ? zone_of(zone, type_ds) : signer_of(ds_answer.authority_dnssec);
    if (!parent)
        parent = zone_of(zone, type_ds);
    if (!zone.is_in(*parent) || *parent == zone) {
        ttl = 60;
        co_return ZoneKeys{Security::bogus,
                           {},
                           bogus_because(ede::dnssec_bogus, "the answer for the DS of " +
                                                                zone.to_string() + " comes from " +
                                                                parent->to_string() +
                                                                ", not from a parent zone")};
    }
    // How long what this answer says may be kept: its records' TTLs, or, for
    // a denial, its SOA's.
    const uint32_t answer_ttl = smallest_ttl(has_ds ? ds_set : ds_answer.authorities);
    const ZoneKeys parent_keys = co_await keys_of(*parent, run);
    if (parent_keys.security != Security::secure) {
        // Insecure above: insecure here too, for as long as the answer holds;
        // bogus above: the parent's verdict is kept, this one need not be.
        ttl = std::min(ttl, parent_keys.security == Security::insecure ? answer_ttl : 0u);
        co_return ZoneKeys{parent_keys.security, {}, parent_keys.why};
    }
    const auto now = wall_clock_now();
    if (has_ds) {
        const SignatureStatus status =
            verify_rrset(ds_set, ds_rrsigs, parent_keys.dnskeys, now, run.budget);
        run.trace.step(run.depth, [&] {
            std::string tags;
            for (const auto& ds : ds_set)
                tags += " " + rdata_to_text(ds);
            return "  DS " + zone.to_string() + tags + ": " + describe_signature(ds_rrsigs) + ": " +
                   std::string(describe(status));
        });
        auto [security, why] = verdict_of(status, "the RRSIG over the DS of " + zone.to_string());
        if (security != Security::secure) {
            ttl = std::min(ttl, answer_ttl);
            co_return ZoneKeys{security, {}, why};
        }
        ttl = std::min({ttl, answer_ttl, signature_ttl_cap(ds_rrsigs, now)});
        if (!has_supported_ds(ds_set)) {
            run.trace.step(run.depth, [&] {
                return "  no DS of " + zone.to_string() +
                       " has a digest and algorithm this validator implements: insecure";
            });
            co_return ZoneKeys{Security::insecure, {}, {}};
        }
        co_return co_await authenticate_dnskeys(zone, ds_set, run, ttl);
    }
    // No DS: the parent must prove it, with records it signed.
    const auto [nsecs, nsec3s, signed_records] = proof_of(ds_answer);
    ttl = std::min(ttl, answer_ttl);
    const Verdict signatures =
        check_proof_signatures(signed_records, ds_answer.authority_dnssec, parent_keys, run);
    if (signatures.security != Security::secure)
        co_return ZoneKeys{signatures.security, {}, signatures.why};
    // The proof: the name has no DS. With NS at the name, it is a delegation
    // to an unsigned zone (insecure); without, it is no zone of its own, but
    // a name of the parent's zone, with the parent's keys.
    std::optional<bool> delegation;
    std::string how; // which record proved it, for the trace
    if (ds_answer.rcode == rcode_noerror) {
        for (const auto& nsec : nsecs)
            if (nsec.name == zone && nsec_proves_nodata(nsec, zone, type_ds)) {
                delegation = nsec_has_type(nsec, type_ns);
                how = "the NSEC at " + zone.to_string();
            }
        if (!delegation && !nsec3s.empty()) {
            const Nsec3Proof proof = nsec3_prove_nodata(nsec3s, zone, type_ds, *parent, run.budget);
            if (proof.status == DenialStatus::proven_by_opt_out ||
                proof.status == DenialStatus::insecure_iterations) {
                delegation = true; // an unsigned delegation may be there: insecure
                how = proof.status == DenialStatus::proven_by_opt_out
                          ? "an opt-out NSEC3 over the next closer name (RFC 5155 section 6)"
                          : "an NSEC3 chain of too many iterations (RFC 9276)";
            } else if (proof.status == DenialStatus::proven) {
                if (const ResourceRecord* own = nsec3_of(nsec3s, zone, run.budget)) {
                    delegation = nsec_has_type(*own, type_ns);
                    how = "the NSEC3 " + own->name.to_string();
                }
            }
        }
    }
    run.trace.step(run.depth, [&] {
        return "  no DS for " + zone.to_string() + " in " + parent->to_string() + ": " +
               (!delegation ? std::string("not proven")
                            : "proven by " + how +
                                  (*delegation ? ", a delegation to an unsigned zone: insecure"
                                               : ", no zone cut there"));
    });
    if (!delegation)
        co_return ZoneKeys{Security::bogus,
                           {},
                           bogus_because(ede::nsec_missing, parent->to_string() +
                                                                " does not prove that " +
                                                                zone.to_string() + " has no DS")};
    if (*delegation)
        co_return ZoneKeys{Security::insecure, {}, {}};
    co_return parent_keys;
}

Task<ZoneKeys> Validator::authenticate_dnskeys(const DnsName& zone,
                                               const std::vector<ResourceRecord>& vouchers,
                                               Run& run, uint32_t& ttl) {
    const Question dnskey_question{zone, type_dnskey, class_in};
    const auto dnskey_answer = co_await run.fetch(dnskey_question);
    const auto dnskeys = dnskey_answer ? records_of_type(dnskey_answer->answers, zone, type_dnskey)
                                       : std::vector<ResourceRecord>{};
    const auto missing = [&](const std::string& text) {
        ttl = std::min(ttl, 60u);
        return ZoneKeys{Security::bogus, {}, bogus_because(ede::dnskey_missing, text)};
    };
    if (dnskeys.empty())
        co_return missing(zone.to_string() +
                          " has no DNSKEY records, and its DS says it is signed");
    // The keys the vouchers (DS records, or DNSKEYs given as trust anchors)
    // vouch for.
    std::vector<ResourceRecord> ds_vouchers;
    std::vector<ResourceRecord> trusted;
    for (const auto& voucher : vouchers) {
        if (voucher.type == type_ds)
            ds_vouchers.push_back(voucher);
        else
            for (const auto& dnskey : dnskeys)
                if (voucher.type == type_dnskey && voucher.rdata == dnskey.rdata)
                    trusted.push_back(dnskey);
    }
    const auto matched = keys_matching_ds(ds_vouchers, dnskeys);
    trusted.insert(trusted.end(), matched.begin(), matched.end());
    run.trace.step(run.depth, [&] {
        std::string keys;
        for (const auto& key : trusted)
            keys += (keys.empty() ? " key " : ", key ") + std::to_string(key_tag(key.rdata)) +
                    " (" + algorithm_name(key.rdata.size() > 3 ? key.rdata[3] : 0) + ")";
        return "  DNSKEY " + zone.to_string() + ": " + std::to_string(dnskeys.size()) + " key(s);" +
               (keys.empty() ? std::string(" none") : keys) + " matches the " +
               (ds_vouchers.empty() ? "trust anchor" : "DS");
    });
    if (trusted.empty())
        co_return missing("no DNSKEY of " + zone.to_string() + " matches its DS");
    const auto rrsigs = rrsigs_over(dnskey_answer->answer_rrsigs, zone, type_dnskey);
    const auto now = wall_clock_now();
    const SignatureStatus status = verify_rrset(dnskeys, rrsigs, trusted, now, run.budget);
    run.trace.step(run.depth, [&] {
        return "  DNSKEY " + zone.to_string() + ": " + describe_signature(rrsigs) + ": " +
               std::string(describe(status));
    });
    auto [security, why] = verdict_of(status, "the RRSIG over the DNSKEYs of " + zone.to_string());
    if (security != Security::secure) {
        ttl = std::min(ttl, smallest_ttl(dnskeys));
        co_return ZoneKeys{security, {}, why};
    }
    ttl = std::min({ttl, smallest_ttl(dnskeys), signature_ttl_cap(rrsigs, now)});
    co_return ZoneKeys{Security::secure, dnskeys, {}};
}

} // namespace dns
