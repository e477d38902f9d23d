// base/result: Result<T>, the value-or-Error return type, and the TRY macro.
//
// Owns: how failures travel between functions and modules.
// Must never: throw, or let a caller read a value that is not there (that is a programming
// error and asserts).
#pragma once

#include "gateway/base/error.hpp"

#include <cassert>
#include <optional>
#include <utility>
#include <variant>

namespace dcagw::base {

template<typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_storage(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_storage(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_storage.index() == 0; }
    bool is_error() const { return !ok(); }

    T& value() &
    {
        assert(ok());
        return std::get<0>(m_storage);
    }
    const T& value() const&
    {
        assert(ok());
        return std::get<0>(m_storage);
    }
    T release_value()
    {
        assert(ok());
        return std::move(std::get<0>(m_storage));
    }
    const Error& error() const
    {
        assert(!ok());
        return std::get<1>(m_storage);
    }
    Error release_error()
    {
        assert(!ok());
        return std::move(std::get<1>(m_storage));
    }

private:
    std::variant<T, Error> m_storage;
};

template<>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    bool is_error() const { return m_error.has_value(); }
    void release_value() {}
    const Error& error() const
    {
        assert(!ok());
        return *m_error;
    }
    Error release_error()
    {
        assert(!ok());
        return std::move(*m_error);
    }

private:
    std::optional<Error> m_error;
};

inline Error make_error(ErrorCode code, std::string message)
{
    return Error(code, std::move(message));
}

} // namespace dcagw::base

// TRY(expression): evaluates a Result; on error returns that error from the enclosing
// function, otherwise yields the value (SerenityOS AK/Try.h). Uses a GNU statement
// expression, which g++ and clang both support.
#define TRY(expression)                                                                  \
    ({                                                                                   \
        auto _dcagw_try_result = (expression);                                           \
        if (_dcagw_try_result.is_error())                                                \
            return _dcagw_try_result.release_error();                                    \
        _dcagw_try_result.release_value();                                               \
    })

// TRY_CONTEXT(expression, where): as TRY, adding context to the error on the way out.
#define TRY_CONTEXT(expression, where)                                                   \
    ({                                                                                   \
        auto _dcagw_try_result = (expression);                                           \
        if (_dcagw_try_result.is_error())                                                \
            return _dcagw_try_result.release_error().with_context(where);                \
        _dcagw_try_result.release_value();                                               \
    })
