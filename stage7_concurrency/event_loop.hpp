// EventLoop: one worker thread's loop. It waits, in one epoll_wait() call, for
// every socket its tasks are waiting on and for the earliest of their
// deadlines, and resumes each task whose socket is ready or whose time is up.
//
// This is how one thread keeps thousands of lookups in flight: a lookup waiting
// for a slow server costs a coroutine frame and a timer, not a thread. Each
// worker has its own loop; the only thing other threads may do to it is post()
// a function for it to run, and stop() it.
#pragma once

#include "common/file_descriptor.hpp"
#include "task.hpp"

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <sys/epoll.h>
#include <vector>

namespace dns {

class EventLoop {
  public:
    using Clock = std::chrono::steady_clock;

    EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    // Something the loop watches for as long as it runs (a listening socket):
    // on_event() is called each time its socket has something to read.
    struct EventTarget {
        virtual void on_event() = 0;

      protected:
        ~EventTarget() = default;
    };

    // co_await loop.readable(fd, deadline): pauses the task until `fd` can be
    // read from, or the deadline passes. True if it is readable. One task may
    // wait to read a socket while another waits to write it (a TCP connection
    // reading the next query while an answer is being written).
    struct IoWait {
        EventLoop& loop;
        int fd;
        uint32_t events; // EPOLLIN or EPOLLOUT
        Clock::time_point deadline;
        std::coroutine_handle<> waiting;
        std::multimap<Clock::time_point, IoWait*>::iterator timer;
        bool ready = false;

        IoWait(EventLoop& owner, int file, uint32_t wanted, Clock::time_point until)
            : loop(owner), fd(file), events(wanted), deadline(until) {}
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> task);
        bool await_resume() const noexcept { return ready; }
    };
    IoWait readable(int fd, Clock::time_point deadline);
    IoWait writable(int fd, Clock::time_point deadline);

    // co_await loop.yield(): lets the other ready tasks run first.
    struct Yield {
        EventLoop& loop;
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> task) { loop.resume_soon(task); }
        void await_resume() const noexcept {}
    };
    Yield yield() { return Yield{*this}; }

    // Calls `target.on_event()` each time `fd` has something to read, until
    // unwatch(fd). `target` must outlive the watch.
    void watch(int fd, EventTarget& target);
    void unwatch(int fd);

    // Starts a task that nobody awaits: the answer to one client.
    void spawn(Task<void> task);
    // Resumes a paused task on the next turn of the loop.
    void resume_soon(std::coroutine_handle<> task);

    // From any thread: runs `work` on this loop's thread, soon.
    void post(std::function<void()> work);
    // From any thread: makes run() wind down. Every task still waiting hears
    // "time is up" at once, so lookups in flight end quickly (with what they
    // have, or SERVFAIL) and their clients get an answer; run() returns when
    // the last task has finished.
    void stop();

    // Runs until stop(), and then until every spawned task has finished.
    void run();
    // One turn: waits at most `longest` for events, then handles them. For tests.
    void run_once(std::chrono::milliseconds longest);

    // Spawned tasks that have not finished yet.
    size_t live_tasks() const { return live_tasks_; }

  private:
    // What the loop knows of one descriptor: who waits to read it, who waits
    // to write it, or who watches it. epoll registers a descriptor once, so the
    // two directions share one registration, asking for both kinds of event.
    //
    // A registration is never taken off: closing a socket takes it off epoll
    // (the kernel does it when the last descriptor of the socket closes; the
    // resolver never dup()s one). An upstream query's socket, waited on once
    // and closed, costs one epoll_ctl call instead of two. Waiting again on a
    // socket still registered costs two (a refused ADD, then MOD), as before.
    // Should a registration outlive its descriptor number (a dup() somewhere),
    // the generation below keeps its events from anyone else.
    struct Interest {
        IoWait* reader = nullptr;
        IoWait* writer = nullptr;
        EventTarget* watcher = nullptr;
        // Counts the registrations of this descriptor number: an event queued
        // for a socket that has since been closed, its number reused by a new
        // one, is recognised by its old generation and ignored.
        uint32_t generation = 0;
    };
    Interest& interest_in(int fd);
    // Asks epoll to report `events` of `fd`. `maybe_new`: nobody else waits on
    // `fd` now, so it may be a socket epoll has never seen (added), or one it
    // has (EEXIST: then changed); otherwise its registration is changed.
    void ask_epoll_for(int fd, Interest& interest, uint32_t events, bool maybe_new);
    // ask_epoll_for() the events the waiters on `fd` want, once.
    void arm(int fd, Interest& interest, bool maybe_new);
    // arm() for the waiter left on `fd` after another was woken or timed out.
    void rearm_for_the_waiter_left(int fd, Interest& interest);
    void dispatch(const epoll_event& event);

    struct Wakeup final : EventTarget {
        EventLoop& loop;
        explicit Wakeup(EventLoop& owner) : loop(owner) {}
        void on_event() override;
    };

    void run_posted_work();
    // Takes the wait with the earliest deadline off the timers and its
    // socket's slot, as "not ready"; the task to resume.
    std::coroutine_handle<> expire_first_wait();
    void expire_every_wait();

    FileDescriptor epoll_;
    FileDescriptor wakeup_fd_; // an eventfd: written by post() and stop()
    Wakeup wakeup_{*this};
    std::vector<Interest> interests_; // by descriptor number
    std::multimap<Clock::time_point, IoWait*> timers_;
    std::vector<std::coroutine_handle<>> ready_;
    size_t live_tasks_ = 0;
    std::mutex posted_mutex_;
    std::vector<std::function<void()>> posted_;
    bool stopping_ = false; // guarded by posted_mutex_
};

// Runs `task` on `loop` until it finishes, and returns its result: for tests
// and tools that have one thing to do and nothing else to serve meanwhile.
template <typename T>
T run_to_completion(EventLoop& loop, Task<T> task) {
    std::optional<T> result;
    std::exception_ptr error;
    bool finished = false;
    auto body = [](Task<T> inner, std::optional<T>& out, std::exception_ptr& failure,
                   bool& done) -> Task<void> {
        try {
            out = co_await std::move(inner);
        } catch (...) {
            failure = std::current_exception();
        }
        done = true;
    };
    loop.spawn(body(std::move(task), result, error, finished));
    while (!finished)
        loop.run_once(std::chrono::milliseconds(100));
    if (error)
        std::rethrow_exception(error);
    return std::move(*result);
}

} // namespace dns
