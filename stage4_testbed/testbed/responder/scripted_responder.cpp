// scripted_responder: plays authoritative DNS servers that misbehave on purpose.
//
//   scripted_responder --port PORT ADDRESS=BEHAVIOUR [ADDRESS=BEHAVIOUR ...]
//
// Real server software (Knot in the test bed) always answers correctly, so it
// cannot show how a resolver copes with a server that is silent, slow, lame,
// confused or hostile. This program can: it binds one UDP socket per ADDRESS
// (all on PORT), serves them all from one poll() loop, and answers each query
// the way that address's BEHAVIOUR says (see enum Kind below). It runs
// until SIGTERM or SIGINT, then exits 0. It logs one line per query to stdout.
// It never answers over TCP: a resolver's TCP connection is refused.
//
// A "good answer" is what an authoritative server for every name would send:
// the query's ID and question, QR=1, AA=1, RD copied, NOERROR, and for a
// question of type A (class IN) one record: the name asked, TTL 300, 192.0.2.53.
// Other types get NOERROR without records. 192.0.2.53 is never used by the test
// bed's real zones, so an answer with it always came from this program.

#include "common/file_descriptor.hpp"
#include "common/socket_address.hpp"
#include "common/udp_socket.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <map>
#include <poll.h>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/signalfd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using dns::SocketAddress;
using dns::UdpSocket;

constexpr size_t header_size = 12;      // RFC 1035 section 4.1.1
constexpr size_t max_name_length = 255; // octets, RFC 1035 section 2.3.4
constexpr uint16_t type_a = 1, type_aaaa = 28, class_in = 1;
constexpr uint8_t rcode_formerr = 1, rcode_servfail = 2, rcode_refused = 5;
constexpr size_t garbage_size = 40;
constexpr size_t max_pending_replies = 10000; // a flood must not eat all memory

// ---- Behaviours --------------------------------------------------------------

// What a server does with each query, and what it teaches a resolver.
enum class Kind {
    silent,         // never answers (down, or a firewall): time out, try the next server
    slow,           // a good answer, MS milliseconds late: wait long enough, but not forever
    lame,           // NOERROR, AA=0, RA=1, no records: a resolver that does not serve the zone
    nodata_noaa,    // NOERROR, AA=0, RA=0, no records, no SOA: a server of the zone, NODATA
    truncating,     // TC=1, no records: "too big for UDP", the answer must be asked over TCP
    wrong_address,  // a good answer from another address: a forger's reply, to be ignored
    wrong_id,       // a good answer with ID+1: does not belong to the query, to be ignored
    wrong_question, // a good answer to another question: to be ignored
    garbage,        // 40 random bytes: not a DNS message at all
    servfail,       // SERVFAIL: the server has a problem with the zone; ask another
    refused,        // REFUSED: it will not answer (often a lame delegation); ask another
    no_edns,        // FORMERR to a query with EDNS (a server from before RFC 6891), else good
    good            // a good answer: the control case
};

struct Behaviour {
    Kind kind = Kind::good;
    std::string text;                   // as written on the command line, for the log
    std::chrono::milliseconds delay{0}; // slow:MS
    std::string source;                 // wrong-address:ADDR
};

// "slow:300" -> {slow, 300 ms}. Throws std::invalid_argument for anything unknown.
Behaviour parse_behaviour(std::string_view text) {
    const auto colon = text.find(':');
    const std::string_view name = text.substr(0, colon);
    const std::string_view argument = colon == text.npos ? "" : text.substr(colon + 1);
    const bool has_argument = colon != text.npos;
    Behaviour behaviour{Kind::good, std::string(text), {}, {}};

    const std::map<std::string_view, Kind> plain = {{"silent", Kind::silent},
                                                    {"lame", Kind::lame},
                                                    {"nodata-noaa", Kind::nodata_noaa},
                                                    {"truncating", Kind::truncating},
                                                    {"wrong-id", Kind::wrong_id},
                                                    {"wrong-question", Kind::wrong_question},
                                                    {"garbage", Kind::garbage},
                                                    {"servfail", Kind::servfail},
                                                    {"refused", Kind::refused},
                                                    {"no-edns", Kind::no_edns},
                                                    {"good", Kind::good}};
    if (const auto found = plain.find(name); found != plain.end() && !has_argument) {
        behaviour.kind = found->second;
    } else if (name == "slow") {
        unsigned ms = 0;
        const auto [end, error] =
            std::from_chars(argument.data(), argument.data() + argument.size(), ms);
        if (argument.empty() || error != std::errc{} || end != argument.data() + argument.size() ||
            ms > 600000)
            throw std::invalid_argument("slow:MS needs a delay of 0 to 600000 milliseconds");
        behaviour.kind = Kind::slow;
        behaviour.delay = std::chrono::milliseconds(ms);
    } else if (name == "wrong-address" && !argument.empty()) {
        behaviour.kind = Kind::wrong_address;
        behaviour.source = std::string(argument);
    } else {
        throw std::invalid_argument("unknown behaviour '" + std::string(text) + "'");
    }
    return behaviour;
}

