// store/state_files: the files the ledger names inside the state directory (spooled
// ciphertext and a run's temporary files under spool/<agency>/, collected returns under
// inbox/<agency>/), and the only way the rest of the gateway reaches them from a ledger row.
//
// Owns: the form a path takes in the ledger (relative to the state directory, exactly
// "<area>/<agency>/<name>", each part one path component that passes a strict name check,
// the agency the row's own), converting a writer's path into that form, and opening,
// testing, linking and deleting such a file with openat() and O_NOFOLLOW under a
// descriptor of its folder, so neither a symbolic link nor "../" leads out of the state
// directory. A refusal names the row (table, id, column) and the value found.
// Must never: follow a symbolic link below the state directory, accept an absolute path
// or more than one component per part, or act on a file that is not a regular file.
#pragma once

#include "gateway/base/result.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace dcagw::store {

// The two folders of the state directory whose files the ledger names.
enum class StateArea { Spool, Inbox };
std::string_view to_string(StateArea area);

// Which ledger value a path came from, for the refusal's message:
// "transfers 12 local_path".
struct LedgerRow {
    std::string_view table;
    std::int64_t id { 0 };
    std::string_view column;
    std::string describe() const;
};

// A file named by the ledger: <state>/<area>/<agency>/<name>.
struct StateFile {
    StateArea area { StateArea::Spool };
    std::string agency;
    std::string name;
    // The ledger's form: "spool/agency-a/20261123-placement.csv.age".
    std::string ledger_path() const;
};

// One path component: 1 to 255 bytes of valid UTF-8, not "." or "..", with no '/', '\\',
// NUL or control character. A leading '.' is allowed (a run's temporary files).
bool is_safe_component(std::string_view name);

// Parses a path read from the ledger. Refuses (StoreCorrupt, naming `row`) anything that
// is not exactly "<area>/<agency>/<name>" with the expected area and agency and safe
// components: an absolute path, "../", an extra folder, another agency's folder.
base::Result<StateFile> parse_ledger_path(std::string_view stored, StateArea area, std::string_view agency, LedgerRow const& row);

// The ledger's form of `path`, a file a writer created in <state>/<area>/<agency>/: kept
// when already in that form, converted when absolute (or relative to the working
// directory, as the configuration may name the state directory) and under the state
// directory. Refuses a path elsewhere (Internal: the writer chose it).
base::Result<std::string> to_ledger_path(std::filesystem::path const& state_directory, std::string_view path, StateArea area, std::string_view agency);

// A regular file opened for reading through StateFiles. `path()` names the open file as
// /proc/self/fd/N, for an API that takes a path (the transport's upload): it reaches the
// very file opened here, not whatever a name might point to by then.
class OpenedStateFile {
public:
    OpenedStateFile(int descriptor, std::uint64_t size) : m_descriptor(descriptor), m_size(size) {}
    OpenedStateFile(OpenedStateFile&& other) noexcept;
    OpenedStateFile& operator=(OpenedStateFile&& other) noexcept;
    OpenedStateFile(OpenedStateFile const&) = delete;
    OpenedStateFile& operator=(OpenedStateFile const&) = delete;
    ~OpenedStateFile();

    int descriptor() const { return m_descriptor; }
    std::uint64_t size() const { return m_size; }
    std::filesystem::path path() const;

private:
    int m_descriptor { -1 };
    std::uint64_t m_size { 0 };
};

class StateFiles {
public:
    explicit StateFiles(std::filesystem::path state_directory) : m_state_directory(std::move(state_directory)) {}

    // FileNotFound when the file (or its folder) is missing; StoreCorrupt, naming `row`,
    // when a link or anything but a regular file is in the way.
    base::Result<OpenedStateFile> open_for_reading(StateFile const& file, LedgerRow const& row) const;
    // Whether a regular file is there; a link or another kind of file is refused.
    base::Result<bool> exists(StateFile const& file, LedgerRow const& row) const;
    // Deletes the file; false when it was not there. A link is refused, not deleted.
    base::Result<bool> remove(StateFile const& file, LedgerRow const& row) const;
    // Links `temporary` to `final` in the same folder (never replacing a file), removes
    // the temporary name and syncs the folder.
    base::Result<void> publish(StateFile const& temporary, StateFile const& final, LedgerRow const& row) const;

private:
    std::filesystem::path m_state_directory;
};

} // namespace dcagw::store
