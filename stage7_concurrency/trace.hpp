// Trace: the steps of a lookup, printed when --trace is given. Each nested
// lookup (the address of a name server without glue) is indented one level
// further, so the output reads like the tree of the lookup.
//
// Stage 7 runs many lookups at once, on several threads: printed as they
// happen, their steps would be shuffled together. Each lookup now has a Trace
// of its own that collects its steps, and prints them in one piece when the
// lookup ends.
#pragma once

#include <concepts>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

namespace dns {

// Writes `text` to `out` in one piece: no other thread's text lands inside it.
inline void print_whole(std::ostream& out, std::string_view text) {
    static std::mutex output_mutex;
    const std::lock_guard lock(output_mutex);
    out << text << std::flush;
}

class Trace {
  public:
    explicit Trace(bool enabled) : enabled_(enabled) {}

    bool enabled() const { return enabled_; }
    // One step, at nesting level `depth`: a fixed text,
    void step(int depth, const char* text) {
        if (enabled_)
            append(depth, text);
    }
    // or one that `describe()` makes, called only when the lookup is traced:
    // on a busy resolver, the strings would cost more than the lookup itself.
    // (A text built with + is a std::string, which the step above does not
    // take: it must come through here.)
    template <std::invocable Describe>
    void step(int depth, Describe&& describe) {
        if (enabled_)
            append(depth, describe());
    }
    // The steps so far, one per line.
    const std::string& text() const { return text_; }

  private:
    void append(int depth, std::string_view text) {
        text_.append(2 + 4 * static_cast<size_t>(depth), ' ').append(text).append("\n");
    }

    bool enabled_;
    std::string text_;
};

} // namespace dns
