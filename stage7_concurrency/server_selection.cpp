#include "server_selection.hpp"

namespace dns {

namespace {

// The address as raw bytes, without its port (a server is one machine
// whatever port it is asked on): a key made without formatting text.
std::string key_of(SocketAddress address) {
    address.set_port(0);
    return std::string(reinterpret_cast<const char*>(address.as_sockaddr()), address.length());
}

} // namespace

void ServerSelection::record_reply(const SocketAddress& server,
                                   std::chrono::milliseconds round_trip) {
    const std::lock_guard lock(mutex_);
    if (estimates_ms_.size() >= max_servers)
        estimates_ms_.clear();
    const auto measured = static_cast<double>(round_trip.count());
    const auto [entry, first_time] = estimates_ms_.try_emplace(key_of(server), measured);
    // A moving average, as TCP's SRTT (RFC 6298): one slow reply does not undo
    // many fast ones, and a server that was down recovers as it answers.
    if (!first_time)
        entry->second = 0.7 * entry->second + 0.3 * measured;
}

void ServerSelection::record_timeout(const SocketAddress& server,
                                     std::chrono::milliseconds waited) {
    const std::lock_guard lock(mutex_);
    if (estimates_ms_.size() >= max_servers)
        estimates_ms_.clear();
    auto& estimate = estimates_ms_[key_of(server)];
    estimate =
        std::min(max_estimate_ms, std::max(estimate * 2, static_cast<double>(waited.count())));
}

double ServerSelection::estimate_ms(const SocketAddress& server) {
    const std::lock_guard lock(mutex_);
    return estimate_locked(server);
}

double ServerSelection::estimate_locked(const SocketAddress& server) const {
    const auto found = estimates_ms_.find(key_of(server));
    return found == estimates_ms_.end() ? -1.0 : found->second;
}

} // namespace dns
