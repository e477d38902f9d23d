#include "gateway/store/match_index.hpp"

#include <algorithm>
#include <limits>

namespace dcagw::store {

std::uint64_t MatchIndex::hash_of(std::string_view pseudonym)
{
    // FNV-1a then a 64-bit finaliser: fast and well spread; not a security boundary (a
    // candidate is always checked against the stored pseudonym).
    std::uint64_t value = 0xcbf29ce484222325ULL;
    for (auto const byte : pseudonym) {
        value ^= static_cast<unsigned char>(byte);
        value *= 0x100000001b3ULL;
    }
    value ^= value >> 33;
    value *= 0xff51afd7ed558ccdULL;
    value ^= value >> 33;
    return value;
}

void MatchIndex::add(std::string_view pseudonym, std::int64_t placement) { m_pending.push_back({ hash_of(pseudonym), placement }); }

void MatchIndex::merge(std::int64_t newest)
{
    if (!m_pending.empty()) {
        std::sort(m_pending.begin(), m_pending.end());
        if (m_entries.empty()) {
            m_entries.swap(m_pending);  // the first load: no second copy
            m_mark = std::max(m_mark, newest);
            return;
        }
        auto const middle = static_cast<std::ptrdiff_t>(m_entries.size());
        m_entries.insert(m_entries.end(), m_pending.begin(), m_pending.end());
        std::inplace_merge(m_entries.begin(), m_entries.begin() + middle, m_entries.end());
        m_pending.clear();
        m_pending.shrink_to_fit();
    }
    m_mark = std::max(m_mark, newest);
}

void MatchIndex::candidates(std::string_view pseudonym, std::vector<std::int64_t>& out) const
{
    out.clear();
    auto const hash = hash_of(pseudonym);
    auto position = std::lower_bound(m_entries.begin(), m_entries.end(), Entry { hash, std::numeric_limits<std::int64_t>::min() });
    for (; position != m_entries.end() && position->hash == hash; ++position)
        out.push_back(position->placement);
}

} // namespace dcagw::store
