// Local zones: names a resolver answers itself, without asking anyone.
//
// Some names must never reach the root servers. RFC 6761 reserves `localhost`
// (section 6.3: always the loopback addresses, 127.0.0.1 and ::1) and
// `invalid` (section 6.4: never exists); RFC 7686 section 2 `onion` (Tor's
// names: a resolver MUST answer NXDOMAIN); RFC 8375 `home.arpa` (a home
// network's own names). RFC 6303 lists the reverse zones of the addresses
// that mean something only inside one network (10/8, 192.168/16, 127/8, fe80::/10,
// ...): a question for 1.1.168.192.in-addr.arpa sent to the Internet can only
// come back NXDOMAIN, after telling the root servers about the network it
// came from. A resolver answers all of them itself, as RFC 6303 section 3
// describes: as if it served a zone of its own with nothing but an SOA and
// an NS record, "@ 10800 IN SOA @ nobody.invalid. 1 3600 1200 604800 10800",
// so NXDOMAIN (or NODATA) with that SOA in the authority section, and AA=1.
//
// `test` (RFC 6761 section 6.2) would belong here too, but the test bed serves
// a zone test. of its own: it is left out of the defaults.
//
// On top of the defaults, the command line may add (Unbound's words):
//   --local-zone NAME=static    a zone answered only from --local-data;
//   --local-zone NAME=refuse    questions in it get REFUSED;
//   --local-zone NAME=nodefault one of the defaults turned off (asked upstream);
//   --local-data 'NAME TTL CLASS TYPE RDATA'  a record of one's own (a printer,
//       the router): its name's other types get NODATA, not a lookup.
#pragma once

#include "question.hpp"
#include "resolution.hpp"

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dns {

// A --local-zone or --local-data that cannot be used, in words for its user.
class LocalZoneError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

enum class LocalZoneType { static_zone, refuse, nodefault };

struct LocalZoneSetting {
    DnsName name;
    LocalZoneType type = LocalZoneType::static_zone;
};

// "NAME=TYPE", TYPE static, refuse or nodefault. Throws LocalZoneError.
LocalZoneSetting parse_local_zone(std::string_view text);

// One record in the format of a zone file line, "NAME TTL CLASS TYPE RDATA"
// (the TTL and the class, IN, may be left out): types A, AAAA, CNAME, MX, NS,
// PTR, SRV and TXT. Names are absolute, with or without their final dot.
// Throws LocalZoneError.
ResourceRecord parse_local_data(std::string_view text);

// The names of the zones a resolver answers itself unless told not to, in
// order: RFC 6761's, RFC 7686's, RFC 8375's and RFC 6303's.
std::vector<DnsName> default_local_zones();

class LocalZones {
  public:
    // None at all: every question is looked up.
    LocalZones() = default;

    // The defaults, changed by `settings`, with `data` added. Throws
    // LocalZoneError for a nodefault that names no default zone.
    static LocalZones build(const std::vector<LocalZoneSetting>& settings,
                            const std::vector<ResourceRecord>& data);

    // The answer to `question` if it is for a local name, nothing if it is
    // to be looked up. Never throws for a question.
    std::optional<Resolution> answer(const Question& question) const;

    size_t zone_count() const { return zones_.size(); }

  private:
    struct Zone {
        DnsName name;
        LocalZoneType type;
        // localhost and every name in it: the loopback addresses (RFC 6761 6.3).
        bool loopback = false;
    };

    void add_zone(const DnsName& name, LocalZoneType type);
    void add_data(const ResourceRecord& record);
    const Zone* closest_zone(const DnsName& name) const;
    // False if no local zone and no local data can hold `name`: its last
    // label is that of none of them.
    bool may_be_local(const DnsName& name) const;
    // The same, from the name's key (key_of in local_zones.cpp).
    const Zone* closest_zone(std::string_view key) const;

    // by key_of(name); std::less<> finds a string_view without a copy of it
    std::map<std::string, Zone, std::less<>> zones_;
    std::map<std::string, std::vector<ResourceRecord>> data_;
    // The names above some local data, that exist without records of their
    // own (empty non-terminals: NODATA, not NXDOMAIN, RFC 8020).
    std::set<std::string> ancestors_of_data_;
    // The key of the last label (lab, arpa) of each local zone and each name
    // of local data; the root's empty key if the root is one of them.
    std::set<std::string, std::less<>> last_label_keys_;
};

} // namespace dns
