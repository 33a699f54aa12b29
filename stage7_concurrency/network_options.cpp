#include "network_options.hpp"

namespace dns {

bool parse_network_option(std::string_view argument, const std::function<std::string_view()>& value,
                          NetworkOptions& options) {
    try {
        if (argument == "--local-zone")
            options.local_zones.push_back(parse_local_zone(value()));
        else if (argument == "--local-data")
            options.local_data.push_back(parse_local_data(value()));
        else if (argument == "--forward")
            options.forwarders.push_back(parse_forward(value()));
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
           "  --user NAME            started as root: become NAME once the sockets are bound\n"
           "                         (default nobody; root keeps root, and says so)\n"
           "  --chroot DIR           started as root: shut the process into DIR too\n";
}

} // namespace dns
