#include "network_options.hpp"

#include <charconv>

namespace dns {

namespace {

// RFC 8767 section 5 suggests 1 to 3 days; a week at most here.
std::chrono::seconds serve_stale_seconds(std::string_view text) {
    constexpr unsigned long longest = 7 * 86400;
    unsigned long seconds = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
        seconds > longest)
        throw NetworkOptionError("--serve-stale needs a number of seconds from 0 to " +
                                 std::to_string(longest) + ", not '" + std::string(text) + "'");
    return std::chrono::seconds(seconds);
}

} // namespace

bool parse_network_option(std::string_view argument, const std::function<std::string_view()>& value,
                          NetworkOptions& options) {
    try {
        if (argument == "--local-zone")
            options.local_zones.push_back(parse_local_zone(value()));
        else if (argument == "--local-data")
            options.local_data.push_back(parse_local_data(value()));
        else if (argument == "--forward")
            options.forwarders.push_back(parse_forward(value()));
        else if (argument == "--serve-stale")
            options.serve_stale = serve_stale_seconds(value());
        else if (argument == "--user")
            options.privileges.user = value();
        else if (argument == "--chroot")
            options.privileges.chroot_directory = value();
        else
            return false;
    } catch (const LocalZoneError& error) {
        throw NetworkOptionError(std::string(argument) + " " + error.what());
    } catch (const ForwardError& error) {
        throw NetworkOptionError(std::string(argument) + " " + error.what());
    }
    return true;
}

std::string network_options_usage() {
    return "  --local-zone NAME=TYPE answer the names in NAME here: TYPE static (only from\n"
           "                         --local-data), refuse (REFUSED), or nodefault (turn off\n"
           "                         a default). Defaults, answered without asking anyone:\n"
           "                         localhost (127.0.0.1, ::1), invalid, onion, home.arpa\n"
           "                         and RFC 6303's reverse zones (10/8, 192.168/16, 127/8,\n"
           "                         fe80::/10, ...); not test. (RFC 6761), which test beds use\n"
           "  --local-data 'RR'      a record of one's own, 'NAME [TTL] [IN] TYPE RDATA' (A,\n"
           "                         AAAA, CNAME, MX, NS, PTR, SRV, TXT); may be repeated\n"
           "  --forward ZONE=ADDR    ask the resolver at ADDR (IPv4[:PORT] or [IPv6][:PORT])\n"
           "                         the questions for names in ZONE, RD=1; ZONE . for all;\n"
           "                         may be repeated (the longest zone wins)\n"
           "  --serve-stale SECONDS  when every server fails, answer from records expired at\n"
           "                         most SECONDS ago, TTL 30, EDE 3 (RFC 8767; default 0: off)\n"
           "  --user NAME            started as root: become NAME once the sockets are bound\n"
           "                         (default nobody; root keeps root, and says so)\n"
           "  --chroot DIR           started as root: shut the process into DIR too\n";
}

} // namespace dns
