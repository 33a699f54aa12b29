// LookupAdmission: how many lookups may run at once, in all and for one client.
//
// A query for a name never asked can cost a walk from the root: several
// upstream queries, a socket each, memory for the lookup, seconds of waiting
// when a server is silent. A client that sends thousands of such queries at
// once could take every socket and all the memory, and every other client would
// wait. So a lookup starts only while the process has fewer than `max_in_flight`
// running, and its client fewer than `max_per_client`; a query over the limit
// is turned away at once (the worker drops a UDP query, as Unbound and BIND do
// when full, and answers SERVFAIL over TCP). Queries the fast path answers
// from the cache never count.
//
// Shared by all workers: the kernel spreads a client's queries over every
// worker, and the limits hold for the whole process.
#pragma once

#include "common/socket_address.hpp"

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace dns {

class LookupAdmission {
  public:
    static constexpr size_t default_max_in_flight = 10000;
    static constexpr size_t default_max_per_client = 1000;

    LookupAdmission() = default;
    LookupAdmission(size_t max_in_flight, size_t max_per_client)
        : max_in_flight_(max_in_flight), max_per_client_(max_per_client) {}
    LookupAdmission(const LookupAdmission&) = delete;
    LookupAdmission& operator=(const LookupAdmission&) = delete;

    // One admitted lookup: it counts against the limits until the ticket is
    // destroyed, however the lookup ends (an answer, an error, an exception).
    class Ticket {
      public:
        Ticket(Ticket&& other) noexcept;
        Ticket& operator=(Ticket&&) = delete;
        Ticket(const Ticket&) = delete;
        ~Ticket();

      private:
        friend class LookupAdmission;
        Ticket(LookupAdmission& admission, std::string client)
            : admission_(&admission), client_(std::move(client)) {}
        LookupAdmission* admission_;
        std::string client_;
    };

    // A ticket if a lookup for `client` (client_key of its address) may start now.
    std::optional<Ticket> admit(const std::string& client);
    // The key of a client: its IP address as bytes (4 or 16 of them, the port
    // left out), which costs no formatting as text and fits in a string
    // without a separate allocation.
    static std::string client_key(const SocketAddress& address);

    size_t in_flight() const;
    size_t in_flight_for(const std::string& client) const;

  private:
    void finish(const std::string& client);

    const size_t max_in_flight_ = default_max_in_flight;
    const size_t max_per_client_ = default_max_per_client;
    mutable std::mutex mutex_;
    size_t in_flight_ = 0;
    std::unordered_map<std::string, size_t> per_client_; // only clients with lookups running
};

} // namespace dns
