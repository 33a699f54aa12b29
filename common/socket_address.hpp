// SocketAddress: an IPv4 or IPv6 address with a port, as the socket API wants it.
//
// The resolver listens on an address given as text ("0.0.0.0:0", "127.0.0.1:5353",
// "[::1]:5353") and talks to servers named by address; this type converts between
// that text and the sockaddr structures the kernel uses.
#pragma once

#include <netinet/in.h>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/socket.h>

namespace dns {

// Thrown when an address written by a person cannot be understood.
class AddressError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class SocketAddress {
  public:
    SocketAddress() = default;

    // "1.2.3.4:53" or "[2001:db8::1]:53". Throws AddressError.
    static SocketAddress parse(std::string_view text);
    // An address without a port ("1.2.3.4" or "2001:db8::1") plus a port. Throws AddressError.
    static SocketAddress from_ip(std::string_view ip, uint16_t port);
    // Copies what the kernel filled in (recvfrom, getsockname).
    static SocketAddress from_sockaddr(const sockaddr_storage& storage, socklen_t length);

    int family() const { return storage_.ss_family; }
    bool is_ipv6() const { return family() == AF_INET6; }
    uint16_t port() const;
    void set_port(uint16_t port);

    // The address alone ("127.0.0.1", "::1") and with its port ("127.0.0.1:53", "[::1]:53").
    std::string ip_string() const;
    std::string to_string() const;

    // 0.0.0.0 or :: ("any address of this machine").
    bool is_unspecified() const;

    const sockaddr* as_sockaddr() const { return reinterpret_cast<const sockaddr*>(&storage_); }
    socklen_t length() const { return length_; }

    // Same family, address and port.
    friend bool operator==(const SocketAddress& a, const SocketAddress& b);

  private:
    sockaddr_storage storage_{};
    socklen_t length_ = 0;
};

} // namespace dns
