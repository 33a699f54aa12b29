// The command line of DNSSEC validation (dnssec_validator.hpp): which trust
// anchors, and which zones not to validate. Parsed by options.cpp, in a file
// of its own as the flags of a resolver run for a real network are.
#pragma once

#include "dnssec_validator.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace dns {

struct DnssecOptions {
    // --trust-anchor FILE, in the order given: DS or DNSKEY records
    // (trust_anchors.hpp).
    std::vector<std::string> trust_anchor_files;
    // --no-validation: answers are passed on unvalidated (no AD, no SERVFAIL
    // for bogus ones); the signatures still come along for DO=1 clients.
    bool no_validation = false;
    // --negative-trust-anchor ZONE (RFC 7646), in the order given.
    std::vector<DnsName> negative_trust_anchors;
};

// If `argument` is one of these flags, reads its value with `value` into
// `options` and returns true. Throws NetworkOptionError for a value that
// cannot be used.
bool parse_dnssec_option(std::string_view argument, const std::function<std::string_view()>& value,
                         DnssecOptions& options);

// The lines of --help for these flags.
std::string dnssec_options_usage();

// What the validator starts from, for this command line:
//   --no-validation               no anchors: nothing is validated;
//   --trust-anchor FILE...        the anchors of those files;
//   neither, the built-in root hints: IANA's root anchors, from Debian's
//                                 root.ds, or built in (trust_anchors.hpp);
//   neither, with --root-hints    no anchors: another root has other keys.
// `said` is set to a line for the log when validation is on. Throws
// TrustAnchorError for a file that cannot be used.
ValidatorSettings validator_settings(const DnssecOptions& options, bool builtin_root_hints,
                                     std::string& said);

} // namespace dns
