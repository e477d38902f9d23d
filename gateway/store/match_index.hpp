// store/match_index: one agency's (pseudonym -> placement) matching index, in memory, for
// the life of the Ledger object (docs/returns-ledger.md, "Matching").
//
// Owns: a sorted array of (64-bit hash of the pseudonym, placement id), 16 bytes a
// placement, loaded by one sequential scan of the agency's placements and extended with
// the placements added since its mark; nothing else about a placement is kept here.
// A hash is only a candidate: the caller reads the placement row and compares the
// pseudonym itself, so a collision never matches the wrong placement.
// Must never: hold personal data (no account_ref, person_ref or pseudonym text), or grow
// with anything but the agency's placements.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace dcagw::store {

class MatchIndex {
public:
    struct Entry {
        std::uint64_t hash { 0 };
        std::int64_t placement { 0 };
        friend bool operator<(Entry const& left, Entry const& right)
        {
            return left.hash != right.hash ? left.hash < right.hash : left.placement < right.placement;
        }
    };

    static std::uint64_t hash_of(std::string_view pseudonym);

    // The highest placement id the index has seen (0 before the first load).
    std::int64_t mark() const { return m_mark; }
    // Placements newer than the mark, in id order, gathered by the caller's scan; then
    // merge() sorts them in and moves the mark.
    void add(std::string_view pseudonym, std::int64_t placement);
    void merge(std::int64_t newest);
    // The candidate placements of a pseudonym (same hash), oldest first, into `out`.
    void candidates(std::string_view pseudonym, std::vector<std::int64_t>& out) const;
    std::size_t size() const { return m_entries.size(); }

private:
    std::vector<Entry> m_entries;  // sorted
    std::vector<Entry> m_pending;  // added since the last merge
    std::int64_t m_mark { 0 };
};

} // namespace dcagw::store
