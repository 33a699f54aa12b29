// DNSSEC validation end to end (issue 13), in the test bed's signed world:
// the root, lab., learn., example.lab., nsec3.lab. and nsec.lab. signed by
// Knot, the trust anchor in RUNDIR/root-anchor.ds (the root KSK's DS, written
// by testbed.sh start), unsigned zones below (insecure), and seven zones
// signed wrong on purpose (bogus). The table of zones and outcomes is in
// stage4_testbed/testbed/README.md ("The signed world").
//
// Unbound, validating from the same trust anchor, is the reference: the first
// test checks that the world is what the table says by Unbound's answers; the
// differential test asks Unbound and the resolver the same questions. The
// others check the rules of RFC 4035, RFC 6840, RFC 7646 and RFC 8914 on the
// resolver alone. Where our expected behaviour and Unbound's could differ, the
// test says so.

#include "common/testing/dig_output.hpp"
#include "common/testing/resolver_under_test.hpp"
#include "common/testing/unbound_reference.hpp"

#include <algorithm>
#include <cstdlib>
#include <doctest/doctest.h>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace dns;
using namespace dns::testing;

namespace {

std::string testbed_directory() {
    const char* directory = std::getenv("TESTBED_DIR");
    REQUIRE_MESSAGE(directory != nullptr, "TESTBED_DIR is not set (run the tests with make test)");
    return directory;
}

// The test bed's trust anchor: the DS of its root's KSK, in the format of
// Debian's /usr/share/dns/root.ds.
std::string trust_anchor() {
    return testbed_directory() + "/root-anchor.ds";
}

bool has_flag(const std::string& output, const std::string& flag) {
    return (" " + dig_flags(output) + " ").find(" " + flag + " ") != std::string::npos;
}

// The INFO-CODE of the reply's extended DNS error (RFC 8914), as dig prints
// it: "; EDE: 6 (DNSSEC Bogus): (...)"; nothing if there is none.
std::optional<int> ede_code(const std::string& output) {
    const size_t at = output.find("; EDE: ");
    if (at == std::string::npos)
        return std::nullopt;
    return std::stoi(output.substr(at + 7));
}

// The RRSIGs of the answer section that cover `type`.
size_t signatures_over(const std::string& output, const std::string& type) {
    size_t count = 0;
    for (const auto& record : dig_section(output, "ANSWER"))
        if (record.type == "RRSIG" && record.data.starts_with(type + " "))
            ++count;
    return count;
}

enum class Outcome { secure, insecure, bogus };

std::string outcome_name(Outcome outcome) {
    switch (outcome) {
    case Outcome::secure:
        return "secure";
    case Outcome::insecure:
        return "insecure";
    case Outcome::bogus:
        return "bogus";
    }
    return "?";
}

// One question of the signed world, and what a validating resolver must
// answer (RFC 4035 section 4.3): secure, NOERROR or NXDOMAIN with AD=1;
// insecure, the same without AD; bogus, SERVFAIL (section 5.5) with an EDE.
struct Expected {
    std::string name;
    std::string type;
    std::string rcode; // as the authority has it: NOERROR or NXDOMAIN
    Outcome outcome;
    // For a bogus answer: the EDE INFO-CODEs (RFC 8914 section 4) we accept,
    // and the one Unbound 1.17 gives.
    std::vector<int> our_ede;
    int unbound_ede;
    std::string why;
};

// The table of stage4_testbed/testbed/README.md, one question per line.
std::vector<Expected> signed_world() {
    const Outcome secure = Outcome::secure, insecure = Outcome::insecure, bogus = Outcome::bogus;
    std::vector<Expected> table = {
        {".", "SOA", "NOERROR", secure, {}, 0, "the root, RSASHA256 (8), from the trust anchor"},
        {"lab", "SOA", "NOERROR", secure, {}, 0, "ECDSAP256SHA256 (13), DS in the root"},
        {"learn", "SOA", "NOERROR", secure, {}, 0, "ED25519 (15), DS in the root"},
        {"www.example.lab", "A", "NOERROR", secure, {}, 0, "ED448 (16), DS in lab."},
        {"example.lab", "DNSKEY", "NOERROR", secure, {}, 0, "the KSK matches lab.'s DS"},
        {"nonexistent.example.lab",
         "A",
         "NXDOMAIN",
         secure,
         {},
         0,
         "NXDOMAIN proven by NSEC (RFC 4035 section 5.4)"},
        {"foo.wild.example.lab",
         "A",
         "NOERROR",
         secure,
         {},
         0,
         "a wildcard answer, with the NSEC that no closer name exists (RFC 4035 section 5.3.4)"},
        {"www.nsec3.lab", "A", "NOERROR", secure, {}, 0, "ECDSAP384SHA384 (14)"},
        {"nothere.nsec3.lab",
         "A",
         "NXDOMAIN",
         secure,
         {},
         0,
         "NXDOMAIN proven by NSEC3 (RFC 5155 section 8.4)"},
        {"www.nsec.lab", "A", "NOERROR", secure, {}, 0, "ECDSAP256SHA256 (13), NSEC"},
        {"nothere.nsec.lab", "A", "NXDOMAIN", secure, {}, 0, "NXDOMAIN proven by NSEC"},
        {"www.nsec.lab", "TXT", "NOERROR", secure, {}, 0, "NODATA proven by NSEC"},
        {"www.nsec3-gap.lab",
         "A",
         "NOERROR",
         secure,
         {},
         0,
         "in a bogus-on-purpose zone, but www's A is signed and its chain is whole"},
        {"a.root-servers.test",
         "A",
         "NOERROR",
         insecure,
         {},
         0,
         "test. has no DS: the root's NSEC proves it"},
        {"nothing.test", "A", "NXDOMAIN", insecure, {}, 0, "an NXDOMAIN of the insecure test."},
        {"www.school.learn",
         "A",
         "NOERROR",
         insecure,
         {},
         0,
         "no DS, proven by an opt-out NSEC3 of learn. (RFC 5155 section 8.9)"},
        {"www.dept.school.learn",
         "A",
         "NOERROR",
         insecure,
         {},
         0,
         "below the insecure school.learn."},
        {"www.victim.learn", "A", "NOERROR", insecure, {}, 0, "no DS, opt-out NSEC3"},
        {"nothing.learn",
         "A",
         "NXDOMAIN",
         insecure,
         {},
         0,
         "the next closer name is covered by an opt-out NSEC3: an unsigned delegation could be "
         "there (RFC 5155 section 6), so the NXDOMAIN is not secure"},
        {"www.noglue.lab", "A", "NOERROR", insecure, {}, 0, "no DS, proven by lab.'s NSEC"},
        {"a.types.example.lab",
         "A",
         "NOERROR",
         insecure,
         {},
         0,
         "no DS, proven by example.lab.'s NSEC"},
        {"www.expired.lab", "A", "SERVFAIL", bogus, {7}, 7, "every RRSIG expired"},
        {"www.not-yet-valid.lab", "A", "SERVFAIL", bogus, {8}, 8, "every RRSIG's inception ahead"},
        // 9, DNSKEY Missing, as Unbound: RFC 8914 section 4.10 names this very
        // case, "a DS record existed at a parent, but no supported matching
        // DNSKEY record could be found for the child".
        {"www.ds-mismatch.lab",
         "A",
         "SERVFAIL",
         bogus,
         {9},
         9,
         "lab.'s DS is the digest of a key the zone does not have"},
        {"www.no-rrsig.lab", "A", "SERVFAIL", bogus, {10}, 10, "www's A has no RRSIG"},
        // Unbound: 9 ("signatures from unknown keys"); we say 6: the zone's
        // DNSKEY RRset is there and valid, the RRSIG names a key not in it.
        {"www.unknown-key.lab",
         "A",
         "SERVFAIL",
         bogus,
         {6},
         9,
         "www's A is signed by a key not in the DNSKEY RRset"},
        // 12 (NSEC Missing) or 6; Unbound: 6 ("nameerror proof failed").
        {"gap.nsec3-gap.lab",
         "A",
         "SERVFAIL",
         bogus,
         {12, 6},
         6,
         "no NSEC3 record covers the name's hash: the NXDOMAIN is not proven"},
        {"www.no-dnskey.lab",
         "A",
         "SERVFAIL",
         bogus,
         {9},
         9,
         "a DS in lab., and no DNSKEY in the zone"},
    };
    if (have_ipv6_loopback())
        table.push_back({"www.ipv6.lab", "A", "NOERROR", insecure, {}, 0, "no DS, lab.'s NSEC"});
    return table;
}

std::vector<Expected> of_outcome(Outcome outcome) {
    std::vector<Expected> chosen;
    for (const auto& expected : signed_world())
        if (expected.outcome == outcome)
            chosen.push_back(expected);
    return chosen;
}

// Every zone the questions lead to, as a stub zone at the test bed's port:
// the test bed's zones, and the bogus ones on ns.bogus.lab (127.53.16.1).
StubZones signed_world_zones() {
    StubZones zones = testbed_stub_zones();
    for (const std::string zone :
         {"expired.lab.", "not-yet-valid.lab.", "ds-mismatch.lab.", "no-rrsig.lab.",
          "unknown-key.lab.", "nsec3-gap.lab.", "no-dnskey.lab."})
        zones.push_back({zone, {"127.53.16.1"}});
    return zones;
}

UnboundOptions validating_unbound() {
    UnboundOptions options;
    options.stub_zones = signed_world_zones();
    options.qname_minimisation = true; // as stage 7 does by default
    options.trust_anchor_file = trust_anchor();
    return options;
}

// The resolver under test, validating: --root-hints and --upstream-port point
// it at the test bed (RunningResolver), --trust-anchor at its root's key.
std::vector<std::string> validating(std::vector<std::string> more = {}) {
    std::vector<std::string> arguments{"--trust-anchor", trust_anchor()};
    arguments.insert(arguments.end(), more.begin(), more.end());
    return arguments;
}

} // namespace

