#include "worker.hpp"

#include "code_names.hpp"
#include "common/udp_socket.hpp"
#include "extended_errors.hpp"
#include "fast_path.hpp"
#include "header.hpp"
#include "tcp_messages.hpp"
#include "trace.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <sys/socket.h>

namespace dns {

namespace {

using Clock = std::chrono::steady_clock;

// Datagrams read, and fast-path answers sent, per system call. A burst of 32
// queries costs one recvmmsg() and one sendmmsg() instead of 64 calls.
constexpr size_t datagram_batch = 32;
constexpr size_t max_datagram_size = UdpSocket::max_datagram_size;
// Room for a response from the cache: never more than our UDP payload size.
constexpr size_t max_cached_response_size = 1500;
// Rounds of recvmmsg() per wake-up at most, so that TCP and timers get their turn.
constexpr int max_batches_per_wakeup = 8;

// What a client outside the access list is told, with its REFUSED (RFC 8914
// section 4.19): its address as we print it, never bytes it sent.
ExtendedError refusal_reason(const SocketAddress& client) {
    return {ede::prohibited, "refused: " + client.ip_string() + " is outside the access list"};
}

uint8_t rcode_of(std::span<const uint8_t> response) {
    return response.size() >= 4 ? response[3] & header_flags::rcode : 0;
}

} // namespace

std::optional<std::vector<uint8_t>> error_response(std::span<const uint8_t> request,
                                                   uint8_t rcode) {
    if (request.size() < 12 || (request[2] & header_flags::in_byte_2(header_flags::qr)) != 0)
        return std::nullopt; // no header to answer, or a response: silence
    // The question is echoed when the query is plain enough to find it at once.
    const auto plain = read_plain_query(request);
    const size_t length = plain ? plain->question_end : 12;
    std::vector<uint8_t> response(request.begin(), request.begin() + static_cast<long>(length));
    // QR set; the opcode and RD copied; RA=0; CD copied (RFC 4035 section 3.2.2).
    using namespace header_flags;
    response[2] = static_cast<uint8_t>(in_byte_2(qr) | (request[2] & in_byte_2(opcode | rd)));
    response[3] = static_cast<uint8_t>((request[3] & in_byte_3(cd)) | rcode);
    response[4] = 0;
    response[5] = plain ? 1 : 0;
    std::fill(response.begin() + 6, response.begin() + 12, 0);
    return response;
}

// A client's TCP connection. Its answers are queued and written one after the
// other, by one task at a time, so that two answers never interleave their bytes.
struct Worker::TcpClient {
    FileDescriptor socket;
    SocketAddress peer;
    size_t& open_connections; // the worker's count, less one when this closes
    std::deque<std::vector<uint8_t>> answers_to_send;
    bool sending = false;
    bool broken = false; // a write failed: the rest is not sent

