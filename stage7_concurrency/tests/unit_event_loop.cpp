// Tasks and the event loop: values and exceptions through co_await, waiting
// for a socket with a deadline, work posted from another thread, and stop().

#include "../event_loop.hpp"
#include "../task.hpp"
#include "common/file_descriptor.hpp"
#include "common/udp_socket.hpp"

#include <array>
#include <atomic>
#include <doctest/doctest.h>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <vector>

using namespace dns;
using namespace std::chrono_literals;

namespace {

using Clock = EventLoop::Clock;

Task<int> forty_two() {
    co_return 42;
}

Task<int> add_one(Task<int> inner) {
    co_return co_await std::move(inner) + 1;
}

Task<int> fails() {
    throw std::runtime_error("upstream gone");
    co_return 0;
}

// Three levels down, the exception still comes out of each co_await.
Task<int> fails_deeper() {
    co_return co_await add_one(fails());
}

Task<std::string> catches(Task<int> inner) {
    try {
        co_await std::move(inner);
    } catch (const std::runtime_error& error) {
        co_return std::string("caught: ") + error.what();
    }
    co_return "nothing thrown";
}

Task<bool> wait_readable(EventLoop& loop, int fd, Clock::time_point deadline) {
    co_return co_await loop.readable(fd, deadline);
}

UdpSocket loopback_socket() {
    return UdpSocket::bind(SocketAddress::from_ip("127.0.0.1", 0));
}

} // namespace

TEST_CASE("a task's value comes back through run_to_completion") {
    EventLoop loop;
    CHECK(run_to_completion(loop, forty_two()) == 42);
    CHECK(run_to_completion(loop, add_one(add_one(forty_two()))) == 44);
    CHECK(loop.live_tasks() == 0);
}

TEST_CASE("an exception in a nested task comes out of co_await") {
    EventLoop loop;
    CHECK(run_to_completion(loop, catches(fails())) == "caught: upstream gone");
    CHECK(run_to_completion(loop, catches(fails_deeper())) == "caught: upstream gone");
    CHECK(run_to_completion(loop, catches(forty_two())) == "nothing thrown");
    // Not caught anywhere: run_to_completion throws it.
    CHECK_THROWS_WITH_AS(run_to_completion(loop, add_one(fails())), "upstream gone",
                         std::runtime_error);
    CHECK(loop.live_tasks() == 0);
}

TEST_CASE("readable: true when a datagram arrives before the deadline") {
    EventLoop loop;
    const UdpSocket socket = loopback_socket();
    const SocketAddress address = socket.local_address();
    const UdpSocket sender = loopback_socket();
    // The datagram comes a little later, from another thread: the task must
    // really be waiting, not find it already there.
    std::thread later([&] {
        std::this_thread::sleep_for(50ms);
        const std::array<uint8_t, 3> datagram{1, 2, 3};
        sender.send_to(datagram, address);
    });
    const auto started = Clock::now();
    const bool ready =
        run_to_completion(loop, wait_readable(loop, socket.native_handle(), started + 10s));
    const auto elapsed = Clock::now() - started;
    later.join();
    CHECK(ready);
    CHECK(elapsed < 5s); // woken by the datagram, not by the deadline
    std::array<uint8_t, 16> buffer{};
    const auto received = socket.receive(buffer, 1000ms);
    REQUIRE(received);
    CHECK(received->size == 3);
    CHECK(buffer[2] == 3);
}

TEST_CASE("readable: false after the deadline when nothing comes") {
    EventLoop loop;
    const UdpSocket socket = loopback_socket();
    const auto started = Clock::now();
    const bool ready =
        run_to_completion(loop, wait_readable(loop, socket.native_handle(), started + 200ms));
    const auto elapsed = Clock::now() - started;
    CHECK_FALSE(ready);
    CHECK(elapsed >= 190ms); // not before its time...
    CHECK(elapsed < 5s);     // ...and not long after it
    // The socket can be waited for again: the loop let go of it.
    CHECK_FALSE(
        run_to_completion(loop, wait_readable(loop, socket.native_handle(), Clock::now() + 20ms)));
}

TEST_CASE("post() from another thread runs the work on the loop's thread") {
    EventLoop loop;
    const auto loop_thread = std::this_thread::get_id();
    std::atomic<bool> ran = false;
    std::thread::id ran_on;
    std::thread other([&] {
        loop.post([&] {
            ran_on = std::this_thread::get_id();
            ran = true;
        });
    });
    // Bounded: at most 10 s if post() failed to wake the loop.
    for (int turn = 0; turn < 100 && !ran; ++turn)
        loop.run_once(100ms);
    other.join();
    REQUIRE(ran);
    CHECK(ran_on == loop_thread);
    CHECK(ran_on != other.get_id());
}

