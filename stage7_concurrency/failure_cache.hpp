// FailureCache: questions whose lookup failed, remembered for a while.
//
// A zone whose servers are all dead costs a resolver its whole deadline (4
// seconds and up to 40 queries) for every question in it, and clients ask
// again at once: without a memory of failures, one dead zone turns the
// resolver into a source of traffic towards it, growing with the clients'
// retries. RFC 9520 section 3.2 makes the memory a MUST: a resolver caches a
// resolution failure, answering SERVFAIL from the cache, for at least 1
// second and at most 5 minutes, and SHOULD make the time grow (section 3.2,
// "exponential or linear backoff") while the failures go on.
//
// Here each question (name and type) that failed is held for 1 second, then
// 2, 4, 8, ... up to 300 seconds while its lookups keep failing; a lookup that
// succeeds forgets it. Shared by every worker, behind a mutex: it is reached
// only on the slow path, by a lookup about to start or just ended.
#pragma once

#include "question.hpp"
#include "resolution.hpp"

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>

namespace dns {

class FailureCache {
  public:
    using Clock = std::chrono::steady_clock;
    // RFC 9520 section 3.2's bounds.
    static constexpr std::chrono::seconds shortest_hold{1};
    static constexpr std::chrono::seconds longest_hold{300};

    // A failure being held: why the lookup failed, and how long it is held.
    struct Failure {
        std::string reason;
        std::chrono::seconds held_for{0};  // this time, in all
        std::chrono::seconds time_left{0}; // from now, at least 1
        int failures_in_a_row = 0;
    };

    // At most this many questions are remembered; past it, those whose hold
    // has ended make room, and if none has, a new failure is not remembered.
    FailureCache() = default;
    explicit FailureCache(size_t max_entries) : max_entries_(max_entries) {}

    // The failure held for `key` (Cache::key_for), if its hold has not ended.
    std::optional<Failure> find(const std::string& key, Clock::time_point now = Clock::now());
    // Remembers that the lookup for `key` failed for `reason`: held for twice
    // as long as the last time it failed in a row (1 s the first time, 300 s
    // at most). Returns the failure as held.
    Failure record(const std::string& key, const std::string& reason,
                   Clock::time_point now = Clock::now());
    // The lookup for `key` succeeded: its failures are forgotten.
    void forget(const std::string& key);

    size_t size() const;

  private:
    struct Entry {
        std::string reason;
        Clock::time_point held_until;
        std::chrono::seconds held_for{0};
        int failures_in_a_row = 0;
    };

    size_t max_entries_ = 10000;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
};

// The hooks of IterativeResolver::resolve. Before a lookup: the SERVFAIL for
// `question` if a failure of it is held, with an EDE "Cached Error" (RFC 8914
// section 4.14) that gives the reason, and a line in the trace (if `trace`).
std::optional<Resolution> held_failure(FailureCache& failures, const std::string& key,
                                       const Question& question, std::ostream* trace);
// After one: a SERVFAIL is held, anything else forgets the failures.
void remember_outcome(FailureCache& failures, const std::string& key, const Question& question,
                      const Resolution& resolution, std::ostream* trace);

} // namespace dns
