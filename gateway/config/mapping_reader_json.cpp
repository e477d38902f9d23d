#include "gateway/config/mapping_reader_json.hpp"

#include <algorithm>
#include <set>

namespace dcagw::config::detail {

namespace {

// A first pass over the document that builds nothing: it finds syntax errors with their
// line and column, keys repeated in one object (nlohmann would silently keep the last,
// hiding a typo or an edit gone wrong) and nesting deeper than any real file needs.
class ShapeChecker final : public nlohmann::json_sax<Json> {
public:
    explicit ShapeChecker(ProblemSink& sink) : m_sink(sink) {}

    bool null() override { return value_done(); }
    bool boolean(bool) override { return value_done(); }
    bool number_integer(number_integer_t) override { return value_done(); }
    bool number_unsigned(number_unsigned_t) override { return value_done(); }
    bool number_float(number_float_t, string_t const&) override { return value_done(); }
    bool string(string_t&) override { return value_done(); }
    bool binary(binary_t&) override { return value_done(); }

    bool start_object(std::size_t) override { return open(Frame::Kind::Object); }
    bool key(string_t& name) override
    {
        auto& frame = m_frames.back();
        if (!frame.keys.insert(name).second) {
            m_sink.add(join_path(current_path(), name), "key appears twice in the same object");
            m_failed = true;
        }
        frame.current_key = name;
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(Frame::Kind::Array); }
    bool end_array() override { return close(); }

    bool parse_error(std::size_t, std::string const&, nlohmann::detail::exception const& error) override
    {
        // The library's message already names line and column; drop its "[json.exception...]" tag.
        std::string message = error.what();
        if (auto const end = message.find("] "); message.starts_with("[json.exception") && end != std::string::npos)
            message.erase(0, end + 2);
        m_sink.add("", "not valid JSON: " + message);
        m_failed = true;
        return false;
    }

    bool failed() const { return m_failed; }

private:
    struct Frame {
        enum class Kind { Object, Array } kind;
        std::set<std::string, std::less<>> keys;
        std::string current_key;
        std::size_t index { 0 };
    };

    // The path of the innermost open container: each enclosing frame contributes the key
    // or index under which the next frame lives.
    std::string current_path() const
    {
        std::string path;
        for (std::size_t i = 0; i + 1 < m_frames.size(); ++i) {
            auto const& frame = m_frames[i];
            path = frame.kind == Frame::Kind::Object ? join_path(path, frame.current_key) : join_path(path, frame.index);
        }
        return path;
    }

    bool value_done()
    {
        if (!m_frames.empty() && m_frames.back().kind == Frame::Kind::Array)
            ++m_frames.back().index;
        return true;
    }
    bool open(Frame::Kind kind)
    {
        if (m_frames.size() >= max_json_depth) {
            m_sink.add(current_path(), "nested deeper than " + std::to_string(max_json_depth) + " levels");
            m_failed = true;
            return false;
        }
        m_frames.push_back(Frame { kind, {}, {}, 0 });
        return true;
    }
    bool close()
    {
        m_frames.pop_back();
        return value_done();
    }

    ProblemSink& m_sink;
    std::vector<Frame> m_frames;
    bool m_failed { false };
};

std::size_t edit_distance(std::string_view left, std::string_view right)
{
    std::vector<std::size_t> previous(right.size() + 1), current(right.size() + 1);
    for (std::size_t j = 0; j <= right.size(); ++j)
        previous[j] = j;
    for (std::size_t i = 1; i <= left.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= right.size(); ++j) {
            std::size_t const substitution = previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1);
            current[j] = std::min({ previous[j] + 1, current[j - 1] + 1, substitution });
        }
        std::swap(previous, current);
    }
    return previous[right.size()];
}

} // namespace

void ProblemSink::add(std::string json_path, std::string reason)
{
    ++m_count;
    m_problems.push_back(ConfigProblem { m_file, std::move(json_path), std::move(reason) });
}

