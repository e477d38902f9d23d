#include "gateway/transport/local_directory.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace dcagw::transport {

using base::ErrorCode;
using base::make_error;

namespace {

namespace fs = std::filesystem;

std::string errno_text(int error_number)
{
    return std::strerror(error_number);
}

// Closes a descriptor on every path.
class Descriptor {
public:
    explicit Descriptor(int value) : m_value(value) {}
    ~Descriptor()
    {
        if (m_value >= 0)
            ::close(m_value);
    }
    Descriptor(Descriptor const&) = delete;
    Descriptor& operator=(Descriptor const&) = delete;
    int get() const { return m_value; }

private:
    int m_value;
};

// Errors as a server would report them: a missing folder or a refused write are what
// permission and reachability problems look like on a remote side.
ErrorCode code_for(int error_number)
{
    if (error_number == EACCES || error_number == EPERM || error_number == EROFS)
        return ErrorCode::RemotePermissionDenied;
    if (error_number == EEXIST)
        return ErrorCode::RemoteFileExists;
    if (error_number == ENOSPC || error_number == EIO || error_number == EINTR)
        return ErrorCode::TransportFailure;
    return ErrorCode::TransportFailure;
}

void sync_folder(fs::path const& folder)
{
    Descriptor descriptor(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (descriptor.get() >= 0)
        ::fsync(descriptor.get());
}

// Names reaching a session come from the exchange (its own file names) or from a listing
// it has checked; this is a second line against a programming error.
base::Result<void> check_plain_name(std::string_view name)
{
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string_view::npos || name.find('\0') != std::string_view::npos)
        return make_error(ErrorCode::RemoteNameInvalid, "'" + std::string(name) + "' is not a plain file name");
    return {};
}

class LocalDirectorySession final : public Session {
public:
    explicit LocalDirectorySession(model::TransportProfile const& profile)
        : m_root(profile.local_root)
        , m_upload(profile.local_root / profile.upload_directory)
        , m_collect(profile.local_root / profile.collect_directory)
        , m_archive(profile.local_root / profile.archive_directory)
        , m_buffer_bytes(std::max<std::size_t>(profile.upload_buffer_bytes, 64u << 10))
    {
    }

    std::string describe() const override { return "dir:" + m_root.string(); }

    base::Result<std::vector<RemoteFile>> list(RemoteArea area) override
    {
        auto const& folder = folder_of(area);
        std::error_code error;
        fs::directory_iterator iterator(folder, error);
        if (error)
            return make_error(ErrorCode::TransportFailure, "listing " + folder.string() + ": " + error.message());
        std::vector<RemoteFile> files;
        for (auto const& entry : iterator) {
            // Regular files only, and never through a symbolic link.
            auto const status = entry.symlink_status(error);
            if (error || !fs::is_regular_file(status))
                continue;
            auto const size = entry.file_size(error);
            if (error)
                continue;
            files.push_back(RemoteFile { entry.path().filename().string(), size });
        }
        return files;
    }

    base::Result<std::optional<RemoteFile>> stat(RemoteArea area, std::string_view name) override
    {
        TRY(check_plain_name(name));
        auto const path = folder_of(area) / std::string(name);
        struct stat status {};
        if (::lstat(path.c_str(), &status) != 0) {
            if (errno == ENOENT)
                return std::optional<RemoteFile> {};
            return make_error(code_for(errno), "stat " + path.string() + ": " + errno_text(errno));
        }
        if (!S_ISREG(status.st_mode))
            return make_error(ErrorCode::RemoteFileExists, path.string() + " exists but is not a regular file");
        return std::optional<RemoteFile>(RemoteFile { std::string(name), static_cast<std::uint64_t>(status.st_size) });
    }

