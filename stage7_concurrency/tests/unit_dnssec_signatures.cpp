// DNSSEC signatures against published examples: the keys, DS records and
// signed records printed in RFC 4034, 4035, 4509, 5155, 5702, 6605 and 8080
// (with its verified erratum 4935), and real signed records of the corpus.
// Each signature is also checked to fail once one byte it covers changes.
// The examples' validity windows are long past: each check passes a time
// inside the window.

#include "../dnssec_crypto.hpp"
#include "../dnssec_records.hpp"
#include "../dnssec_signatures.hpp"
#include "../message.hpp"
#include "common/testing/resolver_under_test.hpp"
#include "dnssec_test_records.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <thread>

using namespace dns;
using namespace dns::testing;

namespace {

// One published example: a key, a signed RRset, its RRSIG, and a time inside
// the RRSIG's validity window.
struct Example {
    ResourceRecord dnskey;
    std::vector<ResourceRecord> rrset;
    ResourceRecord rrsig;
    std::chrono::sys_seconds now;
};

SignatureStatus check(const Example& example) {
    ValidationBudget budget;
    return verify_rrsig(example.rrset, example.rrsig, example.dnskey, example.now, budget);
}

// The same example with one byte of the signed A or MX record's RDATA changed.
SignatureStatus check_with_changed_record(Example example) {
    example.rrset.front().rdata.back() ^= 1;
    return check(example);
}

SignatureStatus check_with_changed_signature(Example example) {
    example.rrsig.rdata.back() ^= 1;
    return check(example);
}

// Sets the RRSIG's key tag (RDATA bytes 16 and 17, RFC 4034 section 3.1) to
// the example's key's, after its key was changed, so that the check gets past
// the tag to what the test is about.
void tag_rrsig_with_key(Example& example) {
    const uint16_t tag = key_tag(example.dnskey.rdata);
    example.rrsig.rdata[16] = static_cast<uint8_t>(tag >> 8);
    example.rrsig.rdata[17] = static_cast<uint8_t>(tag);
}

Example rfc6605_p256() { // RFC 6605 section 6.1
    return {anchor_record("example.net. 3600 IN DNSKEY 257 3 13 ( "
                          "GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edb "
                          "krSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA== )"),
            {a_record("www.example.net.", "192.0.2.1")},
            rrsig_record("www.example.net.",
                         "A 13 3 3600 20100909100439 20100812100439 55648 example.net. "
                         "qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXA "
                         "yGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw=="),
            at_time("20100820000000")};
}

Example rfc6605_p384() { // RFC 6605 section 6.2
    return {anchor_record("example.net. 3600 IN DNSKEY 257 3 14 ( "
                          "xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1w/egsXvSADtNJhyem5RC "
                          "OpgQ6K8X1DRSEkrbYQ+OB+v8/uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40 )"),
            {a_record("www.example.net.", "192.0.2.1")},
            rrsig_record("www.example.net.",
                         "A 14 3 3600 20100909102025 20100812102025 10771 example.net. "
                         "/L5hDKIvGDyI1fcARX3z65qrmPsVz73QD1Mr5CEqOiLP95hxQouuroGCeZOv "
                         "zFaxsT8Glr74hbavRKayJNuydCuzWTSSPdz7wnqXL5bdcJzusdnI0RSMROxx "
                         "wGipWcJm"),
            at_time("20100820000000")};
}

Example rfc5702_rsasha256() { // RFC 5702 section 6.1
    return {anchor_record("example.net. 3600 IN DNSKEY 256 3 8 ( "
                          "AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4 "
                          "cAgtvd4Qs8PkxUdp6p/DlUmObdk= )"),
            {a_record("www.example.net.", "192.0.2.91")},
            rrsig_record("www.example.net.",
                         "A 8 3 3600 20300101000000 20000101000000 9033 example.net. "
                         "kRCOH6u7l0QGy9qpC9l1sLncJcOKFLJ7GhiUOibu4teYp5VE9RncriShZNz85mwl "
                         "MgNEacFYK/lPtPiVYP4bwg=="),
            at_time("20100101000000")};
}

Example rfc5702_rsasha512() { // RFC 5702 section 6.2
    return {anchor_record("example.net. 3600 IN DNSKEY 256 3 10 ( "
                          "AwEAAdHoNTOW+et86KuJOWRDp1pndvwb6Y83nSVXXyLA3DLroROUkN6X0O6pnWnj "
                          "JQujX/AyhqFDxj13tOnD9u/1kTg7cV6rklMrZDtJCQ5PCl/D7QNPsgVsMu1J2Q8g "
                          "pMpztNFLpPBz1bWXjDtaR7ZQBlZ3PFY12ZTSncorffcGmhOL )"),
            {a_record("www.example.net.", "192.0.2.91")},
            rrsig_record("www.example.net.",
                         "A 10 3 3600 20300101000000 20000101000000 3740 example.net. "
                         "tsb4wnjRUDnB1BUi+t6TMTXThjVnG+eCkWqjvvjhzQL1d0YRoOe0CbxrVDYd0xDt "
                         "suJRaeUw1ep94PzEWzr0iGYgZBWm/zpq+9fOuagYJRfDqfReKBzMweOLDiNa8iP5 "
                         "g9vMhpuv6OPlvpXwm9Sa9ZXIbNl1MBGk0fthPgxdDLw="),
            at_time("20100101000000")};
}

// RFC 8080 section 6, as verified erratum 4935 corrected it: the published
// RRSIGs lacked the algorithm and counted 3 labels for example.com; the
// corrected records, signed again with the same (deterministic) keys, are these.
Example rfc8080(std::string_view key, std::string_view rrsig) {
    return {anchor_record("example.com. 3600 IN DNSKEY " + std::string(key)),
            {mx_record("example.com.", 10, "mail.example.com.")},
            rrsig_record("example.com.", std::string(rrsig)),
            at_time("20150815000000")};
}

Example rfc8080_ed25519() {
    return rfc8080("257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=",
                   "MX 15 2 3600 1440021600 1438207200 3613 example.com. "
                   "oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3f "
                   "x8A4M3e23mRZ9VrbpMngwcrqNAg==");
}

Example rfc8080_ed25519_second() {
    return rfc8080("257 3 15 zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=",
                   "MX 15 2 3600 1440021600 1438207200 35217 example.com. "
                   "zXQ0bkYgQTEFyfLyi9QoiY6D8ZdYo4wyUhVioYZXFdT410QPRITQSqJSnzQ "
                   "oSm5poJ7gD7AQR0O7KuI5k2pcBg==");
}

Example rfc8080_ed448() {
    return rfc8080("257 3 16 ( 3kgROaDjrh0H2iuixWBrc8g2EpBBLCdGzHmn+G2MpTPhpj/OiBVHHSfPodx "
                   "1FYYUcJKm1MDpJtIA )",
                   "MX 16 2 3600 1440021600 1438207200 9713 example.com. "
                   "3cPAHkmlnxcDHMyg7vFC34l0blBhuG1qpwLmjInI8w1CMB29FkEAIJUA0am "
                   "xWndkmnBZ6SKiwZSAxGILn/NBtOXft0+Gj7FSvOKxE/07+4RQvE581N3Aj/ "
                   "JtIyaiYVdnYtyMWbSNyGEY2213WKsJlwEA");
}

Example rfc8080_ed448_second() {
    return rfc8080("257 3 16 ( kkreGWoccSDmUBGAe7+zsbG6ZAFQp+syPmYUurBRQc3tDjeMCJcVMRDmgcN "
                   "Lp5HlHAMy12VoISsA )",
                   "MX 16 2 3600 1440021600 1438207200 38353 example.com. "
                   "E1/oLjSGIbmLny/4fcgM1z4oL6aqo+izT3urCyHyvEp4Sp8Syg1eI+lJ57C "
                   "SnZqjJP41O/9l4m0AsQ4f7qI1gVnML8vWWiyW2KXhT9kuAICUSxv5OWbf81 "
                   "Rq7Yu60npabODB0QFPb/rkW3kUZmQ0YQUA");
}

// RFC 4035 Appendix A: the zone signing key of example., key tag 38519 (RSASHA1).
ResourceRecord rfc4035_zone_key() {
    return anchor_record("example. 3600 DNSKEY 256 3 5 ( "
                         "AQOy1bZVvpPqhg4j7EJoM9rI3ZmyEx2OzDBVrZy/lvI5CQePxXHZS4i8dANH4DX3 "
                         "tbHol61ek8EFMcsGXxKciJFHyhl94C+NwILQdzsUlSFovBZsyl/NX6yEbtw/xN9Z "
                         "NcrbYvgjjZ/UVPZIySFNsgEYvh0z2542lzMKR4Dh8uZffQ== )");
}

const auto rfc4035_now = at_time("20040420000000");

// RFC 4035 Appendix B.6: the answer for a.z.w.example, made from *.w.example.
Example rfc4035_wildcard_answer() {
    return {rfc4035_zone_key(),
            {mx_record("a.z.w.example.", 1, "ai.example.")},
            rrsig_record("a.z.w.example.",
                         "MX 5 2 3600 20040509183619 20040409183619 38519 example. "
                         "OMK8rAZlepfzLWW75Dxd63jy2wswESzxDKG2f9AMN1CytCd10cYISAxf "
                         "AdvXSZ7xujKAtPbctvOQ2ofO7AZJ+d01EeeQTVBPq4/6KCWhqe2XTjnk "
                         "VLNvvhnc0u28aoSsG0+4InvkkOHknKxw4kX18MMR34i8lC36SR5xBni8 "
                         "vHI="),
            rfc4035_now};
}

// RFC 4035 Appendix A: the SOA of example. (its names written as the test
// asks) and its RRSIG.
Example rfc4035_soa(std::string_view primary, std::string_view mailbox) {
    MessageWriter soa(2 * DnsName::max_wire_length + 20);
    soa.write_name(DnsName::from_text(primary));
    soa.write_name(DnsName::from_text(mailbox));
    for (const uint32_t value : {1081539377u, 3600u, 300u, 3600000u, 3600u})
        soa.write_u32(value);
    return {rfc4035_zone_key(),
            {record("example.", type_soa, soa.bytes())},
            rrsig_record("example.", "SOA 5 1 3600 20040509183619 20040409183619 38519 example. "
                                     "ONx0k36rcjaxYtcNgq6iQnpNV5+drqYAsC9h7TSJaHCqbhE67Sr6aH2x "
                                     "DUGcqQWu/n0UVzrFvkgO9ebarZ0GWDKcuwlM6eNB5SiX2K74l5LWDA7S "
                                     "/Un/IbtDq4Ay8NMNLQI7Dw7n4p8/rjkBjV7j86HyQgM5e7+miRAz8V01 "
                                     "b0I="),
            rfc4035_now};
}

// RFC 4035 Appendix B.2: the NSEC of b.example, its next name written as asked.
Example rfc4035_nsec(std::string_view next) {
    return {rfc4035_zone_key(),
            {nsec_record("b.example.", next, {type_ns, type_rrsig, type_nsec})},
            rrsig_record("b.example.", "NSEC 5 2 3600 20040509183619 20040409183619 38519 example. "
                                       "GNuxHn844wfmUhPzGWKJCPY5ttEX/RfjDoOx9ueK1PtYkOWKOOdiJ/PJ "
                                       "KCYB3hYX+858dDWSxb2qnV/LSTCNVBnkm6owOpysY97MVj5VQEWs0lm9 "
                                       "tFoqjcptQkmQKYPrwUnCSNwvvclSF1xZvhRXgWT7OuFXldoCG6TfVFMs "
                                       "9xE="),
            rfc4035_now};
}

std::vector<uint8_t> corpus_file(const std::string& name) {
    std::ifstream file(corpus_directory() + "/" + name, std::ios::binary);
    REQUIRE_MESSAGE(file, "cannot read " << name << " of the corpus (set CORPUS_DIR)");
    return {std::istreambuf_iterator<char>(file), {}};
}

std::vector<ResourceRecord> of_type(const std::vector<ResourceRecord>& records, uint16_t type) {
    std::vector<ResourceRecord> matching;
    for (const auto& record : records)
        if (record.type == type)
            matching.push_back(record);
    return matching;
}

} // namespace

