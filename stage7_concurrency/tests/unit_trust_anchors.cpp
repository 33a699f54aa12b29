#include "../dnssec_records.hpp"
#include "../dnssec_signatures.hpp"
#include "../trust_anchors.hpp"
#include "common/testing/resolver_under_test.hpp"
#include "dnssec_test_records.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace dns;
using namespace dns::testing;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

// The digests of IANA's root anchors, as Debian's root.ds has them.
const auto ksk_2017_digest =
    hex("E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D");
const auto ksk_2024_digest =
    hex("683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16");

} // namespace

TEST_CASE("the built-in root anchors are KSK-2017 and KSK-2024") {
    const auto anchors = builtin_root_trust_anchors();
    REQUIRE(anchors.size() == 2);
    const Ds first = parse_ds(anchors[0].rdata);
    const Ds second = parse_ds(anchors[1].rdata);
    CHECK(anchors[0].name.is_root());
    CHECK(anchors[0].type == type_ds);
    CHECK(first.key_tag == 20326);
    CHECK(first.algorithm == 8);
    CHECK(first.digest_type == 2);
    CHECK(first.digest == ksk_2017_digest);
    CHECK(second.key_tag == 38696);
    CHECK(second.digest == ksk_2024_digest);
}

TEST_CASE("Debian's root.ds (dns-root-data) holds the same anchors as the built-in ones") {
    const std::string path(debian_root_anchors_path);
    REQUIRE_MESSAGE(std::ifstream(path), path << " is missing: make deps installs dns-root-data");
    const auto from_file = load_trust_anchors(path);
    const auto builtin = builtin_root_trust_anchors();
    REQUIRE(from_file.size() == builtin.size());
    for (size_t i = 0; i < builtin.size(); ++i) {
        CHECK(from_file[i].name == builtin[i].name);
        CHECK(from_file[i].type == builtin[i].type);
        CHECK(from_file[i].rdata == builtin[i].rdata);
    }
    CHECK(default_trust_anchors().size() == 2);
    // Without the file, the built-in ones.
    CHECK(default_trust_anchors("/nonexistent/root.ds").at(1).rdata == builtin[1].rdata);
}

TEST_CASE("the root's real DNSKEYs match the anchors, and sign the root's DNSKEY RRset") {
    // Debian's root.key: the two key signing keys as DNSKEY records; their
    // digests are the anchors' (RFC 4034 section 5.1.4, real data).
    const auto keys = load_trust_anchors("/usr/share/dns/root.key");
    REQUIRE(keys.size() == 2);
    CHECK(key_tag(keys[0].rdata) == 20326);
    CHECK(key_tag(keys[1].rdata) == 38696);
    const auto anchors = builtin_root_trust_anchors();
    CHECK(keys_matching_ds(anchors, keys).size() == 2);

    // The root zone of the corpus (zones/root.zone, see SOURCES.md): its apex
    // DNSKEY RRset and the RRSIG over it, read from its zone-file lines. The
    // anchors pick the key signing keys, and one of them signed the RRset:
    // the first link of the chain of trust, on the Internet's own records.
    std::vector<ResourceRecord> dnskeys;
    std::vector<ResourceRecord> rrsigs;
    std::istringstream zone(read_file(corpus_directory() + "/zones/root.zone"));
    for (std::string line; std::getline(zone, line);) {
        std::istringstream words(line);
        std::string owner, ttl, klass, type;
        words >> owner >> ttl >> klass >> type;
        if (owner != ".")
            continue;
        std::string rest;
        std::getline(words, rest);
        if (type == "DNSKEY")
            dnskeys.push_back(anchor_record(line));
        else if (type == "RRSIG" && rest.find("DNSKEY") != std::string::npos)
            rrsigs.push_back(rrsig_record(".", rest, static_cast<uint32_t>(std::stoul(ttl))));
    }
    REQUIRE(dnskeys.size() == 3);
    REQUIRE(rrsigs.size() == 1);
    const auto trusted = keys_matching_ds(anchors, dnskeys);
    REQUIRE(trusted.size() == 2);
    ValidationBudget budget;
    CHECK(verify_rrset(dnskeys, rrsigs, trusted, at_time("20260825000000"), budget) ==
          SignatureStatus::valid);
    // The zone signing key (256) is not one the anchors vouch for.
    const std::vector zone_signing_key{dnskeys[0]};
    CHECK(keys_matching_ds(anchors, zone_signing_key).empty());
    ValidationBudget other;
    CHECK(verify_rrset(dnskeys, rrsigs, zone_signing_key, at_time("20260825000000"), other) ==
          SignatureStatus::key_mismatch);
}

