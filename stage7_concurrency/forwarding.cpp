#include "forwarding.hpp"

#include "code_names.hpp"
#include "upstream_query.hpp"

#include <algorithm>

namespace dns {

namespace {

using Clock = std::chrono::steady_clock;

// One try at most this long: a recursive resolver may itself need a second
// or two for a name it must look up.
constexpr std::chrono::milliseconds forwarder_try_timeout{1500};
constexpr int forwarder_tries = 3;

// The records of the answer section that answer `question`: the CNAME chain
// from its name (RFC 1034 section 3.6.2), then the records of its type at the
// chain's end. A chain is followed for at most as many links as the section has.
std::vector<ResourceRecord> chain_of_answers(const Message& reply, const Question& question) {
    std::vector<ResourceRecord> answers;
    DnsName current = question.name;
    for (size_t link = 0; link <= reply.answers.size(); ++link) {
        bool found = false;
        for (const auto& record : reply.answers)
            if (record.name == current &&
                (record.type == question.type || question.type == type_any)) {
                answers.push_back(record);
                found = true;
            }
        if (found || question.type == type_cname)
            return answers;
        const auto alias = std::find_if(
            reply.answers.begin(), reply.answers.end(), [&](const ResourceRecord& record) {
                return record.name == current && record.type == type_cname;
            });
        if (alias == reply.answers.end())
            return answers;
        answers.push_back(*alias);
        current = rdata_as_name(*alias);
    }
    return answers;
}

} // namespace

Forwarder parse_forward(std::string_view text) {
    const size_t equals = text.find('=');
    if (equals == std::string_view::npos || equals == 0 || equals + 1 == text.size())
        throw ForwardError("'" + std::string(text) + "' is not ZONE=ADDRESS");
    Forwarder forwarder;
    try {
        forwarder.zone = DnsName::from_text(text.substr(0, equals));
    } catch (const NameError& error) {
        throw ForwardError("'" + std::string(text.substr(0, equals)) +
                           "' is not a zone: " + error.what());
    }
    std::string address(text.substr(equals + 1));
    // The port may be left out: 53, the port of DNS.
    const bool bracketed = address.front() == '[';
    if ((bracketed && address.back() == ']') ||
        (!bracketed && address.find(':') == std::string::npos))
        address += ":53";
    else if (!bracketed && address.find(':') != address.rfind(':'))
        address = "[" + address + "]:53"; // a bare IPv6 address
    try {
        forwarder.address = SocketAddress::parse(address);
    } catch (const AddressError& error) {
        throw ForwardError("'" + std::string(text.substr(equals + 1)) +
                           "' is not IPv4[:PORT] or [IPv6][:PORT]: " + error.what());
    }
    if (forwarder.address.port() == 0 || forwarder.address.is_unspecified())
        throw ForwardError("'" + std::string(text.substr(equals + 1)) +
                           "' is not an address a resolver can be asked at");
    return forwarder;
}

void Forwarders::add(const Forwarder& forwarder) {
    std::erase_if(forwarders_, [&](const Forwarder& old) { return old.zone == forwarder.zone; });
    forwarders_.push_back(forwarder);
}

const Forwarder* Forwarders::find(const DnsName& name) const {
    const Forwarder* best = nullptr;
    for (const auto& forwarder : forwarders_)
        if (name.is_in(forwarder.zone) &&
            (best == nullptr || forwarder.zone.labels().size() > best->zone.labels().size()))
            best = &forwarder;
    return best;
}

std::optional<Resolution> read_forwarded_reply(const Message& reply, const Question& question,
                                               std::string& why) {
    const uint8_t rcode = reply.header.rcode;
    if (rcode != rcode_noerror && rcode != rcode_nxdomain) {
        why = "the forwarder answered " + rcode_name(rcode);
        return std::nullopt;
    }
    Resolution resolution;
    resolution.rcode = rcode;
    resolution.answers = chain_of_answers(reply, question);
    // NXDOMAIN or NODATA: the SOA that says how long it holds (RFC 2308 section 3).
    const bool answered =
        !resolution.answers.empty() && (resolution.answers.back().type != type_cname ||
                                        question.type == type_cname || question.type == type_any);
    if (rcode == rcode_nxdomain || !answered)
        for (const auto& record : reply.authorities)
            if (record.type == type_soa)
                resolution.authorities.push_back(record);
    return resolution;
}

Task<Forwarded> ask_forwarder(EventLoop& loop, const Forwarder& forwarder, const Question& question,
                              std::chrono::milliseconds time_left,
                              const std::function<void()>& spend_query, Trace& trace, int depth) {
    const auto deadline = Clock::now() + time_left;
    QueryOptions options;
    options.recursion_desired = true;
    Forwarded forwarded;
    forwarded.why = "the forwarder " + forwarder.address.to_string() + " for " +
                    forwarder.zone.to_string() + " did not answer";
    for (int attempt = 0; attempt < forwarder_tries;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0)
            break;
        spend_query();
        trace.step(depth, [&] {
            return "forward to " + forwarder.address.to_string() + " (for " +
                   forwarder.zone.to_string() + "), RD=1: " + question.name.to_string() + " " +
                   type_name(question.type) +
                   (options.transport == Transport::tcp ? " over TCP" : "");
        });
        const auto timeout = std::min(forwarder_try_timeout, left);
        const auto reply = (co_await ask_server(loop, forwarder.address, question, options, timeout,
                                                trace, depth + 1))
                               .message;
        if (!reply) {
            trace.step(depth, [&] {
                return "  no reply within " + std::to_string(timeout.count()) + " ms";
            });
            if (++attempt >= forwarder_tries)
                break;
            continue;
        }
        if (ask_again_differently(*reply, options, trace, depth))
            continue;
        forwarded.resolution = read_forwarded_reply(*reply, question, forwarded.why);
        if (forwarded.resolution && trace.enabled())
            trace.step(depth, [&] {
                return "  " + rcode_name(forwarded.resolution->rcode) + " with " +
                       std::to_string(forwarded.resolution->answers.size()) +
                       " record(s) from the forwarder";
            });
        else
            trace.step(depth, [&] { return "  " + forwarded.why; });
        break;
    }
    co_return forwarded;
}

} // namespace dns
