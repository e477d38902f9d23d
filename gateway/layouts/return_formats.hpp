// layouts/return_formats: what the per-format return readers share, behind
// read_return_stream (return_reader.hpp). Internal to the layouts module.
//
// Owns: the one step from a line's values (one per layout column, in layout order) to the
// sink: the line builder (return_lines.hpp), then accept or a quarantine naming the file,
// line and column; the file-size error; the JSON Lines and XML readers' entry points.
// Must never: copy a field's value into a rejection, or be included outside gateway/layouts.
#pragma once

#include "gateway/layouts/return_reader.hpp"

#include <string>
#include <vector>

namespace dcagw::layouts::detail {

model::Rejection make_rejection(ReturnReadOptions const& options, std::uint64_t line, std::string field, std::string reason);

// Builds the line from `values` and hands it to the sink (accept, or reject with the
// builder's reason), counting it.
base::Result<void> deliver_line(model::ReturnLayout const& layout, std::vector<std::string> const& values,
    std::uint64_t line, ReturnReadOptions const& options, ReturnSink& sink, ReturnReadCounts& counts);

base::Error file_too_large(ReturnReadOptions const& options);

// return_jsonl.cpp: one flat JSON object per line (docs/returns.md, "JSON Lines returns").
base::Result<ReturnReadCounts> read_jsonl_stream(model::ReturnLayout const& layout, std::istream& input,
    ReturnReadOptions const& options, ReturnSink& sink);

// return_xml.cpp: a root element of record elements (docs/returns.md, "XML returns").
base::Result<ReturnReadCounts> read_xml_stream(model::ReturnLayout const& layout, std::istream& input,
    ReturnReadOptions const& options, ReturnSink& sink);

} // namespace dcagw::layouts::detail
