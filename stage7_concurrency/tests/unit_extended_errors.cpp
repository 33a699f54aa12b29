// Extended DNS Errors (extended_errors.hpp): the option's bytes, the extra
// text made safe, and the reasons that reach a client's SERVFAIL and REFUSED.

#include "../event_loop.hpp"
#include "../extended_errors.hpp"
#include "../message_writer.hpp"
#include "../request_handler.hpp"
#include "../worker.hpp"

#include <doctest/doctest.h>
#include <sstream>

using namespace dns;

namespace {

// A query for www.example.lab A, with an OPT record (payload 1232) if `with_edns`.
std::vector<uint8_t> query(bool with_edns, uint16_t klass = class_in) {
    MessageWriter writer(512);
    for (const uint16_t field : {0x1234, 0x0100, 1, 0, 0, with_edns ? 1 : 0})
        writer.write_u16(static_cast<uint16_t>(field));
    writer.write_name(DnsName::from_text("www.example.lab"));
    writer.write_u16(type_a);
    writer.write_u16(klass);
    if (with_edns)
        writer.write_bytes(std::vector<uint8_t>{0, 0, 41, 4, 208, 0, 0, 0, 0, 0, 0});
    return writer.bytes();
}

// The EDE options of a response's OPT record; none if it has no OPT record.
std::vector<ExtendedError> errors_in(std::span<const uint8_t> response) {
    const Message message = parse_message(response);
    for (const auto& record : message.additionals)
        if (record.type == type_opt)
            return read_extended_errors(record.rdata);
    return {};
}

// The response of a handler whose lookup ends in `resolution`.
std::vector<uint8_t> handled(const std::vector<uint8_t>& request, Resolution resolution) {
    std::ostringstream log;
    RequestHandler handler([&](const Question&) -> Task<Resolution> { co_return resolution; }, log);
    EventLoop loop;
    auto bytes = run_to_completion(loop, handler.handle(request, Transport::udp, "a test"));
    REQUIRE(bytes);
    return *bytes;
}

} // namespace

TEST_CASE("the option is code 15: INFO-CODE, then EXTRA-TEXT (RFC 8914 section 2)") {
    ResourceRecord opt;
    add_extended_error(opt, {ede::no_reachable_authority, "dead"});
    CHECK(opt.rdata == std::vector<uint8_t>{0, 15, 0, 6, 0, 22, 'd', 'e', 'a', 'd'});
    const auto read = read_extended_errors(opt.rdata);
    REQUIRE(read.size() == 1);
    CHECK(read[0] == ExtendedError{ede::no_reachable_authority, "dead"});
}

TEST_CASE("the extra text never carries a byte unescaped, and is bounded") {
    CHECK(extra_text("refused: 192.0.2.7 is outside") == "refused: 192.0.2.7 is outside");
    CHECK(extra_text(std::string("a\nb\x1b[31m\\\xff", 10)) == "a\\010b\\027[31m\\092\\255");
    const std::string long_text(1000, 'x');
    const std::string cut = extra_text(long_text);
    CHECK(cut.size() <= max_extra_text);
    CHECK(cut.ends_with("..."));
    // An escape is never cut in half.
    const std::string escapes = extra_text(std::string(300, '\x01'));
    CHECK(escapes.size() <= max_extra_text);
    CHECK(escapes.substr(escapes.size() - 7) == "\\001...");
}

TEST_CASE("a failure's reason names its code: no reachable authority, or other") {
    CHECK(extended_error_for_failure("no server of dead.lab. gave a usable reply").code ==
          ede::no_reachable_authority);
    CHECK(extended_error_for_failure("tried 8 servers of x. without success").code ==
          ede::no_reachable_authority);
    CHECK(extended_error_for_failure("a CNAME loop: a. is an alias").code == ede::other);
}

TEST_CASE("a SERVFAIL tells a client with EDNS why, and a client without EDNS nothing more") {
    Resolution failed;
    failed.extended_error =
        ExtendedError{ede::no_reachable_authority, "no server of dead.lab. gave a usable reply"};
    const auto with_edns = handled(query(true), failed);
    CHECK((with_edns[3] & 0x0f) == rcode_servfail);
    const auto errors = errors_in(with_edns);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0] == *failed.extended_error);
    const auto without = handled(query(false), failed);
    CHECK((without[3] & 0x0f) == rcode_servfail);
    CHECK(parse_message(without).additionals.empty());
    // A SERVFAIL without a reason still says it failed.
    const auto bare = errors_in(handled(query(true), Resolution{}));
    REQUIRE(bare.size() == 1);
    CHECK(bare[0].code == ede::other);
    // An answer has none.
    CHECK(errors_in(handled(query(true), Resolution{rcode_noerror, {}, {}, 0})).empty());
    // A class not served: REFUSED, Not Supported.
    const auto chaos = errors_in(handled(query(true, 3), Resolution{}));
    REQUIRE(chaos.size() == 1);
    CHECK(chaos[0].code == ede::not_supported);
}

TEST_CASE("a refusal written from the header alone gains an OPT record with the EDE") {
    const ExtendedError reason{ede::prohibited, "refused: 192.0.2.7 is outside the access list"};
    const auto plain = error_response(query(true), rcode_refused);
    REQUIRE(plain);
    const auto refused = with_extended_error(*plain, query(true), reason);
    const Message message = parse_message(refused);
    CHECK(message.header.rcode == rcode_refused);
    CHECK(message.header.id == 0x1234);
    REQUIRE(message.additionals.size() == 1);
    CHECK(read_extended_errors(message.additionals[0].rdata) == std::vector{reason});
    // Without EDNS in the query, or with a query that cannot be read: unchanged.
    const auto no_edns = *error_response(query(false), rcode_refused);
    CHECK(with_extended_error(no_edns, query(false), reason) == no_edns);
    auto garbage = query(true);
    garbage.resize(20);
    CHECK(with_extended_error(*plain, garbage, reason) == *plain);
}
