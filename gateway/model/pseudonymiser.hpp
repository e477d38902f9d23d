// model/pseudonymiser: the interface through which minimise asks for an agency's
// pseudonymous reference without depending on the crypto module.
//
// Owns: the contract: the same input in the same domain under the same agency key always
// gives the same reference; references of one agency cannot be linked to another's, nor
// the same value in two domains (fields) to each other.
// Must never: expose the key.
#pragma once

#include <string>
#include <string_view>

namespace dcagw::model {

class Pseudonymiser {
public:
    virtual ~Pseudonymiser() = default;
    // Appends the pseudonymous reference of `input` in `domain` to `out`. The domain is
    // the source field's name ("account_ref"), or the names of several sources joined
    // with '\x1f': never empty and never holding a NUL (docs/keys.md, "Pseudonyms").
    virtual void append_pseudonym(std::string& out, std::string_view domain, std::string_view input) const = 0;
};

} // namespace dcagw::model
