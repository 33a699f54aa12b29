// Stage 6's end-to-end tests: every type of question answered, CNAME chains
// followed across zones, negative answers with their SOA; and a differential
// test: for every name and type in the test bed's zones, and for names that do
// not exist, the resolver and Unbound give the same rcode and the same answer.
// They run against stage 6 and every later stage.

#include "common/testing/dig_output.hpp"
#include "common/testing/resolver_under_test.hpp"
#include "common/testing/unbound_reference.hpp"

#include <algorithm>
#include <cstdlib>
#include <doctest/doctest.h>
#include <map>
#include <sstream>

using namespace dns;
using namespace dns::testing;

namespace {

// The test bed's servers whose zones the differential test asks about, as
// named in testbed.sh (knotc reaches each through RUNDIR/<server>/knot.sock).
std::vector<std::string> knot_servers() {
    std::vector<std::string> servers = {
        "a.root-servers.test", "ns.nic.test",     "ns1.nic.lab",          "ns1.nic.learn",
        "ns1.example.lab",     "ns.school.learn", "ns.dept.school.learn", "ns1.hosting.learn",
        "ns.hosting.learn",    "ns.signed.lab",   "ns.broken.lab"};
    if (have_ipv6_loopback())
        servers.push_back("ns.ipv6.lab");
    return servers;
}

// Every (name, type) in the zones Knot serves, read from the running servers
// with knotc, and the names that do not exist: one under each zone.
std::vector<std::pair<std::string, std::string>> test_bed_questions() {
    const char* testbed = std::getenv("TESTBED_DIR");
    REQUIRE_MESSAGE(testbed != nullptr, "TESTBED_DIR is not set");
    std::set<std::pair<std::string, std::string>> questions;
    // The names of lab. that belong to Knot's zones (and lab.'s own servers).
    std::vector<std::string> knot_zones_in_lab = {"nic.lab."};
    for (const auto& [zone, addresses] : testbed_stub_zones()) {
        (void)addresses;
        if (zone != "victim.learn." || stage_under_test() >= 7) // see needs_parent_glue
            questions.insert({"does-not-exist-6." + (zone == "." ? "" : zone), "A"});
        if (zone.ends_with(".lab."))
            knot_zones_in_lab.push_back(zone);
    }
    for (const std::string& server : knot_servers()) {
        const auto read = run_command(
            {"knotc", "-s", std::string(testbed) + "/" + server + "/knot.sock", "zone-read", "--"});
        REQUIRE(read.exit_status == 0);
        std::istringstream lines(read.output);
        std::string line;
        while (std::getline(lines, line)) {
            std::istringstream fields(line);
            std::string zone, name, ttl, type;
            if (!(fields >> zone >> name >> ttl >> type))
                continue;
            // The misbehaving servers' zones (every name of lab. but its own
            // and those of the zones Knot serves): the scripted responder
            // makes them slow or silent, and is tested in stage 4.
            const bool misbehaving =
                name.ends_with(".lab.") &&
                std::none_of(knot_zones_in_lab.begin(), knot_zones_in_lab.end(),
                             [&](const std::string& zone) {
                                 return name == zone || name.ends_with("." + zone);
                             });
            // victim.learn.'s server is reached only through the parent's
            // glue for it, which stage 6 does not try (stage 7 does).
            const bool needs_parent_glue =
                stage_under_test() < 7 &&
                (name == "victim.learn." || name.ends_with(".victim.learn."));
            if (misbehaving || needs_parent_glue)
                continue;
            questions.insert({name, type});
            questions.insert({name, "TXT"}); // mostly NODATA, or a CNAME to follow
        }
    }
    return {questions.begin(), questions.end()};
}

} // namespace

TEST_CASE("every type of question is answered, as the authority has it") {
    if (stage_under_test() < 6)
        return;
    RunningResolver resolver;
    CHECK(data_of(ask(resolver, {"example.lab", "MX"}), "ANSWER", "MX") ==
          std::vector<std::string>{"example.lab. 10 mail.example.lab.",
                                   "example.lab. 20 mail.school.learn."});
    CHECK(data_of(ask(resolver, {"www.example.lab", "AAAA"}), "ANSWER", "AAAA") ==
          std::vector<std::string>{"www.example.lab. 2001:db8:10::80"});
    CHECK(data_of(ask(resolver, {"_sip._udp.example.lab", "SRV"}), "ANSWER", "SRV").size() == 2);
    CHECK(data_of(ask(resolver, {"unknown.types.example.lab", "TYPE65534"}), "ANSWER", "TYPE65534")
              .size() == 2);
}

