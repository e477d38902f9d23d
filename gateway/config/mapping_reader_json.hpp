// config/mapping_reader_json: strict reading of small JSON documents (configuration and
// mappings) into checked values, collecting every problem with its JSON path.
//
// Owns: the one place nlohmann-json is parsed for configuration files: a size-limited,
// depth-limited, duplicate-key-refusing parse; typed accessors that report a wrong type or
// a missing key instead of throwing; the refusal of unknown keys with a "did you mean"
// suggestion; JSON Pointer paths for every problem.
// Must never: be included outside gateway/config (nlohmann stays inside this module), throw
// past its functions, or stop at the first problem.
#pragma once

#include "gateway/config/config_reader.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::config::detail {

using Json = nlohmann::json;

// Configuration and mapping files are small; anything larger is a mistake or an attack.
inline constexpr std::size_t max_settings_file_bytes = 1 << 20;
// Deeper nesting than any valid configuration needs is refused before a tree is built.
inline constexpr std::size_t max_json_depth = 16;

// Collects the problems of one file.
class ProblemSink {
public:
    ProblemSink(std::string file, std::vector<ConfigProblem>& problems) : m_file(std::move(file)), m_problems(problems) {}

    void add(std::string json_path, std::string reason);
    std::string const& file() const { return m_file; }
    std::size_t count() const { return m_count; }

private:
    std::string m_file;
    std::vector<ConfigProblem>& m_problems;
    std::size_t m_count { 0 };
};

enum class Presence { Required, Optional };

// Parses a whole document. On failure (not JSON, nesting too deep, a key repeated in one
// object) adds the problem(s) and returns nullopt.
std::optional<Json> parse_document(std::string_view text, ProblemSink& sink);

// JSON Pointer (RFC 6901) path building, escaping '~' and '/'.
std::string join_path(std::string_view parent, std::string_view key);
std::string join_path(std::string_view parent, std::size_t index);

// 'text' in single quotes, control characters escaped and long text cut, for messages.
std::string in_quotes(std::string_view text);

// The candidate closest to `word` by edit distance, or empty when none is close enough
// to be a plausible typo.
std::string_view nearest_name(std::string_view word, std::span<std::string_view const> candidates);
// " (did you mean 'x'?)" or empty.
std::string did_you_mean(std::string_view word, std::span<std::string_view const> candidates);

char const* type_name(Json const& value);

// Reads one JSON object. The constructor reports every key not in `allowed_keys` (with a
// suggestion); the accessors report missing required keys and wrong types, and return
// nullopt / nullptr in those cases so the caller can go on checking.
class ObjectReader {
public:
    ObjectReader(Json const& object, std::string path, ProblemSink& sink, std::span<std::string_view const> allowed_keys);

    bool has(std::string_view key) const;
    std::string path_of(std::string_view key) const { return join_path(m_path, key); }
    std::string const& path() const { return m_path; }
    ProblemSink& sink() { return m_sink; }

    Json const* value(std::string_view key, Presence presence);
    // Strings must be non-empty unless Emptiness::Allowed.
    enum class Emptiness { Refused, Allowed };
    std::optional<std::string> string(std::string_view key, Presence presence, Emptiness emptiness = Emptiness::Refused);
    std::optional<bool> boolean(std::string_view key, Presence presence);
    std::optional<std::int64_t> integer(std::string_view key, Presence presence);
    // A whole number >= minimum.
    std::optional<std::uint64_t> unsigned_integer(std::string_view key, Presence presence, std::uint64_t minimum = 0);
    // An array of non-empty strings (at most max_items).
    std::optional<std::vector<std::string>> string_array(std::string_view key, Presence presence, std::size_t max_items = 1024);
    Json const* object(std::string_view key, Presence presence);
    Json const* array(std::string_view key, Presence presence);

private:
    Json const& m_object;
    std::string m_path;
    ProblemSink& m_sink;
};

// True when value is an object; otherwise reports "must be an object".
bool expect_object(Json const& value, std::string const& path, ProblemSink& sink);

} // namespace dcagw::config::detail