// ---- Reading a query ---------------------------------------------------------

// A datagram that is not a query this program can answer, and why.
class Unreadable : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Reads a datagram front to back; every byte read is checked against its end.
class Reader {
  public:
    explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
    uint8_t byte() {
        if (position_ >= bytes_.size())
            throw Unreadable("it ends too early");
        return bytes_[position_++];
    }
    uint16_t u16() { // network byte order: high byte first
        const uint16_t high = byte();
        return static_cast<uint16_t>(high << 8 | byte());
    }
    size_t position() const { return position_; }

  private:
    std::span<const uint8_t> bytes_;
    size_t position_ = 0;
};

struct Query {
    uint16_t id = 0;
    bool rd = false;               // "recursion desired": copied into the reply
    std::vector<uint8_t> question; // the question section as it arrived
    std::string name;              // the name asked, as text, for the log
    uint16_t type = 0;
    uint16_t klass = 0;
    bool has_additional = false; // an additional section: a query with EDNS has its OPT there
};

// Name as text: letters, digits, '-' and '_' as they are, anything else as \DDD.
std::string label_text(std::span<const uint8_t> label) {
    std::string text;
    for (const uint8_t c : label) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '*')
            text += static_cast<char>(c);
        else {
            char escaped[5];
            std::snprintf(escaped, sizeof escaped, "\\%03u", c); // as dig writes it
            text += escaped;
        }
    }
    return text + ".";
}

Query parse_query(std::span<const uint8_t> datagram) {
    Reader reader(datagram);
    Query query;
    query.id = reader.u16();
    const uint16_t flags = reader.u16();
    const uint16_t question_count = reader.u16();
    reader.u16(); // the answer and authority counts: not needed
    reader.u16();
    query.has_additional = reader.u16() != 0;
    // A server never answers a response: two servers could otherwise answer each
    // other's answers forever.
    if (flags & 0x8000)
        throw Unreadable("it is a response (QR=1), not a query");
    const unsigned opcode = (flags >> 11) & 0xF;
    if (opcode != 0)
        throw Unreadable("opcode " + std::to_string(opcode) +
                         ": only standard queries are answered");
    if (question_count != 1)
        throw Unreadable("QDCOUNT " + std::to_string(question_count) +
                         ": a query asks one question");
    query.rd = flags & 0x0100;

    // The name: labels, each a length byte and that many bytes, ending with the
    // empty label (length 0). Lengths of 64 and above are compression pointers or
    // reserved label types; a question has nothing earlier to point at.
    for (;;) {
        const uint8_t length = reader.byte();
        if (length == 0)
            break;
        if (length > 63)
            throw Unreadable("the question name has a pointer or a bad label length");
        const size_t start = reader.position();
        for (uint8_t i = 0; i < length; ++i)
            reader.byte();
        query.name += label_text(datagram.subspan(start, length));
        if (reader.position() - header_size >= max_name_length)
            throw Unreadable("the question name is longer than 255 bytes");
    }
    if (query.name.empty())
        query.name = ".";
    query.type = reader.u16();
    query.klass = reader.u16();
    // What follows (an EDNS OPT record, say) is not needed: it is ignored.
    const auto question = datagram.subspan(header_size, reader.position() - header_size);
    query.question.assign(question.begin(), question.end());
    return query;
}

std::string type_name(uint16_t type) {
    const std::map<uint16_t, std::string> names = {
        {1, "A"},   {2, "NS"},   {5, "CNAME"}, {6, "SOA"},  {12, "PTR"},
        {15, "MX"}, {16, "TXT"}, {28, "AAAA"}, {33, "SRV"}, {255, "ANY"}};
    const auto found = names.find(type);
    return found != names.end() ? found->second : "TYPE" + std::to_string(type); // RFC 3597
}

// ---- Building a reply --------------------------------------------------------