TEST_CASE("key tags of the published keys (RFC 4034 Appendix B)") {
    // RFC 4034 section 5.4: "; key id = 60485".
    CHECK(key_tag(anchor_record("dskey.example.com. 86400 IN DNSKEY 256 3 5 ( "
                                "AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/ "
                                "2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvx "
                                "egXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9Xzc "
                                "nOf+EPbtG9DMBmADjFDc2w/rljwvFw== )")
                      .rdata) == 60485);
    CHECK(key_tag(rfc4035_zone_key().rdata) == 38519);
    // RFC 5155 Appendix A: the zone's ZSK and KSK, named by its RRSIGs.
    CHECK(key_tag(anchor_record("example. DNSKEY 256 3 7 AwEAAaetidLzsKWUt4swWR8yu0wPHPiUi8LUsAD0"
                                "QPWU+wzt89epO6tHzkMBVDkC7qphQO2hTY4hHn9npWFRw5BYubE=")
                      .rdata) == 40430);
    CHECK(key_tag(anchor_record("example. DNSKEY 257 3 7 AwEAAcUlFV1vhmqx6NSOUOq2R/dsR7Xm3upJj7Io"
                                "mmWSpJABVfW8Q0rOvXdM6kzt+TAu92L9AbsUdblMFin8CVF3n4s=")
                      .rdata) == 12708);
    CHECK(key_tag(rfc6605_p256().dnskey.rdata) == 55648);
    CHECK(key_tag(rfc6605_p384().dnskey.rdata) == 10771);
    CHECK(key_tag(rfc5702_rsasha256().dnskey.rdata) == 9033);
    CHECK(key_tag(rfc5702_rsasha512().dnskey.rdata) == 3740);
    CHECK(key_tag(rfc8080_ed25519().dnskey.rdata) == 3613);
    CHECK(key_tag(rfc8080_ed448().dnskey.rdata) == 9713);
    // One bit of the key changed, another tag.
    auto changed = rfc6605_p256().dnskey;
    changed.rdata.back() ^= 1;
    CHECK(key_tag(changed.rdata) != 55648);
}

