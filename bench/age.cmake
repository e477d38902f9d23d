# age_bench: encrypt and decrypt of a 1 GiB file with crypto/age versus the `age` command,
# and raw OpenSSL EVP ChaCha20-Poly1305 throughput, in one run (see docs/age.md).
add_executable(age_bench ${CMAKE_CURRENT_LIST_DIR}/age_bench.cpp)
target_link_libraries(age_bench PRIVATE dcagw_crypto OpenSSL::Crypto)
