#include "gateway/base/file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dcagw::base {

namespace {

std::string errno_text(int error_number)
{
    return std::strerror(error_number);
}

// Large writes are coalesced so that a row-at-a-time producer does not make a syscall per
// row; 1 MiB keeps the page cache busy without holding much memory.
constexpr std::size_t write_buffer_size = 1 << 20;

} // namespace

namespace {

// Writes all of `bytes`, retrying short writes and EINTR: the one write loop behind every
// sink here. 0, or the errno of the write that failed.
int write_all(int descriptor, std::string_view bytes)
{
    std::size_t offset = 0;
    while (offset < bytes.size()) {
        ssize_t const count = ::write(descriptor, bytes.data() + offset, bytes.size() - offset);
        if (count < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        offset += static_cast<std::size_t>(count);
    }
    return 0;
}

} // namespace

Result<void> sync_directory(std::filesystem::path const& folder)
{
    auto const name = folder.empty() ? std::filesystem::path(".") : folder;
    int const descriptor = ::open(name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (descriptor < 0)
        return make_error(ErrorCode::FileWriteFailed, name.string() + ": cannot open the folder to sync it: " + errno_text(errno));
    int const synced = ::fsync(descriptor);
    int const saved = errno;
    ::close(descriptor);
    if (synced != 0)
        return make_error(ErrorCode::FileWriteFailed, name.string() + ": fsync of the folder: " + errno_text(saved));
    return {};
}

Result<void> publish_file(std::filesystem::path const& temporary, std::filesystem::path const& destination)
{
    // link() fails if the destination exists, so an existing file is never replaced,
    // even by a concurrent writer that appeared after the caller checked.
    if (::link(temporary.c_str(), destination.c_str()) != 0) {
        int const saved = errno;
        auto const code = saved == EEXIST ? ErrorCode::AlreadyExists : ErrorCode::FileWriteFailed;
        return make_error(code, destination.string() + ": cannot publish: " + errno_text(saved));
    }
    ::unlink(temporary.c_str());
    return sync_directory(destination.parent_path());
}

Result<std::string> read_file_limited(std::filesystem::path const& path, std::size_t max_bytes)
{
    int const descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) {
        auto const code = errno == ENOENT ? ErrorCode::FileNotFound : ErrorCode::FileUnreadable;
        return make_error(code, path.string() + ": " + errno_text(errno));
    }
    std::string content;
    char buffer[65536];
    while (true) {
        ssize_t const count = ::read(descriptor, buffer, sizeof buffer);
        if (count < 0) {
            if (errno == EINTR)
                continue;
            int const saved = errno;
            ::close(descriptor);
            return make_error(ErrorCode::FileUnreadable, path.string() + ": " + errno_text(saved));
        }
        if (count == 0)
            break;
        if (content.size() + static_cast<std::size_t>(count) > max_bytes) {
            ::close(descriptor);
            return make_error(ErrorCode::InputTooLarge, path.string() + ": larger than the limit of " + std::to_string(max_bytes) + " bytes");
        }
        content.append(buffer, static_cast<std::size_t>(count));
    }
    ::close(descriptor);
    return content;
}

Result<void> check_owner_only(std::filesystem::path const& path)
{
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0) {
        auto const code = errno == ENOENT ? ErrorCode::FileNotFound : ErrorCode::FileUnreadable;
        return make_error(code, path.string() + ": " + errno_text(errno));
    }
    if ((status.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(status.st_mode & 07777));
        return make_error(ErrorCode::PermissionsTooOpen,
            path.string() + ": secret key file has mode " + mode + " and group or others can use it; fix with: chmod 600 " + path.string());
    }
    return {};
}

std::filesystem::path resolve_against(std::filesystem::path const& base_folder, std::string_view path)
{
    std::filesystem::path const candidate(path);
    if (candidate.is_absolute())
        return candidate.lexically_normal();
    return (base_folder / candidate).lexically_normal();
}

