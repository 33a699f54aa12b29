// Stage 3's end-to-end tests: real lookups in the local test bed (Knot DNS on
// 127.53.x.y), asked with real dig, checked against what the authoritative
// servers themselves say. They run against stage 3 and every later stage.

#include "common/testing/dig_output.hpp"
#include "common/testing/resolver_under_test.hpp"

#include <doctest/doctest.h>
#include <fstream>
#include <set>

using namespace dns;
using namespace dns::testing;

namespace {

using Clock = std::chrono::steady_clock;

// Asks the resolver; fails the test if dig got no reply at all.
// The resolver's answer must be the authoritative server's answer: the same
// records, with TTLs no larger than the zone's.
void check_same_answer(RunningResolver& resolver, const std::string& name,
                       const std::string& authoritative_server) {
    const std::string ours = ask(resolver, {name, "A"});
    const CommandResult theirs = run_command(dig_authoritative(authoritative_server, {name, "A"}));
    INFO("resolver:\n" << ours << "\nauthoritative server:\n" << theirs.output);
    CHECK(dig_status(ours) == "NOERROR");
    const auto expected = dig_section(theirs.output, "ANSWER");
    const auto answered = dig_section(ours, "ANSWER");
    REQUIRE_FALSE(expected.empty());
    CHECK(record_keys(answered) == record_keys(expected));
    for (const auto& record : answered)
        for (const auto& zone_record : expected)
            if (record.key() == zone_record.key())
                CHECK(record.ttl <= zone_record.ttl);
}

} // namespace

TEST_CASE("an A question is answered with exactly the zone's A records") {
    RunningResolver resolver;
    check_same_answer(resolver, "www.example.lab", "127.53.10.1");
    check_same_answer(resolver, "multi.example.lab", "127.53.10.1");     // three records
    check_same_answer(resolver, "short.example.lab", "127.53.10.1");     // TTL 60
    check_same_answer(resolver, "Example.LAB", "127.53.10.2");           // the apex, any case
    check_same_answer(resolver, "www.dept.school.learn", "127.53.12.1"); // three levels down
    check_same_answer(resolver, "library.school.learn", "127.53.11.1");
}

TEST_CASE("a referral without glue: the name server's address is looked up first") {
    RunningResolver resolver({"--trace"});
    check_same_answer(resolver, "www.noglue.lab", "127.53.13.2");
    CHECK(resolver.printed("referral to noglue.lab.: ns.hosting.learn. (no glue)"));
    CHECK(resolver.printed("no glue for ns.hosting.learn.: looking up its address"));
    CHECK(resolver.printed("answer: ns.hosting.learn. 1800 IN A 127.53.13.2"));
    CHECK(resolver.printed("ask ns.hosting.learn. (127.53.13.2:" + testbed_port() + ")"));
}

TEST_CASE("the trace shows the walk from the root down, zone by zone") {
    RunningResolver resolver({"--trace"});
    ask(resolver, {"www.dept.school.learn", "A"});
    const std::string port = testbed_port();
    REQUIRE(resolver.printed("answer: www.dept.school.learn. 900 IN A 198.51.100.180"));
    const std::string& output = resolver.process().output();
    // Stage 7 tells the root only the last label of the name (QNAME
    // minimisation, RFC 9156); stages 3 to 6 tell every server the whole name.
    const std::string root_question =
        stage_under_test() >= 7 ? "learn. A" : "www.dept.school.learn. A";
    // Each step in order: who was asked, and where it sent us.
    const std::vector<std::string> steps{
        "ask a.root-servers.test. (127.53.0.1:" + port + ") for " + root_question,
        "referral to learn.: ns1.nic.learn. (127.53.2.1)",
        "ask ns1.nic.learn. (127.53.2.1:" + port + ")",
        "referral to school.learn.: ns.school.learn. (127.53.11.1)",
        "ask ns.school.learn. (127.53.11.1:" + port + ")",
        "referral to dept.school.learn.: ns.dept.school.learn. (127.53.12.1)",
        "ask ns.dept.school.learn. (127.53.12.1:" + port + ")",
        "answer: www.dept.school.learn. 900 IN A 198.51.100.180",
    };
    size_t at = 0;
    for (const auto& step : steps) {
        INFO("step: " << step << "\noutput:\n" << output);
        at = output.find(step, at);
        REQUIRE(at != std::string::npos);
    }
}

TEST_CASE("NXDOMAIN and NODATA reach the client with the right rcode") {
    RunningResolver resolver;
    const std::string nxdomain = ask(resolver, {"nope.example.lab", "A"});
    CHECK(dig_status(nxdomain) == "NXDOMAIN");
    CHECK(dig_section(nxdomain, "ANSWER").empty());
    const std::string nodata = ask(resolver, {"v6only.example.lab", "A"});
    CHECK(dig_status(nodata) == "NOERROR");
    CHECK(dig_section(nodata, "ANSWER").empty());
    const std::string no_tld = ask(resolver, {"www.example.nosuchtld", "A"});
    CHECK(dig_status(no_tld) == "NXDOMAIN");
}