TEST_CASE("a CNAME chain is followed across zones, the whole chain in the answer") {
    if (stage_under_test() < 6)
        return;
    RunningResolver resolver;
    const std::string chain = ask(resolver, {"chain1.example.lab", "A"});
    CHECK(dig_status(chain) == "NOERROR");
    CHECK(data_of(chain, "ANSWER", "CNAME") ==
          std::vector<std::string>{"chain1.example.lab. chain2.example.lab.",
                                   "chain2.example.lab. chain3.school.learn.",
                                   "chain3.school.learn. www.dept.school.learn."});
    CHECK(data_of(chain, "ANSWER", "A") ==
          std::vector<std::string>{"www.dept.school.learn. 198.51.100.180"});
    // A loop is seen and given up on; a chain to a name that does not exist is
    // NXDOMAIN with the chain (RFC 6604).
    CHECK(dig_status(ask(resolver, {"loop1.example.lab", "A"})) == "SERVFAIL");
    const std::string dangling = ask(resolver, {"dangling.example.lab", "A"});
    CHECK(dig_status(dangling) == "NXDOMAIN");
    CHECK(data_of(dangling, "ANSWER", "CNAME").size() == 1);
    // Asked for the CNAME itself, the CNAME is the answer.
    CHECK(data_of(ask(resolver, {"chain1.example.lab", "CNAME"}), "ANSWER", "CNAME").size() == 1);
}

TEST_CASE("NODATA and NXDOMAIN carry the zone's SOA in the authority section") {
    if (stage_under_test() < 6)
        return;
    RunningResolver resolver;
    const std::string nodata = ask(resolver, {"v6only.example.lab", "A"});
    CHECK(dig_status(nodata) == "NOERROR");
    CHECK(dig_section(nodata, "ANSWER").empty());
    const auto soa = dig_section(nodata, "AUTHORITY");
    REQUIRE(soa.size() == 1);
    CHECK(soa[0].type == "SOA");
    CHECK(soa[0].name == "example.lab.");
    const std::string nxdomain = ask(resolver, {"nope.school.learn", "A"});
    CHECK(dig_status(nxdomain) == "NXDOMAIN");
    CHECK(data_of(nxdomain, "AUTHORITY", "SOA").size() == 1);
    // DS is the parent's record (RFC 4035 section 3.1.4.1): lab. answers for
    // noglue.lab (an unsigned zone), here with NODATA and lab.'s SOA.
    const std::string ds = ask(resolver, {"noglue.lab", "DS"});
    CHECK(dig_status(ds) == "NOERROR");
    const auto ds_authority = dig_section(ds, "AUTHORITY");
    REQUIRE(ds_authority.size() == 1);
    CHECK(ds_authority[0].name == "lab.");
}

// ipv6.lab's only server, ns.ipv6.lab, listens on ::1 alone, and lab. gives
// it AAAA glue and no A (RFC 3596); ipv6-noglue.lab's server is named in
// another zone, where it has an AAAA record and no A. The resolver must ask
// over IPv6, at the test bed's port like every other server.
TEST_CASE("zones whose servers have only IPv6 addresses are resolved over IPv6") {
    if (stage_under_test() < 6)
        return;
    if (!have_ipv6_loopback()) {
        MESSAGE("skipped: no IPv6 loopback (::1) on this machine, so the test bed has no IPv6 "
                "server and the resolver cannot be tested over IPv6");
        return;
    }
    RunningResolver resolver({"--trace"});
    const std::string at_ipv6_loopback = "([::1]:" + testbed_port() + ") for ";
    for (const auto& [name, address] : {std::pair{"www.ipv6.lab.", "192.0.2.160"},
                                        std::pair{"www.ipv6-noglue.lab.", "192.0.2.161"}}) {
        INFO(name);
        // What the server itself says, over IPv6.
        const auto authority = run_command(dig_authoritative("::1", {name, "A"}));
        INFO("dig @::1 printed:\n" << authority.output);
        REQUIRE(data_of(authority.output, "ANSWER", "A") ==
                std::vector<std::string>{std::string(name) + " " + address});
        const size_t from = resolver.mark();
        const std::string reply = ask(resolver, {name, "A"});
        CHECK(dig_status(reply) == "NOERROR");
        CHECK(answer_keys(reply) == answer_keys(authority.output));
        CHECK(resolver.printed(at_ipv6_loopback + name + " A", 5s, from));
    }
    // The glueless one: its server's name has no A (NODATA), so its AAAA is
    // looked up, and that address asked.
    CHECK(resolver.printed("NODATA: ns-ipv6.hosting.learn. has no A records"));
    CHECK(resolver.printed("for ns-ipv6.hosting.learn. AAAA"));
    CHECK(resolver.printed("ask ns-ipv6.hosting.learn. " + at_ipv6_loopback));
}