TEST_CASE("anchors in presentation format: any zone, TTL and class optional, mnemonics, "
          "parentheses and comments") {
    const auto anchors = parse_trust_anchors(R"(
; a comment line, then blank lines

example.net. 3600 IN DNSKEY 257 3 ECDSAP256SHA256 (
        GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edb   ; the key, split
        krSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA== ) ; and the end of the record
example.net. DS 55648 13 2 b4c8c1fe2e7477127b27115656ad6256 f424625bf5c1e2770ce6d6e37df61d17
             IN 60 DS 55648 ecdsap256sha256 2 B4C8C1FE2E7477127B27115656AD6256F424625BF5C1E2770CE6D6E37DF61D17
dskey.example.com. 86400 IN DS 60485 RSASHA1 1 ( 2BB183AF5F22588179A53B0A
                                                 98631FAD1A292118 )
)");
    REQUIRE(anchors.size() == 4);
    CHECK(anchors[0].type == type_dnskey);
    CHECK(anchors[0].ttl == 3600);
    CHECK(key_tag(anchors[0].rdata) == 55648);
    CHECK(parse_dnskey(anchors[0].rdata).algorithm == 13);
    CHECK(ds_matches_dnskey(anchors[1], anchors[0]) == DsMatch::matches);
    // The line that starts with a blank has the owner before it; the class
    // may come before the TTL.
    CHECK(anchors[2].name.to_string() == "example.net.");
    CHECK(anchors[2].ttl == 60);
    CHECK(anchors[2].rdata == anchors[1].rdata);
    CHECK(parse_ds(anchors[3].rdata).algorithm == 5);
    CHECK(parse_ds(anchors[3].rdata).digest == hex("2BB183AF5F22588179A53B0A98631FAD1A292118"));
}

TEST_CASE("bad anchor files are refused with the line that is wrong") {
    const auto refused = [](const std::string& text, const std::string& why) {
        INFO(text);
        CHECK_THROWS_WITH_AS(parse_trust_anchors(text), doctest::Contains(why.c_str()),
                             TrustAnchorError);
    };
    refused("", "no DS or DNSKEY record");
    refused("; only a comment\n", "no DS or DNSKEY record");
    refused("\n\n. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8",
            "line 3: the digest is not hexadecimal");
    refused(". DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D084", "line 1: a digest of 16 bytes");
    refused(". DS 70000 8 2 E06D", "line 1: the key tag '70000' is not a number");
    refused(". DS 20326 FOO 2 E06D", "the algorithm 'FOO'");
    refused(". DS 20326 8", "line 1: the record ends before the digest type");
    refused(". IN A 192.0.2.1", "a record of type A");
    refused(". CH DS 1 8 2 00", "the class CH");
    refused("example DS 1 8 2 00", "not absolute");
    refused(" IN DS 1 8 2 00", "no record before it");
    refused("x. DNSKEY 257 3 8 not*base64", "the public key is not base64");
    refused("x. DNSKEY 257 2 8 AwEAAQ==", "protocol 2");
    refused("x. DNSKEY 1 3 8 AwEAAQ==", "not a zone key");
    refused("x. DS 1 8 2 ( 00\n\n", "line 1: a '(' that is never closed");
    refused("x. DS 1 8 2 00 )", "line 1: a ')' without a '('");
    CHECK_THROWS_WITH_AS(load_trust_anchors("/nonexistent/anchors"),
                         doctest::Contains("cannot read /nonexistent/anchors"), TrustAnchorError);
}
