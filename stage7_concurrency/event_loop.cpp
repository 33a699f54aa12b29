#include "event_loop.hpp"

#include "common/udp_socket.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <sys/epoll.h>
#include <sys/eventfd.h>

namespace dns {

namespace {

// An event names its descriptor and the generation of its registration.
uint64_t event_tag(int fd, uint32_t generation) {
    return static_cast<uint64_t>(generation) << 32 | static_cast<uint32_t>(fd);
}

} // namespace

EventLoop::EventLoop()
    : epoll_(::epoll_create1(EPOLL_CLOEXEC)), wakeup_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (!epoll_.is_open() || !wakeup_fd_.is_open())
        throw SocketError(std::string("cannot create an event loop: ") + std::strerror(errno),
                          errno);
    watch(wakeup_fd_.get(), wakeup_);
}

EventLoop::IoWait EventLoop::readable(int fd, Clock::time_point deadline) {
    return IoWait(*this, fd, EPOLLIN, deadline);
}

EventLoop::IoWait EventLoop::writable(int fd, Clock::time_point deadline) {
    return IoWait(*this, fd, EPOLLOUT, deadline);
}

EventLoop::Interest& EventLoop::interest_in(int fd) {
    if (static_cast<size_t>(fd) >= interests_.size())
        interests_.resize(static_cast<size_t>(fd) + 1);
    return interests_[static_cast<size_t>(fd)];
}

void EventLoop::ask_epoll_for(int fd, Interest& interest, uint32_t events, bool maybe_new) {
    epoll_event event{};
    event.events = events;
    if (maybe_new) {
        event.data.u64 = event_tag(fd, interest.generation + 1);
        if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) == 0) {
            ++interest.generation;
            return;
        }
        if (errno != EEXIST)
            throw SocketError(std::string("epoll_ctl: ") + std::strerror(errno), errno);
    }
    event.data.u64 = event_tag(fd, interest.generation);
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &event) != 0)
        throw SocketError(std::string("epoll_ctl: ") + std::strerror(errno), errno);
}

void EventLoop::arm(int fd, Interest& interest, bool maybe_new) {
    // EPOLLONESHOT: one event, then the descriptor is quiet until the waiters
    // left over (or new ones) ask again.
    ask_epoll_for(fd, interest,
                  EPOLLONESHOT | (interest.reader ? EPOLLIN : 0u) |
                      (interest.writer ? EPOLLOUT : 0u),
                  maybe_new);
}

void EventLoop::rearm_for_the_waiter_left(int fd, Interest& interest) {
    try {
        arm(fd, interest, false);
    } catch (const SocketError& error) {
        // Only a socket closed while a task still waits on it gets here, which
        // is a mistake; the task still hears its deadline, and the loop (and
        // every other lookup on it) goes on.
        std::cerr << "error: " << error.what() << std::endl;
    }
}

void EventLoop::IoWait::await_suspend(std::coroutine_handle<> task) {
    Interest& interest = loop.interest_in(fd);
    IoWait*& slot = events == EPOLLIN ? interest.reader : interest.writer;
    if (slot)
        throw std::logic_error("two tasks wait for the same event on one socket");
    const bool other_waiting = interest.reader || interest.writer;
    waiting = task;
    slot = this;
    try {
        loop.arm(fd, interest, !other_waiting);
    } catch (...) {
        slot = nullptr;
        throw;
    }
    timer = loop.timers_.emplace(deadline, this);
}

void EventLoop::dispatch(const epoll_event& event) {
    const int fd = static_cast<int>(event.data.u64 & 0xffffffff);
    const auto generation = static_cast<uint32_t>(event.data.u64 >> 32);
    Interest& interest = interest_in(fd);
    if (generation != interest.generation)
        return; // for a socket closed since, its number now another's
    if (interest.watcher) {
        interest.watcher->on_event();
        return;
    }
    // An error or a hang-up wakes both directions: the next read or write says what happened.
    const bool trouble = (event.events & (EPOLLERR | EPOLLHUP)) != 0;
    IoWait* const reader = (event.events & EPOLLIN) || trouble ? interest.reader : nullptr;
    IoWait* const writer = (event.events & EPOLLOUT) || trouble ? interest.writer : nullptr;
    if (reader)
        interest.reader = nullptr;
    if (writer)
        interest.writer = nullptr;
    // The one-shot event disarmed the registration: arm it again for the
    // waiter still waiting, if any.
    if (interest.reader || interest.writer)
        rearm_for_the_waiter_left(fd, interest);
    for (IoWait* const wait : {reader, writer}) {
        if (!wait)
            continue;
        wait->ready = true;
        timers_.erase(wait->timer);
        wait->waiting.resume();
    }
}