// The reference: the world is as the table says, by Unbound's answers. (RFC
// 4035 section 4.3: secure, insecure, bogus; RFC 8914 for the EDE.) Unbound
// sets AD on secure answers for a client that sets DO (dig +dnssec).
TEST_CASE("Unbound, validating from the test bed's root, gives the outcome of the zone table") {
    if (stage_under_test() < 7)
        return;
    RunningUnbound unbound(validating_unbound());
    std::ostringstream observed;
    for (const auto& expected : signed_world()) {
        INFO(expected.name << " " << expected.type << " (" << outcome_name(expected.outcome) << ": "
                           << expected.why << ")");
        const std::string reply = unbound.ask({"+dnssec", expected.name, expected.type});
        INFO("Unbound said:\n" << reply << "\nUnbound's log:\n" << unbound.log());
        const auto ede = ede_code(reply);
        observed << expected.name << " " << expected.type << ": " << dig_status(reply)
                 << (has_flag(reply, "ad") ? " AD=1" : " AD=0")
                 << (ede ? " EDE " + std::to_string(*ede) : std::string()) << "\n";
        CHECK(dig_status(reply) == expected.rcode);
        CHECK(has_flag(reply, "ad") == (expected.outcome == Outcome::secure));
        if (expected.outcome == Outcome::bogus) {
            REQUIRE(ede.has_value());
            CHECK(*ede == expected.unbound_ede);
        } else {
            CHECK_FALSE(ede.has_value());
        }
        if (expected.outcome == Outcome::secure && !dig_section(reply, "ANSWER").empty())
            CHECK(signatures_over(reply, expected.type) > 0);
    }
    MESSAGE("Unbound, validating:\n" << observed.str());
}

