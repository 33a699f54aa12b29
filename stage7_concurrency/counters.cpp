#include "counters.hpp"

#include "code_names.hpp"

namespace dns {

namespace {

uint64_t sum(const std::vector<const Counters*>& workers,
             const std::atomic<uint64_t> Counters::*counter) {
    uint64_t total = 0;
    for (const Counters* worker : workers)
        total += (worker->*counter).load(std::memory_order_relaxed);
    return total;
}

} // namespace

std::string format_counters(const std::vector<const Counters*>& workers, size_t cache_entries,
                            size_t cache_bytes) {
    std::string text = "Counters:\n";
    const auto line = [&](const std::string& name, uint64_t value) {
        text += "  " + name + std::string(name.size() < 20 ? 20 - name.size() : 1, ' ') +
                std::to_string(value) + "\n";
    };
    line("queries", sum(workers, &Counters::queries));
    for (uint8_t rcode = 0; rcode < 16; ++rcode) {
        uint64_t answers = 0;
        for (const Counters* worker : workers)
            answers += worker->answers_by_rcode[rcode].load(std::memory_order_relaxed);
        if (answers != 0 || rcode == 0 || rcode == 2 || rcode == 3)
            line("answers " + rcode_name(rcode), answers);
    }
    line("cache hits", sum(workers, &Counters::cache_hits));
    line("upstream queries", sum(workers, &Counters::upstream_queries));
    line("upstream timeouts", sum(workers, &Counters::upstream_timeouts));
    line("lookups failed", sum(workers, &Counters::lookups_failed));
    line("refused clients", sum(workers, &Counters::refused_clients));
    line("dropped", sum(workers, &Counters::dropped));
    line("tcp connections", sum(workers, &Counters::tcp_connections));
    line("cache entries", cache_entries);
    line("cache bytes", cache_bytes);
    return text;
}

} // namespace dns
