#include "failure_cache.hpp"

#include "code_names.hpp"
#include "trace.hpp"

#include <algorithm>

namespace dns {

namespace {

// A failure whose hold ended this long ago says nothing more of the zone: the
// next failure starts again at 1 second, and its entry may be taken out.
constexpr std::chrono::seconds remembered_after_hold = FailureCache::longest_hold;

} // namespace

std::optional<FailureCache::Failure> FailureCache::find(const std::string& key,
                                                        Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    const auto found = entries_.find(key);
    if (found == entries_.end() || found->second.held_until <= now)
        return std::nullopt;
    const Entry& entry = found->second;
    // Rounded up: a hold with 300 ms left is "1 s" for the trace, never 0.
    const auto left = std::chrono::ceil<std::chrono::seconds>(entry.held_until - now);
    return Failure{entry.reason, entry.held_for, left, entry.failures_in_a_row};
}

FailureCache::Failure FailureCache::record(const std::string& key, const std::string& reason,
                                           Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end()) {
        if (entries_.size() >= max_entries_)
            std::erase_if(entries_, [now](const auto& item) {
                return item.second.held_until + remembered_after_hold <= now;
            });
        if (entries_.size() >= max_entries_) // every one still counts: not remembered
            return Failure{reason, std::chrono::seconds{0}, std::chrono::seconds{0}, 1};
        found = entries_.emplace(key, Entry{}).first;
    }
    Entry& entry = found->second;
    const bool in_a_row =
        entry.failures_in_a_row > 0 && now < entry.held_until + remembered_after_hold;
    entry.failures_in_a_row = in_a_row ? entry.failures_in_a_row + 1 : 1;
    entry.held_for = in_a_row ? std::min(entry.held_for * 2, longest_hold) : shortest_hold;
    entry.held_until = now + entry.held_for;
    entry.reason = reason;
    return Failure{entry.reason, entry.held_for, entry.held_for, entry.failures_in_a_row};
}

void FailureCache::forget(const std::string& key) {
    const std::lock_guard lock(mutex_);
    entries_.erase(key);
}

std::optional<Resolution> held_failure(FailureCache& failures, const std::string& key,
                                       const Question& question, std::ostream* trace) {
    const auto held = failures.find(key);
    if (!held)
        return std::nullopt;
    if (trace != nullptr)
        print_whole(*trace, "  lookup of " + question.name.to_string() + " " +
                                type_name(question.type) +
                                ": SERVFAIL from the failure cache (RFC 9520), for " +
                                std::to_string(held->time_left.count()) +
                                " s more: " + held->reason + "\n");
    Resolution resolution; // SERVFAIL
    resolution.extended_error = ExtendedError{
        ede::cached_error, "failed " + std::to_string(held->failures_in_a_row) +
                               " time(s) in a row, not asked again for " +
                               std::to_string(held->time_left.count()) + " s: " + held->reason};
    return resolution;
}

void remember_outcome(FailureCache& failures, const std::string& key, const Question& question,
                      const Resolution& resolution, std::ostream* trace) {
    if (resolution.rcode != rcode_servfail) {
        failures.forget(key);
        return;
    }
    const std::string reason =
        resolution.extended_error ? resolution.extended_error->text : "the lookup failed";
    const auto held = failures.record(key, reason);
    if (trace != nullptr && held.held_for.count() > 0)
        print_whole(*trace, "  " + question.name.to_string() + " " + type_name(question.type) +
                                " failed (" + std::to_string(held.failures_in_a_row) +
                                " time(s) in a row): answered SERVFAIL from the failure cache "
                                "for the next " +
                                std::to_string(held.held_for.count()) + " s\n");
}

size_t FailureCache::size() const {
    const std::lock_guard lock(mutex_);
    return entries_.size();
}

} // namespace dns