// How a reply differs from a good answer. C++20 designated initializers name the
// differences: build_reply(query, {.authoritative = false}).
struct Shape {
    bool authoritative = true; // AA: "I am a server of this zone, this is the truth"
    bool recursive = false;    // RA: "I offer recursion", which a zone's own server does not
    bool truncated = false;    // TC: "the answer did not fit, ask again over TCP"
    uint8_t rcode = 0;         // NOERROR
    bool records = true;       // the A record, if the question is IN A
    bool question = true;      // the question section, repeated
};

void put_u16(std::vector<uint8_t>& out, uint16_t value) {
    out.push_back(static_cast<uint8_t>(value >> 8));
    out.push_back(static_cast<uint8_t>(value & 0xFF));
}

std::vector<uint8_t> build_reply(const Query& query, const Shape& shape) {
    const bool with_address = shape.records && query.type == type_a && query.klass == class_in;
    std::vector<uint8_t> out;
    put_u16(out, query.id);
    // Flags (RFC 1035 section 4.1.1): QR=1, opcode 0, AA, TC, RD copied; RA as the shape says.
    out.push_back(static_cast<uint8_t>(0x80 | (shape.authoritative ? 0x04 : 0) |
                                       (shape.truncated ? 0x02 : 0) | (query.rd ? 0x01 : 0)));
    out.push_back(static_cast<uint8_t>((shape.recursive ? 0x80 : 0) | shape.rcode));
    put_u16(out, shape.question ? 1 : 0); // QDCOUNT: the question, repeated
    put_u16(out, with_address ? 1 : 0);   // ANCOUNT
    put_u16(out, 0);                      // NSCOUNT
    put_u16(out, 0);                      // ARCOUNT
    if (shape.question)
        out.insert(out.end(), query.question.begin(), query.question.end());
    if (with_address) {
        // The owner name is a compression pointer (RFC 1035 section 4.1.4): the two
        // top bits set, then offset 12, where the question's name starts.
        out.insert(out.end(), {0xC0, 0x0C});
        put_u16(out, type_a);
        put_u16(out, class_in);
        out.insert(out.end(), {0, 0, 0x01, 0x2C}); // TTL 300 seconds
        put_u16(out, 4);                           // RDLENGTH: an IPv4 address
        out.insert(out.end(), {192, 0, 2, 53});
    }
    return out;
}

// The same query with another question: "x." in front of the name, or, if the
// name is too long for that, type AAAA instead of A (or A instead of anything else).
Query another_question(Query query) {
    if (query.question.size() - 4 + 2 <= max_name_length) {
        query.question.insert(query.question.begin(), {1, 'x'});
        query.name = "x." + (query.name == "." ? "" : query.name);
    } else {
        query.type = query.type == type_a ? type_aaaa : type_a;
        const size_t type_at = query.question.size() - 4;
        query.question.at(type_at) = static_cast<uint8_t>(query.type >> 8);
        query.question.at(type_at + 1) = static_cast<uint8_t>(query.type & 0xFF);
    }
    return query;
}

// ---- The server --------------------------------------------------------------

struct Server {
    std::string address; // as given, e.g. "127.53.20.1"
    Behaviour behaviour;
    size_t reply_socket; // index into sockets: where replies leave from
};

// A reply waiting for its time (all replies pass through here; most are due at once).
struct Pending {
    size_t socket;
    SocketAddress destination;
    std::vector<uint8_t> datagram;
};

class Responder {
  public:
    Responder(uint16_t port, const std::vector<std::pair<std::string, Behaviour>>& table);
    void run(int signal_fd);

  private:
    void handle(size_t server_index);
    void send_due_replies();

    std::vector<UdpSocket> sockets_; // one per server (same index), then send-only ones
    std::vector<Server> servers_;
    std::multimap<Clock::time_point, Pending> pending_; // ordered by due time
    std::mt19937 random_{53};                           // fixed seed: the same garbage every run
    std::vector<uint8_t> buffer_ = std::vector<uint8_t>(UdpSocket::max_datagram_size);
};