TEST_CASE("the published signatures verify, and fail once a signed byte changes") {
    const std::pair<const char*, Example> examples[] = {
        {"RFC 6605 6.1 ECDSAP256SHA256", rfc6605_p256()},
        {"RFC 6605 6.2 ECDSAP384SHA384", rfc6605_p384()},
        {"RFC 5702 6.1 RSASHA256", rfc5702_rsasha256()},
        {"RFC 5702 6.2 RSASHA512", rfc5702_rsasha512()},
        {"RFC 8080 6.1 ED25519", rfc8080_ed25519()},
        {"RFC 8080 6.1 ED25519, second key", rfc8080_ed25519_second()},
        {"RFC 8080 6.2 ED448", rfc8080_ed448()},
        {"RFC 8080 6.2 ED448, second key", rfc8080_ed448_second()},
        {"RFC 4035 B.6 RSASHA1, wildcard", rfc4035_wildcard_answer()},
    };
    for (const auto& [name, example] : examples) {
        INFO(name);
        CHECK(check(example) == SignatureStatus::valid);
        CHECK(check_with_changed_record(example) == SignatureStatus::bad_signature);
        CHECK(check_with_changed_signature(example) == SignatureStatus::bad_signature);
    }
}

TEST_CASE("the signed data is in canonical form: owner and RDATA names lower-cased, "
          "original TTL, canonical order") {
    // Names in upper case, a TTL counted down by a cache: the same signed bytes.
    Example soa = rfc4035_soa("NS1.Example.", "Bugs.X.W.Example.");
    soa.rrset.front().name = DnsName::from_text("EXAMPLE.");
    soa.rrset.front().ttl = 17;
    soa.rrsig.name = soa.rrset.front().name;
    CHECK(check(soa) == SignatureStatus::valid);
    CHECK(check(rfc4035_soa("ns1.example.", "bugs.x.w.example.")) == SignatureStatus::valid);
    CHECK(check(rfc4035_soa("ns2.example.", "bugs.x.w.example.")) ==
          SignatureStatus::bad_signature);

    // RFC 6840 section 5.1: NSEC's next name keeps its case in canonical form,
    // so the signature over "ns1.example." does not cover "NS1.example.".
    CHECK(check(rfc4035_nsec("ns1.example.")) == SignatureStatus::valid);
    CHECK(check(rfc4035_nsec("NS1.example.")) == SignatureStatus::bad_signature);

    // RFC 4034 section 6.3: the order the records came in does not matter,
    // and a duplicate counts once.
    const ResourceRecord first = a_record("www.example.net.", "192.0.2.1");
    const ResourceRecord second = a_record("www.example.net.", "192.0.2.2");
    const ResourceRecord rrsig = rfc6605_p256().rrsig;
    CHECK(signed_data(std::vector{first, second}, rrsig) ==
          signed_data(std::vector{second, first, second}, rrsig));
    const auto data = signed_data(std::vector{first}, rrsig);
    // RRSIG RDATA without the signature (18 bytes and "example.net."), then
    // www.example.net. A IN 3600 4 192.0.2.1.
    const auto expected_record = hex("03777777076578616D706C65036E657400"
                                     "00010001"
                                     "00000E10"
                                     "0004C0000201");
    REQUIRE(data.size() == 18 + 13 + expected_record.size());
    CHECK(std::equal(expected_record.begin(), expected_record.end(),
                     data.end() - static_cast<std::ptrdiff_t>(expected_record.size())));
}

