// InFlightLookups: one upstream lookup for every client asking the same
// question at the same time.
//
// When a popular name expires from the cache, hundreds of clients may ask for
// it within the same millisecond. Without this table, each would start its own
// walk down from the root: a burst of identical queries upstream, and a wider
// window for a forger to race the real reply (the "birthday attack" of RFC 5452
// section 5). With it, the first client's lookup leads; every later one waits
// for that lookup's resolution, on whichever worker thread it arrived.
#pragma once

#include "event_loop.hpp"
#include "question.hpp"
#include "resolution.hpp"

#include <coroutine>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace dns {

class InFlightLookups {
  public:
    // One lookup in flight, and the clients' tasks waiting for it.
    class Lookup {
      public:
        // co_await lookup.finished(loop): pauses until the leader is done (at
        // once if it already is); then result() holds the resolution.
        auto finished(EventLoop& loop) {
            struct Awaiter {
                Lookup& lookup;
                EventLoop& loop;
                bool await_ready() const noexcept { return false; }
                bool await_suspend(std::coroutine_handle<> task) {
                    const std::lock_guard lock(lookup.mutex_);
                    if (lookup.done_)
                        return false; // not paused after all
                    lookup.waiting_.emplace_back(&loop, task);
                    return true;
                }
                void await_resume() const noexcept {}
            };
            return Awaiter{*this, loop};
        }
        // Read only after finished(): the leader wrote it before waking anyone.
        const Resolution& result() const { return result_; }

      private:
        friend class InFlightLookups;
        std::mutex mutex_;
        bool done_ = false;
        Resolution result_;
        std::vector<std::pair<EventLoop*, std::coroutine_handle<>>> waiting_;
    };

    // The lookup in flight for `key`, to wait for; or nothing, and then the
    // caller leads a new one and must call finish() when it ends.
    std::shared_ptr<Lookup> join_or_lead(const std::string& key);

    // Ends the lookup led for `key`: every task waiting for it is resumed on
    // its own worker's loop.
    void finish(const std::string& key, const Resolution& result);

    // Questions being looked up now, for the counters.
    size_t size();

  private:
    std::mutex mutex_;
    // Each question's Lookup: empty until a second client joins.
    std::unordered_map<std::string, std::shared_ptr<Lookup>> lookups_;
};

} // namespace dns
