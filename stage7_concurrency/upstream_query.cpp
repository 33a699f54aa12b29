#include "upstream_query.hpp"

#include "common/udp_socket.hpp"
#include "outgoing_messages.hpp"
#include "resolution.hpp"
#include "shared_sockets.hpp"
#include "tcp_messages.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <sys/random.h>
#include <sys/socket.h>

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
                                      const Question& question, Trace& trace, int depth) {
    Message reply;
    try {
        reply = parse_message(bytes);
    } catch (const ParseError& error) {
        trace.step(depth, [&] {
            return std::string("ignored a reply that cannot be read: ") + error.what();
        });
        return std::nullopt;
    }
    if (!reply.header.qr) {
        trace.step(depth, "ignored a query (QR=0) where a reply was expected");
        return std::nullopt;
    }
    if (reply.header.id != id) {
        trace.step(depth, [&] {
            return "ignored a reply with ID " + std::to_string(reply.header.id) +
                   ": our query had ID " + std::to_string(id);
        });
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

Task<std::optional<Message>> ask_over_udp(EventLoop& loop, const SocketAddress& server,
                                          const Question& question, const QueryOptions& options,
                                          Clock::time_point deadline, Trace& trace, int depth) {
    // A new socket for every query: its first sendto() binds it to a port the
    // OS picks at random (RFC 5452 section 9.2), which a forger must guess
    // along with the ID. Not blocking: the wait for the reply is the loop's.
    const FileDescriptor socket(
        ::socket(server.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!socket.is_open())
        throw SocketError(std::string("socket: ") + std::strerror(errno), errno);
    const uint16_t id = random_query_id();
    const std::vector<uint8_t> query =
        build_query(id, question, options.with_edns, options.recursion_desired, options.dnssec_ok);
    if (::sendto(socket.get(), query.data(), query.size(), 0, server.as_sockaddr(),
                 server.length()) < 0)
        throw SocketError("cannot send to " + server.to_string() + ": " + std::strerror(errno),
                          errno);
    trace.step(depth, [&] {
        return "(query ID " + std::to_string(id) + ", from port " +
               std::to_string(bound_address(socket.get()).port()) +
               (options.with_edns ? "" : ", without EDNS") + ")";
    });

    // One receive buffer per worker thread is enough: it is used from recvfrom()
    // to the parsed message without a pause in between.
    thread_local std::vector<uint8_t> buffer(UdpSocket::max_datagram_size);
    for (;;) {
        // The reply cannot be there yet: wait first, then read.
        const bool ready = co_await loop.readable(socket.get(), deadline);
        if (!ready)
            co_return std::nullopt;
        sockaddr_storage sender_storage{};
        socklen_t sender_length = sizeof sender_storage;
        const ssize_t size =
            ::recvfrom(socket.get(), buffer.data(), buffer.size(), MSG_DONTWAIT,
                       reinterpret_cast<sockaddr*>(&sender_storage), &sender_length);
        if (size < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                throw SocketError(std::string("recvfrom: ") + std::strerror(errno), errno);
            continue;
        }
        const auto sender = SocketAddress::from_sockaddr(sender_storage, sender_length);
        if (!(sender == server)) {
            trace.step(depth, [&] {
                return "ignored a datagram from " + sender.to_string() + ": we asked " +
                       server.to_string();
            });
            continue;
        }
        auto reply =
            matching_reply(std::span<const uint8_t>(buffer).first(static_cast<size_t>(size)), id,
                           question, trace, depth);
        if (reply)
            co_return reply;
    }
}

// Connects without blocking: the connection's task waits until the socket is
// writable, which is when the handshake has ended, well or not.
Task<FileDescriptor> connect_tcp(EventLoop& loop, const SocketAddress& server,
                                 Clock::time_point deadline) {
    FileDescriptor fd(::socket(server.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.is_open())
        throw SocketError(std::string("socket: ") + std::strerror(errno), errno);
    if (::connect(fd.get(), server.as_sockaddr(), server.length()) != 0) {
        if (errno != EINPROGRESS)
            throw SocketError(
                "cannot connect to " + server.to_string() + ": " + std::strerror(errno), errno);
        const bool ready = co_await loop.writable(fd.get(), deadline);
        if (!ready)
            throw SocketError("no TCP connection to " + server.to_string() + " in time", ETIMEDOUT);
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0)
            throw SocketError(
                "cannot connect to " + server.to_string() + ": " + std::strerror(error), error);
    }
    co_return fd;
}

Task<std::optional<Message>> ask_over_tcp(EventLoop& loop, const SocketAddress& server,
                                          const Question& question, const QueryOptions& options,
                                          Clock::time_point deadline, Trace& trace, int depth) {
    // Over TCP, the connection itself shows that the peer is the server: a
    // forger cannot complete the handshake without seeing our packets.
    const FileDescriptor connection = co_await connect_tcp(loop, server, deadline);
    const uint16_t id = random_query_id();
    const std::vector<uint8_t> query =
        build_query(id, question, options.with_edns, options.recursion_desired, options.dnssec_ok);
    const bool sent = co_await send_tcp_message(loop, connection.get(), query, deadline);
    if (!sent)
        co_return std::nullopt;
    trace.step(depth, [&] { return "(query ID " + std::to_string(id) + ", over TCP)"; });
    const auto bytes = co_await receive_tcp_message(loop, connection.get(), deadline);
    if (!bytes)
        co_return std::nullopt;
    co_return matching_reply(*bytes, id, question, trace, depth);
}

} // namespace

bool ask_again_differently(const Message& reply, QueryOptions& options, Trace& trace, int depth) {
    if (reply.header.rcode == rcode_formerr && options.with_edns) {
        trace.step(depth, "  FORMERR: the server may not know EDNS; asking without it");
        options.with_edns = false;
        return true;
    }
    if (reply.header.tc && options.transport == Transport::udp) {
        trace.step(depth, "  truncated (TC=1): asking again over TCP");
        options.transport = Transport::tcp;
        return true;
    }
    return false;
}

uint16_t random_query_id() {
    // getrandom() draws from the kernel's cryptographic generator: the IDs cannot
    // be predicted from earlier ones, as they could from a seeded std::mt19937.
    // Each thread draws 128 IDs per call: one system call less per query
    // upstream, and IDs just as unpredictable.
    thread_local std::array<uint16_t, 128> drawn;
    thread_local size_t next = drawn.size();
    if (next == drawn.size()) {
        size_t filled = 0;
        auto* bytes = reinterpret_cast<uint8_t*>(drawn.data());
        while (filled < sizeof drawn) {
            const ssize_t count = ::getrandom(bytes + filled, sizeof drawn - filled, 0);
            if (count > 0)
                filled += static_cast<size_t>(count);
            else if (count < 0 && errno != EINTR) // no generator: no query can be sent safely
                throw SocketError(std::string("getrandom: ") + std::strerror(errno), errno);
        }
        next = 0;
    }
    return drawn[next++];
}

Task<ServerReply> ask_server(EventLoop& loop, const SocketAddress& server, const Question& question,
                             QueryOptions options, std::chrono::milliseconds timeout, Trace& trace,
                             int depth) {
    const auto deadline = Clock::now() + timeout;
    ServerReply reply;
    int error_number = 0;
    try {
        if (options.transport == Transport::tcp)
            reply.message =
                co_await ask_over_tcp(loop, server, question, options, deadline, trace, depth);
        else
            reply.message =
                co_await ask_over_udp(loop, server, question, options, deadline, trace, depth);
    } catch (const SocketError& error) {
        trace.step(depth, [&] { return std::string("cannot ask: ") + error.what(); });
        error_number = error.error_number();
        reply.unreachable = true;
    }
    // No route to the network, or no such kind of address here: every
    // address of that family fails the same way.
    reply.no_route = error_number == ENETUNREACH || error_number == EAFNOSUPPORT ||
                     error_number == EADDRNOTAVAIL;
    co_return reply;
}

} // namespace dns
