// Stage 4's end-to-end tests: the servers that misbehave. The test bed's
// scripted responder (testbed/responder/) plays one misbehaving server for each
// zone B.lab, next to a Knot server that answers correctly (ns1.B.lab is the
// responder, ns2.B.lab is Knot), and plays the only server of only-B.lab. The
// resolver must survive each one, get the right answer when another server can
// give it, and otherwise SERVFAIL within its deadline. They run against stage 4
// and every later stage.

#include "common/testing/dig_output.hpp"
#include "common/testing/resolver_under_test.hpp"

#include <cstdlib>
#include <doctest/doctest.h>

using namespace dns;
using namespace dns::testing;

namespace {

using Clock = std::chrono::steady_clock;

struct Outcome {
    std::string status;
    std::set<std::string> addresses;
    std::chrono::milliseconds elapsed{0};
};

Outcome ask_for_address(RunningResolver& resolver, const std::string& name) {
    const auto started = Clock::now();
    const CommandResult dig = run_command(dig_command(resolver, {name, "A"}), 20s);
    Outcome outcome;
    outcome.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    outcome.status = dig_status(dig.output);
    for (const auto& record : dig_section(dig.output, "ANSWER"))
        if (record.type == "A")
            outcome.addresses.insert(record.data);
    return outcome;
}

// What the correct server (Knot, ns2.B.lab at 127.53.21.1) says www.B.lab is.
std::string address_in_zone(const std::string& name) {
    const CommandResult dig = run_command(dig_authoritative("127.53.21.1", {name, "A"}));
    const auto answer = dig_section(dig.output, "ANSWER");
    REQUIRE(answer.size() == 1);
    return answer[0].data;
}

struct Misbehaviour {
    std::string zone; // www.<zone> and www.only-<behaviour>.lab are asked
    std::string only_zone;
    std::string trace_says; // what the trace must show of the bad server's reply
};

// The responder's good answer, which only it gives.
const std::string responder_address = "192.0.2.53";

} // namespace

TEST_CASE("each misbehaving server is survived: the right answer from the other server") {
    const std::vector<Misbehaviour> cases{
        {"silent.lab", "only-silent.lab", "no reply within"},
        {"lame-noaa.lab", "only-lame.lab", "not authoritative (a lame server)"},
        {"truncating.lab", "only-truncating.lab", "TC=1"},
        {"wrong-address.lab", "only-wrong-address.lab", "ignored a datagram from 127.53.20.105"},
        {"wrong-id.lab", "only-wrong-id.lab", "ignored a reply with ID"},
        {"wrong-question.lab", "only-wrong-question.lab", "ignored a reply to another question"},
        {"garbage.lab", "only-garbage.lab", "ignored a"},
        {"servfail.lab", "only-servfail.lab", "the server answered SERVFAIL"},
        {"refused.lab", "only-refused.lab", "the server answered REFUSED"},
    };
    RunningResolver resolver({"--trace"});
    for (const auto& misbehaviour : cases) {
        const std::string name = "www." + misbehaviour.zone;
        INFO(name);
        const size_t mark = resolver.mark();
        const Outcome outcome = ask_for_address(resolver, name);
        CHECK(outcome.status == "NOERROR");
        CHECK(outcome.addresses == std::set<std::string>{address_in_zone(name)});
        // One server's timeout (1 s) at most, with room for a loaded machine.
        CHECK(outcome.elapsed < 3s);
        CHECK(resolver.printed(misbehaviour.trace_says, 1s, mark));
    }
}

TEST_CASE("a misbehaving server alone: SERVFAIL within the deadline, and serving goes on") {
    RunningResolver resolver;
    for (const std::string zone :
         {"only-silent.lab", "only-lame.lab", "only-truncating.lab", "only-wrong-address.lab",
          "only-wrong-id.lab", "only-wrong-question.lab", "only-garbage.lab", "only-servfail.lab",
          "only-refused.lab", "only-very-slow.lab"}) {
        INFO(zone);
        const Outcome outcome = ask_for_address(resolver, "www." + zone);
        CHECK(outcome.status == "SERVFAIL");
        CHECK(outcome.addresses.empty());
        CHECK(outcome.elapsed < 6s); // the resolver's deadline is 4 s
    }
    const Outcome after = ask_for_address(resolver, "www.example.lab");
    CHECK(after.status == "NOERROR");
    CHECK(after.addresses == std::set<std::string>{"192.0.2.80"});
}

TEST_CASE("a slow server is waited for, up to the timeout") {
    RunningResolver resolver;
    const Outcome slow = ask_for_address(resolver, "www.only-slow.lab"); // answers after 300 ms
    CHECK(slow.status == "NOERROR");
    CHECK(slow.addresses == std::set<std::string>{responder_address});
    CHECK(slow.elapsed >= 300ms);
    // Where a correct server answers at once, the slow one may still answer first
    // (it is asked first): either answer is right, and neither takes long.
    const Outcome either = ask_for_address(resolver, "www.slow.lab");
    CHECK(either.status == "NOERROR");
    CHECK(either.elapsed < 3s);
}

TEST_CASE("an empty reply without AA from a server that offers no recursion is NODATA") {
    // The responder at only-nodata-noaa.lab answers NOERROR, AA=0, RA=0, no
    // records and no SOA. Unbound, Knot Resolver and PowerDNS Recursor take
    // that as NODATA from the zone's own server, not as a lame server.
    RunningResolver resolver({"--trace"});
    const Outcome outcome = ask_for_address(resolver, "www.only-nodata-noaa.lab");
    CHECK(outcome.status == "NOERROR");
    CHECK(outcome.addresses.empty());
    CHECK(outcome.elapsed < 3s);
    CHECK(resolver.printed("NODATA", 1s));
}

TEST_CASE("the control: the responder's own good answer is taken") {
    RunningResolver resolver;
    const Outcome good = ask_for_address(resolver, "www.only-good.lab");
    CHECK(good.status == "NOERROR");
    CHECK(good.addresses == std::set<std::string>{responder_address});
}

TEST_CASE("a server that does not know EDNS still gets asked in a way it understands") {
    RunningResolver resolver;
    const Outcome outcome = ask_for_address(resolver, "www.only-no-edns.lab");
    CHECK(outcome.status == "NOERROR");
    CHECK(outcome.addresses == std::set<std::string>{responder_address});
}

TEST_CASE("the test bed starts and stops a world of its own, leaving nothing behind") {
    const std::string rundir = "/tmp/e2e-testbed-" + std::to_string(::getpid());
    // Below the ephemeral ports (32768 and up) and apart from the other test
    // beds' ports (common/tools/run_tests.sh).
    const std::string port = std::to_string(30000 + ::getpid() % 2000);
    const std::string script = "stage4_testbed/testbed/testbed.sh";
    const CommandResult started = run_command({script, "start", rundir, port}, 30s);
    INFO(started.output);
    REQUIRE(started.exit_status == 0);
    const CommandResult answer = run_command(
        {"dig", "@127.53.10.1", "-p", port, "+norecurse", "+short", "www.example.lab", "A"});
    CHECK(answer.output == "192.0.2.80\n");
    const CommandResult stopped = run_command({script, "stop", rundir}, 30s);
    CHECK(stopped.exit_status == 0);
    // No knotd with this test bed's configuration is left.
    const CommandResult left = run_command({"pgrep", "-f", "knotd -c " + rundir});
    CHECK(left.exit_status == 1);
    // Stopping again is harmless.
    CHECK(run_command({script, "stop", rundir}, 30s).exit_status == 0);
    run_command({"rm", "-rf", rundir});
}
