#include "../event_loop.hpp"
#include "../frame_pool.hpp"
#include "../task.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <thread>

using namespace dns;

namespace {

Task<int> add_one(int value) {
    co_return value + 1;
}

Task<int> add_three(int value) {
    // Three frames, made and freed one after the other.
    int result = value;
    for (int i = 0; i < 3; ++i) {
        Task<int> step = add_one(result);
        result = co_await std::move(step);
    }
    co_return result;
}

int run(Task<int> task) {
    EventLoop loop;
    return run_to_completion(loop, std::move(task));
}

} // namespace

TEST_CASE("a frame given back is handed out again for a frame of its size") {
    void* first = frame_pool::allocate(1500);
    std::memset(first, 0xab, 1500); // all of it is ours to write
    frame_pool::release(first, 1500);
    void* second = frame_pool::allocate(1490); // the same class of 64 bytes
    if (frame_pool::keeps_frames)              // not under the sanitizers (frame_pool.hpp)
        CHECK(second == first);
    std::memset(second, 0xcd, 1490);
    frame_pool::release(second, 1490);
    // Larger than any class: from the heap and back, usable all the same.
    void* large = frame_pool::allocate(100000);
    std::memset(large, 0, 100000);
    frame_pool::release(large, 100000);
}

TEST_CASE("tasks run the same with their frames from the pool, on any thread") {
    CHECK(run(add_three(1)) == 4);
    CHECK(run(add_three(10)) == 13);
    // A thread's frames are its own; they are freed when it ends.
    int on_thread = 0;
    std::thread worker([&] { on_thread = run(add_three(100)); });
    worker.join();
    CHECK(on_thread == 103);
}
