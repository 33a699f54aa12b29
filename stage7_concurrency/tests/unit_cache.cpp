// The cache: answers kept for their TTL and counted down, negative answers kept
// for the SOA's negative TTL (RFC 2308 section 5), delegations, whole responses,
// and a size limit kept by dropping the least recently used entries.

#include "../cache.hpp"
#include "../message_writer.hpp"

#include <doctest/doctest.h>
#include <memory>
#include <string>
#include <vector>

using namespace dns;
using namespace std::chrono_literals;

namespace {

using Clock = Cache::Clock;

// A fixed moment to count from: the tests pass `now` explicitly, so nothing
// here depends on how fast the machine is.
const Clock::time_point t0 = Clock::time_point() + 1000h;

Question question(const char* name, uint16_t type = type_a) {
    return Question{DnsName::from_text(name), type, class_in};
}

ResourceRecord a_record(const char* name, uint32_t ttl, uint8_t last_byte = 1) {
    return ResourceRecord{DnsName::from_text(name), type_a, class_in, ttl, {192, 0, 2, last_byte}};
}

// An SOA record (RFC 1035 section 3.3.13): MNAME, RNAME, SERIAL, REFRESH,
// RETRY, EXPIRE, MINIMUM; the last is the negative TTL's other half.
ResourceRecord soa_record(const char* zone, uint32_t ttl, uint32_t minimum) {
    MessageWriter writer(512);
    writer.write_name(DnsName::from_text("ns1.example.lab"));
    writer.write_name(DnsName::from_text("hostmaster.example.lab"));
    writer.write_u32(2024010101); // serial
    writer.write_u32(7200);       // refresh
    writer.write_u32(900);        // retry
    writer.write_u32(1209600);    // expire
    writer.write_u32(minimum);
    return ResourceRecord{DnsName::from_text(zone), type_soa, class_in, ttl, writer.bytes()};
}

Resolution answer(std::vector<ResourceRecord> records) {
    return Resolution{rcode_noerror, std::move(records), {}, 3};
}

Resolution negative(uint8_t rcode, std::vector<ResourceRecord> authorities) {
    return Resolution{rcode, {}, std::move(authorities), 3};
}

NameServer server(const char* name, const char* ip) {
    return NameServer{DnsName::from_text(name), {SocketAddress::from_ip(ip, 53)}};
}

// A delegation of `zone` to one server, as a referral gives it.
std::shared_ptr<const Delegation> delegation(const char* zone, NameServer server) {
    return std::make_shared<const Delegation>(
        Delegation{DnsName::from_text(zone), {std::move(server)}});
}

} // namespace

TEST_CASE("an answer is found again with its TTL counted down (RFC 1035 section 7.4)") {
    Cache cache;
    cache.store_answer(question("www.example.lab"), answer({a_record("www.example.lab", 300)}), t0);

    const auto at_once = cache.find_answer(question("www.example.lab"), t0);
    REQUIRE(at_once);
    CHECK(at_once->rcode == rcode_noerror);
    REQUIRE(at_once->answers.size() == 1);
    CHECK(at_once->answers[0].ttl == 300);
    CHECK(at_once->answers[0].rdata == std::vector<uint8_t>{192, 0, 2, 1});
    // Nothing was asked upstream for a cached answer.
    CHECK(at_once->upstream_queries == 0);

    const auto later = cache.find_answer(question("www.example.lab"), t0 + 100s);
    REQUIRE(later);
    CHECK(later->answers[0].ttl == 200);

    const auto last_second = cache.find_answer(question("www.example.lab"), t0 + 299s);
    REQUIRE(last_second);
    CHECK(last_second->answers[0].ttl == 1);
}

// The wall clock set forward, alone: what a conformance suite does to see the
// cache age (ttl_clock.hpp).
Clock::time_point wall_clock_moved(Clock::time_point moment, std::chrono::seconds by) {
    moment.wall += by;
    return moment;
}

TEST_CASE("TTLs are counted on the wall clock: setting it forward ages the cache") {
    Cache cache;
    cache.store_answer(question("www.example.lab"), answer({a_record("www.example.lab", 300)}), t0);
    const auto later = cache.find_answer(question("www.example.lab"), wall_clock_moved(t0, 100s));
    REQUIRE(later);
    CHECK(later->answers[0].ttl == 200);
    CHECK_FALSE(cache.find_answer(question("www.example.lab"), wall_clock_moved(t0, 300s)));
}

