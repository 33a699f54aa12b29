// Stage 7: concurrency.
//
// The run loop of every DNS server has four steps:
//   1. wait for a DNS request to arrive,
//   2. parse the request,
//   3. perform the lookup,
//   4. send the response.
// Until stage 6 one thread did them for one request at a time: a lookup that
// waited a second for a silent server made every other client wait too. This
// stage runs the loop in several worker threads (worker.hpp), each with its
// own sockets, and inside each thread as many lookups at once as clients ask
// for: each lookup is a coroutine that pauses while it waits for a server
// (task.hpp, event_loop.hpp). A cache shared by all workers (cache.hpp) answers
// most questions without any lookup at all.
//
// The main thread starts the workers and then only waits for signals: SIGUSR1
// prints the counters; SIGINT or SIGTERM stops the workers, lets the lookups
// in flight finish, prints the counters and exits with status 0.

#include "common/tcp_socket.hpp"
#include "common/udp_socket.hpp"
#include "options.hpp"
#include "privileges.hpp"
#include "shared_sockets.hpp"
#include "trust_anchors.hpp"
#include "worker.hpp"

#include <cerrno>
#include <csignal>
#include <iostream>
#include <memory>
#include <optional>
#include <sys/resource.h>
#include <thread>
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

struct WorkerSockets {
    FileDescriptor udp;
    FileDescriptor tcp;
};

// One UDP socket and one TCP listener per worker, all on the same address and
// port. The address is first bound by a plain UDP socket and a plain TCP
// listener, closed at once: a socket with SO_REUSEPORT may share its port with
// another program's SO_REUSEPORT socket (a second resolver started by mistake),
// and the two would split the queries between them without a word. A plain
// socket cannot share: "address in use" is said at start. With port 0 the
// plain UDP socket chooses the port; if another program holds the same number
// for TCP, start again with another port (a few times).
std::vector<WorkerSockets> bind_worker_sockets(const SocketAddress& requested, unsigned workers) {
    for (int attempt = 1;; ++attempt) {
        try {
            SocketAddress address = requested;
            address.set_port(UdpSocket::bind(requested).local_address().port());
            TcpListener::bind(address); // closed at once: only a check
            std::vector<WorkerSockets> sockets;
            while (sockets.size() < workers)
                sockets.push_back({bind_shared_udp(address), listen_shared_tcp(address)});
            return sockets;
        } catch (const SocketError& error) {
            if (requested.port() != 0 || error.error_number() != EADDRINUSE || attempt == 10)
                throw;
        }
    }
}

std::string counters_text(const std::vector<std::unique_ptr<Worker>>& workers,
                          SharedState& shared) {
    std::vector<const Counters*> counters;
    for (const auto& worker : workers)
        counters.push_back(&worker->counters());
    return format_counters(counters, shared.cache.entries(), shared.cache.bytes_used());
}

} // namespace

int main(int argc, char* argv[]) {
    Options options;
    try {
        options = parse_options(std::span(argv, static_cast<size_t>(argc)));
    } catch (const NetworkOptionError& error) {
        std::cerr << "error: " << error.what() << " (see --help)\n";
        return 2;
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

    // DNSSEC's trust anchors (dnssec_options.hpp).
    ValidatorSettings validation;
    std::string validation_said;
    try {
        validation =
            validator_settings(options.dnssec, options.root_hints_file.empty(), validation_said);
    } catch (const TrustAnchorError& error) {
        std::cerr << "error: --trust-anchor " << error.what() << "\n";
        return 2;
    }

    std::shared_ptr<const LocalZones> local_zones;
    try {
        local_zones = std::make_shared<const LocalZones>(
            LocalZones::build(options.network.local_zones, options.network.local_data));
    } catch (const LocalZoneError& error) {
        std::cerr << "error: --local-zone " << error.what() << " (see --help)\n";
        return 2;
    }

    // Every lookup in flight holds a socket, every TCP client one more: the
    // usual soft limit of 1,024 descriptors would be reached long before the
    // limits on lookups. Raise it to the hard limit the system allows.
    rlimit descriptors{};
    if (::getrlimit(RLIMIT_NOFILE, &descriptors) == 0 &&
        descriptors.rlim_cur < descriptors.rlim_max) {
        descriptors.rlim_cur = descriptors.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &descriptors);
    }

    const unsigned threads =
        options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    std::vector<WorkerSockets> sockets;
    try {
        sockets = bind_worker_sockets(options.listen, threads);
    } catch (const SocketError& error) {
        // The most common first failure: port 53 without privileges. Say what
        // happened and what to do, in one line, and exit with status 1.
        const std::string advice = advice_for_bind_error(error.error_number());
        std::cerr << "error: " << error.what() << (advice.empty() ? "" : " - " + advice) << "\n";
        return 1;
    }
    const SocketAddress bound = bound_address(sockets[0].udp.get());

    // The signals are taken by the main thread alone, with sigwait() below: they
    // are blocked here, before any worker starts, and workers inherit the mask.
    sigset_t signals;
    sigemptyset(&signals);
    for (const int signal : {SIGINT, SIGTERM, SIGUSR1})
        sigaddset(&signals, signal);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    WorkerSettings settings;
    settings.options = options;
    settings.root_servers = root_servers;
    settings.local_zones = local_zones;
    settings.allow_local_servers = options.allow_local_servers || any_local_address(root_servers);
    settings.validation = validation;
    SharedState shared{
        Cache(CacheSettings{options.cache_size_mib * 1024 * 1024}), {}, {}, {}, {}, {}, {}};
    for (const auto& forwarder : options.network.forwarders)
        shared.forwarders.add(forwarder);
    shared.stale.set_window(options.network.serve_stale);

    std::vector<std::unique_ptr<Worker>> workers;
    for (auto& pair : sockets)
        workers.push_back(
            std::make_unique<Worker>(std::move(pair.udp), std::move(pair.tcp), settings, shared));
    // Root is needed no more: the sockets are bound, the files read, the
    // limits raised (privileges.hpp). Before any worker thread starts.
    std::string privileges;
    try {
        privileges = drop_privileges(options.network.privileges);
    } catch (const PrivilegeError& error) {
        std::cerr << "error: " << error.what() << "\n";
        return 2;
    }
    std::vector<std::thread> threads_running;
    for (auto& worker : workers)
        threads_running.emplace_back([&worker] { worker->run(); });

    std::cout << "Bound to " << bound.to_string() << "\n"
              << "Waiting for DNS queries over UDP and TCP, with " << threads
              << (threads == 1 ? " worker thread" : " worker threads")
              << ". In another terminal, try:\n"
              << "    " << dig_command_for(bound) << "\n"
              << std::endl;
    if (!privileges.empty()) // after the lines every stage prints first
        std::cout << privileges << "\n" << std::endl;
    if (!validation_said.empty())
        std::cout << validation_said << "\n" << std::endl;

    for (;;) {
        int signal = 0;
        sigwait(&signals, &signal);
        if (signal == SIGUSR1) {
            print_whole(std::cout, counters_text(workers, shared));
            continue;
        }
        print_whole(std::cout, std::string("Stopping (") +
                                   (signal == SIGINT ? "SIGINT" : "SIGTERM") +
                                   "): finishing the lookups in flight\n");
        break;
    }
    for (auto& worker : workers)
        worker->stop();
    for (auto& thread : threads_running)
        thread.join();
    print_whole(std::cout, counters_text(workers, shared));
    return 0;
}