    base::Result<RemoteFile> publish(fs::path const& local_file, std::string_view final_name, std::string_view temporary_name,
        BeforeRename const& before_rename = {}) override
    {
        TRY(check_plain_name(final_name));
        TRY(check_plain_name(temporary_name));
        auto const temporary = m_upload / std::string(temporary_name);
        auto const final_path = m_upload / std::string(final_name);
        // Refuse early when the final name is taken (link() below is what guarantees it).
        if (::access(final_path.c_str(), F_OK) == 0)
            return make_error(ErrorCode::RemoteFileExists, final_path.string() + " already exists and will not be replaced");

        Descriptor source(::open(local_file.c_str(), O_RDONLY | O_CLOEXEC));
        if (source.get() < 0)
            return make_error(ErrorCode::FileUnreadable, local_file.string() + ": " + errno_text(errno));
        // A leftover temporary file of an interrupted attempt is replaced (O_TRUNC).
        Descriptor target(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
        if (target.get() < 0)
            return make_error(code_for(errno), "creating " + temporary.string() + ": " + errno_text(errno));
        auto const copied = TRY(copy(source.get(), target.get(), local_file, temporary));
        if (::fsync(target.get()) != 0)
            return make_error(ErrorCode::TransportFailure, "fsync " + temporary.string() + ": " + errno_text(errno));
        struct stat status {};
        if (::fstat(target.get(), &status) != 0 || static_cast<std::uint64_t>(status.st_size) != copied)
            return make_error(ErrorCode::TransferIncomplete, temporary.string() + ": size after writing differs from " + std::to_string(copied) + " bytes");
        if (before_rename)
            if (auto recorded = before_rename(); recorded.is_error()) {
                ::unlink(temporary.c_str()); // abandoned: never renamed
                return recorded.release_error();
            }
        // link() fails with EEXIST when the final name exists, even if it appeared since
        // the check above: a file is never replaced.
        if (::link(temporary.c_str(), final_path.c_str()) != 0) {
            int const saved = errno;
            return make_error(code_for(saved), "publishing " + final_path.string() + ": " + errno_text(saved)
                    + (saved == EEXIST ? " (a file of that name exists and will not be replaced)" : ""));
        }
        ::unlink(temporary.c_str());
        sync_folder(m_upload);
        return RemoteFile { std::string(final_name), copied };
    }

    base::Result<std::uint64_t> download(RemoteArea area, std::string_view name, base::ByteSink& sink, std::uint64_t max_bytes) override
    {
        TRY(check_plain_name(name));
        auto const path = folder_of(area) / std::string(name);
        Descriptor source(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
        if (source.get() < 0)
            return make_error(errno == ENOENT ? ErrorCode::NotFound : code_for(errno), "opening " + path.string() + ": " + errno_text(errno));
        std::vector<std::uint8_t> buffer(1 << 20);
        std::uint64_t total = 0;
        while (true) {
            ssize_t const count = ::read(source.get(), buffer.data(), buffer.size());
            if (count < 0) {
                if (errno == EINTR)
                    continue;
                return make_error(ErrorCode::TransportFailure, "reading " + path.string() + ": " + errno_text(errno));
            }
            if (count == 0)
                break;
            total += static_cast<std::uint64_t>(count);
            if (total > max_bytes)
                return make_error(ErrorCode::InputTooLarge, path.string() + ": larger than the limit of " + std::to_string(max_bytes) + " bytes");
            TRY(sink.write(std::span<std::uint8_t const>(buffer.data(), static_cast<std::size_t>(count))));
        }
        return total;
    }

    base::Result<void> remove(RemoteArea area, std::string_view name) override
    {
        TRY(check_plain_name(name));
        auto const path = folder_of(area) / std::string(name);
        if (::unlink(path.c_str()) != 0)
            return make_error(errno == ENOENT ? ErrorCode::NotFound : code_for(errno), "removing " + path.string() + ": " + errno_text(errno));
        sync_folder(path.parent_path());
        return {};
    }

    base::Result<void> archive(std::string_view name) override
    {
        TRY(check_plain_name(name));
        auto const from = m_collect / std::string(name);
        auto const to = m_archive / std::string(name);
        std::error_code error;
        fs::create_directories(m_archive, error);
        if (error)
            return make_error(ErrorCode::RemotePermissionDenied, "creating " + m_archive.string() + ": " + error.message());
        // link + unlink: the archived copy never replaces one already there.
        if (::link(from.c_str(), to.c_str()) != 0)
            return make_error(code_for(errno), "archiving " + from.string() + " to " + to.string() + ": " + errno_text(errno));
        ::unlink(from.c_str());
        sync_folder(m_archive);
        sync_folder(m_collect);
        return {};
    }

private:
    fs::path const& folder_of(RemoteArea area) const
    {
        switch (area) {
        case RemoteArea::Upload: return m_upload;
        case RemoteArea::Collect: return m_collect;
        case RemoteArea::Archive: return m_archive;
        }
        return m_upload;
    }

    base::Result<std::uint64_t> copy(int source, int target, fs::path const& source_path, fs::path const& target_path)
    {
        std::vector<char> buffer(m_buffer_bytes);
        std::uint64_t total = 0;
        while (true) {
            ssize_t const count = ::read(source, buffer.data(), buffer.size());
            if (count < 0) {
                if (errno == EINTR)
                    continue;
                return make_error(ErrorCode::FileUnreadable, source_path.string() + ": " + errno_text(errno));
            }
            if (count == 0)
                return total;
            std::size_t offset = 0;
            while (offset < static_cast<std::size_t>(count)) {
                ssize_t const written = ::write(target, buffer.data() + offset, static_cast<std::size_t>(count) - offset);
                if (written < 0) {
                    if (errno == EINTR)
                        continue;
                    return make_error(code_for(errno), "writing " + target_path.string() + ": " + errno_text(errno));
                }
                offset += static_cast<std::size_t>(written);
            }
            total += static_cast<std::uint64_t>(count);
        }
    }

    fs::path m_root;
    fs::path m_upload;
    fs::path m_collect;
    fs::path m_archive;
    std::size_t m_buffer_bytes;
};

} // namespace

base::Result<std::unique_ptr<Session>> make_local_directory_session(model::TransportProfile const& profile)
{
    if (profile.local_root.empty())
        return make_error(ErrorCode::ConfigInvalid, "the directory transport needs local_root");
    for (auto const& folder : { profile.local_root, profile.local_root / profile.upload_directory, profile.local_root / profile.collect_directory }) {
        std::error_code error;
        if (!fs::is_directory(folder, error))
            return make_error(ErrorCode::TransportFailure, "agency folder " + folder.string() + " is missing or not a folder");
    }
    return std::unique_ptr<Session>(std::make_unique<LocalDirectorySession>(profile));
}

} // namespace dcagw::transport
