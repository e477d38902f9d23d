// layouts/return_reader: reading an agency's return file (plaintext, after the inbound
// envelope) line by line against the return layout declared in the agency's mapping.
//
// Owns: choosing the layout a file is read with (file name, remote folder, header row);
// the CSV header check that refuses a file whose first row is not the declared layout, for
// JSON Lines the per-line key check (return_jsonl.cpp), for XML the root and record element
// check (return_xml.cpp); turning each following line into a model::ReturnLine, or into a model::Rejection that names the
// file, the line, the agency's column and what is wrong. Streaming, in bounded memory, with
// the size limits of model::InputLimits.
// Must never: copy a field's value (personal data) into a rejection or an error; guess a
// code that is not in the layout's tables; use floating point for money; match references
// to placements or touch the ledger (ingest does).
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/base/result.hpp"
#include "gateway/model/case_record.hpp"
#include "gateway/model/config.hpp"
#include "gateway/model/mapping.hpp"
#include "gateway/model/returns.hpp"

#include <cstdint>
#include <filesystem>
#include <istream>
#include <string>
#include <string_view>

namespace dcagw::layouts {

// Where the lines of one return file go. An error from either call stops the reading and
// is returned as it is.
class ReturnSink {
public:
    virtual ~ReturnSink() = default;
    virtual base::Result<void> accept(model::ReturnLine const& line) = 0;
    virtual base::Result<void> reject(model::Rejection const& rejection) = 0;
};

struct ReturnReadOptions {
    model::InputLimits limits;
    // Dates after this day are refused (the agency cannot report tomorrow's payment).
    base::Date today;
    // The file's name as rejections and errors show it (the collected name, not a path).
    std::string file_label;
};

struct ReturnReadCounts {
    std::uint64_t lines_accepted { 0 };
    std::uint64_t lines_rejected { 0 };
};

// The one layout of `mapping` that reads the file: among the layouts whose file name glob
// matches `file_name` and whose remote folder (when declared) is `remote_folder`, the one
// whose header row is the file's first row (CSV layouts only), or the only candidate. No candidate, or more
// than one left: InputMalformed naming the file (the file is refused whole).
base::Result<model::ReturnLayout const*> select_return_layout(model::Mapping const& mapping,
    std::string_view file_name, std::string_view remote_folder, std::filesystem::path const& plaintext,
    model::InputLimits const& limits);

// Reads the whole plaintext file, CSV, JSON Lines or XML as the layout says. Errors
// (nothing that follows may be applied): the file is larger than limits.max_file_bytes
// (InputTooLarge), unreadable (FileUnreadable), its CSV header row is not the layout's
// (InputMalformed: "<file>: line 1: column N ..."), or for XML its root or a record element
// is not the layout's, it has a DOCTYPE, or it is malformed outside a record
// (InputMalformed: "<file>: line N: ...").
// Bad lines are not errors: each goes to sink.reject and the good lines still come.
base::Result<ReturnReadCounts> read_return_file(model::ReturnLayout const& layout,
    std::filesystem::path const& plaintext, ReturnReadOptions const& options, ReturnSink& sink);

// The same over a stream (the fuzz target and tests).
base::Result<ReturnReadCounts> read_return_stream(model::ReturnLayout const& layout,
    std::istream& input, ReturnReadOptions const& options, ReturnSink& sink);

} // namespace dcagw::layouts
