#include "gateway/pipeline/duplicates.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

namespace dcagw::pipeline {

using base::Fingerprint128;
using base::FingerprintBuilder;
using model::CaseField;

Fingerprint128 account_fingerprint(std::string_view account_ref)
{
    FingerprintBuilder builder;
    builder.add(account_ref);
    return builder.finish();
}

Fingerprint128 key_fingerprint(model::RawRecord const& record)
{
    FingerprintBuilder builder;
    builder.add(record.value(CaseField::account_ref));
    builder.add(record.value(CaseField::person_ref));
    return builder.finish();
}

Fingerprint128 content_fingerprint(model::RawRecord const& record)
{
    static_assert(model::case_field_count <= 64, "presence flags must fit one word");
    FingerprintBuilder builder;
    std::uint64_t presence = 0;
    for (std::size_t i = 0; i < model::case_field_count; ++i)
        presence |= static_cast<std::uint64_t>(record.present[i]) << i;
    builder.add_bits(presence);
    for (std::size_t i = 0; i < model::case_field_count; ++i)
        builder.add(record.values[i]);
    return builder.finish();
}

namespace {

struct Entry {
    Fingerprint128 account;
    Fingerprint128 key;
    Fingerprint128 content;
    std::uint64_t line;
};

// 64 partitions keep each one to ~1/64 of the rows: 10 million rows need about 6 MB per
// partition when it is loaded and sorted.
constexpr std::size_t partition_count = 64;

struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

} // namespace

base::Result<DuplicateIndex> DuplicateIndex::build(cases::CaseReader& reader, std::filesystem::path const& scratch_folder,
    std::function<void(std::int64_t)> const& on_rows)
{
    TRY(base::ensure_private_directory(scratch_folder));
    std::array<File, partition_count> partitions;
    std::array<std::filesystem::path, partition_count> paths;
    for (std::size_t i = 0; i < partition_count; ++i) {
        paths[i] = scratch_folder / ("duplicates-" + std::to_string(i) + ".bin");
        partitions[i].reset(std::fopen(paths[i].c_str(), "w+b"));
        if (!partitions[i])
            return base::make_error(base::ErrorCode::FileWriteFailed, paths[i].string() + ": cannot create scratch file");
        std::filesystem::remove(paths[i]); // unlinked at once: nothing to clean up after a crash
    }

    model::RawRecord record;
    model::Rejection rejection;
    std::int64_t rows = 0;
    while (true) {
        auto const outcome = TRY(reader.next(record, rejection));
        if (outcome == cases::ReadOutcome::End)
            break;
        if (++rows % 4096 == 0 && on_rows)
            on_rows(rows);
        if (outcome == cases::ReadOutcome::Rejected)
            continue;
        Entry const entry { account_fingerprint(record.value(CaseField::account_ref)), key_fingerprint(record), content_fingerprint(record),
            record.location.line };
        // Partitioned by account, so every row of an account (and so of a key) meets in
        // one partition.
        auto& partition = partitions[entry.account.low % partition_count];
        if (std::fwrite(&entry, sizeof entry, 1, partition.get()) != 1)
            return base::make_error(base::ErrorCode::FileWriteFailed, "writing duplicate-detection scratch file");
    }

    DuplicateIndex index;
    index.m_rows = rows;
    std::vector<Entry> entries;
    for (auto& partition : partitions) {
        auto const size = std::ftell(partition.get());
        if (size < 0)
            return base::make_error(base::ErrorCode::FileUnreadable, "reading duplicate-detection scratch file");
        entries.resize(static_cast<std::size_t>(size) / sizeof(Entry));
        std::rewind(partition.get());
        if (!entries.empty() && std::fread(entries.data(), sizeof(Entry), entries.size(), partition.get()) != entries.size())
            return base::make_error(base::ErrorCode::FileUnreadable, "reading duplicate-detection scratch file");
        std::sort(entries.begin(), entries.end(), [](Entry const& left, Entry const& right) {
            if (left.account != right.account)
                return left.account < right.account;
            if (left.key != right.key)
                return left.key < right.key;
            return left.line < right.line;
        });
        for (std::size_t start = 0; start < entries.size();) {
            std::size_t end = start + 1;
            while (end < entries.size() && entries[end].account == entries[start].account)
                ++end;
            if (end - start > 1)
                index.m_shared_accounts.push_back(entries[start].account);
            start = end;
        }
        for (std::size_t start = 0; start < entries.size();) {
            std::size_t end = start + 1;
            while (end < entries.size() && entries[end].key == entries[start].key)
                ++end;
            if (end - start > 1) {
                DuplicateKey duplicate { false, entries[start].line, static_cast<std::uint32_t>(end - start) };
                for (std::size_t k = start + 1; k < end; ++k)
                    if (entries[k].content != entries[start].content)
                        duplicate.rows_disagree = true;
                index.m_duplicates.emplace(entries[start].key, duplicate);
            }
            start = end;
        }
    }
    std::sort(index.m_shared_accounts.begin(), index.m_shared_accounts.end());
    return index;
}

bool DuplicateIndex::account_is_shared(Fingerprint128 account) const
{
    return std::binary_search(m_shared_accounts.begin(), m_shared_accounts.end(), account);
}

DuplicateKey const* DuplicateIndex::find(Fingerprint128 key) const
{
    auto const found = m_duplicates.find(key);
    return found == m_duplicates.end() ? nullptr : &found->second;
}

} // namespace dcagw::pipeline
