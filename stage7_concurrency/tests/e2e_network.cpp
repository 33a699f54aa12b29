// Stage 7 run for a real network: local zones, the reasons for a failure on
// the wire (EDE), failures remembered, and the new flags' mistakes, against
// the resolver running in the test bed.

#include "common/testing/dig_output.hpp"
#include "common/testing/resolver_under_test.hpp"
#include "common/udp_socket.hpp"

#include <algorithm>
#include <array>
#include <doctest/doctest.h>
#include <fstream>
#include <optional>
#include <pwd.h>
#include <random>
#include <thread>
#include <unistd.h>

using namespace dns;
using namespace dns::testing;

namespace {

using Clock = std::chrono::steady_clock;

bool has_flag(const std::string& output, const std::string& flag) {
    return (" " + dig_flags(output) + " ").find(" " + flag + " ") != std::string::npos;
}

// A label no earlier run of the tests has used.
std::string fresh_label(const std::string& prefix) {
    std::random_device random;
    return prefix + "-" + std::to_string(random() % 1000000000);
}

} // namespace

TEST_CASE("local zones are answered at once, with AA and their own SOA, asking nobody") {
    RunningResolver resolver({"--threads", "1", "--local-data",
                              "printer.home.arpa 300 IN A 192.168.1.20", "--local-data",
                              "20.1.168.192.in-addr.arpa PTR printer.home.arpa."});
    const std::string localhost = ask(resolver, {"localhost", "A"});
    CHECK(dig_status(localhost) == "NOERROR");
    CHECK(has_flag(localhost, "aa"));
    CHECK(record_keys(dig_section(localhost, "ANSWER")) ==
          std::set<std::string>{"localhost. IN A 127.0.0.1"});
    const std::string loopback6 = ask(resolver, {"www.localhost", "AAAA"});
    CHECK(record_keys(dig_section(loopback6, "ANSWER")) ==
          std::set<std::string>{"www.localhost. IN AAAA ::1"});

    const std::string reverse = ask(resolver, {"-x", "192.168.1.1"});
    CHECK(dig_status(reverse) == "NXDOMAIN");
    CHECK(has_flag(reverse, "aa"));
    CHECK(record_keys(dig_section(reverse, "AUTHORITY")) ==
          std::set<std::string>{"168.192.in-addr.arpa. IN SOA 168.192.in-addr.arpa. "
                                "nobody.invalid. 1 3600 1200 604800 10800"});
    for (const std::string name : {"x.invalid", "www.onion", "nas.home.arpa"}) {
        CAPTURE(name);
        CHECK(dig_status(ask(resolver, {name, "A"})) == "NXDOMAIN");
    }

    const std::string printer = ask(resolver, {"printer.home.arpa", "A"});
    CHECK(record_keys(dig_section(printer, "ANSWER")) ==
          std::set<std::string>{"printer.home.arpa. IN A 192.168.1.20"});
    const std::string printer_ptr = ask(resolver, {"-x", "192.168.1.20"});
    CHECK(record_keys(dig_section(printer_ptr, "ANSWER")) ==
          std::set<std::string>{"20.1.168.192.in-addr.arpa. IN PTR printer.home.arpa."});
    // Its other types: NODATA, not a lookup.
    const std::string printer_mx = ask(resolver, {"printer.home.arpa", "MX"});
    CHECK(dig_status(printer_mx) == "NOERROR");
    CHECK(dig_section(printer_mx, "ANSWER").empty());
    CHECK(dig_section(printer_mx, "AUTHORITY").size() == 1);
    // Asked again, from the fast path: still AA, still the same.
    const std::string again = ask(resolver, {"localhost", "A"});
    CHECK(has_flag(again, "aa"));
    CHECK(dig_section(again, "ANSWER").size() == 1);

    // Not one query went upstream for any of them.
    resolver.printed("Answered NOERROR", 2s);
    CHECK(resolver.process().output().find("after 1 upstream") == std::string::npos);
    CHECK(resolver.process().output().find("upstream queries in") != std::string::npos);
    const std::string output = resolver.process().output();
    for (size_t at = output.find(" after "); at != std::string::npos;
         at = output.find(" after ", at + 1))
        CHECK(output.compare(at, 21, " after 0 upstream que") == 0);
}

