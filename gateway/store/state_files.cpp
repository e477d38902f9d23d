#include "gateway/store/state_files.hpp"

#include "gateway/base/text.hpp"
#include "gateway/store/row_reader.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace dcagw::store {

using detail::shown;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t max_component_bytes = 255;


base::Error refused(LedgerRow const& row, std::string_view value, std::string_view why)
{
    return make_error(ErrorCode::StoreCorrupt, row.describe() + " '" + shown(value) + "' refused: " + std::string(why)
            + " (the ledger names only files under the state directory)");
}

std::string errno_text(int number)
{
    return std::strerror(number);
}

// An owned descriptor, closed when it goes out of scope.
class Descriptor {
public:
    explicit Descriptor(int descriptor = -1) : m_descriptor(descriptor) {}
    Descriptor(Descriptor&& other) noexcept : m_descriptor(std::exchange(other.m_descriptor, -1)) {}
    Descriptor& operator=(Descriptor&& other) noexcept
    {
        if (this != &other) {
            if (m_descriptor >= 0)
                ::close(m_descriptor);
            m_descriptor = std::exchange(other.m_descriptor, -1);
        }
        return *this;
    }
    ~Descriptor()
    {
        if (m_descriptor >= 0)
            ::close(m_descriptor);
    }
    int get() const { return m_descriptor; }
    int release() { return std::exchange(m_descriptor, -1); }

private:
    int m_descriptor;
};

