#include "gateway/crypto/rnp_diagnostics.hpp"

#include <cerrno>
#include <cstdio>
#include <mutex>
#include <string>
#include <unistd.h>

namespace dcagw::crypto::detail {

namespace {

// A partial line longer than this is passed on as it is (no librnp line is this long),
// so the pending text stays bounded.
constexpr std::size_t max_pending_bytes = 64 * 1024;

struct Filter {
    int descriptor { STDERR_FILENO };
    std::string pending;
};

void write_all(int descriptor, std::string_view bytes)
{
    while (!bytes.empty()) {
        auto const written = ::write(descriptor, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return; // standard error is gone: nothing better can be done with the text
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
}

void pass_complete_lines(Filter& filter)
{
    std::size_t start = 0;
    for (auto end = filter.pending.find('\n'); end != std::string::npos; end = filter.pending.find('\n', start)) {
        std::string_view const line(filter.pending.data() + start, end - start);
        if (!is_librnp_log_line(line))
            write_all(filter.descriptor, std::string_view(filter.pending.data() + start, end - start + 1));
        start = end + 1;
    }
    filter.pending.erase(0, start);
    if (filter.pending.size() > max_pending_bytes) {
        write_all(filter.descriptor, filter.pending);
        filter.pending.clear();
    }
}

ssize_t filter_write(void* cookie, char const* bytes, std::size_t size)
{
    auto& filter = *static_cast<Filter*>(cookie);
    filter.pending.append(bytes, size);
    pass_complete_lines(filter);
    return static_cast<ssize_t>(size);
}

int filter_close(void* cookie)
{
    auto& filter = *static_cast<Filter*>(cookie);
    if (!filter.pending.empty() && !is_librnp_log_line(filter.pending))
        write_all(filter.descriptor, filter.pending);
    filter.pending.clear();
    return 0;
}

} // namespace

bool is_librnp_log_line(std::string_view line)
{
    // "[" function "() " path ":" line-number "] " message
    if (line.size() < 2 || line.front() != '[')
        return false;
    auto const close = line.find("] ");
    if (close == std::string_view::npos)
        return false;
    auto const inside = line.substr(1, close - 1);
    auto const call = inside.find("() ");
    auto const colon = inside.rfind(':');
    if (call == std::string_view::npos || colon == std::string_view::npos || colon < call || colon + 1 == inside.size())
        return false;
    for (char const c : inside.substr(colon + 1))
        if (c < '0' || c > '9')
            return false;
    return true;
}

void filter_librnp_diagnostics()
{
    static std::once_flag once;
    std::call_once(once, [] {
        // Lives as long as the process: stdio flushes and closes it at exit.
        static Filter filter;
        cookie_io_functions_t const functions { nullptr, filter_write, nullptr, filter_close };
        std::FILE* const stream = ::fopencookie(&filter, "w", functions);
        if (stream == nullptr)
            return; // the lines then reach the terminal raw, as before; nothing else changes
        std::setvbuf(stream, nullptr, _IOLBF, 4096);
        std::fflush(stderr);
        stderr = stream;
    });
}

} // namespace dcagw::crypto::detail