    TcpClient(FileDescriptor fd, SocketAddress address, size_t& open)
        : socket(std::move(fd)), peer(address), open_connections(open) {
        ++open_connections;
    }
    TcpClient(const TcpClient&) = delete;
    TcpClient& operator=(const TcpClient&) = delete;
    ~TcpClient() { --open_connections; }
};

Worker::Worker(FileDescriptor udp, FileDescriptor tcp, const WorkerSettings& settings,
               SharedState& shared)
    : datagram_buffers_(
          std::make_unique_for_overwrite<uint8_t[]>(datagram_batch * max_datagram_size)),
      udp_(std::move(udp)), tcp_(std::move(tcp)), settings_(settings), shared_(shared),
      resolver_(loop_, shared_, counters_, settings.root_servers, settings.options.upstream_port,
                settings.limits,
                settings.options.trace && !settings.options.quiet ? &std::cout : nullptr,
                settings.allow_local_servers),
      handler_([this](const Question& question) { return resolver_.resolve(question); },
               settings.options.quiet ? discard_ : std::cout, settings.options.hexdump,
               [this](const Question& question) { return shared_.cache.find_answer(question); }) {
    resolver_.set_qname_minimisation(settings.options.qname_minimisation);
    resolver_.set_validation(settings.validation);
    if (settings.local_zones)
        handler_.answer_locally_from(*settings.local_zones);
    loop_.watch(udp_.get(), udp_ready_);
    loop_.watch(tcp_.get(), tcp_ready_);
}

void Worker::run() {
    loop_.run();
}

void Worker::stop() {
    loop_.post([this] {
        loop_.unwatch(udp_.get());
        loop_.unwatch(tcp_.get());
    });
    loop_.stop();
}

void Worker::log_block(const std::string& text) {
    if (!settings_.options.quiet)
        print_whole(std::cout, text);
}

void Worker::serve_datagrams() {
    std::array<sockaddr_storage, datagram_batch> senders;
    std::array<iovec, datagram_batch> request_vectors;
    std::array<mmsghdr, datagram_batch> received;
    std::array<std::array<uint8_t, max_cached_response_size>, datagram_batch> responses;
    std::array<iovec, datagram_batch> response_vectors;
    std::array<mmsghdr, datagram_batch> to_send;

    for (int round = 0; round < max_batches_per_wakeup; ++round) {
        for (size_t i = 0; i < datagram_batch; ++i) {
            request_vectors[i] =
                iovec{datagram_buffers_.get() + i * max_datagram_size, max_datagram_size};
            received[i] = mmsghdr{};
            received[i].msg_hdr.msg_name = &senders[i];
            received[i].msg_hdr.msg_namelen = sizeof senders[i];
            received[i].msg_hdr.msg_iov = &request_vectors[i];
            received[i].msg_hdr.msg_iovlen = 1;
        }
        // 1. Wait for DNS requests: the loop said the socket has some.
        const int count =
            ::recvmmsg(udp_.get(), received.data(), datagram_batch, MSG_DONTWAIT, nullptr);
        if (count <= 0)
            return; // nothing more for now (EAGAIN), or interrupted
        size_t answered = 0;
        for (size_t i = 0; i < static_cast<size_t>(count); ++i) {
            counters_.add(counters_.queries);
            const auto request = std::span<const uint8_t>(
                datagram_buffers_.get() + i * max_datagram_size, received[i].msg_len);
            const auto client =
                SocketAddress::from_sockaddr(senders[i], received[i].msg_hdr.msg_namelen);
            std::optional<std::vector<uint8_t>> refusal;
            size_t size = 0;
            if (!settings_.options.allowed_clients.allows(client)) {
                counters_.add(counters_.refused_clients);
                refusal = error_response(request, rcode_refused);
                if (!refusal)
                    continue;
                refusal = with_extended_error(std::move(*refusal), request, refusal_reason(client));
                size = refusal->size();
                std::copy(refusal->begin(), refusal->end(), responses[answered].begin());
                log_block("Refused " + client.to_string() + ": not in the access list\n\n");
            } else {
                // 2. to 4., the fast path: the cache has this very response.
                size = answer_from_cache(shared_.cache, request, responses[answered]);
                if (size == 0) {
                    // The full path, in a task of its own: the worker reads on.
                    loop_.spawn(answer_datagram(
                        std::vector<uint8_t>(request.begin(), request.end()), client));
                    continue;
                }
                counters_.add(counters_.cache_hits);
                if (!settings_.options.quiet)
                    log_block("Received " + std::to_string(request.size()) + " bytes from " +
                              client.to_string() + "\nAnswered " +
                              rcode_name(rcode_of(responses[answered])) +
                              " from the cache (the fast path)\n\n");
            }
            counters_.count_answer(rcode_of(responses[answered]));
            response_vectors[answered] = iovec{responses[answered].data(), size};
            to_send[answered] = mmsghdr{};
            to_send[answered].msg_hdr.msg_name = &senders[i];
            to_send[answered].msg_hdr.msg_namelen = received[i].msg_hdr.msg_namelen;
            to_send[answered].msg_hdr.msg_iov = &response_vectors[answered];
            to_send[answered].msg_hdr.msg_iovlen = 1;
            ++answered;
        }
        // Every fast answer of the batch in one call. A datagram the kernel
        // cannot take now is lost, as UDP allows: the client asks again.
        for (size_t sent = 0; sent < answered;) {
            const int now = ::sendmmsg(udp_.get(), to_send.data() + sent,
                                       static_cast<unsigned>(answered - sent), MSG_DONTWAIT);
            if (now <= 0)
                break;
            sent += static_cast<size_t>(now);
        }
        // A full batch: more may be waiting; read again before epoll_wait().
        if (static_cast<size_t>(count) < datagram_batch)
            return;
    }
}

Task<std::optional<std::vector<uint8_t>>>
Worker::handle_within_limits(std::span<const uint8_t> request, Transport transport,
                             SocketAddress client, int* upstream_queries) {
    const auto admitted = shared_.admission.admit(LookupAdmission::client_key(client));
    if (!admitted) {
        counters_.add(counters_.dropped);
        // A UDP client asks again; a TCP client would wait for this answer
        // for as long as the connection lasts: it hears SERVFAIL instead.
        if (transport == Transport::tcp) {
            auto response = error_response(request, rcode_servfail);
            if (response)
                response = with_extended_error(
                    std::move(*response), request,
                    {ede::other, "the limit of lookups in flight for this client is reached"});
            co_return response;
        }
        co_return std::nullopt;
    }
    // `admitted` counts this lookup until the coroutine ends, however it ends.
    // The client's address as text is for the log alone: with --quiet it is
    // not made (inet_ntop and a string for every query).
    std::string client_text = handler_.logs() ? client.to_string() : std::string();
    co_return co_await handler_.handle(request, transport, std::move(client_text),
                                       upstream_queries);
}

Task<void> Worker::answer_datagram(std::vector<uint8_t> request, SocketAddress client) {
    int upstream_queries = 0;
    const auto response =
        co_await handle_within_limits(request, Transport::udp, client, &upstream_queries);
    if (!response)
        co_return;
    counters_.count_answer(rcode_of(*response));
    if (::sendto(udp_.get(), response->data(), response->size(), MSG_DONTWAIT, client.as_sockaddr(),
                 client.length()) < 0)
        log_block(std::string("Cannot send the response: ") + std::strerror(errno) + "\n");
    // A question asked a second time (answered from the cache, without
    // queries upstream) may be asked often: the next client gets a copy of
    // these bytes. Kept only then, a name asked once costs no memory for it.
    if (upstream_queries == 0)
        remember_response(shared_.cache, request, *response);
}

void Worker::accept_connections() {
    for (;;) {
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        FileDescriptor connection(::accept4(tcp_.get(), reinterpret_cast<sockaddr*>(&peer), &length,
                                            SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (!connection.is_open()) {
            // Out of descriptors, the connection stays in the backlog and the
            // listener stays readable: the loop would spin. Free the spare
            // descriptor, take the connection, close it, and keep a spare again.
            if (errno == EMFILE || errno == ENFILE) {
                spare_descriptor_.reset();
                const FileDescriptor turned_away(
                    ::accept4(tcp_.get(), nullptr, nullptr, SOCK_CLOEXEC));
                spare_descriptor_ = FileDescriptor(::open("/dev/null", O_RDONLY | O_CLOEXEC));
                log_block("Closed a TCP connection: out of file descriptors\n\n");
                continue;
            }
            return; // none left (EAGAIN), or the client gave up already
        }
        counters_.add(counters_.tcp_connections);
        const auto client = SocketAddress::from_sockaddr(peer, length);
        // A client outside the access list could hold every connection slot:
        // its connection is closed at once, before it sends anything.
        if (!settings_.options.allowed_clients.allows(client)) {
            counters_.add(counters_.refused_clients);
            log_block("Closed a TCP connection from " + client.to_string() +
                      ": not in the access list\n\n");
            continue;
        }
        if (tcp_connections_open_ >= settings_.max_tcp_connections) {
            log_block("Closed a TCP connection from " + client.to_string() +
                      ": too many connections are open\n\n");
            continue; // closed at once by the FileDescriptor
        }
        loop_.spawn(serve_tcp_connection(
            std::make_shared<TcpClient>(std::move(connection), client, tcp_connections_open_)));
    }
}

Task<void> Worker::serve_tcp_connection(std::shared_ptr<TcpClient> connection) {
    for (int queries = 0; queries < settings_.max_queries_per_tcp_connection; ++queries) {
        // An idle connection holds a socket and memory: it is closed when no
        // query comes for a while (RFC 7766 section 6.2.3).
        auto request = co_await receive_tcp_message(loop_, connection->socket.get(),
                                                    Clock::now() + settings_.tcp_idle_timeout);
        if (!request || connection->broken)
            break;
        counters_.add(counters_.queries);
        // Each query is answered when its lookup ends, in whatever order the
        // lookups end, while this task reads the next (RFC 7766 section 6.2.1.1).
        loop_.spawn(answer_tcp_query(connection, std::move(*request)));
    }
    // The socket closes when the last answer is written: the answers' tasks
    // hold the connection too.
}

Task<void> Worker::answer_tcp_query(std::shared_ptr<TcpClient> connection,
                                    std::vector<uint8_t> request) {
    std::optional<std::vector<uint8_t>> response;
    if (!settings_.options.allowed_clients.allows(connection->peer)) {
        counters_.add(counters_.refused_clients);
        response = error_response(request, rcode_refused);
        if (response)
            response = with_extended_error(std::move(*response), request,
                                           refusal_reason(connection->peer));
    } else {
        response = co_await handle_within_limits(request, Transport::tcp, connection->peer);
    }
    if (!response)
        co_return;
    counters_.count_answer(rcode_of(*response));
    connection->answers_to_send.push_back(std::move(*response));
    if (!connection->sending)
        co_await flush_answers(connection);
}

Task<void> Worker::flush_answers(std::shared_ptr<TcpClient> connection) {
    connection->sending = true;
    while (!connection->answers_to_send.empty() && !connection->broken) {
        const std::vector<uint8_t> answer = std::move(connection->answers_to_send.front());
        connection->answers_to_send.pop_front();
        bool sent = false;
        try {
            sent = co_await send_tcp_message(loop_, connection->socket.get(), answer,
                                             Clock::now() + settings_.tcp_idle_timeout);
        } catch (const SocketError&) {
        }
        if (!sent)
            connection->broken = true;
    }
    connection->sending = false;
}

} // namespace dns
