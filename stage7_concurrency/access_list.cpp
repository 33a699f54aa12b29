#include "access_list.hpp"

#include <arpa/inet.h>
#include <charconv>
#include <cstring>
#include <string>

namespace dns {

namespace {

// The address's bytes, in network order: 4 for IPv4, 16 for IPv6.
std::array<uint8_t, 16> address_bytes(const SocketAddress& address) {
    std::array<uint8_t, 16> bytes{};
    if (address.is_ipv6())
        std::memcpy(bytes.data(),
                    &reinterpret_cast<const sockaddr_in6*>(address.as_sockaddr())->sin6_addr, 16);
    else
        std::memcpy(bytes.data(),
                    &reinterpret_cast<const sockaddr_in*>(address.as_sockaddr())->sin_addr, 4);
    return bytes;
}

} // namespace

Network Network::parse(std::string_view cidr) {
    const size_t slash = cidr.find('/');
    const std::string_view ip = cidr.substr(0, slash);
    Network network;
    try {
        const SocketAddress address = SocketAddress::from_ip(ip, 0);
        network.family = address.family();
        network.bytes = address_bytes(address);
    } catch (const AddressError&) {
        throw CidrError("'" + std::string(cidr) + "' is not an address or a network (CIDR)");
    }
    const int bits = network.family == AF_INET6 ? 128 : 32;
    network.prefix_length = bits;
    if (slash != std::string_view::npos) {
        const std::string_view length = cidr.substr(slash + 1);
        const auto [end, error] =
            std::from_chars(length.data(), length.data() + length.size(), network.prefix_length);
        if (length.empty() || error != std::errc() || end != length.data() + length.size() ||
            network.prefix_length < 0 || network.prefix_length > bits)
            throw CidrError("'" + std::string(cidr) + "': the prefix length must be 0 to " +
                            std::to_string(bits));
    }
    return network;
}

bool Network::contains(const SocketAddress& address) const {
    auto candidate = address_bytes(address);
    int candidate_family = address.family();
    // On a socket bound to [::], IPv4 clients arrive as ::ffff:a.b.c.d
    // (RFC 4291 section 2.5.5.2): they are matched as the IPv4 clients they are.
    static constexpr uint8_t v4_mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (candidate_family == AF_INET6 && family == AF_INET &&
        std::memcmp(candidate.data(), v4_mapped_prefix, 12) == 0) {
        std::memmove(candidate.data(), candidate.data() + 12, 4);
        candidate_family = AF_INET;
    }
    if (candidate_family != family)
        return false;
    const int whole_bytes = prefix_length / 8;
    if (std::memcmp(candidate.data(), bytes.data(), static_cast<size_t>(whole_bytes)) != 0)
        return false;
    const int rest = prefix_length % 8;
    if (rest == 0)
        return true;
    const auto mask = static_cast<uint8_t>(0xff << (8 - rest));
    return (candidate[static_cast<size_t>(whole_bytes)] & mask) ==
           (bytes[static_cast<size_t>(whole_bytes)] & mask);
}

AccessList AccessList::loopback_only() {
    AccessList list;
    list.allow(Network::parse("127.0.0.0/8"));
    list.allow(Network::parse("::1/128"));
    return list;
}

bool AccessList::allows(const SocketAddress& client) const {
    for (const auto& network : networks_)
        if (network.contains(client))
            return true;
    return false;
}

} // namespace dns