std::optional<Json> parse_document(std::string_view text, ProblemSink& sink)
{
    // Both passes are wrapped: nlohmann may throw (e.g. on allocation failure), and no
    // exception may leave the config module.
    try {
        ShapeChecker checker(sink);
        bool const accepted = Json::sax_parse(text.begin(), text.end(), &checker);
        if (!accepted || checker.failed())
            return std::nullopt;
        Json document = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
        if (document.is_discarded()) {
            sink.add("", "not valid JSON");
            return std::nullopt;
        }
        return document;
    } catch (std::exception const& error) {
        sink.add("", std::string("cannot parse JSON: ") + error.what());
        return std::nullopt;
    }
}

std::string join_path(std::string_view parent, std::string_view key)
{
    std::string path(parent);
    path.push_back('/');
    for (char c : key) {
        if (c == '~')
            path.append("~0");
        else if (c == '/')
            path.append("~1");
        else
            path.push_back(c);
    }
    return path;
}

std::string join_path(std::string_view parent, std::size_t index)
{
    std::string path(parent);
    path.push_back('/');
    path.append(std::to_string(index));
    return path;
}

std::string in_quotes(std::string_view text)
{
    constexpr std::size_t shown = 60;
    std::string out = "'";
    std::size_t count = 0;
    for (char c : text) {
        if (++count > shown) {
            out.append("...");
            break;
        }
        auto const byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            static constexpr char hex[] = "0123456789abcdef";
            out.append("\\x");
            out.push_back(hex[byte >> 4]);
            out.push_back(hex[byte & 0xF]);
        } else {
            out.push_back(c);
        }
    }
    out.push_back('\'');
    return out;
}

std::string_view nearest_name(std::string_view word, std::span<std::string_view const> candidates)
{
    if (word.size() > 64)
        return {};
    std::string_view best;
    std::size_t best_distance = static_cast<std::size_t>(-1);
    for (auto candidate : candidates) {
        auto const distance = edit_distance(word, candidate);
        if (distance < best_distance) {
            best_distance = distance;
            best = candidate;
        }
    }
    // A third of the word's length (at least 2 edits) reads as a typo; so does up to half
    // when the start is right ("uppcase" for "upper").
    std::size_t common_prefix = 0;
    while (common_prefix < word.size() && common_prefix < best.size() && word[common_prefix] == best[common_prefix])
        ++common_prefix;
    bool const close = best_distance <= std::max<std::size_t>(2, word.size() / 3);
    bool const same_start = common_prefix >= 3 && best_distance <= (word.size() + 1) / 2;
    if (!close && !same_start)
        return {};
    return best;
}

std::string did_you_mean(std::string_view word, std::span<std::string_view const> candidates)
{
    auto const nearest = nearest_name(word, candidates);
    if (nearest.empty())
        return {};
    return " (did you mean '" + std::string(nearest) + "'?)";
}

char const* type_name(Json const& value)
{
    return value.type_name();
}

bool expect_object(Json const& value, std::string const& path, ProblemSink& sink)
{
    if (value.is_object())
        return true;
    sink.add(path, std::string("must be an object, not ") + type_name(value));
    return false;
}

ObjectReader::ObjectReader(Json const& object, std::string path, ProblemSink& sink, std::span<std::string_view const> allowed_keys)
    : m_object(object)
    , m_path(std::move(path))
    , m_sink(sink)
{
    for (auto const& item : m_object.items()) {
        auto const& key = item.key();
        if (std::find(allowed_keys.begin(), allowed_keys.end(), key) == allowed_keys.end())
            m_sink.add(join_path(m_path, key), "unknown key " + in_quotes(key) + did_you_mean(key, allowed_keys));
    }
}

bool ObjectReader::has(std::string_view key) const
{
    return m_object.find(key) != m_object.end();
}

Json const* ObjectReader::value(std::string_view key, Presence presence)
{
    auto const found = m_object.find(key);
    if (found == m_object.end()) {
        if (presence == Presence::Required)
            m_sink.add(path_of(key), "required key is missing");
        return nullptr;
    }
    return &*found;
}

