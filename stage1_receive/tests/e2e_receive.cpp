// Stage 1's end-to-end tests: a real resolver process, real dig, real datagrams.
// They run against stage 1 and every later stage (see common/tools/run_tests.sh).

#include "common/testing/resolver_under_test.hpp"
#include "common/udp_socket.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <fstream>
#include <unistd.h>

using namespace dns;
using namespace dns::testing;

namespace {

size_t count_lines(const std::string& text) {
    return std::count(text.begin(), text.end(), '\n');
}

// A startup failure must be one clear line and exit status 1: no abort, no trace.
void check_one_line_failure(const std::vector<std::string>& arguments,
                            const std::string& expected) {
    ChildProcess resolver(resolver_command(arguments));
    const auto status = resolver.wait_for_exit(10s);
    REQUIRE(status.has_value());
    CHECK(*status == 1);
    const std::string& output = resolver.output();
    INFO("output: " << output);
    CHECK(output.find(expected) != std::string::npos);
    CHECK(output.starts_with("error: "));
    CHECK(count_lines(output) == 1);
    CHECK(output.find("terminate called") == std::string::npos);
}

// Stages 1 and 2 print every datagram in hex. From stage 3 on the lookup's own
// output takes that place, and --hexdump brings the dump back (stage 3's LESSON.md).
std::vector<std::string> hexdump_flag() {
    if (stage_under_test() >= 3)
        return {"--hexdump"};
    return {};
}

bool machine_has_ipv6_loopback() {
    try {
        UdpSocket::bind(SocketAddress::parse("[::1]:0"));
        return true;
    } catch (const SocketError&) {
        return false;
    }
}

} // namespace

TEST_CASE("it says where it is bound and how to send it a query") {
    RunningResolver resolver;
    CHECK(resolver.address().port() != 0);
    CHECK(resolver.printed("Bound to 127.0.0.1:" + resolver.port() + "\n"));
    CHECK(resolver.printed("dig @127.0.0.1 -p " + resolver.port()));
}

TEST_CASE("by default it binds 0.0.0.0 and the OS picks the port, as in the article") {
    RunningResolver resolver({}, "");
    CHECK(resolver.printed("Bound to 0.0.0.0:" + resolver.port() + "\n"));
    CHECK(resolver.address().port() != 0);
    CHECK(resolver.printed("dig @127.0.0.1 -p " + resolver.port()));
}

TEST_CASE("a query from dig arrives whole: its length and its bytes") {
    RunningResolver resolver(hexdump_flag());
    // Without EDNS, dig's query for example.com/A is 29 bytes: a 12-byte header,
    // the name in 13 bytes (7example3com0), then type and class (2 bytes each).
    ChildProcess dig(dig_command(resolver, {"+noedns", "example.com", "A"}));
    REQUIRE(resolver.printed("Received 29 bytes from 127.0.0.1:"));
    // The name starts at offset 12; the second line of the dump holds the rest of
    // it, the type (00 01, A) and the class (00 01, IN).
    CHECK(resolver.printed(
        "0010  6d 70 6c 65 03 63 6f 6d  00 00 01 00 01           |mple.com.....|\n"));
    CHECK(resolver.printed("00 01 00 00  00 00 00 00 07 65 78 61  |"));
}

TEST_CASE("an empty datagram and the largest one are received and shown") {
    RunningResolver resolver(hexdump_flag());
    send_datagram(resolver.address(), {});
    CHECK(resolver.printed("Received 0 bytes from 127.0.0.1:"));

    // The largest UDP payload IPv4 can carry: 65,535 minus the IP and UDP headers.
    std::vector<uint8_t> largest(65507, 'x');
    largest.back() = '!';
    const size_t mark = resolver.mark();
    send_datagram(resolver.address(), largest);
    CHECK(resolver.printed("Received 65507 bytes from 127.0.0.1:", 10s, mark));
    // Offsets 0 to 65506 = 0xffe2: the last line starts at offset ffe0 and holds three bytes.
    CHECK(resolver.printed("ffe0  78 78 21  ", 10s, mark));
    CHECK(resolver.printed("|xx!|\n", 10s, mark));
}

TEST_CASE("it keeps serving after any datagram") {
    RunningResolver resolver(hexdump_flag());
    const std::vector<uint8_t> junk{0xff, 0x00, 0xff};
    send_datagram(resolver.address(), junk);
    send_datagram(resolver.address(), {});
    const std::vector<uint8_t> after{'s', 't', 'i', 'l', 'l', ' ', 'h', 'e', 'r', 'e'};
    send_datagram(resolver.address(), after);
    CHECK(resolver.printed("|still here|"));
    CHECK(resolver.process().is_running());
}

TEST_CASE("IPv6: it listens on [::1] and receives dig's query there") {
    if (!machine_has_ipv6_loopback()) {
        MESSAGE("this machine has no IPv6 loopback: skipped");
        return;
    }
    RunningResolver resolver({}, "[::1]:0");
    CHECK(resolver.printed("Bound to [::1]:" + resolver.port() + "\n"));
    CHECK(resolver.printed("dig @::1 -p " + resolver.port()));
    ChildProcess dig(dig_command(resolver, {"+noedns", "example.com"}));
    CHECK(resolver.printed("Received 29 bytes from [::1]:"));
}

TEST_CASE("a port already in use is one clear line and exit status 1") {
    const auto taken = UdpSocket::bind(SocketAddress::parse("127.0.0.1:0"));
    const std::string address = taken.local_address().to_string();
    check_one_line_failure({"--listen", address},
                           "cannot bind UDP socket to " + address + ": Address already in use");
    check_one_line_failure({"--listen", address}, "choose another port");
}

TEST_CASE("an address that is not this machine's is one clear line and exit status 1") {
    // 192.0.2.0/24 is reserved for documentation (RFC 5737): never a local address.
    // Binding fails at once; nothing is sent anywhere.
    check_one_line_failure({"--listen", "192.0.2.1:5353"}, "Cannot assign requested address");
}

TEST_CASE("an address that is not an address is one clear line and exit status 1") {
    check_one_line_failure({"--listen", "999.1.2.3:53"},
                           "'999.1.2.3' is not an IPv4 or IPv6 address");
    check_one_line_failure({"--listen", "127.0.0.1"}, "ADDRESS:PORT");
}

TEST_CASE("port 53 without privilege is one clear line that says what to do") {
    // Ports below net.ipv4.ip_unprivileged_port_start need root. As root, the test
    // runs the resolver as the unprivileged user 'nobody' to see what a user sees.
    int first_unprivileged = 1024;
    std::ifstream("/proc/sys/net/ipv4/ip_unprivileged_port_start") >> first_unprivileged;
    if (first_unprivileged <= 53) {
        MESSAGE("this machine lets anyone bind port 53: skipped");
        return;
    }
    std::vector<std::string> argv = resolver_command({"--listen", "127.0.0.1:53"});
    if (::geteuid() == 0)
        argv.insert(argv.begin(), {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
    ChildProcess resolver(argv);
    const auto status = resolver.wait_for_exit(10s);
    REQUIRE(status.has_value());
    const std::string& output = resolver.output();
    INFO("output: " << output);
    CHECK(*status == 1);
    CHECK(output ==
          "error: cannot bind UDP socket to 127.0.0.1:53: Permission denied - ports below 1024 "
          "are reserved for root (or CAP_NET_BIND_SERVICE); choose a higher port, e.g. --listen "
          "127.0.0.1:5353, or port 0 to let the OS pick\n");
}