namespace {

Task<void> wait_and_record(EventLoop& loop, int fd, Clock::time_point deadline, int& heard) {
    heard = co_await loop.readable(fd, deadline) ? 1 : 0;
}

} // namespace

TEST_CASE("stop(): tasks waiting on long deadlines hear false at once, and run() returns") {
    EventLoop loop;
    std::vector<UdpSocket> sockets;
    for (int i = 0; i < 3; ++i)
        sockets.push_back(loopback_socket());
    std::array<int, 3> heard{-1, -1, -1};
    const auto started = Clock::now();
    for (size_t i = 0; i < sockets.size(); ++i)
        loop.spawn(wait_and_record(loop, sockets[i].native_handle(), started + 120s, heard[i]));
    CHECK(loop.live_tasks() == 3);
    std::thread stopper([&] {
        std::this_thread::sleep_for(50ms);
        loop.stop();
    });
    loop.run();
    stopper.join();
    const auto elapsed = Clock::now() - started;
    CHECK(elapsed < 30s); // far less than the 120 s deadlines
    CHECK(heard == std::array<int, 3>{0, 0, 0});
    CHECK(loop.live_tasks() == 0);
}

namespace {

Task<void> wait_and_note(EventLoop::IoWait wait, std::string name, std::vector<std::string>& log) {
    const bool ready = co_await wait;
    log.push_back(name + (ready ? " ready" : " timed out"));
}

// A connected pair of stream sockets whose first one cannot take another byte:
// its send buffer and its peer's receive buffer are full.
std::array<FileDescriptor, 2> full_stream_pair() {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0);
    std::array<FileDescriptor, 2> pair{FileDescriptor(fds[0]), FileDescriptor(fds[1])};
    const std::vector<uint8_t> chunk(4096, 0);
    while (::send(pair[0].get(), chunk.data(), chunk.size(), MSG_DONTWAIT) > 0) {
    }
    return pair;
}

void drain(int fd) {
    std::vector<uint8_t> sink(65536);
    while (::recv(fd, sink.data(), sink.size(), MSG_DONTWAIT) > 0) {
    }
}

} // namespace

// A TCP connection's reader waits for the next query while a writer waits to
// send an answer: both on the same socket, each woken by its own event.
TEST_CASE("one task waits to read a socket while another waits to write it") {
    EventLoop loop;
    auto [ours, peer] = full_stream_pair();
    std::vector<std::string> log;
    const auto deadline = Clock::now() + 10s;
    loop.spawn(wait_and_note(loop.readable(ours.get(), deadline), "reader", log));
    loop.spawn(wait_and_note(loop.writable(ours.get(), deadline), "writer", log));
    loop.run_once(20ms);
    CHECK(log.empty());

    const uint8_t byte = 1;
    REQUIRE(::send(peer.get(), &byte, 1, MSG_DONTWAIT) == 1);
    for (int turn = 0; turn < 50 && log.empty(); ++turn)
        loop.run_once(100ms);
    CHECK(log == std::vector<std::string>{"reader ready"});

    drain(peer.get());
    for (int turn = 0; turn < 50 && log.size() < 2; ++turn)
        loop.run_once(100ms);
    CHECK(log == std::vector<std::string>{"reader ready", "writer ready"});
    CHECK(loop.live_tasks() == 0);
}

TEST_CASE("a reader's deadline passing leaves the writer on the same socket waiting") {
    EventLoop loop;
    auto [ours, peer] = full_stream_pair();
    std::vector<std::string> log;
    loop.spawn(wait_and_note(loop.readable(ours.get(), Clock::now() + 50ms), "reader", log));
    loop.spawn(wait_and_note(loop.writable(ours.get(), Clock::now() + 10s), "writer", log));
    for (int turn = 0; turn < 50 && log.empty(); ++turn)
        loop.run_once(100ms);
    CHECK(log == std::vector<std::string>{"reader timed out"});

    drain(peer.get());
    for (int turn = 0; turn < 50 && log.size() < 2; ++turn)
        loop.run_once(100ms);
    CHECK(log == std::vector<std::string>{"reader timed out", "writer ready"});
}

TEST_CASE("two tasks waiting to read one socket is a mistake the loop reports") {
    EventLoop loop;
    const auto socket = loopback_socket();
    const auto deadline = Clock::now() + 200ms;
    int first_heard = -1;
    loop.spawn(wait_and_record(loop, socket.native_handle(), deadline, first_heard));
    CHECK_THROWS_AS(run_to_completion(loop, wait_readable(loop, socket.native_handle(), deadline)),
                    std::logic_error);
    // The first waiter is unharmed: it hears its deadline.
    for (int turn = 0; turn < 50 && loop.live_tasks() > 0; ++turn)
        loop.run_once(100ms);
    CHECK(first_heard == 0);
}

