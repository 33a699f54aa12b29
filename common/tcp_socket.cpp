#include "common/tcp_socket.hpp"

#include "common/deadline.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

namespace dns {

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what) {
    const int error_number = errno;
    throw SocketError(what + ": " + std::strerror(error_number), error_number);
}

// Waits until the socket is ready for `events` or the deadline passes (looking
// at least once, even if the deadline has passed already).
bool wait_for(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        const auto left = std::max<int64_t>(0, milliseconds_until(deadline).count());
        pollfd waiting{fd, events, 0};
        const int ready = ::poll(&waiting, 1, static_cast<int>(left));
        if (ready > 0)
            return true;
        if (ready < 0 && errno != EINTR)
            fail("poll");
        if (ready == 0 && left == 0)
            return false;
    }
}

} // namespace

TcpConnection TcpConnection::connect(const SocketAddress& server,
                                     std::chrono::milliseconds timeout) {
    FileDescriptor fd(::socket(server.family(), SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd.is_open())
        fail("cannot create a TCP socket");
    const auto deadline = Clock::now() + timeout;
    if (::connect(fd.get(), server.as_sockaddr(), server.length()) != 0) {
        if (errno != EINPROGRESS)
            fail("cannot connect to " + server.to_string());
        if (!wait_for(fd.get(), POLLOUT, deadline)) {
            errno = ETIMEDOUT;
            fail("cannot connect to " + server.to_string());
        }
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0) {
            errno = error;
            fail("cannot connect to " + server.to_string());
        }
    }
    return TcpConnection(std::move(fd), server);
}

void TcpConnection::send_all(std::span<const uint8_t> bytes,
                             std::chrono::milliseconds timeout) const {
    const auto deadline = Clock::now() + timeout;
    while (!bytes.empty()) {
        if (!wait_for(fd_.get(), POLLOUT, deadline)) {
            errno = ETIMEDOUT;
            fail("cannot send to " + peer_.to_string());
        }
        const ssize_t sent = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            fail("cannot send to " + peer_.to_string());
        }
        bytes = bytes.subspan(static_cast<size_t>(sent));
    }
}

bool TcpConnection::receive_exactly(std::span<uint8_t> buffer,
                                    std::chrono::milliseconds timeout) const {
    const auto deadline = Clock::now() + timeout;
    while (!buffer.empty()) {
        if (!wait_for(fd_.get(), POLLIN, deadline))
            return false;
        const ssize_t got = ::recv(fd_.get(), buffer.data(), buffer.size(), 0);
        if (got == 0)
            return false; // the peer closed the connection
        if (got < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            if (errno == ECONNRESET)
                return false;
            fail("cannot receive from " + peer_.to_string());
        }
        buffer = buffer.subspan(static_cast<size_t>(got));
    }
    return true;
}

TcpListener TcpListener::bind(const SocketAddress& address) {
    FileDescriptor fd(::socket(address.family(), SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd.is_open())
        fail("cannot create a TCP socket");
    // A restarted server may bind its port again at once, even while connections
    // of the one before it wait out TIME_WAIT.
    const int on = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::bind(fd.get(), address.as_sockaddr(), address.length()) != 0)
        fail("cannot bind TCP socket to " + address.to_string());
    if (::listen(fd.get(), 16) != 0)
        fail("cannot listen on " + address.to_string());
    return TcpListener(std::move(fd));
}

SocketAddress TcpListener::local_address() const {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&storage), &length) != 0)
        fail("getsockname");
    return SocketAddress::from_sockaddr(storage, length);
}

std::optional<TcpConnection> TcpListener::accept(std::chrono::milliseconds timeout) const {
    if (!wait_for(fd_.get(), POLLIN, Clock::now() + timeout))
        return std::nullopt;
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    FileDescriptor fd(::accept4(fd_.get(), reinterpret_cast<sockaddr*>(&peer), &length,
                                SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!fd.is_open())
        return std::nullopt; // the client gave up between poll and accept
    return TcpConnection(std::move(fd), SocketAddress::from_sockaddr(peer, length));
}

} // namespace dns
