// exchange/backoff: how long to wait before the next attempt of a transient failure.
//
// Owns: exponential backoff with full jitter between half and all of the step, capped.
// Must never: sleep itself (callers inject the sleeper so tests do not wait).
#pragma once

#include <chrono>
#include <cstdint>

namespace dcagw::exchange {

// The wait after failed attempt `attempt` (1-based): initial * 2^(attempt-1), capped at
// maximum, then a random point in [step/2, step]. `random_fraction` is in [0, 1).
std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds initial, std::chrono::milliseconds maximum, double random_fraction);

// A random fraction in [0, 1) for backoff_delay.
double jitter_fraction();

} // namespace dcagw::exchange
