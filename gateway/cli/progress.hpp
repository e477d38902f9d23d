// cli/progress: the progress line of long commands, for a person at a terminal.
//
// Owns: deciding whether to show progress at all (standard error is a terminal and
// --quiet was not given), drawing one line `dcagw: progress: ...` (what is being done,
// rows done of the total, rate, time left; for send, collect and ingest the current
// agency and file, files and bytes done, rate, retries and backoff waits), redrawing it at
// most four times a second, and erasing it before anything else is printed, so it never
// mixes with results or messages. The library reports (pipeline::PlaceProgress,
// exchange::TransferProgress and TransferEvent, ingest::IngestProgress); this only draws.
// The line is written to the descriptor directly: standard error's stdio stream may be
// line-buffered (crypto/rnp_diagnostics) and a line without its end would wait there.
// Must never: print when standard error is not a terminal, or slow the work it reports.
#pragma once

#include "gateway/exchange/events.hpp"
#include "gateway/pipeline/place.hpp"

#include <chrono>
#include <optional>
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

// The progress line of a run over files (send, collect, ingest): `dcagw: progress: sending
// example-agency: file 3 of 50 20261201-payments.csv.gpg (1,186 bytes), 2 done, 2,372
// bytes, 9,800 bytes/s, 1 retry`, and while a backoff runs `..., attempt 1 failed,
// retrying in 2 s`.
class FilesProgressLine {
public:
    struct Current {
        std::string agency;
        std::string file;
        std::uint64_t size { 0 };
        std::size_t index { 0 };
        std::size_t count { 0 };
    };

    FilesProgressLine(std::string verb, ProgressDisplay display);
    ~FilesProgressLine();
    FilesProgressLine(FilesProgressLine const&) = delete;
    FilesProgressLine& operator=(FilesProgressLine const&) = delete;

    bool enabled() const { return m_enabled; }
    void start(Current current);
    // A backoff of `wait` after attempt `attempt` failed: always drawn (a wait is long).
    void waiting(int attempt, std::chrono::milliseconds wait);
    // A file finished with `bytes` (delivered, collected, applied).
    void finished(std::uint64_t bytes);
    void retried() { ++m_retries; }
    // send and collect: each transfer event counts (and must not mix with the line).
    void event(exchange::TransferEvent const& event);
    void transfer(exchange::TransferProgress const& progress);
    void clear();

private:
    enum class Redraw { Throttled, Now };
    void draw(Redraw redraw, std::string const& waiting_text = {});

    std::string m_verb;
    bool m_enabled;
    bool m_drawn { false };
    bool m_ever_drawn { false };
    Current m_current;
    std::int64_t m_files_done { 0 };
    std::uint64_t m_bytes_done { 0 };
    std::int64_t m_retries { 0 };
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last_draw;
};

// "1,234,567".
std::string grouped(std::int64_t number);

// The seconds the rest of a run of `count` files should take, at the pace of the
// `files_done` finished in `seconds`; nullopt before the first file finishes or when the
// count is unknown or reached.
std::optional<double> files_time_left(double seconds, std::int64_t files_done, std::int64_t count);

} // namespace dcagw::cli
