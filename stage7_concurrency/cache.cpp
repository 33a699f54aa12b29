#include "cache.hpp"

#include <algorithm>
#include <functional>

namespace dns {

namespace {

// Roughly what a record costs in memory: the struct, its name's labels, its data.
size_t estimated_size(const ResourceRecord& record) {
    return sizeof(ResourceRecord) + record.name.wire_length() + 16 * record.name.labels().size() +
           record.rdata.size();
}

size_t estimated_size(const std::vector<ResourceRecord>& records) {
    size_t size = 0;
    for (const auto& record : records)
        size += estimated_size(record);
    return size;
}

// A TTL, less the seconds since it was stored.
uint32_t counted_down(uint32_t ttl, uint32_t elapsed) {
    return ttl > elapsed ? ttl - elapsed : 0;
}

// Every record's TTL, less the seconds since it was stored.
void count_down(std::vector<ResourceRecord>& records, uint32_t elapsed) {
    for (auto& record : records)
        record.ttl = counted_down(record.ttl, elapsed);
}

} // namespace

uint32_t smallest_ttl(const std::vector<ResourceRecord>& records) {
    uint32_t smallest = UINT32_MAX;
    for (const auto& record : records)
        smallest = std::min(smallest, record.ttl);
    return smallest;
}

std::optional<uint32_t> negative_ttl(uint32_t soa_ttl, std::span<const uint8_t> soa_rdata) {
    // SOA RDATA: MNAME, RNAME, then SERIAL, REFRESH, RETRY, EXPIRE, MINIMUM
    // (RFC 1035 section 3.3.13): MINIMUM is its last four bytes.
    if (soa_rdata.size() < 22)
        return std::nullopt;
    const size_t at = soa_rdata.size() - 4;
    const uint32_t minimum = static_cast<uint32_t>(soa_rdata[at]) << 24 |
                             static_cast<uint32_t>(soa_rdata[at + 1]) << 16 |
                             static_cast<uint32_t>(soa_rdata[at + 2]) << 8 | soa_rdata[at + 3];
    return std::min(soa_ttl, minimum);
}

std::optional<uint32_t> negative_ttl(const std::vector<ResourceRecord>& authorities) {
    for (const auto& record : authorities)
        if (record.type == type_soa)
            if (const auto ttl = negative_ttl(record.ttl, record.rdata))
                return ttl;
    return std::nullopt;
}

Cache::Cache(CacheSettings settings) : settings_(settings) {}

namespace {

// The name from its label `first` on, in wire form (the root's 0 included),
// lowercased (dns_name.hpp).
void append_lowercase_wire(std::string& key, const DnsName& name, size_t first) {
    append_lowercase_labels(key, name, first);
    key.push_back('\0');
}

void append_type(std::string& key, uint16_t type) {
    key.push_back(static_cast<char>(type >> 8));
    key.push_back(static_cast<char>(type & 0xff));
}

// The key of `kind`, the name from its label `first` on, and `type`, made in
// `key`.
void make_key(std::string& key, char kind, const DnsName& name, size_t first, uint16_t type) {
    key.assign(1, kind);
    append_lowercase_wire(key, name, first);
    append_type(key, type);
}

// The same in the calling thread's buffer, for a lookup: most keys are too
// long to fit in a string without an allocation of its own, and a lookup
// needs the key only until it is done. Good until the next call.
std::string_view lookup_key(char kind, const DnsName& name, size_t first, uint16_t type) {
    thread_local std::string key;
    make_key(key, kind, name, first, type);
    return key;
}

} // namespace

std::string Cache::key_for(char kind, const DnsName& name, uint16_t type) {
    std::string key;
    make_key(key, kind, name, 0, type);
    return key;
}

Cache::Shard& Cache::shard_for(std::string_view key) {
    return shards_[KeyHash{}(key) % shard_count];
}

void Cache::remove(Shard& shard, EntryMap::iterator entry) {
    shard.bytes -= entry->second.size;
    shard.recency.erase(entry->second.recency);
    shard.entries.erase(entry);
}

void Cache::store(const std::string& key, Value value, size_t size, uint32_t ttl,
                  Clock::time_point now) {
    ttl = std::min(ttl, settings_.max_ttl);
    const size_t shard_budget = settings_.max_bytes / shard_count;
    size += key.size() + sizeof(Entry) + 64; // the key, the map's and the list's nodes
    if (ttl == 0 || size > shard_budget)
        return;
    Shard& shard = shard_for(key);
    const std::lock_guard lock(shard.mutex);
    if (const auto old = shard.entries.find(key); old != shard.entries.end())
        remove(shard, old);
    // Make room: the least recently used entries go first.
    while (shard.bytes + size > shard_budget && !shard.recency.empty()) {
        remove(shard, shard.entries.find(*shard.recency.back()));
        ++shard.evictions;
    }
    const auto [entry, inserted] = shard.entries.emplace(
        key, Entry{std::move(value), now, ttl, static_cast<uint32_t>(size), {}});
    shard.recency.push_front(&entry->first);
    entry->second.recency = shard.recency.begin();
    shard.bytes += size;
}

Cache::Entry* Cache::find_live(Shard& shard, std::string_view key, Clock::time_point now) {
    const auto found = shard.entries.find(key);
    if (found == shard.entries.end())
        return nullptr;
    const Entry& entry = found->second;
    if (Clock::reached(now, entry.stored_at + std::chrono::seconds(entry.ttl))) {
        // Never served once its TTL has run out.
        remove(shard, found);
        return nullptr;
    }
    shard.recency.splice(shard.recency.begin(), shard.recency, found->second.recency);
    return &found->second;
}

Resolution Cache::store_answer(const Question& question, Resolution answer, Clock::time_point now) {
    Resolution kept = std::move(answer);
    kept.upstream_queries = 0;
    // No record is handed out with a TTL over the cap (as Unbound's
    // cache-max-ttl): a client must not keep it longer than we would.
    for (auto* records : {&kept.answers, &kept.answer_rrsigs})
        for (auto& record : *records)
            record.ttl = std::min(record.ttl, settings_.max_ttl);
    if (kept.rcode != rcode_noerror && kept.rcode != rcode_nxdomain)
        return kept;
    uint32_t ttl = 0;
    if (kept.rcode == rcode_nxdomain || kept.answers.empty()) {
        // A negative answer, perhaps after a CNAME chain: kept for the negative
        // TTL, and the chain no longer than its own records' TTLs.
        const auto negative = negative_ttl(kept.authorities);
        if (!negative)
            return kept;
        ttl = std::min({*negative, settings_.max_negative_ttl, smallest_ttl(kept.answers)});
        // The SOA of a negative answer goes to clients with the negative TTL
        // (RFC 2308 section 3), so they keep the answer no longer than we do;
        // so does its proof (RFC 4035 section 4.5).
        for (auto* records : {&kept.authorities, &kept.authority_dnssec})
            for (auto& record : *records)
                record.ttl = std::min(record.ttl, ttl);
    } else {
        ttl = smallest_ttl(kept.answers);
    }
    if (kept.security == Security::bogus)
        ttl = std::min(ttl, settings_.max_bogus_ttl);
    const size_t size = estimated_size(kept.answers) + estimated_size(kept.authorities) +
                        estimated_size(kept.answer_rrsigs) + estimated_size(kept.authority_dnssec);
    store(key_for('A', question.name, question.type), kept, size, ttl, now);
    // A name that does not exist has no records of any type (RFC 2308 section
    // 5, RFC 8020): its NXDOMAIN answers every question for it. Not so after a
    // CNAME chain, where the name that does not exist is the chain's last one.
    if (kept.rcode == rcode_nxdomain && kept.answers.empty())
        store(key_for('N', question.name, 0), kept, size, ttl, now);
    return kept;
}

std::optional<Resolution> Cache::find_answer(const Question& question, Clock::time_point now) {
    // The answer to this very question; else a NXDOMAIN for the whole name.
    for (const char kind : {'A', 'N'}) {
        const std::string_view key =
            lookup_key(kind, question.name, 0, kind == 'A' ? question.type : uint16_t{0});
        Shard& shard = shard_for(key);
        const std::lock_guard lock(shard.mutex);
        Entry* entry = find_live(shard, key, now);
        if (entry == nullptr)
            continue;
        Resolution answer = std::get<Resolution>(entry->value);
        const uint32_t elapsed = Clock::seconds_between(entry->stored_at, now);
        for (auto* records : {&answer.answers, &answer.authorities, &answer.answer_rrsigs,
                              &answer.authority_dnssec})
            count_down(*records, elapsed);
        return answer;
    }
    return std::nullopt;
}

void Cache::store_dname(const ResourceRecord& dname, const std::vector<ResourceRecord>& rrsigs,
                        Security security, Clock::time_point now) {
    Resolution answer{rcode_noerror, {dname}, {}, 0};
    for (const auto& rrsig : rrsigs)
        if (rrsig.name == dname.name)
            answer.answer_rrsigs.push_back(rrsig);
    answer.security = security;
    store_answer(Question{dname.name, type_dname, dname.klass}, std::move(answer), now);
    holds_dnames_.store(true, std::memory_order_relaxed);
}

std::optional<Resolution> Cache::find_dname(const DnsName& name, Clock::time_point now) {
    if (!holds_dnames_.load(std::memory_order_relaxed))
        return std::nullopt;
    // a.b.old.example: b.old.example, then old.example, then example. An
    // entry there may also be NODATA for a DNAME question: no DNAME in it.
    return find_closest(name, 1, 'A', type_dname, now,
                        [&](const Entry& entry) -> std::optional<Resolution> {
                            Resolution found = std::get<Resolution>(entry.value);
                            if (found.answers.empty() || found.answers.front().type != type_dname)
                                return std::nullopt;
                            const uint32_t elapsed = Clock::seconds_between(entry.stored_at, now);
                            count_down(found.answers, elapsed);
                            count_down(found.answer_rrsigs, elapsed);
                            return found;
                        });
}

void Cache::store_keys(const DnsName& zone, ZoneKeys keys, uint32_t ttl, Clock::time_point now) {
    if (keys.security == Security::bogus)
        ttl = std::min(ttl, settings_.max_bogus_ttl);
    const size_t size = estimated_size(keys.dnskeys) + zone.wire_length();
    store(key_for('K', zone, type_dnskey), std::move(keys), size, ttl, now);
}

std::optional<ZoneKeys> Cache::find_keys(const DnsName& zone, Clock::time_point now) {
    const std::string_view key = lookup_key('K', zone, 0, type_dnskey);
    Shard& shard = shard_for(key);
    const std::lock_guard lock(shard.mutex);
    if (Entry* entry = find_live(shard, key, now))
        return std::get<ZoneKeys>(entry->value);
    return std::nullopt;
}

void Cache::store_delegation(std::shared_ptr<const Delegation> delegation, uint32_t ttl,
                             Clock::time_point now) {
    size_t size = sizeof(Delegation) + delegation->zone.wire_length();
    for (const auto& server : delegation->servers)
        size += sizeof(NameServer) + server.name.wire_length() +
                server.addresses.size() * sizeof(SocketAddress);
    std::string key = key_for('D', delegation->zone, type_ns);
    store(key, std::move(delegation), size, ttl, now);
}

std::optional<CachedDelegation> Cache::find_closest_delegation(const DnsName& name, bool for_ds,
                                                               Clock::time_point now) {
    // www.example.com: example.com, then com (the root is where every lookup
    // starts anyway, from the root hints).
    return find_closest(name, for_ds ? 1 : 0, 'D', type_ns, now,
                        [&](const Entry& entry) -> std::optional<CachedDelegation> {
                            return CachedDelegation{
                                std::get<std::shared_ptr<const Delegation>>(entry.value),
                                entry.ttl - Clock::seconds_between(entry.stored_at, now)};
                        });
}

void Cache::store_response(const std::string& key, WireResponse response, uint32_t ttl,
                           Clock::time_point now) {
    const size_t size = response.bytes.size() + response.ttl_offsets.size() * 6;
    store(key, std::move(response), size, ttl, now);
}

size_t Cache::copy_response(const std::string& key, std::span<uint8_t> out, Clock::time_point now) {
    Shard& shard = shard_for(key);
    const std::lock_guard lock(shard.mutex);
    Entry* entry = find_live(shard, key, now);
    if (entry == nullptr)
        return 0;
    const auto& response = std::get<WireResponse>(entry->value);
    if (response.bytes.size() > out.size())
        return 0;
    std::copy(response.bytes.begin(), response.bytes.end(), out.begin());
    const uint32_t elapsed = Clock::seconds_between(entry->stored_at, now);
    for (size_t i = 0; i < response.ttl_offsets.size(); ++i) {
        const uint32_t ttl = counted_down(response.ttls[i], elapsed);
        uint8_t* at = out.data() + response.ttl_offsets[i];
        at[0] = static_cast<uint8_t>(ttl >> 24);
        at[1] = static_cast<uint8_t>(ttl >> 16);
        at[2] = static_cast<uint8_t>(ttl >> 8);
        at[3] = static_cast<uint8_t>(ttl);
    }
    return response.bytes.size();
}

template <typename Take>
auto Cache::find_closest(const DnsName& name, size_t first, char kind, uint16_t type,
                         Clock::time_point now, Take take)
    -> decltype(take(std::declval<Entry&>())) {
    for (; first < name.labels().size(); ++first) {
        const std::string_view key = lookup_key(kind, name, first, type);
        Shard& shard = shard_for(key);
        const std::lock_guard lock(shard.mutex);
        if (Entry* entry = find_live(shard, key, now))
            if (auto taken = take(*entry))
                return taken;
    }
    return {};
}

template <typename Count>
uint64_t Cache::sum_over_shards(Count count) {
    uint64_t total = 0;
    for (auto& shard : shards_) {
        const std::lock_guard lock(shard.mutex);
        total += count(shard);
    }
    return total;
}

size_t Cache::bytes_used() {
    return sum_over_shards([](const Shard& shard) { return shard.bytes; });
}

size_t Cache::entries() {
    return sum_over_shards([](const Shard& shard) { return shard.entries.size(); });
}

uint64_t Cache::evictions() {
    return sum_over_shards([](const Shard& shard) { return shard.evictions; });
}

} // namespace dns