TEST_CASE("names outside the local zones are still looked up: test. and the rest") {
    RunningResolver resolver({"--local-zone", "example.lab=refuse"});
    CHECK(dig_status(ask(resolver, {"www.example.lab", "A"})) == "REFUSED");
    CHECK(dig_status(ask(resolver, {"www.school.learn", "A"})) == "NOERROR");
    // The test bed's test. zone is served by Knot: the default leaves it alone.
    CHECK(dig_status(ask(resolver, {"test", "SOA"})) == "NOERROR");
}

TEST_CASE("a SERVFAIL says why in an EDE; a client without EDNS gets the plain SERVFAIL") {
    RunningResolver resolver({"--threads", "1"});
    const std::string name = fresh_label("why") + ".only-silent.lab";
    const std::string failed = ask(resolver, {name, "A"});
    CHECK(dig_status(failed) == "SERVFAIL");
    INFO(failed);
    CHECK(failed.find("EDE: 22 (No Reachable Authority): (no server of only-silent.lab. gave a "
                      "usable reply)") != std::string::npos);
    const std::string plain = ask(resolver, {"+noedns", fresh_label("plain") + ".only-silent.lab"});
    CHECK(dig_status(plain) == "SERVFAIL");
    CHECK(plain.find("EDE") == std::string::npos);
    CHECK(plain.find("OPT PSEUDOSECTION") == std::string::npos);
}

TEST_CASE("REFUSED says why: a client outside the access list, a class not served") {
    RunningResolver outside({"--allow", "192.0.2.0/24"});
    const std::string refused = ask(outside, {"www.example.lab", "A"});
    CHECK(dig_status(refused) == "REFUSED");
    CHECK(refused.find("EDE: 18 (Prohibited): (refused: 127.0.0.1 is outside the access list)") !=
          std::string::npos);
    RunningResolver inside;
    const std::string chaos = ask(inside, {"version.bind", "TXT", "CH"});
    CHECK(dig_status(chaos) == "REFUSED");
    CHECK(chaos.find("EDE: 21 (Not Supported)") != std::string::npos);
}

TEST_CASE("a failed question is answered from the failure cache, then looked up again (RFC 9520)") {
    RunningResolver resolver({"--trace", "--threads", "1"});
    const std::string name = fresh_label("dead") + ".only-silent.lab";
    CHECK(dig_status(ask(resolver, {name, "A"})) == "SERVFAIL");
    REQUIRE(resolver.printed("failed (1 time(s) in a row)"));
    const size_t mark = resolver.mark();
    const auto started = Clock::now();
    const std::string held = ask(resolver, {name, "A"});
    CHECK(Clock::now() - started < 500ms); // not the silent server's 1 s timeout
    CHECK(dig_status(held) == "SERVFAIL");
    CHECK(held.find("EDE: 13 (Cached Error)") != std::string::npos);
    CHECK(resolver.printed("SERVFAIL from the failure cache (RFC 9520)", 2s, mark));
    CHECK(resolver.process().output().find("no reply within", mark) == std::string::npos);
    // After its hold (1 s), the question is looked up again, and held twice as long.
    std::this_thread::sleep_for(1100ms);
    const size_t later = resolver.mark();
    CHECK(dig_status(ask(resolver, {name, "A"})) == "SERVFAIL");
    CHECK(resolver.printed("failed (2 time(s) in a row)", 2s, later));
    CHECK(resolver.process().output().find("no reply within", later) != std::string::npos);
}

