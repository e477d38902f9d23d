// The placement run's audit entries: what a sealed output file disclosed, to whom and
// under which agreement (docs/audit.md, "The disclosure entry and crash safety").
#include "gateway/audit/journal.hpp"
#include "gateway/pipeline/agency_output.hpp"

namespace dcagw::pipeline {

base::Result<void> record_disclosure(audit::Journal& journal, audit::SubjectRecorder& subjects, model::AgencyConfig const& agency,
    AgencyOutput const& output, std::vector<std::string> const& fields, std::int64_t run)
{
    auto const list = output.primary_batch();
    auto const [count, digest] = subjects.finish_list(list);
    for (auto const& file : output.files()) {
        audit::Disclosure disclosure;
        disclosure.agency = agency.id;
        disclosure.purpose = agency.purpose;
        disclosure.lawful_basis = agency.lawful_basis;
        disclosure.agreement_reference = agency.agreement_reference;
        disclosure.agreement_version = agency.agreement_version;
        disclosure.fields = fields;
        disclosure.record_count = output.rows();
        disclosure.file_name = file.file_name;
        disclosure.plaintext_sha256 = output.plaintext_sha256_hex();
        disclosure.ciphertext_sha256 = file.sha256;
        disclosure.ciphertext_bytes = file.size_bytes;
        disclosure.encryption = file.encryption;
        disclosure.recipients = file.recipients;
        disclosure.subject_list = list;
        disclosure.subject_count = count;
        disclosure.subject_digest = digest;
        disclosure.run = run;
        TRY(journal.record_disclosure(disclosure));
    }
    return {};
}

} // namespace dcagw::pipeline
