// DNS messages over a TCP connection: each one preceded by its length in two
// bytes, most significant first (RFC 1035 section 4.2.2, RFC 7766 section 8).
#pragma once

#include "common/tcp_socket.hpp"

#include <chrono>
#include <optional>
#include <span>
#include <vector>

namespace dns {

// Sends one message with its length prefix. Throws SocketError.
void send_tcp_message(const TcpConnection& connection, std::span<const uint8_t> message,
                      std::chrono::milliseconds timeout);

// Reads one message; nothing if the connection closed or the time ran out.
std::optional<std::vector<uint8_t>> receive_tcp_message(const TcpConnection& connection,
                                                        std::chrono::milliseconds timeout);

} // namespace dns
