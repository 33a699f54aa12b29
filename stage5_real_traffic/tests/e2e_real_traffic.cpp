// Stage 5's end-to-end tests: what real clients send, and what real servers
// reply, in the test bed. They run against stage 5 and every later stage.

#include "common/tcp_socket.hpp"
#include "common/testing/dig_output.hpp"
#include "common/testing/resolver_under_test.hpp"
#include "common/udp_socket.hpp"

#include <doctest/doctest.h>
#include <fstream>
#include <unistd.h>

using namespace dns;
using namespace dns::testing;

namespace {

std::set<std::string> addresses(const std::string& dig_output) {
    std::set<std::string> found;
    for (const auto& record : dig_section(dig_output, "ANSWER"))
        if (record.type == "A")
            found.insert(record.data);
    return found;
}

// Sends raw bytes and waits (at most `wait`) for whatever comes back.
std::optional<std::vector<uint8_t>> send_and_wait(const RunningResolver& resolver,
                                                  const std::vector<uint8_t>& request,
                                                  std::chrono::milliseconds wait = 3000ms) {
    const auto socket = UdpSocket::bind(SocketAddress::parse("127.0.0.1:0"));
    socket.send_to(request, resolver.address());
    std::vector<uint8_t> buffer(UdpSocket::max_datagram_size);
    const auto datagram = socket.receive(buffer, wait);
    if (!datagram)
        return std::nullopt;
    buffer.resize(datagram->size);
    return buffer;
}

uint8_t rcode_of(const std::vector<uint8_t>& response) {
    return response.at(3) & 0x0F;
}

// ID 0xbeef, RD, one question for www.example.lab A.
std::vector<uint8_t> plain_query() {
    std::vector<uint8_t> bytes{0xbe, 0xef, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0};
    for (const uint8_t byte :
         std::initializer_list<uint8_t>{3,   'w', 'w', 'w', 7,   'e', 'x', 'a', 'm', 'p', 'l',
                                        'e', 3,   'l', 'a', 'b', 0,   0,   1,   0,   1})
        bytes.push_back(byte);
    return bytes;
}

} // namespace

TEST_CASE("EDNS: a query with an OPT record gets one back; an unknown version BADVERS") {
    RunningResolver resolver;
    const std::string with_edns = ask(resolver, {"www.example.lab", "A"});
    CHECK(dig_status(with_edns) == "NOERROR");
    CHECK(with_edns.find("; EDNS: version: 0, flags:; udp: 1232") != std::string::npos);
    const std::string without = ask(resolver, {"+noedns", "www.example.lab", "A"});
    CHECK(without.find("EDNS") == std::string::npos);
    const std::string version1 =
        ask(resolver, {"+edns=1", "+noednsnegotiation", "www.example.lab", "A"});
    CHECK(dig_status(version1) == "BADVERS");
}

TEST_CASE("a malformed query gets FORMERR with its ID; a response or a runt gets nothing") {
    RunningResolver resolver;
    auto trailing = plain_query();
    trailing.push_back(0x00);
    const auto formerr = send_and_wait(resolver, trailing);
    REQUIRE(formerr);
    CHECK(formerr->at(0) == 0xbe);
    CHECK(formerr->at(1) == 0xef);
    CHECK(rcode_of(*formerr) == 1);

    auto pointer_loop = plain_query();
    pointer_loop.resize(12);
    for (const uint8_t byte : std::initializer_list<uint8_t>{0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01})
        pointer_loop.push_back(byte);
    const auto loop = send_and_wait(resolver, pointer_loop);
    REQUIRE(loop);
    CHECK(rcode_of(*loop) == 1);

    auto response = plain_query();
    response[2] |= 0x80; // QR=1
    CHECK_FALSE(send_and_wait(resolver, response, 700ms));
    CHECK_FALSE(send_and_wait(resolver, {0xbe, 0xef, 0x01}, 700ms));
    const auto still = send_and_wait(resolver, plain_query());
    REQUIRE(still);
    CHECK(rcode_of(*still) == 0);
}

TEST_CASE("TCP: a client can ask over TCP, several questions on one connection") {
    RunningResolver resolver;
    const std::string tcp = ask(resolver, {"+tcp", "www.example.lab", "A"});
    CHECK(dig_status(tcp) == "NOERROR");
    CHECK(addresses(tcp) == std::set<std::string>{"192.0.2.80"});
    const CommandResult two = run_command(
        dig_command(resolver, {"+tcp", "+keepopen", "www.example.lab", "short.example.lab"}), 20s);
    CHECK(two.output.find("192.0.2.80") != std::string::npos);
    CHECK(two.output.find("192.0.2.60") != std::string::npos);
}

