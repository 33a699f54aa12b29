// The failure cache (failure_cache.hpp): RFC 9520's memory of failed lookups.

#include "../failure_cache.hpp"

#include <doctest/doctest.h>
#include <sstream>

using namespace dns;
using namespace std::chrono_literals;

TEST_CASE("a failure is held for 1 s, then twice as long each time in a row, up to 5 min") {
    FailureCache failures;
    const auto start = FailureCache::Clock::now();
    CHECK_FALSE(failures.find("q", start));
    auto now = start;
    std::vector<long> holds;
    for (int i = 0; i < 12; ++i) {
        const auto held = failures.record("q", "dead", now);
        holds.push_back(held.held_for.count());
        CHECK(failures.find("q", now + held.held_for - 1ms));
        CHECK_FALSE(failures.find("q", now + held.held_for));
        now += held.held_for + 100ms; // asked again just after the hold, and failed again
    }
    CHECK(holds == std::vector<long>{1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300});
    const auto found = failures.find("q", now - 100ms - 200s);
    REQUIRE(found);
    CHECK(found->reason == "dead");
    CHECK(found->failures_in_a_row == 12);
    CHECK(found->time_left == 200s); // 100 s into the last hold of 300
}

TEST_CASE("a success forgets the failures; a failure long after starts again at 1 s") {
    FailureCache failures;
    const auto now = FailureCache::Clock::now();
    failures.record("q", "dead", now);
    failures.record("q", "dead", now + 2s);
    failures.forget("q");
    CHECK(failures.record("q", "dead", now + 3s).held_for == 1s);
    CHECK(failures.record("q", "dead", now + 4s).held_for == 2s);
    CHECK(failures.record("q", "dead", now + 1h).held_for == 1s);
    CHECK(failures.record("other", "dead", now).held_for == 1s);
}

TEST_CASE("the cache is bounded: old entries make room, and past the bound nothing is held") {
    FailureCache failures(2);
    const auto now = FailureCache::Clock::now();
    failures.record("a", "dead", now);
    failures.record("b", "dead", now);
    CHECK(failures.record("c", "dead", now).held_for == 0s);
    CHECK_FALSE(failures.find("c", now));
    CHECK(failures.size() == 2);
    // Long after their holds, a and b give way.
    CHECK(failures.record("c", "dead", now + 1h).held_for == 1s);
    CHECK(failures.size() == 1);
}

TEST_CASE("the resolver's hooks: a SERVFAIL is held and answered with EDE 13 and the reason") {
    FailureCache failures;
    const Question question{DnsName::from_text("www.dead.lab"), type_a, class_in};
    std::ostringstream trace;
    Resolution failed;
    failed.extended_error = ExtendedError{ede::no_reachable_authority, "no server of dead.lab."};
    CHECK_FALSE(held_failure(failures, "key", question, &trace));
    remember_outcome(failures, "key", question, failed, &trace);
    const auto held = held_failure(failures, "key", question, &trace);
    REQUIRE(held);
    CHECK(held->rcode == rcode_servfail);
    REQUIRE(held->extended_error);
    CHECK(held->extended_error->code == ede::cached_error);
    CHECK(held->extended_error->text.find("no server of dead.lab.") != std::string::npos);
    CHECK(trace.str().find("SERVFAIL from the failure cache (RFC 9520)") != std::string::npos);
    // An answer forgets it.
    remember_outcome(failures, "key", question, Resolution{rcode_nxdomain, {}, {}, 0}, nullptr);
    CHECK_FALSE(held_failure(failures, "key", question, nullptr));
}
