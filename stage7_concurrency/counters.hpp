// Counters: what the resolver has done since it started, printed on SIGUSR1
// and at exit, as an operator reads them to see whether it is healthy.
//
// Each worker counts in its own Counters (no two threads write one counter);
// the main thread reads them all and adds them up. The counters are atomics,
// written with relaxed order: a sum taken while the workers run may be a few
// queries behind, which is fine for a report, and no lock is ever taken.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace dns {

struct Counters {
    std::atomic<uint64_t> queries{0};                         // requests received, UDP and TCP
    std::array<std::atomic<uint64_t>, 16> answers_by_rcode{}; // responses sent, by rcode
    std::atomic<uint64_t> cache_hits{0};                      // answered by the fast path
    std::atomic<uint64_t> upstream_queries{0};  // queries sent to authoritative servers
    std::atomic<uint64_t> upstream_timeouts{0}; // of which no reply came in time
    std::atomic<uint64_t> lookups_failed{0};    // lookups that ended in SERVFAIL
    std::atomic<uint64_t> refused_clients{0};   // requests from outside the access list
    std::atomic<uint64_t> dropped{0};           // over the limit of lookups in flight
    std::atomic<uint64_t> tcp_connections{0};   // accepted

    void add(std::atomic<uint64_t>& counter, uint64_t amount = 1) {
        counter.fetch_add(amount, std::memory_order_relaxed);
    }
    void count_answer(uint8_t rcode) { add(answers_by_rcode[rcode & 0x0f]); }
};

// The sum of every worker's counters, as lines of "name value".
std::string format_counters(const std::vector<const Counters*>& workers, size_t cache_entries,
                            size_t cache_bytes);

} // namespace dns
