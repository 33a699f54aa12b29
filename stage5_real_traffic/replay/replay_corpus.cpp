// replay_corpus: plays every message of the corpus (../shared/corpus, or
// CORPUS_DIR) to a resolver and tells what the resolver made of each one.
//
//   --mode query   each message arrives as a client's query
//   --mode reply   each message arrives as the root server's reply to the resolver
//
// The outcomes (answered, errored, ignored, crashed, hung) are explained in README.md.

#include "common/hex_dump.hpp"
#include "common/tcp_socket.hpp"
#include "common/testing/child_process.hpp"
#include "common/testing/corpus.hpp"
#include "common/udp_socket.hpp"
#include "wire.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <net/if.h>
#include <numeric>
#include <poll.h>
#include <sched.h>
#include <sstream>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <thread>

using namespace dns;
using namespace dns::replay;
using namespace std::chrono_literals;
using testing::CorpusEntry;
using Clock = std::chrono::steady_clock;

namespace {

// The largest UDP payload over IPv4: 65,535 bytes less the IP and UDP headers.
constexpr size_t max_udp_payload = 65507;
// How long the resolver has for the message and the probe after it: more than
// its own deadline for one lookup (4 s).
constexpr auto hang_timeout = 6s;
// How long an unanswered message may still get a late response after the probe
// got its own (a resolver that serves several queries at once may reorder them).
constexpr auto late_answer_grace = 50ms;

class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};
// The replay cannot start: no corpus, no namespace, a resolver that does not start.
class SetupError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Options {
    std::string resolver, mode, root_hints, report;
    std::optional<uint16_t> upstream_port;
    size_t limit = SIZE_MAX;
};

const char* const usage = "usage: replay_corpus --resolver BIN --mode query|reply\n"
                          "           [--root-hints FILE --upstream-port PORT] [--limit N] "
                          "[--report FILE]\n";

Options parse_options(std::span<char*> arguments) {
    Options options;
    if (arguments.size() % 2 == 0)
        throw UsageError("every option takes a value");
    for (size_t i = 1; i < arguments.size(); i += 2) {
        const std::string name = arguments[i], value = arguments[i + 1];
        const auto number = [&](unsigned long max) {
            if (value.empty() || value.size() > 9 ||
                value.find_first_not_of("0123456789") != std::string::npos || stoul(value) > max)
                throw UsageError(name + " needs a number up to " + std::to_string(max));
            return stoul(value);
        };
        if (name == "--resolver")
            options.resolver = value;
        else if (name == "--mode")
            options.mode = value;
        else if (name == "--root-hints")
            options.root_hints = value;
        else if (name == "--upstream-port")
            options.upstream_port = static_cast<uint16_t>(number(65535));
        else if (name == "--limit")
            options.limit = number(999'999'999);
        else if (name == "--report")
            options.report = value;
        else
            throw UsageError("unknown option " + name);
    }
    if (options.resolver.empty() || (options.mode != "query" && options.mode != "reply"))
        throw UsageError("--resolver and --mode query|reply are needed");
    // Without root hints the resolver would start from the real root servers.
    if (options.mode == "query" && (options.root_hints.empty() || !options.upstream_port))
        throw UsageError("--mode query needs --root-hints and --upstream-port (a test bed)");
    if (options.mode == "reply" && !options.root_hints.empty())
        throw UsageError("--mode reply plays the root itself: leave out --root-hints");
    return options;
}

