#include "local_zones.hpp"

#include "code_names.hpp"
#include "message_writer.hpp"

#include <arpa/inet.h>
#include <array>
#include <charconv>
#include <sstream>

namespace dns {

namespace {

constexpr uint16_t type_txt = 16;
constexpr uint16_t type_srv = 33;

// The TTL of the records RFC 6303 section 3 gives each zone, and of the
// answers made from them.
constexpr uint32_t local_zone_ttl = 10800;

// The name as a map key: its labels from `from` on, lowercased, each with its
// length (names compare without regard to ASCII case, RFC 4343).
std::string key_of(const DnsName& name, size_t from = 0) {
    std::string key;
    append_lowercase_labels(key, name, from);
    return key;
}

// The key of the name's last label; the root's is empty.
std::string last_label_key(const DnsName& name) {
    return key_of(name, name.labels().empty() ? 0 : name.labels().size() - 1);
}

std::vector<uint8_t> name_wire(const DnsName& name) {
    MessageWriter writer(DnsName::max_wire_length);
    writer.write_name(name);
    return writer.bytes();
}

ResourceRecord record(const DnsName& owner, uint16_t type, std::vector<uint8_t> rdata,
                      uint32_t ttl = local_zone_ttl) {
    return ResourceRecord{owner, type, class_in, ttl, std::move(rdata)};
}

// "@ 10800 IN SOA @ nobody.invalid. 1 3600 1200 604800 10800" (RFC 6303
// section 3): the zone itself as its primary server, nobody as its keeper.
ResourceRecord soa_of(const DnsName& zone) {
    MessageWriter writer(2 * DnsName::max_wire_length + 20);
    writer.write_name(zone);
    writer.write_name(DnsName::from_text("nobody.invalid."));
    for (const uint32_t value : {1u, 3600u, 1200u, 604800u, local_zone_ttl})
        writer.write_u32(value);
    return record(zone, type_soa, writer.bytes());
}

// "@ 10800 IN NS @".
ResourceRecord ns_of(const DnsName& zone) {
    return record(zone, type_ns, name_wire(zone));
}

DnsName name_from(std::string_view text, std::string_view what) {
    try {
        return DnsName::from_text(text);
    } catch (const NameError& error) {
        throw LocalZoneError(std::string(what) + " '" + std::string(text) +
                             "' is not a name: " + error.what());
    }
}

uint32_t number_from(std::string_view text, uint32_t highest, std::string_view what) {
    uint32_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value > highest)
        throw LocalZoneError(std::string(what) + " '" + std::string(text) +
                             "' is not a number from 0 to " + std::to_string(highest));
    return value;
}

std::string upper(std::string_view word) {
    std::string result(word);
    for (char& character : result)
        if (character >= 'a' && character <= 'z')
            character = static_cast<char>(character - 'a' + 'A');
    return result;
}

bool is_number(std::string_view word) {
    return !word.empty() && word.find_first_not_of("0123456789") == std::string_view::npos;
}

// TXT's RDATA: one or more character-strings, each in quotes ("\"" and "\\"
// escaped) or a word without spaces; each at most 255 bytes (RFC 1035 3.3.14).
std::vector<uint8_t> txt_rdata(std::string_view text) {
    std::vector<uint8_t> rdata;
    size_t at = 0;
    while (at < text.size()) {
        if (text[at] == ' ' || text[at] == '\t') {
            ++at;
            continue;
        }
        std::string piece;
        if (text[at] == '"') {
            for (++at;; ++at) {
                if (at >= text.size())
                    throw LocalZoneError("a TXT string without its closing quote");
                if (text[at] == '"')
                    break;
                if (text[at] == '\\' && at + 1 < text.size())
                    ++at;
                piece += text[at];
            }
            ++at;
        } else {
            while (at < text.size() && text[at] != ' ' && text[at] != '\t')
                piece += text[at++];
        }
        if (piece.size() > 255)
            throw LocalZoneError("a TXT string of more than 255 bytes");
        rdata.push_back(static_cast<uint8_t>(piece.size()));
        rdata.insert(rdata.end(), piece.begin(), piece.end());
    }
    if (rdata.empty())
        throw LocalZoneError("a TXT record needs at least one string");
    return rdata;
}

std::vector<uint8_t> address_rdata(int family, const std::string& text) {
    std::array<uint8_t, 16> bytes{};
    if (::inet_pton(family, text.c_str(), bytes.data()) != 1)
        throw LocalZoneError("'" + text + "' is not an " + (family == AF_INET ? "IPv4" : "IPv6") +
                             " address");
    return std::vector<uint8_t>(bytes.begin(), bytes.begin() + (family == AF_INET ? 4 : 16));
}

// The reverse zone of the /`prefix_bits` network of `address` (IPv4, whole
// octets, or IPv6, whole nibbles): RFC 1035 section 3.5, RFC 3596 section 2.5.
DnsName reverse_zone(const std::string& address, int prefix_bits) {
    std::string name;
    if (address.find(':') == std::string::npos) {
        const auto bytes = address_rdata(AF_INET, address);
        for (int i = prefix_bits / 8 - 1; i >= 0; --i)
            name += std::to_string(bytes[static_cast<size_t>(i)]) + ".";
        return DnsName::from_text(name + "in-addr.arpa.");
    }
    const auto bytes = address_rdata(AF_INET6, address);
    static constexpr std::string_view hex = "0123456789abcdef";
    for (int nibble = prefix_bits / 4 - 1; nibble >= 0; --nibble) {
        const uint8_t byte = bytes[static_cast<size_t>(nibble / 2)];
        name += hex[nibble % 2 == 0 ? byte >> 4 : byte & 0x0f];
        name += '.';
    }
    return DnsName::from_text(name + "ip6.arpa.");
}

} // namespace

