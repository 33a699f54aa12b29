#include "upstream_query.hpp"
#include "common/deadline.hpp"

#include "common/tcp_socket.hpp"
#include "common/udp_socket.hpp"
#include "iterative_resolver.hpp"
#include "outgoing_messages.hpp"
#include "tcp_messages.hpp"

#include <stdexcept>
#include <sys/random.h>

namespace dns {

namespace {

using Clock = std::chrono::steady_clock;

bool same_question(const Message& reply, const Question& question) {
    return reply.questions.size() == 1 && reply.questions[0].name == question.name &&
           reply.questions[0].type == question.type && reply.questions[0].klass == question.klass;
}

// The reply in `bytes`, if it is a readable response to our query `id` for
// `question`; otherwise nothing, and the trace says why it was ignored.
std::optional<Message> matching_reply(std::span<const uint8_t> bytes, uint16_t id,
                                      const Question& question, const Trace& trace, int depth) {
    Message reply;
    try {
        reply = parse_message(bytes);
    } catch (const ParseError& error) {
        trace.step(depth, std::string("ignored a reply that cannot be read: ") + error.what());
        return std::nullopt;
    }
    if (!reply.header.qr) {
        trace.step(depth, "ignored a query (QR=0) where a reply was expected");
        return std::nullopt;
    }
    if (reply.header.id != id) {
        trace.step(depth, "ignored a reply with ID " + std::to_string(reply.header.id) +
                              ": our query had ID " + std::to_string(id));
        return std::nullopt;
    }
    // A server that cannot read a query may answer FORMERR with the header
    // alone (RFC 1035 does not ask it to repeat the question): such a reply
    // matches by its ID and address, so that the query can be sent again
    // without EDNS.
    if (reply.questions.empty() && reply.header.rcode == rcode_formerr)
        return reply;
    if (!same_question(reply, question)) {
        trace.step(depth, "ignored a reply to another question");
        return std::nullopt;
    }
    return reply;
}

std::optional<Message> ask_over_udp(const SocketAddress& server, const Question& question,
                                    bool with_edns, Clock::time_point deadline, const Trace& trace,
                                    int depth) {
    // A new socket on port 0 for every query: the OS gives it a random port
    // (RFC 5452 section 9.2), which a forger must guess along with the ID.
    const auto socket =
        UdpSocket::bind(SocketAddress::from_ip(server.is_ipv6() ? "::" : "0.0.0.0", 0));
    const uint16_t id = random_query_id();
    socket.send_to(build_query(id, question, with_edns), server);
    trace.step(depth, "(query ID " + std::to_string(id) + ", from port " +
                          std::to_string(socket.local_address().port()) +
                          (with_edns ? "" : ", without EDNS") + ")");

    std::vector<uint8_t> buffer(UdpSocket::max_datagram_size);
    for (;;) {
        const auto left = milliseconds_until(deadline);
        if (left.count() <= 0)
            return std::nullopt;
        const auto datagram = socket.receive(buffer, left);
        if (!datagram)
            return std::nullopt;
        if (!(datagram->sender == server)) {
            trace.step(depth, "ignored a datagram from " + datagram->sender.to_string() +
                                  ": we asked " + server.to_string());
            continue;
        }
        auto reply = matching_reply(std::span<const uint8_t>(buffer).first(datagram->size), id,
                                    question, trace, depth);
        if (reply)
            return reply;
    }
}

std::optional<Message> ask_over_tcp(const SocketAddress& server, const Question& question,
                                    bool with_edns, Clock::time_point deadline, const Trace& trace,
                                    int depth) {
    // Over TCP, the connection itself shows that the peer is the server: a
    // forger cannot complete the handshake without seeing our packets.
    const auto connection = TcpConnection::connect(server, milliseconds_until(deadline));
    const uint16_t id = random_query_id();
    send_tcp_message(connection, build_query(id, question, with_edns),
                     milliseconds_until(deadline));
    trace.step(depth, "(query ID " + std::to_string(id) + ", over TCP)");
    const auto bytes = receive_tcp_message(connection, milliseconds_until(deadline));
    if (!bytes)
        return std::nullopt;
    return matching_reply(*bytes, id, question, trace, depth);
}

} // namespace

uint16_t random_query_id() {
    uint16_t id = 0;
    // getrandom() draws from the kernel's cryptographic generator: the IDs cannot
    // be predicted from earlier ones, as they could from a seeded std::mt19937.
    while (::getrandom(&id, sizeof id, 0) != sizeof id) {
    }
    return id;
}

std::optional<Message> ask_server(const SocketAddress& server, const Question& question,
                                  QueryOptions options, std::chrono::milliseconds timeout,
                                  const Trace& trace, int depth) {
    const auto deadline = Clock::now() + timeout;
    try {
        if (options.transport == Transport::tcp)
            return ask_over_tcp(server, question, options.with_edns, deadline, trace, depth);
        return ask_over_udp(server, question, options.with_edns, deadline, trace, depth);
    } catch (const SocketError& error) {
        trace.step(depth, std::string("cannot ask: ") + error.what());
        return std::nullopt;
    }
}

} // namespace dns
