// Task<T>: a piece of work that can pause while it waits for the network, and
// lets its worker thread serve other clients meanwhile.
//
// Stage 6 asked one server at a time and blocked in recvfrom() until the reply
// or the timeout: one silent server stopped every other client for a second.
// Stage 7 writes the lookup as C++20 coroutines: `co_await` marks each place
// where it waits (for a reply, for a TCP connection), the function's state is
// kept in its coroutine frame, and the event loop (event_loop.hpp) resumes it
// when the reply is there. The lookup still reads top to bottom, as in stage 6.
//
// A Task starts when it is awaited and resumes its awaiter when it finishes; an
// exception thrown inside it comes out of the co_await.
#pragma once

#include "frame_pool.hpp"

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

namespace dns {

namespace task_detail {

// What every Task's promise holds: who waits for it, and an escaped exception.
struct PromiseBase {
    std::coroutine_handle<> awaiting; // resumed when this task finishes
    std::exception_ptr exception;

    // The frame comes from the worker thread's pool (frame_pool.hpp).
    static void* operator new(std::size_t size) { return frame_pool::allocate(size); }
    static void operator delete(void* frame, std::size_t size) noexcept {
        frame_pool::release(frame, size);
    }

    std::suspend_always initial_suspend() noexcept { return {}; }

    // When the task finishes, control passes straight to the one awaiting it
    // (symmetric transfer: no stack grows however long a chain of tasks is).
    struct FinalAwaiter {
        bool await_ready() noexcept { return false; }
        template <typename Promise>
        std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> finished) noexcept {
            const std::coroutine_handle<> next = finished.promise().awaiting;
            return next ? next : std::noop_coroutine();
        }
        void await_resume() noexcept {}
    };
    FinalAwaiter final_suspend() noexcept { return {}; }
    void unhandled_exception() noexcept { exception = std::current_exception(); }
};

template <typename T>
struct Promise : PromiseBase {
    std::optional<T> value;
    void return_value(T result) { value = std::move(result); }
    T take() {
        if (exception)
            std::rethrow_exception(exception);
        return std::move(*value);
    }
};

template <>
struct Promise<void> : PromiseBase {
    void return_void() noexcept {}
    void take() {
        if (exception)
            std::rethrow_exception(exception);
    }
};

} // namespace task_detail

template <typename T = void>
class [[nodiscard]] Task {
  public:
    struct promise_type : task_detail::Promise<T> {
        Task get_return_object() {
            return Task(std::coroutine_handle<promise_type>::from_promise(*this));
        }
    };

    Task(Task&& other) noexcept : coroutine_(std::exchange(other.coroutine_, {})) {}
    Task& operator=(Task&&) = delete;
    Task(const Task&) = delete;
    ~Task() {
        if (coroutine_)
            coroutine_.destroy();
    }

    // co_await task: start it, pause until it finishes, then take its result.
    auto operator co_await() && noexcept {
        struct Awaiter {
            std::coroutine_handle<promise_type> task;
            bool await_ready() noexcept { return false; }
            std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
                task.promise().awaiting = awaiting;
                return task;
            }
            T await_resume() { return task.promise().take(); }
        };
        return Awaiter{coroutine_};
    }

  private:
    explicit Task(std::coroutine_handle<promise_type> coroutine) : coroutine_(coroutine) {}
    std::coroutine_handle<promise_type> coroutine_;
};

namespace task_detail {

// A coroutine that nobody awaits: it starts at once and frees itself at the end.
struct Detached {
    struct promise_type {
        Detached get_return_object() noexcept { return {}; }
        std::suspend_never initial_suspend() noexcept { return {}; }
        std::suspend_never final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { std::terminate(); }
    };
};

template <typename OnException>
Detached run_detached(Task<void> task, OnException on_exception) {
    try {
        co_await std::move(task);
    } catch (...) {
        on_exception(std::current_exception());
    }
}

} // namespace task_detail

// Starts `task`, which frees itself when it finishes: for work nobody awaits,
// like answering one client (EventLoop::spawn). An exception that escapes it is
// handed to `on_exception`.
template <typename OnException>
void start_detached(Task<void> task, OnException on_exception) {
    task_detail::run_detached(std::move(task), std::move(on_exception));
}

} // namespace dns
