// The rules of the walk from the root, as scenarios: the resolver is given
// scripted servers in place of the network (AskServer, iterative_resolver.hpp),
// so each rule reads as a small world (who serves what, who misbehaves) and
// runs in milliseconds. The test bed checks the same rules end to end, against
// Knot DNS and the scripted responder.

#include "scripted_world.hpp"

#include <doctest/doctest.h>

using namespace dns;
using namespace dns::scripted;
using namespace std::chrono_literals;

namespace {

// The usual top of the world: the root refers lab. to 192.0.2.10, which refers
// example.lab. to `example_servers`.
void add_root_and_lab(World& world,
                      std::vector<std::pair<std::string, std::string>> example_servers) {
    world.servers["192.0.2.1"] = [](const Question&) {
        return referral("lab", {{"ns.nic.lab", "192.0.2.10"}});
    };
    world.servers["192.0.2.10"] = [example_servers](const Question&) {
        return referral("example.lab", example_servers);
    };
}

Script www_answer(const Question& question) {
    return reply({record(question.name.to_string(), type_a, ipv4("192.0.2.80"))});
}

} // namespace

TEST_CASE("scenario: a walk from the root through two referrals to the answer") {
    World world;
    add_root_and_lab(world, {{"ns1.example.lab", "192.0.2.20"}});
    world.servers["192.0.2.20"] = www_answer;
    Resolver resolver(world);
    const Resolution resolution = resolver.resolve("www.example.lab");
    CHECK(resolution.rcode == rcode_noerror);
    REQUIRE(resolution.answers.size() == 1);
    CHECK(rdata_to_text(resolution.answers[0]) == "192.0.2.80");
    CHECK(world.asked.size() == 3);
}

TEST_CASE("scenario: an empty reply with AA=0 and RA=0 is NODATA, not a lame server") {
    World world;
    add_root_and_lab(world, {{"ns1.example.lab", "192.0.2.20"}});
    world.servers["192.0.2.20"] = [](const Question&) {
        Script script = reply();
        script.message.header.aa = false;
        return script;
    };
    Resolver resolver(world);
    const Resolution resolution = resolver.resolve("www.example.lab");
    CHECK(resolution.rcode == rcode_noerror);
    CHECK(resolution.answers.empty());
}

TEST_CASE("scenario: a server that answered REFUSED is not asked first by the next lookup") {
    World world;
    add_root_and_lab(world, {{"ns1.example.lab", "192.0.2.20"}, {"ns2.example.lab", "192.0.2.21"}});
    world.servers["192.0.2.20"] = [](const Question&) {
        return with_rcode(reply(), rcode_refused);
    };
    world.servers["192.0.2.21"] = www_answer;
    Resolver resolver(world);
    CHECK(resolver.resolve("www.example.lab").rcode == rcode_noerror);
    CHECK(world.queries_to("192.0.2.20") == 1);
    // The second lookup (the delegation is cached) asks the good server alone.
    world.asked.clear();
    CHECK(resolver.resolve("mail.example.lab").rcode == rcode_noerror);
    CHECK(world.asked == std::vector<std::string>{"192.0.2.21 mail.example.lab. 1"});
}

TEST_CASE("scenario: SERVFAIL, a lame reply and a twice-FORMERR count against a server") {
    for (const auto& bad : std::vector<Script>{with_rcode(reply(), rcode_servfail),
                                               with_rcode(reply(), rcode_formerr), [] {
                                                   Script lame = reply();
                                                   lame.message.header.aa = false;
                                                   lame.message.header.ra = true;
                                                   return lame;
                                               }()}) {
        World world;
        add_root_and_lab(world,
                         {{"ns1.example.lab", "192.0.2.20"}, {"ns2.example.lab", "192.0.2.21"}});
        world.servers["192.0.2.20"] = [bad](const Question&) { return bad; };
        world.servers["192.0.2.21"] = www_answer;
        Resolver resolver(world);
        CHECK(resolver.resolve("www.example.lab").rcode == rcode_noerror);
        CHECK(resolver.shared.servers.estimate_ms(SocketAddress::from_ip("192.0.2.20", 53)) >=
              1000.0);
        world.asked.clear();
        CHECK(resolver.resolve("mail.example.lab").rcode == rcode_noerror);
        CHECK(world.queries_to("192.0.2.20") == 0);
    }
}