TEST_CASE("the wall clock set back never keeps an entry past its TTL") {
    Cache cache;
    cache.store_answer(question("www.example.lab"), answer({a_record("www.example.lab", 300)}), t0);
    // An hour back on the wall clock, 100 seconds on in fact: counted as 100.
    const auto back = wall_clock_moved(t0 + 100s, -3600s);
    const auto found = cache.find_answer(question("www.example.lab"), back);
    REQUIRE(found);
    CHECK(found->answers[0].ttl == 200);
    // 300 seconds on in fact: gone, whatever the wall clock says.
    CHECK_FALSE(
        cache.find_answer(question("www.example.lab"), wall_clock_moved(t0 + 300s, -3600s)));
}

TEST_CASE("an answer is never served at or after its expiry") {
    Cache cache;
    cache.store_answer(question("www.example.lab"), answer({a_record("www.example.lab", 300)}), t0);
    CHECK(cache.find_answer(question("www.example.lab"), t0 + 299s + 999ms));
    CHECK_FALSE(cache.find_answer(question("www.example.lab"), t0 + 300s));
    // Expired entries are removed on the way; they are not revived.
    CHECK_FALSE(cache.find_answer(question("www.example.lab"), t0 + 10s));
    CHECK(cache.entries() == 0);
}

TEST_CASE("an answer lives as long as its shortest TTL, each record counted down") {
    // A CNAME chain: the alias for an hour, its target for a minute.
    Cache cache;
    ResourceRecord cname{DnsName::from_text("alias.example.lab"), type_cname, class_in, 3600, {}};
    MessageWriter target(255);
    target.write_name(DnsName::from_text("www.example.lab"));
    cname.rdata = target.bytes();
    cache.store_answer(question("alias.example.lab"),
                       answer({cname, a_record("www.example.lab", 60)}), t0);
    const auto found = cache.find_answer(question("alias.example.lab"), t0 + 30s);
    REQUIRE(found);
    REQUIRE(found->answers.size() == 2);
    CHECK(found->answers[0].ttl == 3570);
    CHECK(found->answers[1].ttl == 30);
    CHECK_FALSE(cache.find_answer(question("alias.example.lab"), t0 + 60s));
}

TEST_CASE("no answer lives longer than max_ttl") {
    Cache cache(CacheSettings{1024 * 1024, 100, 3600});
    cache.store_answer(question("www.example.lab"), answer({a_record("www.example.lab", 604800)}),
                       t0);
    CHECK(cache.find_answer(question("www.example.lab"), t0 + 99s));
    CHECK_FALSE(cache.find_answer(question("www.example.lab"), t0 + 100s));

    // The default is a day, as Unbound's cache-max-ttl.
    Cache by_default;
    by_default.store_answer(question("www.example.lab"),
                            answer({a_record("www.example.lab", 604800)}), t0);
    CHECK(by_default.find_answer(question("www.example.lab"), t0 + 86399s));
    CHECK_FALSE(by_default.find_answer(question("www.example.lab"), t0 + 86400s));
}

// max_ttl caps how long an entry is kept and the TTLs handed out with it, as
// Unbound's cache-max-ttl does: a client must not be told to keep for a week
// what the cache itself keeps for a day (a bug the first version had).
TEST_CASE("an answer's records are handed out with TTLs no longer than max_ttl") {
    Cache cache(CacheSettings{1024 * 1024, 100, 3600});
    cache.store_answer(question("www.example.lab"), answer({a_record("www.example.lab", 604800)}),
                       t0);
    const auto found = cache.find_answer(question("www.example.lab"), t0 + 10s);
    REQUIRE(found);
    REQUIRE(found->answers.size() == 1);
    CHECK(found->answers[0].ttl <= 90);
}

