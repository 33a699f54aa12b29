// Stage 3: respond.
//
// The run loop of every DNS server has four steps:
//   1. wait for a DNS request to arrive,
//   2. parse the request,
//   3. perform the lookup,
//   4. send the response.
// Stages 1 and 2 did steps 1 and 2. This stage adds steps 3 and 4: it looks the
// name up, walking down from the root servers (iterative_resolver.hpp), and sends
// the client a response with the same ID and question and the records it found.

#include "code_names.hpp"
#include "common/hex_dump.hpp"
#include "common/udp_socket.hpp"
#include "dig_format.hpp"
#include "iterative_resolver.hpp"
#include "message.hpp"
#include "options.hpp"
#include "outgoing_messages.hpp"

#include <iostream>
#include <optional>
#include <vector>

using namespace dns;

namespace {

using Clock = std::chrono::steady_clock;

// The dig command that sends a query to where we listen. A socket bound to the
// unspecified address (0.0.0.0 or ::) is reachable on loopback too.
std::string dig_command_for(const SocketAddress& bound) {
    std::string server = bound.ip_string();
    if (bound.is_unspecified())
        server = bound.is_ipv6() ? "::1" : "127.0.0.1";
    return "dig @" + server + " -p " + std::to_string(bound.port()) + " www.example.lab";
}

// 3. Perform the lookup. This stage serves standard queries (opcode QUERY) for
// the A records (IPv4 addresses) of a name in class IN, the Internet.
Resolution perform_lookup(IterativeResolver& resolver, const Message& query) {
    const Question& question = query.questions.front();
    if (query.header.opcode != 0)
        return Resolution{rcode_notimp, {}, 0}; // NOTIFY, UPDATE, ...: not a resolver's job
    if (question.klass != class_in)
        return Resolution{rcode_refused, {}, 0}; // CH, HS: other namespaces
    if (question.type != type_a)
        return Resolution{rcode_notimp, {}, 0}; // other types: stage 6
    return resolver.resolve(question);
}

void serve(const UdpSocket& socket, IterativeResolver& resolver, const Options& options) {
    // DNS over UDP limits a message to 512 bytes without EDNS (RFC 1035 section
    // 4.2.1), but anything up to the UDP maximum can arrive: receive it whole.
    std::vector<uint8_t> buffer(UdpSocket::max_datagram_size);
    // What is printed per query goes to `log`; with --quiet, to a stream without
    // a buffer, which drops everything written to it.
    std::ostream discard(nullptr);
    std::ostream& log = options.quiet ? discard : std::cout;
    for (;;) {
        // 1. Wait for a DNS request to arrive.
        const ReceivedDatagram datagram = socket.receive(buffer);
        const auto bytes = std::span<const uint8_t>(buffer).first(datagram.size);
        log << "Received " << datagram.size << " bytes from " << datagram.sender.to_string()
            << "\n";
        if (options.hexdump)
            log << format_hex_dump(bytes);

        // 2. Parse the request. Anything can arrive on a UDP port: a message that
        // cannot be read is reported and skipped, and the server waits for the next.
        Message query;
        try {
            query = parse_message(bytes);
        } catch (const ParseError& error) {
            log << "Cannot parse the message from " << datagram.sender.to_string() << ": "
                << error.what() << "; skipped\n"
                << std::endl;
            continue;
        }
        // With --quiet the log drops everything: do not build the text at all.
        if (log)
            log << format_like_dig(query);
        if (query.header.qr) {
            log << "Ignored: this is a response (QR=1), not a query\n" << std::endl;
            continue;
        }
        if (query.questions.size() != 1) {
            log << "Ignored: a query has one question, this one has " << query.questions.size()
                << "\n"
                << std::endl;
            continue;
        }

        // 3. Perform the lookup.
        const auto started = Clock::now();
        const Resolution resolution = perform_lookup(resolver, query);
        const auto elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);

        // 4. Send the response, to the address and port the query came from.
        try {
            socket.send_to(build_response(query, resolution.rcode, resolution.answers),
                           datagram.sender);
            log << "Answered " << rcode_name(resolution.rcode) << " with "
                << resolution.answers.size() << " record(s) after " << resolution.upstream_queries
                << " upstream queries in " << elapsed.count() << " ms\n";
        } catch (const SocketError& error) {
            log << "Cannot send the response: " << error.what() << "\n";
        }
        log << std::endl;
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
    try {
        socket = UdpSocket::bind(options.listen);
    } catch (const SocketError& error) {
        // The most common first failure: port 53 without privileges. Say what
        // happened and what to do, in one line, and exit with status 1.
        const std::string advice = advice_for_bind_error(error.error_number());
        std::cerr << "error: " << error.what() << (advice.empty() ? "" : " - " + advice) << "\n";
        return 1;
    }

    const Trace trace(options.trace && !options.quiet);
    IterativeResolver resolver(root_servers, options.upstream_port, Limits{}, trace);

    const SocketAddress bound = socket->local_address();
    std::cout << "Bound to " << bound.to_string() << "\n"
              << "Waiting for DNS queries. In another terminal, try:\n"
              << "    " << dig_command_for(bound) << "\n"
              << std::endl;
    try {
        serve(*socket, resolver, options);
    } catch (const SocketError& error) {
        std::cerr << "error: " << error.what() << "\n";
        return 1;
    }
}