TEST_CASE("a wildcard answer is verified over the wildcard owner (RFC 4035 section 5.3.2)") {
    const auto owner = DnsName::from_text("a.z.w.example.");
    CHECK(signed_owner(owner, 2)->to_string() == "*.w.example.");
    CHECK(signed_owner(owner, 4)->to_string() == "a.z.w.example.");
    CHECK_FALSE(signed_owner(owner, 5));
    // The labels field does not count the "*" of a wildcard owner.
    CHECK(signed_owner(DnsName::from_text("*.w.example."), 2)->to_string() == "*.w.example.");

    Example example = rfc4035_wildcard_answer();
    CHECK(check(example) == SignatureStatus::valid);
    // Another expansion of the same wildcard is signed by the same signature.
    example.rrset.front().name = DnsName::from_text("other.name.w.example.");
    example.rrsig.name = example.rrset.front().name;
    CHECK(check(example) == SignatureStatus::valid);
    // A labels field past the owner's labels, or above the signer, is not the RRSIG of it.
    Example too_many = rfc6605_p256();
    too_many.rrsig.rdata[3] = 4; // www.example.net. has 3
    CHECK(check(too_many) == SignatureStatus::malformed);
    Example above_signer = rfc6605_p256();
    above_signer.rrsig.rdata[3] = 1; // *.net., outside the zone example.net.
    CHECK(check(above_signer) == SignatureStatus::malformed);
}

