// metrics/textfile: the gateway's metrics in the Prometheus text exposition format, as
// node_exporter's textfile collector reads them (issue #17 item 4, docs/schedule.md).
//
// Owns: metric families (HELP and TYPE once, before their samples), samples with labels
// (values escaped as the format requires), and publishing the whole file atomically
// (a temporary name the collector ignores, then a rename), readable by the exporter.
// Must never: put personal data in a metric (labels are agency ids, job and outcome
// names), or leave a half-written file where the collector would read it.
#pragma once

#include "gateway/base/result.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dcagw::metrics {

enum class MetricType : std::uint8_t { Counter, Gauge };

using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

class TextfileWriter {
public:
    // Starts a family. Refused (Internal: a programming error) when the name is not a
    // Prometheus metric name or the family was already started.
    base::Result<void> family(std::string_view name, MetricType type, std::string_view help);
    // One sample of the family started last. Refused (Internal) for a sample of another
    // family or a label name that is not a Prometheus label name.
    base::Result<void> sample(std::string_view name, Labels const& labels, std::int64_t value);

    std::string const& text() const { return m_text; }

private:
    std::string m_text;
    std::string m_family;
    std::vector<std::string> m_families;
};

// Writes `text` to `path` (which should end in ".prom") atomically, mode 0644: metrics
// hold no personal data and the exporter runs as its own user.
base::Result<void> publish_textfile(std::filesystem::path const& path, std::string_view text);

} // namespace dcagw::metrics