TEST_CASE("the response: same ID and question, QR and RA set, RD copied") {
    RunningResolver resolver;
    const std::string recursive = ask(resolver, {"WWW.example.lab", "A"});
    CHECK(dig_flags(recursive) == "qr rd ra");
    // dig checks the ID and the question itself and says so when they differ.
    CHECK(recursive.find("WARNING") == std::string::npos);
    CHECK(recursive.find(";WWW.example.lab.\t\tIN\tA") != std::string::npos);
    const std::string not_recursive = ask(resolver, {"+norecurse", "www.example.lab", "A"});
    CHECK(dig_flags(not_recursive) == "qr ra");
}

TEST_CASE("upstream queries have random IDs and random source ports, and RD=0") {
    // From stage 7 on, the cache would answer the last three lookups: it is
    // switched off, so that each one walks down from the root again.
    RunningResolver resolver(stage_under_test() >= 7
                                 ? std::vector<std::string>{"--trace", "--cache-size", "0"}
                                 : std::vector<std::string>{"--trace"});
    for (int i = 0; i < 4; ++i)
        ask(resolver, {"www.example.lab", "A"});
    const std::string& output = resolver.process().output();
    // Each query sent is traced as "(query ID 4711, from port 40000)".
    std::set<std::string> ids, ports;
    int queries = 0;
    const std::string id_marker = "(query ID ", port_marker = ", from port ";
    for (size_t at = output.find(id_marker); at != std::string::npos;
         at = output.find(id_marker, at + 1), ++queries) {
        const size_t id_start = at + id_marker.size();
        const size_t port_start = output.find(port_marker, id_start) + port_marker.size();
        ids.insert(output.substr(id_start, output.find(',', id_start) - id_start));
        ports.insert(output.substr(port_start, output.find(')', port_start) - port_start));
    }
    CHECK(queries == 12); // 4 lookups, 3 servers each
    // Random 16-bit values: 12 draws may repeat, but hardly more than once.
    CHECK(ids.size() >= 10);
    CHECK(ports.size() >= 10);
}

TEST_CASE("questions this stage does not serve get a clear rcode, never silence") {
    RunningResolver resolver;
    CHECK(dig_status(ask(resolver, {"version.bind", "CH", "TXT"})) == "REFUSED");
    CHECK(dig_status(ask(resolver, {"+opcode=status", "www.example.lab"})) == "NOTIMP");
    if (stage_under_test() < 6) // stage 6 answers every type
        CHECK(dig_status(ask(resolver, {"www.example.lab", "MX"})) == "NOTIMP");
    // And it goes on serving.
    CHECK(dig_status(ask(resolver, {"www.example.lab", "A"})) == "NOERROR");
}

TEST_CASE("a server that never answers: SERVFAIL within the deadline, and serving goes on") {
    RunningResolver resolver({"--trace"});
    const auto started = Clock::now();
    const std::string dead = ask(resolver, {"www.dead.lab", "A"});
    const auto elapsed = Clock::now() - started;
    CHECK(dig_status(dead) == "SERVFAIL");
    CHECK(elapsed < 6s); // the resolver's deadline is 4 s; generous on a loaded machine
    CHECK(resolver.printed("no reply within"));
    CHECK(dig_status(ask(resolver, {"www.example.lab", "A"})) == "NOERROR");
}

TEST_CASE("a lame delegation (REFUSED) ends in SERVFAIL, not in a wait") {
    RunningResolver resolver({"--trace"});
    const auto started = Clock::now();
    CHECK(dig_status(ask(resolver, {"www.lame.lab", "A"})) == "SERVFAIL");
    CHECK(Clock::now() - started < 3s);
    CHECK(resolver.printed("the server answered REFUSED"));
}

TEST_CASE("root hints that cannot be used: one line, exit status 1") {
    const std::string path = "/tmp/bad-root-hints-" + std::to_string(::getpid());
    std::ofstream(path) << ". 3600000 NS a.root-servers.test.\na.root-servers.test. A 999.1.1.1\n";
    // The hints given last win: the harness's test-bed hints come first.
    ChildProcess resolver(resolver_command({"--listen", "127.0.0.1:0", "--root-hints", path}));
    const auto status = resolver.wait_for_exit(10s);
    std::remove(path.c_str());
    REQUIRE(status.has_value());
    CHECK(*status == 1);
    CHECK(resolver.output().starts_with("error: root hints: " + path + ": line 2:"));
}
