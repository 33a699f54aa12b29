#include "stale_answers.hpp"

#include "trace.hpp"

#include <algorithm>

namespace dns {

void StaleAnswers::remember(const std::string& key, const Resolution& resolution,
                            Clock::time_point now) {
    if (!enabled() || resolution.rcode != rcode_noerror || resolution.answers.empty() ||
        resolution.extended_error) // a stale answer itself is not kept again
        return;
    uint32_t shortest = UINT32_MAX;
    for (const auto& record : resolution.answers)
        shortest = std::min(shortest, record.ttl);
    const std::lock_guard lock(mutex_);
    if (entries_.size() >= max_entries_ && !entries_.contains(key)) {
        std::erase_if(entries_, [&](const auto& item) {
            return Clock::reached(now, item.second.expires + window_);
        });
        if (entries_.size() >= max_entries_)
            return; // every answer kept may still be served: this one is not kept
    }
    Entry& entry = entries_[key];
    entry.answer = resolution;
    entry.answer.upstream_queries = 0;
    entry.expires = now + std::chrono::seconds(shortest);
}

std::optional<Resolution> StaleAnswers::find(const std::string& key, std::string_view failure,
                                             Clock::time_point now) {
    if (!enabled())
        return std::nullopt;
    const std::lock_guard lock(mutex_);
    const auto found = entries_.find(key);
    if (found == entries_.end())
        return std::nullopt;
    if (Clock::reached(now, found->second.expires + window_)) {
        entries_.erase(found); // too old to be served, ever
        return std::nullopt;
    }
    Resolution stale = found->second.answer;
    for (auto& record : stale.answers)
        record.ttl = stale_ttl;
    const uint32_t age = Clock::seconds_between(found->second.expires, now);
    stale.extended_error =
        ExtendedError{ede::stale_answer, "stale answer, expired " + std::to_string(age) +
                                             " s ago (RFC 8767): " + std::string(failure)};
    return stale;
}

Resolution StaleAnswers::instead_of_failure(const std::string& key, Resolution resolution,
                                            std::ostream* trace) {
    if (resolution.rcode != rcode_servfail || !enabled())
        return resolution;
    const std::string failure =
        resolution.extended_error ? resolution.extended_error->text : "the lookup failed";
    auto stale = find(key, failure);
    if (!stale)
        return resolution;
    if (trace != nullptr)
        print_whole(*trace, "  the lookup failed; serving the stale answer instead (" +
                                stale->extended_error->text + ")\n");
    stale->upstream_queries = resolution.upstream_queries;
    return std::move(*stale);
}

} // namespace dns
