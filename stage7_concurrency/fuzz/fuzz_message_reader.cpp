// libFuzzer target: the message reader on any bytes at all.
//
// libFuzzer calls this function millions of times with inputs it mutates from
// the seed corpus (the captured messages of ../shared/corpus), keeping those
// that reach new code. Built with AddressSanitizer and UBSan, any read out of
// bounds, overflow or other undefined behaviour stops it with a report. The
// reader may reject an input (ParseError); it may not do anything else.

#include "../dig_format.hpp"
#include "../edns.hpp"
#include "../message.hpp"
#include "../outgoing_messages.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const dns::Message message = dns::parse_message(std::span(data, size));
        // What was read must also print, and its EDNS be judged, without trouble.
        const std::string text = dns::format_like_dig(message);
        try {
            dns::find_edns(message);
        } catch (const dns::EdnsError&) {
        }
        // What was read must write and read back to the same records (stage 6:
        // every type is written field by field, its names compressed).
        try {
            const dns::Message again = dns::parse_message(dns::build_message(message));
            if (dns::format_like_dig(again) != text)
                std::abort();
        } catch (const dns::MessageTooLarge&) {
            // Names written in full where they were pointers may not fit again.
        }
    } catch (const dns::ParseError&) {
    }
    return 0;
}
