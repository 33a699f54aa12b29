#include "iterative_resolver.hpp"
#include "common/deadline.hpp"

#include "access_list.hpp"
#include "code_names.hpp"
#include "dname.hpp"
#include "upstream_query.hpp"

#include <array>
#include <cstring>
#include <iterator>
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

// The addresses the parent of `server_name`'s zone gave for it as glue: those
// of `server_name` in the cached delegation closest to it (the referral that
// led to the server's own zone), if there is one.
std::vector<SocketAddress> parent_side_glue(Cache& cache, const DnsName& server_name) {
    if (auto found = cache.find_closest_delegation(server_name))
        for (const NameServer& server : found->delegation->servers)
            if (server.name == server_name)
                return server.addresses;
    return {};
}

// Appends `from`'s records to `to`, moved; into an empty `to`, the whole
// vector at once.
void append_moved(std::vector<ResourceRecord>& to, std::vector<ResourceRecord>&& from) {
    if (to.empty())
        to = std::move(from);
    else
        to.insert(to.end(), std::make_move_iterator(from.begin()),
                  std::make_move_iterator(from.end()));
}

// The answer, with the DNSSEC records that came with it: for the validator,
// and for clients that ask for them (DO=1). Not validated yet.
Resolution with_dnssec_records(Resolution answer, ClassifiedReply& reply) {
    answer.answer_rrsigs = std::move(reply.answer_rrsigs);
    answer.authority_dnssec = std::move(reply.authority_dnssec);
    return answer;
}

// Each DNAME of an answer's chain, cached on its own: it answers every name
// below its owner, not only the one asked (RFC 6672 section 3.4).
void remember_dnames(Cache& cache, const ClassifiedReply& reply) {
    for (const auto& record : reply.answers)
        if (record.type == type_dname)
            cache.store_dname(record, reply.answer_rrsigs, Security::unchecked);
}

// The answer a cached DNAME gives for `question`: the DNAME and the CNAME it
// implies for the name; YXDOMAIN if the name it implies is too long.
// `cached` is the DNAME's own cached answer: the DNAME first, its RRSIGs.
Resolution answer_from_dname(Resolution cached, const Question& question, int depth, Trace& trace) {
    const ResourceRecord& dname = cached.answers.front();
    trace.step(depth, [&] { return "from the cache: " + describe(dname); });
    const auto target = substitute_dname(dname, question.name);
    if (!target) {
        trace.step(depth, [&] {
            return "  YXDOMAIN: the DNAME makes " + question.name.to_string() +
                   " longer than a name may be";
        });
        cached.rcode = rcode_yxdomain;
        cached.answers.resize(1);
        return cached;
    }
    ResourceRecord cname = synthesized_cname(dname, question.name, *target);
    trace.step(depth, [&] { return "  synthesized: " + describe(cname); });
    cached.answers.resize(1);
    cached.answers.push_back(std::move(cname));
    cached.rcode = rcode_noerror;
    return cached;
}

} // namespace

bool is_local_address(const SocketAddress& address) {
    // Network::contains takes ::ffff:127.0.0.1 as the 127.0.0.1 it is: an IPv6
    // socket that also speaks IPv4 (Linux's default) would reach it.
    static const std::array<Network, 4> local_networks{
        Network::parse("127.0.0.0/8"), Network::parse("0.0.0.0/8"), Network::parse("::1/128"),
        Network::parse("::/128")};
    for (const auto& network : local_networks)
        if (network.contains(address))
            return true;
    return false;
}

bool any_local_address(const std::vector<NameServer>& servers) {
    for (const auto& server : servers)
        for (const auto& address : server.addresses)
            if (is_local_address(address))
                return true;
    return false;
}

