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
//   <!-- check: listing; file: PATH -->
//                               a code listing: the block must be an excerpt of
//                               PATH (from the repository's root, a stage's file
//                               or common/'s): its lines, in order, one after the
//                               other as in the file. A line of its own `// ...`
//                               stands for lines left out there (any number). A
//                               run of blanks inside a line may be longer or
//                               shorter than in the file, and the indentation may
//                               differ; nothing else. The listing is named for the
//                               reader too: PATH must appear in the paragraph just
//                               above the comment, e.g.
//
//                                   `stage1_receive/main.cpp`, the run loop:
//
//                                   <!-- check: listing; file: stage1_receive/main.cpp -->
//                                   ```cpp
//                                   void serve(const UdpSocket& socket) {
//                                   // ...
//                                   ```
//
//                               A listing that is no longer an excerpt fails with
//                               the file and the first line of the listing that
//                               differs from it.
//
// The checker also checks `make diff STAGE=N`: every file that differs between
// stage N-1 and stage N must be named in stage N's LESSON.md. A stage whose
// lesson is read in parts has a file PARTS (see stage7_concurrency/PARTS):
//
//   part NAME            starts a part (`make diff STAGE=N PART=NAME`); then
//   FILE                 one file of the diff a line, relative to the stage,
//   ...                  in the order the lesson reads them
//
// (blank lines and lines starting with # are comments). Every file of
// `make diff STAGE=N` must be in exactly one part, and every file of a part in
// the diff; each part's name must appear in the lesson.

#include "common/testing/child_process.hpp"

#include <algorithm>
#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
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
    std::string file;                // a listing's file
    std::string caption;             // a listing's paragraph just above it
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
            if (part.starts_with("file:"))
                block.file = trim(part.substr(5));
        }
        // The paragraph just above the comment (one blank line may separate them).
        size_t above = i;
        if (above > 0 && trim(lines[above - 1]).empty())
            --above;
        for (; above > 0 && !trim(lines[above - 1]).empty(); --above)
            block.caption = lines[above - 1] + "\n" + block.caption;
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
        // Which of a zone's servers is asked, when the resolver chooses at
        // random among servers as fast as each other (stage 7, part 4):
        // "ask ns1.example.lab. (127.53.10.1:5300)" and the like.
        {"server",
         {{std::regex(R"(ask ns\d+\.(\S+) \((127\.\d+\.\d+)\.\d+:)"), "ask ns<n>.$1 ($2.<n>:"},
          {std::regex(R"(ask [a-z]\.root-servers\.test\. \(127\.53\.0\.\d+:)"),
           "ask <n>.root-servers.test. (127.53.0.<n>:"}}},
        // DNSSEC keys, made fresh each time the test bed starts (stage 7,
        // part 10): their tags, the DS digests of them, the keys themselves,
        // and the signatures with their validity times.
        {"keys",
         {{std::regex(R"(\b(key|DS:|anchor:) \d+)"), "$1 <tag>"},
          {std::regex(R"(\d{14}-\d{14})"), "<validity>"},
          {std::regex(R"(\b(DS \S+|IN\s+DS)\s+\d+ (\d+ \d+) [0-9A-F ]+)"), "$1 <tag> $2 <digest>"},
          {std::regex(R"(\b(DNSKEY\s+\d+ 3 \d+) .*)"), "$1 <key>"},
          {std::regex(R"(\b(RRSIG\s+\S+ \d+ \d+ \d+) \d+ \d+ \d+ (\S+) .*)"),
           "$1 <validity> <tag> $2 <signature>"}}},
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

// A line as a listing compares it: without its indentation and trailing
// blanks, every other run of blanks one space.
std::string listing_form(const std::string& line) {
    std::string form;
    for (const char c : trim(line)) {
        const bool blank = c == ' ' || c == '\t';
        if (!blank)
            form += c;
        else if (!form.empty() && form.back() != ' ')
            form += ' ';
    }
    return form;
}

bool is_elision(const std::string& line) {
    return trim(line) == "// ...";
}

// Where a listing stops being an excerpt of a file.
struct ExcerptMismatch {
    size_t listing_line = 0; // index into the listing of its first line that differs
    size_t file_line = 0;    // the file's line (from 1) it was compared with; 0: none
    std::string file_text;   // that line of the file
};