TEST_CASE("the validity window, in serial number arithmetic (RFC 4034 section 3.1.5)") {
    const Example example = rfc6605_p256(); // 20100812100439 to 20100909100439
    Example at = example;
    at.now = at_time("20100812100439");
    CHECK(check(at) == SignatureStatus::valid);
    at.now = at_time("20100909100439");
    CHECK(check(at) == SignatureStatus::valid);
    at.now = at_time("20100812100438");
    CHECK(check(at) == SignatureStatus::not_yet_valid);
    at.now = at_time("20100909100440");
    CHECK(check(at) == SignatureStatus::expired);
    at.now = at_time("20250101000000");
    CHECK(check(at) == SignatureStatus::expired);

    // Across the wrap of the 32-bit counter in 2106: inception just before
    // 2^32 seconds, expiration just after.
    CHECK(serial_before_or_at(0xFFFFFF00u, 0x00000100u));
    CHECK_FALSE(serial_before_or_at(0x00000100u, 0xFFFFFF00u));
    const std::chrono::sys_seconds after_wrap{std::chrono::seconds(0x100000010LL)};
    CHECK(check_validity_period(0xFFFFFF00u, 0x00000100u, after_wrap) == SignatureStatus::valid);
    CHECK(check_validity_period(0x00000020u, 0x00000100u, after_wrap) ==
          SignatureStatus::not_yet_valid);
}