TEST_CASE("TTL 0 means use once: such an answer is not stored (RFC 1035 section 3.2.1)") {
    Cache cache;
    cache.store_answer(question("www.example.lab"), answer({a_record("www.example.lab", 0)}), t0);
    CHECK_FALSE(cache.find_answer(question("www.example.lab"), t0));
    // One record with TTL 0 among others: the whole answer is not kept either.
    cache.store_answer(
        question("two.example.lab"),
        answer({a_record("two.example.lab", 300, 1), a_record("two.example.lab", 0, 2)}), t0);
    CHECK_FALSE(cache.find_answer(question("two.example.lab"), t0));
    CHECK(cache.entries() == 0);
}

TEST_CASE("SERVFAIL is not stored: the next client gets a fresh try") {
    Cache cache;
    Resolution failed{rcode_servfail, {}, {soa_record("example.lab", 3600, 300)}, 3};
    cache.store_answer(question("www.example.lab"), failed, t0);
    CHECK_FALSE(cache.find_answer(question("www.example.lab"), t0));
    Resolution refused{rcode_refused, {}, {soa_record("example.lab", 3600, 300)}, 3};
    cache.store_answer(question("www.example.lab"), refused, t0);
    CHECK_FALSE(cache.find_answer(question("www.example.lab"), t0));
    CHECK(cache.entries() == 0);
}

TEST_CASE("negative_ttl is the smaller of the SOA's TTL and its MINIMUM (RFC 2308 section 5)") {
    CHECK(negative_ttl({soa_record("example.lab", 3600, 300)}) == 300u);
    CHECK(negative_ttl({soa_record("example.lab", 60, 300)}) == 60u);
    CHECK(negative_ttl({soa_record("example.lab", 0, 300)}) == 0u);
    // Found among other authority records.
    ResourceRecord ns{DnsName::from_text("example.lab"), type_ns, class_in, 10, {0}};
    CHECK(negative_ttl({ns, soa_record("example.lab", 900, 1200)}) == 900u);
    // Without an SOA, nothing says how long "no" holds.
    CHECK_FALSE(negative_ttl({}));
    CHECK_FALSE(negative_ttl({ns}));
}

TEST_CASE("NXDOMAIN is kept for the negative TTL, and its SOA's TTL lowered to it") {
    Cache cache;
    cache.store_answer(question("nope.example.lab"),
                       negative(rcode_nxdomain, {soa_record("example.lab", 3600, 300)}), t0);
    const auto found = cache.find_answer(question("nope.example.lab"), t0);
    REQUIRE(found);
    CHECK(found->rcode == rcode_nxdomain);
    CHECK(found->answers.empty());
    REQUIRE(found->authorities.size() == 1);
    CHECK(found->authorities[0].type == type_soa);
    // RFC 2308 section 3: the client must not keep the SOA longer than the
    // negative answer may be kept.
    CHECK(found->authorities[0].ttl == 300);

    const auto later = cache.find_answer(question("nope.example.lab"), t0 + 200s);
    REQUIRE(later);
    CHECK(later->authorities[0].ttl == 100);
    CHECK_FALSE(cache.find_answer(question("nope.example.lab"), t0 + 300s));
}

TEST_CASE("NODATA (NOERROR, no records) is kept for min(SOA TTL, MINIMUM)") {
    Cache cache;
    // Here the SOA's own TTL is the smaller one.
    cache.store_answer(question("www.example.lab", type_aaaa),
                       negative(rcode_noerror, {soa_record("example.lab", 120, 3000)}), t0);
    const auto found = cache.find_answer(question("www.example.lab", type_aaaa), t0 + 20s);
    REQUIRE(found);
    CHECK(found->rcode == rcode_noerror);
    CHECK(found->answers.empty());
    REQUIRE(found->authorities.size() == 1);
    CHECK(found->authorities[0].ttl == 100);
    CHECK_FALSE(cache.find_answer(question("www.example.lab", type_aaaa), t0 + 120s));
    // The type matters: the A question was never answered.
    CHECK_FALSE(cache.find_answer(question("www.example.lab", type_a), t0));
}

