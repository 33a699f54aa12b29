#include "tcp_messages.hpp"

#include <cerrno>
#include <sys/socket.h>

namespace dns {

namespace {

// Reads exactly `buffer.size()` bytes, waiting in the loop when none are there.
Task<bool> receive_exactly(EventLoop& loop, int fd, std::span<uint8_t> buffer,
                           EventLoop::Clock::time_point deadline) {
    size_t received = 0;
    while (received < buffer.size()) {
        const ssize_t count =
            ::recv(fd, buffer.data() + received, buffer.size() - received, MSG_DONTWAIT);
        if (count > 0) {
            received += static_cast<size_t>(count);
            continue;
        }
        if (count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            co_return false; // closed by the peer, or failed
        const bool ready = co_await loop.readable(fd, deadline);
        if (!ready)
            co_return false;
    }
    co_return true;
}

} // namespace

std::vector<uint8_t> frame_tcp_message(std::span<const uint8_t> message) {
    std::vector<uint8_t> framed;
    framed.reserve(message.size() + 2);
    framed.push_back(static_cast<uint8_t>(message.size() >> 8));
    framed.push_back(static_cast<uint8_t>(message.size()));
    framed.insert(framed.end(), message.begin(), message.end());
    return framed;
}

Task<bool> send_tcp_message(EventLoop& loop, int fd, std::span<const uint8_t> message,
                            EventLoop::Clock::time_point deadline) {
    const std::vector<uint8_t> framed = frame_tcp_message(message);
    size_t sent = 0;
    while (sent < framed.size()) {
        // MSG_NOSIGNAL: a peer that closed must not kill the process with SIGPIPE.
        const ssize_t count =
            ::send(fd, framed.data() + sent, framed.size() - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (count > 0) {
            sent += static_cast<size_t>(count);
            continue;
        }
        if (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            co_return false;
        const bool ready = co_await loop.writable(fd, deadline);
        if (!ready)
            co_return false;
    }
    co_return true;
}

Task<std::optional<std::vector<uint8_t>>>
receive_tcp_message(EventLoop& loop, int fd, EventLoop::Clock::time_point deadline) {
    uint8_t length_bytes[2];
    const bool have_length = co_await receive_exactly(loop, fd, length_bytes, deadline);
    if (!have_length)
        co_return std::nullopt;
    std::vector<uint8_t> message(static_cast<size_t>(length_bytes[0] << 8 | length_bytes[1]));
    const bool have_message = co_await receive_exactly(loop, fd, message, deadline);
    if (!have_message)
        co_return std::nullopt;
    co_return message;
}

} // namespace dns
