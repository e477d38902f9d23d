// cli/progress: the progress line of long commands, for a person at a terminal.
//
// Owns: deciding whether to show progress at all (standard error is a terminal and
// --quiet was not given), drawing one line `dcagw: progress: ...` (what is being done,
// rows done of the total, rate, time left), redrawing it at most four times a second, and
// erasing it before anything else is printed, so it never mixes with results or messages.
// The line is written to the descriptor directly: standard error's stdio stream may be
// line-buffered (crypto/rnp_diagnostics) and a line without its end would wait there.
// Must never: print when standard error is not a terminal, or slow the work it reports.
#pragma once

#include "gateway/pipeline/place.hpp"

#include <chrono>
#include <string>

namespace dcagw::cli {

enum class ProgressDisplay { Auto, Quiet };

class PlaceProgressLine {
public:
    explicit PlaceProgressLine(std::string input, ProgressDisplay display);
    ~PlaceProgressLine();
    PlaceProgressLine(PlaceProgressLine const&) = delete;
    PlaceProgressLine& operator=(PlaceProgressLine const&) = delete;

    bool enabled() const { return m_enabled; }
    void update(pipeline::PlaceProgress const& progress);
    // Erases the line (before the summary is printed).
    void clear();

private:
    std::string m_input;
    bool m_enabled;
    bool m_drawn { false };
    std::chrono::steady_clock::time_point m_phase_start;
    std::chrono::steady_clock::time_point m_last_draw;
    pipeline::PlaceProgress::Phase m_phase { pipeline::PlaceProgress::Phase::Checking };
};

// "1,234,567".
std::string grouped(std::int64_t number);

} // namespace dcagw::cli