LocalZoneSetting parse_local_zone(std::string_view text) {
    const size_t equals = text.rfind('=');
    if (equals == std::string_view::npos)
        throw LocalZoneError("'" + std::string(text) +
                             "' is not NAME=TYPE (TYPE static, refuse or nodefault)");
    LocalZoneSetting setting;
    setting.name = name_from(text.substr(0, equals), "the zone");
    const std::string_view type = text.substr(equals + 1);
    if (type == "static")
        setting.type = LocalZoneType::static_zone;
    else if (type == "refuse")
        setting.type = LocalZoneType::refuse;
    else if (type == "nodefault")
        setting.type = LocalZoneType::nodefault;
    else
        throw LocalZoneError("'" + std::string(type) +
                             "' is not a type of local zone (static, refuse or nodefault)");
    return setting;
}

ResourceRecord parse_local_data(std::string_view text) {
    std::istringstream words{std::string(text)};
    std::vector<std::string> fields;
    for (std::string word; words >> word;)
        fields.push_back(word);
    const auto fail = [&](const std::string& why) -> ResourceRecord {
        throw LocalZoneError("'" + std::string(text) + "': " + why);
    };
    if (fields.size() < 3)
        return fail("not NAME TTL CLASS TYPE RDATA");
    ResourceRecord result;
    try {
        result.name = name_from(fields[0], "the owner");
        result.klass = class_in;
        result.ttl = 3600;
        size_t at = 1;
        if (is_number(fields[at]))
            result.ttl = number_from(fields[at++], 0x7fffffff, "the TTL");
        if (at < fields.size() && upper(fields[at]) == "IN")
            ++at;
        else if (at < fields.size() && (upper(fields[at]) == "CH" || upper(fields[at]) == "HS"))
            return fail("only class IN is served");
        if (at + 1 >= fields.size())
            return fail("no TYPE and RDATA after the name");
        const std::string type = upper(fields[at++]);
        const std::vector<std::string> rdata(fields.begin() + static_cast<long>(at), fields.end());
        const auto expect = [&](size_t count) {
            if (rdata.size() != count)
                fail(type + " needs " + std::to_string(count) + " field(s) of RDATA, not " +
                     std::to_string(rdata.size()));
        };
        if (type == "A" || type == "AAAA") {
            expect(1);
            result.type = type == "A" ? type_a : type_aaaa;
            result.rdata = address_rdata(type == "A" ? AF_INET : AF_INET6, rdata[0]);
        } else if (type == "CNAME" || type == "NS" || type == "PTR") {
            expect(1);
            result.type = type == "CNAME" ? type_cname : type == "NS" ? type_ns : type_ptr;
            result.rdata = name_wire(name_from(rdata[0], "the target"));
        } else if (type == "MX") {
            expect(2);
            result.type = type_mx;
            const auto preference = number_from(rdata[0], 65535, "the preference");
            result.rdata = {static_cast<uint8_t>(preference >> 8),
                            static_cast<uint8_t>(preference & 0xff)};
            const auto exchange = name_wire(name_from(rdata[1], "the mail exchanger"));
            result.rdata.insert(result.rdata.end(), exchange.begin(), exchange.end());
        } else if (type == "SRV") {
            expect(4);
            result.type = type_srv;
            for (size_t i = 0; i < 3; ++i) {
                const auto value = number_from(rdata[i], 65535, "an SRV number");
                result.rdata.push_back(static_cast<uint8_t>(value >> 8));
                result.rdata.push_back(static_cast<uint8_t>(value & 0xff));
            }
            const auto target = name_wire(name_from(rdata[3], "the target"));
            result.rdata.insert(result.rdata.end(), target.begin(), target.end());
        } else if (type == "TXT") {
            result.type = type_txt;
            // The RDATA is the rest of the line as written, spaces in quotes kept.
            const std::string line(text);
            size_t start = 0;
            for (size_t field = 0; field < at; ++field) {
                start = line.find_first_not_of(" \t", start);
                start = line.find_first_of(" \t", start);
            }
            result.rdata = txt_rdata(std::string_view(line).substr(start));
        } else {
            return fail("type " + type +
                        " is not one --local-data knows (A, AAAA, CNAME, MX, NS, PTR, SRV, TXT)");
        }
    } catch (const LocalZoneError& error) {
        const std::string what = error.what();
        if (what.rfind("'" + std::string(text) + "'", 0) == 0)
            throw;
        return fail(what);
    }
    return result;
}

