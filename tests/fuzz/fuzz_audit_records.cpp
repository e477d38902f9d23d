// Fuzz target: the audit log's parsers of outside data: a checkpoint file line (shipped to
// and read back from write-once storage), an entry encoding and a list value (read from a
// database that may have been edited), and a subject block.
#include "gateway/audit/checkpoint.hpp"
#include "gateway/audit/entry.hpp"
#include "gateway/store/audit_log.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string_view const input(reinterpret_cast<char const*>(data), size);
    if (auto checkpoint = dcagw::audit::parse_checkpoint_line(input); checkpoint.ok()) {
        // A line that parses prints back the same.
        if (checkpoint.value().line() != input)
            __builtin_trap();
    }
    if (auto entry = dcagw::audit::decode(input); entry.ok()) {
        // An encoding that decodes encodes back to the same bytes.
        if (dcagw::audit::encode(entry.value()) != input)
            __builtin_trap();
        for (auto const& field : entry.value().fields)
            (void)dcagw::audit::decode_list(field.value);
    }
    (void)dcagw::audit::decode_list(input);
    dcagw::audit::FieldReader reader(input);
    std::string_view name;
    std::string_view value;
    while (reader.next(name, value)) {
    }
    (void)dcagw::store::for_each_subject_in_block(input, [](std::string_view, std::string_view, std::string_view) {});
    return 0;
}