// In reply mode the corpus, not a test bed, tells the resolver where to go next:
// a captured referral names real servers (a.gtld-servers.net at 192.5.6.30, ...)
// and the resolver would query them. So the replay moves itself, and the resolver
// it starts, into a network namespace of their own, whose only interface is a
// loopback: there, any address outside 127.0.0.0/8 is unreachable.
void isolate_network() {
    // Root may make a network namespace; an ordinary user inside a user namespace.
    if (::unshare(CLONE_NEWNET) != 0 && ::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0)
        throw SetupError(std::string("cannot make a network namespace: ") + std::strerror(errno));
    // Its loopback starts down: bring it up, as `ip link set lo up` does.
    const FileDescriptor control(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    ifreq request{};
    std::strcpy(request.ifr_name, "lo");
    if (::ioctl(control.get(), SIOCGIFFLAGS, &request) != 0)
        throw SetupError(std::string("cannot find lo: ") + std::strerror(errno));
    request.ifr_flags |= IFF_UP;
    if (::ioctl(control.get(), SIOCSIFFLAGS, &request) != 0)
        throw SetupError(std::string("cannot bring up lo: ") + std::strerror(errno));
}

// The fake root's hints, in memory: the resolver (which inherits the file
// descriptor) reads them as /dev/fd/N, and no file is left behind.
FileDescriptor root_hints_in_memory(const std::string& text) {
    FileDescriptor hints(::memfd_create("root.hints", 0));
    if (!hints.is_open() || ::write(hints.get(), text.data(), text.size()) != ssize_t(text.size()))
        throw SetupError(std::string("cannot write the root hints: ") + std::strerror(errno));
    return hints;
}

// The resolver under test, started and restarted with the same command line.
class ResolverProcess {
  public:
    explicit ResolverProcess(std::vector<std::string> argv) : argv_(std::move(argv)) { start(); }
    const SocketAddress& address() const { return address_; }

    // How it ended ("killed by signal 11 (Segmentation fault)"), nothing while it runs.
    std::optional<std::string> exit_description() const {
        // WNOWAIT only looks: ChildProcess reaps it later, but keeps no signal number.
        siginfo_t info{};
        const auto pid = static_cast<id_t>(process_->pid());
        if (::waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0)
            return std::nullopt;
        if (info.si_code == CLD_EXITED)
            return "exited with status " + std::to_string(info.si_status);
        return "killed by signal " + std::to_string(info.si_status) + " (" +
               ::strsignal(info.si_status) + ")";
    }
    // Once it has ended: the last lines it printed; then starts it again.
    std::vector<std::string> restart_after_exit(size_t last_lines) {
        process_->wait_for_exit(1s); // reaps it and reads what is left in the pipe
        std::vector<std::string> lines;
        std::istringstream output(process_->output());
        for (std::string line; std::getline(output, line);)
            lines.push_back(line);
        lines.erase(lines.begin(), lines.end() - std::min(last_lines, lines.size()));
        start();
        return lines;
    }
    void restart() { start(); }

  private:
    void start() {
        process_.reset(); // stops the one before, if any
        process_.emplace(argv_);
        const std::string announcement = "Bound to ";
        if (!process_->wait_for_output(announcement, 10s) ||
            !process_->wait_for_output("\n", 2s, process_->output().find(announcement)))
            throw SetupError(argv_[0] + " did not say 'Bound to': " + process_->output());
        const std::string& output = process_->output();
        const size_t start = output.find(announcement) + announcement.size();
        address_ = SocketAddress::parse(output.substr(start, output.find('\n', start) - start));
    }
    std::vector<std::string> argv_;
    std::optional<testing::ChildProcess> process_;
    SocketAddress address_;
};

// a.root.replay. at 127.53.30.1, the only root server of the resolver in reply
// mode. To the question it expects, it replies with the corpus message and right
// after it with REFUSED: a resolver that rejects the message (another question,
// unreadable, ...) takes the refusal at once instead of waiting for its timeout.
// Any other question (the address of a name server, say) gets REFUSED alone.
class FakeRoot {
  public:
    explicit FakeRoot(std::optional<uint16_t> port)
        : udp_(UdpSocket::bind(SocketAddress::from_ip("127.53.30.1", port.value_or(0)))),
          // The namespace is new and empty: a port free for UDP is free for TCP too.
          tcp_(TcpListener::bind(udp_.local_address())) {}

    uint16_t port() const { return udp_.local_address().port(); }
    std::vector<pollfd> sockets() const {
        return {{udp_.native_handle(), POLLIN, 0}, {tcp_.native_handle(), POLLIN, 0}};
    }
    void expect(std::span<const uint8_t> reply, const WireQuestion& question) {
        reply_.assign(reply.begin(), reply.end());
        question_ = question;
        udp_queries_ = tcp_queries_ = 0;
    }
    std::string queries_seen() const {
        return "root got " + std::to_string(udp_queries_) + " UDP + " +
               std::to_string(tcp_queries_) + " TCP queries; ";
    }

    void answer_udp_query() {
        const auto datagram = udp_.receive(buffer_, 0ms);
        const auto query = std::span<const uint8_t>(buffer_).first(datagram ? datagram->size : 0);
        const auto question = first_question(query);
        if (!question)
            return;
        ++udp_queries_;
        if (same_question(*question, question_))
            udp_.send_to(with_id(reply_, message_id(query)), datagram->sender);
        udp_.send_to(make_refusal(query, *question), datagram->sender);
    }

    // Over TCP (after TC=1) one message per connection, after its 2-byte length.
    void answer_tcp_query() {
        try {
            const auto connection = tcp_.accept(0ms);
            uint8_t length[2];
            if (!connection || !connection->receive_exactly(length, 1s))
                return;
            std::vector<uint8_t> query(static_cast<size_t>(length[0] << 8 | length[1]));
            const auto question =
                connection->receive_exactly(query, 1s) ? first_question(query) : std::nullopt;
            if (!question)
                return;
            ++tcp_queries_;
            auto reply = same_question(*question, question_) ? with_id(reply_, message_id(query))
                                                             : make_refusal(query, *question);
            reply.insert(reply.begin(), {static_cast<uint8_t>(reply.size() >> 8),
                                         static_cast<uint8_t>(reply.size())});
            connection->send_all(reply, 1s);
        } catch (const SocketError&) {
            // The resolver gave up on the connection: its business, not a replay error.
        }
    }

  private:
    UdpSocket udp_;
    TcpListener tcp_;
    std::vector<uint8_t> buffer_ = std::vector<uint8_t>(UdpSocket::max_datagram_size);
    std::vector<uint8_t> reply_;
    WireQuestion question_;
    int udp_queries_ = 0;
    int tcp_queries_ = 0;
};

enum class Outcome { answered, errored, ignored, crashed, hung, skipped };
constexpr std::array outcome_names{"answered", "errored", "ignored", "crashed", "hung", "skipped"};

struct Result {
    const CorpusEntry* entry = nullptr;
    Outcome outcome = Outcome::skipped;
    std::optional<uint16_t> rcode;
    std::string detail;
};

void take_response(Result& result, std::span<const uint8_t> response) {
    result.rcode = response_rcode(response);
    const bool served = result.rcode == rcode_noerror || result.rcode == rcode_nxdomain;
    result.outcome = served ? Outcome::answered : Outcome::errored;
    result.detail += std::to_string(response.size()) + "-byte response";
    if (response.size() >= header_size)
        result.detail += ", ANCOUNT " + std::to_string(response[6] << 8 | response[7]);
}

class Replayer {
  public:
    Replayer(ResolverProcess& resolver, FakeRoot* root) : resolver_(resolver), root_(root) {}

    // The probe, version.bind. CH TXT, needs no lookup: the resolver answers it
    // at once (REFUSED: it serves class IN only). As it handles datagrams one
    // after the other, once the probe is answered it is done with the message.
    bool probe_is_answered() {
        const auto probe = UdpSocket::bind(SocketAddress::from_ip("127.0.0.1", 0));
        probe.send_to(make_query(next_id_++, probe_question_), resolver_.address());
        return probe.receive(buffer_, 2s).has_value();
    }
    void replay(const CorpusEntry& entry);
    std::vector<Result> finish() {
        look_for_late_answers();
        return std::move(results_);
    }

  private:
    struct Exchange {
        std::optional<std::vector<uint8_t>> response;
        bool probe_answered = false;
    };
    Exchange exchange(const UdpSocket& client, const UdpSocket& probe);
    void look_for_late_answers();
    void report_failure(const Result& result, const std::string& what,
                        std::span<const uint8_t> message, const std::vector<std::string>& lines);

    // A message that got no response by the time the probe got one. Its socket
    // stays open, to be looked at once more after late_answer_grace: a hundred
    // at a time, so that the replay waits 50 ms per hundred, not per message.
    struct Unanswered {
        size_t result;
        size_t detail_kept; // the part of its detail that stays if a response comes
        UdpSocket client;
    };

    ResolverProcess& resolver_;
    FakeRoot* root_;
    const WireQuestion probe_question_{
        {7, 'v', 'e', 'r', 's', 'i', 'o', 'n', 4, 'b', 'i', 'n', 'd', 0}, type_txt, class_ch, 0};
    uint16_t next_id_ = 1;
    std::vector<uint8_t> buffer_ = std::vector<uint8_t>(UdpSocket::max_datagram_size);
    std::vector<Result> results_;
    std::vector<Unanswered> unanswered_;
};

void Replayer::replay(const CorpusEntry& entry) {
    Result result{&entry, Outcome::skipped, std::nullopt, ""};
    const std::vector<uint8_t> message = entry.bytes();
    if (message.size() > max_udp_payload) {
        result.detail = std::to_string(message.size()) + " bytes: too large for a UDP datagram";
        std::cout << "note: skipped " << entry.file << ": " << result.detail << "\n";
        results_.push_back(result);
        return;
    }
    // In reply mode the client asks for the name of the message's question, so
    // that the resolver asks the root for it and the root answers with the message.
    std::vector<uint8_t> query = message;
    if (root_) {
        WireQuestion asked{
            {6, 'r', 'e', 'p', 'l', 'a', 'y', 4, 't', 'e', 's', 't', 0}, type_a, class_in, 0};
        if (const auto question = first_question(message))
            asked.name = question->name;
        else
            result.detail = "no readable question, asked for replay.test.; ";
        query = make_query(next_id_++, asked);
        root_->expect(message, asked);
    }
    auto client = UdpSocket::bind(SocketAddress::from_ip("127.0.0.1", 0));
    const auto probe = UdpSocket::bind(SocketAddress::from_ip("127.0.0.1", 0));
    client.send_to(query, resolver_.address());
    probe.send_to(make_query(next_id_++, probe_question_), resolver_.address());
    const Exchange exchange = this->exchange(client, probe);
    if (root_)
        result.detail += root_->queries_seen();

    if (const auto ended = resolver_.exit_description()) {
        result.outcome = Outcome::crashed;
        const auto last_lines = resolver_.restart_after_exit(20);
        result.detail += *ended + "; it printed last:";
        for (const auto& line : last_lines)
            result.detail += " | " + line;
        report_failure(result, *ended, message, last_lines);
    } else if (exchange.response) {
        take_response(result, *exchange.response);
    } else if (exchange.probe_answered) {
        unanswered_.push_back({results_.size(), result.detail.size(), std::move(client)});
        result.outcome = Outcome::ignored;
        result.detail += "no response; the probe was answered";
    } else {
        result.outcome = Outcome::hung;
        result.detail += "no response to the message nor to the probe within 6 s";
        report_failure(result, "no response to the message nor to the probe", message, {});
        resolver_.restart();
    }
    results_.push_back(result);
    if (unanswered_.size() >= 100)
        look_for_late_answers();
}

// Waits until the probe is answered, the resolver ends or hang_timeout passes;
// in reply mode it meanwhile plays the root server.
Replayer::Exchange Replayer::exchange(const UdpSocket& client, const UdpSocket& probe) {
    Exchange exchange;
    const auto deadline = Clock::now() + hang_timeout;
    while (!exchange.probe_answered && Clock::now() < deadline && !resolver_.exit_description()) {
        std::vector<pollfd> waiting{{client.native_handle(), POLLIN, 0},
                                    {probe.native_handle(), POLLIN, 0}};
        if (root_) {
            const auto root_sockets = root_->sockets(); // its UDP socket, its TCP listener
            waiting.insert(waiting.end(), root_sockets.begin(), root_sockets.end());
        }
        // Rounds of at most 0.1 s, so that a resolver that died is noticed soon.
        if (::poll(waiting.data(), waiting.size(), 100) <= 0)
            continue;
        if (waiting[0].revents & POLLIN) {
            const auto datagram = client.receive(buffer_);
            if (!exchange.response)
                exchange.response.emplace(buffer_.begin(), buffer_.begin() + datagram.size);
        }
        if (waiting[1].revents & POLLIN) {
            probe.receive(buffer_);
            exchange.probe_answered = true;
        }
        if (root_ && (waiting[2].revents & POLLIN))
            root_->answer_udp_query();
        if (root_ && (waiting[3].revents & POLLIN))
            root_->answer_tcp_query();
    }
    return exchange;
}

void Replayer::look_for_late_answers() {
    std::this_thread::sleep_for(late_answer_grace);
    for (const Unanswered& message : unanswered_) {
        if (const auto datagram = message.client.receive(buffer_, 0ms)) {
            Result& result = results_[message.result];
            result.detail.resize(message.detail_kept);
            result.detail += "late, after the probe's: ";
            take_response(result, std::span<const uint8_t>(buffer_).first(datagram->size));
        }
    }
    unanswered_.clear();
}

void Replayer::report_failure(const Result& result, const std::string& what,
                              std::span<const uint8_t> message,
                              const std::vector<std::string>& lines) {
    std::cout << outcome_names[static_cast<size_t>(result.outcome)] << ": " << result.entry->file
              << ": " << what << (lines.empty() ? "" : "; it printed last:") << "\n";
    for (const auto& line : lines)
        std::cout << "  | " << line << "\n";
    std::cout << format_hex_dump(message.first(std::min<size_t>(message.size(), 256)))
              << "(resolver restarted)\n";
}

void print_summary(const std::vector<Result>& results) {
    const std::pair<const char*, bool (*)(const CorpusEntry&)> rows[] = {
        {"all", [](const CorpusEntry&) { return true; }},
        {"is_response=False", [](const CorpusEntry& entry) { return !entry.is_response; }},
        {"is_response=True", [](const CorpusEntry& entry) { return entry.is_response; }},
        {"malformed=False", [](const CorpusEntry& entry) { return !entry.malformed; }},
        {"malformed=True", [](const CorpusEntry& entry) { return entry.malformed; }}};
    std::cout << std::setw(18) << "";
    for (const char* name : outcome_names)
        std::cout << std::setw(9) << name;
    std::cout << "    total\n";
    for (const auto& [name, selected] : rows) {
        std::array<int, outcome_names.size()> counts{};
        for (const Result& result : results)
            counts[static_cast<size_t>(result.outcome)] += selected(*result.entry) ? 1 : 0;
        std::cout << std::left << std::setw(18) << name << std::right;
        for (const int count : counts)
            std::cout << std::setw(9) << count;
        std::cout << std::setw(9) << std::accumulate(counts.begin(), counts.end(), 0) << "\n";
    }
    std::map<std::string, int> rcodes;
    for (const Result& result : results)
        if (result.rcode)
            ++rcodes[rcode_name(*result.rcode)];
    std::cout << "rcodes of the responses:";
    for (const auto& [name, count] : rcodes)
        std::cout << " " << name << " " << count;
    std::cout << "\n";
}

void write_report(const std::vector<Result>& results, std::ofstream& report) {
    report << "file\toutcome\trcode\tdetail\n";
    for (const Result& result : results) {
        std::string detail = result.detail;
        std::replace(detail.begin(), detail.end(), '\t', ' ');
        report << result.entry->file << '\t' << outcome_names[static_cast<size_t>(result.outcome)]
               << '\t' << (result.rcode ? rcode_name(*result.rcode) : "-") << '\t' << detail
               << '\n';
    }
}

} // namespace

