// cases/case_reader: streaming readers of the creditor's case export.
//
// Owns: turning CSV (RFC 4180), JSON Lines and XML bytes into RawRecords, one at a time,
// in memory that does not grow with the number of records; the hard limits on file size,
// record size, field count and field size; the mapping of headers/keys/elements onto
// canonical fields.
// Must never: validate values (rules/validation does), hold more than one record, or
// accept input past a limit.
#pragma once

#include "gateway/base/result.hpp"
#include "gateway/model/case_record.hpp"
#include "gateway/model/config.hpp"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace dcagw::cases {

enum class ReadOutcome { Record, Rejected, End };

class CaseReader {
public:
    virtual ~CaseReader() = default;

    // Record: `record` holds the next record; its views stay valid until the next call.
    // Rejected: one record could not be read (e.g. a CSV row with the wrong number of
    //   fields, a JSON line that is not an object, a field over the size limit, invalid
    //   UTF-8); `rejection` says where and why, and reading can go on.
    // End: no more records.
    // An error means the file as a whole cannot be read further (unreadable, over the file
    // size limit, a CSV header that is not usable, XML that is not well-formed outside a
    // record): the caller stops. It says "reading FILE" (added here, for every reader).
    base::Result<ReadOutcome> next(model::RawRecord& record, model::Rejection& rejection);

    // Notes about the input that stopped no record, each reported once: an unknown
    // column, key or element name ("unknown column 'x' ignored"). Bounded in number.
    std::vector<std::string> const& warnings() const { return m_warnings; }

protected:
    explicit CaseReader(std::string display_name) : m_display_name(std::move(display_name)) {}
    // How the file is named in rejections and errors; records' locations view it.
    std::string const& display_name() const { return m_display_name; }
    // One reader's next(), without the file's name in its errors.
    virtual base::Result<ReadOutcome> next_record(model::RawRecord& record, model::Rejection& rejection) = 0;

    // Adds a warning unless the same text was already given; past a cap, one last
    // warning says that further ones are not listed, so memory stays bounded.
    void add_warning(std::string text);

private:
    std::string m_display_name;
    std::vector<std::string> m_warnings;
    std::set<std::string, std::less<>> m_warned;
};

// Bounds the warning list: a file with a new unknown key on every line must not grow it.
inline constexpr std::size_t max_warnings = 100;

// Opens `path` for reading. `display_name` is how the file is named in rejections and
// errors (the path as the operator gave it). With InputFormat::Auto the format follows the
// extension: .csv, .jsonl / .ndjson, .xml.
base::Result<std::unique_ptr<CaseReader>> open_case_reader(std::filesystem::path const& path, model::InputFormat format,
    model::InputLimits const& limits, std::string display_name);

// As open_case_reader, over bytes in memory (tests, fuzzing). `bytes` must outlive the
// reader. `chunk_bytes` caps each internal read (0 = reads as large as for files, 1 MiB),
// so tests can make records straddle refills; the read buffer is never sized beyond the
// bytes given, so a small input (a fuzz input) costs no 1 MiB buffer. With InputFormat::Auto the format follows
// display_name's extension.
base::Result<std::unique_ptr<CaseReader>> open_case_reader_from_memory(std::string_view bytes, model::InputFormat format,
    model::InputLimits const& limits, std::string display_name, std::size_t chunk_bytes = 0);

} // namespace dcagw::cases
