// transport/sftp_listing: long-listing lines -> regular files with sizes.
#include "gateway/transport/sftp_listing.hpp"

#include <charconv>
#include <optional>

namespace dcagw::transport {

namespace {

struct ListingLine {
    char type;
    std::uint64_t size;
    std::string_view name;
};

bool is_mode(std::string_view token)
{
    if (token.size() < 10 || std::string_view("-dlcbps").find(token[0]) == std::string_view::npos)
        return false;
    for (std::size_t index = 1; index < 10; ++index) {
        if (std::string_view("rwxsStT-").find(token[index]) == std::string_view::npos)
            return false;
    }
    return true;
}

std::optional<ListingLine> parse_line(std::string_view line)
{
    std::string_view tokens[8];
    std::size_t position = 0;
    for (auto& token : tokens) {
        while (position < line.size() && line[position] == ' ')
            ++position;
        auto start = position;
        while (position < line.size() && line[position] != ' ')
            ++position;
        if (start == position)
            return std::nullopt;
        token = line.substr(start, position - start);
    }
    // Exactly one space separates the date from the name, which may itself start with spaces.
    if (position + 1 >= line.size() || line[position] != ' ' || !is_mode(tokens[0]))
        return std::nullopt;
    std::uint64_t size = 0;
    auto size_token = tokens[4];
    auto [end, error] = std::from_chars(size_token.data(), size_token.data() + size_token.size(), size);
    if (error != std::errc() || end != size_token.data() + size_token.size())
        return std::nullopt;
    return ListingLine { tokens[0][0], size, line.substr(position + 1) };
}

} // namespace

std::vector<RemoteFile> parse_sftp_long_listing(std::string_view listing)
{
    std::vector<RemoteFile> files;
    bool previous_was_file = false;
    while (!listing.empty()) {
        auto newline = listing.find('\n');
        auto line = listing.substr(0, newline);
        listing.remove_prefix(newline == std::string_view::npos ? listing.size() : newline + 1);
        auto parsed = parse_line(line);
        if (!parsed) {
            // The rest of a name that contains a newline.
            if (previous_was_file) {
                files.back().name.push_back('\n');
                files.back().name.append(line);
            }
            continue;
        }
        previous_was_file = parsed->type == '-';
        if (previous_was_file)
            files.push_back(RemoteFile { std::string(parsed->name), parsed->size });
    }
    return files;
}

} // namespace dcagw::transport
