// Shared by the return reader tests: a sink that keeps what it is given.
#pragma once

#include "gateway/layouts/return_reader.hpp"

#include <vector>

namespace dcagw::test {

class CollectingSink final : public dcagw::layouts::ReturnSink {
public:
    dcagw::base::Result<void> accept(dcagw::model::ReturnLine const& line) override
    {
        lines.push_back(line);
        return {};
    }
    dcagw::base::Result<void> reject(dcagw::model::Rejection const& rejection) override
    {
        rejections.push_back(rejection);
        return {};
    }
    std::vector<dcagw::model::ReturnLine> lines;
    std::vector<dcagw::model::Rejection> rejections;
};

} // namespace dcagw::test
