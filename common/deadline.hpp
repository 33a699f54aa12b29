// Deadlines. A lookup, an upstream query or an idle TCP connection is given
// until a point in time; each wait on the way (poll(), a socket's receive
// timeout) is told how much of that time is left, so that several waits in a
// row never add up to more than the whole.
#pragma once

#include <chrono>

namespace dns {

// The whole milliseconds left until `deadline`, rounded down: zero when less
// than a millisecond is left, less than zero once it has passed.
inline std::chrono::milliseconds
milliseconds_until(std::chrono::steady_clock::time_point deadline) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                 std::chrono::steady_clock::now());
}

} // namespace dns