// The folder <state>/<area>/<agency>, each step opened without following a link; nothing
// (an empty descriptor) when a folder on the way does not exist.
base::Result<Descriptor> open_folder(fs::path const& state_directory, StateFile const& file, LedgerRow const& row)
{
    Descriptor state(::open(state_directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (state.get() < 0) {
        if (errno == ENOENT)
            return Descriptor();
        return make_error(ErrorCode::FileUnreadable, "state directory " + state_directory.string() + ": " + errno_text(errno));
    }
    std::string const area(to_string(file.area));
    Descriptor current = std::move(state);
    for (std::string const* part : { &area, &file.agency }) {
        int const next = ::openat(current.get(), part->c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0) {
            if (errno == ENOENT)
                return Descriptor();
            if (errno == ELOOP || errno == ENOTDIR)
                return refused(row, file.ledger_path(), "the folder '" + *part + "' is a symbolic link or not a folder");
            return make_error(ErrorCode::FileUnreadable, "opening " + file.ledger_path() + " in " + state_directory.string() + ": " + errno_text(errno));
        }
        current = Descriptor(next);
    }
    return current;
}

// What is at `name` in `folder`, without following a link: nothing, a regular file, or a
// refusal.
base::Result<bool> regular_file_at(int folder, StateFile const& file, LedgerRow const& row)
{
    struct stat status {};
    if (::fstatat(folder, file.name.c_str(), &status, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
            return false;
        return make_error(ErrorCode::FileUnreadable, file.ledger_path() + ": " + errno_text(errno));
    }
    if (S_ISLNK(status.st_mode))
        return refused(row, file.ledger_path(), "it is a symbolic link");
    if (!S_ISREG(status.st_mode))
        return refused(row, file.ledger_path(), "it is not a regular file");
    return true;
}

} // namespace

std::string_view to_string(StateArea area)
{
    switch (area) {
    case StateArea::Spool: return "spool";
    case StateArea::Inbox: return "inbox";
    }
    return "unknown";
}

std::string LedgerRow::describe() const
{
    return std::string(table) + " " + std::to_string(id) + " " + std::string(column);
}

std::string StateFile::ledger_path() const
{
    return std::string(to_string(area)) + "/" + agency + "/" + name;
}

bool is_safe_component(std::string_view name)
{
    if (name.empty() || name.size() > max_component_bytes || name == "." || name == "..")
        return false;
    for (unsigned char const c : name)
        if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f)
            return false;
    return base::is_valid_utf8(name);
}

base::Result<StateFile> parse_ledger_path(std::string_view stored, StateArea area, std::string_view agency, LedgerRow const& row)
{
    auto const first = stored.find('/');
    auto const second = first == std::string_view::npos ? std::string_view::npos : stored.find('/', first + 1);
    if (stored.empty() || stored.front() == '/')
        return refused(row, stored, "not a path relative to the state directory");
    if (second == std::string_view::npos || stored.find('/', second + 1) != std::string_view::npos)
        return refused(row, stored, "not of the form " + std::string(to_string(area)) + "/<agency>/<file>");
    StateFile file { area, std::string(stored.substr(first + 1, second - first - 1)), std::string(stored.substr(second + 1)) };
    if (stored.substr(0, first) != to_string(area))
        return refused(row, stored, "not in the state directory's " + std::string(to_string(area)) + " folder");
    if (!is_safe_component(file.agency) || !is_safe_component(file.name))
        return refused(row, stored, "a part of it is not a plain file or folder name");
    if (file.agency != agency)
        return refused(row, stored, "not in the folder of the row's agency '" + shown(agency) + "'");
    return file;
}

base::Result<std::string> to_ledger_path(fs::path const& state_directory, std::string_view path, StateArea area, std::string_view agency)
{
    LedgerRow const row { "a new row of", 0, "path" };
    if (!path.empty() && path.front() != '/' && parse_ledger_path(path, area, agency, row).ok())
        return std::string(path);
    std::error_code error;
    auto const base = fs::weakly_canonical(fs::absolute(state_directory, error), error);
    if (error)
        return make_error(ErrorCode::FileUnreadable, "state directory " + state_directory.string() + ": " + error.message());
    auto const full = fs::absolute(fs::path(path), error).lexically_normal();
    auto const folder = fs::weakly_canonical(full.parent_path(), error);
    if (error)
        return make_error(ErrorCode::FileUnreadable, std::string(path) + ": " + error.message());
    auto const relative = (folder / full.filename()).lexically_relative(base).generic_string();
    if (parse_ledger_path(relative, area, agency, row).ok())
        return relative;
    return make_error(ErrorCode::Internal, "'" + shown(path) + "' is not a file of " + std::string(to_string(area)) + "/" + shown(agency)
            + " under the state directory " + state_directory.string());
}

OpenedStateFile::OpenedStateFile(OpenedStateFile&& other) noexcept
    : m_descriptor(std::exchange(other.m_descriptor, -1)), m_size(other.m_size)
{
}

OpenedStateFile& OpenedStateFile::operator=(OpenedStateFile&& other) noexcept
{
    if (this != &other) {
        if (m_descriptor >= 0)
            ::close(m_descriptor);
        m_descriptor = std::exchange(other.m_descriptor, -1);
        m_size = other.m_size;
    }
    return *this;
}

OpenedStateFile::~OpenedStateFile()
{
    if (m_descriptor >= 0)
        ::close(m_descriptor);
}

fs::path OpenedStateFile::path() const
{
    return fs::path("/proc/self/fd") / std::to_string(m_descriptor);
}

base::Result<OpenedStateFile> StateFiles::open_for_reading(StateFile const& file, LedgerRow const& row) const
{
    auto folder = TRY(open_folder(m_state_directory, file, row));
    if (folder.get() < 0)
        return make_error(ErrorCode::FileNotFound, file.ledger_path() + " in " + m_state_directory.string() + ": its folder does not exist");
    Descriptor opened(::openat(folder.get(), file.name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (opened.get() < 0) {
        if (errno == ENOENT)
            return make_error(ErrorCode::FileNotFound, file.ledger_path() + " in " + m_state_directory.string() + ": no such file");
        if (errno == ELOOP)
            return refused(row, file.ledger_path(), "it is a symbolic link");
        return make_error(ErrorCode::FileUnreadable, file.ledger_path() + ": " + errno_text(errno));
    }
    struct stat status {};
    if (::fstat(opened.get(), &status) != 0)
        return make_error(ErrorCode::FileUnreadable, file.ledger_path() + ": " + errno_text(errno));
    if (!S_ISREG(status.st_mode))
        return refused(row, file.ledger_path(), "it is not a regular file");
    // Reads block as usual from here on (O_NONBLOCK only kept a FIFO from hanging the open).
    int const flags = ::fcntl(opened.get(), F_GETFL);
    if (flags >= 0)
        (void)::fcntl(opened.get(), F_SETFL, flags & ~O_NONBLOCK);
    return OpenedStateFile(opened.release(), static_cast<std::uint64_t>(status.st_size));
}

base::Result<bool> StateFiles::exists(StateFile const& file, LedgerRow const& row) const
{
    auto folder = TRY(open_folder(m_state_directory, file, row));
    if (folder.get() < 0)
        return false;
    return regular_file_at(folder.get(), file, row);
}

base::Result<bool> StateFiles::remove(StateFile const& file, LedgerRow const& row) const
{
    auto folder = TRY(open_folder(m_state_directory, file, row));
    if (folder.get() < 0 || !TRY(regular_file_at(folder.get(), file, row)))
        return false;
    if (::unlinkat(folder.get(), file.name.c_str(), 0) != 0) {
        if (errno == ENOENT)
            return false;
        return make_error(ErrorCode::FileWriteFailed, "deleting " + file.ledger_path() + ": " + errno_text(errno));
    }
    return true;
}

base::Result<void> StateFiles::publish(StateFile const& temporary, StateFile const& final, LedgerRow const& row) const
{
    if (temporary.area != final.area || temporary.agency != final.agency)
        return refused(row, temporary.ledger_path(), "its final name " + final.ledger_path() + " is in another folder");
    auto folder = TRY(open_folder(m_state_directory, final, row));
    if (folder.get() < 0 || !TRY(regular_file_at(folder.get(), temporary, row)))
        return make_error(ErrorCode::FileNotFound, temporary.ledger_path() + " in " + m_state_directory.string() + ": no such file");
    // linkat without AT_SYMLINK_FOLLOW never follows a link, and never replaces `final`.
    if (::linkat(folder.get(), temporary.name.c_str(), folder.get(), final.name.c_str(), 0) != 0) {
        int const saved = errno;
        return make_error(saved == EEXIST ? ErrorCode::AlreadyExists : ErrorCode::FileWriteFailed,
            "publishing " + final.ledger_path() + ": " + errno_text(saved));
    }
    if (::unlinkat(folder.get(), temporary.name.c_str(), 0) != 0 && errno != ENOENT)
        return make_error(ErrorCode::FileWriteFailed, "removing " + temporary.ledger_path() + ": " + errno_text(errno));
    if (::fsync(folder.get()) != 0)
        return make_error(ErrorCode::FileWriteFailed, "syncing the folder of " + final.ledger_path() + ": " + errno_text(errno));
    return {};
}

} // namespace dcagw::store
