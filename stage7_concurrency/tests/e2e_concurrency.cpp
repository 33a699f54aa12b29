// Stage 7's end-to-end tests: many clients at once, the cache, the limits and
// the access list, against the resolver running in the test bed. Timings are
// checked only with generous bounds: they show that nobody waits for a silent
// server, not how fast a machine is.

#include "common/tcp_socket.hpp"
#include "common/testing/corpus.hpp"
#include "common/testing/dig_output.hpp"
#include "common/testing/resolver_under_test.hpp"
#include "common/udp_socket.hpp"

#include <csignal>
#include <cstdlib>
#include <doctest/doctest.h>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

using namespace dns;
using namespace dns::testing;

namespace {

using Clock = std::chrono::steady_clock;

// A query in wire form: `id`, RD=1, one question for `name` (no final dot), type A.
std::vector<uint8_t> query_for(uint16_t id, const std::string& name, uint16_t type = 1) {
    std::vector<uint8_t> bytes{
        static_cast<uint8_t>(id >> 8), static_cast<uint8_t>(id), 0x01, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    std::istringstream labels(name);
    for (std::string label; std::getline(labels, label, '.');) {
        bytes.push_back(static_cast<uint8_t>(label.size()));
        bytes.insert(bytes.end(), label.begin(), label.end());
    }
    bytes.insert(bytes.end(),
                 {0, static_cast<uint8_t>(type >> 8), static_cast<uint8_t>(type), 0, 1});
    return bytes;
}

uint16_t id_of(std::span<const uint8_t> message) {
    return static_cast<uint16_t>(message[0] << 8 | message[1]);
}
uint8_t rcode_of(std::span<const uint8_t> message) {
    return message[3] & 0x0F;
}
uint16_t answer_count(std::span<const uint8_t> message) {
    return static_cast<uint16_t>(message[6] << 8 | message[7]);
}

// A client socket on 127.0.0.1 that sends queries and collects responses by ID.
class Client {
  public:
    Client() : socket_(UdpSocket::bind(SocketAddress::parse("127.0.0.1:0"))) {}
    void send(const RunningResolver& resolver, std::span<const uint8_t> bytes) {
        socket_.send_to(bytes, resolver.address());
    }
    // Responses until `count` have come or `wait` passes; by ID.
    std::map<uint16_t, std::vector<uint8_t>> receive(size_t count, std::chrono::milliseconds wait) {
        std::map<uint16_t, std::vector<uint8_t>> responses;
        const auto deadline = Clock::now() + wait;
        std::vector<uint8_t> buffer(UdpSocket::max_datagram_size);
        while (responses.size() < count && Clock::now() < deadline) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            const auto datagram = socket_.receive(buffer, std::max(left, 1ms));
            if (!datagram || datagram->size < 12)
                continue;
            responses[id_of(buffer)] = std::vector<uint8_t>(
                buffer.begin(), buffer.begin() + static_cast<long>(datagram->size));
        }
        return responses;
    }

  private:
    UdpSocket socket_;
};

// How often `needle` appears in `text`.
size_t occurrences(const std::string& text, const std::string& needle) {
    size_t count = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++count;
    return count;
}

// A label no earlier run of the tests has used: the test bed's responder logs
// every query it gets, and the tests count those of their own names.
std::string fresh_label(const std::string& prefix) {
    std::random_device random;
    return prefix + "-" + std::to_string(random() % 1000000000);
}

// The value of one counter ("cache bytes") in the last block the resolver
// printed after `from`.
uint64_t counter(const std::string& output, const std::string& name, size_t from) {
    const size_t at =
        output.find("  " + name + " ", output.rfind("Counters:") >= from ? output.rfind("Counters:")
                                                                         : std::string::npos);
    REQUIRE(at != std::string::npos);
    return std::stoull(output.substr(output.find_first_not_of(' ', at + 2 + name.size())));
}

std::string responder_log() {
    const char* testbed = std::getenv("TESTBED_DIR");
    REQUIRE_MESSAGE(testbed != nullptr, "TESTBED_DIR is not set");
    std::ifstream file(std::string(testbed) + "/scripted-responder/log");
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("a silent server does not delay the answers for other names") {
    // One worker thread: the silent lookup and the others share one event loop.
    RunningResolver resolver({"--threads", "1"});
    Client waiting_client;
    waiting_client.send(resolver, query_for(1, "www.only-silent.lab"));
    std::this_thread::sleep_for(50ms); // the silent lookup is under way

    const auto started = Clock::now();
    const std::string answer = ask(resolver, {"www.example.lab", "A"});
    const auto elapsed = Clock::now() - started;
    CHECK(dig_status(answer) == "NOERROR");
    // Stage 6 would answer only after the silent server's timeout (1 s a try).
    CHECK(elapsed < 700ms);
    // And the silent lookup still ends, in SERVFAIL within the deadline (4 s).
    const auto late = waiting_client.receive(1, 6s);
    REQUIRE(late.count(1) == 1);
    CHECK(rcode_of(late.at(1)) == 2);
}

TEST_CASE("identical questions at the same time cause one upstream query") {
    RunningResolver resolver({"--threads", "2"});
    // The slow server answers after 300 ms: time for every client to ask.
    const std::string name = fresh_label("same") + ".only-slow.lab";
    std::vector<Client> clients(20);
    for (size_t i = 0; i < clients.size(); ++i)
        clients[i].send(resolver, query_for(static_cast<uint16_t>(100 + i), name));
    for (size_t i = 0; i < clients.size(); ++i) {
        const auto responses = clients[i].receive(1, 5s);
        INFO("client " << i);
        REQUIRE(responses.size() == 1);
        CHECK(rcode_of(responses.begin()->second) == 0);
        CHECK(answer_count(responses.begin()->second) == 1);
    }
    // The responder logs each query it gets: "... query ID 4711 for NAME. A -> ...".
    CHECK(occurrences(responder_log(), " for " + name + ". A ") == 1);
}

TEST_CASE("cached answers have their TTLs counted down, and expire") {
    RunningResolver resolver({"--trace"});
    // Upstream queries for a name so far, as the trace shows them.
    const auto asked_upstream = [&](const std::string& name) {
        resolver.printed("lookup of " + name + ". A", 2s);
        return occurrences(resolver.process().output(), ") for " + name + ". A");
    };
    // fleeting.example.lab has a TTL of 2 seconds.
    const std::string first = ask(resolver, {"fleeting.example.lab", "A"});
    REQUIRE(dig_section(first, "ANSWER").size() == 1);
    CHECK(dig_section(first, "ANSWER")[0].ttl == 2);
    REQUIRE(resolver.printed("answer: fleeting.example.lab. 2 IN A", 5s));
    const size_t first_queries = asked_upstream("fleeting.example.lab");
    std::this_thread::sleep_for(1100ms);
    const std::string cached = ask(resolver, {"fleeting.example.lab", "A"});
    REQUIRE(dig_section(cached, "ANSWER").size() == 1);
    CHECK(dig_section(cached, "ANSWER")[0].ttl <= 1);
    CHECK(resolver.printed("Answered NOERROR with 1 record(s) after 0 upstream queries"));
    CHECK(asked_upstream("fleeting.example.lab") == first_queries);
    // Never served past its TTL: after 2 seconds it is asked for again, of
    // example.lab's servers straight away (their delegation is still cached).
    std::this_thread::sleep_for(1500ms);
    const size_t mark = resolver.mark();
    const std::string again = ask(resolver, {"fleeting.example.lab", "A"});
    CHECK(dig_section(again, "ANSWER").size() == 1);
    CHECK(dig_section(again, "ANSWER")[0].ttl == 2);
    REQUIRE(resolver.printed("answer: fleeting.example.lab. 2 IN A", 5s, mark));
    CHECK(asked_upstream("fleeting.example.lab") == first_queries + 1);

    // A record with TTL 0 may be used for this answer only (RFC 1035 section 3.2.1).
    ask(resolver, {"zero.example.lab", "A"});
    const size_t zero_queries = asked_upstream("zero.example.lab");
    ask(resolver, {"zero.example.lab", "A"});
    std::this_thread::sleep_for(200ms);
    CHECK(asked_upstream("zero.example.lab") == zero_queries + 1);
}

TEST_CASE("negative answers are cached for as long as the zone's SOA says (RFC 2308)") {
    RunningResolver resolver;
    const std::string name = fresh_label("nothing") + ".example.lab";
    const std::string first = ask(resolver, {name, "A"});
    CHECK(dig_status(first) == "NXDOMAIN");
    // The second time from the cache, the third from the fast path's copy.
    const size_t mark = resolver.mark();
    const std::string second = ask(resolver, {name, "A"});
    CHECK(dig_status(second) == "NXDOMAIN");
    CHECK(
        resolver.printed("Answered NXDOMAIN with 0 record(s) after 0 upstream queries", 2s, mark));
    const size_t before_third = resolver.mark();
    CHECK(dig_status(ask(resolver, {name, "A"})) == "NXDOMAIN");
    CHECK(resolver.printed("Answered NXDOMAIN from the cache (the fast path)", 2s, before_third));
    // The SOA comes with the negative TTL: no more than its MINIMUM field (300).
    const auto authority = dig_section(second, "AUTHORITY");
    REQUIRE(authority.size() == 1);
    CHECK(authority[0].type == "SOA");
    CHECK(authority[0].ttl <= 300);

    // NODATA too: the name exists, the type does not.
    ask(resolver, {"v6only.example.lab", "A"});
    const size_t before_nodata = resolver.mark();
    const std::string nodata = ask(resolver, {"v6only.example.lab", "A"});
    CHECK(dig_status(nodata) == "NOERROR");
    CHECK(dig_section(nodata, "ANSWER").empty());
    CHECK(resolver.printed("Answered NOERROR with 0 record(s) after 0 upstream queries", 2s,
                           before_nodata));
}

TEST_CASE("the cache stays under its size limit during a flood of unique names") {
    RunningResolver resolver({"--cache-size", "1", "--quiet"});
    Client client;
    const std::string run = fresh_label("flood");
    size_t answered = 0;
    constexpr int rounds = 50, per_round = 100;
    for (int round = 0; round < rounds; ++round) {
        for (int i = 0; i < per_round; ++i)
            client.send(resolver, query_for(static_cast<uint16_t>(round * per_round + i),
                                            run + "-" + std::to_string(round * per_round + i) +
                                                ".example.lab"));
        answered += client.receive(per_round, 10s).size();
    }
    CHECK(answered == rounds * per_round);
    const size_t mark = resolver.mark();
    ::kill(resolver.process().pid(), SIGUSR1);
    REQUIRE(resolver.printed("cache bytes", 5s, mark));
    resolver.printed("\n", 1s, resolver.process().output().find("cache bytes", mark));
    const std::string& output = resolver.process().output();
    const uint64_t bytes = counter(output, "cache bytes", mark);
    CHECK(bytes > 0);
    CHECK(bytes <= 1024 * 1024);
    // 5,000 negative answers would not fit: many were evicted.
    CHECK(counter(output, "cache entries", mark) < rounds * per_round);
}

TEST_CASE("clients outside the access list get REFUSED") {
    // Only 127.0.0.2 is allowed: the default (all of loopback) gives way.
    RunningResolver resolver({"--allow", "127.0.0.2/32"});
    const std::string port = resolver.port();
    const auto from = [&](const std::string& source) {
        return run_command({"dig", "@127.0.0.1", "-p", port, "-b", source, "+tries=1", "+timeout=3",
                            "www.example.lab", "A"},
                           20s)
            .output;
    };
    CHECK(dig_status(from("127.0.0.1")) == "REFUSED");
    const std::string allowed = from("127.0.0.2");
    CHECK(dig_status(allowed) == "NOERROR");
    CHECK(dig_section(allowed, "ANSWER").size() == 1);
    // A refused client does not fill the cache or cause a lookup.
    CHECK(resolver.printed("Refused 127.0.0.1:"));
    // Nor may it hold a TCP connection: closed before it sends anything.
    const auto connection = TcpConnection::connect(resolver.address(), 2s);
    uint8_t byte = 0;
    CHECK_FALSE(connection.receive_exactly(std::span(&byte, 1), 2s));
    CHECK(resolver.printed("Closed a TCP connection from 127.0.0.1:"));
}

TEST_CASE("a server that timed out is asked last the next time (back-off)") {
    RunningResolver resolver({"--trace", "--threads", "1"});
    // silent.lab has two servers: the scripted responder's silent one, asked
    // first while neither has been measured, and Knot.
    const std::string first = ask(resolver, {"www.silent.lab", "A"});
    CHECK(dig_status(first) == "NOERROR");
    REQUIRE(resolver.printed("no reply within"));
    const size_t mark = resolver.mark();
    const auto started = Clock::now();
    ask(resolver, {fresh_label("next") + ".silent.lab", "A"});
    CHECK(Clock::now() - started < 700ms);
    REQUIRE(resolver.printed("lookup of", 2s, mark));
    resolver.printed("Answered", 2s, mark);
    CHECK(resolver.process().output().find("no reply within", mark) == std::string::npos);
}

TEST_CASE("garbage mixed into a stream of valid queries loses no valid answer") {
    RunningResolver resolver({"--quiet"});
    Client valid, garbage;
    std::vector<std::vector<uint8_t>> junk;
    for (const CorpusEntry& entry : corpus_entries())
        if (entry.malformed)
            junk.push_back(entry.bytes());
    std::mt19937 random(7);
    for (int i = 0; i < 50; ++i) {
        std::vector<uint8_t> noise(random() % 600);
        for (auto& byte : noise)
            byte = static_cast<uint8_t>(random());
        junk.push_back(noise);
    }
    REQUIRE(junk.size() > 50);
    const std::vector<std::string> names{"www.example.lab", "multi.example.lab",
                                         "www.dept.school.learn", "www.noglue.lab",
                                         "mail.example.lab"};
    // In rounds of 50, so that the test's own socket buffer never overflows.
    constexpr int queries = 300, per_round = 50;
    std::map<uint16_t, std::vector<uint8_t>> responses;
    for (int round = 0; round < queries / per_round; ++round) {
        for (int i = round * per_round; i < (round + 1) * per_round; ++i) {
            valid.send(resolver, query_for(static_cast<uint16_t>(i), names[i % names.size()]));
            garbage.send(resolver, junk[static_cast<size_t>(i) % junk.size()]);
        }
        responses.merge(valid.receive(per_round, 10s));
    }
    CHECK(responses.size() == queries);
    for (const auto& [id, response] : responses) {
        INFO("query " << id);
        CHECK(rcode_of(response) == 0);
        CHECK(answer_count(response) >= 1);
    }
    CHECK(resolver.process().is_running());
}

TEST_CASE("TCP: queries on one connection are answered as each is ready") {
    RunningResolver resolver;
    const auto connection = TcpConnection::connect(resolver.address(), 2s);
    const auto send = [&](const std::vector<uint8_t>& query) {
        std::vector<uint8_t> framed{static_cast<uint8_t>(query.size() >> 8),
                                    static_cast<uint8_t>(query.size())};
        framed.insert(framed.end(), query.begin(), query.end());
        connection.send_all(framed, 2s);
    };
    const auto receive = [&]() -> std::vector<uint8_t> {
        uint8_t length[2];
        REQUIRE(connection.receive_exactly(length, 5s));
        std::vector<uint8_t> message(static_cast<size_t>(length[0] << 8 | length[1]));
        REQUIRE(connection.receive_exactly(message, 5s));
        return message;
    };
    // First a question for the slow server (300 ms), then one the test bed's
    // Knot answers at once: the second answer must not wait for the first.
    send(query_for(1, fresh_label("slow") + ".only-slow.lab"));
    send(query_for(2, "www.example.lab"));
    const auto first = receive();
    const auto second = receive();
    CHECK(id_of(first) == 2);
    CHECK(id_of(second) == 1);
    CHECK(rcode_of(first) == 0);
    CHECK(rcode_of(second) == 0);
}

TEST_CASE("many TCP clients at once are all answered") {
    RunningResolver resolver;
    std::vector<TcpConnection> connections;
    for (int i = 0; i < 50; ++i)
        connections.push_back(TcpConnection::connect(resolver.address(), 2s));
    const auto query = query_for(42, "www.example.lab");
    std::vector<uint8_t> framed{0, static_cast<uint8_t>(query.size())};
    framed.insert(framed.end(), query.begin(), query.end());
    for (const auto& connection : connections)
        connection.send_all(framed, 2s);
    int answered = 0;
    for (const auto& connection : connections) {
        uint8_t length[2];
        if (!connection.receive_exactly(length, 5s))
            continue;
        std::vector<uint8_t> message(static_cast<size_t>(length[0] << 8 | length[1]));
        if (connection.receive_exactly(message, 5s) && id_of(message) == 42 &&
            rcode_of(message) == 0)
            ++answered;
    }
    CHECK(answered == 50);
}

TEST_CASE("SIGUSR1 prints the counters; SIGTERM answers what is in flight and exits 0") {
    RunningResolver resolver({"--threads", "2"});
    // Asked three times: looked up, answered from the cache, then copied by
    // the fast path (which counts as the cache hit).
    for (int i = 0; i < 3; ++i)
        ask(resolver, {"www.example.lab", "A"});
    ::kill(resolver.process().pid(), SIGUSR1);
    REQUIRE(resolver.printed("cache entries"));
    const std::string& output = resolver.process().output();
    CHECK(counter(output, "queries", 0) == 3);
    CHECK(counter(output, "cache hits", 0) == 1);
    CHECK(counter(output, "answers NOERROR", 0) == 3);
    CHECK(counter(output, "upstream queries", 0) >= 3);

    // A lookup in flight (the slow server takes 300 ms) when SIGTERM comes:
    // its client still gets a response, and the resolver exits with status 0.
    Client client;
    client.send(resolver, query_for(7, fresh_label("bye") + ".only-slow.lab"));
    std::this_thread::sleep_for(100ms);
    const size_t mark = resolver.mark();
    ::kill(resolver.process().pid(), SIGTERM);
    const auto responses = client.receive(1, 5s);
    CHECK(responses.count(7) == 1);
    CHECK(resolver.process().wait_for_exit(5s) == std::optional<int>(0));
    CHECK(resolver.printed("Stopping (SIGTERM)", 1s, mark));
    CHECK(resolver.printed("Counters:", 1s, mark));
}

// SO_REUSEPORT lets sockets share a port; a second resolver started by mistake
// on the first one's port would take half its queries without a word. Stage 7
// checks the port with plain sockets first, and refuses to start.
TEST_CASE("a second resolver on the same port is refused at start") {
    RunningResolver first({"--threads", "2"});
    const CommandResult second = run_command(
        resolver_command({"--listen", "127.0.0.1:" + first.port(), "--threads", "2"}), 10s);
    INFO(second.output);
    CHECK(second.exit_status == 1);
    CHECK(second.output.find("in use") != std::string::npos);
    // The first one still answers.
    CHECK(dig_status(ask(first, {"www.example.lab", "A"})) == "NOERROR");
}
