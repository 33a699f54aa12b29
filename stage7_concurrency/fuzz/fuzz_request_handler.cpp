// libFuzzer target: the whole request handler, bytes in, bytes out.
//
// The input is a client's request. The lookup is a stand-in that does not touch
// the network: it reads the same bytes as if they were an authoritative server's
// reply and classifies that reply, so the code that judges upstream replies is
// fuzzed too. Whatever the handler sends back must itself be a readable DNS
// message with the request's ID: a crash, a hang, undefined behaviour or an
// unreadable response all stop the fuzzer. So does a response from the fast
// path (stage 7) that is not, byte for byte, the one the full path built.

#include "../event_loop.hpp"
#include "../fast_path.hpp"
#include "../message.hpp"
#include "../reply_classification.hpp"
#include "../request_handler.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>

namespace {

// The stand-in lookup has its resolution at once.
dns::Task<dns::Resolution> ready(dns::Resolution resolution) {
    co_return resolution;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static dns::EventLoop loop;
    const std::span<const uint8_t> input(data, size);
    std::ostringstream log;
    dns::RequestHandler handler(
        [&](const dns::Question& question) {
            dns::Resolution resolution{dns::rcode_servfail, {}, {}, 1};
            try {
                const auto reply = dns::parse_message(input);
                const auto classified = dns::classify_reply(reply, question, dns::DnsName());
                if (classified.kind == dns::ReplyKind::answer)
                    resolution = dns::Resolution{dns::rcode_noerror, classified.answers, {}, 1};
                else if (classified.kind == dns::ReplyKind::nxdomain)
                    resolution = dns::Resolution{dns::rcode_nxdomain, classified.answers,
                                                 classified.negative_soa, 1};
            } catch (const dns::ParseError&) {
            }
            return ready(resolution);
        },
        log);
    for (const auto transport : {dns::Transport::udp, dns::Transport::tcp}) {
        const auto response =
            dns::run_to_completion(loop, handler.handle(input, transport, "the fuzzer"));
        if (!response)
            continue;
        const dns::Message parsed = dns::parse_message(*response); // throws: a finding
        if (parsed.header.id != static_cast<uint16_t>(data[0] << 8 | data[1]) || !parsed.header.qr)
            std::abort();
        if (transport == dns::Transport::udp && response->size() > 1232)
            std::abort();
        // The fast path (stage 7) must give the same bytes the full path gave,
        // for every query it takes: a response it keeps, then copies back out.
        if (transport == dns::Transport::udp) {
            dns::Cache cache;
            dns::remember_response(cache, input, *response);
            std::vector<uint8_t> copy(1500);
            const size_t copied = dns::answer_from_cache(cache, input, copy);
            if (copied != 0 && !std::equal(response->begin(), response->end(), copy.begin(),
                                           copy.begin() + static_cast<long>(copied)))
                std::abort();
        }
    }
    return 0;
}
