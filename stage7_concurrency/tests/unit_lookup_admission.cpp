// The limits on lookups in flight: in all, and per client; a ticket frees its
// place however the lookup ends; the counts hold across threads.

#include "../lookup_admission.hpp"

#include <atomic>
#include <doctest/doctest.h>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace dns;

TEST_CASE("a client gets no more than its share of lookups at once") {
    LookupAdmission admission(100, 3);
    std::vector<LookupAdmission::Ticket> running;
    for (int i = 0; i < 3; ++i) {
        auto ticket = admission.admit("192.0.2.1");
        REQUIRE(ticket);
        running.push_back(std::move(*ticket));
    }
    CHECK_FALSE(admission.admit("192.0.2.1"));
    CHECK(admission.in_flight_for("192.0.2.1") == 3);
    // Another client is not held back by the first one's share.
    CHECK(admission.admit("192.0.2.2"));
    // One lookup ends: the client may start one more.
    running.pop_back();
    CHECK(admission.in_flight_for("192.0.2.1") == 2);
    CHECK(admission.admit("192.0.2.1"));
}

TEST_CASE("no lookup starts past the limit in all, whoever asks") {
    LookupAdmission admission(4, 3);
    std::vector<LookupAdmission::Ticket> running;
    for (const char* client : {"192.0.2.1", "192.0.2.2", "192.0.2.3", "2001:db8::1"}) {
        auto ticket = admission.admit(client);
        REQUIRE(ticket);
        running.push_back(std::move(*ticket));
    }
    CHECK(admission.in_flight() == 4);
    CHECK_FALSE(admission.admit("192.0.2.9"));
    running.clear();
    CHECK(admission.in_flight() == 0);
    CHECK(admission.in_flight_for("192.0.2.1") == 0);
    CHECK(admission.admit("192.0.2.9"));
}

TEST_CASE("a lookup that ends in an exception gives its place back") {
    LookupAdmission admission(10, 1);
    try {
        const auto ticket = admission.admit("192.0.2.1");
        REQUIRE(ticket);
        CHECK_FALSE(admission.admit("192.0.2.1"));
        throw std::runtime_error("the lookup failed");
    } catch (const std::runtime_error&) {
    }
    CHECK(admission.in_flight() == 0);
    CHECK(admission.admit("192.0.2.1"));
}

TEST_CASE("a share of zero admits nobody, and leaves nothing behind") {
    LookupAdmission admission(10, 0);
    CHECK_FALSE(admission.admit("192.0.2.1"));
    CHECK(admission.in_flight() == 0);
    CHECK(admission.in_flight_for("192.0.2.1") == 0);
}

// Workers admit and finish lookups at the same time: the counts never pass
// the limits, and come back to zero (ThreadSanitizer runs this too).
TEST_CASE("several threads admitting at once never pass the limits") {
    LookupAdmission admission(8, 5);
    std::atomic<size_t> most_seen = 0;
    std::atomic<bool> over_share = false;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            const std::string client = t % 2 == 0 ? "192.0.2.1" : "192.0.2.2";
            for (int i = 0; i < 2000; ++i) {
                const auto ticket = admission.admit(client);
                if (!ticket)
                    continue;
                size_t seen = admission.in_flight();
                size_t before = most_seen.load();
                while (seen > before && !most_seen.compare_exchange_weak(before, seen)) {
                }
                if (admission.in_flight_for(client) > 5)
                    over_share = true;
            }
        });
    for (auto& thread : threads)
        thread.join();
    CHECK(most_seen.load() <= 8);
    CHECK_FALSE(over_share.load());
    CHECK(admission.in_flight() == 0);
}
