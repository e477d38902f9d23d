// store/audit_log_state: AuditLog's private state, shared by audit_log.cpp (entries,
// checkpoints) and audit_subjects.cpp (subject blocks and the subject index).
//
// Owns: the cached statements and the buffers of subjects and index entries not yet
// written.
// Must never: be included outside gateway/store.
#pragma once

#include "gateway/store/audit_log.hpp"
#include "gateway/store/sqlite_support.hpp"

#include <map>
#include <string>
#include <vector>

namespace dcagw::store {

struct AuditIndexEntry {
    std::int64_t key;
    std::int64_t list;
    std::int64_t ordinal;
    auto operator<=>(AuditIndexEntry const&) const = default;
};

// The block of a list being filled.
struct PendingSubjectBlock {
    std::int64_t block { 0 };
    std::int64_t count { 0 };
    std::int64_t next_ordinal { 1 };
    std::string bytes;
};

struct AuditLog::State {
    detail::Connection& connection;
    detail::Statement insert_entry {};
    detail::Statement select_head {};
    detail::Statement insert_subject_block {};
    detail::Statement insert_index_block {};
    std::map<std::int64_t, PendingSubjectBlock> pending_blocks {};
    std::vector<AuditIndexEntry> pending_index {};

    sqlite3* database() const { return connection.get(); }
};

} // namespace dcagw::store