DescriptorSink::~DescriptorSink()
{
    (void)flush();
}

Result<void> DescriptorSink::flush()
{
    int const error = write_all(m_descriptor, m_buffer);
    m_buffer.clear();
    if (error != 0)
        return make_error(ErrorCode::FileWriteFailed, "writing output: " + errno_text(error));
    return {};
}

Result<void> DescriptorSink::write(std::span<std::uint8_t const> bytes)
{
    m_buffer.append(reinterpret_cast<char const*>(bytes.data()), bytes.size());
    if (m_buffer.size() >= write_buffer_size)
        return flush();
    return {};
}

Result<void> DescriptorSink::finish()
{
    return flush();
}

Result<void> copy_descriptor_to(int descriptor, ByteSink& sink, std::string_view name)
{
    std::string buffer(write_buffer_size, '\0');
    while (true) {
        ssize_t const count = ::read(descriptor, buffer.data(), buffer.size());
        if (count < 0) {
            if (errno == EINTR)
                continue;
            return make_error(ErrorCode::FileUnreadable, std::string(name) + ": " + errno_text(errno));
        }
        if (count == 0)
            return {};
        TRY(sink.write(std::span<std::uint8_t const>(reinterpret_cast<std::uint8_t const*>(buffer.data()), static_cast<std::size_t>(count))));
    }
}

Result<void> copy_file_to(std::filesystem::path const& path, ByteSink& sink)
{
    int const descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) {
        auto const code = errno == ENOENT ? ErrorCode::FileNotFound : ErrorCode::FileUnreadable;
        return make_error(code, path.string() + ": " + errno_text(errno));
    }
    auto result = copy_descriptor_to(descriptor, sink, path.string());
    ::close(descriptor);
    return result;
}

Result<ExclusiveLock> ExclusiveLock::acquire(std::filesystem::path const& path)
{
    int const descriptor = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (descriptor < 0)
        return make_error(ErrorCode::FileWriteFailed, path.string() + ": cannot open lock file: " + errno_text(errno));
    if (::flock(descriptor, LOCK_EX | LOCK_NB) != 0) {
        int const saved = errno;
        ::close(descriptor);
        if (saved == EWOULDBLOCK)
            return make_error(ErrorCode::AlreadyExists, path.string() + ": another dcagw run is using this state directory; try again when it has finished");
        return make_error(ErrorCode::FileWriteFailed, path.string() + ": cannot lock: " + errno_text(saved));
    }
    return ExclusiveLock(descriptor);
}

ExclusiveLock::ExclusiveLock(ExclusiveLock&& other) noexcept
    : m_descriptor(std::exchange(other.m_descriptor, -1))
{
}

ExclusiveLock::~ExclusiveLock()
{
    if (m_descriptor >= 0)
        ::close(m_descriptor); // closing releases the flock
}

Result<void> ensure_private_directory(std::filesystem::path const& path)
{
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
        return {};
    std::filesystem::create_directories(path, error);
    if (error)
        return make_error(ErrorCode::FileWriteFailed, path.string() + ": cannot create folder: " + error.message());
    std::filesystem::permissions(path, std::filesystem::perms::owner_all, error);
    if (error)
        return make_error(ErrorCode::FileWriteFailed, path.string() + ": cannot set folder mode: " + error.message());
    return {};
}

Result<AtomicFile> AtomicFile::create(std::filesystem::path destination, Overwrite overwrite)
{
    if (overwrite == Overwrite::No && ::access(destination.c_str(), F_OK) == 0)
        return make_error(ErrorCode::AlreadyExists, destination.string() + ": already exists and will not be replaced");
    static thread_local std::mt19937_64 generator { std::random_device {}() };
    auto folder = destination.parent_path();
    if (folder.empty())
        folder = ".";
    for (int attempt = 0; attempt < 16; ++attempt) {
        char suffix[24];
        std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(generator()));
        // Appended piece by piece: GCC 12's -Wrestrict misfires on `"." + std::string&&` at -O3
        // (a known false positive, GCC bug 105329), which broke Release builds.
        std::string name = ".";
        name += destination.filename().string();
        name += ".tmp-";
        name += suffix;
        auto temporary = folder / name;
        int const descriptor = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (descriptor >= 0)
            return AtomicFile(std::move(destination), std::move(temporary), descriptor, overwrite);
        if (errno != EEXIST)
            return make_error(ErrorCode::FileWriteFailed, temporary.string() + ": " + errno_text(errno));
    }
    return make_error(ErrorCode::FileWriteFailed, destination.string() + ": could not find a free temporary name");
}

