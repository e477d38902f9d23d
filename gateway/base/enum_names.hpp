// base/enum_names: one table type for an enum's names, as the ledger, the configuration
// and the audit log spell them, so each enum's to_string and from_string are two one-line
// lookups in the same table and can never disagree.
//
// Owns: looking a value's name up, and a name's value (exact, case-sensitive match).
// Must never: allocate, or guess (an unknown name is nullopt, an unlisted value
// "unknown").
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace dcagw::base {

template<typename Enum, std::size_t Count>
class EnumNames {
public:
    struct Entry {
        Enum value;
        std::string_view name;
    };

    constexpr explicit EnumNames(std::array<Entry, Count> entries) : m_entries(entries) {}

    constexpr std::string_view name(Enum value) const
    {
        // Tables list their enum in order from 0, so the index is tried first.
        auto const index = static_cast<std::size_t>(value);
        if (index < Count && m_entries[index].value == value)
            return m_entries[index].name;
        for (auto const& entry : m_entries)
            if (entry.value == value)
                return entry.name;
        return "unknown";
    }

    constexpr std::optional<Enum> parse(std::string_view text) const
    {
        for (auto const& entry : m_entries)
            if (entry.name == text)
                return entry.value;
        return std::nullopt;
    }

    constexpr std::array<Entry, Count> const& entries() const { return m_entries; }

private:
    std::array<Entry, Count> m_entries;
};

} // namespace dcagw::base