std::vector<DnsName> default_local_zones() {
    std::vector<DnsName> zones;
    // RFC 6761 section 6.3 and 6.4, RFC 7686 section 2, RFC 8375 section 6.
    for (const char* name : {"localhost.", "invalid.", "onion.", "home.arpa."})
        zones.push_back(DnsName::from_text(name));
    // RFC 6303 section 4: the reverse zones of networks private to one site,
    // and of addresses that mean nothing outside one machine.
    const std::vector<std::pair<std::string, int>> networks{
        {"10.0.0.0", 8},         // RFC 1918 (4.1)
        {"192.168.0.0", 16},     // RFC 1918 (4.1)
        {"0.0.0.0", 8},          // "this network" (4.2)
        {"127.0.0.0", 8},        // loopback (4.2)
        {"169.254.0.0", 16},     // link-local (4.2)
        {"192.0.2.0", 24},       // TEST-NET-1 (4.2)
        {"198.51.100.0", 24},    // TEST-NET-2 (4.2)
        {"203.0.113.0", 24},     // TEST-NET-3 (4.2)
        {"255.255.255.255", 32}, // broadcast (4.2)
        {"::", 128},             // the unspecified address (4.3)
        {"::1", 128},            // loopback (4.3)
        {"fd00::", 8},           // locally assigned unique local addresses (4.4)
        {"fe80::", 12},          // link-local: fe8, fe9, fea, feb (4.5)
        {"fe90::", 12},          //
        {"fea0::", 12},          //
        {"feb0::", 12},          //
        {"2001:db8::", 32},      // documentation (4.6)
    };
    for (const auto& [address, bits] : networks)
        zones.push_back(reverse_zone(address, bits));
    // 172.16/12 (RFC 1918) and 100.64/10 (shared address space, RFC 6598; RFC
    // 7793 adds it to the list): one zone per /16.
    for (int octet = 16; octet <= 31; ++octet)
        zones.push_back(reverse_zone("172." + std::to_string(octet) + ".0.0", 16));
    for (int octet = 64; octet <= 127; ++octet)
        zones.push_back(reverse_zone("100." + std::to_string(octet) + ".0.0", 16));
    return zones;
}

LocalZones LocalZones::build(const std::vector<LocalZoneSetting>& settings,
                             const std::vector<ResourceRecord>& data) {
    LocalZones zones;
    for (const auto& name : default_local_zones())
        zones.add_zone(name, LocalZoneType::static_zone);
    zones.zones_.at(key_of(DnsName::from_text("localhost."))).loopback = true;
    for (const auto& setting : settings) {
        if (setting.type != LocalZoneType::nodefault) {
            zones.add_zone(setting.name, setting.type);
        } else if (zones.zones_.erase(key_of(setting.name)) == 0) {
            throw LocalZoneError(setting.name.to_string() +
                                 "=nodefault: it is not one of the default local zones");
        }
    }
    // The names of the loopback addresses, as every resolver answers them.
    for (const char* address : {"127.0.0.1", "::1"}) {
        const DnsName reverse =
            reverse_zone(address, std::string_view(address) == "::1" ? 128 : 32);
        if (zones.closest_zone(reverse) != nullptr)
            zones.add_data(record(reverse, type_ptr, name_wire(DnsName::from_text("localhost."))));
    }
    for (const auto& record : data)
        zones.add_data(record);
    // The last labels of what is left, once the nodefaults are taken out.
    for (const auto& [key, zone] : zones.zones_)
        zones.last_label_keys_.insert(last_label_key(zone.name));
    for (const auto& [key, records] : zones.data_)
        zones.last_label_keys_.insert(last_label_key(records.front().name));
    return zones;
}

