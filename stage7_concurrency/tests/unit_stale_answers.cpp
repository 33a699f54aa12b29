// Serve-stale (stale_answers.hpp, RFC 8767): expired answers for when every
// server fails, within the window, with TTL 30 and EDE 3.

#include "../stale_answers.hpp"
#include "command_line.hpp"

#include <doctest/doctest.h>
#include <sstream>

using namespace dns;
using namespace std::chrono_literals;

namespace {

Resolution answer(uint32_t ttl) {
    Resolution resolution{rcode_noerror, {}, {}, 3};
    resolution.answers.push_back(ResourceRecord{
        DnsName::from_text("www.example.lab"), type_a, class_in, ttl, {192, 0, 2, 80}});
    return resolution;
}

} // namespace

TEST_CASE("off by default: nothing is kept, nothing is served") {
    StaleAnswers stale;
    CHECK_FALSE(stale.enabled());
    stale.remember("q", answer(2));
    CHECK_FALSE(stale.find("q", "dead"));
    CHECK(stale.instead_of_failure("q", Resolution{}, nullptr).rcode == rcode_servfail);
}

TEST_CASE("an expired answer is served within the window, TTL 30 and EDE 3, then no more") {
    StaleAnswers stale(60s);
    const auto now = StaleAnswers::Clock::now();
    stale.remember("q", answer(2), now);
    const auto served = stale.find("q", "no server of example.lab. gave a usable reply", now + 10s);
    REQUIRE(served);
    CHECK(served->rcode == rcode_noerror);
    REQUIRE(served->answers.size() == 1);
    CHECK(served->answers[0].ttl == 30);
    REQUIRE(served->extended_error);
    CHECK(served->extended_error->code == ede::stale_answer);
    CHECK(
        served->extended_error->text ==
        "stale answer, expired 8 s ago (RFC 8767): no server of example.lab. gave a usable reply");
    CHECK(stale.find("q", "dead", now + 61s));
    CHECK_FALSE(stale.find("q", "dead", now + 62s));
    CHECK_FALSE(stale.find("q", "dead", now + 10s)); // forgotten once too old
}

TEST_CASE("only a SERVFAIL is replaced, only by an answer with records") {
    StaleAnswers stale(3600s);
    stale.remember("q", answer(0));
    stale.remember("negative", Resolution{rcode_nxdomain, {}, {}, 1});
    std::ostringstream trace;
    const Resolution nxdomain{rcode_nxdomain, {}, {}, 1};
    CHECK(stale.instead_of_failure("q", nxdomain, &trace).rcode == rcode_nxdomain);
    CHECK(stale.instead_of_failure("negative", Resolution{}, &trace).rcode == rcode_servfail);
    Resolution failed;
    failed.upstream_queries = 7;
    const Resolution served = stale.instead_of_failure("q", failed, &trace);
    CHECK(served.rcode == rcode_noerror);
    CHECK(served.upstream_queries == 7);
    CHECK(trace.str().find("serving the stale answer instead") != std::string::npos);
    // A stale answer is not kept again as if it were fresh.
    stale.remember("q2", served);
    CHECK_FALSE(stale.find("q2", "dead"));
}

TEST_CASE("the answers kept are bounded") {
    StaleAnswers stale(60s, 2);
    const auto now = StaleAnswers::Clock::now();
    stale.remember("a", answer(10), now);
    stale.remember("b", answer(10), now);
    stale.remember("c", answer(10), now);
    CHECK_FALSE(stale.find("c", "dead", now + 20s));
    stale.remember("c", answer(10), now + 100s); // a and b are past their window
    CHECK(stale.find("c", "dead", now + 120s));
    CHECK_FALSE(stale.find("a", "dead", now + 20s));
}

TEST_CASE("--serve-stale SECONDS: off by default, a week at most") {
    const auto parse = testing::parse_command_line;
    CHECK(parse({}).network.serve_stale == 0s);
    CHECK(parse({"--serve-stale", "86400"}).network.serve_stale == 86400s);
    for (const std::string bad : {"-1", "1d", "", "604801"})
        CHECK_THROWS_AS(parse({"--serve-stale", bad}), NetworkOptionError);
    CHECK(usage_text("resolver").find("--serve-stale SECONDS") != std::string::npos);
}
