#include "outgoing_messages.hpp"

#include "edns.hpp"
#include "record_types.hpp"

namespace dns {

namespace {

// Where ANCOUNT is in the header: after ID, flags and QDCOUNT.
constexpr size_t ancount_offset = 6;
constexpr size_t nscount_offset = 8;
constexpr size_t arcount_offset = 10;
constexpr size_t flags_offset = 2;

// Names are compressed wherever RFC 1035 section 4.1.4 allows: the question's
// name, every record's owner, and the names inside the RDATA of the types of
// RFC 1035 (RFC 3597 section 4).
void write_question(MessageWriter& writer, const Question& question) {
    writer.write_compressed_name(question.name);
    writer.write_u16(question.type);
    writer.write_u16(question.klass);
}

void write_record(MessageWriter& writer, const ResourceRecord& record) {
    writer.write_compressed_name(record.name);
    writer.write_u16(record.type);
    writer.write_u16(record.klass);
    writer.write_u32(record.ttl);
    // RDLENGTH is known only once the RDATA is written, compressed.
    const size_t length_offset = writer.size();
    writer.write_u16(0);
    write_rdata(writer, record.type, record.rdata);
    writer.patch_u16(length_offset, static_cast<uint16_t>(writer.size() - length_offset - 2));
}

// Writes `records` into a section for as long as they fit. The first that does
// not is rolled back, and the rest left out, and TC tells the client that the
// response is incomplete (RFC 1035 section 4.1.1, RFC 2181 section 9).
// Returns how many were written. `flags`: the response's flags, without TC.
uint16_t write_records_that_fit(MessageWriter& writer, const std::vector<ResourceRecord>& records,
                                uint16_t flags) {
    uint16_t written = 0;
    for (const ResourceRecord& record : records) {
        const size_t before = writer.mark();
        try {
            write_record(writer, record);
            ++written;
        } catch (const MessageTooLarge&) {
            writer.rollback_to(before);
            writer.patch_u16(flags_offset, flags | header_flags::tc);
            break;
        }
    }
    return written;
}

} // namespace

std::vector<uint8_t> build_message(const Message& message) {
    MessageWriter writer(max_tcp_message_size);
    const Header& header = message.header;
    writer.write_u16(header.id);
    writer.write_u16(static_cast<uint16_t>(header.qr << 15 | (header.opcode & 0xF) << 11 |
                                           header.aa << 10 | header.tc << 9 | header.rd << 8 |
                                           header.ra << 7 | header.z << 6 | header.ad << 5 |
                                           header.cd << 4 | (header.rcode & 0xF)));
    writer.write_u16(static_cast<uint16_t>(message.questions.size()));
    writer.write_u16(static_cast<uint16_t>(message.answers.size()));
    writer.write_u16(static_cast<uint16_t>(message.authorities.size()));
    writer.write_u16(static_cast<uint16_t>(message.additionals.size()));
    for (const Question& question : message.questions)
        write_question(writer, question);
    for (const auto* section : {&message.answers, &message.authorities, &message.additionals})
        for (const ResourceRecord& record : *section)
            write_record(writer, record);
    return writer.bytes();
}

std::vector<uint8_t> build_query(uint16_t id, const Question& question, bool with_edns,
                                 bool recursion_desired, bool dnssec_ok) {
    MessageWriter writer(max_udp_message_size);
    writer.write_u16(id);
    writer.write_u16(recursion_desired ? header_flags::rd
                                       : 0); // a standard query, RD=0 but to a forwarder
    writer.write_u16(1);                     // one question
    writer.write_u16(0);
    writer.write_u16(0);
    writer.write_u16(with_edns ? 1 : 0);
    write_question(writer, question);
    if (with_edns)
        write_record(writer, make_opt_record(0, dnssec_ok));
    return std::move(writer).take_bytes();
}

std::vector<uint8_t> build_response(const Message& query, uint16_t rcode,
                                    const std::vector<ResourceRecord>& answers, size_t max_size,
                                    const std::optional<ResourceRecord>& opt,
                                    const std::vector<ResourceRecord>& authorities) {
    MessageWriter writer(max_size);
    uint16_t flags = header_flags::qr | header_flags::ra |
                     static_cast<uint16_t>(query.header.opcode << 11) |
                     (rcode & header_flags::rcode);
    if (query.header.rd)
        flags |= header_flags::rd;
    // CD, "checking disabled", is copied from the query (RFC 4035 section
    // 3.2.2): the client says it validates for itself.
    if (query.header.cd)
        flags |= header_flags::cd;
    writer.write_u16(query.header.id);
    writer.write_u16(flags);
    writer.write_u16(static_cast<uint16_t>(query.questions.size()));
    writer.write_u16(0); // ANCOUNT, counted below
    writer.write_u16(0);
    writer.write_u16(0);
    for (const Question& question : query.questions)
        write_question(writer, question);

    // Keep room for the OPT record: a client that sent EDNS gets it back even in
    // a truncated response (RFC 6891 section 7).
    const size_t opt_size = opt ? 1 + 10 + opt->rdata.size() : 0;
    writer.set_max_size(max_size - opt_size);
    const uint16_t written = write_records_that_fit(writer, answers, flags);
    writer.patch_u16(ancount_offset, written);
    // The SOA of a negative answer, only if every answer record fitted.
    const uint16_t authorities_written =
        written == answers.size() ? write_records_that_fit(writer, authorities, flags) : 0;
    writer.patch_u16(nscount_offset, authorities_written);
    writer.set_max_size(max_size);
    if (opt) {
        write_record(writer, *opt);
        writer.patch_u16(arcount_offset, 1);
    }
    return std::move(writer).take_bytes();
}

} // namespace dns
