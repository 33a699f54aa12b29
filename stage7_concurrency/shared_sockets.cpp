#include "shared_sockets.hpp"

#include "common/udp_socket.hpp"

#include <cerrno>
#include <cstring>
#include <string>
#include <sys/socket.h>

namespace dns {

namespace {

[[noreturn]] void fail(const std::string& what) {
    const int error_number = errno;
    throw SocketError(what + ": " + std::strerror(error_number), error_number);
}

FileDescriptor bind_shared(const SocketAddress& address, int type) {
    FileDescriptor fd(::socket(address.family(), type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.is_open())
        fail("cannot create a socket");
    const int on = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
    if (type == SOCK_STREAM)
        ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::bind(fd.get(), address.as_sockaddr(), address.length()) != 0)
        fail(std::string("cannot bind ") + (type == SOCK_STREAM ? "TCP" : "UDP") + " socket to " +
             address.to_string());
    return fd;
}

} // namespace

FileDescriptor bind_shared_udp(const SocketAddress& address) {
    FileDescriptor fd = bind_shared(address, SOCK_DGRAM);
    // A larger receive buffer rides out a burst of queries while the worker
    // is busy: 4 MiB where the kernel allows (net.core.rmem_max caps it).
    const int buffer_size = 4 * 1024 * 1024;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &buffer_size, sizeof buffer_size);
    return fd;
}

FileDescriptor listen_shared_tcp(const SocketAddress& address) {
    FileDescriptor fd = bind_shared(address, SOCK_STREAM);
    if (::listen(fd.get(), 128) != 0)
        fail("cannot listen on " + address.to_string());
    return fd;
}

SocketAddress bound_address(int fd) {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0)
        fail("getsockname");
    return SocketAddress::from_sockaddr(storage, length);
}

} // namespace dns
