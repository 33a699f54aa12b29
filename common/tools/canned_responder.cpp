// canned_responder: the floor of make bench. It answers every DNS query on
// 127.0.0.1:PORT without doing any DNS work: each datagram goes back as it came,
// with the QR bit set (a response with no records). It reads and writes in
// batches of 32 (recvmmsg/sendmmsg), with THREADS threads sharing the port
// (SO_REUSEPORT), as stage 7's workers do.
//
// What it costs per answer is what the kernel costs to carry a query in and a
// response out over loopback and to wake the threads: a resolver built this
// way can hardly answer for less, so make bench prints it beside stage 7 and
// Unbound.
//
//   canned_responder PORT THREADS
//
// It runs until killed. For make bench only: it answers anything, with nothing.

#include "common/file_descriptor.hpp"

#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <vector>

namespace {

constexpr size_t batch = 32;
constexpr size_t max_query_size = 1500;

dns::FileDescriptor bind_shared_loopback(uint16_t port) {
    dns::FileDescriptor socket(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    const int on = 1;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (!socket.is_open() ||
        ::setsockopt(socket.get(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0 ||
        ::bind(socket.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        std::cerr << "canned_responder: cannot bind 127.0.0.1:" << port << ": "
                  << std::strerror(errno) << "\n";
        std::exit(1);
    }
    return socket;
}

// Waits in recvmmsg() itself (MSG_WAITFORONE: back as soon as one datagram is
// there, with whatever else has come), flips each query, sends the batch back.
void answer_forever(const dns::FileDescriptor& socket) {
    std::vector<std::array<uint8_t, max_query_size>> buffers(batch);
    std::array<sockaddr_storage, batch> senders{};
    std::array<iovec, batch> vectors{};
    std::array<mmsghdr, batch> messages{};
    for (;;) {
        for (size_t i = 0; i < batch; ++i) {
            vectors[i] = iovec{buffers[i].data(), max_query_size};
            messages[i] = mmsghdr{};
            messages[i].msg_hdr.msg_name = &senders[i];
            messages[i].msg_hdr.msg_namelen = sizeof senders[i];
            messages[i].msg_hdr.msg_iov = &vectors[i];
            messages[i].msg_hdr.msg_iovlen = 1;
        }
        const int count = ::recvmmsg(socket.get(), messages.data(), batch, MSG_WAITFORONE, nullptr);
        if (count <= 0)
            continue;
        size_t responses = 0;
        for (size_t i = 0; i < static_cast<size_t>(count); ++i) {
            if (messages[i].msg_len < 12)
                continue;          // not even a header: nothing to answer
            buffers[i][2] |= 0x80; // QR: this is a response (RFC 1035 section 4.1.1)
            vectors[i].iov_len = messages[i].msg_len;
            messages[responses++] = messages[i];
        }
        if (responses > 0)
            ::sendmmsg(socket.get(), messages.data(), static_cast<unsigned>(responses), 0);
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: canned_responder PORT THREADS\n";
        return 2;
    }
    const auto port = static_cast<uint16_t>(std::stoi(argv[1]));
    const int threads = std::stoi(argv[2]);
    std::vector<dns::FileDescriptor> sockets;
    for (int i = 0; i < threads; ++i)
        sockets.push_back(bind_shared_loopback(port));
    std::vector<std::jthread> running;
    for (const auto& socket : sockets)
        running.emplace_back([&socket] { answer_forever(socket); });
}