TEST_CASE("a negative answer is kept no longer than max_negative_ttl") {
    Cache cache(CacheSettings{1024 * 1024, 86400, 600});
    cache.store_answer(question("nope.example.lab"),
                       negative(rcode_nxdomain, {soa_record("example.lab", 86400, 86400)}), t0);
    const auto found = cache.find_answer(question("nope.example.lab"), t0);
    REQUIRE(found);
    CHECK(found->authorities[0].ttl == 600);
    CHECK(cache.find_answer(question("nope.example.lab"), t0 + 599s));
    CHECK_FALSE(cache.find_answer(question("nope.example.lab"), t0 + 600s));
}

TEST_CASE("a negative answer without an SOA is not stored (RFC 2308 section 5)") {
    Cache cache;
    cache.store_answer(question("nope.example.lab"), negative(rcode_nxdomain, {}), t0);
    cache.store_answer(question("www.example.lab", type_aaaa), negative(rcode_noerror, {}), t0);
    CHECK_FALSE(cache.find_answer(question("nope.example.lab"), t0));
    CHECK_FALSE(cache.find_answer(question("www.example.lab", type_aaaa), t0));
    // An SOA whose negative TTL is 0: nothing to keep it for either.
    cache.store_answer(question("zero.example.lab"),
                       negative(rcode_nxdomain, {soa_record("example.lab", 3600, 0)}), t0);
    CHECK_FALSE(cache.find_answer(question("zero.example.lab"), t0));
    CHECK(cache.entries() == 0);
}

TEST_CASE("names are compared without regard to case (RFC 4343)") {
    Cache cache;
    cache.store_answer(question("WWW.Example.LAB"), answer({a_record("WWW.Example.LAB", 300)}), t0);
    CHECK(cache.find_answer(question("www.example.lab"), t0));
    CHECK(cache.find_answer(question("wWw.eXaMpLe.lAb"), t0));
    CHECK_FALSE(cache.find_answer(question("www.example.la"), t0));

    CHECK(Cache::key_for('A', DnsName::from_text("WWW.Example.LAB"), type_a) ==
          Cache::key_for('A', DnsName::from_text("www.example.lab"), type_a));
    // The kind and the type keep keys apart.
    CHECK(Cache::key_for('A', DnsName::from_text("www.example.lab"), type_a) !=
          Cache::key_for('D', DnsName::from_text("www.example.lab"), type_a));
    CHECK(Cache::key_for('A', DnsName::from_text("www.example.lab"), type_a) !=
          Cache::key_for('A', DnsName::from_text("www.example.lab"), type_aaaa));
    // Label boundaries count: a.bc is not ab.c.
    CHECK(Cache::key_for('A', DnsName::from_text("a.bc"), type_a) !=
          Cache::key_for('A', DnsName::from_text("ab.c"), type_a));
}

TEST_CASE("the closest cached delegation is the longest zone enclosing the name") {
    Cache cache;
    cache.store_delegation(delegation("lab", server("ns.lab", "192.0.2.1")), 3600, t0);
    cache.store_delegation(delegation("example.lab", server("ns1.example.lab", "192.0.2.53")), 600,
                           t0);

    const auto closest =
        cache.find_closest_delegation(DnsName::from_text("www.Example.lab"), false, t0 + 1s);
    REQUIRE(closest);
    CHECK(closest->delegation->zone == DnsName::from_text("example.lab"));
    REQUIRE(closest->delegation->servers.size() == 1);
    CHECK(closest->delegation->servers[0].name == DnsName::from_text("ns1.example.lab"));
    REQUIRE(closest->delegation->servers[0].addresses.size() == 1);
    CHECK(closest->delegation->servers[0].addresses[0].ip_string() == "192.0.2.53");
    // Shared with the cache, not copied: each lookup gets the same delegation.
    const auto again =
        cache.find_closest_delegation(DnsName::from_text("mail.example.lab"), false, t0 + 1s);
    REQUIRE(again);
    CHECK(again->delegation == closest->delegation);

    // The zone's own apex is in the zone.
    const auto apex = cache.find_closest_delegation(DnsName::from_text("example.lab"), false, t0);
    REQUIRE(apex);
    CHECK(apex->delegation->zone == DnsName::from_text("example.lab"));

    // Another name under lab only.
    const auto other =
        cache.find_closest_delegation(DnsName::from_text("www.other.lab"), false, t0);
    REQUIRE(other);
    CHECK(other->delegation->zone == DnsName::from_text("lab"));

    // Nothing cached for this TLD: the lookup starts at the root.
    CHECK_FALSE(cache.find_closest_delegation(DnsName::from_text("www.example.com"), false, t0));
    CHECK_FALSE(cache.find_closest_delegation(DnsName(), false, t0));
}