TEST_CASE("a mistake in the new flags is one line and exit status 2") {
    for (const auto& arguments : std::vector<std::vector<std::string>>{
             {"--local-data", "printer.home.arpa A 192.168.1.300"},
             {"--local-data", "printer.home.arpa 300 IN NOSUCHTYPE x"},
             {"--local-zone", "lan=transparent"},
             {"--local-zone", "example.com=nodefault"},
             {"--serve-stale", "a day"},
             {"--qname-minimisation", "yes"},
         }) {
        CAPTURE(arguments[1]);
        const CommandResult result = run_command(resolver_command(arguments), 10s);
        CHECK(result.exit_status == 2);
        CHECK(result.output.find("error: ") == 0);
        CHECK(std::count(result.output.begin(), result.output.end(), '\n') == 1);
    }
}

namespace {

// The real user ID of a running process, from /proc/PID/status ("Uid: r e s f").
long uid_of(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("Uid:", 0) == 0)
            return std::stol(line.substr(4));
    return -1;
}

// Whether it answers over UDP and over TCP.
void check_answers_over_udp_and_tcp(RunningResolver& resolver) {
    CHECK(dig_status(ask(resolver, {"www.example.lab", "A"})) == "NOERROR");
    CHECK(dig_status(ask(resolver, {"+tcp", "www.school.learn", "A"})) == "NOERROR");
}

} // namespace

TEST_CASE("started as root, it becomes nobody once its sockets are bound, and still answers") {
    if (::geteuid() != 0) {
        MESSAGE("not run as root: the drop of root is not tested");
        return;
    }
    const passwd* nobody = ::getpwnam("nobody");
    REQUIRE(nobody != nullptr);
    RunningResolver resolver;
    REQUIRE(resolver.printed("Dropped root: running as user nobody"));
    CHECK(uid_of(resolver.process().pid()) == static_cast<long>(nobody->pw_uid));
    check_answers_over_udp_and_tcp(resolver);

    RunningResolver kept({"--user", "root"});
    REQUIRE(kept.printed("Running as root (--user root): root privileges kept"));
    CHECK(uid_of(kept.process().pid()) == 0);
}

TEST_CASE("--chroot shuts it into a directory; it still answers") {
    if (::geteuid() != 0) {
        MESSAGE("not run as root: --chroot is not tested");
        return;
    }
    std::string directory = "/tmp/resolver-chroot-XXXXXX";
    REQUIRE(::mkdtemp(directory.data()) != nullptr);
    RunningResolver resolver({"--chroot", directory});
    REQUIRE(resolver.printed("shut into " + directory));
    check_answers_over_udp_and_tcp(resolver);
    std::array<char, 256> root{};
    const auto length =
        ::readlink(("/proc/" + std::to_string(resolver.process().pid()) + "/root").c_str(),
                   root.data(), root.size() - 1);
    CHECK(std::string(root.data(), length > 0 ? static_cast<size_t>(length) : 0) == directory);
    ::rmdir(directory.c_str());
}

TEST_CASE("--user with a user that does not exist: one line, exit status 2") {
    if (::geteuid() != 0)
        return; // as another user, there is no root to drop: the flag is not looked at
    const CommandResult result =
        run_command(resolver_command({"--user", "no-such-user-here"}), 10s);
    CHECK(result.exit_status == 2);
    CHECK(result.output ==
          "error: --user no-such-user-here: there is no such user on this machine\n");
}