void LocalZones::add_zone(const DnsName& name, LocalZoneType type) {
    zones_[key_of(name)] = Zone{name, type, false};
}

void LocalZones::add_data(const ResourceRecord& record) {
    data_[key_of(record.name)].push_back(record);
    for (size_t from = 1; from < record.name.labels().size(); ++from)
        ancestors_of_data_.insert(key_of(record.name, from));
}

const LocalZones::Zone* LocalZones::closest_zone(const DnsName& name) const {
    return closest_zone(key_of(name));
}

const LocalZones::Zone* LocalZones::closest_zone(std::string_view key) const {
    // The longest ending of the name that is a local zone wins. The key of
    // each ending is the end of the name's key: each step skips one label
    // (its length byte, then its bytes), down to the root's empty key.
    for (;;) {
        if (const auto zone = zones_.find(key); zone != zones_.end())
            return &zone->second;
        if (key.empty())
            return nullptr;
        key.remove_prefix(1 + static_cast<uint8_t>(key.front()));
    }
}

bool LocalZones::may_be_local(const DnsName& name) const {
    if (last_label_keys_.contains(std::string_view{}))
        return true; // the root is local: so is every name
    return !name.labels().empty() && last_label_keys_.contains(last_label_key(name));
}

std::optional<Resolution> LocalZones::answer(const Question& question) const {
    // Most questions are for names that are in no local zone: the last label
    // (lab, com) says so at once, with no walk over the zones.
    if (!may_be_local(question.name))
        return std::nullopt;
    // Every query comes here first: its name's key is made once, for the
    // zones and the data both.
    const std::string key = key_of(question.name);
    const Zone* zone = closest_zone(key);
    const auto data = data_.find(key);
    if (zone == nullptr && data == data_.end())
        return std::nullopt;

    Resolution resolution;
    resolution.rcode = rcode_noerror;
    resolution.authoritative = true;
    // A negative answer carries the SOA of the zone, or of the name itself
    // when it is local data in no zone of its own (RFC 2308 section 3).
    const ResourceRecord soa = soa_of(zone != nullptr ? zone->name : question.name);
    const auto matches = [&](uint16_t type) {
        return question.type == type || question.type == type_any;
    };

    if (data != data_.end()) {
        for (const auto& record : data->second)
            if (matches(record.type))
                resolution.answers.push_back(record);
        // An alias answers every type (RFC 1034 section 3.6.2).
        if (resolution.answers.empty())
            for (const auto& record : data->second)
                if (record.type == type_cname)
                    resolution.answers.push_back(record);
        if (resolution.answers.empty())
            resolution.authorities.push_back(soa); // NODATA
        return resolution;
    }
    if (zone->type == LocalZoneType::refuse) {
        resolution.rcode = rcode_refused;
        resolution.authoritative = false;
        resolution.extended_error =
            ExtendedError{ede::prohibited, "refused: " + zone->name.to_string() +
                                               " is a local zone that is refused"};
        return resolution;
    }
    const bool apex = question.name == zone->name;
    if (apex && matches(type_soa))
        resolution.answers.push_back(soa);
    if (apex && matches(type_ns))
        resolution.answers.push_back(ns_of(zone->name));
    if (zone->loopback) {
        // RFC 6761 section 6.3: localhost and every name below it.
        if (matches(type_a))
            resolution.answers.push_back(record(question.name, type_a, {127, 0, 0, 1}));
        if (matches(type_aaaa)) {
            std::vector<uint8_t> loopback(16, 0);
            loopback[15] = 1;
            resolution.answers.push_back(record(question.name, type_aaaa, std::move(loopback)));
        }
    }
    if (!resolution.answers.empty())
        return resolution;
    resolution.authorities.push_back(soa);
    const bool exists = apex || zone->loopback || ancestors_of_data_.count(key);
    if (!exists)
        resolution.rcode = rcode_nxdomain;
    return resolution;
}

} // namespace dns
