// ask_server: one query to one authoritative server, and its reply.
//
// A resolver's queries travel over the Internet where anyone may try to answer
// in the server's place (cache poisoning, RFC 5452). A forged reply must guess
// the query's random 16-bit ID and its random source port, and must come from
// the address asked with the same question. Anything else that arrives on the
// socket is ignored, and the wait goes on until the reply or the timeout.
//
// In stage 7 the wait does not block the thread: the query's task pauses in
// the event loop until the socket has something, and the worker serves other
// clients meanwhile.
#pragma once

#include "common/socket_address.hpp"
#include "event_loop.hpp"
#include "message.hpp"
#include "trace.hpp"

#include <chrono>
#include <optional>

namespace dns {

enum class Transport { udp, tcp };

struct QueryOptions {
    Transport transport = Transport::udp;
    // Offer EDNS (RFC 6891): larger UDP replies. A server that does not know
    // EDNS answers FORMERR; the query is then sent again without it.
    bool with_edns = true;
    // RD=1: for a forwarder, a recursive resolver asked to do the lookup.
    bool recursion_desired = false;
    // DO=1 in the EDNS record (RFC 3225, RFC 4035 section 3.2.1): "send the
    // signatures too". Always, validating or not: a client that validates for
    // itself gets them from the cache (dnssec_validator.hpp).
    bool dnssec_ok = true;
};

// What came of one query to one server.
struct ServerReply {
    std::optional<Message> message; // the reply that matched the query, if one came
    bool unreachable = false;       // the query could not be sent, or TCP not connected
    // The machine has no route to the server's kind of address at all
    // (ENETUNREACH: an IPv6 address on a machine without IPv6, say).
    bool no_route = false;
};

// Sends `question` to `server` and waits at most `timeout` for a reply that
// matches it. No message if no matching reply came (or it could not be sent).
Task<ServerReply> ask_server(EventLoop& loop, const SocketAddress& server, const Question& question,
                             QueryOptions options, std::chrono::milliseconds timeout, Trace& trace,
                             int depth);

// Whether `reply` calls for the same query again, asked another way, and
// how: a server that does not know EDNS answers FORMERR (RFC 6891 section 7),
// so ask without it; a reply that did not fit in UDP comes with TC=1 (RFC
// 1035 section 4.2.1), so ask over TCP. If so, `options` is changed, the trace
// says why, and the result is true.
bool ask_again_differently(const Message& reply, QueryOptions& options, Trace& trace, int depth);

// A 16-bit query ID from the kernel's random number generator.
uint16_t random_query_id();

} // namespace dns
