// DNS messages over a TCP connection: each one preceded by its length in two
// bytes, most significant first (RFC 1035 section 4.2.2, RFC 7766 section 8).
//
// Stage 7 reads and writes them without blocking: where the socket is not
// ready, the task waits in the event loop and the worker serves others.
#pragma once

#include "event_loop.hpp"

#include <chrono>
#include <optional>
#include <span>
#include <vector>

namespace dns {

// Sends one message with its length prefix on the non-blocking socket `fd`.
// False if the connection failed or the deadline passed first.
Task<bool> send_tcp_message(EventLoop& loop, int fd, std::span<const uint8_t> message,
                            EventLoop::Clock::time_point deadline);

// Reads one message; nothing if the connection closed, failed, or the deadline
// passed first.
Task<std::optional<std::vector<uint8_t>>>
receive_tcp_message(EventLoop& loop, int fd, EventLoop::Clock::time_point deadline);

// The length prefix and the message, as one buffer to send.
std::vector<uint8_t> frame_tcp_message(std::span<const uint8_t> message);

} // namespace dns
