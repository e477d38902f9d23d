// crypto/stream_stage: the call discipline shared by the streaming encryptors and
// decryptors, private to crypto.
//
// Owns: "the first failure sticks" (every later write or finish returns it, so a caller
// that missed one error can never go on to commit a half-processed stream) and "nothing
// after finish" (a write after finish is a programming error, reported as Internal; a
// second finish does nothing).
// Must never: hold key material or bytes of the stream.
#pragma once

#include "gateway/base/result.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace dcagw::crypto::detail {

class StreamStage {
public:
    explicit StreamStage(std::string_view name) : m_name(name) {}

    template<typename Work>
    base::Result<void> write(Work&& work)
    {
        if (m_failure)
            return *m_failure;
        if (m_finished)
            return base::make_error(base::ErrorCode::Internal, "write after finish on " + std::string(m_name));
        return remember(work());
    }

    template<typename Work>
    base::Result<void> finish(Work&& work)
    {
        if (m_failure)
            return *m_failure;
        if (m_finished)
            return {};
        m_finished = true;
        return remember(work());
    }

private:
    base::Result<void> remember(base::Result<void> result)
    {
        if (result.is_error())
            m_failure = result.error();
        return result;
    }

    std::string_view m_name;
    std::optional<base::Error> m_failure;
    bool m_finished { false };
};

} // namespace dcagw::crypto::detail