// The differential test: for every question of the table, asked with DO=1
// (dig +dnssec), the same rcode, the same AD flag and the same answer
// records, RRSIGs included (without their times and signatures), as Unbound.
// The EDE codes are not compared: for ds-mismatch.lab and unknown-key.lab we
// give 6 where Unbound gives 9 (see the table).
TEST_CASE("the same rcode, AD flag and answer records as Unbound, validating") {
    if (stage_under_test() < 7)
        return;
    RunningResolver resolver(validating({"--quiet"}));
    RunningUnbound unbound(validating_unbound());
    for (const auto& expected : signed_world()) {
        INFO(expected.name << " " << expected.type << " (" << outcome_name(expected.outcome)
                           << ")");
        const std::string ours = ask(resolver, {"+dnssec", expected.name, expected.type});
        const std::string theirs = unbound.ask({"+dnssec", expected.name, expected.type});
        INFO("we said:\n" << ours << "\nUnbound said:\n" << theirs);
        CHECK(dig_status(ours) == dig_status(theirs));
        CHECK(has_flag(ours, "ad") == has_flag(theirs, "ad"));
        CHECK(answer_keys(ours) == answer_keys(theirs));
    }
}

// RFC 4035 section 3.2.3: a validating resolver sets AD on an answer whose
// every RRset it found secure; section 3.2.1: a client that sets DO gets the
// RRSIGs with the records they sign.
TEST_CASE("secure answers have AD=1 and, for a DO=1 client, their RRSIGs") {
    if (stage_under_test() < 7)
        return;
    RunningResolver resolver(validating());
    for (const auto& expected : of_outcome(Outcome::secure)) {
        INFO(expected.name << " " << expected.type << ": " << expected.why);
        const std::string reply = ask(resolver, {"+dnssec", expected.name, expected.type});
        INFO(reply);
        CHECK(dig_status(reply) == expected.rcode);
        CHECK(has_flag(reply, "ad"));
        if (!dig_section(reply, "ANSWER").empty())
            CHECK(signatures_over(reply, expected.type) > 0);
        // A negative answer (NXDOMAIN, NODATA) carries its proof in the
        // authority section: the SOA, the NSEC or NSEC3 records, their RRSIGs.
        if (dig_section(reply, "ANSWER").empty()) {
            CHECK_FALSE(data_of(reply, "AUTHORITY", "RRSIG").empty());
            CHECK((!data_of(reply, "AUTHORITY", "NSEC").empty() ||
                   !data_of(reply, "AUTHORITY", "NSEC3").empty()));
        }
    }
}

