// The lesson checker: the output pasted into every LESSON.md is checked against
// what the stage really prints today, so a lesson cannot quietly go stale.
//
// A block of a lesson is checked when the line just before its opening fence is
// an HTML comment (invisible on the rendered page) that says how:
//
//   <!-- check: run -->         every "$ command" line is run (bash, from the
//                               repository's root); the lines after it, up to the
//                               next "$ ", are its expected output
//   <!-- check: start -->       the one "$ command" is started in the background
//                               (the resolver); the lines after it are the first
//                               lines it must print; it runs until the lesson ends
//   <!-- check: printed -->     the lines must appear, in this order and together,
//                               in what the background command printed so far
//
// Whatever legitimately varies from run to run is named after the kind, e.g.
// <!-- check: run; varies: id, port, ms -->, and only that is masked, in both
// the expected and the actual text, by the patterns in `maskers` below.
//
// The checker also checks `make diff STAGE=N`: every file that differs between
// stage N-1 and stage N must be named in stage N's LESSON.md.

#include "common/testing/child_process.hpp"

#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

using namespace dns::testing;
namespace fs = std::filesystem;

namespace {

struct CheckedBlock {
    std::string kind;                // run, start or printed
    std::vector<std::string> varies; // names of maskers
    std::vector<std::string> lines;  // the block's lines
    int line_number = 0;             // of the opening fence, for messages
};

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::stringstream stream(text);
    for (std::string part; std::getline(stream, part, separator);)
        parts.push_back(part);
    return parts;
}

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos)
        return "";
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::vector<CheckedBlock> checked_blocks(const std::string& lesson_path) {
    std::ifstream file(lesson_path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(file, line);)
        lines.push_back(line);
    std::vector<CheckedBlock> blocks;
    const std::string marker = "<!-- check:";
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
        if (!lines[i].starts_with(marker) || !lines[i + 1].starts_with("```"))
            continue;
        CheckedBlock block;
        const std::string spec =
            trim(lines[i].substr(marker.size(), lines[i].find("-->") - marker.size()));
        const auto parts = split(spec, ';');
        block.kind = trim(parts.at(0));
        for (size_t p = 1; p < parts.size(); ++p) {
            const std::string part = trim(parts[p]);
            if (part.starts_with("varies:"))
                for (const auto& name : split(part.substr(7), ','))
                    block.varies.push_back(trim(name));
        }
        block.line_number = static_cast<int>(i + 2);
        size_t j = i + 2;
        for (; j < lines.size() && !lines[j].starts_with("```"); ++j)
            block.lines.push_back(lines[j]);
        blocks.push_back(block);
        i = j;
    }
    return blocks;
}

// What may vary between runs, each a named, narrow pattern.
const std::map<std::string, std::vector<std::pair<std::regex, std::string>>>& maskers() {
    static const std::map<std::string, std::vector<std::pair<std::regex, std::string>>> all{
        // Message IDs, chosen at random by dig and by the resolver.
        {"id",
         {{std::regex(R"(id: \d+)"), "id: <id>"},
          {std::regex(R"(ID \d+)"), "ID <id>"},
          {std::regex(R"(ID mismatch: expected ID \d+, got \d+)"), "ID mismatch"}}},
        // Ports the OS picks (with port 0) and source ports of queries.
        {"port",
         {{std::regex(R"((127\.\d+\.\d+\.\d+|::1\]|0\.0\.0\.0)([:#])\d+)"), "$1$2<port>"},
          {std::regex(R"(-p \d+)"), "-p <port>"},
          {std::regex(R"(from port \d+)"), "from port <port>"}}},
        // Durations.
        {"ms", {{std::regex(R"(\d+ ms(ec)?\b)"), "<n> ms$1"}}},
        // TTLs counted down by a cache (stage 7): in dig's answer lines and in
        // the trace's "NAME TTL IN TYPE" records.
        {"ttl",
         {{std::regex(R"(^(\S+\.)(\s+)\d+(\s+IN\s))"), "$1$2<ttl>$3"},
          {std::regex(R"((\S+\.) \d+ IN )"), "$1 <ttl> IN "}}},
        // dig's clock line.
        {"when", {{std::regex(R"(;; WHEN: .*)"), ";; WHEN: <when>"}}},
        // Temporary folders made by mktemp.
        {"tmp", {{std::regex(R"(/tmp/tmp\.\w+)"), "/tmp/<tmp>"}}},
        // Process ids.
        {"pid", {{std::regex(R"(pid \d+)"), "pid <pid>"}}},
        // The message ID in the first line of a hex dump: its first two bytes.
        {"dump-id",
         {{std::regex(R"(^0000  [0-9a-f]{2} [0-9a-f]{2} (.*)\|..)"), "0000  <id> $1|<>"}}},
        // The version of dig in its banner line.
        {"digversion", {{std::regex(R"(DiG \S+)"), "DiG <version>"}}},
        // EDNS cookies (RFC 7873), random per client.
        {"cookie",
         {{std::regex(R"(COOKIE: [0-9a-f]+)"), "COOKIE: <cookie>"},
          {std::regex(R"(000A0008[0-9A-F]{16})"), "000A0008<cookie>"}}},
    };
    return all;
}

