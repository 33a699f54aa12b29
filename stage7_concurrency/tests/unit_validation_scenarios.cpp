// DNSSEC validation in the walk, as scenarios: a small signed world of
// scripted servers (scripted_world.hpp) whose zones are signed here, in the
// test, with Ed25519 keys made fresh by OpenSSL (RFC 8080). The root signs the
// DS of lab., lab. signs the DS of example.lab. and proves with an NSEC that
// unsigned.lab. has none. Each scenario breaks one link of that chain and
// checks what the validator makes of it; the signed test bed (Knot DNS, and
// Unbound beside us) checks the same end to end, in tests/e2e_dnssec.cpp.

#include "scripted_world.hpp"

#include "../dnssec_crypto.hpp"
#include "../dnssec_records.hpp"
#include "../dnssec_signatures.hpp"

#include <doctest/doctest.h>
#include <memory>
#include <openssl/evp.h>

using namespace dns;
using namespace dns::scripted;

namespace {

constexpr uint8_t ed25519 = 15;
constexpr uint32_t day = 86400;

uint32_t unix_now() {
    return static_cast<uint32_t>(
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())
            .time_since_epoch()
            .count());
}

void put_u16(std::vector<uint8_t>& out, uint16_t value) {
    out.push_back(static_cast<uint8_t>(value >> 8));
    out.push_back(static_cast<uint8_t>(value));
}

void put_u32(std::vector<uint8_t>& out, uint32_t value) {
    put_u16(out, static_cast<uint16_t>(value >> 16));
    put_u16(out, static_cast<uint16_t>(value));
}

// An NSEC type bitmap (RFC 4034 section 4.1.2) of types below 256.
std::vector<uint8_t> type_bitmap(std::vector<uint16_t> types) {
    std::vector<uint8_t> bits(32, 0);
    size_t length = 0;
    for (const uint16_t type : types) {
        bits[type / 8] |= static_cast<uint8_t>(0x80 >> (type % 8));
        length = std::max<size_t>(length, type / 8 + 1);
    }
    std::vector<uint8_t> bitmap{0, static_cast<uint8_t>(length)};
    bitmap.insert(bitmap.end(), bits.begin(), bits.begin() + static_cast<long>(length));
    return bitmap;
}

ResourceRecord nsec(const std::string& owner, const std::string& next,
                    std::vector<uint16_t> types) {
    auto rdata = canonical_name_wire(DnsName::from_text(next));
    const auto bitmap = type_bitmap(std::move(types));
    rdata.insert(rdata.end(), bitmap.begin(), bitmap.end());
    return record(owner, type_nsec, rdata, 300);
}

ResourceRecord soa(const std::string& zone) {
    auto rdata = name_rdata("ns." + zone);
    const auto mailbox = name_rdata("hostmaster." + zone);
    rdata.insert(rdata.end(), mailbox.begin(), mailbox.end());
    for (const uint32_t field : {1u, 7200u, 1800u, 1209600u, 300u})
        put_u32(rdata, field);
    return record(zone, type_soa, rdata, 300);
}

struct KeyDeleter {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

// A zone's key, and the signatures it makes.
class ZoneSigner {
  public:
    explicit ZoneSigner(std::string zone) : zone_(std::move(zone)) {
        EVP_PKEY* made = nullptr;
        EVP_PKEY_CTX* context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
        REQUIRE(context != nullptr);
        REQUIRE(EVP_PKEY_keygen_init(context) == 1);
        REQUIRE(EVP_PKEY_keygen(context, &made) == 1);
        EVP_PKEY_CTX_free(context);
        key_.reset(made);
        std::vector<uint8_t> public_key(32);
        size_t length = public_key.size();
        REQUIRE(EVP_PKEY_get_raw_public_key(key_.get(), public_key.data(), &length) == 1);
        // Flags 257: a zone key that is also the secure entry point (a KSK);
        // one key does both jobs here, as in many small zones.
        std::vector<uint8_t> rdata;
        put_u16(rdata, 257);
        rdata.push_back(3);
        rdata.push_back(ed25519);
        rdata.insert(rdata.end(), public_key.begin(), public_key.end());
        dnskey_ = record(zone_, type_dnskey, rdata);
    }

    const ResourceRecord& dnskey() const { return dnskey_; }

