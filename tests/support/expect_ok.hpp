// Test helper: the value of a Result, or the test fails with the error's text.
#pragma once

#include "gateway/base/result.hpp"

#include <catch2/catch.hpp>

namespace dcagw::test {

template<typename T>
T expect_ok(base::Result<T> result)
{
    if (result.is_error())
        FAIL(result.error().to_text());
    return result.release_value();
}

inline void expect_ok(base::Result<void> result)
{
    if (result.is_error())
        FAIL(result.error().to_text());
}

} // namespace dcagw::test
