// Trace: the steps of a lookup, printed as they happen when --trace is given.
// Each nested lookup (the address of a name server without glue) is indented
// one level further, so the output reads like the tree of the lookup.
#pragma once

#include <iostream>
#include <string>

namespace dns {

class Trace {
  public:
    explicit Trace(bool enabled, std::ostream& out = std::cout) : enabled_(enabled), out_(out) {}

    bool enabled() const { return enabled_; }
    // One step, at nesting level `depth`.
    void step(int depth, const std::string& text) const {
        if (enabled_)
            out_ << std::string(2 + 4 * static_cast<size_t>(depth), ' ') << text << "\n";
    }

  private:
    bool enabled_;
    std::ostream& out_;
};

} // namespace dns
