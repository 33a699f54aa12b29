// The fast path: a question the cache has answered before, answered again
// without reading the whole query or writing a new response.
//
// Most of a busy resolver's traffic asks for a few popular names. For them the
// full path (parse the message into records, look up the cache, build the
// response record by record, compress its names) is mostly wasted work: the
// response is the one sent last time, but for its ID, its TTLs and the case of
// the question's letters. So after the full path answers a plain query, the
// response's bytes are kept in the cache with the places of its TTLs; the next
// such query is checked just enough to be sure it is the same kind of query,
// and answered with a copy, its ID and TTLs patched.
//
// Anything unusual (several questions, an EDNS option we do not expect, a
// small EDNS buffer, another opcode, a compressed question) takes the full path:
// the fast path only ever answers with the records the full path would. (Its
// bytes may differ in one way: names that point to the question take the
// client's spelling, where the full path writes a name spelled otherwise out.)
#pragma once

#include "cache.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace dns {

// What the fast path needs of a query it may answer.
struct PlainQuery {
    std::string cache_key;   // the question, lowercased, and the kind of response
    size_t question_end = 0; // the question is bytes 12 to this
};

// The query in `request`, if it is plain enough for the fast path: QR=0,
// opcode QUERY, one question of class IN with an uncompressed name, no other
// record but an OPT of version 0 offering at least our UDP size.
std::optional<PlainQuery> read_plain_query(std::span<const uint8_t> request);

// The response to `request` from the cache, written into `out`; its size, or 0
// if the fast path cannot answer it.
size_t answer_from_cache(Cache& cache, std::span<const uint8_t> request, std::span<uint8_t> out,
                         Cache::Clock::time_point now = Cache::Clock::now());

// Keeps the response the full path built for `request`, if a later query may
// reuse it: a plain query, answered over UDP with records and without TC=1.
void remember_response(Cache& cache, std::span<const uint8_t> request,
                       std::span<const uint8_t> response,
                       Cache::Clock::time_point now = Cache::Clock::now());

} // namespace dns
