// layouts/message_writer: lifecycle message files (balance updates, holds, releases,
// recalls) written in an agency's own layout (docs/lifecycle.md).
//
// Owns: the byte-exact CSV of a message layout (header row, RFC 4180 quoting, LF line
// endings, UTF-8 without BOM), each field's text (amounts in the layout's unit and sign,
// timestamps in its format, the agency's code for a canonical reason), and the file's
// name from the layout's pattern.
// Must never: decide what a message says (lifecycle/ does), guess an agency code that is
// not in the layout's table, or buffer more than one message.
#pragma once

#include "gateway/base/file.hpp"
#include "gateway/base/result.hpp"
#include "gateway/model/lifecycle_message.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace dcagw::layouts {

class MessageFileWriter {
public:
    virtual ~MessageFileWriter() = default;
    // Refused (RecordInvalid, nothing written) when the layout does not carry the
    // message's kind, has no code for its reason, or cannot express it.
    virtual base::Result<void> write(model::LifecycleMessage const& message) = 0;
    virtual base::Result<void> finish() = 0;
};

// Writes the header row at once. `sink` must outlive the writer.
base::Result<std::unique_ptr<MessageFileWriter>> make_message_writer(model::MessageLayout const& layout, base::ByteSink& sink);

// The layout's file name for a file made at `made_at`: {agency} {date} (YYYYMMDD)
// {iso_date} (YYYY-MM-DD) {time} (hh-mm-ss) {sequence} {sequence:N}.
std::string message_file_name(model::MessageLayout const& layout, std::string_view agency, model::UtcTime const& made_at, unsigned sequence);

// "2021-01-30T21:37:42Z" or "2021-12-31T06:10:15.123".
std::string format_timestamp(model::TimestampFormat format, model::UtcTime const& time);

} // namespace dcagw::layouts
