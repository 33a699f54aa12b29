#include "server_selection.hpp"

namespace dns {

ServerSelection::ServerKey ServerSelection::key_of(SocketAddress server) {
    server.set_port(0);
    ServerKey key{};
    const auto* bytes = reinterpret_cast<const uint8_t*>(server.as_sockaddr());
    std::copy(bytes, bytes + std::min<size_t>(server.length(), key.size()), key.begin());
    return key;
}

ServerSelection::Estimate& ServerSelection::entry_locked(const SocketAddress& server,
                                                         Clock::time_point now, bool& fresh) {
    if (estimates_.size() >= max_servers)
        estimates_.clear();
    auto [entry, inserted] = estimates_.try_emplace(key_of(server));
    fresh = inserted || now - entry->second.measured_at > forget_after;
    if (fresh)
        entry->second.ms = 0;
    entry->second.measured_at = now;
    return entry->second;
}

void ServerSelection::record_reply(const SocketAddress& server,
                                   std::chrono::milliseconds round_trip, Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    bool fresh = false;
    Estimate& estimate = entry_locked(server, now, fresh);
    const auto measured = static_cast<double>(round_trip.count());
    // A moving average, as TCP's SRTT (RFC 6298): one slow reply does not undo
    // many fast ones, and a server that was down recovers as it answers.
    estimate.ms = fresh ? measured : 0.7 * estimate.ms + 0.3 * measured;
}

void ServerSelection::record_timeout(const SocketAddress& server, std::chrono::milliseconds waited,
                                     Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    bool fresh = false;
    Estimate& estimate = entry_locked(server, now, fresh);
    estimate.ms =
        std::min(max_estimate_ms, std::max(estimate.ms * 2, static_cast<double>(waited.count())));
}

void ServerSelection::record_failure(const SocketAddress& server, Clock::time_point now) {
    record_timeout(server, failure_penalty, now);
}

void ServerSelection::record_no_route(const SocketAddress& server, Clock::time_point now) {
    record_failure(server, now);
    const std::lock_guard lock(mutex_);
    no_route_since_[server.family()] = now;
}

bool ServerSelection::has_route(const SocketAddress& server, Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    const auto found = no_route_since_.find(server.family());
    return found == no_route_since_.end() || now - found->second > forget_after;
}

double ServerSelection::estimate_ms(const SocketAddress& server, Clock::time_point now) {
    const std::lock_guard lock(mutex_);
    return estimate_locked(server, now);
}

double ServerSelection::estimate_locked(const SocketAddress& server, Clock::time_point now) const {
    const auto found = estimates_.find(key_of(server));
    if (found == estimates_.end() || now - found->second.measured_at > forget_after)
        return -1.0;
    return found->second.ms;
}

} // namespace dns
