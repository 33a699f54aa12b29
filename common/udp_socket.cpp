#include "common/udp_socket.hpp"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>

namespace dns {

namespace {

std::string os_error(int error_number) {
    return std::strerror(error_number);
}

} // namespace

UdpSocket UdpSocket::bind(const SocketAddress& address) {
    FileDescriptor fd(::socket(address.family(), SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd.is_open()) {
        const int error_number = errno;
        throw SocketError("cannot create a UDP socket: " + os_error(error_number), error_number);
    }
    if (::bind(fd.get(), address.as_sockaddr(), address.length()) != 0) {
        const int error_number = errno;
        throw SocketError("cannot bind UDP socket to " + address.to_string() + ": " +
                              os_error(error_number),
                          error_number);
    }
    return UdpSocket(std::move(fd));
}

SocketAddress UdpSocket::local_address() const {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
        const int error_number = errno;
        throw SocketError("getsockname failed: " + os_error(error_number), error_number);
    }
    return SocketAddress::from_sockaddr(storage, length);
}

ReceivedDatagram UdpSocket::receive(std::span<uint8_t> buffer) const {
    for (;;) {
        sockaddr_storage sender{};
        socklen_t sender_length = sizeof sender;
        // MSG_TRUNC makes recvfrom return the datagram's real length even when the
        // buffer was too small, so a cut-off datagram is noticed, not misread.
        const ssize_t received = ::recvfrom(fd_.get(), buffer.data(), buffer.size(), MSG_TRUNC,
                                            reinterpret_cast<sockaddr*>(&sender), &sender_length);
        if (received < 0) {
            if (errno == EINTR)
                continue;
            const int error_number = errno;
            throw SocketError("recvfrom failed: " + os_error(error_number), error_number);
        }
        ReceivedDatagram datagram;
        datagram.truncated = static_cast<size_t>(received) > buffer.size();
        datagram.size = datagram.truncated ? buffer.size() : static_cast<size_t>(received);
        datagram.sender = SocketAddress::from_sockaddr(sender, sender_length);
        return datagram;
    }
}

std::optional<ReceivedDatagram> UdpSocket::receive(std::span<uint8_t> buffer,
                                                   std::chrono::milliseconds timeout) const {
    pollfd waiting{fd_.get(), POLLIN, 0};
    const int ready = ::poll(&waiting, 1, static_cast<int>(std::max<int64_t>(0, timeout.count())));
    if (ready < 0 && errno != EINTR) {
        const int error_number = errno;
        throw SocketError("poll failed: " + os_error(error_number), error_number);
    }
    if (ready <= 0)
        return std::nullopt;
    return receive(buffer);
}

void UdpSocket::send_to(std::span<const uint8_t> datagram, const SocketAddress& destination) const {
    const ssize_t sent = ::sendto(fd_.get(), datagram.data(), datagram.size(), 0,
                                  destination.as_sockaddr(), destination.length());
    if (sent < 0) {
        const int error_number = errno;
        throw SocketError("cannot send to " + destination.to_string() + ": " +
                              os_error(error_number),
                          error_number);
    }
}

std::string advice_for_bind_error(int error_number) {
    switch (error_number) {
    case EACCES:
        return "ports below 1024 are reserved for root (or CAP_NET_BIND_SERVICE); "
               "choose a higher port, e.g. --listen 127.0.0.1:5353, or port 0 to let the OS pick";
    case EADDRINUSE:
        return "another program already uses this address and port; stop it or choose another "
               "port (port 0 lets the OS pick a free one)";
    case EADDRNOTAVAIL:
        return "this address does not belong to this machine; use 127.0.0.1, 0.0.0.0, [::1] "
               "or an address that 'ip address' lists";
    case EAFNOSUPPORT:
        return "this machine has no support for that address family (is IPv6 disabled?)";
    default:
        return "";
    }
}

} // namespace dns
