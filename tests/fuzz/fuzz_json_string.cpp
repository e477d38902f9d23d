// Fuzz target: base/json_string, the one decoder of JSON string literals. Beyond not
// crashing, it checks what the decoder promises: both raw-byte modes agree on where a
// string ends; a value read with raw bytes checked is valid UTF-8, no longer than its
// bound, and reads back the same after append_json_string writes it out again; and the
// two-step interface gives the same value as the one-step one.
#include "gateway/base/json_string.hpp"
#include "gateway/base/text.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

void require(bool condition)
{
    if (!condition)
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    using namespace dcagw::base;
    if (size == 0)
        return 0;
    std::size_t const max_bytes = data[0]; // a bound from 0 to 255 bytes
    std::string_view const text(reinterpret_cast<char const*>(data + 1), size - 1);

    std::string checked;
    auto const strict = read_json_string(text, checked, RawBytes::MustBeUtf8, max_bytes);
    std::string passed;
    auto const loose = read_json_string(text, passed, RawBytes::PassThrough, max_bytes);
    require(strict.consumed <= text.size() && loose.consumed <= text.size());
    if (strict.problem == JsonStringProblem::None) {
        require(loose.problem == JsonStringProblem::None && loose.consumed == strict.consumed && passed == checked);
        require(text[strict.consumed - 1] == '"');
        require(is_valid_utf8(checked) && checked.size() <= max_bytes);
        std::string literal;
        append_json_string(literal, checked);
        std::string again;
        auto const reread = read_json_string(std::string_view(literal).substr(1), again, RawBytes::MustBeUtf8, max_bytes);
        require(reread.problem == JsonStringProblem::None && reread.consumed == literal.size() - 1 && again == checked);
    }
    if (loose.problem == JsonStringProblem::None) {
        auto const extent = find_json_string_end(text);
        require(extent.problem == JsonStringProblem::None && extent.end + 1 == loose.consumed);
        std::string_view const body = text.substr(0, extent.end);
        std::string out(body.size(), '\0');
        auto const decoded = decode_json_string_body(body, out.data(), RawBytes::PassThrough);
        require(decoded.problem == JsonStringProblem::None && out.substr(0, decoded.size) == passed);
        require(extent.has_escapes || passed == body);
    }
    return 0;
}
