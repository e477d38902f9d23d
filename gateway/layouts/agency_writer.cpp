#include "gateway/layouts/agency_writer.hpp"

#include "gateway/base/text.hpp"

#include <array>
#include <cassert>
#include <cstdint>
#include <cstring>

namespace dcagw::layouts {

namespace {

using base::ErrorCode;
using base::make_error;

// The common part of the three layouts: one reused row buffer, written to the sink once
// per row, so memory stays at one row however many rows are written.
class WriterBase : public AgencyFileWriter {
public:
    WriterBase(model::Mapping const& mapping, base::ByteSink& sink) : m_mapping(mapping), m_sink(sink) {}

    base::Result<void> write_row(std::span<std::string const> values) final
    {
        if (m_finished)
            return make_error(ErrorCode::Internal, "agency file writer: write_row after finish");
        if (values.size() != m_mapping.columns.size()) {
            assert(false && "one value per mapping column");
            return make_error(ErrorCode::Internal, "agency file writer: " + std::to_string(values.size()) + " values for " + std::to_string(m_mapping.columns.size()) + " columns");
        }
        m_buffer.clear();
        TRY(append_row(values));
        ++m_rows;
        return m_sink.write(m_buffer);
    }

    base::Result<void> finish() final
    {
        if (m_finished)
            return make_error(ErrorCode::Internal, "agency file writer: finish called twice");
        m_finished = true;
        m_buffer.clear();
        append_closing();
        if (!m_buffer.empty())
            TRY(m_sink.write(m_buffer));
        return m_sink.finish();
    }

    base::Result<void> start()
    {
        m_buffer.clear();
        append_opening();
        if (m_buffer.empty())
            return {};
        return m_sink.write(m_buffer);
    }

protected:
    virtual void append_opening() = 0;
    virtual base::Result<void> append_row(std::span<std::string const> values) = 0;
    virtual void append_closing() = 0;

    // A copy, so the writer does not depend on the caller keeping the mapping alive.
    model::Mapping const m_mapping;
    std::string m_buffer;
    std::uint64_t m_rows { 0 };

private:
    base::ByteSink& m_sink;
    bool m_finished { false };
};

// Byte classes for the fast scans below. A value is scanned once with a table lookup per
// byte and no branches; only the rare value that needs escaping goes through the base
// escaping functions. This keeps a million-row file well under a second.
using ByteTable = std::array<std::uint8_t, 256>;
constexpr std::uint8_t needs_escaping = 1;
constexpr std::uint8_t unrepresentable = 2;

// Word-at-a-time tests (the "has a zero byte" trick): true when any of the 8 bytes in
// `word` equals `byte` / is below `limit` (limit <= 0x80). Exact as a yes/no answer.
constexpr std::uint64_t ones = 0x0101010101010101ull;
constexpr std::uint64_t highs = 0x8080808080808080ull;
constexpr bool any_equal(std::uint64_t word, unsigned char byte)
{
    std::uint64_t const x = word ^ (ones * byte);
    return ((x - ones) & ~x & highs) != 0;
}
constexpr bool any_below(std::uint64_t word, unsigned char limit)
{
    return ((word - ones * limit) & ~word & highs) != 0;
}

// The flags of all bytes of text. Eight bytes at a time are first tested with
// `suspicious`; only text where it fires (rare: values that need escaping) is classified
// byte by byte.
template<typename Suspicious>
std::uint8_t scan(ByteTable const& table, std::string_view text, Suspicious suspicious)
{
    std::size_t index = 0;
    bool maybe = false;
    for (; index + 8 <= text.size(); index += 8) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + index, 8);
        if (suspicious(word)) {
            maybe = true;
            break;
        }
    }
    if (maybe)
        index = 0;
    std::uint8_t flags = 0;
    for (; index < text.size(); ++index)
        flags |= table[static_cast<unsigned char>(text[index])];
    return flags;
}

ByteTable csv_table(char delimiter)
{
    ByteTable table {};
    for (char c : { delimiter, '"', '\r', '\n' })
        table[static_cast<unsigned char>(c)] = needs_escaping;
    return table;
}

