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

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace dns {

class ServerSelection {
  public:
    // Puts `addresses` in the order to try them, keeping the given order
    // between servers that are equally good (or equally unknown).
    void order(std::vector<SocketAddress>& addresses);

    void record_reply(const SocketAddress& server, std::chrono::milliseconds round_trip);
    void record_timeout(const SocketAddress& server, std::chrono::milliseconds waited);

    // The smoothed round-trip estimate of `server`, or -1 if it was never asked.
    double estimate_ms(const SocketAddress& server);

  private:
    // Enough for every server a busy resolver talks to; past it, start over.
    static constexpr size_t max_servers = 100000;
    static constexpr double max_estimate_ms = 120000;

    std::mutex mutex_;
    std::unordered_map<std::string, double> estimates_ms_;
};

} // namespace dns