    // The parent's DS for this key (SHA-256, digest type 2).
    ResourceRecord ds() const {
        auto data = canonical_name_wire(dnskey_.name);
        data.insert(data.end(), dnskey_.rdata.begin(), dnskey_.rdata.end());
        std::vector<uint8_t> rdata;
        put_u16(rdata, key_tag(dnskey_.rdata));
        rdata.push_back(ed25519);
        rdata.push_back(2);
        const auto digest = ds_digest(2, data);
        rdata.insert(rdata.end(), digest->begin(), digest->end());
        return record(zone_, type_ds, rdata);
    }

    // The RRSIG over `rrset`, valid from a day ago for `valid_for` seconds.
    ResourceRecord sign(const std::vector<ResourceRecord>& rrset,
                        int64_t valid_for = 30 * day) const {
        const ResourceRecord& first = rrset.front();
        std::vector<uint8_t> rdata;
        put_u16(rdata, first.type);
        rdata.push_back(ed25519);
        const auto& labels = first.name.labels();
        rdata.push_back(static_cast<uint8_t>(
            !labels.empty() && labels.front() == "*" ? labels.size() - 1 : labels.size()));
        put_u32(rdata, first.ttl);
        put_u32(rdata, static_cast<uint32_t>(unix_now() - day + valid_for));
        put_u32(rdata, unix_now() - day);
        put_u16(rdata, key_tag(dnskey_.rdata));
        const auto signer = canonical_name_wire(DnsName::from_text(zone_));
        rdata.insert(rdata.end(), signer.begin(), signer.end());
        rdata.push_back(0); // a placeholder signature, for signed_data to read
        ResourceRecord rrsig{first.name, type_rrsig, class_in, first.ttl, rdata};
        const auto data = signed_data(rrset, rrsig);
        std::vector<uint8_t> signature(64);
        size_t length = signature.size();
        EVP_MD_CTX* context = EVP_MD_CTX_new();
        REQUIRE(EVP_DigestSignInit(context, nullptr, nullptr, nullptr, key_.get()) == 1);
        REQUIRE(EVP_DigestSign(context, signature.data(), &length, data.data(), data.size()) == 1);
        EVP_MD_CTX_free(context);
        rrsig.rdata.pop_back();
        rrsig.rdata.insert(rrsig.rdata.end(), signature.begin(), signature.end());
        return rrsig;
    }

    // `records` (one RRset) followed by their RRSIG.
    std::vector<ResourceRecord> signed_rrset(std::vector<ResourceRecord> records) const {
        records.push_back(sign(records));
        return records;
    }

  private:
    std::string zone_;
    std::unique_ptr<EVP_PKEY, KeyDeleter> key_;
    ResourceRecord dnskey_;
};

// Everything a scenario may break, whole by default.
struct SignedWorld {
    ZoneSigner root{"."};
    ZoneSigner lab{"lab"};
    ZoneSigner example{"example.lab"};
    // The key whose DS lab. publishes for example.lab: example's own, unless
    // a scenario hands it another.
    const ZoneSigner* example_ds_key = &example;
    bool sign_www = true;             // example.lab signs www's A
    bool break_www_signature = false; // one byte of it flipped
    int64_t www_valid_for = 30 * day; // from a day ago
    bool prove_no_ds_for_unsigned = true;
    bool prove_nxdomain = true;

    World world;