TEST_CASE("the key must be the RRSIG's, a zone key, of a supported algorithm") {
    Example other_key = rfc6605_p256();
    other_key.dnskey = rfc6605_p384().dnskey;
    CHECK(check(other_key) == SignatureStatus::key_mismatch);
    Example other_owner = rfc6605_p256();
    other_owner.dnskey.name = DnsName::from_text("example.org.");
    CHECK(check(other_owner) == SignatureStatus::key_mismatch);

    // Flags 1 (a SEP bit, but not a zone key): the key tag changes with the
    // flags, so the RRSIG's tag is set to the new one to reach the check.
    Example not_zone_key = rfc6605_p256();
    not_zone_key.dnskey.rdata[0] = 0;
    tag_rrsig_with_key(not_zone_key);
    CHECK(check(not_zone_key) == SignatureStatus::not_a_zone_key);

    // Algorithm 3 (DSA), retired (RFC 8624): the zone counts as unsigned.
    Example dsa = rfc6605_p256();
    dsa.dnskey.rdata[3] = 3;
    dsa.rrsig.rdata[2] = 3;
    tag_rrsig_with_key(dsa);
    CHECK(check(dsa) == SignatureStatus::unsupported_algorithm);
    CHECK_FALSE(is_supported_algorithm(3));
    CHECK(is_supported_algorithm(16));

    // An ECDSA key of the wrong length is no P-256 key.
    Example short_key = rfc6605_p256();
    short_key.dnskey.rdata.pop_back();
    tag_rrsig_with_key(short_key);
    CHECK(check(short_key) == SignatureStatus::malformed);
}

TEST_CASE("a key is built once per thread and kept, and a thread keeps a bounded number") {
    // On a thread of its own, so that the count starts at 0.
    struct Seen {
        size_t at_start = 0, after_one = 0, after_again = 0, after_other = 0, most = 0;
        SignatureStatus first{}, again{}, changed{}, other{}, after_flood{};
        bool flood_unusable = true;
    } seen;
    std::thread([&seen] {
        seen.at_start = keys_kept_by_this_thread();
        const Example example = rfc6605_p256();
        seen.first = check(example);
        seen.after_one = keys_kept_by_this_thread();
        // The kept key verifies again, and still rejects a changed signature.
        seen.again = check(example);
        seen.changed = check_with_changed_signature(example);
        seen.after_again = keys_kept_by_this_thread();
        // Another key is kept apart: RFC 8080's second Ed25519 key did not
        // sign what its first key signed.
        Example other = rfc8080_ed25519();
        other.dnskey = rfc8080_ed25519_second().dnskey;
        tag_rrsig_with_key(other);
        seen.other = check(other);
        seen.after_other = keys_kept_by_this_thread();
        // More keys than are kept: 64 bytes that are no point of P-256 each.
        const std::vector<uint8_t> data{1, 2, 3};
        const std::vector<uint8_t> signature(64, 1);
        for (size_t i = 0; i < max_keys_kept_per_thread() + 10; ++i) {
            std::vector<uint8_t> junk(64, 0xff);
            junk[0] = static_cast<uint8_t>(i);
            junk[1] = static_cast<uint8_t>(i >> 8);
            if (verify_signature(13, junk, data, signature) != CryptoResult::unusable_key)
                seen.flood_unusable = false;
            seen.most = std::max(seen.most, keys_kept_by_this_thread());
        }
        seen.after_flood = check(example); // built again if it was dropped
    }).join();
    CHECK(seen.at_start == 0);
    CHECK(seen.first == SignatureStatus::valid);
    CHECK(seen.after_one == 1);
    CHECK(seen.again == SignatureStatus::valid);
    CHECK(seen.changed == SignatureStatus::bad_signature);
    CHECK(seen.after_again == 1);
    CHECK(seen.other == SignatureStatus::bad_signature);
    CHECK(seen.after_other == 2);
    CHECK(seen.flood_unusable);
    CHECK(seen.most == max_keys_kept_per_thread());
    CHECK(seen.after_flood == SignatureStatus::valid);
}

