#include "event_loop.hpp"

#include "common/udp_socket.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <sys/epoll.h>
#include <sys/eventfd.h>

namespace dns {

namespace {

void add_to_epoll(int epoll, int fd, uint32_t events, EventLoop::EventTarget* target) {
    epoll_event event{};
    event.events = events;
    event.data.ptr = target;
    if (::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) != 0)
        throw SocketError(std::string("epoll_ctl: ") + std::strerror(errno), errno);
}

} // namespace

EventLoop::EventLoop()
    : epoll_(::epoll_create1(EPOLL_CLOEXEC)), wakeup_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (!epoll_.is_open() || !wakeup_fd_.is_open())
        throw SocketError(std::string("cannot create an event loop: ") + std::strerror(errno),
                          errno);
    add_to_epoll(epoll_.get(), wakeup_fd_.get(), EPOLLIN, &wakeup_);
}

EventLoop::IoWait EventLoop::readable(int fd, Clock::time_point deadline) {
    return IoWait(*this, fd, EPOLLIN, deadline);
}

EventLoop::IoWait EventLoop::writable(int fd, Clock::time_point deadline) {
    return IoWait(*this, fd, EPOLLOUT, deadline);
}

void EventLoop::IoWait::await_suspend(std::coroutine_handle<> task) {
    waiting = task;
    // EPOLLONESHOT: one event, then the socket is quiet until asked again.
    add_to_epoll(loop.epoll_.get(), fd, events | EPOLLONESHOT, this);
    timer = loop.timers_.emplace(deadline, this);
}

void EventLoop::IoWait::on_event() {
    ready = true;
    ::epoll_ctl(loop.epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
    loop.timers_.erase(timer);
    waiting.resume();
}

void EventLoop::watch(int fd, EventTarget& target) {
    add_to_epoll(epoll_.get(), fd, EPOLLIN, &target);
}

void EventLoop::unwatch(int fd) {
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
        static_cast<EventTarget*>(events[i].data.ptr)->on_event();
    // Every task whose deadline has passed hears "not ready".
    const auto now = Clock::now();
    while (!timers_.empty() && timers_.begin()->first <= now)
        expire_first_wait().resume();
}

std::coroutine_handle<> EventLoop::expire_first_wait() {
    IoWait* expired = timers_.begin()->second;
    timers_.erase(timers_.begin());
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, expired->fd, nullptr);
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
