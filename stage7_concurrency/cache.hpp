// Cache: what the resolver has learned, kept for as long as its TTL allows, so
// that the next client asking the same thing is answered without a single
// query upstream (RFC 1034 section 4.3.2 step 4, RFC 1035 section 7.4).
//
// It keeps five kinds of things:
//   - answers: the records for a name and type, CNAMEs included;
//   - negative answers: "no such name" (NXDOMAIN, which then answers every
//     type asked of that name) and "no such type" (NODATA), for as long as the
//     zone's SOA allows (RFC 2308 section 5);
//   - delegations: the servers of a zone and their addresses, so a lookup
//     starts at the closest zone it knows instead of the root;
//   - whole responses in wire form, for the fast path (fast_path.hpp);
//   - what DNSSEC validation learned of each zone's keys (zone_keys.hpp).
//
// Every TTL is counted down, on the wall clock (ttl_clock.hpp): a record
// cached with TTL 300 is handed out 100 seconds later with TTL 200, and never
// after it reaches 0. TTLs are capped
// (a zone may say a week; the cache keeps a day at most).
//
// All worker threads share one cache. It is cut into shards, each with its own
// lock, chosen by the key's hash: two threads collide only when they touch the
// same shard at the same moment. Each shard has a share of the size limit and
// drops its least recently used entries to stay under it.
#pragma once

#include "message.hpp"
#include "resolution.hpp"
#include "root_hints.hpp"
#include "ttl_clock.hpp"
#include "zone_keys.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace dns {

struct CacheSettings {
    size_t max_bytes = 64 * 1024 * 1024; // --cache-size, in MiB on the command line
    uint32_t max_ttl = 86400;            // one day, as Unbound's cache-max-ttl
    uint32_t max_negative_ttl = 3600;    // RFC 2308 section 5 suggests 1 to 3 hours
    // A bogus answer (or a zone's broken chain of trust) is kept a minute, as
    // Unbound's val-bogus-ttl: long enough not to ask again for every
    // client, short enough for a repaired zone to be seen soon.
    uint32_t max_bogus_ttl = 60;
};

// The servers of a zone, learned from a referral.
struct Delegation {
    DnsName zone;
    std::vector<NameServer> servers;
};

// A delegation as the cache gives it back: shared with the cache, not copied.
// Nobody changes a delegation once it is learned, and nearly every miss starts
// from one: a copy of its zone's and servers' names and addresses cost more
// instructions than the rest of the cache's work for the miss.
struct CachedDelegation {
    std::shared_ptr<const Delegation> delegation;
    uint32_t seconds_left = 0; // how long it may still be used
};

// A whole response, ready to send but for its ID and its TTLs.
struct WireResponse {
    std::vector<uint8_t> bytes;
    std::vector<uint16_t> ttl_offsets; // where each record's TTL is in `bytes`
    std::vector<uint32_t> ttls;        // the TTL of each, when it was stored
};

class Cache {
  public:
    using Clock = TtlClock; // the wall clock, never set back (ttl_clock.hpp)

    explicit Cache(CacheSettings settings = {});

    // The answer to `question`: records (rcode NOERROR), NXDOMAIN, or NODATA
    // (NOERROR without records), each with the SOA that said so. Not stored
    // when there is no TTL to keep it for: a record with TTL 0, a negative
    // answer without an SOA (RFC 2308 section 5), a SERVFAIL.
    // Returns the answer as clients are to get it, stored or not: no TTL over
    // the cap, and a negative answer's SOA with the negative TTL.
    Resolution store_answer(const Question& question, Resolution answer,
                            Clock::time_point now = Clock::now());
    std::optional<Resolution> find_answer(const Question& question,
                                          Clock::time_point now = Clock::now());

    // A DNAME (RFC 6672), kept as the answer to its owner's DNAME question,
    // with its RRSIGs and what validation found of it: found again, it
    // answers every name below its owner.
    void store_dname(const ResourceRecord& dname, const std::vector<ResourceRecord>& rrsigs,
                     Security security, Clock::time_point now = Clock::now());
    // The cached DNAME closest above `name` (its owner an ending of `name`,
    // not `name` itself), as that answer (the DNAME first), its TTLs counted
    // down; nothing if there is none.
    std::optional<Resolution> find_dname(const DnsName& name, Clock::time_point now = Clock::now());

    // What DNSSEC validation learned of a zone's keys (zone_keys.hpp).
    void store_keys(const DnsName& zone, ZoneKeys keys, uint32_t ttl,
                    Clock::time_point now = Clock::now());
    std::optional<ZoneKeys> find_keys(const DnsName& zone, Clock::time_point now = Clock::now());