// RFC 6840 section 5.7 and 5.8: AD in a query asks for the AD bit in the
// response without DO; such a client gets AD=1 for a secure answer, and no
// RRSIGs (RFC 4035 section 3.2.1: only a DO=1 client gets them). A client
// with neither AD nor DO set gets AD=0 (5.8: the AD bit is set only if DO or
// AD was). dig sets AD by default: +adflag says so, +noadflag clears it.
TEST_CASE("a client that sets AD without DO gets AD=1 and no RRSIGs (RFC 6840 5.8)") {
    if (stage_under_test() < 7)
        return;
    RunningResolver resolver(validating());
    for (const auto& expected : of_outcome(Outcome::secure)) {
        INFO(expected.name << " " << expected.type);
        const std::string reply =
            ask(resolver, {"+adflag", "+nodnssec", expected.name, expected.type});
        INFO(reply);
        CHECK(dig_status(reply) == expected.rcode);
        CHECK(has_flag(reply, "ad"));
        CHECK(data_of(reply, "ANSWER", "RRSIG").empty());
        CHECK(data_of(reply, "AUTHORITY", "RRSIG").empty());
        CHECK(data_of(reply, "AUTHORITY", "NSEC").empty());
        CHECK(data_of(reply, "AUTHORITY", "NSEC3").empty());
    }
    const std::string plain = ask(resolver, {"+noadflag", "+nodnssec", "www.example.lab", "A"});
    CHECK(dig_status(plain) == "NOERROR");
    CHECK_FALSE(has_flag(plain, "ad"));
}

// RFC 4035 section 4.3 and 5.2: an answer from a zone below a delegation
// proven to have no DS is insecure, and is given without AD, to a DO=1
// client too.
TEST_CASE("insecure answers have AD=0") {
    if (stage_under_test() < 7)
        return;
    RunningResolver resolver(validating());
    for (const auto& expected : of_outcome(Outcome::insecure)) {
        INFO(expected.name << " " << expected.type << ": " << expected.why);
        for (const std::string dnssec : {"+dnssec", "+nodnssec"}) {
            const std::string reply = ask(resolver, {dnssec, expected.name, expected.type});
            INFO(reply);
            CHECK(dig_status(reply) == expected.rcode);
            CHECK_FALSE(has_flag(reply, "ad"));
            CHECK_FALSE(ede_code(reply).has_value());
        }
    }
}

// RFC 4035 section 5.5: a bogus answer is SERVFAIL; RFC 8914 section 4 says
// why, by its INFO-CODE: 7 Signature Expired, 8 Signature Not Yet Valid, 9
// DNSKEY Missing, 10 RRSIGs Missing, 12 NSEC Missing, 6 DNSSEC Bogus for the
// rest. (Unbound gives 9 for ds-mismatch.lab and unknown-key.lab: see the
// table.)
TEST_CASE("every bogus name is SERVFAIL with an EDE that says why (RFC 8914)") {
    if (stage_under_test() < 7)
        return;
    RunningResolver resolver(validating());
    for (const auto& expected : of_outcome(Outcome::bogus)) {
        INFO(expected.name << " " << expected.type << ": " << expected.why);
        for (const std::string dnssec : {"+dnssec", "+nodnssec"}) {
            const std::string reply = ask(resolver, {dnssec, expected.name, expected.type});
            INFO(reply);
            CHECK(dig_status(reply) == "SERVFAIL");
            CHECK_FALSE(has_flag(reply, "ad"));
            CHECK(dig_section(reply, "ANSWER").empty());
            const auto ede = ede_code(reply);
            REQUIRE(ede.has_value());
            CHECK(std::find(expected.our_ede.begin(), expected.our_ede.end(), *ede) !=
                  expected.our_ede.end());
        }
    }
}

