# Parsers of outside data beyond the case export and listings, one target each:
# the audit export bundle a third party hands back, signature and public key text, the
# checkpoint file's framing (audit); key files, age recipients and identities, Bech32
# (crypto); pinned host-key fingerprints and credential files (transport); the stored
# field lists (store); and the configuration and mapping readers (config).
dcagw_fuzz_target(audit_export dcagw_audit)
dcagw_fuzz_target(signature dcagw_crypto)
dcagw_fuzz_target(checkpoint_file dcagw_audit)
dcagw_fuzz_target(key_files dcagw_crypto)
dcagw_fuzz_target(host_key dcagw_transport)
dcagw_fuzz_target(credentials dcagw_transport)
dcagw_fuzz_target(field_list dcagw_store)
dcagw_fuzz_target(config_reader dcagw_config)
dcagw_fuzz_target(mapping_reader dcagw_config)