TEST_CASE("ANY is answered with what the authority gives (RFC 8482)") {
    if (stage_under_test() < 6)
        return;
    RunningResolver resolver;
    const std::string any = ask(resolver, {"example.lab", "ANY"});
    CHECK(dig_status(any) == "NOERROR");
    CHECK(!dig_section(any, "ANSWER").empty());
}

// The differential test. The deliberate differences are listed here and in
// LESSON.md (one so far: RRSIG or NSEC asked at an alias).
TEST_CASE("for every name and type in the test bed, the same rcode and answers as Unbound") {
    if (stage_under_test() < 6)
        return;
    RunningResolver resolver({"--quiet"});
    // Unbound as a plain iterative resolver (no validation), with QNAME
    // minimisation (RFC 9156) as the resolver under test does it: stage 7
    // minimises by default, as Unbound does (in its default relaxed mode);
    // stages 6 and before ask the whole name.
    UnboundOptions iterator_only;
    iterator_only.stub_zones = testbed_stub_zones();
    iterator_only.qname_minimisation = stage_under_test() >= 7;
    RunningUnbound unbound(iterator_only);
    const auto questions = test_bed_questions();
    CHECK(questions.size() > 150);
    std::set<std::string> aliases; // the names that have a CNAME
    for (const auto& [name, type] : questions)
        if (type == "CNAME")
            aliases.insert(name);
    size_t compared = 0;
    size_t deliberately_different = 0;
    for (const auto& [name, type] : questions) {
        INFO(name << " " << type);
        const std::string ours = ask(resolver, {name, type});
        const std::string theirs = unbound.ask({name, type});
        INFO("we said:\n" << ours << "\nUnbound said:\n" << theirs);
        ++compared;
        // Deliberate: RRSIG or NSEC asked at an alias (a name with a CNAME,
        // which may have RRSIG and NSEC beside it: RFC 2181 section 10.1, RFC
        // 4035 section 2.5; every alias of the signed example.lab. has both).
        // Unbound answers from its cache, where the earlier question for the
        // CNAME left the CNAME: it follows it, and gives the target's RRSIGs
        // or NSEC, or the target's rcode (NXDOMAIN for a dangling CNAME,
        // SERVFAIL for a loop); a fresh Unbound gives what we give. Without a
        // cache, we pass on what the authority says: the alias's own RRSIGs
        // (over its CNAME and NSEC) or its own NSEC.
        const bool same =
            dig_status(ours) == dig_status(theirs) && answer_keys(ours) == answer_keys(theirs);
        if (!same && (type == "RRSIG" || type == "NSEC") && aliases.contains(name)) {
            CHECK(dig_status(ours) == "NOERROR");
            const auto our_answer = dig_section(ours, "ANSWER");
            CHECK(!our_answer.empty());
            for (const auto& record : our_answer)
                CHECK((record.type == type && lower(record.name) == lower(name)));
            ++deliberately_different;
            continue;
        }
        CHECK(dig_status(ours) == dig_status(theirs));
        CHECK(answer_keys(ours) == answer_keys(theirs));
    }
    MESSAGE(compared << " questions compared with Unbound; " << deliberately_different
                     << " answers deliberately different (RRSIG or NSEC at an alias)");
}