// Registrations are not taken off epoll: a socket waited on several times is
// re-armed, and a socket closed takes its registration with it, so a new
// socket given the same number is registered afresh.
TEST_CASE("a socket waited on again, and a new socket given a closed one's number") {
    EventLoop loop;
    const UdpSocket sender = loopback_socket();
    const std::array<uint8_t, 1> datagram{7};
    std::array<uint8_t, 16> buffer{};
    int first_number = -1;
    {
        const UdpSocket socket = loopback_socket();
        first_number = socket.native_handle();
        for (int round = 0; round < 3; ++round) {
            sender.send_to(datagram, socket.local_address());
            CHECK(run_to_completion(
                loop, wait_readable(loop, socket.native_handle(), Clock::now() + 10s)));
            REQUIRE(socket.receive(buffer, 1000ms));
        }
        // Once more, with nothing sent: the re-armed registration reports
        // nothing, and the wait ends at its deadline.
        CHECK_FALSE(run_to_completion(
            loop, wait_readable(loop, socket.native_handle(), Clock::now() + 50ms)));
    }
    const UdpSocket reused = loopback_socket();
    CHECK(reused.native_handle() == first_number); // POSIX: the lowest free number
    CHECK_FALSE(
        run_to_completion(loop, wait_readable(loop, reused.native_handle(), Clock::now() + 50ms)));
    sender.send_to(datagram, reused.local_address());
    CHECK(run_to_completion(loop, wait_readable(loop, reused.native_handle(), Clock::now() + 10s)));
}

// A socket's reader times out, which leaves its registration armed. In one
// batch of events, another socket's task runs first, closes that socket and
// opens a new one, which gets the same number, and waits on it; then comes the
// closed socket's event. It must not wake the new socket's waiter.
TEST_CASE("an event for a closed socket does not wake the socket given its number") {
    EventLoop loop;
    const UdpSocket sender = loopback_socket();
    auto first = std::make_unique<UdpSocket>(loopback_socket());
    const int first_number = first->native_handle();
    const SocketAddress first_address = first->local_address();
    std::vector<std::string> log;
    loop.spawn(wait_and_note(loop.readable(first_number, Clock::now() + 10ms), "first", log));
    for (int turn = 0; turn < 50 && log.empty(); ++turn)
        loop.run_once(20ms);
    REQUIRE(log == std::vector<std::string>{"first timed out"});

    const UdpSocket trigger = loopback_socket();
    std::optional<UdpSocket> second;
    auto close_and_reopen = [&]() -> Task<void> {
        const bool ready = co_await loop.readable(trigger.native_handle(), Clock::now() + 10s);
        log.push_back(ready ? "trigger ready" : "trigger timed out");
        first.reset();
        second.emplace(loopback_socket());
        log.push_back(second->native_handle() == first_number ? "same number" : "other number");
        loop.spawn(wait_and_note(loop.readable(second->native_handle(), Clock::now() + 200ms),
                                 "second", log));
    };
    loop.spawn(close_and_reopen());
    const std::array<uint8_t, 1> datagram{1};
    sender.send_to(datagram, trigger.local_address()); // its event comes first in the batch
    sender.send_to(datagram, first_address);
    std::this_thread::sleep_for(20ms);
    for (int turn = 0; turn < 50 && log.size() < 4; ++turn)
        loop.run_once(100ms);
    CHECK(log == std::vector<std::string>{"first timed out", "trigger ready", "same number",
                                          "second timed out"});
}

TEST_CASE("watch() takes a socket that was waited on before") {
    EventLoop loop;
    const UdpSocket socket = loopback_socket();
    CHECK_FALSE(
        run_to_completion(loop, wait_readable(loop, socket.native_handle(), Clock::now() + 10ms)));
    struct Counting final : EventLoop::EventTarget {
        int heard = 0;
        void on_event() override { ++heard; }
    } target;
    REQUIRE_NOTHROW(loop.watch(socket.native_handle(), target));
    const UdpSocket sender = loopback_socket();
    sender.send_to(std::array<uint8_t, 1>{1}, socket.local_address());
    for (int turn = 0; turn < 50 && target.heard == 0; ++turn)
        loop.run_once(100ms);
    CHECK(target.heard > 0);
    loop.unwatch(socket.native_handle());
}
