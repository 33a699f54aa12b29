// Stage 5: real traffic.
//
// The run loop of every DNS server has four steps:
//   1. wait for a DNS request to arrive,
//   2. parse the request,
//   3. perform the lookup,
//   4. send the response.
// Stages 1 to 4 built them and a test bed to try them in. This stage points real
// traffic at them (../shared/corpus, and a fuzzer) and fixes what broke: steps 2
// to 4 now live in RequestHandler (request_handler.hpp), which answers anything
// a client sends with a response or, where none may be sent, with silence; EDNS
// and TCP arrive, for clients and for the servers the resolver asks.

#include "code_names.hpp"
#include "common/deadline.hpp"
#include "common/hex_dump.hpp"
#include "common/tcp_socket.hpp"
#include "common/udp_socket.hpp"
#include "iterative_resolver.hpp"
#include "options.hpp"
#include "request_handler.hpp"
#include "tcp_messages.hpp"

#include <cerrno>
#include <iostream>
#include <optional>
#include <poll.h>
#include <vector>

using namespace dns;

namespace {

// The dig command that sends a query to where we listen. A socket bound to the
// unspecified address (0.0.0.0 or ::) is reachable on loopback too.
std::string dig_command_for(const SocketAddress& bound) {
    std::string server = bound.ip_string();
    if (bound.is_unspecified())
        server = bound.is_ipv6() ? "::1" : "127.0.0.1";
    return "dig @" + server + " -p " + std::to_string(bound.port()) + " www.example.lab";
}

// A TCP client may send several queries on one connection (RFC 7766 section
// 6.2.1). This stage serves one connection at a time (stage 7 serves many),
// and never lets it stop the UDP service: between the connection's messages,
// UDP datagrams are served as they come. The connection is closed when it has
// been idle this long, has sent this many queries, or takes longer than this
// to send a whole message once it has started one.
constexpr auto tcp_idle_timeout = std::chrono::seconds(5);
constexpr int max_queries_per_tcp_connection = 100;
constexpr auto tcp_message_timeout = std::chrono::seconds(1);

// The one TCP connection being served, and how long it may stay idle.
struct TcpClient {
    TcpConnection connection;
    std::chrono::steady_clock::time_point idle_until;
    int queries = 0;
};

// Reads and answers one message of the TCP client; false if the connection
// should be closed (closed by the client, too slow, or enough queries).
bool serve_tcp_message(TcpClient& client, RequestHandler& handler, std::ostream& log) {
    const auto request = receive_tcp_message(client.connection, tcp_message_timeout);
    if (!request)
        return false;
    log << "Received " << request->size() << " bytes over TCP from "
        << client.connection.peer().to_string() << "\n";
    const auto response =
        handler.handle(*request, Transport::tcp, client.connection.peer().to_string());
    if (response)
        send_tcp_message(client.connection, *response, tcp_message_timeout);
    log << std::endl;
    client.idle_until = std::chrono::steady_clock::now() + tcp_idle_timeout;
    return ++client.queries < max_queries_per_tcp_connection;
}

void serve_datagram(const UdpSocket& socket, std::vector<uint8_t>& buffer, RequestHandler& handler,
                    const Options& options, std::ostream& log) {
    const ReceivedDatagram datagram = socket.receive(buffer);
    const auto bytes = std::span<const uint8_t>(buffer).first(datagram.size);
    log << "Received " << datagram.size << " bytes from " << datagram.sender.to_string() << "\n";
    if (options.hexdump)
        log << format_hex_dump(bytes);

    // 2. to 4.: parse, look up, build the response.
    const auto response = handler.handle(bytes, Transport::udp, datagram.sender.to_string());
    if (response) {
        try {
            socket.send_to(*response, datagram.sender);
        } catch (const SocketError& error) {
            log << "Cannot send the response: " << error.what() << "\n";
        }
    }
    log << std::endl;
}

void serve(const UdpSocket& socket, const TcpListener& listener, RequestHandler& handler,
           const Options& options, std::ostream& log) {
    std::vector<uint8_t> buffer(UdpSocket::max_datagram_size);
    std::optional<TcpClient> tcp_client;
    for (;;) {
        // 1. Wait for a DNS request to arrive: a datagram, a new TCP connection
        // (when none is being served), or the next message of the TCP client.
        const int tcp_handle =
            tcp_client ? tcp_client->connection.native_handle() : listener.native_handle();
        pollfd waiting[2] = {{socket.native_handle(), POLLIN, 0}, {tcp_handle, POLLIN, 0}};
        int timeout_ms = -1;
        if (tcp_client)
            timeout_ms = static_cast<int>(
                std::max<int64_t>(0, milliseconds_until(tcp_client->idle_until).count()));
        if (::poll(waiting, 2, timeout_ms) < 0)
            continue; // interrupted by a signal
        if (tcp_client && std::chrono::steady_clock::now() >= tcp_client->idle_until) {
            log << "Closed the idle TCP connection from "
                << tcp_client->connection.peer().to_string() << std::endl;
            tcp_client.reset();
        } else if (waiting[1].revents != 0) {
            if (tcp_client) {
                try {
                    if (!serve_tcp_message(*tcp_client, handler, log))
                        tcp_client.reset();
                } catch (const SocketError& error) {
                    log << "TCP connection from " << tcp_client->connection.peer().to_string()
                        << " ended: " << error.what() << std::endl;
                    tcp_client.reset();
                }
            } else if (auto connection = listener.accept(std::chrono::milliseconds(0))) {
                tcp_client.emplace(TcpClient{std::move(*connection),
                                             std::chrono::steady_clock::now() + tcp_idle_timeout});
            }
        }
        if (waiting[0].revents & POLLIN)
            serve_datagram(socket, buffer, handler, options, log);
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

    std::vector<NameServer> root_servers;
    try {
        root_servers = options.root_hints_file.empty() ? builtin_root_hints()
                                                       : load_root_hints(options.root_hints_file);
    } catch (const RootHintsError& error) {
        std::cerr << "error: root hints: " << error.what() << "\n";
        return 1;
    }

    std::optional<UdpSocket> socket;
    std::optional<TcpListener> listener;
    try {
        // TCP on the same address and port as UDP. With port 0 the OS picks a
        // free UDP port, but another program may hold the same number for TCP:
        // then start again with another port (a few times at most).
        for (int attempt = 1; !listener; ++attempt) {
            socket = UdpSocket::bind(options.listen);
            SocketAddress tcp_address = options.listen;
            tcp_address.set_port(socket->local_address().port());
            try {
                listener = TcpListener::bind(tcp_address);
            } catch (const SocketError& error) {
                if (options.listen.port() != 0 || error.error_number() != EADDRINUSE ||
                    attempt == 10)
                    throw;
            }
        }
    } catch (const SocketError& error) {
        // The most common first failure: port 53 without privileges. Say what
        // happened and what to do, in one line, and exit with status 1.
        const std::string advice = advice_for_bind_error(error.error_number());
        std::cerr << "error: " << error.what() << (advice.empty() ? "" : " - " + advice) << "\n";
        return 1;
    }

    const Trace trace(options.trace && !options.quiet);
    IterativeResolver resolver(root_servers, options.upstream_port, Limits{}, trace);
    // What is printed per query goes to `log`; with --quiet, to a stream without
    // a buffer, which drops everything written to it.
    std::ostream discard(nullptr);
    std::ostream& log = options.quiet ? discard : std::cout;
    RequestHandler handler([&](const Question& question) { return resolver.resolve(question); },
                           log);

    const SocketAddress bound = socket->local_address();
    std::cout << "Bound to " << bound.to_string() << "\n"
              << "Waiting for DNS queries over UDP and TCP. In another terminal, try:\n"
              << "    " << dig_command_for(bound) << "\n"
              << std::endl;
    try {
        serve(*socket, *listener, handler, options, log);
    } catch (const SocketError& error) {
        std::cerr << "error: " << error.what() << "\n";
        return 1;
    }
}