TEST_CASE("scenario: without an IPv6 route, IPv6 servers are skipped after the first fails") {
    // example.lab. has eight IPv6-only servers and one IPv4 server, listed last.
    World world;
    world.servers["192.0.2.1"] = [](const Question&) {
        return referral("lab", {{"ns.nic.lab", "192.0.2.10"}});
    };
    world.servers["192.0.2.10"] = [](const Question&) {
        Script script = referral("example.lab", {});
        for (int i = 1; i <= 8; ++i) {
            const std::string name = "v6-" + std::to_string(i) + ".example.lab";
            script.message.authorities.push_back(record("example.lab", type_ns, name_rdata(name)));
            const auto address = SocketAddress::from_ip("2001:db8::" + std::to_string(i), 53);
            const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address.as_sockaddr());
            const auto* bytes = reinterpret_cast<const uint8_t*>(&in6->sin6_addr);
            script.message.additionals.push_back(
                record(name, type_aaaa, std::vector<uint8_t>(bytes, bytes + 16)));
        }
        script.message.authorities.push_back(
            record("example.lab", type_ns, name_rdata("v4.example.lab")));
        script.message.additionals.push_back(record("v4.example.lab", type_a, ipv4("192.0.2.20")));
        return script;
    };
    for (int i = 1; i <= 8; ++i)
        world.servers["2001:db8::" + std::to_string(i)] = [](const Question&) {
            return no_route();
        };
    world.servers["192.0.2.20"] = www_answer;
    Resolver resolver(world);
    const Resolution resolution = resolver.resolve("www.example.lab");
    CHECK(resolution.rcode == rcode_noerror);
    CHECK(resolution.answers.size() == 1);
    size_t ipv6_queries = 0;
    for (const auto& line : world.asked)
        if (line.rfind("2001:db8::", 0) == 0)
            ++ipv6_queries;
    CHECK(ipv6_queries == 1);
}

TEST_CASE("scenario: the zone's own NS set in an authoritative empty reply is NODATA") {
    World world;
    add_root_and_lab(world, {{"ns1.example.lab", "192.0.2.20"}});
    world.servers["192.0.2.20"] = [](const Question&) {
        return reply({}, {record("example.lab", type_ns, name_rdata("ns1.example.lab"))});
    };
    Resolver resolver(world);
    const Resolution resolution = resolver.resolve("www.example.lab");
    CHECK(resolution.rcode == rcode_noerror);
    CHECK(resolution.answers.empty());
    CHECK(world.queries_to("192.0.2.20") == 1);
}

TEST_CASE("scenario: a broken child-side address, and the parent's glue still works") {
    // victim.learn. is served by ns.broken.lab, named without glue. lab.
    // gives ns.broken.lab's address as glue (192.0.2.30, which works), but
    // broken.lab. itself says ns.broken.lab is at 192.0.2.99, which is silent.
    World world;
    const auto under = [](const Question& question, const char* zone) {
        return question.name.is_in(DnsName::from_text(zone));
    };
    world.servers["192.0.2.1"] = [under](const Question& question) {
        return under(question, "learn") ? referral("learn", {{"ns.nic.learn", "192.0.2.11"}})
                                        : referral("lab", {{"ns.nic.lab", "192.0.2.10"}});
    };
    world.servers["192.0.2.11"] = [](const Question&) {
        return referral("victim.learn", {{"ns.broken.lab", ""}});
    };
    world.servers["192.0.2.10"] = [](const Question&) {
        return referral("broken.lab", {{"ns.broken.lab", "192.0.2.30"}});
    };
    world.servers["192.0.2.30"] = [under](const Question& question) {
        if (under(question, "broken.lab"))
            return reply({record("ns.broken.lab", type_a, ipv4("192.0.2.99"))});
        return www_answer(question);
    };
    Resolver resolver(world);
    const Resolution resolution = resolver.resolve("www.victim.learn");
    CHECK(resolution.rcode == rcode_noerror);
    REQUIRE(resolution.answers.size() == 1);
    CHECK(rdata_to_text(resolution.answers[0]) == "192.0.2.80");
    CHECK(world.queries_to("192.0.2.99") >= 1); // the child's address was tried first
    CHECK(resolver.trace.str().find("the parent's glue for ns.broken.lab.") != std::string::npos);
}

// The records of a scripted reply, all given one TTL.
Script with_ttl(Script script, uint32_t ttl) {
    for (auto* section :
         {&script.message.answers, &script.message.authorities, &script.message.additionals})
        for (auto& record : *section)
            record.ttl = ttl;
    return script;
}