int main(int argc, char* argv[]) {
    Options options;
    try {
        options = parse_options(std::span(argv, static_cast<size_t>(argc)));
    } catch (const UsageError& error) {
        std::cerr << "replay_corpus: " << error.what() << "\n" << usage;
        return 2;
    }
    try {
        const auto started = Clock::now();
        const auto& entries = testing::corpus_entries();
        std::ofstream report; // opened now, so that a wrong path is told before the replay
        if (!options.report.empty()) {
            report.open(options.report);
            if (!report)
                throw SetupError("cannot write the report " + options.report);
        }
        std::string root_hints = options.root_hints;
        uint16_t upstream_port = options.upstream_port.value_or(0);
        std::optional<FakeRoot> root;
        FileDescriptor hints;
        if (options.mode == "reply") {
            isolate_network();
            root.emplace(options.upstream_port);
            hints = root_hints_in_memory(". 3600000 NS a.root.replay.\n"
                                         "a.root.replay. 3600000 A 127.53.30.1\n");
            root_hints = "/dev/fd/" + std::to_string(hints.get());
            upstream_port = root->port();
        }
        ResolverProcess resolver({options.resolver, "--quiet", "--listen", "127.0.0.1:0",
                                  "--root-hints", root_hints, "--upstream-port",
                                  std::to_string(upstream_port)});
        Replayer replayer(resolver, root ? &*root : nullptr);
        if (!replayer.probe_is_answered())
            throw SetupError("the resolver does not answer version.bind. CH TXT (stage 3+?)");
        for (size_t i = 0; i < std::min(options.limit, entries.size()); ++i)
            replayer.replay(entries[i]);
        const std::vector<Result> results = replayer.finish();

        const std::chrono::duration<double> elapsed = Clock::now() - started;
        std::cout << "\n"
                  << options.resolver << ", mode " << options.mode << ": " << results.size()
                  << " messages in " << std::fixed << std::setprecision(1) << elapsed.count()
                  << " s\n";
        print_summary(results);
        if (report.is_open())
            write_report(results, report);
        const bool broke = std::ranges::any_of(results, [](const Result& result) {
            return result.outcome == Outcome::crashed || result.outcome == Outcome::hung;
        });
        // A well-formed query deserves a response, even if only an error code:
        // a client left without one can only wait and ask again.
        size_t unanswered = 0;
        if (options.mode == "query")
            for (const Result& result : results)
                if (!result.entry->is_response && !result.entry->malformed &&
                    result.outcome == Outcome::ignored) {
                    if (unanswered++ < 10)
                        std::cout << "well-formed query without a response: " << result.entry->file
                                  << "\n";
                }
        std::cout << unanswered << " well-formed queries got no response\n";
        return broke || unanswered > 0 ? 1 : 0;
    } catch (const std::exception& error) {
        std::cerr << "replay_corpus: " << error.what() << "\n";
        return 2;
    }
}