    SignedWorld() {
        // The root, 192.0.2.1: its keys, the DS of lab., a referral to lab.
        world.servers["192.0.2.1"] = [this](const Question& question) {
            if (question.name.is_root() && question.type == type_dnskey)
                return reply(root.signed_rrset({root.dnskey()}));
            if (question.name == DnsName::from_text("lab") && question.type == type_ds)
                return reply(root.signed_rrset({lab.ds()}));
            return referral("lab", {{"ns.nic.lab", "192.0.2.10"}});
        };
        // lab., 192.0.2.10: its keys; the DS of example.lab.; no DS for
        // unsigned.lab., proven by the NSEC at that name (NS, no DS).
        world.servers["192.0.2.10"] = [this](const Question& question) {
            const DnsName unsigned_lab = DnsName::from_text("unsigned.lab");
            if (question.name == DnsName::from_text("lab") && question.type == type_dnskey)
                return reply(lab.signed_rrset({lab.dnskey()}));
            if (question.name == DnsName::from_text("example.lab") && question.type == type_ds)
                return reply(lab.signed_rrset({example_ds_key->ds()}));
            if (question.name == unsigned_lab && question.type == type_ds) {
                auto authority = lab.signed_rrset({soa("lab")});
                if (prove_no_ds_for_unsigned) {
                    const auto proof = lab.signed_rrset(
                        {nsec("unsigned.lab", "lab", {type_ns, type_rrsig, type_nsec})});
                    authority.insert(authority.end(), proof.begin(), proof.end());
                }
                return reply({}, authority);
            }
            if (question.name.is_in(unsigned_lab))
                return referral("unsigned.lab", {{"ns.unsigned.lab", "192.0.2.30"}});
            return referral("example.lab", {{"ns.example.lab", "192.0.2.20"}});
        };
        // example.lab., 192.0.2.20: its keys, www's A, and NXDOMAIN with an
        // NSEC from the apex to www (nothing, not even a wildcard, between).
        world.servers["192.0.2.20"] = [this](const Question& question) {
            const DnsName apex = DnsName::from_text("example.lab");
            if (question.name == apex && question.type == type_dnskey)
                return reply(example.signed_rrset({example.dnskey()}));
            if (question.name == DnsName::from_text("www.example.lab")) {
                std::vector<ResourceRecord> answer{
                    record("www.example.lab", type_a, ipv4("192.0.2.80"))};
                if (sign_www)
                    answer.push_back(example.sign(answer, www_valid_for));
                if (break_www_signature)
                    answer.back().rdata.back() ^= 0x01;
                return reply(answer);
            }
            auto authority = example.signed_rrset({soa("example.lab")});
            if (prove_nxdomain) {
                const auto proof = example.signed_rrset(
                    {nsec("example.lab", "www.example.lab",
                          {type_ns, type_soa, type_rrsig, type_nsec, type_dnskey})});
                authority.insert(authority.end(), proof.begin(), proof.end());
            }
            return with_rcode(reply({}, authority), rcode_nxdomain, true);
        };
        // unsigned.lab., 192.0.2.30: no keys, no signatures.
        world.servers["192.0.2.30"] = [](const Question& question) {
            return reply({record(question.name.to_string(), type_a, ipv4("192.0.2.90"))});
        };
    }

    // A resolver that validates from the root's DS, as the only trust anchor.
    std::unique_ptr<Resolver> resolver(std::vector<DnsName> negative_trust_anchors = {}) {
        auto made = std::make_unique<Resolver>(world);
        made->resolver.set_qname_minimisation(false);
        made->resolver.set_validation(ValidatorSettings{{root.ds()}, negative_trust_anchors});
        return made;
    }
};

uint16_t ede_code(const Resolution& resolution) {
    return resolution.extended_error ? resolution.extended_error->code : 0xffff;
}

} // namespace

TEST_CASE("validation: a chain from the root's DS to the answer is secure, and cached") {
    SignedWorld signed_world;
    auto resolver = signed_world.resolver();
    const Resolution first = resolver->resolve("www.example.lab");
    CHECK(first.rcode == rcode_noerror);
    CHECK(first.security == Security::secure);
    REQUIRE(first.answers.size() == 1);
    CHECK(first.answer_rrsigs.size() == 1); // for clients that ask with DO=1
    // The walk (3 queries) and the chain of trust: DNSKEY ., DS lab,
    // DNSKEY lab, DS example.lab, DNSKEY example.lab.
    CHECK(signed_world.world.asked.size() == 8);
    // Asked again: the answer and its verdict come from the cache.
    const Resolution second = resolver->resolve("www.example.lab");
    CHECK(second.security == Security::secure);
    CHECK(signed_world.world.asked.size() == 8);
    // Another name of the same zone: one query; the keys are known.
    const Resolution missing = resolver->resolve("nothere.example.lab");
    CHECK(missing.rcode == rcode_nxdomain);
    CHECK(missing.security == Security::secure);
    CHECK(signed_world.world.asked.size() == 9);
}

TEST_CASE("validation: a signature one bit wrong is bogus (EDE 6, DNSSEC Bogus)") {
    SignedWorld signed_world;
    signed_world.break_www_signature = true;
    const Resolution resolution = signed_world.resolver()->resolve("www.example.lab");
    CHECK(resolution.security == Security::bogus);
    CHECK(ede_code(resolution) == ede::dnssec_bogus);
}