void EventLoop::watch(int fd, EventTarget& target) {
    Interest& interest = interest_in(fd);
    // A watched socket stays registered, level-triggered, until unwatch().
    ask_epoll_for(fd, interest, EPOLLIN, true);
    interest.watcher = &target;
}

void EventLoop::unwatch(int fd) {
    interest_in(fd).watcher = nullptr;
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
}

namespace {

// Runs a spawned task and counts it out when it ends, however it ends.
Task<void> counted(Task<void> task, size_t& live_tasks) {
    try {
        co_await std::move(task);
    } catch (const std::exception& failure) {
        std::cerr << "error: a task failed: " << failure.what() << std::endl;
    } catch (...) {
        std::cerr << "error: a task failed" << std::endl;
    }
    --live_tasks;
}

} // namespace

void EventLoop::spawn(Task<void> task) {
    ++live_tasks_;
    start_detached(counted(std::move(task), live_tasks_), [](std::exception_ptr) {});
}

void EventLoop::resume_soon(std::coroutine_handle<> task) {
    ready_.push_back(task);
}

void EventLoop::post(std::function<void()> work) {
    {
        const std::lock_guard lock(posted_mutex_);
        posted_.push_back(std::move(work));
    }
    const uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wakeup_fd_.get(), &one, sizeof one);
}

void EventLoop::stop() {
    {
        const std::lock_guard lock(posted_mutex_);
        stopping_ = true;
    }
    const uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wakeup_fd_.get(), &one, sizeof one);
}

void EventLoop::Wakeup::on_event() {
    uint64_t count = 0;
    [[maybe_unused]] const auto read = ::read(loop.wakeup_fd_.get(), &count, sizeof count);
    loop.run_posted_work();
}

void EventLoop::run_posted_work() {
    std::vector<std::function<void()>> work;
    {
        const std::lock_guard lock(posted_mutex_);
        work.swap(posted_);
    }
    for (auto& item : work)
        item();
}

void EventLoop::run_once(std::chrono::milliseconds longest) {
    // Tasks that asked to run again first: they do not wait for anything.
    while (!ready_.empty()) {
        std::vector<std::coroutine_handle<>> now;
        now.swap(ready_);
        for (const auto task : now)
            task.resume();
    }
    // Sleep until the first event or the earliest deadline.
    auto wait = longest;
    if (!timers_.empty()) {
        const auto until_first =
            std::chrono::ceil<std::chrono::milliseconds>(timers_.begin()->first - Clock::now());
        wait = std::clamp(until_first, std::chrono::milliseconds(0), longest);
    }
    epoll_event events[64];
    const int count = ::epoll_wait(epoll_.get(), events, 64, static_cast<int>(wait.count()));
    for (int i = 0; i < count; ++i)
        dispatch(events[i]);
    // Every task whose deadline has passed hears "not ready".
    const auto now = Clock::now();
    while (!timers_.empty() && timers_.begin()->first <= now)
        expire_first_wait().resume();
}

std::coroutine_handle<> EventLoop::expire_first_wait() {
    IoWait* expired = timers_.begin()->second;
    timers_.erase(timers_.begin());
    Interest& interest = interest_in(expired->fd);
    (expired->events == EPOLLIN ? interest.reader : interest.writer) = nullptr;
    // The waiter in the other direction, if any, is the only one epoll serves now.
    if (interest.reader || interest.writer)
        rearm_for_the_waiter_left(expired->fd, interest);
    expired->ready = false;
    return expired->waiting;
}

void EventLoop::expire_every_wait() {
    while (!timers_.empty())
        resume_soon(expire_first_wait());
}

void EventLoop::run() {
    for (;;) {
        bool stopping = false;
        {
            const std::lock_guard lock(posted_mutex_);
            stopping = stopping_;
        }
        if (stopping) {
            if (live_tasks_ == 0 && ready_.empty())
                return;
            expire_every_wait();
        }
        run_once(std::chrono::milliseconds(stopping ? 10 : 1000));
    }
}

} // namespace dns