std::string mask(std::string line, const std::vector<std::string>& varies) {
    for (const auto& name : varies) {
        const auto found = maskers().find(name);
        REQUIRE_MESSAGE(found != maskers().end(), "unknown 'varies' name: " << name);
        for (const auto& [pattern, replacement] : found->second)
            line = std::regex_replace(line, pattern, replacement);
    }
    // Trailing blanks are not visible in a lesson.
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t'))
        line.pop_back();
    return line;
}

std::vector<std::string> masked_lines(const std::string& text,
                                      const std::vector<std::string>& varies) {
    std::vector<std::string> lines;
    for (const auto& line : split(text, '\n'))
        lines.push_back(mask(line, varies));
    while (!lines.empty() && lines.back().empty())
        lines.pop_back();
    return lines;
}

std::string diff_text(const std::vector<std::string>& expected,
                      const std::vector<std::string>& actual) {
    std::string text = "--- the lesson says\n+++ the stage prints\n";
    const size_t count = std::max(expected.size(), actual.size());
    for (size_t i = 0; i < count; ++i) {
        const std::string e = i < expected.size() ? expected[i] : "<nothing>";
        const std::string a = i < actual.size() ? actual[i] : "<nothing>";
        text += (e == a ? "  " + e : "- " + e + "\n+ " + a) + "\n";
    }
    return text;
}

// The commands of a "run" block and the output expected of each.
std::vector<std::pair<std::string, std::vector<std::string>>>
commands_of(const CheckedBlock& block) {
    std::vector<std::pair<std::string, std::vector<std::string>>> commands;
    for (const auto& line : block.lines) {
        if (line.starts_with("$ "))
            commands.emplace_back(line.substr(2), std::vector<std::string>{});
        else if (!commands.empty())
            commands.back().second.push_back(line);
    }
    return commands;
}

// The lessons start the test bed in /tmp/testbed on port 5300; stop it before
// and after each lesson, so that one failed lesson does not spoil the next.
void stop_lesson_testbed() {
    run_command({"stage4_testbed/testbed/testbed.sh", "stop", "/tmp/testbed"}, 30s);
}

