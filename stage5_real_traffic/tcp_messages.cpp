#include "tcp_messages.hpp"
#include "common/deadline.hpp"

namespace dns {

void send_tcp_message(const TcpConnection& connection, std::span<const uint8_t> message,
                      std::chrono::milliseconds timeout) {
    std::vector<uint8_t> framed;
    framed.reserve(message.size() + 2);
    framed.push_back(static_cast<uint8_t>(message.size() >> 8));
    framed.push_back(static_cast<uint8_t>(message.size()));
    framed.insert(framed.end(), message.begin(), message.end());
    connection.send_all(framed, timeout);
}

std::optional<std::vector<uint8_t>> receive_tcp_message(const TcpConnection& connection,
                                                        std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    uint8_t length_bytes[2];
    if (!connection.receive_exactly(length_bytes, timeout))
        return std::nullopt;
    std::vector<uint8_t> message(static_cast<size_t>(length_bytes[0] << 8 | length_bytes[1]));
    if (!connection.receive_exactly(message, milliseconds_until(deadline)))
        return std::nullopt;
    return message;
}

} // namespace dns
