#include "gateway/cli/progress.hpp"

#include <cerrno>
#include <unistd.h>

namespace dcagw::cli {

namespace {

constexpr auto redraw_interval = std::chrono::milliseconds(250);
constexpr std::string_view erase_line = "\r\x1b[K";

void write_to_terminal(std::string_view text)
{
    while (!text.empty()) {
        auto const written = ::write(STDERR_FILENO, text.data(), text.size());
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return;
        text.remove_prefix(static_cast<std::size_t>(written));
    }
}

std::string duration_text(double seconds)
{
    auto const whole = static_cast<long long>(seconds + 0.5);
    if (whole < 60)
        return std::to_string(whole) + " s";
    return std::to_string(whole / 60) + " min " + std::to_string(whole % 60) + " s";
}

} // namespace

std::string grouped(std::int64_t number)
{
    auto const digits = std::to_string(number < 0 ? -number : number);
    std::string out = number < 0 ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

PlaceProgressLine::PlaceProgressLine(std::string input, ProgressDisplay display)
    : m_input(std::move(input))
    , m_enabled(display == ProgressDisplay::Auto && ::isatty(STDERR_FILENO) == 1)
    , m_phase_start(std::chrono::steady_clock::now())
    , m_last_draw(m_phase_start)
{
}

PlaceProgressLine::~PlaceProgressLine()
{
    clear();
}

void PlaceProgressLine::update(pipeline::PlaceProgress const& progress)
{
    if (!m_enabled)
        return;
    auto const now = std::chrono::steady_clock::now();
    if (progress.phase != m_phase) {
        m_phase = progress.phase;
        m_phase_start = now;
    }
    // At most four redraws a second, and none in a run's first quarter second.
    if (now - m_last_draw < redraw_interval)
        return;
    m_last_draw = now;
    double const seconds = std::chrono::duration<double>(now - m_phase_start).count();
    double const rate = seconds > 0 ? static_cast<double>(progress.rows_done) / seconds : 0;
    bool const checking = progress.phase == pipeline::PlaceProgress::Phase::Checking;
    std::string line = std::string(erase_line) + "dcagw: progress: " + (checking ? "checking " : "placing ") + m_input + ": "
        + grouped(progress.rows_done);
    if (progress.rows_total > 0) {
        line += " of " + grouped(progress.rows_total) + " rows ("
            + std::to_string(progress.rows_done * 100 / progress.rows_total) + "%)";
    } else {
        line += " rows";
    }
    line += ", " + grouped(static_cast<std::int64_t>(rate)) + " rows/s";
    if (progress.rows_total > 0 && rate > 0 && progress.rows_done < progress.rows_total)
        line += ", " + duration_text(static_cast<double>(progress.rows_total - progress.rows_done) / rate) + " left";
    if (checking)
        line += " (pass 1 of 2)";
    write_to_terminal(line);
    m_drawn = true;
}

void PlaceProgressLine::clear()
{
    if (!m_drawn)
        return;
    write_to_terminal(erase_line);
    m_drawn = false;
}

FilesProgressLine::FilesProgressLine(std::string verb, ProgressDisplay display)
    : m_verb(std::move(verb))
    , m_enabled(display == ProgressDisplay::Auto && ::isatty(STDERR_FILENO) == 1)
    , m_start(std::chrono::steady_clock::now())
    , m_last_draw(m_start)
{
}

FilesProgressLine::~FilesProgressLine()
{
    clear();
}

void FilesProgressLine::start(Current current)
{
    m_current = std::move(current);
    // The first file is shown at once: a run of one large file is worth a line too.
    draw(m_ever_drawn ? Redraw::Throttled : Redraw::Now);
}

void FilesProgressLine::waiting(int attempt, std::chrono::milliseconds wait)
{
    draw(Redraw::Now, "attempt " + std::to_string(attempt) + " failed, retrying in " + duration_text(static_cast<double>(wait.count()) / 1000.0));
}

void FilesProgressLine::finished(std::uint64_t bytes)
{
    ++m_files_done;
    m_bytes_done += bytes;
    draw(Redraw::Throttled);
}

void FilesProgressLine::event(exchange::TransferEvent const& event)
{
    using exchange::EventKind;
    if (event.kind == EventKind::Delivered || event.kind == EventKind::Collected)
        finished(event.size);
    else if (event.kind == EventKind::Failed && event.outcome.find("retrying") != std::string::npos)
        retried();
}

void FilesProgressLine::transfer(exchange::TransferProgress const& progress)
{
    if (progress.step == exchange::TransferProgress::Step::Waiting) {
        if (!progress.file.empty() || m_current.agency != progress.agency)
            m_current = Current { progress.agency, progress.file, progress.size, progress.index, progress.count };
        waiting(progress.attempt, progress.wait);
        return;
    }
    start(Current { progress.agency, progress.file, progress.size, progress.index, progress.count });
}

std::optional<double> files_time_left(double seconds, std::int64_t files_done, std::int64_t count)
{
    if (files_done <= 0 || count <= files_done || seconds <= 0)
        return std::nullopt;
    return seconds / static_cast<double>(files_done) * static_cast<double>(count - files_done);
}

void FilesProgressLine::draw(Redraw redraw, std::string const& waiting_text)
{
    if (!m_enabled)
        return;
    auto const now = std::chrono::steady_clock::now();
    if (redraw == Redraw::Throttled && now - m_last_draw < redraw_interval)
        return;
    m_last_draw = now;
    double const seconds = std::chrono::duration<double>(now - m_start).count();
    double const rate = seconds > 0 ? static_cast<double>(m_bytes_done) / seconds : 0;
    std::string line = std::string(erase_line) + "dcagw: progress: " + m_verb + " " + m_current.agency + ": ";
    if (m_current.file.empty()) {
        line += "connecting";
    } else {
        line += "file " + grouped(static_cast<std::int64_t>(m_current.index));
        if (m_current.count > 0)
            line += " of " + grouped(static_cast<std::int64_t>(m_current.count));
        line += " " + m_current.file + " (" + grouped(static_cast<std::int64_t>(m_current.size)) + " bytes)";
    }
    line += ", " + grouped(m_files_done) + " done, " + grouped(static_cast<std::int64_t>(m_bytes_done)) + " bytes, "
        + grouped(static_cast<std::int64_t>(rate)) + " bytes/s";
    if (auto const left = files_time_left(seconds, m_files_done, static_cast<std::int64_t>(m_current.count)))
        line += ", " + duration_text(*left) + " left";
    if (m_retries > 0)
        line += ", " + grouped(m_retries) + (m_retries == 1 ? " retry" : " retries");
    if (!waiting_text.empty())
        line += ", " + waiting_text;
    write_to_terminal(line);
    m_drawn = true;
    m_ever_drawn = true;
}

void FilesProgressLine::clear()
{
    if (!m_drawn)
        return;
    write_to_terminal(erase_line);
    m_drawn = false;
}

} // namespace dcagw::cli
