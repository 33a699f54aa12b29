// Sockets that several worker threads bind to the same address and port.
//
// With SO_REUSEPORT (Linux 3.9) every worker has a UDP socket and a TCP
// listener of its own on the resolver's one address; the kernel spreads the
// incoming datagrams and connections over them by a hash of the client's
// address and port. No thread hands work to another, and no lock is shared to
// receive or to send.
#pragma once

#include "common/file_descriptor.hpp"
#include "common/socket_address.hpp"

namespace dns {

// A non-blocking UDP socket bound with SO_REUSEPORT. Throws SocketError.
FileDescriptor bind_shared_udp(const SocketAddress& address);
// A non-blocking TCP listener bound with SO_REUSEPORT. Throws SocketError.
FileDescriptor listen_shared_tcp(const SocketAddress& address);
// The address a socket is bound to (the port filled in when 0 was asked).
SocketAddress bound_address(int fd);

} // namespace dns
