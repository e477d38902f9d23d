// bench/bench_timing: wall and CPU clocks for the benchmark programs. CPU time is
// reported next to wall time because wall time on a shared machine measures the others.
#pragma once

#include <chrono>
#include <sys/resource.h>

namespace dcagw::bench {

inline double seconds_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// User + system CPU seconds of this process (every thread) so far.
inline double cpu_seconds()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

} // namespace dcagw::bench
