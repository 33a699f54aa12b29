#include "qname_minimisation.hpp"

#include "code_names.hpp"

#include <algorithm>

namespace dns {

DnsName minimised_name(const DnsName& name, const DnsName& known, int step) {
    const std::vector<std::string>& labels = name.labels();
    const size_t known_labels = known.labels().size();
    const size_t labels_left = labels.size() - std::min(known_labels, labels.size());
    size_t more = 1;
    if (step >= max_minimise_count) {
        more = labels_left; // the last step: the whole name
    } else if (step > minimise_one_label) {
        // The labels left, spread evenly over the steps left (this one
        // included), the larger shares first.
        const auto steps_left = static_cast<size_t>(max_minimise_count - step + 1);
        more = (labels_left + steps_left - 1) / steps_left;
    }
    more = std::clamp<size_t>(more, std::min<size_t>(1, labels_left), labels_left);
    // The labels are stored leftmost first: the name's last ones are kept.
    return DnsName(std::vector<std::string>(
        labels.end() - static_cast<std::ptrdiff_t>(known_labels + more), labels.end()));
}

MinimisedWalk::MinimisedWalk(const Question& question, const DnsName& zone, bool enabled,
                             Cache& cache, Trace& trace, int depth)
    : question_(question), known_(enabled ? zone : DnsName{}), enabled_(enabled), cache_(cache),
      trace_(trace), depth_(depth) {
    go_deeper();
}

void MinimisedWalk::referred_to(const DnsName& zone) {
    if (enabled_)
        known_ = zone;
    go_deeper();
}

bool MinimisedWalk::took_intermediate_reply(ClassifiedReply& reply) {
    if (!minimising() || (reply.kind != ReplyKind::answer && reply.kind != ReplyKind::nodata))
        return false;
    // Records of the name on the way (of type A, or a CNAME), or none: true
    // facts about that name, and no zone cut there. Not the client's answer,
    // but cached for that question like any answer, so that the next lookup
    // below this name does not ask for it again.
    const bool records = reply.kind == ReplyKind::answer;
    trace_.step(depth_, [&] {
        return std::string(records ? "  records" : "  NODATA") + " for " +
               minimised_->name.to_string() + " " + type_name(minimised_->type) +
               ": a name on the way, not a zone cut: one label more";
    });
    cache_.store_answer(*minimised_,
                        records ? Resolution{rcode_noerror, std::move(reply.answers), {}, 0}
                                : Resolution{rcode_noerror, {}, std::move(reply.negative_soa), 0});
    known_ = minimised_->name;
    go_deeper();
    return true;
}

void MinimisedWalk::server_failed() {
    if (!minimising())
        return;
    trace_.step(depth_, [&] {
        return "  the next server is asked the whole name " + question_.name.to_string() +
               " (RFC 9156 section 2.3: a server may fail minimised queries)";
    });
    ask_whole_question();
}

bool MinimisedWalk::ask_again_after_denial(const ClassifiedReply& reply) {
    if (!minimising() || reply.kind != ReplyKind::nxdomain)
        return false;
    // RFC 8020 would let us stop here: nothing exists below a name that does
    // not exist. Unbound's default does not trust it without DNSSEC, since
    // some servers deny empty non-terminals; neither do we.
    trace_.step(depth_, [&] {
        return "  NXDOMAIN for " + minimised_->name.to_string() +
               ", a name on the way: asking the same server the whole name "
               "(some servers deny names that only have names below them)";
    });
    ask_whole_question();
    return true;
}

void MinimisedWalk::go_deeper() {
    while (enabled_ && question_.name.labels().size() > known_.labels().size() + 1) {
        const DnsName next = minimised_name(question_.name, known_, ++steps_);
        if (next == question_.name)
            break;
        minimised_ = Question{next, minimised_query_type, question_.klass};
        // A name the cache knows to exist (an answer or NODATA for it) need
        // not be asked for again (RFC 9156 section 3).
        const std::optional<Resolution> cached = cache_.find_answer(*minimised_);
        if (!cached || cached->rcode != rcode_noerror)
            return;
        trace_.step(depth_, [&] {
            return "from the cache: " + next.to_string() +
                   " exists, and is not a zone cut: one label more";
        });
        known_ = next;
    }
    // One label left, or none: the question itself (or minimisation is off).
    ask_whole_question();
}

void MinimisedWalk::ask_whole_question() {
    minimised_.reset();
}

} // namespace dns