TEST_CASE("for a DS question the name's own zone is skipped (RFC 4034 section 5)") {
    // The DS record of example.lab is in lab: its parent's servers have it.
    Cache cache;
    cache.store_delegation(delegation("lab", server("ns.lab", "192.0.2.1")), 3600, t0);
    cache.store_delegation(delegation("example.lab", server("ns1.example.lab", "192.0.2.53")), 3600,
                           t0);
    const auto for_ds = cache.find_closest_delegation(DnsName::from_text("example.lab"), true, t0);
    REQUIRE(for_ds);
    CHECK(for_ds->delegation->zone == DnsName::from_text("lab"));
    // A name below the zone still finds the zone itself for DS.
    const auto below =
        cache.find_closest_delegation(DnsName::from_text("sub.example.lab"), true, t0);
    REQUIRE(below);
    CHECK(below->delegation->zone == DnsName::from_text("example.lab"));
    // The TLD's own DS is in the root: nothing cached below the root to use.
    CHECK_FALSE(cache.find_closest_delegation(DnsName::from_text("lab"), true, t0));
}

TEST_CASE("a delegation expires with its TTL, and the next one out is used") {
    Cache cache;
    cache.store_delegation(delegation("lab", server("ns.lab", "192.0.2.1")), 3600, t0);
    cache.store_delegation(delegation("example.lab", server("ns1.example.lab", "192.0.2.53")), 60,
                           t0);
    const auto before =
        cache.find_closest_delegation(DnsName::from_text("www.example.lab"), false, t0 + 59s);
    REQUIRE(before);
    CHECK(before->delegation->zone == DnsName::from_text("example.lab"));
    const auto after =
        cache.find_closest_delegation(DnsName::from_text("www.example.lab"), false, t0 + 60s);
    REQUIRE(after);
    CHECK(after->delegation->zone == DnsName::from_text("lab"));
    CHECK_FALSE(
        cache.find_closest_delegation(DnsName::from_text("www.example.lab"), false, t0 + 3600s));
}

TEST_CASE("a whole response is copied with its TTLs counted down") {
    Cache cache;
    // Twelve bytes of header, then two 4-byte TTL fields at offsets 12 and 16.
    WireResponse response;
    response.bytes = {0x12, 0x34, 0x81, 0x80, 0,    1, 0, 2,    0,    0,   0,
                      0,    0,    0,    0x01, 0x2c, 0, 0, 0x0e, 0x10, 0xaa};
    response.ttl_offsets = {12, 16};
    response.ttls = {300, 3600};
    cache.store_response("Wkey", response, 300, t0);

    std::vector<uint8_t> out(512, 0xee);
    REQUIRE(cache.copy_response("Wkey", out, t0) == response.bytes.size());
    CHECK(std::vector<uint8_t>(out.begin(), out.begin() + 21) == response.bytes);
    CHECK(out[21] == 0xee); // nothing written past the response

    REQUIRE(cache.copy_response("Wkey", out, t0 + 100s) == response.bytes.size());
    // 300 - 100 = 200 (0xc8); 3600 - 100 = 3500 (0x0dac).
    CHECK(std::vector<uint8_t>(out.begin() + 12, out.begin() + 20) ==
          std::vector<uint8_t>{0, 0, 0, 0xc8, 0, 0, 0x0d, 0xac});
    CHECK(out[20] == 0xaa);

    // Not served at its expiry; an unknown key or a buffer too small: 0.
    CHECK(cache.copy_response("Wother", out, t0) == 0);
    std::vector<uint8_t> small(10);
    CHECK(cache.copy_response("Wkey", small, t0) == 0);
    CHECK(cache.copy_response("Wkey", out, t0 + 300s) == 0);
}