Responder::Responder(uint16_t port, const std::vector<std::pair<std::string, Behaviour>>& table) {
    for (const auto& [address, behaviour] : table) {
        sockets_.push_back(UdpSocket::bind(SocketAddress::from_ip(address, port)));
        servers_.push_back({address, behaviour, sockets_.size() - 1});
    }
    // wrong-address replies leave from another address. That socket is bound on
    // PORT too: only the address is wrong, so a resolver that checks just the
    // port is caught. If the address is one of the table's, its socket is shared;
    // otherwise it is a send-only socket whose queries are never read.
    for (Server& server : servers_) {
        if (server.behaviour.kind != Kind::wrong_address)
            continue;
        const auto source = SocketAddress::from_ip(server.behaviour.source, port);
        server.reply_socket = sockets_.size();
        for (size_t i = 0; i < sockets_.size(); ++i)
            if (sockets_[i].local_address() == source)
                server.reply_socket = i;
        if (server.reply_socket == sockets_.size())
            sockets_.push_back(UdpSocket::bind(source));
    }
    for (const Server& server : servers_)
        std::cout << "scripted responder: " << server.address << " " << server.behaviour.text
                  << std::endl;
    std::cout << "scripted responder: ready on port " << port << std::endl;
}

void Responder::handle(size_t server_index) {
    const Server& server = servers_[server_index];
    const std::string who = server.address + " " + server.behaviour.text + ": ";
    const auto received = sockets_[server_index].receive(buffer_);
    const auto datagram = std::span<const uint8_t>(buffer_).first(received.size);
    Query query;
    try {
        query = parse_query(datagram);
    } catch (const Unreadable& why) {
        std::cout << who << "ignored " << received.size << " bytes from "
                  << received.sender.to_string() << ": " << why.what() << std::endl;
        return;
    }
    std::cout << who << "query ID " << query.id << " for " << query.name << " "
              << type_name(query.type) << " -> ";

    const bool asks_address = query.type == type_a && query.klass == class_in;
    const std::string good = asks_address ? "answer 192.0.2.53" : "NOERROR, no records";
    Pending reply{server_index, received.sender, {}};
    auto due = Clock::now();
    switch (server.behaviour.kind) {
    case Kind::silent:
        std::cout << "no reply" << std::endl;
        return;
    case Kind::slow:
        reply.datagram = build_reply(query, {});
        due += server.behaviour.delay;
        std::cout << good << ", sent in " << server.behaviour.delay.count() << " ms";
        break;
    case Kind::lame: // a resolver named as a server of a zone it does not serve
        reply.datagram =
            build_reply(query, {.authoritative = false, .recursive = true, .records = false});
        std::cout << "NOERROR, AA=0, RA=1, no records";
        break;
    case Kind::nodata_noaa: // a server of the zone that leaves AA clear: "nothing of that type"
        reply.datagram = build_reply(query, {.authoritative = false, .records = false});
        std::cout << "NOERROR, AA=0, RA=0, no records";
        break;
    case Kind::truncating: // "too big for UDP": the client should retry over TCP
        reply.datagram = build_reply(query, {.truncated = true, .records = false});
        std::cout << "TC=1, no records";
        break;
    case Kind::wrong_address:
        reply.datagram = build_reply(query, {});
        reply.socket = server.reply_socket;
        std::cout << good << ", sent from " << server.behaviour.source;
        break;
    case Kind::wrong_id: { // the ID is what ties a reply to its query (16 bits, RFC 5452)
        Query other = query;
        other.id = static_cast<uint16_t>(query.id + 1);
        reply.datagram = build_reply(other, {});
        std::cout << good << " with ID " << other.id;
        break;
    }
    case Kind::wrong_question: {
        const Query other = another_question(query);
        reply.datagram = build_reply(other, {});
        std::cout << "good answer to " << other.name << " " << type_name(other.type);
        break;
    }
    case Kind::garbage:
        for (size_t i = 0; i < garbage_size; ++i)
            reply.datagram.push_back(static_cast<uint8_t>(random_() & 0xFF));
        std::cout << garbage_size << " random bytes";
        break;
    case Kind::servfail: // "I should know, but something is broken": not authoritative
        reply.datagram =
            build_reply(query, {.authoritative = false, .rcode = rcode_servfail, .records = false});
        std::cout << "SERVFAIL";
        break;
    case Kind::refused: // "I will not answer this (for you)": typical of a lame server
        reply.datagram =
            build_reply(query, {.authoritative = false, .rcode = rcode_refused, .records = false});
        std::cout << "REFUSED";
        break;
    case Kind::no_edns: // it cannot read the OPT record, so the whole query is "malformed"
        if (query.has_additional) {
            reply.datagram = build_reply(
                query, {.authoritative = false,
                        .rcode = rcode_formerr,
                        .records = false,
                        .question = false}); // as old servers do: nothing but the header
            std::cout << "FORMERR without the question (the query has EDNS)";
        } else {
            reply.datagram = build_reply(query, {});
            std::cout << good;
        }
        break;
    case Kind::good:
        reply.datagram = build_reply(query, {});
        std::cout << good;
        break;
    }
    if (pending_.size() >= max_pending_replies) {
        std::cout << " (dropped: " << pending_.size() << " replies already wait)" << std::endl;
        return;
    }
    std::cout << std::endl;
    pending_.emplace(due, std::move(reply));
}

