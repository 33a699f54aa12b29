#include "common/testing/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>

extern char** environ;

namespace dns::testing {

namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds remaining_until(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() > 0 ? left : 0ms;
}

} // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv) {
    int pipe_ends[2];
    if (::pipe2(pipe_ends, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    FileDescriptor read_end(pipe_ends[0]);
    FileDescriptor write_end(pipe_ends[1]);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

    std::vector<char*> c_argv;
    for (const auto& argument : argv)
        c_argv.push_back(const_cast<char*>(argument.c_str()));
    c_argv.push_back(nullptr);

    const int error = ::posix_spawnp(&pid_, c_argv[0], &actions, nullptr, c_argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0)
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(error));
    output_pipe_ = std::move(read_end);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), output_pipe_(std::move(other.output_pipe_)),
      output_(std::move(other.output_)), exit_status_(other.exit_status_) {}

ChildProcess::~ChildProcess() {
    stop();
}

void ChildProcess::stop() {
    if (pid_ <= 0 || exit_status_)
        return;
    ::kill(pid_, SIGTERM);
    if (!wait_for_exit(3s)) {
        ::kill(pid_, SIGKILL);
        reap(true);
    }
}

bool ChildProcess::read_some(std::chrono::milliseconds timeout) {
    if (!output_pipe_.is_open())
        return false;
    pollfd waiting{output_pipe_.get(), POLLIN, 0};
    if (::poll(&waiting, 1, static_cast<int>(timeout.count())) <= 0)
        return true;
    char buffer[65536];
    const ssize_t got = ::read(output_pipe_.get(), buffer, sizeof buffer);
    if (got <= 0) {
        if (got < 0 && errno == EINTR)
            return true;
        output_pipe_.reset(); // end of file: the program closed its output
        return false;
    }
    output_.append(buffer, static_cast<size_t>(got));
    return true;
}

bool ChildProcess::wait_for_output(std::string_view needle, std::chrono::milliseconds timeout,
                                   size_t from) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (output_.size() > from && output_.find(needle, from) != std::string::npos)
            return true;
        if (Clock::now() >= deadline)
            return false;
        if (!read_some(std::min(remaining_until(deadline), 100ms)) && !output_pipe_.is_open())
            return output_.find(needle, from) != std::string::npos;
    }
}

const std::string& ChildProcess::output() {
    while (output_pipe_.is_open()) {
        const size_t before = output_.size();
        if (!read_some(0ms) || output_.size() == before)
            break;
    }
    return output_;
}

bool ChildProcess::reap(bool block) {
    if (exit_status_)
        return true;
    int status = 0;
    const pid_t result = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
    if (result != pid_)
        return false;
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return true;
}

std::optional<int> ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!reap(false)) {
        if (Clock::now() >= deadline)
            return std::nullopt;
        // Keep draining the pipe so a chatty program never blocks on a full pipe.
        if (!read_some(std::min(remaining_until(deadline), 20ms)))
            std::this_thread::sleep_for(5ms);
    }
    output();
    return exit_status_;
}

bool ChildProcess::is_running() {
    return !reap(false);
}

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
    ChildProcess process(argv);
    CommandResult result;
    const auto status = process.wait_for_exit(timeout);
    if (!status) {
        result.timed_out = true;
        process.stop();
    } else {
        result.exit_status = *status;
    }
    result.output = process.output();
    return result;
}

} // namespace dns::testing
