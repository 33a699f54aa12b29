// StaleAnswers: serve-stale (RFC 8767), off unless --serve-stale SECONDS.
//
// When every server of a zone fails (an outage, an attack on its servers), a
// resolver that has just let a record expire can only answer SERVFAIL, and
// the names of that zone are gone for its clients for as long as the outage
// lasts. RFC 8767 lets it answer instead with the records it had, for a
// while after they expired: they are more likely right than nothing is. The
// answer is given with a TTL of 30 seconds (section 4: clients come back soon
// and find the fresh one once the zone answers again), and says so with the
// Extended DNS Error 3, Stale Answer (RFC 8914 section 4.4).
//
// The cache forgets an answer when it expires; this keeps the last positive
// answer of each question apart, until SECONDS after it expired, and is
// asked only when a lookup has failed. Off by default, as RFC 8767 section 5
// leaves it to the operator: with a window of 0 it keeps nothing at all.
#pragma once

#include "resolution.hpp"
#include "ttl_clock.hpp"

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>

namespace dns {

class StaleAnswers {
  public:
    using Clock = TtlClock; // as the cache's
    // RFC 8767 section 4: "a TTL of 30 seconds" for a stale answer.
    static constexpr uint32_t stale_ttl = 30;

    StaleAnswers() = default;
    // `window`: how long after its expiry an answer may still be served.
    explicit StaleAnswers(std::chrono::seconds window, size_t max_entries = 10000)
        : window_(window), max_entries_(max_entries) {}

    // Set once at start, before any lookup (--serve-stale).
    void set_window(std::chrono::seconds window) { window_ = window; }
    bool enabled() const { return window_.count() > 0; }

    // Keeps `resolution` for `key` if it is an answer with records: it
    // expires when its shortest TTL runs out.
    void remember(const std::string& key, const Resolution& resolution,
                  Clock::time_point now = Clock::now());
    // The answer kept for `key`, stale (TTLs 30, EDE 3) if it expired no more
    // than the window ago; nothing otherwise.
    std::optional<Resolution> find(const std::string& key, std::string_view failure,
                                   Clock::time_point now = Clock::now());

    // The hook of IterativeResolver::resolve: `resolution` itself, unless it
    // is a SERVFAIL and a stale answer is kept for `key`; said in the trace.
    Resolution instead_of_failure(const std::string& key, Resolution resolution,
                                  std::ostream* trace);

  private:
    struct Entry {
        Resolution answer;
        Clock::time_point expires;
    };

    std::chrono::seconds window_{0};
    size_t max_entries_ = 10000;
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
};

} // namespace dns
