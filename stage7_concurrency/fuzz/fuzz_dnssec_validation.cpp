// libFuzzer target: DNSSEC validation of whatever a zone may send.
//
// The input is read as a reply to its own question, and the validator checks
// it as an answer: every DS and DNSKEY it fetches on the way is that same
// reply again, and its trust anchors are the DS and DNSKEY records of the
// reply's additional section (or IANA's root anchors when there are none).
// So the fuzzer, starting from the corpus's real signed replies (RRSIG,
// NSEC, NSEC3, DNSKEY, DS), drives the RRSIG, DNSKEY, DS, NSEC and NSEC3
// parsers, the canonical form, the proofs and the budget with any bytes. The
// validator may find anything secure, insecure or bogus; it may not crash,
// hang or read out of bounds.

#include "../dnssec_validator.hpp"
#include "../event_loop.hpp"
#include "../reply_classification.hpp"
#include "../trust_anchors.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace dns;

namespace {

Resolution as_resolution(const ClassifiedReply& reply) {
    Resolution resolution;
    resolution.rcode = reply.kind == ReplyKind::nxdomain   ? rcode_nxdomain
                       : reply.kind == ReplyKind::yxdomain ? rcode_yxdomain
                                                           : rcode_noerror;
    resolution.answers = reply.answers;
    resolution.authorities = reply.negative_soa;
    resolution.answer_rrsigs = reply.answer_rrsigs;
    resolution.authority_dnssec = reply.authority_dnssec;
    return resolution;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    Message message;
    try {
        message = parse_message(std::span(data, size));
    } catch (const ParseError&) {
        return 0;
    }
    if (message.questions.empty())
        return 0;
    const Question question = message.questions.front();
    const ClassifiedReply reply = classify_reply(message, question, DnsName{});
    if (reply.kind == ReplyKind::unusable || reply.kind == ReplyKind::referral)
        return 0;
    const Resolution answer = as_resolution(reply);

    ValidatorSettings settings;
    for (const auto& record : message.additionals)
        if (record.type == type_ds || record.type == type_dnskey)
            settings.trust_anchors.push_back(record);
    if (settings.trust_anchors.empty())
        settings.trust_anchors = builtin_root_trust_anchors();
    Cache cache;
    Validator validator(std::move(settings), cache);
    EventLoop loop;
    ValidationBudget budget;
    Trace trace(true); // the trace's texts are built too
    Validator::Run run{
        [&answer](const Question&) -> Task<std::optional<Resolution>> { co_return answer; }, budget,
        trace, 0};
    const Resolution checked = run_to_completion(loop, validator.validate(question, answer, run));
    // Nothing bogus is secure, and what is secure has no reason to be bogus.
    if (checked.security == Security::secure && checked.extended_error)
        std::abort();
    return 0;
}
