// layouts/agency_writer: writing an agency's file layout (CSV, JSON, XML) row by row.
//
// Owns: the byte-exact output formats of placement files: the CSV header and quoting, the
// JSON array of objects, the XML document with the mapping's root and record element
// names; UTF-8 without BOM, LF line endings (CRLF when the mapping asks).
// Must never: decide which columns exist (the mapping does) or buffer more than one row.
#pragma once

#include "gateway/base/file.hpp"
#include "gateway/base/result.hpp"
#include "gateway/model/mapping.hpp"

#include <memory>
#include <span>
#include <string>

namespace dcagw::layouts {

class AgencyFileWriter {
public:
    virtual ~AgencyFileWriter() = default;
    // One value per mapping column, in the mapping's order.
    virtual base::Result<void> write_row(std::span<std::string const> values) = 0;
    // Writes any closing text (JSON "]", XML end tag) and finishes the sink.
    virtual base::Result<void> finish() = 0;
};

// Writes the header / opening text at once. `sink` must outlive the writer.
base::Result<std::unique_ptr<AgencyFileWriter>> make_agency_writer(model::Mapping const& mapping, base::ByteSink& sink);

} // namespace dcagw::layouts
