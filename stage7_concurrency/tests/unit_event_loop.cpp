// Tasks and the event loop: values and exceptions through co_await, waiting
// for a socket with a deadline, work posted from another thread, and stop().

#include "../event_loop.hpp"
#include "../task.hpp"
#include "common/udp_socket.hpp"

#include <array>
#include <atomic>
#include <doctest/doctest.h>
#include <stdexcept>
#include <string>
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
