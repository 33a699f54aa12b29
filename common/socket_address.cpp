#include "common/socket_address.hpp"

#include <arpa/inet.h>
#include <charconv>
#include <cstring>

namespace dns {

namespace {

uint16_t parse_port(std::string_view text, std::string_view whole) {
    unsigned value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value > 65535)
        throw AddressError("'" + std::string(whole) +
                           "': the port must be a number from 0 to 65535");
    return static_cast<uint16_t>(value);
}

} // namespace

SocketAddress SocketAddress::from_ip(std::string_view ip, uint16_t port) {
    SocketAddress address;
    const std::string ip_text(ip);
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address.storage_);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address.storage_);
    if (inet_pton(AF_INET, ip_text.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        address.length_ = sizeof(sockaddr_in);
    } else if (inet_pton(AF_INET6, ip_text.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        address.length_ = sizeof(sockaddr_in6);
    } else {
        throw AddressError("'" + ip_text + "' is not an IPv4 or IPv6 address");
    }
    return address;
}

SocketAddress SocketAddress::parse(std::string_view text) {
    // IPv6 addresses contain colons themselves, so they are written in brackets
    // when a port follows (RFC 3986 section 3.2.2).
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
            throw AddressError("'" + std::string(text) +
                               "': write an IPv6 address as [ADDRESS]:PORT");
        return from_ip(text.substr(1, close - 1), parse_port(text.substr(close + 2), text));
    }
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos)
        throw AddressError("'" + std::string(text) +
                           "': expected ADDRESS:PORT, e.g. 127.0.0.1:5353");
    if (text.find(':') != colon)
        throw AddressError("'" + std::string(text) + "': write an IPv6 address as [ADDRESS]:PORT");
    return from_ip(text.substr(0, colon), parse_port(text.substr(colon + 1), text));
}

SocketAddress SocketAddress::from_sockaddr(const sockaddr_storage& storage, socklen_t length) {
    SocketAddress address;
    std::memcpy(&address.storage_, &storage, std::min<size_t>(length, sizeof(storage)));
    address.length_ = length;
    return address;
}

uint16_t SocketAddress::port() const {
    if (family() == AF_INET)
        return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
    if (family() == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
    return 0;
}

void SocketAddress::set_port(uint16_t port) {
    if (family() == AF_INET)
        reinterpret_cast<sockaddr_in*>(&storage_)->sin_port = htons(port);
    else if (family() == AF_INET6)
        reinterpret_cast<sockaddr_in6*>(&storage_)->sin6_port = htons(port);
}

std::string SocketAddress::ip_string() const {
    char buffer[INET6_ADDRSTRLEN] = {};
    if (family() == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, buffer,
                  sizeof buffer);
    else if (family() == AF_INET6)
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr, buffer,
                  sizeof buffer);
    else
        return "(no address)";
    return buffer;
}

std::string SocketAddress::to_string() const {
    if (is_ipv6())
        return "[" + ip_string() + "]:" + std::to_string(port());
    return ip_string() + ":" + std::to_string(port());
}

bool SocketAddress::is_unspecified() const {
    if (family() == AF_INET)
        return reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr.s_addr == INADDR_ANY;
    if (family() == AF_INET6)
        return IN6_IS_ADDR_UNSPECIFIED(
            &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr);
    return false;
}

bool operator==(const SocketAddress& a, const SocketAddress& b) {
    if (a.family() != b.family() || a.port() != b.port())
        return false;
    if (a.family() == AF_INET)
        return reinterpret_cast<const sockaddr_in*>(&a.storage_)->sin_addr.s_addr ==
               reinterpret_cast<const sockaddr_in*>(&b.storage_)->sin_addr.s_addr;
    if (a.family() == AF_INET6)
        return IN6_ARE_ADDR_EQUAL(&reinterpret_cast<const sockaddr_in6*>(&a.storage_)->sin6_addr,
                                  &reinterpret_cast<const sockaddr_in6*>(&b.storage_)->sin6_addr);
    return false;
}

} // namespace dns