void Responder::send_due_replies() {
    while (!pending_.empty() && pending_.begin()->first <= Clock::now()) {
        const Pending& reply = pending_.begin()->second;
        try {
            sockets_[reply.socket].send_to(reply.datagram, reply.destination);
        } catch (const dns::SocketError& error) {
            std::cout << "scripted responder: " << error.what() << std::endl;
        }
        pending_.erase(pending_.begin());
    }
}

void Responder::run(int signal_fd) {
    // poll() watches the signal descriptor and every server's socket (not the
    // send-only ones); it waits until one is readable or the next reply is due.
    std::vector<pollfd> watched = {{signal_fd, POLLIN, 0}};
    for (size_t i = 0; i < servers_.size(); ++i)
        watched.push_back({sockets_[i].native_handle(), POLLIN, 0});
    for (;;) {
        send_due_replies();
        int timeout_ms = -1; // nothing pending: wait for a query, however long
        if (!pending_.empty()) {
            const auto wait = pending_.begin()->first - Clock::now();
            timeout_ms = std::max(
                0, static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(wait).count()));
        }
        if (::poll(watched.data(), watched.size(), timeout_ms) < 0) {
            if (errno == EINTR) // interrupted (e.g. SIGSTOP, SIGCONT): just look again
                continue;
            throw dns::SocketError("poll failed", errno);
        }
        if (watched[0].revents & POLLIN)
            return; // SIGTERM or SIGINT
        for (size_t i = 0; i < servers_.size(); ++i) {
            if (!(watched[i + 1].revents & POLLIN))
                continue;
            try {
                handle(i);
            } catch (const dns::SocketError& error) {
                std::cout << "scripted responder: " << error.what() << std::endl;
            }
        }
    }
}

int usage(const std::string& problem) {
    std::cerr << "scripted_responder: " << problem << "\n"
              << "usage: scripted_responder --port PORT ADDRESS=BEHAVIOUR [ADDRESS=BEHAVIOUR ...]\n"
              << "behaviours: silent slow:MS lame truncating wrong-address:ADDR wrong-id\n"
              << "            wrong-question garbage servfail refused good\n";
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() < 3 || args[0] != "--port")
        return usage("expected --port PORT and at least one ADDRESS=BEHAVIOUR");
    unsigned port = 0;
    const auto [end, error] =
        std::from_chars(args[1].data(), args[1].data() + args[1].size(), port);
    if (error != std::errc{} || end != args[1].data() + args[1].size() || port < 1 || port > 65535)
        return usage("the port must be a number from 1 to 65535");

    std::vector<std::pair<std::string, Behaviour>> table;
    for (size_t i = 2; i < args.size(); ++i) {
        const auto equals = args[i].find('=');
        if (equals == std::string::npos)
            return usage("'" + args[i] + "' is not ADDRESS=BEHAVIOUR");
        for (const auto& [address, behaviour] : table)
            if (address == args[i].substr(0, equals))
                return usage("address " + address + " is given twice");
        try {
            table.emplace_back(args[i].substr(0, equals),
                               parse_behaviour(args[i].substr(equals + 1)));
        } catch (const std::invalid_argument& problem) {
            return usage(problem.what());
        }
    }

    // SIGTERM and SIGINT are blocked and read from a descriptor that poll() watches,
    // so the loop notices them at once and ends the normal way: every socket is
    // closed by its destructor, and the exit status is 0.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    sigprocmask(SIG_BLOCK, &stop_signals, nullptr);
    const dns::FileDescriptor signal_fd(::signalfd(-1, &stop_signals, SFD_CLOEXEC));
    if (!signal_fd.is_open()) {
        std::cerr << "scripted_responder: signalfd failed\n";
        return 1;
    }

    try {
        Responder responder(static_cast<uint16_t>(port), table);
        responder.run(signal_fd.get());
    } catch (const dns::AddressError& problem) {
        return usage(problem.what());
    } catch (const dns::SocketError& problem) {
        std::cerr << "scripted_responder: " << problem.what() << "\n"
                  << dns::advice_for_bind_error(problem.error_number()) << "\n";
        return 1;
    }
    std::cout << "scripted responder: stopped" << std::endl;
    return 0;
}