TEST_CASE("the cache stays within max_bytes, evicting as it must") {
    CacheSettings settings;
    settings.max_bytes = 64 * 1024;
    Cache cache(settings);
    for (int i = 0; i < 5000; ++i) {
        const std::string name = "host" + std::to_string(i) + ".example.lab";
        cache.store_answer(question(name.c_str()), answer({a_record(name.c_str(), 3600)}), t0);
        if (i % 500 == 0)
            CHECK(cache.bytes_used() <= settings.max_bytes);
    }
    CHECK(cache.bytes_used() <= settings.max_bytes);
    CHECK(cache.bytes_used() > 0);
    CHECK(cache.evictions() > 0);
    CHECK(cache.entries() > 0);
    CHECK(cache.entries() < 5000);
    // The newest entry is there; the first ones made room long ago.
    CHECK(cache.find_answer(question("host4999.example.lab"), t0));
    CHECK_FALSE(cache.find_answer(question("host0.example.lab"), t0));
}

TEST_CASE("the least recently used entries go first: a popular name survives a flood") {
    CacheSettings settings;
    settings.max_bytes = 32 * 1024;
    Cache cache(settings);
    cache.store_answer(question("popular.example.lab"),
                       answer({a_record("popular.example.lab", 3600)}), t0);
    cache.store_answer(question("forgotten.example.lab"),
                       answer({a_record("forgotten.example.lab", 3600)}), t0);
    for (int i = 0; i < 2000; ++i) {
        const std::string name = "flood" + std::to_string(i) + ".example.lab";
        cache.store_answer(question(name.c_str()), answer({a_record(name.c_str(), 3600)}), t0);
        // Asked for all along: always the most recently used in its shard.
        REQUIRE(cache.find_answer(question("popular.example.lab"), t0));
    }
    CHECK(cache.evictions() > 0);
    CHECK(cache.bytes_used() <= settings.max_bytes);
    CHECK(cache.find_answer(question("popular.example.lab"), t0));
    CHECK_FALSE(cache.find_answer(question("forgotten.example.lab"), t0));
}

TEST_CASE("storing the same question again replaces the old entry") {
    Cache cache;
    cache.store_answer(question("www.example.lab"), answer({a_record("www.example.lab", 300, 1)}),
                       t0);
    const size_t bytes = cache.bytes_used();
    cache.store_answer(question("www.example.lab"), answer({a_record("www.example.lab", 600, 2)}),
                       t0 + 10s);
    CHECK(cache.entries() == 1);
    CHECK(cache.bytes_used() == bytes);
    const auto found = cache.find_answer(question("www.example.lab"), t0 + 20s);
    REQUIRE(found);
    CHECK(found->answers[0].ttl == 590);
    CHECK(found->answers[0].rdata == std::vector<uint8_t>{192, 0, 2, 2});
}

// RFC 2308 section 5 and RFC 8020: a name that does not exist has no records
// of any type, so its NXDOMAIN answers the next question for it, whatever type.
TEST_CASE("NXDOMAIN for a name answers every type asked of it, but not after a CNAME") {
    Cache cache;
    Resolution nxdomain;
    nxdomain.rcode = rcode_nxdomain;
    nxdomain.authorities = {soa_record("example.lab", 3600, 300)};
    cache.store_answer(question("gone.example.lab"), nxdomain, t0);
    const Question txt{DnsName::from_text("gone.example.lab"), 16, class_in};
    const auto found = cache.find_answer(txt, t0 + 10s);
    REQUIRE(found.has_value());
    CHECK(found->rcode == rcode_nxdomain);
    CHECK(found->authorities.at(0).ttl == 290);
    CHECK_FALSE(cache.find_answer(txt, t0 + 300s).has_value());

    // At the end of a CNAME chain the name that does not exist is the target:
    // the alias itself exists, and may have other types.
    Resolution after_alias = nxdomain;
    MessageWriter target(255);
    target.write_name(DnsName::from_text("gone2.example.lab"));
    after_alias.answers = {ResourceRecord{DnsName::from_text("alias.example.lab"), type_cname,
                                          class_in, 300, target.bytes()}};
    cache.store_answer(question("alias.example.lab"), after_alias, t0);
    const Question alias_txt{DnsName::from_text("alias.example.lab"), 16, class_in};
    CHECK_FALSE(cache.find_answer(alias_txt, t0 + 1s).has_value());
}