constexpr ByteTable json_table()
{
    ByteTable table {};
    for (int c = 0; c < 0x20; ++c)
        table[c] = needs_escaping;
    table['"'] = needs_escaping;
    table['\\'] = needs_escaping;
    return table;
}

// XML 1.0 cannot carry most C0 control characters at all, not even escaped; a value
// holding one is refused rather than written as a document no parser accepts.
constexpr ByteTable xml_table()
{
    ByteTable table {};
    for (int c = 0; c < 0x20; ++c)
        table[c] = unrepresentable;
    table['\t'] = 0;
    table['\n'] = 0;
    table['\r'] = needs_escaping;
    for (char c : { '&', '<', '>', '"', '\'' })
        table[static_cast<unsigned char>(c)] = needs_escaping;
    return table;
}

class CsvWriter final : public WriterBase {
public:
    CsvWriter(model::Mapping const& mapping, base::ByteSink& sink)
        : WriterBase(mapping, sink)
        , m_table(csv_table(mapping.csv_delimiter))
        , m_line_end(mapping.crlf ? "\r\n" : "\n")
    {
    }

private:
    void append_field(std::string_view text)
    {
        // The same rule as base::append_csv_field: quote for the delimiter, a quote, CR or
        // LF inside, or a leading or trailing space.
        char const delimiter = m_mapping.csv_delimiter;
        auto const suspicious = [delimiter](std::uint64_t word) {
            return any_equal(word, static_cast<unsigned char>(delimiter)) || any_equal(word, '"') || any_below(word, 0x0e);
        };
        bool const quote = scan(m_table, text, suspicious) != 0 || (!text.empty() && (text.front() == ' ' || text.back() == ' '));
        if (quote)
            base::append_csv_field(m_buffer, text, m_mapping.csv_delimiter);
        else
            m_buffer.append(text);
    }

    void append_opening() override
    {
        if (!m_mapping.csv_header)
            return;
        for (std::size_t index = 0; index < m_mapping.columns.size(); ++index) {
            if (index > 0)
                m_buffer.push_back(m_mapping.csv_delimiter);
            append_field(m_mapping.columns[index].name);
        }
        m_buffer.append(m_line_end);
    }

    base::Result<void> append_row(std::span<std::string const> values) override
    {
        for (std::size_t index = 0; index < values.size(); ++index) {
            if (index > 0)
                m_buffer.push_back(m_mapping.csv_delimiter);
            append_field(values[index]);
        }
        m_buffer.append(m_line_end);
        return {};
    }

    void append_closing() override {}

    ByteTable m_table;
    std::string_view m_line_end;
};

// A JSON array with one object per line, keys in column order:
// [
// {"a":"1","b":"2"},
// {"a":"3","b":"4"}
// ]
class JsonWriter final : public WriterBase {
public:
    JsonWriter(model::Mapping const& mapping, base::ByteSink& sink) : WriterBase(mapping, sink)
    {
        // The text between values never changes: build it once. Segment i closes value
        // i-1's string and opens value i's: `","key_i":"`.
        for (std::size_t index = 0; index < mapping.columns.size(); ++index) {
            std::string segment = index == 0 ? "{" : "\",";
            base::append_json_string(segment, mapping.columns[index].name);
            segment.append(":\"");
            m_segments.push_back(std::move(segment));
        }
    }

private:
    void append_opening() override { m_buffer.push_back('['); }

    base::Result<void> append_row(std::span<std::string const> values) override
    {
        m_buffer.append(m_rows == 0 ? "\n" : ",\n");
        for (std::size_t index = 0; index < values.size(); ++index) {
            m_buffer.append(m_segments[index]);
            auto const& value = values[index];
            auto const suspicious = [](std::uint64_t word) { return any_below(word, 0x20) || any_equal(word, '"') || any_equal(word, '\\'); };
            if (scan(s_table, value, suspicious) == 0) {
                m_buffer.append(value);
            } else {
                // append_json_string writes both quotes; the segments already hold them.
                m_buffer.pop_back();
                base::append_json_string(m_buffer, value);
                m_buffer.pop_back();
            }
        }
        m_buffer.append("\"}");
        return {};
    }

    void append_closing() override { m_buffer.append(m_rows == 0 ? "]\n" : "\n]\n"); }

