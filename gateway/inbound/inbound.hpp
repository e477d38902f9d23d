// inbound: opening one collected agency return file and reading it, line by line, into a
// sink (docs/returns.md, "The inbound envelope").
//
// Owns: the order that keeps a return file honest: the envelope the agency's profile
// declares (age or OpenPGP to the creditor's key, or none) is decrypted, streaming, into a
// 0600 plaintext file under the state directory's work folder, and the agency's OpenPGP
// signature is verified, all BEFORE the first line reaches the sink; then the one return
// layout the file matches is chosen and the lines are read. The plaintext is removed when
// read_return_file returns, whatever happened.
// Must never: pass a line of a file that is undecryptable, unsigned or badly signed when a
// signature is required, or matches no declared layout (each is an Error, and the sink has
// seen nothing); leave plaintext behind; record, audit or keep anything (ingest does).
#pragma once

#include "gateway/base/date.hpp"
#include "gateway/base/result.hpp"
#include "gateway/crypto/age.hpp"
#include "gateway/layouts/return_reader.hpp"
#include "gateway/model/config.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace dcagw::inbound {

using ReturnSink = layouts::ReturnSink;

// The creditor's keys for one agency's returns, loaded once per run: age identities stay
// in sodium memory; an OpenPGP secret key is loaded by crypto (librnp, from its 0600 file)
// for each file, so only its path is kept.
class InboundKeys {
public:
    // Loads what agency.returns names (KeyInvalid, PermissionsTooOpen, FileNotFound...).
    // An agency without a returns section: ConfigInvalid.
    static base::Result<InboundKeys> load(model::AgencyConfig const& agency);

    std::vector<crypto::AgeIdentity> const& age_identities() const { return m_age_identities; }

private:
    std::vector<crypto::AgeIdentity> m_age_identities;
};

struct InboundFile {
    std::filesystem::path collected_path;    // the file as collected (ciphertext, in the inbox)
    std::string file_name;                   // its name on the agency's server
    std::string remote_folder;               // the folder it was collected from
    std::filesystem::path work_directory;    // under the state directory; created 0700 if missing
    model::InputLimits limits;               // the configuration's limits
    base::Date today;                        // later dates in the file are refused
};

struct ReturnFileFacts {
    model::ReturnKind kind { model::ReturnKind::Activity };
    std::string layout;                      // the layout's name in the mapping
    std::string sha256_of_collected;         // lower-case hex of the collected file
    bool signature_verified { false };
    std::string signer;                      // OpenPGP primary-key fingerprint, when verified
    std::uint64_t lines_accepted { 0 };
    std::uint64_t lines_rejected { 0 };
};

// A sink that is told what the file is before its first line: ingest opens the file's
// transaction there, knowing its kind and content hash, or stops a file applied before.
enum class ReadOn { Lines, Stop };
class ReturnFileSink : public ReturnSink {
public:
    // Called once, after the envelope is open (and its signature verified where required)
    // and the layout chosen, before any line; `facts` has everything but the counts.
    // Stop: no line is read and read_return_file returns these facts.
    virtual base::Result<ReadOn> start(ReturnFileFacts const& facts) = 0;
};

// Opens, checks and reads one collected return file. Errors, each before any line reached
// the sink unless stated:
//   ConfigInvalid          the agency has no returns section
//   InputTooLarge          the collected file is larger than limits.max_file_bytes
//   NoMatchingIdentity, HeaderInvalid, PayloadCorrupt, HeaderMacMismatch, ArmorInvalid,
//   UnsupportedRecipient   the file does not decrypt with the creditor's key
//   SignatureInvalid       a signature is required and is missing, bad, or by another key
//   InputMalformed         no declared layout matches the file (name, folder, header row),
//                          or its header row is not the layout's
//   FileUnreadable, FileWriteFailed  I/O
//   InputTooLarge, FileUnreadable after lines were passed (a plaintext that grew past the
//                          limit while read): the file must not be applied.
// Any error from the sink is returned as it is.
base::Result<ReturnFileFacts> read_return_file(model::AgencyConfig const& agency, InboundKeys const& keys,
    InboundFile const& file, ReturnFileSink& sink);
// The same for a sink that takes every file's lines.
base::Result<ReturnFileFacts> read_return_file(model::AgencyConfig const& agency, InboundKeys const& keys,
    InboundFile const& file, ReturnSink& sink);

} // namespace dcagw::inbound