AtomicFile::AtomicFile(std::filesystem::path destination, std::filesystem::path temporary, int descriptor, Overwrite overwrite)
    : m_destination(std::move(destination))
    , m_temporary(std::move(temporary))
    , m_descriptor(descriptor)
    , m_overwrite(overwrite)
{
    m_buffer.reserve(write_buffer_size);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : m_destination(std::move(other.m_destination))
    , m_temporary(std::move(other.m_temporary))
    , m_descriptor(std::exchange(other.m_descriptor, -1))
    , m_overwrite(other.m_overwrite)
    , m_finished(other.m_finished)
    , m_bytes_written(other.m_bytes_written)
    , m_buffer(std::move(other.m_buffer))
{
    other.m_temporary.clear();
}

AtomicFile::~AtomicFile()
{
    abandon();
}

void AtomicFile::abandon()
{
    explicit_bzero(m_buffer.data(), m_buffer.size());
    m_buffer.clear();
    if (m_descriptor >= 0) {
        ::close(m_descriptor);
        m_descriptor = -1;
    }
    if (!m_temporary.empty()) {
        ::unlink(m_temporary.c_str());
        m_temporary.clear();
    }
}

Result<void> AtomicFile::flush_buffer()
{
    if (int const error = write_all(m_descriptor, m_buffer); error != 0)
        return make_error(ErrorCode::FileWriteFailed, m_temporary.string() + ": " + errno_text(error));
    // The buffer may have held key text or a dry run's plaintext: wipe it, not just
    // forget it (explicit_bzero is not optimised away).
    explicit_bzero(m_buffer.data(), m_buffer.size());
    m_buffer.clear();
    return {};
}

Result<void> AtomicFile::write(std::span<std::uint8_t const> bytes)
{
    assert(!m_finished && m_descriptor >= 0);
    m_bytes_written += bytes.size();
    if (m_buffer.size() + bytes.size() > write_buffer_size)
        TRY(flush_buffer());
    if (bytes.size() >= write_buffer_size) {
        m_buffer.assign(reinterpret_cast<char const*>(bytes.data()), bytes.size());
        return flush_buffer();
    }
    m_buffer.append(reinterpret_cast<char const*>(bytes.data()), bytes.size());
    return {};
}

Result<void> AtomicFile::finish()
{
    if (m_finished)
        return {};
    TRY(flush_buffer());
    if (::fsync(m_descriptor) != 0)
        return make_error(ErrorCode::FileWriteFailed, m_temporary.string() + ": fsync: " + errno_text(errno));
    // The temporary's name must be as durable as its bytes: a placement run commits a
    // batch as sealed after finish(), and recovery then looks for the temporary by name.
    TRY(sync_directory(m_temporary.parent_path()));
    m_finished = true;
    return {};
}

Result<void> AtomicFile::commit()
{
    TRY(finish());
    ::close(m_descriptor);
    m_descriptor = -1;
    if (m_overwrite == Overwrite::No) {
        TRY(publish_file(m_temporary, m_destination));
        m_temporary.clear();
        return {};
    }
    if (::rename(m_temporary.c_str(), m_destination.c_str()) != 0)
        return make_error(ErrorCode::FileWriteFailed, m_destination.string() + ": cannot publish: " + errno_text(errno));
    m_temporary.clear();
    return sync_directory(m_destination.parent_path());
}

} // namespace dcagw::base
