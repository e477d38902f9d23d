#include "gateway/exchange/backoff.hpp"

#include <algorithm>
#include <random>

namespace dcagw::exchange {

std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds initial, std::chrono::milliseconds maximum, double random_fraction)
{
    std::int64_t step = std::max<std::int64_t>(initial.count(), 0);
    for (int doubling = 1; doubling < attempt && step < maximum.count(); ++doubling)
        step *= 2;
    step = std::min<std::int64_t>(step, std::max<std::int64_t>(maximum.count(), 0));
    random_fraction = std::clamp(random_fraction, 0.0, 1.0);
    // Jitter spreads the retries of several gateways that lost the same server at once.
    auto const half = step / 2;
    return std::chrono::milliseconds(half + static_cast<std::int64_t>(static_cast<double>(step - half) * random_fraction));
}

double jitter_fraction()
{
    static thread_local std::mt19937_64 generator { std::random_device {}() };
    return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

} // namespace dcagw::exchange
