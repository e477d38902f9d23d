// Tests of the agency file writers: byte-exact CSV, JSON and XML output for awkward values,
// streaming (one sink write per row), and a timing of a million rows.
#include "gateway/layouts/agency_writer.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <string>
#include <vector>

namespace {

using dcagw::model::Mapping;
using dcagw::model::OutputFormat;

class StringSink final : public dcagw::base::ByteSink {
public:
    using ByteSink::write;
    dcagw::base::Result<void> write(std::span<std::uint8_t const> bytes) override
    {
        REQUIRE_FALSE(finished);
        text.append(reinterpret_cast<char const*>(bytes.data()), bytes.size());
        ++writes;
        largest_write = std::max(largest_write, bytes.size());
        return {};
    }
    dcagw::base::Result<void> finish() override
    {
        finished = true;
        return {};
    }
    std::string text;
    std::size_t writes { 0 };
    std::size_t largest_write { 0 };
    bool finished { false };
};

class NullSink final : public dcagw::base::ByteSink {
public:
    using ByteSink::write;
    dcagw::base::Result<void> write(std::span<std::uint8_t const> bytes) override
    {
        total += bytes.size();
        return {};
    }
    dcagw::base::Result<void> finish() override { return {}; }
    std::uint64_t total { 0 };
};

class FailingSink final : public dcagw::base::ByteSink {
public:
    using ByteSink::write;
    dcagw::base::Result<void> write(std::span<std::uint8_t const>) override
    {
        return dcagw::base::make_error(dcagw::base::ErrorCode::FileWriteFailed, "disk full");
    }
    dcagw::base::Result<void> finish() override { return {}; }
};

Mapping mapping_with(OutputFormat format, std::vector<std::string> const& names)
{
    Mapping mapping;
    mapping.agency = "test-agency";
    mapping.format = format;
    for (auto const& name : names) {
        dcagw::model::OutputColumn column;
        column.name = name;
        mapping.columns.push_back(column);
    }
    return mapping;
}

// Values chosen to break naive writers: the delimiter, quotes, a line break inside a value,
// leading space, Welsh and accented letters, XML specials, a backslash and a tab.
std::vector<std::vector<std::string>> const tricky_rows {
    { "Jones, Dafydd", "He said \"hi\"", "Flat 1\nTŷ Gwyn" },
    { " Siân", "Zoë & <Chloé>", "O'Brien\\path\ttab" },
    { "", "plain", "Llanfair­pwll £12.50" },
};

std::string write_all(Mapping const& mapping, std::vector<std::vector<std::string>> const& rows, StringSink& sink)
{
    auto writer = dcagw::layouts::make_agency_writer(mapping, sink);
    REQUIRE(writer.ok());
    for (auto const& row : rows)
        REQUIRE(writer.value()->write_row(row).ok());
    REQUIRE(writer.value()->finish().ok());
    CHECK(sink.finished);
    return sink.text;
}

} // namespace

TEST_CASE("CSV output: header, RFC 4180 quoting, LF", "[layouts][writer]")
{
    auto const mapping = mapping_with(OutputFormat::Csv, { "name", "note, with comma", "address" });
    StringSink sink;
    auto const text = write_all(mapping, tricky_rows, sink);
    CHECK(text ==
        "name,\"note, with comma\",address\n"
        "\"Jones, Dafydd\",\"He said \"\"hi\"\"\",\"Flat 1\nTŷ Gwyn\"\n"
        "\" Siân\",Zoë & <Chloé>,O'Brien\\path\ttab\n"
        ",plain,Llanfair­pwll £12.50\n");
    // The header is written at once, then one write per row.
    CHECK(sink.writes == 4);
}

TEST_CASE("CSV output: no header, CRLF, another delimiter", "[layouts][writer]")
{
    auto mapping = mapping_with(OutputFormat::Csv, { "a", "b" });
    mapping.csv_header = false;
    mapping.crlf = true;
    mapping.csv_delimiter = ';';
    StringSink sink;
    auto const text = write_all(mapping, { { "x;y", "1,5" }, { "", "" } }, sink);
    CHECK(text == "\"x;y\";1,5\r\n;\r\n");

    StringSink empty;
    CHECK(write_all(mapping, {}, empty).empty());
}

TEST_CASE("JSON output: an array with one object per line, keys in column order", "[layouts][writer]")
{
    auto const mapping = mapping_with(OutputFormat::Json, { "zeta", "al\"pha", "address" });
    StringSink sink;
    auto const text = write_all(mapping, tricky_rows, sink);
    CHECK(text ==
        "[\n"
        "{\"zeta\":\"Jones, Dafydd\",\"al\\\"pha\":\"He said \\\"hi\\\"\",\"address\":\"Flat 1\\nTŷ Gwyn\"},\n"
        "{\"zeta\":\" Siân\",\"al\\\"pha\":\"Zoë & <Chloé>\",\"address\":\"O'Brien\\\\path\\ttab\"},\n"
        "{\"zeta\":\"\",\"al\\\"pha\":\"plain\",\"address\":\"Llanfair­pwll £12.50\"}\n"
        "]\n");

    StringSink control;
    CHECK(write_all(mapping_with(OutputFormat::Json, { "c" }), { { std::string("a\x01z") } }, control) == "[\n{\"c\":\"a\\u0001z\"}\n]\n");

    StringSink empty;
    CHECK(write_all(mapping, {}, empty) == "[]\n");
}

