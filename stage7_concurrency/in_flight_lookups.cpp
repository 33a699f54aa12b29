#include "in_flight_lookups.hpp"

namespace dns {

std::shared_ptr<InFlightLookups::Lookup> InFlightLookups::join_or_lead(const std::string& key) {
    const std::lock_guard lock(mutex_);
    const auto [entry, inserted] = lookups_.try_emplace(key);
    if (inserted)
        return nullptr; // the caller leads
    // The first client to join makes the Lookup they wait on: most lookups
    // lead alone, and need none.
    if (!entry->second)
        entry->second = std::make_shared<Lookup>();
    return entry->second;
}

void InFlightLookups::finish(const std::string& key, const Resolution& result) {
    std::shared_ptr<Lookup> lookup;
    {
        const std::lock_guard lock(mutex_);
        const auto found = lookups_.find(key);
        if (found == lookups_.end())
            return;
        lookup = std::move(found->second);
        lookups_.erase(found);
    }
    // Most lookups lead alone: nobody joined, so there is no Lookup. A
    // follower took its share of the lookup from the map, under the lock;
    // gone from the map, nobody can join it now. So if ours is the only
    // share, nobody will read the result: not copied.
    if (!lookup || lookup.use_count() == 1)
        return;
    std::vector<std::pair<EventLoop*, std::coroutine_handle<>>> waiting;
    {
        const std::lock_guard lock(lookup->mutex_);
        lookup->result_ = result;
        lookup->done_ = true;
        waiting.swap(lookup->waiting_);
    }
    // Each waiting task runs on the thread of its own worker, never on ours:
    // the worker's loop is not thread-safe, only its post() is.
    for (const auto& waiter : waiting) {
        const std::coroutine_handle<> task = waiter.second;
        waiter.first->post([task] { task.resume(); });
    }
}

size_t InFlightLookups::size() {
    const std::lock_guard lock(mutex_);
    return lookups_.size();
}

} // namespace dns