TEST_CASE("scenario: a delegation lives no longer than its parent's (the ghost domain attack)") {
    // The root delegates lab. for 100 seconds; lab.'s servers delegate
    // example.lab. for a day, and example.lab.'s own servers send its NS set
    // with a week's TTL in their answers. None of that outlives lab.: once the
    // root's delegation expires, example.lab. is asked for again from the top.
    World world;
    world.servers["192.0.2.1"] = [](const Question&) {
        return with_ttl(referral("lab", {{"ns.nic.lab", "192.0.2.10"}}), 100);
    };
    world.servers["192.0.2.10"] = [](const Question&) {
        return with_ttl(referral("example.lab", {{"ns1.example.lab", "192.0.2.20"}}), 86400);
    };
    world.servers["192.0.2.20"] = [](const Question& question) {
        Script script = www_answer(question);
        script.message.authorities.push_back(
            record("example.lab", type_ns, name_rdata("ns1.example.lab"), 604800));
        return script;
    };
    Resolver resolver(world);
    CHECK(resolver.resolve("www.example.lab").rcode == rcode_noerror);
    const DnsName www = DnsName::from_text("www.example.lab");
    const auto now = Cache::Clock::now();
    const auto cached = resolver.shared.cache.find_closest_delegation(www, false, now);
    REQUIRE(cached);
    CHECK(cached->delegation->zone == DnsName::from_text("example.lab"));
    CHECK(cached->seconds_left <= 100);
    CHECK_FALSE(resolver.shared.cache.find_closest_delegation(www, false, now + 101s));
}

TEST_CASE("scenario: a NXDOMAIN behind a CNAME into another zone, again from the cache") {
    // alias.example.lab. is a CNAME for gone.other.lab., which does not
    // exist. Asked twice, the second answer comes from the cache alone, with
    // the same chain and the same SOA: that of other.lab., the zone that
    // denied the name (RFC 2308 section 3), not that of example.lab.
    World world;
    world.servers["192.0.2.1"] = [](const Question&) {
        return referral("lab", {{"ns.nic.lab", "192.0.2.10"}});
    };
    world.servers["192.0.2.10"] = [](const Question& question) {
        return question.name.is_in(DnsName::from_text("other.lab"))
                   ? referral("other.lab", {{"ns.other.lab", "192.0.2.40"}})
                   : referral("example.lab", {{"ns1.example.lab", "192.0.2.20"}});
    };
    world.servers["192.0.2.20"] = [](const Question&) {
        return reply({record("alias.example.lab", type_cname, name_rdata("gone.other.lab"))});
    };
    world.servers["192.0.2.40"] = [](const Question&) {
        std::vector<uint8_t> soa = name_rdata("ns.other.lab");
        const auto mailbox = name_rdata("hostmaster.other.lab");
        soa.insert(soa.end(), mailbox.begin(), mailbox.end());
        for (const uint32_t field : {1u, 7200u, 1800u, 1209600u, 300u})
            for (const int shift : {24, 16, 8, 0})
                soa.push_back(static_cast<uint8_t>(field >> shift));
        return with_rcode(reply({}, {record("other.lab", type_soa, soa, 600)}), rcode_nxdomain,
                          true);
    };
    Resolver resolver(world);
    const Resolution first = resolver.resolve("alias.example.lab");
    world.asked.clear();
    const Resolution again = resolver.resolve("alias.example.lab");
    CHECK(world.asked.empty());
    for (const Resolution* resolution : {&first, &again}) {
        CHECK(resolution->rcode == rcode_nxdomain);
        REQUIRE(resolution->answers.size() == 1);
        CHECK(resolution->answers[0].type == type_cname);
        REQUIRE(resolution->authorities.size() == 1);
        CHECK(resolution->authorities[0].name == DnsName::from_text("other.lab"));
        CHECK(resolution->authorities[0].ttl <= 300); // the SOA's MINIMUM caps it
    }
}

// old.example.lab. DNAME new.example.lab., served with example.lab. at
// 192.0.2.20, which also serves new.example.lab.'s names; it sends the DNAME
// alone, without the CNAME (the resolver makes it, RFC 6672 section 3.4).
void add_dname_world(World& world) {
    add_root_and_lab(world, {{"ns1.example.lab", "192.0.2.20"}});
    world.servers["192.0.2.20"] = [](const Question& question) {
        if (question.name.is_in(DnsName::from_text("old.example.lab")))
            return reply(
                {record("old.example.lab", type_dname, name_rdata("new.example.lab"), 600)});
        return www_answer(question);
    };
}

