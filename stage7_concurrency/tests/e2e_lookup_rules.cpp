// Stage 7's lookup rules end to end, against Knot DNS in the test bed: a DNAME
// (example.lab.'s old and deep), and a zone whose server's own address is
// wrong where its parent's glue is right (victim.learn., broken.lab.). The
// same rules as in-process scenarios: tests/unit_lookup_scenarios.cpp.

#include "common/testing/dig_output.hpp"
#include "common/testing/resolver_under_test.hpp"

#include <doctest/doctest.h>
#include <string>

using namespace dns;
using namespace dns::testing;
using namespace std::chrono_literals;

TEST_CASE("a DNAME: the client gets the DNAME, the CNAME made from it, and the answer") {
    if (stage_under_test() < 7)
        return;
    RunningResolver resolver({"--trace"});
    const std::string reply = ask(resolver, {"www.old.example.lab", "A"});
    CHECK(dig_status(reply) == "NOERROR");
    CHECK(data_of(reply, "ANSWER", "DNAME") ==
          std::vector<std::string>{"old.example.lab. dept.school.learn."});
    CHECK(data_of(reply, "ANSWER", "CNAME") ==
          std::vector<std::string>{"www.old.example.lab. www.dept.school.learn."});
    CHECK(data_of(reply, "ANSWER", "A") ==
          std::vector<std::string>{"www.dept.school.learn. 198.51.100.180"});

    // Cached, the DNAME answers another name below old.example.lab.: only
    // the name it stands for is looked up.
    const size_t from = resolver.mark();
    const std::string other = ask(resolver, {"printer.old.example.lab", "A"});
    CHECK(dig_status(other) == "NOERROR");
    CHECK(data_of(other, "ANSWER", "CNAME") ==
          std::vector<std::string>{"printer.old.example.lab. printer.dept.school.learn."});
    CHECK(resolver.printed("from the cache: old.example.lab. ", 5s, from));
    CHECK_FALSE(resolver.printed("for printer.old.example.lab. A", 0s, from));
}

TEST_CASE("a DNAME that makes the name too long: YXDOMAIN (RFC 6672 section 2.2)") {
    if (stage_under_test() < 7)
        return;
    // Knot answers NXDOMAIN, with the DNAME; the RFC says YXDOMAIN, and the
    // resolver, which makes the CNAME itself (section 3.4), sees that it
    // cannot. Unbound 1.17 answers SERVFAIL here (it cannot make the CNAME
    // either, and gives up); we give the rcode the RFC names, with the DNAME
    // that caused it.
    RunningResolver resolver;
    const std::string name =
        std::string(60, 'a') + "." + std::string(10, 'b') + ".deep.example.lab";
    const std::string reply = ask(resolver, {name, "A"});
    CHECK(dig_status(reply) == "YXDOMAIN");
    CHECK(data_of(reply, "ANSWER", "DNAME").size() == 1);
    CHECK(data_of(reply, "ANSWER", "CNAME").empty());
}

TEST_CASE("a server whose own zone names a dead address is reached through the parent's glue") {
    if (stage_under_test() < 7)
        return;
    // victim.learn. is served by ns.broken.lab, without glue; broken.lab.
    // says ns.broken.lab is at 127.53.15.99 (nothing there), lab.'s glue says
    // 127.53.15.1 (right). The child's data is tried first (RFC 2181 section
    // 5.4.1), then the parent's, as Unbound does.
    RunningResolver resolver({"--trace"});
    const std::string reply = ask(resolver, {"www.victim.learn", "A"});
    CHECK(dig_status(reply) == "NOERROR");
    CHECK(data_of(reply, "ANSWER", "A") ==
          std::vector<std::string>{"www.victim.learn. 203.0.113.77"});
    CHECK(resolver.printed("ask ns.broken.lab. (127.53.15.99:"));
    CHECK(resolver.printed("trying the parent's glue for ns.broken.lab.: 127.53.15.1"));
}