TEST_CASE("DS digests of the published keys (RFC 4034 5.4, RFC 4509, RFC 6605, RFC 8080)") {
    const ResourceRecord dskey = anchor_record("dskey.example.com. 86400 IN DNSKEY 256 3 5 ( "
                                               "AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/ "
                                               "2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvx "
                                               "egXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9Xzc "
                                               "nOf+EPbtG9DMBmADjFDc2w/rljwvFw== )");
    const std::pair<ResourceRecord, ResourceRecord> pairs[] = {
        {dskey, anchor_record("dskey.example.com. 86400 IN DS 60485 5 1 ( 2BB183AF5F22588179A53B0A "
                              "98631FAD1A292118 )")},
        {dskey, anchor_record("dskey.example.com. 86400 IN DS 60485 5 2 ( D4B7D520E7BB5F0F67674A0C "
                              "CEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A )")},
        {rfc6605_p256().dnskey,
         anchor_record(
             "example.net. 3600 IN DS 55648 13 2 ( b4c8c1fe2e7477127b27115656ad6256f424625"
             "bf5c1e2770ce6d6e37df61d17 )")},
        {rfc6605_p384().dnskey,
         anchor_record(
             "example.net. 3600 IN DS 10771 14 4 ( 72d7b62976ce06438e9c0bf319013cf801f09ec"
             "c84b8d7e9495f27e305c6a9b0563a9b5f4d288405c3008a946df983d6 )")},
        {rfc8080_ed25519().dnskey,
         anchor_record("example.com. 3600 IN DS 3613 15 2 ( 3aa5ab37efce57f737fc1627013fee07bdf241b"
                       "d10f3b1964ab55c78e79a304b )")},
        {rfc8080_ed448().dnskey,
         anchor_record("example.com. 3600 IN DS 9713 16 2 ( 6ccf18d5bc5d7fc2fceb1d59d17321402f2aa8d"
                       "368048db93dd811f5cb2b19c7 )")},
    };
    for (const auto& [key, ds] : pairs) {
        INFO(key.name.to_string() << " key tag " << key_tag(key.rdata));
        CHECK(ds_matches_dnskey(ds, key) == DsMatch::matches);
        ResourceRecord changed = ds;
        changed.rdata.back() ^= 1;
        CHECK(ds_matches_dnskey(changed, key) == DsMatch::does_not_match);
        // The owner name is hashed too, in lower case.
        std::string upper_owner = key.name.to_string();
        for (char& character : upper_owner)
            character = static_cast<char>(std::toupper(static_cast<unsigned char>(character)));
        ResourceRecord upper_key = key;
        ResourceRecord upper_ds = ds;
        upper_key.name = upper_ds.name = DnsName::from_text(upper_owner);
        CHECK(ds_matches_dnskey(upper_ds, upper_key) == DsMatch::matches);
        ResourceRecord moved_key = key;
        ResourceRecord moved_ds = ds;
        moved_key.name = moved_ds.name = DnsName::from_text("sub." + key.name.to_string());
        CHECK(ds_matches_dnskey(moved_ds, moved_key) == DsMatch::does_not_match);
    }
    ResourceRecord gost = pairs[0].second;
    gost.rdata[3] = 3; // digest type 3, GOST R 34.11-94: not implemented
    CHECK(ds_matches_dnskey(gost, dskey) == DsMatch::unsupported_digest);
    CHECK_FALSE(has_supported_ds(std::vector{gost}));
    CHECK(has_supported_ds(std::vector{gost, pairs[1].second}));
}

