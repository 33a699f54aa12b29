#include "upstream_query.hpp"
#include "common/deadline.hpp"

#include "common/udp_socket.hpp"
#include "outgoing_messages.hpp"

#include <stdexcept>
#include <sys/random.h>

namespace dns {

namespace {

using Clock = std::chrono::steady_clock;

bool same_question(const Message& reply, const Question& question) {
    return reply.questions.size() == 1 && reply.questions[0].name == question.name &&
           reply.questions[0].type == question.type && reply.questions[0].klass == question.klass;
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
                                  std::chrono::milliseconds timeout, const Trace& trace,
                                  int depth) {
    const auto deadline = Clock::now() + timeout;
    try {
        // A new socket on port 0 for every query: the OS gives it a random port
        // (RFC 5452 section 9.2), which a forger must guess along with the ID.
        const auto socket =
            UdpSocket::bind(SocketAddress::from_ip(server.is_ipv6() ? "::" : "0.0.0.0", 0));
        const uint16_t id = random_query_id();
        socket.send_to(build_query(id, question), server);
        trace.step(depth, "(query ID " + std::to_string(id) + ", from port " +
                              std::to_string(socket.local_address().port()) + ")");

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
            Message reply;
            try {
                reply = parse_message(std::span<const uint8_t>(buffer).first(datagram->size));
            } catch (const ParseError& error) {
                trace.step(depth,
                           std::string("ignored a reply that cannot be read: ") + error.what());
                continue;
            }
            if (!reply.header.qr) {
                trace.step(depth, "ignored a query (QR=0) where a reply was expected");
                continue;
            }
            if (reply.header.id != id) {
                trace.step(depth, "ignored a reply with ID " + std::to_string(reply.header.id) +
                                      ": our query had ID " + std::to_string(id));
                continue;
            }
            if (!same_question(reply, question)) {
                trace.step(depth, "ignored a reply to another question");
                continue;
            }
            return reply;
        }
    } catch (const SocketError& error) {
        trace.step(depth, std::string("cannot ask: ") + error.what());
        return std::nullopt;
    }
}

} // namespace dns
