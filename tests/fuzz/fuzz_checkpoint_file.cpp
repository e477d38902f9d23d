// Fuzz target: audit/checkpoint's file framing, the checkpoint file as read back from
// write-once storage (lines, blank lines, line numbers, each line's own parse). Every
// parsed line prints back as a line the parser accepts.
#include "gateway/audit/checkpoint.hpp"

#include "fuzz_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    using namespace dcagw;
    auto const file = fuzz::fuzz_folder().write("checkpoints.txt", fuzz::as_text(data, size));
    auto lines = audit::read_checkpoint_file(file);
    if (lines.ok()) {
        std::size_t previous = 0;
        for (auto const& line : lines.value()) {
            fuzz::require(line.line_number > previous);
            previous = line.line_number;
            if (line.checkpoint.ok())
                fuzz::require(audit::parse_checkpoint_line(line.checkpoint.value().line()).ok());
        }
    }
    return 0;
}
