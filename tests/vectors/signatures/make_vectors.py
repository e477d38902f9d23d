#!/usr/bin/env python3
"""Writes the dcagw-signature-v1 known-answer vectors in this folder.

The vectors are produced with Python's `cryptography` package (OpenSSL's Ed25519) and
hashlib, independently of the gateway's libsodium code, so the C++ test checks our
implementation against a second one. Ed25519 is deterministic, so re-running this script
reproduces the same files byte for byte.

Usage: python3 tests/vectors/signatures/make_vectors.py
"""
import base64
import hashlib
import os
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

HERE = os.path.dirname(os.path.abspath(__file__))
MAGIC = b"dcagw-signature-v1"


def public_text(seed):
    key = Ed25519PrivateKey.from_private_bytes(seed)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "dcagw-ed25519-public-1" + base64.b64encode(raw).decode()


def signature_text(seed, content, digest=None):
    key = Ed25519PrivateKey.from_private_bytes(seed)
    digest = digest if digest is not None else hashlib.sha256(content).digest()
    signature = key.sign(MAGIC + b"\0" + digest)
    return (
        "dcagw-signature-v1\n"
        "algorithm: ed25519\n"
        f"key: {public_text(seed)}\n"
        f"signed-sha256: {digest.hex()}\n"
        f"signature: {base64.b64encode(signature).decode()}\n"
    )


def write(name, expect, comment, verify_seed, content, body, signer_seed=None):
    lines = [f"expect: {expect}", f"comment: {comment}"]
    if signer_seed is not None:
        lines.append(f"seed: {signer_seed.hex()}")
    lines.append(f"verify-key: {public_text(verify_seed)}")
    lines.append(f"content: {content.hex()}")
    with open(os.path.join(HERE, name), "w", newline="\n") as out:
        out.write("\n".join(lines) + "\n\n" + body)


seed_a = bytes(range(32))
seed_b = bytes([0x42] * 32)
big = bytes((index * 7 + 3) % 256 for index in range(1000))

write("empty_content", "success", "signature over zero bytes", seed_a, b"", signature_text(seed_a, b""), seed_a)
write("short_text", "success", "a short text file", seed_a, b"placement file\n", signature_text(seed_a, b"placement file\n"), seed_a)
write("large_content", "success", "1,000 bytes of binary content (all byte values)", seed_a, big, signature_text(seed_a, big), seed_a)
write("second_key", "success", "the same content under another key", seed_b, b"placement file\n", signature_text(seed_b, b"placement file\n"), seed_b)
write("wrong_key", "wrong key", "valid signature by key B, verified against key A", seed_a, b"placement file\n", signature_text(seed_b, b"placement file\n"))
write("content_changed", "content changed", "valid signature over other content", seed_a, b"placement file!\n", signature_text(seed_a, b"placement file\n"))
stated = hashlib.sha256(b"placement file!\n").digest()
forged = signature_text(seed_a, b"placement file\n").replace(hashlib.sha256(b"placement file\n").hexdigest(), stated.hex())
write("hash_line_replaced", "signature bad", "signed-sha256 line replaced to match other content", seed_a, b"placement file!\n", forged)
good = signature_text(seed_a, b"placement file\n")
sig_line = good.splitlines()[4]
raw = bytearray(base64.b64decode(sig_line[len("signature: "):]))
raw[10] ^= 0x01
flipped = good.replace(sig_line, "signature: " + base64.b64encode(bytes(raw)).decode())
write("signature_bit_flipped", "signature bad", "one bit of the signature flipped", seed_a, b"placement file\n", flipped)
write("malformed_algorithm", "malformed", "algorithm line names another algorithm", seed_a, b"placement file\n", good.replace("algorithm: ed25519", "algorithm: ed448"))
write("malformed_trailing", "malformed", "text after the signature line", seed_a, b"placement file\n", good + "extra\n")
write("malformed_uppercase_hex", "malformed", "upper-case hex is not the canonical spelling", seed_a, b"placement file\n", good.replace(hashlib.sha256(b"placement file\n").hexdigest(), hashlib.sha256(b"placement file\n").hexdigest().upper()))