// RFC 4035 section 3.2.2 and RFC 6840 section 5.9: CD=1 says the client
// validates itself: the resolver gives the data it has, bogus or not, with
// AD=0 (section 3.2.3: AD only for what it found secure, and with CD it did
// not ask), and, for a DO=1 client, the RRSIGs it got.
TEST_CASE("with CD=1 the bogus names give their data, NOERROR, AD=0") {
    if (stage_under_test() < 7)
        return;
    RunningResolver resolver(validating());
    for (const auto& expected : of_outcome(Outcome::bogus)) {
        INFO(expected.name << " " << expected.type << ": " << expected.why);
        const std::string reply = ask(resolver, {"+cd", "+dnssec", expected.name, expected.type});
        INFO(reply);
        // gap.nsec3-gap.lab does not exist: NXDOMAIN, as the authority says.
        const bool exists = expected.name.starts_with("www.");
        CHECK(dig_status(reply) == (exists ? "NOERROR" : "NXDOMAIN"));
        CHECK_FALSE(has_flag(reply, "ad"));
        if (exists)
            CHECK(data_of(reply, "ANSWER", "A").size() == 1);
    }
    // And afterwards, without CD, still SERVFAIL: what was fetched for a CD=1
    // client is validated before a client without CD gets it (RFC 6840
    // section 5.9).
    CHECK(dig_status(ask(resolver, {"+dnssec", "www.expired.lab", "A"})) == "SERVFAIL");
}

// --no-validation (STAGES.md: a flag of stage 7): nothing is validated, so
// nothing is bogus and nothing is secure: the bogus names are answered as
// their servers have them, NOERROR without AD.
TEST_CASE("--no-validation: bogus names answer NOERROR without AD") {
    if (stage_under_test() < 7)
        return;
    RunningResolver resolver(validating({"--no-validation"}));
    for (const auto& expected : of_outcome(Outcome::bogus)) {
        if (!expected.name.starts_with("www."))
            continue; // gap.nsec3-gap.lab does not exist
        INFO(expected.name);
        const std::string reply = ask(resolver, {"+dnssec", expected.name, expected.type});
        INFO(reply);
        CHECK(dig_status(reply) == "NOERROR");
        CHECK_FALSE(has_flag(reply, "ad"));
        CHECK(data_of(reply, "ANSWER", "A").size() == 1);
    }
    CHECK_FALSE(has_flag(ask(resolver, {"+dnssec", "www.example.lab", "A"}), "ad"));
}

// RFC 7646: a negative trust anchor turns validation off for one domain and
// what is below it: its answers are insecure (AD=0) even where they are
// bogus, and nothing else changes. (Unbound's "domain-insecure" does the
// same; it is not compared here.)
TEST_CASE("--negative-trust-anchor expired.lab: its www answers, ds-mismatch.lab stays SERVFAIL") {
    if (stage_under_test() < 7)
        return;
    RunningResolver resolver(validating({"--negative-trust-anchor", "expired.lab"}));
    const std::string expired = ask(resolver, {"+dnssec", "www.expired.lab", "A"});
    INFO(expired);
    CHECK(dig_status(expired) == "NOERROR");
    CHECK_FALSE(has_flag(expired, "ad"));
    CHECK(data_of(expired, "ANSWER", "A") ==
          std::vector<std::string>{"www.expired.lab. 192.0.2.171"});
    const std::string mismatch = ask(resolver, {"+dnssec", "www.ds-mismatch.lab", "A"});
    INFO(mismatch);
    CHECK(dig_status(mismatch) == "SERVFAIL");
    CHECK(ede_code(mismatch).has_value());
    // The rest of the world is validated as before.
    CHECK(has_flag(ask(resolver, {"+dnssec", "www.example.lab", "A"}), "ad"));
}

// Root hints of a private root and no trust anchor: the built-in anchors (the
// IANA root's keys) cannot match this root's keys, so the resolver does not
// validate at all: no AD anywhere, no SERVFAIL for the bogus names (what our
// resolver is asked to do; Unbound without a trust anchor does not validate
// either).
TEST_CASE("--root-hints without --trust-anchor: no validation at all") {
    if (stage_under_test() < 7)
        return;
    RunningResolver resolver;
    for (const auto& expected : signed_world()) {
        if (expected.outcome == Outcome::bogus && !expected.name.starts_with("www."))
            continue; // gap.nsec3-gap.lab: NXDOMAIN without validation
        INFO(expected.name << " " << expected.type);
        const std::string reply = ask(resolver, {"+dnssec", expected.name, expected.type});
        INFO(reply);
        CHECK(dig_status(reply) ==
              (expected.outcome == Outcome::bogus ? "NOERROR" : expected.rcode));
        CHECK_FALSE(has_flag(reply, "ad"));
    }
}
