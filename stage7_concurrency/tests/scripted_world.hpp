// A scripted world for the resolver's unit tests: servers that answer from
// a script in place of the network (AskServer, iterative_resolver.hpp), and a
// resolver that asks them. Each scenario reads as a small world (who serves
// what, who misbehaves) and runs in milliseconds, without sockets.
#pragma once

#include "../iterative_resolver.hpp"
#include "../message_writer.hpp"

#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace dns::scripted {

using namespace std::chrono_literals;

inline std::vector<uint8_t> name_rdata(const std::string& name) {
    MessageWriter writer(DnsName::max_wire_length);
    writer.write_name(DnsName::from_text(name));
    return writer.bytes();
}

inline std::vector<uint8_t> ipv4(const std::string& text) {
    const auto address = SocketAddress::from_ip(text, 53);
    const auto* in = reinterpret_cast<const sockaddr_in*>(address.as_sockaddr());
    const auto* bytes = reinterpret_cast<const uint8_t*>(&in->sin_addr);
    return {bytes, bytes + 4};
}

inline ResourceRecord record(const std::string& owner, uint16_t type, std::vector<uint8_t> rdata,
                             uint32_t ttl = 3600) {
    return ResourceRecord{DnsName::from_text(owner), type, class_in, ttl, std::move(rdata)};
}

// What one scripted server does with one query.
struct Script {
    enum class Kind { reply, silence, no_route } kind = Kind::reply;
    Message message;
};

inline Script silence() {
    return Script{Script::Kind::silence, {}};
}

inline Script no_route() {
    return Script{Script::Kind::no_route, {}};
}

// A reply as an authoritative server sends it: AA=1, RA=0, NOERROR.
inline Script reply(std::vector<ResourceRecord> answers = {},
                    std::vector<ResourceRecord> authorities = {},
                    std::vector<ResourceRecord> additionals = {}) {
    Script script;
    script.message.header.qr = true;
    script.message.header.aa = true;
    script.message.answers = std::move(answers);
    script.message.authorities = std::move(authorities);
    script.message.additionals = std::move(additionals);
    return script;
}

inline Script with_rcode(Script script, uint8_t rcode, bool authoritative = false) {
    script.message.header.rcode = rcode;
    script.message.header.aa = authoritative;
    return script;
}

// A referral from a parent: NS records, not authoritative, and glue.
inline Script referral(const std::string& zone,
                       const std::vector<std::pair<std::string, std::string>>& servers) {
    Script script = reply();
    script.message.header.aa = false;
    for (const auto& [name, address] : servers) {
        script.message.authorities.push_back(record(zone, type_ns, name_rdata(name)));
        if (!address.empty())
            script.message.additionals.push_back(record(name, type_a, ipv4(address)));
    }
    return script;
}

// The scripted world: for each server address, a function from the question
// to what it does. Every query is logged as "ADDRESS NAME TYPE".
struct World {
    std::map<std::string, std::function<Script(const Question&)>> servers;
    std::vector<std::string> asked;

    AskServer ask() {
        return [this](const SocketAddress& server, const Question& question, QueryOptions,
                      std::chrono::milliseconds, Trace&,
                      int) -> Task<ServerReply> { return answer(server.ip_string(), question); };
    }

    Task<ServerReply> answer(std::string server, Question question) {
        asked.push_back(server + " " + question.name.to_string() + " " +
                        std::to_string(question.type));
        ServerReply result;
        const auto found = servers.find(server);
        const Script script = found == servers.end() ? silence() : found->second(question);
        switch (script.kind) {
        case Script::Kind::reply:
            result.message = script.message;
            result.message->header.qr = true;
            result.message->questions = {question};
            break;
        case Script::Kind::silence:
            break;
        case Script::Kind::no_route:
            result.unreachable = true;
            result.no_route = true;
            break;
        }
        co_return result;
    }

    size_t queries_to(const std::string& server) const {
        size_t count = 0;
        for (const auto& line : asked)
            if (line.rfind(server + " ", 0) == 0)
                ++count;
        return count;
    }
};

// The root at 192.0.2.1 refers lab. to 192.0.2.10; lab. refers example.lab.
// to the servers given; a lookup's resolver shares `shared` with the next.
struct Resolver {
    World& world;
    SharedState shared;
    Counters counters;
    EventLoop loop;
    std::ostringstream trace;
    IterativeResolver resolver;

    explicit Resolver(World& w,
                      std::vector<NameServer> roots = {{DnsName::from_text("a.root.test"),
                                                        {SocketAddress::from_ip("192.0.2.1", 53)}}})
        : world(w),
          resolver(loop, shared, counters, std::move(roots), 53, Limits{}, &trace, false, w.ask()) {
    }

    Resolution resolve(const std::string& name, uint16_t type = type_a) {
        return run_to_completion(
            loop, resolver.resolve(Question{DnsName::from_text(name), type, class_in}));
    }
};

} // namespace dns::scripted
