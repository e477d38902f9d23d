// Test helper: a base::ByteSink that keeps everything written to it in a string.
#pragma once

#include "gateway/base/file.hpp"

#include <string>

namespace dcagw::test {

class StringSink final : public base::ByteSink {
public:
    using base::ByteSink::write;
    base::Result<void> write(std::span<std::uint8_t const> bytes) override
    {
        text.append(reinterpret_cast<char const*>(bytes.data()), bytes.size());
        return {};
    }
    base::Result<void> finish() override { return {}; }
    std::string text;
};

} // namespace dcagw::test