TEST_CASE("--forward: a zone's questions go to another resolver with RD=1, the longest zone wins") {
    // The other resolver: this stage again, resolving from the test bed's root.
    RunningResolver upstream({"--threads", "1"});
    // A forwarder that never answers: a socket that reads nothing.
    const UdpSocket silent = UdpSocket::bind(SocketAddress::parse("127.0.0.1:0"));
    RunningResolver resolver({"--trace", "--threads", "1", "--forward",
                              ".=" + silent.local_address().to_string(), "--forward",
                              "lab=127.0.0.1:" + upstream.port()});
    const std::string name = fresh_label("fwd") + ".example.lab";
    const std::string answer = ask(resolver, {"www.example.lab", "A"});
    CHECK(dig_status(answer) == "NOERROR");
    CHECK(record_keys(dig_section(answer, "ANSWER")) ==
          std::set<std::string>{"www.example.lab. IN A 192.0.2.80"});
    CHECK(resolver.printed("forward to 127.0.0.1:" + upstream.port() + " (for lab.), RD=1"));
    // The other resolver was asked, with RD=1, and did the lookup itself.
    CHECK(upstream.printed("flags: rd;"));
    // Its answer: the A, and its RRSIG (example.lab is signed, and the
    // forwarder asks with DO=1, as every query upstream).
    CHECK(upstream.printed("Answered NOERROR with 2 record(s) after"));
    // Its NXDOMAIN (AA=0) is passed on, with the SOA.
    const std::string missing = ask(resolver, {name, "A"});
    CHECK(dig_status(missing) == "NXDOMAIN");
    CHECK(dig_section(missing, "AUTHORITY").size() == 1);
    // Cached as any answer: asked again, the other resolver hears nothing.
    const size_t heard = upstream.mark();
    CHECK(dig_status(ask(resolver, {"www.example.lab", "A"})) == "NOERROR");
    std::this_thread::sleep_for(200ms);
    CHECK(upstream.process().output().find("Received", heard) == std::string::npos);

    // Everything else goes to the forwarder of ".", which is silent: SERVFAIL, and why.
    const size_t mark = resolver.mark();
    const std::string failed = ask(resolver, {"+time=8", "www.school.learn", "A"});
    CHECK(dig_status(failed) == "SERVFAIL");
    CHECK(failed.find("EDE: 23 (Network Error): (the forwarder " +
                      silent.local_address().to_string() + " for . did not answer)") !=
          std::string::npos);
    CHECK(resolver.process().output().find("ask a.root-servers.test.", mark) == std::string::npos);
}

TEST_CASE("a --forward that is not ZONE=ADDRESS: one line, exit status 2") {
    for (const std::string bad : {"lab=router.home", "lab", "lab=192.0.2.1:0", "lab=[::1"}) {
        CAPTURE(bad);
        const CommandResult result = run_command(resolver_command({"--forward", bad}), 10s);
        CHECK(result.exit_status == 2);
        CHECK(result.output.find("error: --forward ") == 0);
        CHECK(std::count(result.output.begin(), result.output.end(), '\n') == 1);
    }
}

TEST_CASE("--serve-stale: an expired answer, when every server fails, with TTL 30 and EDE 3") {
    std::optional<RunningResolver> upstream(std::in_place, std::vector<std::string>{"--quiet"});
    RunningResolver resolver({"--trace", "--threads", "1", "--serve-stale", "60", "--forward",
                              "example.lab=127.0.0.1:" + upstream->port()});
    // fleeting.example.lab has a TTL of 2 seconds.
    const std::string fresh = ask(resolver, {"fleeting.example.lab", "A"});
    CHECK(record_keys(dig_section(fresh, "ANSWER")) ==
          std::set<std::string>{"fleeting.example.lab. IN A 192.0.2.2"});
    upstream.reset(); // the zone's only way in is gone
    std::this_thread::sleep_for(2500ms);
    const std::string stale = ask(resolver, {"+time=8", "fleeting.example.lab", "A"});
    CHECK(dig_status(stale) == "NOERROR");
    const auto records = dig_section(stale, "ANSWER");
    REQUIRE(records.size() == 1);
    CHECK(records[0].ttl == 30);
    CHECK(records[0].data == "192.0.2.2");
    CHECK(stale.find("EDE: 3 (Stale Answer): (stale answer, expired ") != std::string::npos);
    CHECK(resolver.printed("serving the stale answer instead"));
    // A name it never had: SERVFAIL, as without --serve-stale.
    CHECK(dig_status(ask(resolver, {"+time=8", "www.example.lab", "A"})) == "SERVFAIL");
}