TEST_CASE("validation: an expired signature is bogus (EDE 7), on the wall clock") {
    SignedWorld signed_world;
    signed_world.www_valid_for = day / 2; // expired half a day ago
    const Resolution resolution = signed_world.resolver()->resolve("www.example.lab");
    CHECK(resolution.security == Security::bogus);
    CHECK(ede_code(resolution) == ede::signature_expired);
}

TEST_CASE("validation: no RRSIG from a signed zone is bogus (EDE 10), not insecure") {
    SignedWorld signed_world;
    signed_world.sign_www = false;
    const Resolution resolution = signed_world.resolver()->resolve("www.example.lab");
    CHECK(resolution.security == Security::bogus);
    CHECK(ede_code(resolution) == ede::rrsigs_missing);
}

TEST_CASE("validation: a DS that matches none of the zone's keys is bogus (EDE 9)") {
    SignedWorld signed_world;
    const ZoneSigner stranger("example.lab");
    signed_world.example_ds_key = &stranger;
    const Resolution resolution = signed_world.resolver()->resolve("www.example.lab");
    CHECK(resolution.security == Security::bogus);
    CHECK(ede_code(resolution) == ede::dnskey_missing);
}

TEST_CASE("validation: a delegation proven to have no DS is insecure (RFC 4035 5.2)") {
    SignedWorld signed_world;
    const Resolution resolution = signed_world.resolver()->resolve("www.unsigned.lab");
    CHECK(resolution.rcode == rcode_noerror);
    CHECK(resolution.security == Security::insecure);
    REQUIRE(resolution.answers.size() == 1);
}

TEST_CASE("validation: an unsigned zone whose parent does not prove it has no DS is bogus") {
    SignedWorld signed_world;
    signed_world.prove_no_ds_for_unsigned = false;
    const Resolution resolution = signed_world.resolver()->resolve("www.unsigned.lab");
    CHECK(resolution.security == Security::bogus);
    CHECK(ede_code(resolution) == ede::nsec_missing);
}

TEST_CASE("validation: NXDOMAIN from a signed zone needs its NSEC proof (EDE 12 without)") {
    SignedWorld signed_world;
    const Resolution proven = signed_world.resolver()->resolve("nothere.example.lab");
    CHECK(proven.rcode == rcode_nxdomain);
    CHECK(proven.security == Security::secure);
    CHECK_FALSE(proven.authority_dnssec.empty());
    signed_world.prove_nxdomain = false;
    const Resolution unproven = signed_world.resolver()->resolve("nothere.example.lab");
    CHECK(unproven.security == Security::bogus);
    CHECK(ede_code(unproven) == ede::nsec_missing);
}

TEST_CASE("validation: a negative trust anchor makes a broken zone insecure (RFC 7646)") {
    SignedWorld signed_world;
    signed_world.break_www_signature = true;
    const Resolution resolution =
        signed_world.resolver({DnsName::from_text("example.lab")})->resolve("www.example.lab");
    CHECK(resolution.rcode == rcode_noerror);
    CHECK(resolution.security == Security::insecure);
}

TEST_CASE("validation: a secure answer is kept no longer than its signature is valid") {
    SignedWorld signed_world;
    signed_world.www_valid_for = day + 100; // expires 100 seconds from now
    const Resolution resolution = signed_world.resolver()->resolve("www.example.lab");
    CHECK(resolution.security == Security::secure);
    REQUIRE(resolution.answers.size() == 1);
    CHECK(resolution.answers[0].ttl <= 100);
    CHECK(resolution.answers[0].ttl >= 98);
}

TEST_CASE("validation: without a trust anchor nothing is validated") {
    SignedWorld signed_world;
    Resolver resolver(signed_world.world);
    resolver.resolver.set_qname_minimisation(false);
    resolver.resolver.set_validation(ValidatorSettings{});
    signed_world.break_www_signature = true;
    const Resolution resolution = resolver.resolve("www.example.lab");
    CHECK(resolution.rcode == rcode_noerror);
    CHECK(resolution.security == Security::unchecked);
    CHECK(signed_world.world.asked.size() == 3); // no DS, no DNSKEY asked for
}