TEST_CASE("XML output: declaration, root, one record element per row", "[layouts][writer]")
{
    auto mapping = mapping_with(OutputFormat::Xml, { "Name", "Note", "Address" });
    mapping.xml_root = "Placements";
    mapping.xml_record = "Account";
    StringSink sink;
    auto const text = write_all(mapping, tricky_rows, sink);
    CHECK(text ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Placements>\n"
        "  <Account>\n"
        "    <Name>Jones, Dafydd</Name>\n"
        "    <Note>He said &quot;hi&quot;</Note>\n"
        "    <Address>Flat 1\nTŷ Gwyn</Address>\n"
        "  </Account>\n"
        "  <Account>\n"
        "    <Name> Siân</Name>\n"
        "    <Note>Zoë &amp; &lt;Chloé&gt;</Note>\n"
        "    <Address>O&apos;Brien\\path\ttab</Address>\n"
        "  </Account>\n"
        "  <Account>\n"
        "    <Name></Name>\n"
        "    <Note>plain</Note>\n"
        "    <Address>Llanfair­pwll £12.50</Address>\n"
        "  </Account>\n"
        "</Placements>\n");

    StringSink carriage;
    auto const with_cr = write_all(mapping_with(OutputFormat::Xml, { "c" }), { { "a\r\nb" } }, carriage);
    CHECK(with_cr.find("<c>a&#13;\nb</c>") != std::string::npos);

    StringSink empty;
    CHECK(write_all(mapping, {}, empty) == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Placements>\n</Placements>\n");
}

TEST_CASE("XML output refuses what XML cannot carry", "[layouts][writer]")
{
    StringSink sink;
    auto writer = dcagw::layouts::make_agency_writer(mapping_with(OutputFormat::Xml, { "c" }), sink);
    REQUIRE(writer.ok());
    std::vector<std::string> const row { std::string("bell\x07") };
    auto const written = writer.value()->write_row(row);
    REQUIRE_FALSE(written.ok());
    CHECK(written.error().code() == dcagw::base::ErrorCode::RecordInvalid);
    CHECK(sink.text.find("bell") == std::string::npos);

    StringSink other;
    auto bad_name = dcagw::layouts::make_agency_writer(mapping_with(OutputFormat::Xml, { "two words" }), other);
    REQUIRE_FALSE(bad_name.ok());
    CHECK(bad_name.error().code() == dcagw::base::ErrorCode::MappingInvalid);
}

TEST_CASE("writer errors: sink failure, misuse", "[layouts][writer]")
{
    FailingSink failing;
    auto writer = dcagw::layouts::make_agency_writer(mapping_with(OutputFormat::Csv, { "a" }), failing);
    REQUIRE_FALSE(writer.ok());
    CHECK(writer.error().code() == dcagw::base::ErrorCode::FileWriteFailed);

    StringSink sink;
    auto csv = dcagw::layouts::make_agency_writer(mapping_with(OutputFormat::Json, { "a" }), sink);
    REQUIRE(csv.ok());
    REQUIRE(csv.value()->finish().ok());
    std::vector<std::string> const row { "late" };
    CHECK_FALSE(csv.value()->write_row(row).ok());
    CHECK_FALSE(csv.value()->finish().ok());
    CHECK(sink.text == "[]\n");

    StringSink none;
    CHECK_FALSE(dcagw::layouts::make_agency_writer(mapping_with(OutputFormat::Csv, {}), none).ok());
}

TEST_CASE("rows stream one sink write at a time", "[layouts][writer]")
{
    StringSink sink;
    auto writer = dcagw::layouts::make_agency_writer(mapping_with(OutputFormat::Xml, { "a", "b" }), sink);
    REQUIRE(writer.ok());
    std::vector<std::string> const row { "value", "other value" };
    for (int i = 0; i < 10000; ++i)
        REQUIRE(writer.value()->write_row(row).ok());
    REQUIRE(writer.value()->finish().ok());
    // Opening, one write per row, closing: nothing is held back beyond one row.
    CHECK(sink.writes == 10002);
    CHECK(sink.largest_write < 100);
}

// Hidden (run with: unit_layouts "[benchmark]"): a sanitizer build takes a minute over it.
TEST_CASE("a million rows to a null sink", "[.][benchmark][layouts][writer]")
{
    std::vector<std::string> names;
    for (int i = 0; i < 12; ++i)
        names.push_back("column_" + std::to_string(i));
    std::vector<std::string> const row { "A1B2C3D4E5F6G7H8", "1234.56", "Dafydd", "Jones", "1980-02-29", "1 High Street", "Cardiff", "CF10 1AA",
        "GB", "dafydd.jones@example.org", "07700900123", "VULN-3" };
    for (auto format : { OutputFormat::Csv, OutputFormat::Json, OutputFormat::Xml }) {
        auto mapping = mapping_with(format, names);
        NullSink sink;
        auto writer = dcagw::layouts::make_agency_writer(mapping, sink);
        REQUIRE(writer.ok());
        constexpr int rows = 1'000'000;
        auto const start = std::chrono::steady_clock::now();
        auto const cpu_start = std::clock();
        // Counted rather than asserted per row, so Catch2's bookkeeping is not what is timed.
        int failures = 0;
        for (int i = 0; i < rows; ++i)
            failures += writer.value()->write_row(row).ok() ? 0 : 1;
        REQUIRE(failures == 0);
        REQUIRE(writer.value()->finish().ok());
        auto const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        auto const cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
        // Reported, not asserted: timings on a shared or sanitized build say little.
        std::printf("agency writer %s: %d rows x 12 columns, %.1f MB, %.3f s wall, %.3f s CPU\n",
            format == OutputFormat::Csv ? "csv" : format == OutputFormat::Json ? "json" : "xml", rows, static_cast<double>(sink.total) / 1e6, seconds, cpu_seconds);
        CHECK(sink.total > static_cast<std::uint64_t>(rows) * 100);
    }
}
