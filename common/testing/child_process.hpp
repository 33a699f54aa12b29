// ChildProcess and run_command: the end-to-end tests start real programs (the
// resolver under test, dig, kdig) and read what they print.
#pragma once

#include "common/file_descriptor.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace dns::testing {

using namespace std::chrono_literals;

// A program running beside the test, its stdout and stderr joined into one pipe.
// The destructor stops it (SIGTERM, then SIGKILL) so a failing test leaves no
// process behind.
class ChildProcess {
  public:
    explicit ChildProcess(const std::vector<std::string>& argv);
    ~ChildProcess();
    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&&) = delete;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Reads output until `needle` appears at or after byte `from` of the output,
    // or the timeout passes, or the program exits. True if it appeared.
    bool wait_for_output(std::string_view needle, std::chrono::milliseconds timeout,
                         size_t from = 0);
    // Everything read so far (after reading whatever is already waiting in the pipe).
    const std::string& output();
    // Waits for the program to end by itself; its exit status, or nothing on timeout
    // (-1 if it was killed by a signal).
    std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
    bool is_running();
    pid_t pid() const { return pid_; }
    // Sends SIGTERM and waits (bounded) for the program to end.
    void stop();

  private:
    // Reads what the pipe holds, waiting at most `timeout` for the first byte.
    // False at end of file.
    bool read_some(std::chrono::milliseconds timeout);
    bool reap(bool block);

    pid_t pid_ = -1;
    FileDescriptor output_pipe_;
    std::string output_;
    std::optional<int> exit_status_;
};

struct CommandResult {
    int exit_status = -1; // -1: killed by a signal or by the timeout
    bool timed_out = false;
    std::string output; // stdout and stderr together
};

// Runs a program to completion (bounded by `timeout`, then killed).
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = 20s);

} // namespace dns::testing
