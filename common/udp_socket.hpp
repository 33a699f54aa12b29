// UdpSocket: one UDP socket, bound to an address, that sends and receives datagrams.
//
// DNS runs over UDP first (RFC 1035 section 4.2.1): a query is one datagram, the
// response is one datagram. The socket is owned by a FileDescriptor, so it closes
// itself when the UdpSocket goes away.
#pragma once

#include "common/file_descriptor.hpp"
#include "common/socket_address.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

namespace dns {

// A socket call failed. Carries the OS error number (errno) so the caller can
// explain it in words that say what to do.
class SocketError : public std::runtime_error {
  public:
    SocketError(const std::string& what, int error_number)
        : std::runtime_error(what), error_number_(error_number) {}
    int error_number() const { return error_number_; }

  private:
    int error_number_;
};

// One datagram as it arrived.
struct ReceivedDatagram {
    size_t size = 0;        // bytes placed in the caller's buffer
    SocketAddress sender;   // who sent it
    bool truncated = false; // the datagram was larger than the buffer
};

class UdpSocket {
  public:
    // The largest UDP payload there can be: the 16-bit length field of the UDP
    // header (RFC 768) allows 65,535 bytes including its own 8-byte header.
    static constexpr size_t max_datagram_size = 65535;

    // Creates a socket of the address's family and binds it. Throws SocketError.
    static UdpSocket bind(const SocketAddress& address);

    // The address the OS really bound (the port is filled in when 0 was asked for).
    SocketAddress local_address() const;

    // Waits for one datagram. Throws SocketError.
    ReceivedDatagram receive(std::span<uint8_t> buffer) const;
    // Waits at most `timeout`; nothing if no datagram arrived in time.
    std::optional<ReceivedDatagram> receive(std::span<uint8_t> buffer,
                                            std::chrono::milliseconds timeout) const;

    // Sends one datagram. Throws SocketError.
    void send_to(std::span<const uint8_t> datagram, const SocketAddress& destination) const;

    int native_handle() const { return fd_.get(); }

  private:
    explicit UdpSocket(FileDescriptor fd) : fd_(std::move(fd)) {}
    FileDescriptor fd_;
};

// What a person can do about a failed bind, in one sentence (empty if there is no advice).
std::string advice_for_bind_error(int error_number);

} // namespace dns