    void store_delegation(std::shared_ptr<const Delegation> delegation, uint32_t ttl,
                          Clock::time_point now = Clock::now());
    // The cached delegation of the zone closest to `name` (the longest ending
    // of it), below the root. A DS record lives in the parent zone (RFC 4034
    // section 5): for a DS question (`for_ds`), the zone of the name itself is
    // skipped, and its parent's servers are asked.
    std::optional<CachedDelegation> find_closest_delegation(const DnsName& name,
                                                            bool for_ds = false,
                                                            Clock::time_point now = Clock::now());

    // Whole responses, by a key the fast path makes from the query's bytes.
    void store_response(const std::string& key, WireResponse response, uint32_t ttl,
                        Clock::time_point now = Clock::now());
    // Copies the response into `out` with its TTLs counted down; its size, or
    // 0 if there is none (or `out` is too small).
    size_t copy_response(const std::string& key, std::span<uint8_t> out,
                         Clock::time_point now = Clock::now());

    const CacheSettings& settings() const { return settings_; }

    // What the cache holds now (an estimate of its memory, in bytes).
    size_t bytes_used();
    size_t entries();
    uint64_t evictions();

    // The key of a name and type: the name in wire form, lowercased (names are
    // compared without regard to case, RFC 4343), then the type. `kind` keeps
    // answers, delegations and responses apart.
    static std::string key_for(char kind, const DnsName& name, uint16_t type);

  private:
    // Keys are looked up as string_views (std::equal_to<> and a hash that
    // takes a string_view are "transparent"): a lookup builds its key in a
    // buffer of the worker thread's and allocates nothing.
    struct KeyHash {
        using is_transparent = void;
        size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
    };

    using Value =
        std::variant<Resolution, std::shared_ptr<const Delegation>, WireResponse, ZoneKeys>;
    struct Entry {
        Value value;
        Clock::time_point stored_at;
        uint32_t ttl = 0;  // seconds from stored_at
        uint32_t size = 0; // bytes, estimated (no more than a shard's share)
        std::list<const std::string*>::iterator recency;
    };
    using EntryMap = std::unordered_map<std::string, Entry, KeyHash, std::equal_to<>>;
    struct Shard {
        std::mutex mutex;
        EntryMap entries;
        // The keys, most recently used first: pointers to the map's own copy
        // (a node of an unordered_map never moves), not a second copy.
        std::list<const std::string*> recency;
        size_t bytes = 0;
        uint64_t evictions = 0;
    };
    static constexpr size_t shard_count = 16;

    Shard& shard_for(std::string_view key);
    void store(const std::string& key, Value value, size_t size, uint32_t ttl,
               Clock::time_point now);
    // The live entry for `key` (the shard's lock held), or nullptr; an expired
    // entry is removed on the way.
    Entry* find_live(Shard& shard, std::string_view key, Clock::time_point now);
    void remove(Shard& shard, EntryMap::iterator entry);
    // Walks up from `name`'s ending at label `first` (the longest ending
    // first) to the last label before the root, and returns what `take` makes
    // of the first live entry of `kind` and `type` there that it takes (an
    // optional: empty to go on), under the entry's shard lock.
    template <typename Take>
    auto find_closest(const DnsName& name, size_t first, char kind, uint16_t type,
                      Clock::time_point now, Take take) -> decltype(take(std::declval<Entry&>()));
    // `count(shard)` added up over every shard, each under its lock.
    template <typename Count>
    uint64_t sum_over_shards(Count count);

    CacheSettings settings_;
    std::array<Shard, shard_count> shards_;
    // Set once a DNAME is stored: until then, a lookup does not look for one
    // above every name it is asked (DNAMEs are rare; the look costs a lock
    // per label).
    std::atomic<bool> holds_dnames_{false};
};

// The smallest TTL of `records`; UINT32_MAX if there are none.
uint32_t smallest_ttl(const std::vector<ResourceRecord>& records);

// The TTL a negative answer may be cached for: the smaller of the SOA record's
// own TTL and its MINIMUM field (RFC 2308 section 5); nothing without an SOA.
std::optional<uint32_t> negative_ttl(const std::vector<ResourceRecord>& authorities);
// The same for one SOA record, given its TTL and RDATA; nothing if the RDATA
// is too short to be an SOA's.
std::optional<uint32_t> negative_ttl(uint32_t soa_ttl, std::span<const uint8_t> soa_rdata);

} // namespace dns