TEST_CASE("verify_rrset tries the RRSIGs and keys it is given, within the KeyTrap limits") {
    const Example example = rfc6605_p256();
    // An RRSIG of another RRset at the name (type covered AAAA) is passed
    // over, and a key of another tag costs nothing: one verification.
    ResourceRecord of_aaaa = example.rrsig;
    of_aaaa.rdata[1] = static_cast<uint8_t>(type_aaaa);
    const std::vector keys{rfc6605_p384().dnskey, example.dnskey};
    ValidationBudget budget;
    CHECK(verify_rrset(example.rrset, std::vector{of_aaaa, example.rrsig}, keys, example.now,
                       budget) == SignatureStatus::valid);
    CHECK(budget.signature_verifications_left() ==
          validation_limits::max_signature_verifications_per_lookup - 1);

    // No RRSIG for the RRset's type; no key of the RRSIG's.
    ValidationBudget unused;
    CHECK(verify_rrset(example.rrset, std::vector{of_aaaa}, keys, example.now, unused) ==
          SignatureStatus::no_signature);
    CHECK(verify_rrset(example.rrset, std::vector{example.rrsig},
                       std::vector{rfc6605_p384().dnskey}, example.now,
                       unused) == SignatureStatus::key_mismatch);

    // KeyTrap: twenty keys with the RRSIG's tag, none the right one (the
    // signature is changed, so no key verifies it): two are tried, no more.
    Example forged = example;
    forged.rrsig.rdata.back() ^= 1;
    const std::vector colliding(20, example.dnskey);
    ValidationBudget limited;
    CHECK(verify_rrset(forged.rrset, std::vector{forged.rrsig}, colliding, forged.now, limited) ==
          SignatureStatus::bad_signature);
    CHECK(limited.signature_verifications_left() ==
          validation_limits::max_signature_verifications_per_lookup -
              validation_limits::max_keys_per_key_tag);

    // And twenty such RRSIGs: at most max_signatures_per_rrset of them.
    const std::vector many_rrsigs(20, forged.rrsig);
    ValidationBudget per_rrset;
    CHECK(verify_rrset(forged.rrset, many_rrsigs, std::vector{example.dnskey}, forged.now,
                       per_rrset) == SignatureStatus::bad_signature);
    CHECK(per_rrset.signature_verifications_left() ==
          validation_limits::max_signature_verifications_per_lookup -
              validation_limits::max_signatures_per_rrset);

    // Once the lookup's budget is spent, nothing more is verified: SERVFAIL.
    ValidationBudget nearly_spent(1, 0);
    CHECK(verify_rrset(forged.rrset, many_rrsigs, colliding, forged.now, nearly_spent) ==
          SignatureStatus::budget_spent);
    CHECK(nearly_spent.spent());
    CHECK(verify_rrset(example.rrset, std::vector{example.rrsig}, keys, example.now,
                       nearly_spent) == SignatureStatus::budget_spent);
}

TEST_CASE("real signed records from the corpus verify") {
    struct Capture {
        const char* what;
        const char* keys_file;   // the zone's DNSKEY response
        const char* signed_file; // the signed answer
        std::string now;
    };
    // See ../shared/corpus/SOURCES.md (zeek's testing/btest/Traces/dnssec).
    const Capture captures[] = {
        // paypal.com. DNSKEY, RSASHA1, signed by its two keys.
        {"paypal.com DNSKEY (RSASHA1)", "messages/zeek-0217.bin", "messages/zeek-0217.bin",
         "20130201000000"},
        // ed25519.no. A, signed by the zone's ZSK.
        {"ed25519.no A (ED25519)", "messages/zeek-0221.bin", "messages/zeek-0223.bin",
         "20231120000000"},
        {"ed448.no A (ED448)", "messages/zeek-0225.bin", "messages/zeek-0227.bin",
         "20231120000000"},
    };
    for (const Capture& capture : captures) {
        INFO(capture.what);
        const Message keys = parse_message(corpus_file(capture.keys_file));
        const Message answer = parse_message(corpus_file(capture.signed_file));
        const auto dnskeys = of_type(keys.answers, type_dnskey);
        const auto rrsigs = of_type(answer.answers, type_rrsig);
        const uint16_t signed_type = answer.questions.at(0).type;
        auto rrset = of_type(answer.answers, signed_type);
        REQUIRE(!rrset.empty());
        REQUIRE(!rrsigs.empty());
        for (const auto& rrsig : rrsigs) {
            const uint16_t tag = parse_rrsig(rrsig.rdata).key_tag;
            INFO("the RRSIG of key " << tag);
            ValidationBudget budget;
            CHECK(verify_rrset(rrset, std::vector{rrsig}, dnskeys, at_time(capture.now), budget) ==
                  SignatureStatus::valid);
        }
        rrset.front().rdata.back() ^= 1;
        ValidationBudget budget;
        CHECK(verify_rrset(rrset, rrsigs, dnskeys, at_time(capture.now), budget) ==
              SignatureStatus::bad_signature);
    }
}
