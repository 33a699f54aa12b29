// TcpListener and TcpConnection: DNS over TCP (RFC 1035 section 4.2.2, RFC 7766).
//
// UDP carries most DNS, but a message too large for a UDP response is sent again
// over TCP, and a client or resolver must be able to use it. TCP is a stream, not
// datagrams: a DNS message on it is preceded by its length in two bytes. The
// framing is the stages' business; these classes only move bytes, each with a
// timeout so that a silent peer never holds anybody up forever.
#pragma once

#include "common/file_descriptor.hpp"
#include "common/socket_address.hpp"
#include "common/udp_socket.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>

namespace dns {

class TcpConnection {
  public:
    // Connects to `server`, waiting at most `timeout`. Throws SocketError.
    static TcpConnection connect(const SocketAddress& server, std::chrono::milliseconds timeout);

    // Sends every byte, waiting at most `timeout` in all. Throws SocketError.
    void send_all(std::span<const uint8_t> bytes, std::chrono::milliseconds timeout) const;
    // Reads exactly buffer.size() bytes, waiting at most `timeout` in all. False
    // if the peer closed the connection or the time ran out first.
    bool receive_exactly(std::span<uint8_t> buffer, std::chrono::milliseconds timeout) const;

    const SocketAddress& peer() const { return peer_; }
    int native_handle() const { return fd_.get(); }

  private:
    friend class TcpListener;
    TcpConnection(FileDescriptor fd, SocketAddress peer) : fd_(std::move(fd)), peer_(peer) {}
    FileDescriptor fd_;
    SocketAddress peer_;
};

class TcpListener {
  public:
    // Binds and listens. Throws SocketError (with the OS error, as UdpSocket::bind).
    static TcpListener bind(const SocketAddress& address);

    SocketAddress local_address() const;
    // The next connection, or nothing if none came within `timeout`.
    std::optional<TcpConnection> accept(std::chrono::milliseconds timeout) const;
    int native_handle() const { return fd_.get(); }

  private:
    explicit TcpListener(FileDescriptor fd) : fd_(std::move(fd)) {}
    FileDescriptor fd_;
};

} // namespace dns
