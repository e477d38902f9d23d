#include "gateway/metrics/textfile.hpp"

#include "gateway/base/file.hpp"

#include <algorithm>

namespace dcagw::metrics {

namespace {

using base::ErrorCode;

bool is_name_start(char c, bool colon_allowed) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon_allowed && c == ':'); }
bool is_name_rest(char c, bool colon_allowed) { return is_name_start(c, colon_allowed) || (c >= '0' && c <= '9'); }

// [a-zA-Z_:][a-zA-Z0-9_:]* for metrics, the same without ':' for labels; names starting
// "__" are reserved by Prometheus.
bool is_valid_name(std::string_view name, bool colon_allowed)
{
    if (name.empty() || !is_name_start(name.front(), colon_allowed) || name.starts_with("__"))
        return false;
    return std::all_of(name.begin() + 1, name.end(), [&](char c) { return is_name_rest(c, colon_allowed); });
}

void append_escaped(std::string& out, std::string_view text, bool quote_escaped)
{
    for (char const c : text) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (c == '"' && quote_escaped)
            out += "\\\"";
        else
            out.push_back(c);
    }
}

} // namespace

base::Result<void> TextfileWriter::family(std::string_view name, MetricType type, std::string_view help)
{
    if (!is_valid_name(name, true))
        return base::Error(ErrorCode::Internal, "metrics: '" + std::string(name) + "' is not a metric name");
    if (std::find(m_families.begin(), m_families.end(), name) != m_families.end())
        return base::Error(ErrorCode::Internal, "metrics: family " + std::string(name) + " started twice");
    m_families.emplace_back(name);
    m_family = name;
    m_text += "# HELP ";
    m_text += name;
    m_text += ' ';
    append_escaped(m_text, help, false);
    m_text += "\n# TYPE ";
    m_text += name;
    m_text += type == MetricType::Counter ? " counter\n" : " gauge\n";
    return {};
}

base::Result<void> TextfileWriter::sample(std::string_view name, Labels const& labels, std::int64_t value)
{
    if (name != m_family)
        return base::Error(ErrorCode::Internal, "metrics: a sample of " + std::string(name) + " outside its family");
    m_text += name;
    if (!labels.empty()) {
        m_text += '{';
        for (std::size_t index = 0; index < labels.size(); ++index) {
            auto const& [label, label_value] = labels[index];
            if (!is_valid_name(label, false))
                return base::Error(ErrorCode::Internal, "metrics: '" + std::string(label) + "' is not a label name");
            if (index > 0)
                m_text += ',';
            m_text += label;
            m_text += "=\"";
            append_escaped(m_text, label_value, true);
            m_text += '"';
        }
        m_text += '}';
    }
    m_text += ' ';
    m_text += std::to_string(value);
    m_text += '\n';
    return {};
}

base::Result<void> publish_textfile(std::filesystem::path const& path, std::string_view text)
{
    auto file = TRY(base::AtomicFile::create(path, base::Overwrite::Yes));
    TRY(file.write(text));
    TRY(file.finish());
    std::error_code error;
    std::filesystem::permissions(file.temporary_path(),
        std::filesystem::perms::owner_read | std::filesystem::perms::owner_write | std::filesystem::perms::group_read | std::filesystem::perms::others_read, error);
    if (error) {
        file.abandon();
        return base::Error(ErrorCode::FileWriteFailed, file.temporary_path().string() + ": cannot make the metrics file readable: " + error.message());
    }
    return file.commit();
}

} // namespace dcagw::metrics
