// What the audit log adds to a placement run (docs/performance.md): the same
// pipeline::place on the same file with the audit log off and on, alternating, each on a
// fresh state folder. `dcagw place` always writes the audit log; only this program can
// turn it off.
// Usage: place_bench CONFIG [ROUNDS=2]   (the configuration's state folder is deleted)
#include "gateway/config/config_reader.hpp"
#include "gateway/pipeline/place.hpp"

#include "bench_timing.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

using namespace dcagw;
using dcagw::bench::cpu_seconds;
using dcagw::bench::seconds_since;

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: place_bench CONFIG [ROUNDS]\n");
        return 2;
    }
    int const rounds = argc > 2 ? std::atoi(argv[2]) : 2;
    auto config = config::load_config(argv[1]);
    if (config.is_error()) {
        std::fprintf(stderr, "place_bench: %s\n", config.error().to_text().c_str());
        return 2;
    }
    double totals[2] = { 0, 0 };
    double cpu_totals[2] = { 0, 0 };
    for (int round = 0; round < rounds; ++round) {
        for (int audited = 0; audited < 2; ++audited) {
            std::filesystem::remove_all(config.value().state_directory);
            pipeline::PlaceOptions options;
            options.today = *base::Date::parse("2026-11-23");
            options.actor = "scheduler";
            options.record_audit = audited == 1;
            auto const cpu = cpu_seconds();
            auto const start = std::chrono::steady_clock::now();
            auto const summary = pipeline::place(config.value(), options);
            auto const took = seconds_since(start);
            auto const cpu_took = cpu_seconds() - cpu;
            if (summary.is_error()) {
                std::fprintf(stderr, "place_bench: %s\n", summary.error().to_text().c_str());
                return 1;
            }
            totals[audited] += took;
            cpu_totals[audited] += cpu_took;
            std::printf("round %d, audit %-3s: %.2f s wall, %.2f s CPU, %lld placed\n", round + 1, audited ? "on" : "off", took, cpu_took,
                static_cast<long long>(summary.value().agencies.empty() ? 0 : summary.value().agencies[0].placed));
        }
    }
    std::printf("mean wall: audit off %.2f s, on %.2f s (+%.1f%%); mean CPU: off %.2f s, on %.2f s (+%.1f%%)\n", totals[0] / rounds, totals[1] / rounds,
        100.0 * (totals[1] - totals[0]) / totals[0], cpu_totals[0] / rounds, cpu_totals[1] / rounds, 100.0 * (cpu_totals[1] - cpu_totals[0]) / cpu_totals[0]);
    return 0;
}
