// Lookups in flight: the first client asking a question leads the lookup;
// every other client asking the same meanwhile waits for its resolution, on
// its own worker's loop (RFC 5452 section 5: one query upstream, not many).

#include "../event_loop.hpp"
#include "../in_flight_lookups.hpp"

#include <atomic>
#include <doctest/doctest.h>
#include <thread>

using namespace dns;
using namespace std::chrono_literals;

namespace {

Resolution answer_with(uint8_t last_byte) {
    Resolution resolution;
    resolution.rcode = rcode_noerror;
    resolution.answers.push_back(ResourceRecord{
        DnsName::from_text("www.example.lab"), type_a, class_in, 300, {192, 0, 2, last_byte}});
    resolution.upstream_queries = 4;
    return resolution;
}

struct Outcome {
    bool led = false;
    bool done = false;
    Resolution result;
};

// A leader: it leads, lets the others run (as a real lookup waits for the
// network), then ends the lookup.
Task<void> lead(EventLoop& loop, InFlightLookups& table, std::string key, Resolution resolution,
                Outcome& outcome) {
    outcome.led = table.join_or_lead(key) == nullptr;
    co_await loop.yield();
    co_await loop.yield();
    table.finish(key, resolution);
    outcome.result = resolution;
    outcome.done = true;
}

// A client that joins the lookup in flight and waits for it.
Task<void> follow(EventLoop& loop, InFlightLookups& table, std::string key, Outcome& outcome) {
    const auto lookup = table.join_or_lead(key);
    outcome.led = lookup == nullptr;
    if (lookup) {
        co_await lookup->finished(loop);
        outcome.result = lookup->result();
    }
    outcome.done = true;
}

void run_until(EventLoop& loop, const bool& done) {
    for (int turn = 0; turn < 100 && !done; ++turn) // bounded: 10 s at most
        loop.run_once(100ms);
}

} // namespace

TEST_CASE("the first client leads, the second waits and gets the leader's resolution") {
    EventLoop loop;
    InFlightLookups table;
    Outcome leader;
    Outcome follower;
    loop.spawn(lead(loop, table, "www.example.lab/A", answer_with(7), leader));
    loop.spawn(follow(loop, table, "www.example.lab/A", follower));
    CHECK(table.size() == 1);
    CHECK(leader.led);
    CHECK_FALSE(follower.led);
    CHECK_FALSE(follower.done); // waiting, not answered with nothing
    run_until(loop, follower.done);
    REQUIRE(leader.done);
    REQUIRE(follower.done);
    CHECK(follower.result.rcode == rcode_noerror);
    REQUIRE(follower.result.answers.size() == 1);
    CHECK(follower.result.answers[0].rdata == std::vector<uint8_t>{192, 0, 2, 7});
    CHECK(follower.result.upstream_queries == 4);
    // Finished: the next client for the same question leads a new lookup.
    CHECK(table.size() == 0);
    CHECK(table.join_or_lead("www.example.lab/A") == nullptr);
    table.finish("www.example.lab/A", answer_with(1));
    CHECK(table.size() == 0);
    CHECK(loop.live_tasks() == 0);
}

TEST_CASE("a different question leads a lookup of its own") {
    EventLoop loop;
    InFlightLookups table;
    Outcome first;
    Outcome other;
    Outcome same;
    loop.spawn(lead(loop, table, "www.example.lab/A", answer_with(1), first));
    loop.spawn(lead(loop, table, "www.example.lab/AAAA", answer_with(2), other));
    loop.spawn(follow(loop, table, "www.example.lab/AAAA", same));
    CHECK(first.led);
    CHECK(other.led);
    CHECK_FALSE(same.led);
    CHECK(table.size() == 2);
    run_until(loop, same.done);
    REQUIRE(same.done);
    REQUIRE(same.result.answers.size() == 1);
    CHECK(same.result.answers[0].rdata == std::vector<uint8_t>{192, 0, 2, 2});
    run_until(loop, first.done);
    CHECK(table.size() == 0);
}

TEST_CASE("a follower that joins after the leader is done does not wait") {
    EventLoop loop;
    InFlightLookups table;
    REQUIRE(table.join_or_lead("k") == nullptr);
    const auto lookup = table.join_or_lead("k");
    REQUIRE(lookup != nullptr);
    table.finish("k", answer_with(9));
    // The lookup finished between joining and waiting: finished() goes on at once.
    bool resumed = false;
    auto wait = [](EventLoop& on, std::shared_ptr<InFlightLookups::Lookup> joined,
                   bool& flag) -> Task<void> {
        co_await joined->finished(on);
        flag = true;
    };
    loop.spawn(wait(loop, lookup, resumed));
    CHECK(resumed);
    CHECK(lookup->result().answers.at(0).rdata == std::vector<uint8_t>{192, 0, 2, 9});
}

namespace {

struct ThreadOutcome {
    std::thread::id resumed_on;
    uint8_t last_byte = 0;
};

Task<ThreadOutcome> follow_elsewhere(EventLoop& loop, InFlightLookups& table,
                                     std::atomic<bool>& joined) {
    const auto lookup = table.join_or_lead("www.example.lab/A");
    if (lookup == nullptr) // would lead: the test below fails on the thread id
        co_return ThreadOutcome{};
    joined = true;
    co_await lookup->finished(loop);
    co_return ThreadOutcome{std::this_thread::get_id(), lookup->result().answers.at(0).rdata[3]};
}

} // namespace

TEST_CASE("a follower on another worker's loop is resumed on that worker's thread") {
    InFlightLookups table;
    REQUIRE(table.join_or_lead("www.example.lab/A") == nullptr); // this thread leads
    std::atomic<bool> joined = false;
    ThreadOutcome outcome;
    std::thread::id worker_id;
    std::thread worker([&] {
        worker_id = std::this_thread::get_id();
        EventLoop worker_loop;
        outcome = run_to_completion(worker_loop, follow_elsewhere(worker_loop, table, joined));
    });
    for (int i = 0; i < 1000 && !joined; ++i)
        std::this_thread::sleep_for(5ms);
    std::this_thread::sleep_for(20ms); // most likely paused in finished() by now
    table.finish("www.example.lab/A", answer_with(42));
    worker.join();
    CHECK(joined);
    CHECK(outcome.resumed_on == worker_id);
    CHECK(outcome.resumed_on != std::this_thread::get_id());
    CHECK(outcome.last_byte == 42);
}