TEST_CASE("scenario: a DNAME is followed, and the client gets it with the CNAME it implies") {
    World world;
    add_dname_world(world);
    Resolver resolver(world);
    const Resolution resolution = resolver.resolve("www.old.example.lab");
    CHECK(resolution.rcode == rcode_noerror);
    REQUIRE(resolution.answers.size() == 3);
    CHECK(resolution.answers[0].type == type_dname);
    CHECK(resolution.answers[1].type == type_cname);
    CHECK(rdata_as_name(resolution.answers[1]) == DnsName::from_text("www.new.example.lab"));
    CHECK(resolution.answers[2].name == DnsName::from_text("www.new.example.lab"));
    CHECK(rdata_to_text(resolution.answers[2]) == "192.0.2.80");
}

TEST_CASE("scenario: a cached DNAME answers every name below its owner") {
    World world;
    add_dname_world(world);
    Resolver resolver(world);
    REQUIRE(resolver.resolve("www.old.example.lab").rcode == rcode_noerror);
    world.asked.clear();
    // Another name, another type: the DNAME comes from the cache, and only
    // the name it stands for is asked.
    const Resolution resolution = resolver.resolve("mail.old.example.lab", type_aaaa);
    CHECK(world.asked == std::vector<std::string>{"192.0.2.20 mail.new.example.lab. 28"});
    REQUIRE(resolution.answers.size() >= 2);
    CHECK(resolution.answers[0].type == type_dname);
    CHECK(rdata_as_name(resolution.answers[1]) == DnsName::from_text("mail.new.example.lab"));
    CHECK(resolver.trace.str().find("from the cache: old.example.lab.") != std::string::npos);
}

TEST_CASE("scenario: a DNAME that makes the name too long reaches the client as YXDOMAIN") {
    World world;
    add_root_and_lab(world, {{"ns1.example.lab", "192.0.2.20"}});
    const std::string target =
        std::string(60, 'x') + "." + std::string(60, 'y') + "." + std::string(60, 'z') + ".lab";
    // As Knot answers: the owner has no A; bbbbbbbbbb.old.example.lab fits
    // (the DNAME and its CNAME); the whole name does not: YXDOMAIN.
    world.servers["192.0.2.20"] = [target](const Question& question) {
        const size_t labels = question.name.labels().size();
        if (labels <= 3)
            return reply();
        const auto dname = record("old.example.lab", type_dname, name_rdata(target));
        return labels == 4 ? reply({dname}) : with_rcode(reply({dname}), rcode_yxdomain, true);
    };
    Resolver resolver(world);
    const std::string asked =
        std::string(62, 'a') + "." + std::string(10, 'b') + ".old.example.lab";
    const Resolution resolution = resolver.resolve(asked);
    CHECK(resolution.rcode == rcode_yxdomain);
    REQUIRE(resolution.answers.size() == 1);
    CHECK(resolution.answers[0].type == type_dname);
    // Not a failure: the last query was the question itself, to the one server.
    CHECK(world.asked.back() == "192.0.2.20 " + asked + ". 1");
}

TEST_CASE("scenario: a loop of DNAMEs ends as a loop of CNAMEs does, in SERVFAIL") {
    World world;
    add_root_and_lab(world, {{"ns1.example.lab", "192.0.2.20"}});
    world.servers["192.0.2.20"] = [](const Question& question) {
        if (question.name.is_in(DnsName::from_text("one.example.lab")))
            return reply({record("one.example.lab", type_dname, name_rdata("two.example.lab"))});
        return reply({record("two.example.lab", type_dname, name_rdata("one.example.lab"))});
    };
    Resolver resolver(world);
    const Resolution resolution = resolver.resolve("www.one.example.lab");
    CHECK(resolution.rcode == rcode_servfail);
    CHECK(world.asked.size() <= 6);
}

// QNAME minimisation (RFC 9156, qname_minimisation.hpp).

