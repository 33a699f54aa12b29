#include "iterative_resolver.hpp"
#include "common/deadline.hpp"

#include "code_names.hpp"
#include "upstream_query.hpp"

#include <stdexcept>

namespace dns {

namespace {

using Clock = std::chrono::steady_clock;

// A lookup cannot finish within its limits, or no server could help.
class LookupFailed : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

std::string describe(const Question& question) {
    return question.name.to_string() + " " + type_name(question.type);
}

std::string describe(const NameServer& server) {
    std::string text = server.name.to_string();
    if (server.addresses.empty())
        return text + " (no glue)";
    for (size_t i = 0; i < server.addresses.size(); ++i)
        text += (i == 0 ? " (" : ", ") + server.addresses[i].ip_string();
    return text + ")";
}

std::string describe(const ResourceRecord& record) {
    return record.name.to_string() + " " + std::to_string(record.ttl) + " " +
           class_name(record.klass) + " " + type_name(record.type) + " " + rdata_to_text(record);
}

} // namespace

struct IterativeResolver::Budget {
    Clock::time_point deadline;
    int queries_left;

    std::chrono::milliseconds time_left() const { return milliseconds_until(deadline); }
    // Takes one upstream query from the budget, or fails the lookup.
    void spend_query() {
        if (queries_left <= 0)
            throw LookupFailed("the limit of upstream queries for one question is reached");
        if (time_left().count() <= 0)
            throw LookupFailed("the deadline for this question has passed");
        --queries_left;
    }
};

IterativeResolver::IterativeResolver(std::vector<NameServer> root_servers, uint16_t upstream_port,
                                     Limits limits, const Trace& trace)
    : root_servers_(std::move(root_servers)), upstream_port_(upstream_port), limits_(limits),
      trace_(trace) {}

Resolution IterativeResolver::resolve(const Question& question) {
    Budget budget{Clock::now() + limits_.deadline, limits_.max_upstream_queries};
    Resolution resolution;
    try {
        resolution = resolve_iteratively(question, 0, budget);
    } catch (const LookupFailed& failure) {
        trace_.step(0, std::string("giving up: ") + failure.what() + " -> SERVFAIL");
        resolution = Resolution{rcode_servfail, {}, 0};
    }
    resolution.upstream_queries = limits_.max_upstream_queries - budget.queries_left;
    return resolution;
}

Resolution IterativeResolver::resolve_iteratively(const Question& question, int depth,
                                                  Budget& budget) {
    DnsName zone; // the root
    std::vector<NameServer> servers = root_servers_;
    for (int referrals = 0;; ++referrals) {
        if (referrals > limits_.max_referrals)
            throw LookupFailed("more than " + std::to_string(limits_.max_referrals) + " referrals");
        const ClassifiedReply reply = ask_servers_of_zone(zone, servers, question, depth, budget);
        switch (reply.kind) {
        case ReplyKind::answer:
            for (const auto& record : reply.answers)
                trace_.step(depth, "  answer: " + describe(record));
            return Resolution{rcode_noerror, reply.answers, 0};
        case ReplyKind::nxdomain:
            for (const auto& record : reply.answers)
                trace_.step(depth, "  answer: " + describe(record));
            trace_.step(depth, "  NXDOMAIN: " + question.name.to_string() + " does not exist");
            return Resolution{rcode_nxdomain, reply.answers, 0};
        case ReplyKind::nodata:
            trace_.step(depth, "  NODATA: " + question.name.to_string() + " has no " +
                                   type_name(question.type) + " records");
            return Resolution{rcode_noerror, {}, 0};
        case ReplyKind::referral: {
            std::string servers_text;
            for (const auto& server : reply.referral_servers)
                servers_text += (servers_text.empty() ? "" : ", ") + describe(server);
            trace_.step(depth,
                        "  referral to " + reply.referral_zone.to_string() + ": " + servers_text);
            zone = reply.referral_zone;
            servers = reply.referral_servers;
            break;
        }
        case ReplyKind::unusable:
            throw LookupFailed("unexpected unusable reply"); // ask_servers_of_zone skips these
        }
    }
}

ClassifiedReply IterativeResolver::ask_servers_of_zone(const DnsName& zone,
                                                       const std::vector<NameServer>& servers,
                                                       const Question& question, int depth,
                                                       Budget& budget) {
    int addresses_tried = 0;
    // First the servers whose addresses came with the referral (glue); only if
    // none of them helps, the others, whose addresses must be looked up first.
    for (const bool glueless : {false, true}) {
        for (const NameServer& server : servers) {
            if (server.addresses.empty() != glueless)
                continue;
            const std::vector<SocketAddress> addresses =
                glueless ? look_up_address(server.name, depth, budget) : server.addresses;
            for (SocketAddress address : addresses) {
                if (addresses_tried++ >= limits_.max_servers_per_zone)
                    throw LookupFailed("tried " + std::to_string(limits_.max_servers_per_zone) +
                                       " servers of " + zone.to_string() + " without success");
                budget.spend_query();
                address.set_port(upstream_port_);
                trace_.step(depth, "ask " + server.name.to_string() + " (" + address.to_string() +
                                       ") for " + describe(question));
                const auto started = Clock::now();
                const auto timeout = std::min(limits_.upstream_timeout, budget.time_left());
                const auto reply = ask_server(address, question, timeout, trace_, depth + 1);
                const auto elapsed =
                    std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
                if (!reply) {
                    trace_.step(depth, "  no reply within " + std::to_string(timeout.count()) +
                                           " ms: trying the next server");
                    continue;
                }
                ClassifiedReply classified = classify_reply(*reply, question, zone);
                if (classified.kind == ReplyKind::unusable) {
                    trace_.step(depth, "  unusable reply after " + std::to_string(elapsed.count()) +
                                           " ms: " + classified.why + ": trying the next server");
                    continue;
                }
                trace_.step(depth, "  reply in " + std::to_string(elapsed.count()) + " ms");
                return classified;
            }
        }
    }
    throw LookupFailed("no server of " + zone.to_string() + " gave a usable reply");
}

std::vector<SocketAddress> IterativeResolver::look_up_address(const DnsName& server_name, int depth,
                                                              Budget& budget) {
    if (depth + 1 > limits_.max_nesting) {
        trace_.step(depth, "  no glue for " + server_name.to_string() +
                               ", and lookups are nested too deep to look it up");
        return {};
    }
    trace_.step(depth, "  no glue for " + server_name.to_string() + ": looking up its address");
    const Question address_question{server_name, type_a, class_in};
    Resolution found;
    try {
        found = resolve_iteratively(address_question, depth + 1, budget);
    } catch (const LookupFailed& failure) {
        trace_.step(depth, std::string("  cannot find the address: ") + failure.what());
        return {};
    }
    std::vector<SocketAddress> addresses;
    for (const auto& record : found.answers)
        if (record.type == type_a && record.rdata.size() == 4)
            addresses.push_back(SocketAddress::from_ip(rdata_to_text(record), 53));
    return addresses;
}

} // namespace dns
