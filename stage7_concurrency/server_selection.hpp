// ServerSelection: which of a zone's servers to ask first.
//
// A zone has several servers (RFC 1034 section 4.1 asks for at least two), some
// near and some far, some down. Like BIND and Unbound, the resolver measures
// each server's round-trip time and keeps a smoothed average: the fastest is
// asked first. A server never asked yet goes first, so that each one is
// measured once. Every way a server can fail to help counts against it as a
// timeout does, its estimate doubled each time (back-off), so that it sinks to
// the end of the list until it answers again: silence, but also REFUSED,
// SERVFAIL, a lame reply, garbage, or an address that cannot be reached at all
// (no route to an IPv6 address, say). A failure recorded as a fast reply would
// put the broken server first in line for every lookup (Knot Resolver's
// lib/selection.c feeds every kind of failure back in the same way).
//
// Two more rules keep the choice honest:
//   - what is known is forgotten after a while (`forget_after`, as Unbound's
//     infra-host-ttl of 15 minutes): a server that was down is measured again;
//   - servers within `band` of the fastest known one are asked in a random
//     order, as Unbound does with its 400 ms band: no one server of a zone
//     takes all the load, and an off-path forger cannot tell which server a
//     query goes to (RFC 5452 section 4.4 counts the server among the things a
//     forger must guess).
// Shared by all workers: what one thread learns, the others use.
#pragma once

#include "common/socket_address.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace dns {

class ServerSelection {
  public:
    using Clock = std::chrono::steady_clock;

    // Estimates this far apart or closer count as equally good.
    static constexpr double band_ms = 400;
    // What a failure other than a timeout counts as: a whole timeout.
    static constexpr std::chrono::milliseconds failure_penalty{1000};
    // How long a measurement holds before the server counts as unknown again.
    static constexpr std::chrono::minutes forget_after{15};

    // Puts `servers` in the order to try them: the servers never asked first,
    // in the given order; then those known, the fastest first, in a random
    // order among those within `band_ms` of each other.
    // `address_of(server)` is the address a server is measured by (a server
    // may be an address, or a name with its address).
    template <typename Server, typename AddressOf = std::identity>
    void order(std::vector<Server>& servers, AddressOf address_of = {},
               Clock::time_point now = Clock::now()) {
        if (servers.size() < 2)
            return;
        std::vector<std::pair<double, Server>> ranked;
        {
            const std::lock_guard lock(mutex_);
            for (auto& server : servers)
                ranked.emplace_back(estimate_locked(address_of(server), now), std::move(server));
        }
        std::stable_sort(ranked.begin(), ranked.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        // The known servers start after the unknown ones (estimate -1); each
        // group of servers within the band of its fastest is shuffled.
        auto group = std::find_if(ranked.begin(), ranked.end(),
                                  [](const auto& entry) { return entry.first >= 0; });
        while (group != ranked.end()) {
            const double fastest = group->first;
            const auto end = std::find_if(group, ranked.end(), [&](const auto& entry) {
                return entry.first > fastest + band_ms;
            });
            shuffle(group, end);
            group = end;
        }
        for (size_t i = 0; i < servers.size(); ++i)
            servers[i] = std::move(ranked[i].second);
    }

    void record_reply(const SocketAddress& server, std::chrono::milliseconds round_trip,
                      Clock::time_point now = Clock::now());
    void record_timeout(const SocketAddress& server, std::chrono::milliseconds waited,
                        Clock::time_point now = Clock::now());
    // A reply that did not help (REFUSED, SERVFAIL, lame, unreadable...), or
    // a query that could not be sent: counted as a timeout of `failure_penalty`.
    void record_failure(const SocketAddress& server, Clock::time_point now = Clock::now());

    // The machine could not send to `server`'s kind of address at all (no
    // IPv6 route, say): a failure of that server, and every address of its
    // family is skipped for `forget_after`.
    void record_no_route(const SocketAddress& server, Clock::time_point now = Clock::now());
    bool has_route(const SocketAddress& server, Clock::time_point now = Clock::now());

    // The smoothed round-trip estimate of `server`, or -1 if it was never
    // asked (or not for `forget_after`).
    double estimate_ms(const SocketAddress& server, Clock::time_point now = Clock::now());

  private:
    // Enough for every server a busy resolver talks to; past it, start over.
    static constexpr size_t max_servers = 100000;
    static constexpr double max_estimate_ms = 120000;

    struct Estimate {
        double ms = 0;
        Clock::time_point measured_at;
    };
    // A server's key: its address's bytes without the port (a server is one
    // machine whatever port it is asked on), zero-padded to the size of the
    // largest, IPv6's. A fixed size, held in the map's node: a look-up, once
    // or twice per upstream query, allocates nothing (a string of the 16 bytes
    // of an IPv4 sockaddr did, one byte past what a short string holds).
    using ServerKey = std::array<uint8_t, sizeof(sockaddr_in6)>;
    struct ServerKeyHash {
        size_t operator()(const ServerKey& key) const {
            return std::hash<std::string_view>{}(
                std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
        }
    };
    static ServerKey key_of(SocketAddress server);

    // estimate_ms(), with mutex_ held.
    double estimate_locked(const SocketAddress& server, Clock::time_point now) const;
    // The entry of `server` to update (a new one if it has none or it was forgotten).
    Estimate& entry_locked(const SocketAddress& server, Clock::time_point now, bool& fresh);

    template <typename Iterator>
    void shuffle(Iterator first, Iterator last) {
        if (last - first < 2)
            return;
        const std::lock_guard lock(mutex_);
        std::shuffle(first, last, random_);
    }

    std::mutex mutex_;
    std::unordered_map<ServerKey, Estimate, ServerKeyHash> estimates_;
    std::unordered_map<int, Clock::time_point> no_route_since_; // by address family
    std::minstd_rand random_{std::random_device{}()};
};

} // namespace dns