namespace {

// An SOA for example.lab (RFC 1035 section 3.3.13), so that a negative answer
// can be cached: MNAME, RNAME, then SERIAL, REFRESH, RETRY, EXPIRE, MINIMUM.
ResourceRecord example_soa() {
    MessageWriter writer(DnsName::max_wire_length * 2);
    writer.write_name(DnsName::from_text("ns1.example.lab"));
    writer.write_name(DnsName::from_text("hostmaster.example.lab"));
    for (const uint32_t field : {1u, 7200u, 900u, 1209600u, 300u})
        writer.write_u32(field);
    return record("example.lab", type_soa, writer.bytes());
}

// example.lab.'s server: host.dept.example.lab has an address, and
// dept.example.lab. is an empty non-terminal: it exists, with nothing of its
// own. `for_dept` is what the server says when asked for dept.example.lab.
std::function<Script(const Question&)> server_with_empty_non_terminal(Script for_dept) {
    return [for_dept](const Question& question) {
        if (question.name == DnsName::from_text("dept.example.lab"))
            return for_dept;
        if (question.name == DnsName::from_text("host.dept.example.lab"))
            return www_answer(question);
        return with_rcode(reply({}, {example_soa()}), rcode_nxdomain, true);
    };
}

// The servers asked for `name` (type `type`), in the order they were asked.
std::vector<std::string> servers_asked_for(const World& world, const std::string& name,
                                           uint16_t type = type_a) {
    std::vector<std::string> servers;
    const std::string asked = " " + name + " " + std::to_string(type);
    for (const auto& line : world.asked)
        if (line.ends_with(asked))
            servers.push_back(line.substr(0, line.size() - asked.size()));
    return servers;
}

} // namespace

TEST_CASE("scenario: minimised, the root and the TLD's servers never see the whole name") {
    World world;
    add_root_and_lab(world, {{"ns1.example.lab", "192.0.2.20"}});
    world.servers["192.0.2.20"] = [](const Question& question) {
        return reply({record(question.name.to_string(), type_mx, name_rdata("mail.example.lab"))});
    };
    Resolver resolver(world);
    CHECK(resolver.resolve("www.example.lab", type_mx).rcode == rcode_noerror);
    // One label more per zone, type A (not MX) until the last server.
    CHECK(world.asked == std::vector<std::string>{"192.0.2.1 lab. 1", "192.0.2.10 example.lab. 1",
                                                  "192.0.2.20 www.example.lab. 15"});
    CHECK(resolver.trace.str().find("for lab. A") != std::string::npos);
}

TEST_CASE("scenario: --qname-minimisation off asks every server the whole question") {
    World world;
    add_root_and_lab(world, {{"ns1.example.lab", "192.0.2.20"}});
    world.servers["192.0.2.20"] = www_answer;
    Resolver resolver(world);
    resolver.resolver.set_qname_minimisation(false);
    CHECK(resolver.resolve("www.example.lab").rcode == rcode_noerror);
    CHECK(world.asked == std::vector<std::string>{"192.0.2.1 www.example.lab. 1",
                                                  "192.0.2.10 www.example.lab. 1",
                                                  "192.0.2.20 www.example.lab. 1"});
}

TEST_CASE("scenario: an empty non-terminal: NODATA, then one label more of the same server") {
    World world;
    add_root_and_lab(world, {{"ns1.example.lab", "192.0.2.20"}});
    world.servers["192.0.2.20"] = server_with_empty_non_terminal(reply({}, {example_soa()}));
    Resolver resolver(world);
    const Resolution resolution = resolver.resolve("host.dept.example.lab");
    CHECK(resolution.rcode == rcode_noerror);
    REQUIRE(resolution.answers.size() == 1);
    CHECK(resolution.answers[0].name == DnsName::from_text("host.dept.example.lab"));
    CHECK(servers_asked_for(world, "dept.example.lab.") == std::vector<std::string>{"192.0.2.20"});
    CHECK(servers_asked_for(world, "host.dept.example.lab.") ==
          std::vector<std::string>{"192.0.2.20"});
    // The NODATA is cached like a referral: the next name below it is asked
    // of example.lab.'s servers at once, and dept.example.lab. is not asked again.
    world.asked.clear();
    CHECK(resolver.resolve("other.dept.example.lab").rcode == rcode_nxdomain);
    CHECK(world.asked == std::vector<std::string>{"192.0.2.20 other.dept.example.lab. 1"});
}

