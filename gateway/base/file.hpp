// base/file: the only place the gateway creates, publishes and reads local files.
//
// Owns: bounded whole-file reads, the ByteSink streaming interface, AtomicFile
// (temp-name-then-rename publication with fsync, mode 0600, never overwriting), the
// owner-only permission check for secret files, and path resolution against a folder.
// Must never: leave a partially written file under its final name, or replace an
// existing file silently.
#pragma once

#include "gateway/base/result.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace dcagw::base {

// Something bytes are streamed into: a file, an encryptor, a hash, a socket. finish()
// flushes and seals; no write may follow it.
class ByteSink {
public:
    virtual ~ByteSink() = default;
    virtual Result<void> write(std::span<std::uint8_t const> bytes) = 0;
    virtual Result<void> finish() = 0;

    Result<void> write(std::string_view text)
    {
        return write(std::span<std::uint8_t const>(reinterpret_cast<std::uint8_t const*>(text.data()), text.size()));
    }
};

// Writes to an already open descriptor (standard output), buffered; finish() flushes but
// does not close it.
class DescriptorSink final : public ByteSink {
public:
    explicit DescriptorSink(int descriptor) : m_descriptor(descriptor) {}
    ~DescriptorSink() override;
    using ByteSink::write;
    Result<void> write(std::span<std::uint8_t const> bytes) override;
    Result<void> finish() override;

private:
    Result<void> flush();
    int m_descriptor;
    std::string m_buffer;
};

// Reads a descriptor (or a file) to its end in pieces of up to 1 MiB, handing each to
// `sink.write`; does not finish the sink.
Result<void> copy_descriptor_to(int descriptor, ByteSink& sink, std::string_view name);
Result<void> copy_file_to(std::filesystem::path const& path, ByteSink& sink);

// Reads a whole file, refusing one larger than max_bytes (configuration, mappings, keys).
Result<std::string> read_file_limited(std::filesystem::path const& path, std::size_t max_bytes);

// Refuses a secret-key file that group or others can read or write, with a hint.
Result<void> check_owner_only(std::filesystem::path const& path);

// `path` unchanged when absolute, otherwise relative to `base_folder`.
std::filesystem::path resolve_against(std::filesystem::path const& base_folder, std::string_view path);

enum class Overwrite { No, Yes };

// A file written under a hidden temporary name in its destination folder and published
// by rename only on commit(). Destroying an uncommitted AtomicFile removes the temp file,
// so a failure leaves nothing at the destination.
class AtomicFile final : public ByteSink {
public:
    static Result<AtomicFile> create(std::filesystem::path destination, Overwrite overwrite = Overwrite::No);
    AtomicFile(AtomicFile&& other) noexcept;
    AtomicFile& operator=(AtomicFile&&) = delete;
    ~AtomicFile() override;

    using ByteSink::write;
    Result<void> write(std::span<std::uint8_t const> bytes) override;
    // Flushes and fsyncs the temporary file and its folder (so a crash after finish()
    // finds the temporary under its name), but does not publish it.
    Result<void> finish() override;
    // finish() if not done, then rename into place (refusing to replace an existing file
    // unless Overwrite::Yes) and fsync the folder.
    Result<void> commit();
    void abandon();

    std::filesystem::path const& destination() const { return m_destination; }
    std::filesystem::path const& temporary_path() const { return m_temporary; }
    std::uint64_t bytes_written() const { return m_bytes_written; }

private:
    AtomicFile(std::filesystem::path destination, std::filesystem::path temporary, int descriptor, Overwrite overwrite);
    Result<void> flush_buffer();

    std::filesystem::path m_destination;
    std::filesystem::path m_temporary;
    int m_descriptor { -1 };
    Overwrite m_overwrite;
    bool m_finished { false };
    std::uint64_t m_bytes_written { 0 };
    std::string m_buffer;
};

// fsyncs a folder, so the names created, linked or removed in it are durable. An error
// (the folder cannot be opened, or the file system refuses the fsync) is returned: a
// publication whose name may not survive a crash has not happened.
Result<void> sync_directory(std::filesystem::path const& folder);

// Publishes an already written temporary file under `destination` without replacing an
// existing file (link, then unlink the temporary), and fsyncs the folder. Used by crash
// recovery to finish a publication that a killed process had sealed but not renamed.
Result<void> publish_file(std::filesystem::path const& temporary, std::filesystem::path const& destination);

// An exclusive advisory lock (flock) on a file, held until destruction. A second process
// asking for the same lock fails at once instead of waiting: two runs must never work on
// one state directory together (recovery would take the other's files for a crash's).
class ExclusiveLock {
public:
    static Result<ExclusiveLock> acquire(std::filesystem::path const& path);
    ExclusiveLock(ExclusiveLock&& other) noexcept;
    ExclusiveLock& operator=(ExclusiveLock&&) = delete;
    ~ExclusiveLock();

private:
    explicit ExclusiveLock(int descriptor) : m_descriptor(descriptor) {}
    int m_descriptor { -1 };
};

// Creates a folder (and parents) with mode 0700 when missing.
Result<void> ensure_private_directory(std::filesystem::path const& path);

} // namespace dcagw::base
