// FileDescriptor: owns one POSIX file descriptor and closes it exactly once.
//
// Sockets are file descriptors. Wrapping them in a small owning type means a
// socket is closed on every path out of a function (return, error, exception)
// without a single explicit close() in the resolver's code.
#pragma once

#include <unistd.h>
#include <utility>

namespace dns {

class FileDescriptor {
  public:
    FileDescriptor() = default;
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() { reset(); }

    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    FileDescriptor& operator=(FileDescriptor&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = std::exchange(other.fd_, -1);
        }
        return *this;
    }

    int get() const { return fd_; }
    bool is_open() const { return fd_ >= 0; }

    void reset() {
        if (fd_ >= 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }

  private:
    int fd_ = -1;
};

} // namespace dns
