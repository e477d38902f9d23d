// The body shared by the age fuzz targets: the input goes through AgeDecryptor with the
// testkit identity, so inputs mutated from real files reach the MAC and payload code. It
// is fed in two writes split at a point chosen by its first byte, so the streaming state
// machine sees arbitrary boundaries.
#pragma once

#include "gateway/crypto/age.hpp"

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace age_fuzz {

class DiscardSink final : public dcagw::base::ByteSink {
public:
    using dcagw::base::ByteSink::write;
    dcagw::base::Result<void> write(std::span<std::uint8_t const>) override { return {}; }
    dcagw::base::Result<void> finish() override { return {}; }
};

} // namespace age_fuzz

inline int fuzz_age_decryptor(dcagw::crypto::AgeInput input_kind, std::uint8_t const* data, std::size_t size)
{
    using namespace dcagw::crypto;
    static std::vector<AgeIdentity> const identities = [] {
        std::vector<AgeIdentity> list;
        list.push_back(AgeIdentity::parse("AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0").release_value());
        return list;
    }();
    std::span<std::uint8_t const> const input(data, size);
    std::size_t const split = size == 0 ? 0 : data[0] % (size + 1);
    age_fuzz::DiscardSink sink;
    auto decryptor = AgeDecryptor::create(identities, sink, input_kind).release_value();
    if (decryptor->write(input.first(split)).ok() && decryptor->write(input.subspan(split)).ok())
        (void)decryptor->finish();
    return 0;
}
