// QNAME minimisation (RFC 9156) end to end, in the test bed: what each server
// was told, as the resolver's trace says it asked it and as the scripted
// responder logs it received it; and the same answers with it on and off.
//
// Knot keeps no log of the queries it gets (that takes its dnstap module,
// which the test bed's package does not have): for the Knot servers (the root,
// the TLDs) the trace says what was sent them; the scripted responder, which
// logs every query, shows what a server of a zone really received.

#include "common/testing/dig_output.hpp"
#include "common/testing/resolver_under_test.hpp"

#include <algorithm>
#include <cstdlib>
#include <doctest/doctest.h>
#include <random>
#include <sstream>

using namespace dns;
using namespace dns::testing;

namespace {

// What each server address was told, from the trace lines
// "ask NAME (ADDRESS:PORT) for QNAME QTYPE" printed after `from`, in order.
std::vector<std::pair<std::string, std::string>> questions_sent(RunningResolver& resolver,
                                                                size_t from) {
    std::vector<std::pair<std::string, std::string>> sent;
    std::istringstream lines(resolver.process().output().substr(from));
    std::string line;
    while (std::getline(lines, line)) {
        const size_t ask_at = line.find("ask ");
        const size_t open = line.find(" (", ask_at);
        const size_t close = line.find(") for ", open);
        if (ask_at == std::string::npos || open == std::string::npos || close == std::string::npos)
            continue;
        const std::string address = line.substr(open + 2, line.rfind(':', close) - open - 2);
        sent.emplace_back(address, line.substr(close + 6));
    }
    return sent;
}

// The questions the addresses in `servers` were told.
std::vector<std::string> told(const std::vector<std::pair<std::string, std::string>>& sent,
                              const std::vector<std::string>& servers) {
    std::vector<std::string> questions;
    for (const auto& [address, question] : sent)
        if (std::find(servers.begin(), servers.end(), address) != servers.end())
            questions.push_back(question);
    return questions;
}

const std::vector<std::string> root_servers = {"127.53.0.1", "127.53.0.2"};
const std::vector<std::string> learn_servers = {"127.53.2.1"};
const std::vector<std::string> lab_servers = {"127.53.1.1", "127.53.1.2"};

// The scripted responder's log: one line per query it received.
std::string responder_log() {
    const char* testbed = std::getenv("TESTBED_DIR");
    REQUIRE_MESSAGE(testbed != nullptr, "TESTBED_DIR is not set");
    const auto bytes = read_file_bytes(std::string(testbed) + "/scripted-responder/log");
    return {bytes.begin(), bytes.end()};
}

// A label no earlier run of the tests has used.
std::string fresh_label(const std::string& prefix) {
    std::random_device random;
    return prefix + "-" + std::to_string(random() % 1000000000);
}

} // namespace

TEST_CASE("the root and the TLD servers are told one label, never the whole name") {
    RunningResolver resolver({"--trace", "--threads", "1"});
    size_t from = resolver.mark();
    CHECK(dig_status(ask(resolver, {"www.dept.school.learn", "A"})) == "NOERROR");
    REQUIRE(resolver.printed("answer: www.dept.school.learn.", 5s, from));
    auto sent = questions_sent(resolver, from);
    CHECK(told(sent, root_servers) == std::vector<std::string>{"learn. A"});
    CHECK(told(sent, learn_servers) == std::vector<std::string>{"school.learn. A"});
    CHECK(told(sent, {"127.53.12.1"}) == std::vector<std::string>{"www.dept.school.learn. A"});
    // The type is hidden too: an MX question, and the root is asked for an address.
    from = resolver.mark();
    CHECK(dig_status(ask(resolver, {"example.lab", "MX"})) == "NOERROR");
    REQUIRE(resolver.printed("answer: example.lab.", 5s, from));
    sent = questions_sent(resolver, from);
    CHECK(told(sent, root_servers) == std::vector<std::string>{"lab. A"});
    CHECK(told(sent, lab_servers) == std::vector<std::string>{"example.lab. MX"});
}

TEST_CASE("at the scripted responder: a zone's server is asked one label more, then the rest") {
    // only-good.lab.'s one server is the responder, which has an address for
    // every name: the name on the way has records, and is no zone cut.
    for (const bool minimising : {true, false}) {
        CAPTURE(minimising);
        RunningResolver resolver({"--qname-minimisation", minimising ? "on" : "off"});
        const std::string middle = fresh_label("qmin") + ".only-good.lab.";
        const std::string name = "host." + middle;
        CHECK(dig_status(ask(resolver, {name, "MX"})) == "NOERROR");
        const std::string log = responder_log();
        // "... query ID 4711 for NAME TYPE -> ..."
        const size_t first = log.find(" for " + middle + " A ");
        const size_t whole = log.find(" for " + name + " MX ");
        CHECK(whole != std::string::npos);
        if (minimising)
            CHECK(first < whole);
        else
            CHECK(first == std::string::npos);
    }
}

TEST_CASE("the same answers with QNAME minimisation on and off") {
    RunningResolver minimising;
    RunningResolver whole({"--qname-minimisation", "off"});
    // Referrals, a name below an empty non-terminal (_udp.example.lab), CNAME
    // chains across zones, NXDOMAIN and NODATA, a glueless delegation, DS
    // (the parent's), a signed zone, and a lame delegation.
    const std::vector<std::vector<std::string>> questions = {
        {"www.example.lab", "A"},
        {"www.dept.school.learn", "A"},
        {"_sip._udp.example.lab", "SRV"},
        {"_udp.example.lab", "A"},
        {"chain1.example.lab", "A"},
        {"dangling.example.lab", "A"},
        {"nope.school.learn", "A"},
        {"deep.nope.school.learn", "A"},
        {"v6only.example.lab", "A"},
        {"www.noglue.lab", "A"},
        {"example.lab", "DS"},
        {"example.lab", "MX"},
        {"www.nsec3.lab", "A"},
        {"x.y.z.nsec.lab", "A"},
        {"www.lame.lab", "A"},
        {"mail.school.learn", "TXT"},
    };
    for (const auto& question : questions) {
        CAPTURE(question[0] + " " + question[1]);
        const std::string ours = ask(minimising, question);
        const std::string theirs = ask(whole, question);
        CHECK(dig_status(ours) == dig_status(theirs));
        CHECK(answer_keys(ours) == answer_keys(theirs));
    }
}
