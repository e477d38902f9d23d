// listing/webdav_listing: RFC 4918 multistatus, read with pugixml and confined to one folder.
#include "gateway/listing/webdav_listing.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <cctype>

namespace dcagw::listing {

namespace {

constexpr std::string_view dav_namespace = "DAV:";

bool equal_ignoring_case(std::string_view left, std::string_view right)
{
    return left.size() == right.size() && std::equal(left.begin(), left.end(), right.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
}

// The namespace an element's prefix is bound to, looked up through its ancestors.
std::string_view namespace_of(pugi::xml_node node)
{
    std::string_view name = node.name();
    auto colon = name.find(':');
    std::string attribute = colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(name.substr(0, colon));
    for (auto ancestor = node; ancestor; ancestor = ancestor.parent()) {
        if (auto declared = ancestor.attribute(attribute.c_str()))
            return declared.value();
    }
    return {};
}

// Whether node is the DAV: element local_name (whatever prefix the server chose).
bool is_dav(pugi::xml_node node, std::string_view local_name)
{
    if (node.type() != pugi::node_element)
        return false;
    std::string_view name = node.name();
    auto colon = name.find(':');
    if (colon != std::string_view::npos)
        name.remove_prefix(colon + 1);
    return name == local_name && namespace_of(node) == dav_namespace;
}

pugi::xml_node dav_child(pugi::xml_node parent, std::string_view local_name)
{
    for (auto child : parent.children())
        if (is_dav(child, local_name))
            return child;
    return {};
}

std::string_view trimmed(char const* text)
{
    std::string_view view(text);
    auto const space = " \t\r\n";
    auto first = view.find_first_not_of(space);
    if (first == std::string_view::npos)
        return {};
    return view.substr(first, view.find_last_not_of(space) - first + 1);
}

// "HTTP/1.1 200 OK" -> whether the status is 2xx.
bool is_success_status(std::string_view line)
{
    auto space = line.find(' ');
    if (space == std::string_view::npos || space + 1 >= line.size())
        return false;
    return line[space + 1] == '2';
}

std::optional<std::uint64_t> parse_size(std::string_view text)
{
    if (text.empty() || text.size() > 20)
        return std::nullopt;
    std::uint64_t value = 0;
    for (char character : text) {
        if (character < '0' || character > '9')
            return std::nullopt;
        auto digit = static_cast<std::uint64_t>(character - '0');
        if (value > (UINT64_MAX - digit) / 10)
            return std::nullopt;
        value = value * 10 + digit;
    }
    return value;
}

// "/a/b%20c/" -> {"a", "b c"}: decoded segments of an absolute path. A trailing '/' is
// allowed (collections); empty segments, '?', '#' and bad escapes are not.
std::optional<std::vector<std::string>> path_segments(std::string_view path)
{
    if (path.empty() || path.front() != '/' || path.find_first_of("?#") != std::string_view::npos)
        return std::nullopt;
    path.remove_prefix(1);
    if (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    std::vector<std::string> segments;
    while (!path.empty()) {
        auto slash = path.find('/');
        auto segment = path.substr(0, slash);
        if (segment.empty())
            return std::nullopt;
        auto decoded = percent_decode(segment);
        if (!decoded)
            return std::nullopt;
        segments.push_back(std::move(*decoded));
        path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    }
    return segments;
}

// Whether an href's authority names the server of the scope (an https base URL's): host
// compared without case, a missing port read as the scheme's default ("host" and
// "host:443" over https; "http://host" is port 80, so never the same).
bool same_authority(std::string_view href_authority, std::string_view href_default_port, std::string_view scope_authority)
{
    auto split = [](std::string_view authority, std::string_view default_port) {
        auto colon = authority.rfind(':');
        if (colon == std::string_view::npos || authority.find(']', colon) != std::string_view::npos)
            return std::pair(authority, default_port);
        return std::pair(authority.substr(0, colon), authority.substr(colon + 1));
    };
    auto [href_host, href_port] = split(href_authority, href_default_port);
    auto [scope_host, scope_port] = split(scope_authority, "443");
    return !href_host.empty() && equal_ignoring_case(href_host, scope_host) && href_port == scope_port;
}

// The path of an href: itself when it is an absolute path; for an absolute URI its path,
// when the authority is the server's own (RFC 4918 8.3 allows both forms).
std::optional<std::string_view> href_path(std::string_view href, std::string_view authority)
{
    if (href.starts_with('/'))
        return href;
    for (auto [scheme, default_port] : { std::pair<std::string_view, std::string_view>("https://", "443"), { "http://", "80" } }) {
        if (href.size() < scheme.size() || !equal_ignoring_case(href.substr(0, scheme.size()), scheme))
            continue;
        auto rest = href.substr(scheme.size());
        auto slash = rest.find('/');
        auto host = rest.substr(0, slash);
        if (!same_authority(host, default_port, authority))
            return std::nullopt;
        return slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
    }
    return std::nullopt;
}

base::Error malformed(std::string const& what)
{
    return base::make_error(base::ErrorCode::InputMalformed, "WebDAV listing: " + what);
}

class MultistatusReader {
public:
    MultistatusReader(WebdavListingScope const& scope, std::vector<std::string> folder)
        : m_scope(scope)
        , m_folder(std::move(folder))
    {
    }

    // One <response>: an entry for a direct member of the folder, or nothing.
    std::optional<RemoteListingEntry> member(pugi::xml_node response) const
    {
        auto href = dav_child(response, "href");
        if (!href)
            return std::nullopt;
        auto path = href_path(trimmed(href.child_value()), m_scope.authority);
        if (!path)
            return std::nullopt;
        auto segments = path_segments(*path);
        if (!segments || segments->size() != m_folder.size() + 1
            || !std::equal(m_folder.begin(), m_folder.end(), segments->begin()))
            return std::nullopt;
        auto& name = segments->back();
        if (name == "." || name == "..")
            return std::nullopt;
        RemoteListingEntry entry;
        entry.name = std::move(name);
        entry.type = path->ends_with('/') ? "directory" : "file";
        for (auto propstat : response.children()) {
            if (!is_dav(propstat, "propstat") || !is_success_status(trimmed(dav_child(propstat, "status").child_value())))
                continue;
            auto prop = dav_child(propstat, "prop");
            if (auto type = dav_child(prop, "resourcetype"); type && dav_child(type, "collection"))
                entry.type = "directory";
            if (auto length = dav_child(prop, "getcontentlength"))
                entry.size = parse_size(trimmed(length.child_value()));
        }
        if (entry.type == "directory")
            entry.size.reset();
        return entry;
    }

private:
    WebdavListingScope const& m_scope;
    std::vector<std::string> m_folder;
};

} // namespace

std::optional<std::string> percent_decode(std::string_view text)
{
    auto hex = [](char character) -> int {
        if (character >= '0' && character <= '9')
            return character - '0';
        if (character >= 'a' && character <= 'f')
            return character - 'a' + 10;
        if (character >= 'A' && character <= 'F')
            return character - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(text.size());
    for (std::size_t index = 0; index < text.size(); ++index) {
        if (text[index] != '%') {
            out.push_back(text[index]);
            continue;
        }
        if (index + 2 >= text.size())
            return std::nullopt;
        int high = hex(text[index + 1]);
        int low = hex(text[index + 2]);
        if (high < 0 || low < 0)
            return std::nullopt;
        out.push_back(static_cast<char>(high * 16 + low));
        index += 2;
    }
    return out;
}

base::Result<std::vector<RemoteListingEntry>> parse_webdav_multistatus(std::string_view xml, WebdavListingScope const& scope)
{
    if (xml.size() > max_remote_listing_bytes)
        return base::make_error(base::ErrorCode::InputTooLarge,
            "WebDAV listing: larger than " + std::to_string(max_remote_listing_bytes) + " bytes");
    auto folder = path_segments(scope.folder_path);
    if (!folder)
        return base::make_error(base::ErrorCode::Internal, "WebDAV listing: the requested folder is not an absolute path");
    pugi::xml_document document;
    // No DOCTYPE processing: pugixml then expands only XML's predefined and numeric
    // entities, so an entity bomb or an external entity has nothing to work with.
    auto const parsed = document.load_buffer(xml.data(), xml.size(), pugi::parse_default & ~pugi::parse_doctype, pugi::encoding_utf8);
    if (!parsed)
        return malformed("byte " + std::to_string(parsed.offset) + ": " + parsed.description());
    auto root = document.document_element();
    if (!is_dav(root, "multistatus"))
        return malformed("the document is not a DAV: multistatus");
    MultistatusReader reader(scope, std::move(*folder));
    std::vector<RemoteListingEntry> entries;
    for (auto response : root.children()) {
        if (!is_dav(response, "response"))
            continue;
        auto entry = reader.member(response);
        if (!entry)
            continue;
        if (entries.size() == max_remote_listing_entries)
            return base::make_error(base::ErrorCode::InputTooLarge,
                "WebDAV listing: more than " + std::to_string(max_remote_listing_entries) + " entries");
        entries.push_back(std::move(*entry));
    }
    return entries;
}

} // namespace dcagw::listing