    static constexpr ByteTable s_table = json_table();
    std::vector<std::string> m_segments;
};

// <?xml version="1.0" encoding="UTF-8"?>
// <Root>
//   <Record>
//     <column>value</column>
//   </Record>
// </Root>
class XmlWriter final : public WriterBase {
public:
    XmlWriter(model::Mapping const& mapping, base::ByteSink& sink) : WriterBase(mapping, sink)
    {
        // The markup between values never changes: segment i closes value i-1's element
        // and opens value i's; the last one closes the record.
        auto const& columns = mapping.columns;
        for (std::size_t index = 0; index < columns.size(); ++index) {
            std::string segment = index == 0 ? "  <" + mapping.xml_record + ">\n" : "</" + columns[index - 1].name + ">\n";
            segment += "    <" + columns[index].name + ">";
            m_segments.push_back(std::move(segment));
        }
        m_segments.push_back("</" + columns.back().name + ">\n  </" + mapping.xml_record + ">\n");
    }

private:
    void append_opening() override
    {
        m_buffer.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<");
        m_buffer.append(m_mapping.xml_root);
        m_buffer.append(">\n");
    }

    base::Result<void> append_row(std::span<std::string const> values) override
    {
        for (std::size_t index = 0; index < values.size(); ++index) {
            m_buffer.append(m_segments[index]);
            auto const& value = values[index];
            auto const suspicious = [](std::uint64_t word) {
                return any_below(word, 0x20) || any_equal(word, '&') || any_equal(word, '<') || any_equal(word, '>') || any_equal(word, '"') || any_equal(word, '\'');
            };
            auto const flags = scan(s_table, value, suspicious);
            if (flags == 0)
                m_buffer.append(value);
            else if ((flags & unrepresentable) != 0)
                return make_error(ErrorCode::RecordInvalid, "column " + m_mapping.columns[index].name + ": the value holds a control character XML 1.0 cannot represent");
            else
                base::append_xml_escaped(m_buffer, value);
        }
        m_buffer.append(m_segments.back());
        return {};
    }

    void append_closing() override
    {
        m_buffer.append("</");
        m_buffer.append(m_mapping.xml_root);
        m_buffer.append(">\n");
    }

    static constexpr ByteTable s_table = xml_table();
    std::vector<std::string> m_segments;
};

} // namespace

base::Result<std::unique_ptr<AgencyFileWriter>> make_agency_writer(model::Mapping const& mapping, base::ByteSink& sink)
{
    if (mapping.columns.empty())
        return make_error(ErrorCode::MappingInvalid, "mapping for " + mapping.agency + " has no columns");
    // Checked mappings always pass; these guard a mapping built in code from producing a
    // file the agency cannot parse.
    if (mapping.format == model::OutputFormat::Xml) {
        for (auto const* name : { &mapping.xml_root, &mapping.xml_record })
            if (!model::is_valid_xml_name(*name))
                return make_error(ErrorCode::MappingInvalid, "'" + *name + "' is not a valid XML element name");
        for (auto const& column : mapping.columns)
            if (!model::is_valid_xml_name(column.name))
                return make_error(ErrorCode::MappingInvalid, "column '" + column.name + "' is not a valid XML element name");
    }
    if (mapping.format == model::OutputFormat::Csv && (mapping.csv_delimiter == '"' || mapping.csv_delimiter == '\r' || mapping.csv_delimiter == '\n'))
        return make_error(ErrorCode::MappingInvalid, "the CSV delimiter must not be a quote, CR or LF");
    std::unique_ptr<WriterBase> writer;
    switch (mapping.format) {
    case model::OutputFormat::Csv: writer = std::make_unique<CsvWriter>(mapping, sink); break;
    case model::OutputFormat::Json: writer = std::make_unique<JsonWriter>(mapping, sink); break;
    case model::OutputFormat::Xml: writer = std::make_unique<XmlWriter>(mapping, sink); break;
    }
    if (!writer)
        return make_error(ErrorCode::Internal, "unknown output format");
    TRY(writer->start());
    return std::unique_ptr<AgencyFileWriter>(std::move(writer));
}

} // namespace dcagw::layouts
