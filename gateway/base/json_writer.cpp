#include "gateway/base/json_writer.hpp"

#include "gateway/base/text.hpp"

namespace dcagw::base {

void JsonObject::append_key(std::string_view key)
{
    if (m_text.size() > 1)
        m_text += ',';
    append_json_string(m_text, key);
    m_text += ':';
}

JsonObject& JsonObject::text(std::string_view key, std::string_view value)
{
    append_key(key);
    append_json_string(m_text, value);
    return *this;
}

JsonObject& JsonObject::number(std::string_view key, std::int64_t value)
{
    append_key(key);
    m_text += std::to_string(value);
    return *this;
}

JsonObject& JsonObject::boolean(std::string_view key, bool value)
{
    append_key(key);
    m_text += value ? "true" : "false";
    return *this;
}

JsonObject& JsonObject::strings(std::string_view key, std::vector<std::string> const& values)
{
    return json(key, json_string_array(values));
}

JsonObject& JsonObject::json(std::string_view key, std::string_view value)
{
    append_key(key);
    m_text += value;
    return *this;
}

std::string JsonObject::take()
{
    m_text += '}';
    return std::move(m_text);
}

std::string json_array(std::vector<std::string> const& values)
{
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += ',';
        out += values[i];
    }
    return out + "]";
}

std::string json_string_array(std::vector<std::string> const& values)
{
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += ',';
        append_json_string(out, values[i]);
    }
    return out + "]";
}

} // namespace dcagw::base