// Whether `listing` is an excerpt of `file`: its stretches (the runs of lines
// between `// ...` lines) appear in the file in order, each one line after the
// other, a stretch after `// ...` anywhere after the one before it. The first
// stretch may start anywhere and the last one end anywhere.
std::optional<ExcerptMismatch> excerpt_mismatch(const std::vector<std::string>& listing,
                                                const std::vector<std::string>& file) {
    std::vector<std::string> file_forms;
    for (const auto& line : file)
        file_forms.push_back(listing_form(line));
    size_t from = 0; // the first line of the file the next stretch may start at
    size_t at = 0;   // the listing's line
    while (at < listing.size()) {
        if (is_elision(listing[at])) {
            ++at;
            continue;
        }
        size_t end = at; // the stretch is listing[at, end)
        while (end < listing.size() && !is_elision(listing[end]))
            ++end;
        // The first place where the whole stretch matches; else the place where
        // the most of its first lines do, for the message.
        size_t best_start = file.size(), best_length = 0;
        bool found = false;
        for (size_t start = from; start < file.size() && !found; ++start) {
            size_t length = 0;
            while (at + length < end && start + length < file.size() &&
                   listing_form(listing[at + length]) == file_forms[start + length])
                ++length;
            if (at + length == end)
                found = true;
            if (found || length > best_length) {
                best_start = start;
                best_length = length;
            }
        }
        if (!found) {
            ExcerptMismatch mismatch;
            mismatch.listing_line = at + best_length;
            if (best_length > 0 && best_start + best_length < file.size()) {
                mismatch.file_line = best_start + best_length + 1;
                mismatch.file_text = file[best_start + best_length];
            }
            return mismatch;
        }
        from = best_start + (end - at);
        at = end;
    }
    return std::nullopt;
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

std::vector<std::string> lines_of(const fs::path& path) {
    std::ifstream file(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(file, line);)
        lines.push_back(line);
    return lines;
}

// A "listing" block: an excerpt of its file, named in the paragraph above it.
void check_listing(const std::string& lesson, const CheckedBlock& block) {
    REQUIRE_MESSAGE(!block.file.empty(),
                    lesson << ":" << block.line_number << ": a listing needs 'file: PATH'");
    CHECK_MESSAGE(block.caption.find(block.file) != std::string::npos,
                  lesson << ":" << block.line_number << ": the paragraph above the listing of "
                         << block.file << " does not name it");
    const bool has_code = std::any_of(block.lines.begin(), block.lines.end(),
                                      [](const auto& line) { return !is_elision(line); });
    CHECK_MESSAGE(has_code, lesson << ":" << block.line_number << ": an empty listing");
    REQUIRE_MESSAGE(fs::is_regular_file(block.file),
                    lesson << ":" << block.line_number << ": no file " << block.file);
    const auto mismatch = excerpt_mismatch(block.lines, lines_of(block.file));
    if (!mismatch)
        return;
    const size_t lesson_line = static_cast<size_t>(block.line_number) + 1 + mismatch->listing_line;
    if (mismatch->file_line > 0)
        FAIL_CHECK(lesson << ":" << lesson_line << ": the listing is no longer an excerpt of "
                          << block.file << ": its line\n    " << block.lines[mismatch->listing_line]
                          << "\ndiffers from " << block.file << ":" << mismatch->file_line
                          << "\n    " << mismatch->file_text);
    else
        FAIL_CHECK(lesson << ":" << lesson_line << ": the listing is no longer an excerpt of "
                          << block.file << ": its line\n    " << block.lines[mismatch->listing_line]
                          << "\nis not in " << block.file << " where the listing has it");
}

void check_lesson(const std::string& stage) {
    const std::string lesson = stage + "/LESSON.md";
    stop_lesson_testbed();
    struct StopAtEnd {
        ~StopAtEnd() { stop_lesson_testbed(); }
    } stop_at_end;
    const auto blocks = checked_blocks(lesson);
    REQUIRE_MESSAGE(!blocks.empty(), lesson << " has no checked block");
    const bool only_listings = std::all_of(
        blocks.begin(), blocks.end(), [](const auto& block) { return block.kind == "listing"; });
    REQUIRE_MESSAGE(!only_listings, lesson << " has no checked run");
    std::optional<ChildProcess> background;
    for (const auto& block : blocks) {
        INFO(lesson << ":" << block.line_number << " (" << block.kind << ")");
        if (block.kind == "listing") {
            continue; // checked by a test case of its own, below
        } else if (block.kind == "run") {
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

// The lesson itself, and its parts: not in make diff.
bool is_lesson(const fs::path& relative) {
    return relative == "LESSON.md" || relative == "PARTS";
}

// Files that stay in the stage that wrote them (see common/tools/stage_diff.sh).
bool stays_in_its_stage(const fs::path& relative) {
    const std::string text = relative.string();
    return relative.filename().string().starts_with("e2e_") || text.starts_with("testbed") ||
           text.starts_with("replay") || is_lesson(relative);
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

// The files `make diff STAGE=N` shows (common/tools/stage_diff.sh), relative to
// the stages: those that differ, and with `with_own` the new stage's own that
// stay in it (its end-to-end tests, the test bed, the replay tool).
std::set<std::string> diff_files(const fs::path& before, const fs::path& after, bool with_own) {
    std::set<std::string> changed;
    const auto old_files = files_of(before), new_files = files_of(after);
    for (const auto& file : new_files)
        if (!old_files.contains(file) || read_text(before / file) != read_text(after / file))
            changed.insert(file);
    for (const auto& file : old_files)
        if (!new_files.contains(file))
            changed.insert(file);
    for (const auto& entry : fs::recursive_directory_iterator(after))
        if (with_own && entry.is_regular_file()) {
            const auto relative = fs::relative(entry.path(), after);
            if (stays_in_its_stage(relative) && !is_lesson(relative))
                changed.insert(relative.string());
        }
    return changed;
}

// A stage's PARTS file: each part's name and its files, in order.
std::vector<std::pair<std::string, std::vector<std::string>>> parse_parts(const std::string& text) {
    std::vector<std::pair<std::string, std::vector<std::string>>> parts;
    for (const auto& raw : split(text, '\n')) {
        const std::string line = trim(raw);
        if (line.empty() || line.starts_with("#"))
            continue;
        if (line.starts_with("part "))
            parts.emplace_back(trim(line.substr(5)), std::vector<std::string>{});
        else if (!parts.empty())
            parts.back().second.push_back(line);
        else
            parts.emplace_back("", std::vector<std::string>{line}); // a file before any part
    }
    return parts;
}

} // namespace

TEST_CASE("every lesson's checked blocks print what the stage prints today") {
    // The lessons say when they start the test bed with its scripted responder.
    ::unsetenv("SCRIPTED_RESPONDER");
    // Their make commands run as from a shell, not as part of the make that runs
    // the tests (whose job server they could not reach: make would warn).
    for (const char* name : {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"})
        ::unsetenv(name);
    for (const auto& stage : stages()) {
        SUBCASE(stage.c_str()) {
            check_lesson(stage);
        }
    }
}

TEST_CASE("every lesson's listings are excerpts of the code") {
    for (const auto& stage : stages()) {
        const std::string lesson = stage + "/LESSON.md";
        int listings = 0;
        for (const auto& block : checked_blocks(lesson))
            if (block.kind == "listing") {
                ++listings;
                check_listing(lesson, block);
            }
        INFO(lesson << " shows " << listings << " checked listing(s)");
        CHECK(listings >= 2);
    }
}

TEST_CASE("make diff shows only what each lesson talks about") {
    const auto all = stages();
    for (size_t i = 1; i < all.size(); ++i) {
        const fs::path before = all[i - 1], after = all[i];
        const std::string lesson = read_text(after / "LESSON.md");
        const std::set<std::string> changed = diff_files(before, after, false);
        for (const auto& file : changed) {
            INFO(after.string() << ": " << file << " changed, but LESSON.md does not name it");
            CHECK(names_file(lesson, file));
        }
    }
}

TEST_CASE("a lesson in parts: every file of its make diff is in one part") {
    const auto all = stages();
    for (size_t i = 1; i < all.size(); ++i) {
        const fs::path before = all[i - 1], after = all[i];
        const fs::path parts_file = after / "PARTS";
        if (!fs::exists(parts_file))
            continue;
        const std::string number = after.string().substr(5, 1);
        const std::string lesson = read_text(after / "LESSON.md");
        const auto parts = parse_parts(read_text(parts_file));
        std::map<std::string, std::string> part_of;
        for (const auto& [name, files] : parts) {
            INFO(parts_file.string() << ": part '" << name << "'");
            CHECK_MESSAGE(!name.empty(), parts_file.string()
                                             << ": a file before the first 'part NAME' line");
            CHECK_MESSAGE(lesson.find("PART=" + name) != std::string::npos,
                          after.string()
                              << "/LESSON.md does not name part " << name
                              << " (make diff STAGE=" << number << " PART=" << name << ")");
            for (const auto& file : files) {
                CHECK_MESSAGE(!part_of.contains(file),
                              parts_file.string() << ": " << file << " is in part " << part_of[file]
                                                  << " and in part " << name);
                part_of.emplace(file, name);
            }
        }
        const auto changed = diff_files(before, after, true);
        for (const auto& file : changed)
            CHECK_MESSAGE(part_of.contains(file),
                          "make diff STAGE="
                              << number << " shows " << after.string() << "/" << file
                              << ", which is in no part: add the line '" << file << "' to "
                              << parts_file.string()
                              << ", under the 'part NAME' line of the part that teaches it");
        for (const auto& [file, name] : part_of)
            CHECK_MESSAGE(changed.contains(file),
                          parts_file.string() << ": part " << name << " names " << file
                                              << ", which make diff STAGE=" << number
                                              << " does not show: take it out, or fix its path");
    }
}

// The excerpt matching of listings, on a small file.
TEST_CASE("a listing is an excerpt of its file, or says where it stops being one") {
    const std::vector<std::string> file{
        "int add(int a, int b) {", //  1
        "    int sum = a + b;",    //  2
        "    return sum;",         //  3
        "}",                       //  4
        "",                        //  5
        "int twice(int a) {",      //  6
        "    return add(a, a);",   //  7
        "}",                       //  8
    };
    SUBCASE("the whole file, and any stretch of it") {
        CHECK_FALSE(excerpt_mismatch(file, file));
        CHECK_FALSE(excerpt_mismatch({"    return sum;", "}", ""}, file));
    }
    SUBCASE("runs of blanks inside a line and indentation may differ") {
        CHECK_FALSE(excerpt_mismatch({"int sum  =  a + b;", "\treturn sum;"}, file));
    }
    SUBCASE("but not blanks where the file has none, nor any other character") {
        const auto blank = excerpt_mismatch({"int add(int a, int b) {", "int sum = a+b;"}, file);
        REQUIRE(blank);
        CHECK(blank->listing_line == 1);
        CHECK(blank->file_line == 2);
        CHECK(blank->file_text == "    int sum = a + b;");
        const auto changed = excerpt_mismatch({"int sum = a + b;", "return sum + 0;"}, file);
        REQUIRE(changed);
        CHECK(changed->listing_line == 1);
        CHECK(changed->file_line == 3);
    }
    SUBCASE("`// ...` leaves out any number of lines, in order") {
        CHECK_FALSE(excerpt_mismatch(
            {"int add(int a, int b) {", "    // ...", "}", "// ...", "    return add(a, a);"},
            file));
        CHECK_FALSE(
            excerpt_mismatch({"int add(int a, int b) {", "// ...", "    int sum = a + b;"}, file));
    }
    SUBCASE("without `// ...`, lines left out are a difference") {
        const auto gap = excerpt_mismatch({"int add(int a, int b) {", "    return sum;"}, file);
        REQUIRE(gap);
        CHECK(gap->listing_line == 1);
        CHECK(gap->file_line == 2);
    }
    SUBCASE("the order of the file") {
        const auto order =
            excerpt_mismatch({"int twice(int a) {", "// ...", "    return sum;"}, file);
        REQUIRE(order);
        CHECK(order->listing_line == 2);
        CHECK(order->file_line == 0);
    }
    SUBCASE("a line the file does not have at all") {
        const auto missing = excerpt_mismatch({"int triple(int a) {"}, file);
        REQUIRE(missing);
        CHECK(missing->listing_line == 0);
        CHECK(missing->file_line == 0);
    }
    SUBCASE("a listing longer than the end of the file") {
        const auto past = excerpt_mismatch({"    return add(a, a);", "}", "int more;"}, file);
        REQUIRE(past);
        CHECK(past->listing_line == 2);
    }
}

TEST_CASE("a PARTS file: part names and their files, in order") {
    const auto parts = parse_parts("# comment\n\npart one\na.hpp\n  a.cpp\npart two\n\nb.cpp\n");
    REQUIRE(parts.size() == 2);
    CHECK(parts[0].first == "one");
    CHECK(parts[0].second == std::vector<std::string>{"a.hpp", "a.cpp"});
    CHECK(parts[1].first == "two");
    CHECK(parts[1].second == std::vector<std::string>{"b.cpp"});
    const auto stray = parse_parts("x.cpp\npart one\n");
    REQUIRE(stray.size() == 2);
    CHECK(stray[0].first.empty());
}
