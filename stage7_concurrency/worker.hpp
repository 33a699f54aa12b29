// Worker: one thread of the resolver, with its own UDP socket, TCP listener and
// event loop, serving whichever clients the kernel sends its way.
//
// Its run loop is the one of every stage (wait, parse, look up, respond), with
// the waits moved into the event loop:
//   - a burst of datagrams is read with one recvmmsg() call; those the cache
//     can answer at once (the fast path) are answered with one sendmmsg() call;
//   - every other query becomes a task that answers its client when its lookup
//     ends, while the worker goes on reading;
//   - each TCP connection is a task that reads query after query; each query
//     is answered as soon as it is ready, in any order (RFC 7766 section 6.2.1.1).
#pragma once

#include "access_list.hpp"
#include "common/file_descriptor.hpp"
#include "counters.hpp"
#include "event_loop.hpp"
#include "iterative_resolver.hpp"
#include "options.hpp"
#include "request_handler.hpp"

#include <array>
#include <chrono>
#include <deque>
#include <fcntl.h>
#include <memory>
#include <string>

namespace dns {

struct WorkerSettings {
    // The command line: the upstream port, the access list, what to print.
    Options options;
    std::vector<NameServer> root_servers;
    // The names answered here without a lookup (local_zones.hpp); none if null.
    std::shared_ptr<const LocalZones> local_zones;
    // Whether servers at local addresses may be asked: with
    // --allow-local-servers, or when the root hints are local themselves.
    bool allow_local_servers = false;
    // DNSSEC: the trust anchors answers are validated from (none: not validated).
    ValidatorSettings validation;
    Limits limits;
    // TCP (RFC 7766 section 6.2.3): connections open at once (per worker), how
    // long one may sit idle, and how many queries one may send.
    size_t max_tcp_connections = 200;
    std::chrono::milliseconds tcp_idle_timeout{10000};
    int max_queries_per_tcp_connection = 1000;
};

class Worker {
  public:
    // `udp` and `tcp` are bound already, to the same address and port as every
    // other worker's (shared_sockets.hpp).
    Worker(FileDescriptor udp, FileDescriptor tcp, const WorkerSettings& settings,
           SharedState& shared);
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    // Serves until stop(), then finishes the lookups in flight. In its thread.
    void run();
    // From any thread: stop taking queries, finish the ones in flight, return from run().
    void stop();

    const Counters& counters() const { return counters_; }

  private:
    // The two sockets the loop watches for the worker's whole life.
    struct UdpReady final : EventLoop::EventTarget {
        Worker& worker;
        explicit UdpReady(Worker& owner) : worker(owner) {}
        void on_event() override { worker.serve_datagrams(); }
    };
    struct TcpReady final : EventLoop::EventTarget {
        Worker& worker;
        explicit TcpReady(Worker& owner) : worker(owner) {}
        void on_event() override { worker.accept_connections(); }
    };
    struct TcpClient; // one client's connection: its socket and its queue of answers

    void serve_datagrams();
    void accept_connections();
    Task<void> answer_datagram(std::vector<uint8_t> request, SocketAddress client);
    // The full path for one query, if the limits on lookups in flight let it
    // start (lookup_admission.hpp; otherwise it is dropped, and counted).
    Task<std::optional<std::vector<uint8_t>>> handle_within_limits(std::span<const uint8_t> request,
                                                                   Transport transport,
                                                                   SocketAddress client,
                                                                   int* upstream_queries = nullptr);
    Task<void> serve_tcp_connection(std::shared_ptr<TcpClient> connection);
    Task<void> answer_tcp_query(std::shared_ptr<TcpClient> connection,
                                std::vector<uint8_t> request);
    Task<void> flush_answers(std::shared_ptr<TcpClient> connection);

    // Prints one block of the log in one piece (nothing with --quiet).
    void log_block(const std::string& text);

    // Buffers of serve_datagrams(): a batch of whole datagrams as they arrive
    // (a client may send up to 65,535 bytes; the kernel writes only what came).
    // Not zeroed when made: 2 MiB per worker, of which a query touches its
    // first page. Memory never written is never resident.
    std::unique_ptr<uint8_t[]> datagram_buffers_;

    FileDescriptor udp_;
    FileDescriptor tcp_;
    WorkerSettings settings_;
    SharedState& shared_;
    Counters counters_;
    EventLoop loop_;
    UdpReady udp_ready_{*this};
    TcpReady tcp_ready_{*this};
    IterativeResolver resolver_;
    std::ostream discard_{nullptr}; // with --quiet, the log: it drops everything
    RequestHandler handler_;
    size_t tcp_connections_open_ = 0;
    // Kept open to be closed when the process runs out of descriptors, so that
    // a connection waiting to be accepted can be taken and closed.
    FileDescriptor spare_descriptor_{::open("/dev/null", O_RDONLY | O_CLOEXEC)};
};

// A response made without reading more than the header and the question: to
// a client outside the access list (REFUSED) or over the limits (SERVFAIL).
// The query's header and question with QR=1 and `rcode`; nothing for what is
// not a query.
std::optional<std::vector<uint8_t>> error_response(std::span<const uint8_t> request, uint8_t rcode);

} // namespace dns