TEST_CASE("scenario: records of a name on the way (an A, a CNAME) are not the client's answer") {
    World world;
    add_root_and_lab(world, {{"ns1.example.lab", "192.0.2.20"}});
    world.servers["192.0.2.20"] = [](const Question& question) {
        if (question.name == DnsName::from_text("alias.example.lab"))
            return reply({record("alias.example.lab", type_cname, name_rdata("elsewhere.learn"))});
        if (question.name == DnsName::from_text("dept.example.lab"))
            return reply({record("dept.example.lab", type_a, ipv4("192.0.2.99"))});
        return www_answer(question);
    };
    Resolver resolver(world);
    for (const std::string name : {"host.alias.example.lab", "host.dept.example.lab"}) {
        CAPTURE(name);
        const Resolution resolution = resolver.resolve(name);
        CHECK(resolution.rcode == rcode_noerror);
        REQUIRE(resolution.answers.size() == 1);
        CHECK(resolution.answers[0].name == DnsName::from_text(name));
        CHECK(rdata_to_text(resolution.answers[0]) == "192.0.2.80");
    }
    CHECK(world.queries_to("192.0.2.1") == 1); // the alias's target was never looked up
}

TEST_CASE("scenario: NXDOMAIN for an empty non-terminal: the same server, the whole name") {
    // A broken server: it denies dept.example.lab, which has a name below it.
    World world;
    add_root_and_lab(world, {{"ns1.example.lab", "192.0.2.20"}, {"ns2.example.lab", "192.0.2.21"}});
    const auto broken = server_with_empty_non_terminal(
        with_rcode(reply({}, {example_soa()}), rcode_nxdomain, true));
    world.servers["192.0.2.20"] = broken;
    world.servers["192.0.2.21"] = broken;
    Resolver resolver(world);
    const Resolution resolution = resolver.resolve("host.dept.example.lab");
    CHECK(resolution.rcode == rcode_noerror);
    CHECK(resolution.answers.size() == 1);
    const auto denied_by = servers_asked_for(world, "dept.example.lab.");
    REQUIRE(denied_by.size() == 1);
    CHECK(servers_asked_for(world, "host.dept.example.lab.") == denied_by);
    CHECK(resolver.trace.str().find("NXDOMAIN for dept.example.lab., a name on the way") !=
          std::string::npos);
    // A name that really does not exist costs one query more, and is NXDOMAIN.
    CHECK(resolver.resolve("host.nope.example.lab").rcode == rcode_nxdomain);
}

TEST_CASE("scenario: a minimised query refused, failed or unanswered: the next server, whole") {
    for (const auto& bad : std::vector<Script>{with_rcode(reply(), rcode_refused),
                                               with_rcode(reply(), rcode_servfail),
                                               with_rcode(reply(), rcode_formerr), silence()}) {
        // Both servers of example.lab. fail a query for the name on the way.
        World world;
        add_root_and_lab(world,
                         {{"ns1.example.lab", "192.0.2.20"}, {"ns2.example.lab", "192.0.2.21"}});
        world.servers["192.0.2.20"] = server_with_empty_non_terminal(bad);
        world.servers["192.0.2.21"] = server_with_empty_non_terminal(bad);
        Resolver resolver(world);
        const Resolution resolution = resolver.resolve("host.dept.example.lab");
        CHECK(resolution.rcode == rcode_noerror);
        CHECK(resolution.answers.size() == 1);
        // The first server failed the minimised query (FORMERR: twice, the
        // second time without EDNS); the other one was asked the whole name.
        const auto failed = servers_asked_for(world, "dept.example.lab.");
        REQUIRE(!failed.empty());
        CHECK(std::count(failed.begin(), failed.end(), failed[0]) ==
              static_cast<long>(failed.size()));
        const auto whole = servers_asked_for(world, "host.dept.example.lab.");
        REQUIRE(whole.size() == 1);
        CHECK(whole[0] != failed[0]);
    }
}

TEST_CASE("RFC 9156 section 2.3: one label at a time four times, then at most ten names in all") {
    // A reverse IPv6 name: 34 labels below the root.
    std::string text;
    for (int i = 0; i < 32; ++i)
        text += "a.";
    const DnsName name = DnsName::from_text(text + "ip6.arpa");
    DnsName known; // the root
    std::vector<size_t> labels_asked;
    for (int step = 1; !(known == name); ++step) {
        known = minimised_name(name, known, step);
        labels_asked.push_back(known.labels().size());
    }
    CHECK(labels_asked.size() <= static_cast<size_t>(max_minimise_count));
    CHECK(labels_asked == std::vector<size_t>{1, 2, 3, 4, 9, 14, 19, 24, 29, 34});
    // A short name: one label a step, to the whole name.
    CHECK(minimised_name(DnsName::from_text("www.example.lab"), DnsName::from_text("lab"), 1) ==
          DnsName::from_text("example.lab"));
}
