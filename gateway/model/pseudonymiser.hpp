// model/pseudonymiser: the interface through which minimise asks for an agency's
// pseudonymous reference without depending on the crypto module.
//
// Owns: the contract: the same input under the same agency key always gives the same
// reference; references of one agency cannot be linked to another's.
// Must never: expose the key.
#pragma once

#include <string>
#include <string_view>

namespace dcagw::model {

class Pseudonymiser {
public:
    virtual ~Pseudonymiser() = default;
    // Appends the pseudonymous reference of `input` to `out`.
    virtual void append_pseudonym(std::string& out, std::string_view input) const = 0;
};

} // namespace dcagw::model
