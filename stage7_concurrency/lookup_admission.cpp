#include "lookup_admission.hpp"

#include <netinet/in.h>
#include <utility>

namespace dns {

LookupAdmission::Ticket::Ticket(Ticket&& other) noexcept
    : admission_(std::exchange(other.admission_, nullptr)), client_(std::move(other.client_)) {}

LookupAdmission::Ticket::~Ticket() {
    if (admission_)
        admission_->finish(client_);
}

std::string LookupAdmission::client_key(const SocketAddress& address) {
    if (address.is_ipv6()) {
        const auto& ipv6 = reinterpret_cast<const sockaddr_in6*>(address.as_sockaddr())->sin6_addr;
        return std::string(reinterpret_cast<const char*>(&ipv6), sizeof ipv6);
    }
    const auto& ipv4 = reinterpret_cast<const sockaddr_in*>(address.as_sockaddr())->sin_addr;
    return std::string(reinterpret_cast<const char*>(&ipv4), sizeof ipv4);
}

std::optional<LookupAdmission::Ticket> LookupAdmission::admit(const std::string& client) {
    const std::lock_guard lock(mutex_);
    if (in_flight_ >= max_in_flight_)
        return std::nullopt;
    const auto found = per_client_.find(client);
    if ((found == per_client_.end() ? 0 : found->second) >= max_per_client_)
        return std::nullopt;
    if (found == per_client_.end())
        per_client_.emplace(client, 1);
    else
        ++found->second;
    ++in_flight_;
    return Ticket(*this, client);
}

void LookupAdmission::finish(const std::string& client) {
    const std::lock_guard lock(mutex_);
    --in_flight_;
    if (const auto found = per_client_.find(client); --found->second == 0)
        per_client_.erase(found);
}

size_t LookupAdmission::in_flight() const {
    const std::lock_guard lock(mutex_);
    return in_flight_;
}

size_t LookupAdmission::in_flight_for(const std::string& client) const {
    const std::lock_guard lock(mutex_);
    const auto found = per_client_.find(client);
    return found == per_client_.end() ? 0 : found->second;
}

} // namespace dns
