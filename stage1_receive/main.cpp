// Stage 1: receive.
//
// The run loop of every DNS server has four steps:
//   1. wait for a DNS request to arrive,
//   2. parse the request,
//   3. perform the lookup,
//   4. send the response.
// This stage does step 1 only: it binds a UDP socket and prints every datagram that
// arrives, byte for byte. dig, pointed at it, sends its query and gets no answer.

#include "common/hex_dump.hpp"
#include "common/udp_socket.hpp"
#include "options.hpp"

#include <iostream>
#include <optional>
#include <vector>

using namespace dns;

namespace {

// The dig command that sends a query to where we listen. A socket bound to the
// unspecified address (0.0.0.0 or ::) is reachable on loopback too.
std::string dig_command_for(const SocketAddress& bound) {
    std::string server = bound.ip_string();
    if (bound.is_unspecified())
        server = bound.is_ipv6() ? "::1" : "127.0.0.1";
    return "dig @" + server + " -p " + std::to_string(bound.port()) + " example.com";
}

void serve(const UdpSocket& socket) {
    // DNS over UDP limits a message to 512 bytes without EDNS (RFC 1035 section
    // 4.2.1), but anything up to the UDP maximum can arrive: receive it whole.
    std::vector<uint8_t> buffer(UdpSocket::max_datagram_size);
    for (;;) {
        // 1. Wait for a DNS request to arrive.
        const ReceivedDatagram datagram = socket.receive(buffer);
        const auto bytes = std::span<const uint8_t>(buffer).first(datagram.size);
        std::cout << "Received " << datagram.size << " bytes from " << datagram.sender.to_string()
                  << "\n"
                  << format_hex_dump(bytes) << std::endl;
    }
}

} // namespace

int main(int argc, char* argv[]) {
    Options options;
    try {
        options = parse_options(std::span(argv, static_cast<size_t>(argc)));
    } catch (const UsageError& error) {
        std::cerr << "error: " << error.what() << " (see --help)\n";
        return 1;
    }
    if (options.show_help) {
        std::cout << usage_text(argv[0]);
        return 0;
    }

    std::optional<UdpSocket> socket;
    try {
        socket = UdpSocket::bind(options.listen);
    } catch (const SocketError& error) {
        // The most common first failure: port 53 without privileges. Say what
        // happened and what to do, in one line, and exit with status 1.
        const std::string advice = advice_for_bind_error(error.error_number());
        std::cerr << "error: " << error.what() << (advice.empty() ? "" : " - " + advice) << "\n";
        return 1;
    }

    const SocketAddress bound = socket->local_address();
    std::cout << "Bound to " << bound.to_string() << "\n"
              << "Waiting for DNS queries. In another terminal, try:\n"
              << "    " << dig_command_for(bound) << "\n"
              << std::endl;
    try {
        serve(*socket);
    } catch (const SocketError& error) {
        std::cerr << "error: " << error.what() << "\n";
        return 1;
    }
}