std::optional<std::string> ObjectReader::string(std::string_view key, Presence presence, Emptiness emptiness)
{
    auto const* item = value(key, presence);
    if (item == nullptr)
        return std::nullopt;
    if (!item->is_string()) {
        m_sink.add(path_of(key), std::string("must be a string, not ") + type_name(*item));
        return std::nullopt;
    }
    auto const& text = item->get_ref<std::string const&>();
    if (text.empty() && emptiness == Emptiness::Refused) {
        m_sink.add(path_of(key), "must not be empty");
        return std::nullopt;
    }
    return text;
}

std::optional<bool> ObjectReader::boolean(std::string_view key, Presence presence)
{
    auto const* item = value(key, presence);
    if (item == nullptr)
        return std::nullopt;
    if (!item->is_boolean()) {
        m_sink.add(path_of(key), std::string("must be true or false, not ") + type_name(*item));
        return std::nullopt;
    }
    return item->get<bool>();
}

std::optional<std::int64_t> ObjectReader::integer(std::string_view key, Presence presence)
{
    auto const* item = value(key, presence);
    if (item == nullptr)
        return std::nullopt;
    if (item->is_number_integer() && !item->is_number_unsigned())
        return item->get<std::int64_t>();
    if (item->is_number_unsigned()) {
        auto const number = item->get<std::uint64_t>();
        if (number <= static_cast<std::uint64_t>(INT64_MAX))
            return static_cast<std::int64_t>(number);
    }
    m_sink.add(path_of(key), std::string("must be a whole number within 64 bits, not ") + type_name(*item));
    return std::nullopt;
}

std::optional<std::uint64_t> ObjectReader::unsigned_integer(std::string_view key, Presence presence, std::uint64_t minimum)
{
    auto const* item = value(key, presence);
    if (item == nullptr)
        return std::nullopt;
    if (!item->is_number_unsigned()) {
        m_sink.add(path_of(key), std::string("must be a whole number of at least ") + std::to_string(minimum) + ", not " + (item->is_number_integer() ? "a negative number" : type_name(*item)));
        return std::nullopt;
    }
    auto const number = item->get<std::uint64_t>();
    if (number < minimum) {
        m_sink.add(path_of(key), "must be at least " + std::to_string(minimum));
        return std::nullopt;
    }
    return number;
}

std::optional<std::vector<std::string>> ObjectReader::string_array(std::string_view key, Presence presence, std::size_t max_items)
{
    auto const* item = array(key, presence);
    if (item == nullptr)
        return std::nullopt;
    if (item->size() > max_items) {
        m_sink.add(path_of(key), "has more than " + std::to_string(max_items) + " items");
        return std::nullopt;
    }
    std::vector<std::string> strings;
    bool all_good = true;
    std::size_t index = 0;
    for (auto const& element : *item) {
        auto const element_path = join_path(path_of(key), index++);
        if (!element.is_string()) {
            m_sink.add(element_path, std::string("must be a string, not ") + type_name(element));
            all_good = false;
        } else if (element.get_ref<std::string const&>().empty()) {
            m_sink.add(element_path, "must not be empty");
            all_good = false;
        } else {
            strings.push_back(element.get<std::string>());
        }
    }
    if (!all_good)
        return std::nullopt;
    return strings;
}

Json const* ObjectReader::object(std::string_view key, Presence presence)
{
    auto const* item = value(key, presence);
    if (item == nullptr)
        return nullptr;
    if (!expect_object(*item, path_of(key), m_sink))
        return nullptr;
    return item;
}

Json const* ObjectReader::array(std::string_view key, Presence presence)
{
    auto const* item = value(key, presence);
    if (item == nullptr)
        return nullptr;
    if (!item->is_array()) {
        m_sink.add(path_of(key), std::string("must be an array, not ") + type_name(*item));
        return nullptr;
    }
    return item;
}

} // namespace dcagw::config::detail
