// The few pieces of the DNS wire format (RFC 1035 section 4.1) that the replay
// needs: the first question of a message, the rcode of a response, and the
// small messages it sends itself. Corpus messages may be malformed on purpose,
// so every read is bounds-checked and gives nothing rather than a guess.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace dns::replay {

constexpr size_t header_size = 12;
constexpr uint16_t type_a = 1;
constexpr uint16_t type_txt = 16;
constexpr uint16_t class_in = 1;
constexpr uint16_t class_ch = 3; // CHAOS: the class of version.bind (server metadata)
constexpr uint16_t rcode_noerror = 0;
constexpr uint16_t rcode_nxdomain = 3;

struct WireQuestion {
    std::vector<uint8_t> name; // uncompressed, e.g. 3 w w w 7 e x a m p l e 3 c o m 0
    uint16_t type = 0;
    uint16_t klass = 0;
    size_t end = 0; // the offset just past this question in the message it came from
};

// The message's first question, or nothing if it has none that can be read.
std::optional<WireQuestion> first_question(std::span<const uint8_t> message);

// Same name (letters compared without case, RFC 4343), type and class.
bool same_question(const WireQuestion& a, const WireQuestion& b);

// The ID, the first two bytes. The message must have them.
uint16_t message_id(std::span<const uint8_t> message);
// A copy of `message` with its ID replaced (a message shorter than an ID is copied as it is).
std::vector<uint8_t> with_id(std::span<const uint8_t> message, uint16_t id);

// The rcode of a response: the header's 4 bits, and the 8 more of an OPT record
// if it has one (EDNS, RFC 6891 section 6.1.3). Nothing if the header is cut short.
std::optional<uint16_t> response_rcode(std::span<const uint8_t> message);
std::string rcode_name(uint16_t rcode);

// A client's query, recursion desired, without EDNS.
std::vector<uint8_t> make_query(uint16_t id, const WireQuestion& question);
// The reply REFUSED to `query` (whose first question is `question`): same ID
// and question, no records.
std::vector<uint8_t> make_refusal(std::span<const uint8_t> query, const WireQuestion& question);

} // namespace dns::replay
