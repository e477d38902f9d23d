# age: the binary header/payload parser and the ASCII armor decoder (crypto/age).
dcagw_fuzz_target(age_header dcagw_crypto)
dcagw_fuzz_target(age_armor dcagw_crypto)
