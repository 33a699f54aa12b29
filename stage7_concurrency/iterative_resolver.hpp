// IterativeResolver: finds the answer to a question by walking down the tree of
// zones from the root, the way RFC 1034 section 5.3.3 describes:
//
//   1. start with the root servers;
//   2. ask one of the current servers the client's question (RD=0);
//   3. an answer, NXDOMAIN or NODATA ends the lookup; a referral names the servers
//      of a zone closer to the name: they become the current servers; go to 2.
//   4. an answer that is a CNAME whose target has no records in the same reply
//      starts the lookup again, from the root, for the target (RFC 1034
//      section 5.3.3, step 3): a chain of aliases may cross many zones.
//
// A server that does not reply in time, or replies with something unusable, is
// skipped for the next one. A referral without glue names servers whose addresses
// we do not know: they are looked up first, by a lookup nested in this one.
// Every loop is bounded by the Limits below; a lookup that cannot finish within
// them ends in SERVFAIL.
//
// Stage 7 adds three things to the walk, and changes none of its steps:
//   - it is a coroutine: where stage 6 waited for a reply, it co_awaits one, and
//     the worker thread serves other clients meanwhile;
//   - the cache: an answer found there ends the lookup before it starts, and a
//     cached delegation lets it start at the closest zone it knows, not the root;
//   - the servers of a zone are asked fastest first (server_selection.hpp), and
//     never at a loopback address a delegation names, unless the root hints
//     themselves are such addresses (as in the test bed).
#pragma once

#include "cache.hpp"
#include "counters.hpp"
#include "dnssec_validator.hpp"
#include "event_loop.hpp"
#include "failure_cache.hpp"
#include "forwarding.hpp"
#include "in_flight_lookups.hpp"
#include "lookup_admission.hpp"
#include "message.hpp"
#include "qname_minimisation.hpp"
#include "reply_classification.hpp"
#include "resolution.hpp"
#include "root_hints.hpp"
#include "server_selection.hpp"
#include "stale_answers.hpp"
#include "trace.hpp"
#include "upstream_query.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace dns {

struct Limits {
    // How long to wait for one server's reply before asking the next one.
    std::chrono::milliseconds upstream_timeout{1000};
    // How long one client's question may take in all, nested lookups included.
    // dig waits 5 seconds: the client hears SERVFAIL before it gives up.
    std::chrono::milliseconds deadline{4000};
    // Referrals followed from the root down. A name has at most 127 labels, but
    // real names are reached in a handful of referrals.
    int max_referrals = 16;
    // Server addresses tried for one zone before giving up on it.
    int max_servers_per_zone = 8;
    // Depth of lookups nested for a name server's address (a lookup for the
    // address of a server of a zone whose servers also lack glue, ...).
    int max_nesting = 3;
    // Queries sent upstream for one client question, nested lookups included.
    int max_upstream_queries = 40;
    // CNAMEs followed for one client question, across zones: a chain longer
    // than this is given up on (RFC 1034 section 5.3.3 asks for a bound; BIND
    // and Unbound stop after a dozen or so).
    int max_cname_chain = 12;
};

// What every worker's resolver shares with the others.
struct SharedState {
    Cache cache;
    InFlightLookups in_flight;
    ServerSelection servers;
    LookupAdmission admission;
    FailureCache failures; // questions whose lookup failed, for a while (RFC 9520)
    Forwarders forwarders; // zones asked of another resolver (--forward), set at start
    StaleAnswers stale;    // expired answers for when every server fails (RFC 8767)
};

// True for the addresses a resolver must not send queries to when a delegation
// names them: loopback (127.0.0.0/8, ::1), "this network" (0.0.0.0/8) and the
// unspecified address (::). A zone that names them as its servers would turn
// the resolver against services on its own machine.
bool is_local_address(const SocketAddress& address);
// True if any of these servers is at such an address: root hints like that
// mean a test bed, where delegations to loopback addresses are the normal case.
bool any_local_address(const std::vector<NameServer>& servers);

// One query to one server, and what came of it: the resolver's only way out
// to the network. The worker's resolver asks the real servers (ask_server in
// upstream_query.hpp); a test gives it scripted servers instead, and checks
// the rules of the walk in milliseconds, without sockets.
using AskServer = std::function<Task<ServerReply>(
    const SocketAddress& server, const Question& question, QueryOptions options,
    std::chrono::milliseconds timeout, Trace& trace, int depth)>;

class IterativeResolver {
  public:
    // `trace_output`: where the trace of each lookup goes, whole, when it ends;
    // nowhere if null. Queries go to loopback addresses that a delegation names
    // only if `allow_local_servers` (set when the root hints are such addresses).
    // `ask`: how a query reaches a server; by default, over the network.
    IterativeResolver(EventLoop& loop, SharedState& shared, Counters& counters,
                      std::vector<NameServer> root_servers, uint16_t upstream_port, Limits limits,
                      std::ostream* trace_output, bool allow_local_servers, AskServer ask = {});

    // Never throws for a lookup that fails: that is a Resolution with SERVFAIL.
    // A question being looked up already, for another client, is not looked up
    // twice: this one waits for that lookup's resolution.
    Task<Resolution> resolve(const Question& question);

    // --qname-minimisation on|off: tell each server only as much of the name
    // as it needs (qname_minimisation.hpp). On unless turned off.
    void set_qname_minimisation(bool enabled) { qname_minimisation_ = enabled; }

    // DNSSEC: every answer is validated from these trust anchors before it
    // is handed out (dnssec_validator.hpp). Without anchors, none is.
    void set_validation(ValidatorSettings settings) {
        validator_.emplace(std::move(settings), shared_.cache);
    }

  private:
    struct Budget; // what is left of the limits for one client question, and its trace

    Task<Resolution> resolve_alone(const Question& question);
    Task<Resolution> follow_cname_chain(const Question& question, Budget& budget);
    // `answer`, validated if it is not yet, and cached with its verdict.
    Task<Resolution> validated(const Question& question, Resolution answer, Budget& budget);
    // The validator's way to the DS and DNSKEY records it needs.
    Task<std::optional<Resolution>> fetch_for_validation(Question question, Budget& budget);
    Task<Resolution> resolve_iteratively(const Question& question, int depth, Budget& budget);
    Task<ClassifiedReply> ask_servers_of_zone(const DnsName& zone,
                                              const std::vector<NameServer>& servers,
                                              MinimisedWalk& walk, int depth, Budget& budget);
    Task<std::optional<ClassifiedReply>>
    ask_one_server(const DnsName& zone, const DnsName& server_name, SocketAddress address,
                   MinimisedWalk& walk, int depth, Budget& budget, int& addresses_tried);
    Task<ServerReply> ask_with_fallbacks(const DnsName& server_name, const SocketAddress& address,
                                         const Question& question, int depth, Budget& budget);
    Task<std::vector<SocketAddress>> look_up_address(const DnsName& server_name, int depth,
                                                     Budget& budget);

    EventLoop& loop_;
    SharedState& shared_;
    Counters& counters_;
    // The root's servers, from the root hints: where a lookup starts when the
    // cache knows no closer zone.
    std::shared_ptr<const Delegation> root_;
    uint16_t upstream_port_;
    Limits limits_;
    std::ostream* trace_output_;
    bool allow_local_servers_;
    AskServer ask_;
    bool qname_minimisation_ = true;
    std::optional<Validator> validator_;
};

} // namespace dns
