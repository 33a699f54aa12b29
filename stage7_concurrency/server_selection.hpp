// ServerSelection: which of a zone's servers to ask first.
//
// A zone has several servers (RFC 1034 section 4.1 asks for at least two), some
// near and some far, some down. Like BIND and Unbound, the resolver measures
// each server's round-trip time and keeps a smoothed average: the fastest is
// asked first. A server never asked yet goes first, so that each one is
// measured once; a server that timed out has its estimate doubled each time
// (back-off), so it sinks to the end of the list until it answers again.
// Shared by all workers: what one thread learns, the others use.
#pragma once

#include "common/socket_address.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace dns {

class ServerSelection {
  public:
    // Puts `servers` in the order to try them, keeping the given order
    // between servers that are equally good (or equally unknown).
    // `address_of(server)` is the address a server is measured by (a server
    // may be an address, or a name with its address).
    template <typename Server, typename AddressOf = std::identity>
    void order(std::vector<Server>& servers, AddressOf address_of = {}) {
        if (servers.size() < 2)
            return;
        std::vector<std::pair<double, Server>> ranked;
        {
            const std::lock_guard lock(mutex_);
            for (auto& server : servers)
                ranked.emplace_back(estimate_locked(address_of(server)), std::move(server));
        }
        std::stable_sort(ranked.begin(), ranked.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        for (size_t i = 0; i < servers.size(); ++i)
            servers[i] = std::move(ranked[i].second);
    }

    void record_reply(const SocketAddress& server, std::chrono::milliseconds round_trip);
    void record_timeout(const SocketAddress& server, std::chrono::milliseconds waited);

    // The smoothed round-trip estimate of `server`, or -1 if it was never asked.
    double estimate_ms(const SocketAddress& server);

  private:
    // Enough for every server a busy resolver talks to; past it, start over.
    static constexpr size_t max_servers = 100000;
    static constexpr double max_estimate_ms = 120000;

    // estimate_ms(), with mutex_ held.
    double estimate_locked(const SocketAddress& server) const;

    std::mutex mutex_;
    std::unordered_map<std::string, double> estimates_ms_;
};

} // namespace dns