void check_lesson(const std::string& stage) {
    const std::string lesson = stage + "/LESSON.md";
    stop_lesson_testbed();
    struct StopAtEnd {
        ~StopAtEnd() { stop_lesson_testbed(); }
    } stop_at_end;
    const auto blocks = checked_blocks(lesson);
    REQUIRE_MESSAGE(!blocks.empty(), lesson << " has no checked block");
    std::optional<ChildProcess> background;
    for (const auto& block : blocks) {
        INFO(lesson << ":" << block.line_number << " (" << block.kind << ")");
        if (block.kind == "run") {
            for (const auto& [command, expected_lines] : commands_of(block)) {
                INFO("$ " << command);
                const CommandResult result = run_command({"bash", "-c", command}, 60s);
                CHECK_FALSE(result.timed_out);
                std::vector<std::string> expected;
                for (const auto& line : expected_lines)
                    expected.push_back(mask(line, block.varies));
                while (!expected.empty() && expected.back().empty())
                    expected.pop_back();
                const auto actual = masked_lines(result.output, block.varies);
                CHECK_MESSAGE(actual == expected, diff_text(expected, actual));
            }
        } else if (block.kind == "start") {
            const auto commands = commands_of(block);
            REQUIRE(commands.size() == 1);
            background.emplace(std::vector<std::string>{"bash", "-c", "exec " + commands[0].first});
            std::vector<std::string> expected;
            for (const auto& line : commands[0].second)
                expected.push_back(mask(line, block.varies));
            // Wait until it printed as many lines as the lesson shows.
            for (int waited = 0; waited < 100; ++waited) {
                if (masked_lines(background->output(), block.varies).size() >= expected.size())
                    break;
                std::this_thread::sleep_for(50ms);
            }
            auto actual = masked_lines(background->output(), block.varies);
            actual.resize(std::min(actual.size(), expected.size()));
            CHECK_MESSAGE(actual == expected, diff_text(expected, actual));
        } else if (block.kind == "printed") {
            REQUIRE_MESSAGE(background, "a 'printed' block needs a 'start' block before it");
            std::vector<std::string> expected;
            for (const auto& line : block.lines)
                expected.push_back(mask(line, block.varies));
            bool found = false;
            std::vector<std::string> actual;
            for (int waited = 0; waited < 100 && !found; ++waited) {
                actual = masked_lines(background->output(), block.varies);
                for (size_t at = 0; at + expected.size() <= actual.size() && !found; ++at)
                    found = std::equal(expected.begin(), expected.end(), actual.begin() + at);
                if (!found)
                    std::this_thread::sleep_for(50ms);
            }
            CHECK_MESSAGE(found, "not printed in this order:\n"
                                     << diff_text(expected, {}) << "\nwhat was printed:\n"
                                     << background->output());
        } else {
            FAIL("unknown kind of check '" << block.kind << "'");
        }
    }
}

std::vector<std::string> stages() {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator("."))
        if (entry.is_directory() && entry.path().filename().string().starts_with("stage"))
            found.push_back(entry.path().filename().string());
    std::sort(found.begin(), found.end());
    return found;
}

// Files that stay in the stage that wrote them (see common/tools/stage_diff.sh).
bool stays_in_its_stage(const fs::path& relative) {
    const std::string text = relative.string();
    return relative.filename().string().starts_with("e2e_") || text.starts_with("testbed") ||
           text.starts_with("replay") || relative.filename() == "LESSON.md";
}

std::set<std::string> files_of(const fs::path& stage) {
    std::set<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(stage))
        if (entry.is_regular_file()) {
            const auto relative = fs::relative(entry.path(), stage);
            if (!stays_in_its_stage(relative))
                files.insert(relative.string());
        }
    return files;
}

std::string read_text(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// A lesson names a file by its name (message.cpp), by both halves of a pair
// (message.hpp/.cpp) or by its stem and a star (message.*).
bool names_file(const std::string& lesson, const fs::path& file) {
    const std::string name = file.filename().string();
    const std::string stem = file.stem().string();
    return lesson.find(name) != std::string::npos ||
           lesson.find(stem + ".hpp/.cpp") != std::string::npos ||
           lesson.find(stem + ".*") != std::string::npos;
}

} // namespace

TEST_CASE("every lesson's checked blocks print what the stage prints today") {
    // The lessons say when they start the test bed with its scripted responder.
    ::unsetenv("SCRIPTED_RESPONDER");
    for (const auto& stage : stages()) {
        SUBCASE(stage.c_str()) {
            check_lesson(stage);
        }
    }
}

TEST_CASE("make diff shows only what each lesson talks about") {
    const auto all = stages();
    for (size_t i = 1; i < all.size(); ++i) {
        const fs::path before = all[i - 1], after = all[i];
        const std::string lesson = read_text(after / "LESSON.md");
        std::set<std::string> changed;
        const auto old_files = files_of(before), new_files = files_of(after);
        for (const auto& file : new_files)
            if (!old_files.contains(file) || read_text(before / file) != read_text(after / file))
                changed.insert(file);
        for (const auto& file : old_files)
            if (!new_files.contains(file))
                changed.insert(file);
        for (const auto& file : changed) {
            INFO(after.string() << ": " << file << " changed, but LESSON.md does not name it");
            CHECK(names_file(lesson, file));
        }
    }
}