TEST_CASE("a TCP client that sends nothing does not hold up the UDP clients") {
    RunningResolver resolver;
    // One client sends one byte of a length prefix, then nothing; the next one
    // connects and sends nothing at all. They are served one after the other.
    const auto slow = TcpConnection::connect(resolver.address(), 2s);
    const std::vector<uint8_t> one_byte{0x00};
    slow.send_all(one_byte, 1s);
    const auto silent = TcpConnection::connect(resolver.address(), 2s);
    const auto started = std::chrono::steady_clock::now();
    const std::string answer = ask(resolver, {"www.example.lab", "A"});
    CHECK(addresses(answer) == std::set<std::string>{"192.0.2.80"});
    // Before this stage's event loop, a silent TCP client stalled UDP for 5 s.
    CHECK(std::chrono::steady_clock::now() - started < 2500ms);
}

TEST_CASE("an answer too big for the client is truncated, and whole over TCP") {
    RunningResolver resolver({"--trace"});
    // many.example.lab has 100 A records, 1,600 bytes: Knot itself truncates them
    // in a reply to the resolver's 1232-byte EDNS query, so the resolver must ask
    // again over TCP to get them all.
    const std::string truncated = ask(resolver, {"+noedns", "+ignore", "many.example.lab", "A"});
    CHECK(dig_flags(truncated).find("tc") != std::string::npos);
    CHECK(addresses(truncated).size() < 100);
    CHECK(resolver.printed("truncated (TC=1): asking again over TCP"));
    // dig, told TC=1, asks again over TCP by itself and gets all hundred.
    const std::string whole = ask(resolver, {"many.example.lab", "A"});
    CHECK(whole.find("Truncated, retrying in TCP mode") != std::string::npos);
    CHECK(addresses(whole).size() == 100);
}

TEST_CASE("a server without EDNS is asked again without it") {
    RunningResolver resolver({"--trace"});
    const std::string answer = ask(resolver, {"www.only-no-edns.lab", "A"});
    CHECK(addresses(answer) == std::set<std::string>{"192.0.2.53"});
    CHECK(resolver.printed("FORMERR: the server may not know EDNS; asking without it"));
}

TEST_CASE("names are compared without regard to case; the client's spelling comes back") {
    RunningResolver resolver;
    const std::string answer = ask(resolver, {"WwW.ExAmPlE.LaB", "A"});
    CHECK(addresses(answer) == std::set<std::string>{"192.0.2.80"});
    CHECK(answer.find(";WwW.ExAmPlE.LaB.\t\tIN\tA") != std::string::npos);
}

TEST_CASE("real clients: kdig, drill, host and nslookup get the answer") {
    RunningResolver resolver;
    const std::string port = resolver.port();
    const CommandResult kdig =
        run_command({"kdig", "@127.0.0.1", "-p", port, "+timeout=3", "www.example.lab", "A"}, 20s);
    CHECK(kdig.output.find("www.example.lab.    \t3600\tIN\tA\t192.0.2.80") != std::string::npos);
    const CommandResult drill =
        run_command({"drill", "-p", port, "www.example.lab", "@127.0.0.1"}, 20s);
    CHECK(drill.output.find("192.0.2.80") != std::string::npos);
    CHECK(drill.output.find("rcode: NOERROR") != std::string::npos);
    const CommandResult host =
        run_command({"host", "-t", "A", "-p", port, "www.example.lab", "127.0.0.1"}, 20s);
    CHECK(host.output.find("www.example.lab has address 192.0.2.80") != std::string::npos);
    const CommandResult nslookup =
        run_command({"nslookup", "-port=" + port, "www.example.lab", "127.0.0.1"}, 20s);
    CHECK(nslookup.output.find("Address: 192.0.2.80") != std::string::npos);
}

TEST_CASE("the C library's own stub resolver, through a resolv.conf that names the resolver") {
    // getaddrinfo() reads /etc/resolv.conf, which can only name port 53. The test
    // runs the resolver on 127.77.0.1:53 and gives getent a resolv.conf of its
    // own in a private mount namespace (unshare --mount), which needs root.
    if (::geteuid() != 0) {
        MESSAGE("not root: the stub-resolver test needs port 53 and a mount namespace; skipped");
        return;
    }
    RunningResolver resolver({}, "127.77.0.1:53");
    const std::string resolv_conf = "/tmp/e2e-resolv.conf-" + std::to_string(::getpid());
    std::ofstream(resolv_conf) << "nameserver 127.77.0.1\noptions attempts:1 timeout:4\n";
    const CommandResult getent = run_command(
        {"unshare", "--mount", "sh", "-c",
         "mount --bind " + resolv_conf + " /etc/resolv.conf && getent ahostsv4 www.example.lab"},
        20s);
    std::remove(resolv_conf.c_str());
    INFO(getent.output);
    CHECK(getent.exit_status == 0);
    CHECK(getent.output.starts_with("192.0.2.80      STREAM www.example.lab"));
}
