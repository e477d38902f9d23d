# audit: checkpoint lines, entry encodings, list values and subject blocks (audit, store).
dcagw_fuzz_target(audit_records dcagw_audit)