struct IterativeResolver::Budget {
    Clock::time_point deadline;
    int queries_left;
    Trace trace; // the steps of this lookup, printed whole when it ends
    // The signature checks and NSEC3 hashes DNSSEC may still do for it.
    ValidationBudget validation{};

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

IterativeResolver::IterativeResolver(EventLoop& loop, SharedState& shared, Counters& counters,
                                     std::vector<NameServer> root_servers, uint16_t upstream_port,
                                     Limits limits, std::ostream* trace_output,
                                     bool allow_local_servers, AskServer ask)
    : loop_(loop), shared_(shared), counters_(counters),
      root_(std::make_shared<const Delegation>(Delegation{DnsName{}, std::move(root_servers)})),
      upstream_port_(upstream_port), limits_(limits), trace_output_(trace_output),
      allow_local_servers_(allow_local_servers), ask_(std::move(ask)) {
    if (!ask_)
        ask_ = [this](const SocketAddress& server, const Question& question, QueryOptions options,
                      std::chrono::milliseconds timeout, Trace& trace, int depth) {
            return ask_server(loop_, server, question, options, timeout, trace, depth);
        };
}

Task<Resolution> IterativeResolver::resolve(const Question& question) {
    // One lookup per question at a time, whichever worker the clients reached.
    const std::string key = Cache::key_for('Q', question.name, question.type);
    // RFC 9520: a question that failed a moment ago is not looked up again yet.
    if (auto held = held_failure(shared_.failures, key, question, trace_output_))
        co_return shared_.stale.instead_of_failure(key, std::move(*held), trace_output_);
    if (const auto in_flight = shared_.in_flight.join_or_lead(key)) {
        co_await in_flight->finished(loop_);
        Resolution shared_resolution = in_flight->result();
        shared_resolution.upstream_queries = 0; // this client caused none
        co_return shared_resolution;
    }
    Resolution resolution;
    try {
        resolution = co_await resolve_alone(question);
    } catch (...) {
        shared_.in_flight.finish(key, Resolution{});
        throw;
    }
    remember_outcome(shared_.failures, key, question, resolution, trace_output_);
    shared_.stale.remember(key, resolution); // RFC 8767, with --serve-stale
    resolution = shared_.stale.instead_of_failure(key, std::move(resolution), trace_output_);
    shared_.in_flight.finish(key, resolution);
    co_return resolution;
}

Task<Resolution> IterativeResolver::resolve_alone(const Question& question) {
    Budget budget{Clock::now() + limits_.deadline, limits_.max_upstream_queries,
                  Trace(trace_output_ != nullptr)};
    // Each step's text is built only when it is traced (Trace::step).
    budget.trace.step(0, [&] { return "lookup of " + describe(question); });
    Resolution resolution;
    try {
        resolution = co_await follow_cname_chain(question, budget);
    } catch (const LookupFailed& failure) {
        budget.trace.step(
            0, [&] { return std::string("giving up: ") + failure.what() + " -> SERVFAIL"; });
        resolution = Resolution{rcode_servfail, {}, {}, 0};
        resolution.extended_error = extended_error_for_failure(failure.what()); // RFC 8914
        counters_.add(counters_.lookups_failed);
    }
    resolution.upstream_queries = limits_.max_upstream_queries - budget.queries_left;
    if (trace_output_ != nullptr)
        print_whole(*trace_output_, budget.trace.text());
    co_return resolution;
}

Task<Resolution> IterativeResolver::follow_cname_chain(const Question& question, Budget& budget) {
    // The answer to the client: every link of the chain. The owners of the
    // CNAMEs so far are kept to see a loop.
    Resolution whole;
    std::vector<DnsName> aliases;
    // The question of each link after the first, an alias's (made only once
    // a CNAME is followed: the first link asks the client's question).
    std::optional<Question> alias_question;
    for (;;) {
        const Question& current = alias_question ? *alias_question : question;
        Resolution found = co_await resolve_iteratively(current, 0, budget);
        Resolution part = co_await validated(current, std::move(found), budget);
        // A question for a CNAME, or for every type, is answered by the CNAME
        // itself; so is one whose chain ended in an answer or a negative one.
        const bool ends_here = part.rcode != rcode_noerror || part.answers.empty() ||
                               part.answers.back().type != type_cname ||
                               question.type == type_cname || question.type == type_any;
        // The link's records are moved into the whole, not copied: for the
        // many names without a CNAME, the one link is the whole answer.
        const size_t link_start = whole.answers.size();
        append_moved(whole.answers, std::move(part.answers));
        append_moved(whole.answer_rrsigs, std::move(part.answer_rrsigs));
        whole.rcode = part.rcode;
        whole.authorities = std::move(part.authorities);
        whole.authority_dnssec = std::move(part.authority_dnssec);
        // A chain is as secure as its weakest link (RFC 4035 section 4.3):
        // one insecure zone on the way, and the whole answer is insecure.
        whole.security = aliases.empty() ? part.security : weakest(whole.security, part.security);
        if (part.security == Security::bogus) {
            whole.extended_error = part.extended_error;
            co_return whole; // a bogus link: nothing after it can be trusted
        }
        if (ends_here)
            co_return whole;
        for (size_t i = link_start; i < whole.answers.size(); ++i)
            if (whole.answers[i].type == type_cname)
                aliases.push_back(whole.answers[i].name);
        const DnsName target = rdata_as_name(whole.answers.back());
        for (const auto& alias : aliases)
            if (alias == target)
                throw LookupFailed("a CNAME loop: " + target.to_string() +
                                   " is an alias that leads back to itself");
        if (static_cast<int>(aliases.size()) >= limits_.max_cname_chain)
            throw LookupFailed("a chain of more than " + std::to_string(limits_.max_cname_chain) +
                               " CNAMEs");
        budget.trace.step(0, [&] { return "following the CNAME to " + target.to_string(); });
        alias_question = Question{target, question.type, question.klass};
    }
}

Task<Resolution> IterativeResolver::validated(const Question& question, Resolution answer,
                                              Budget& budget) {
    if (!validator_ || !validator_->enabled() || answer.security != Security::unchecked)
        co_return answer;
    Validator::Run run{
        [this, &budget](const Question& asked) { return fetch_for_validation(asked, budget); },
        budget.validation, budget.trace, 0};
    Resolution checked = co_await validator_->validate(question, std::move(answer), run);
    // Kept with its verdict: the next client's answer needs no new check.
    co_return shared_.cache.store_answer(question, std::move(checked));
}

Task<std::optional<Resolution>> IterativeResolver::fetch_for_validation(Question question,
                                                                        Budget& budget) {
    std::optional<Resolution> found;
    try {
        found = co_await resolve_iteratively(question, 1, budget);
    } catch (const LookupFailed& failure) {
        budget.trace.step(
            1, [&] { return "cannot fetch " + describe(question) + ": " + failure.what(); });
    }
    co_return found;
}

Task<Resolution> IterativeResolver::resolve_iteratively(const Question& question, int depth,
                                                        Budget& budget) {
    // What the cache knows ends the lookup before a query is sent.
    if (auto cached = shared_.cache.find_answer(question)) {
        if (!budget.trace.enabled())
            co_return *cached;
        for (const auto& record : cached->answers)
            budget.trace.step(depth, [&] { return "from the cache: " + describe(record); });
        if (cached->answers.empty())
            budget.trace.step(depth, [&] {
                return "from the cache: " +
                       std::string(cached->rcode == rcode_nxdomain ? "NXDOMAIN" : "NODATA") +
                       " for " + describe(question);
            });
        co_return *cached;
    }
    // A DNAME above the name, in the cache: the name is an alias, whatever
    // the type asked (RFC 6672 section 3.4), and the lookup goes on at the
    // name it stands for (follow_cname_chain).
    if (auto dname = shared_.cache.find_dname(question.name))
        co_return answer_from_dname(std::move(*dname), question, depth, budget.trace);
    // A forwarded zone (forwarding.hpp): its resolver is asked, with RD=1.
    if (const Forwarder* forwarder = shared_.forwarders.find(question.name)) {
        auto forwarded = co_await ask_forwarder(
            loop_, *forwarder, question, budget.time_left(),
            [&] {
                budget.spend_query();
                counters_.add(counters_.upstream_queries);
            },
            budget.trace, depth);
        if (!forwarded.resolution)
            throw LookupFailed(forwarded.why);
        // Taken on the forwarder's word: a forwarded zone is not validated
        // here (no AD), as a zone under a negative trust anchor.
        forwarded.resolution->security = Security::insecure;
        co_return shared_.cache.store_answer(question, std::move(*forwarded.resolution));
    }
    // Otherwise start at the closest zone whose servers the cache knows (the
    // zone being asked, and its servers); the root if it knows none.
    std::shared_ptr<const Delegation> delegation = root_;
    // How long `delegation` may still be used: the root hints, for as long as
    // the resolver runs.
    uint32_t zone_seconds_left = UINT32_MAX;
    if (auto found =
            shared_.cache.find_closest_delegation(question.name, question.type == type_ds)) {
        delegation = std::move(found->delegation);
        zone_seconds_left = found->seconds_left;
        budget.trace.step(depth, [&] {
            return "from the cache: the servers of " + delegation->zone.to_string();
        });
    }
    // Each server is asked only as much of the name as it needs (RFC 9156).
    MinimisedWalk walk(question, delegation->zone, qname_minimisation_, shared_.cache, budget.trace,
                       depth);
    for (int referrals = 0;; ++referrals) {
        if (referrals > limits_.max_referrals)
            throw LookupFailed("more than " + std::to_string(limits_.max_referrals) + " referrals");
        ClassifiedReply reply = co_await ask_servers_of_zone(delegation->zone, delegation->servers,
                                                             walk, depth, budget);
        if (walk.took_intermediate_reply(reply))
            continue; // a name on the way exists: one label more, of the same servers
        // An answer's records, or the aliases before a NXDOMAIN or YXDOMAIN.
        for (const auto& record : reply.answers)
            budget.trace.step(depth, [&] { return "  answer: " + describe(record); });
        switch (reply.kind) {
        case ReplyKind::answer:
            remember_dnames(shared_.cache, reply);
            co_return shared_.cache.store_answer(
                question, with_dnssec_records(
                              Resolution{rcode_noerror, std::move(reply.answers), {}, 0}, reply));
        case ReplyKind::nxdomain:
            budget.trace.step(depth, [&] {
                return "  NXDOMAIN: " + question.name.to_string() + " does not exist";
            });
            co_return shared_.cache.store_answer(
                question, with_dnssec_records(Resolution{rcode_nxdomain, std::move(reply.answers),
                                                         std::move(reply.negative_soa), 0},
                                              reply));
        case ReplyKind::nodata:
            budget.trace.step(depth, [&] {
                return "  NODATA: " + question.name.to_string() + " has no " +
                       type_name(question.type) + " records";
            });
            co_return shared_.cache.store_answer(
                question,
                with_dnssec_records(Resolution{rcode_noerror, {}, std::move(reply.negative_soa), 0},
                                    reply));
        case ReplyKind::yxdomain:
            budget.trace.step(depth, [&] {
                return "  YXDOMAIN: the DNAME makes " + question.name.to_string() +
                       " longer than a name may be";
            });
            remember_dnames(shared_.cache, reply);
            co_return shared_.cache.store_answer(
                question, with_dnssec_records(
                              Resolution{rcode_yxdomain, std::move(reply.answers), {}, 0}, reply));
        case ReplyKind::referral: {
            budget.trace.step(depth, [&] {
                std::string servers_text;
                for (const auto& server : reply.referral_servers)
                    servers_text += (servers_text.empty() ? "" : ", ") + describe(server);
                return "  referral to " + reply.referral_zone.to_string() + ": " + servers_text;
            });
            delegation = std::make_shared<const Delegation>(
                Delegation{std::move(reply.referral_zone), std::move(reply.referral_servers)});
            // A delegation lives no longer than the one it was learned
            // through: once a parent stops delegating a zone, every zone
            // below it is forgotten by then too, however long the TTLs its
            // servers gave (the "ghost domain" attack: a deleted zone kept
            // alive by the referrals of its own servers).
            zone_seconds_left = std::min(reply.referral_ttl, zone_seconds_left);
            walk.referred_to(delegation->zone);
            // The glue is kept with the delegation it came with, and used for
            // nothing else (a poisoning defence: RFC 2181 section 5.4.1), but
            // as the last resort for the name server's own address
            // (parent_side_glue).
            shared_.cache.store_delegation(delegation, zone_seconds_left);
            break;
        }
        case ReplyKind::unusable:
            throw LookupFailed("unexpected unusable reply"); // ask_servers_of_zone skips these
        }
    }
}

Task<ClassifiedReply> IterativeResolver::ask_servers_of_zone(const DnsName& zone,
                                                             const std::vector<NameServer>& servers,
                                                             MinimisedWalk& walk, int depth,
                                                             Budget& budget) {
    int addresses_tried = 0;
    // First the servers whose addresses came with the referral (glue), the
    // fastest first; only if none of them helps, the others, whose addresses
    // must be looked up first.
    std::vector<std::pair<const DnsName*, SocketAddress>> glued;
    for (const NameServer& server : servers)
        for (const auto& address : server.addresses)
            glued.emplace_back(&server.name, address);
    shared_.servers.order(glued, [](const auto& server) { return server.second; });
    for (const auto& [server_name, address] : glued) {
        auto reply = co_await ask_one_server(zone, *server_name, address, walk, depth, budget,
                                             addresses_tried);
        if (reply)
            co_return std::move(*reply);
    }
    for (const NameServer& server : servers) {
        if (!server.addresses.empty())
            continue;
        // The server's addresses as its own zone gives them: RFC 2181 section
        // 5.4.1 ranks them above the glue of a referral.
        const std::vector<SocketAddress> addresses =
            co_await look_up_address(server.name, depth, budget);
        for (const SocketAddress& address : addresses) {
            auto reply = co_await ask_one_server(zone, server.name, address, walk, depth, budget,
                                                 addresses_tried);
            if (reply)
                co_return std::move(*reply);
        }
        // Those failed, or could not be found: the addresses that the parent
        // of the server's zone gave as glue, if they differ, as a last resort
        // (Unbound's "parent-side" addresses). A zone whose own data names a
        // broken address for its server is still reachable where its parent
        // names a working one.
        for (const SocketAddress& address : parent_side_glue(shared_.cache, server.name)) {
            if (std::find(addresses.begin(), addresses.end(), address) != addresses.end())
                continue;
            budget.trace.step(depth, [&] {
                return "  trying the parent's glue for " + server.name.to_string() + ": " +
                       address.ip_string();
            });
            auto reply = co_await ask_one_server(zone, server.name, address, walk, depth, budget,
                                                 addresses_tried);
            if (reply)
                co_return std::move(*reply);
        }
    }
    throw LookupFailed("no server of " + zone.to_string() + " gave a usable reply");
}

Task<std::optional<ClassifiedReply>>
IterativeResolver::ask_one_server(const DnsName& zone, const DnsName& server_name,
                                  SocketAddress address, MinimisedWalk& walk, int depth,
                                  Budget& budget, int& addresses_tried) {
    // The whole question, or less of it: the walk does not move on until this
    // server's reply has been classified, so a reference is enough (not used
    // after walk.server_failed() or walk.ask_again_after_denial(), which may
    // drop the question it refers to).
    const Question& question = walk.question();
    // A delegation may name any address, 127.0.0.1 too: a query there would
    // reach a service of this very machine. Only the root hints can allow it.
    if (is_local_address(address) && !allow_local_servers_) {
        budget.trace.step(depth, [&] {
            return "  not asking " + server_name.to_string() + " at " + address.ip_string() +
                   ": a local address";
        });
        co_return std::nullopt;
    }
    // The machine has no route to addresses of this kind (IPv6, say): the
    // address is skipped, and does not count as a server tried.
    if (!shared_.servers.has_route(address)) {
        budget.trace.step(depth, [&] {
            return "  not asking " + server_name.to_string() + " at " + address.ip_string() +
                   ": no route to such addresses";
        });
        co_return std::nullopt;
    }
    if (addresses_tried++ >= limits_.max_servers_per_zone)
        throw LookupFailed("tried " + std::to_string(limits_.max_servers_per_zone) +
                           " servers of " + zone.to_string() + " without success");
    address.set_port(upstream_port_);
    const auto started = Clock::now();
    const ServerReply reply =
        co_await ask_with_fallbacks(server_name, address, question, depth, budget);
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    // Every outcome is fed back into the choice of servers: only a usable
    // reply counts as a round trip; silence, an address that cannot be
    // reached and an unusable reply all count against the server.
    if (!reply.message) {
        if (reply.no_route)
            shared_.servers.record_no_route(address);
        else if (reply.unreachable)
            shared_.servers.record_failure(address);
        else
            shared_.servers.record_timeout(address, elapsed);
        if (!reply.unreachable) // it had the question, and said nothing
            walk.server_failed();
        co_return std::nullopt;
    }
    ClassifiedReply classified = classify_reply(*reply.message, question, zone);
    if (classified.kind == ReplyKind::unusable) {
        shared_.servers.record_failure(address);
        budget.trace.step(depth, [&] {
            return "  unusable reply after " + std::to_string(elapsed.count()) +
                   " ms: " + classified.why + ": trying the next server";
        });
        walk.server_failed();
        co_return std::nullopt;
    }
    shared_.servers.record_reply(address, elapsed);
    budget.trace.step(depth,
                      [&] { return "  reply in " + std::to_string(elapsed.count()) + " ms"; });
    // NXDOMAIN for a name on the way down: the same server, the whole question.
    if (walk.ask_again_after_denial(classified))
        co_return co_await ask_one_server(zone, server_name, address, walk, depth, budget,
                                          addresses_tried);
    co_return classified;
}

Task<ServerReply> IterativeResolver::ask_with_fallbacks(const DnsName& server_name,
                                                        const SocketAddress& address,
                                                        const Question& question, int depth,
                                                        Budget& budget) {
    // First over UDP with EDNS; then, if the reply calls for it, without EDNS
    // or over TCP (ask_again_differently).
    QueryOptions options;
    for (;;) {
        budget.spend_query();
        counters_.add(counters_.upstream_queries);
        budget.trace.step(depth, [&] {
            return "ask " + server_name.to_string() + " (" + address.to_string() + ") for " +
                   describe(question) + (options.transport == Transport::tcp ? " over TCP" : "");
        });
        const auto timeout = std::min(limits_.upstream_timeout, budget.time_left());
        ServerReply reply =
            co_await ask_(address, question, options, timeout, budget.trace, depth + 1);
        if (!reply.message) {
            if (reply.unreachable) {
                budget.trace.step(depth, "  cannot reach it: trying the next server");
                co_return reply;
            }
            counters_.add(counters_.upstream_timeouts);
            budget.trace.step(depth, [&] {
                return "  no reply within " + std::to_string(timeout.count()) +
                       " ms: trying the next server";
            });
            co_return reply;
        }
        if (ask_again_differently(*reply.message, options, budget.trace, depth))
            continue;
        co_return reply;
    }
}

Task<std::vector<SocketAddress>> IterativeResolver::look_up_address(const DnsName& server_name,
                                                                    int depth, Budget& budget) {
    if (depth + 1 > limits_.max_nesting) {
        budget.trace.step(depth, [&] {
            return "  no glue for " + server_name.to_string() +
                   ", and lookups are nested too deep to look it up";
        });
        co_return std::vector<SocketAddress>{};
    }
    budget.trace.step(depth, [&] {
        return "  no glue for " + server_name.to_string() + ": looking up its address";
    });
    // Its IPv4 addresses; only if it has none, its IPv6 addresses (AAAA).
    std::vector<SocketAddress> addresses;
    const std::array<uint16_t, 2> address_types{type_a, type_aaaa};
    for (const uint16_t type : address_types) {
        const Question address_question{server_name, type, class_in};
        Resolution found;
        bool failed = false;
        try {
            found = co_await resolve_iteratively(address_question, depth + 1, budget);
        } catch (const LookupFailed& failure) {
            budget.trace.step(
                depth, [&] { return std::string("  cannot find the address: ") + failure.what(); });
            failed = true;
        }
        if (failed)
            co_return std::vector<SocketAddress>{};
        for (const auto& record : found.answers)
            if (record.type == type && record.rdata.size() == (type == type_a ? 4u : 16u))
                addresses.push_back(SocketAddress::from_ip(rdata_to_text(record), 53));
        if (!addresses.empty())
            break;
    }
    co_return addresses;
}

} // namespace dns
