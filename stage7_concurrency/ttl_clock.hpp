// TtlClock: the clock a cached record's TTL is counted on.
//
// A TTL is a span of time from the moment a record was received (RFC 1035
// section 3.2.1). The cache counts it on the wall clock, as Unbound and PowerDNS
// Recursor do: DNSSEC signatures carry absolute wall-clock times (RFC 4034
// section 3.1.5), and conformance suites set the system clock forward to see
// the cache age. But the wall clock can also be set back, by an administrator or
// by NTP: an entry counted on it alone would then live longer than its TTL. So
// each moment carries the steady clock's reading too (it never goes back), and
// an entry has expired as soon as either clock says so: the wall clock moved
// forward ages the cache; moved back, it changes nothing.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace dns {

struct TtlClock {
    struct time_point {
        std::chrono::system_clock::time_point wall;
        std::chrono::steady_clock::time_point steady;

        // The same moment, `later` on: both clocks move on together.
        template <typename Rep, typename Period>
        time_point operator+(std::chrono::duration<Rep, Period> later) const {
            return {wall + std::chrono::duration_cast<std::chrono::system_clock::duration>(later),
                    steady +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(later)};
        }
    };

    static time_point now() {
        return {std::chrono::system_clock::now(), std::chrono::steady_clock::now()};
    }

    // True once `now` is at or past `deadline` on either clock.
    static bool reached(time_point now, time_point deadline) {
        return now.wall >= deadline.wall || now.steady >= deadline.steady;
    }

    // The whole seconds from `earlier` to `later`: the more of what the two
    // clocks measured, never less than zero.
    static uint32_t seconds_between(time_point earlier, time_point later) {
        using std::chrono::duration_cast;
        using std::chrono::seconds;
        const auto on_wall = duration_cast<seconds>(later.wall - earlier.wall).count();
        const auto on_steady = duration_cast<seconds>(later.steady - earlier.steady).count();
        const auto elapsed = std::max<int64_t>({on_wall, on_steady, 0});
        return static_cast<uint32_t>(std::min<int64_t>(elapsed, UINT32_MAX));
    }
};

} // namespace dns
