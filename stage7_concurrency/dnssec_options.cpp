#include "dnssec_options.hpp"

#include "network_options.hpp"
#include "trust_anchors.hpp"

namespace dns {

bool parse_dnssec_option(std::string_view argument, const std::function<std::string_view()>& value,
                         DnssecOptions& options) {
    if (argument == "--trust-anchor") {
        options.trust_anchor_files.emplace_back(value());
    } else if (argument == "--no-validation") {
        options.no_validation = true;
    } else if (argument == "--negative-trust-anchor") {
        const std::string_view zone = value();
        try {
            options.negative_trust_anchors.push_back(DnsName::from_text(zone));
        } catch (const NameError& error) {
            throw NetworkOptionError("--negative-trust-anchor '" + std::string(zone) +
                                     "': " + error.what());
        }
    } else {
        return false;
    }
    return true;
}

std::string dnssec_options_usage() {
    return "  --trust-anchor FILE    validate DNSSEC from the DS or DNSKEY records in FILE;\n"
           "                         may be given many times (default, with the built-in\n"
           "                         root hints: IANA's root anchors, " +
           std::string(debian_root_anchors_path) +
           "\n"
           "                         or built in; with --root-hints: no validation)\n"
           "  --no-validation        do not validate DNSSEC (signatures still go to DO=1 clients)\n"
           "  --negative-trust-anchor ZONE  do not validate ZONE and the names below it\n"
           "                         (RFC 7646); may be given many times\n";
}

ValidatorSettings validator_settings(const DnssecOptions& options, bool builtin_root_hints,
                                     std::string& said) {
    ValidatorSettings settings;
    settings.negative_trust_anchors = options.negative_trust_anchors;
    if (options.no_validation)
        return settings;
    std::string sources;
    for (const auto& file : options.trust_anchor_files) {
        const auto anchors = load_trust_anchors(file);
        settings.trust_anchors.insert(settings.trust_anchors.end(), anchors.begin(), anchors.end());
        sources += (sources.empty() ? "" : ", ") + file;
    }
    if (options.trust_anchor_files.empty() && builtin_root_hints) {
        settings.trust_anchors = default_trust_anchors();
        sources = "the root's";
    }
    if (!settings.trust_anchors.empty())
        said = "DNSSEC validation: on, from " + std::to_string(settings.trust_anchors.size()) +
               " trust anchor record(s) (" + sources + ")";
    return settings;
}

} // namespace dns
