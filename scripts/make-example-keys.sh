#!/bin/sh
# Generates the EXAMPLE keys in keys-example/ used by the demo and the tests.
#
# Every run makes fresh random keys (nothing here is deterministic), so re-running it
# changes every pseudonym and invalidates every example signature and ciphertext: only do
# that on purpose. It refuses to replace existing files; delete them first.
#
# Tools: age-keygen (Debian package age), gpg (gnupg), openssl, base64 (coreutils).
# The gateway's own formats (pseudonym keys, Ed25519 keys) are documented in docs/keys.md
# and written here directly: "DCAGW-...-1" + base64 of 32 random bytes.
#
# Usage: scripts/make-example-keys.sh [output-folder]   (default: keys-example)
set -eu

out=${1:-"$(dirname "$0")/../keys-example"}
mkdir -p "$out"
cd "$out"
umask 077

refuse_existing() {
    for file in "$@"; do
        if [ -e "$file" ]; then
            echo "make-example-keys: $out/$file already exists; delete it first to regenerate" >&2
            exit 2
        fi
    done
}

refuse_existing example-agency.age-identity.key example-agency.age-recipient.txt \
    example-agency.pgp-public.asc example-agency.pgp-secret.asc \
    creditor.pgp-public.asc creditor.pgp-secret.asc \
    creditor-archive.age-identity.key creditor-archive.age-recipient.txt \
    creditor-signing.ed25519.key creditor-signing.ed25519.pub \
    example-agency.pseudonym.key ophelos.pseudonym.key indebted.pseudonym.key

# age identities (X25519): the agency's, and the creditor's own archive key.
for name in example-agency creditor-archive; do
    age-keygen -o "$name.age-identity.key" 2>/dev/null
    age-keygen -y "$name.age-identity.key" > "$name.age-recipient.txt"
done

# OpenPGP key pairs (Ed25519 signing primary + Curve25519 encryption subkey, no
# passphrase, no expiry), made in a throwaway GNUPGHOME so no real keyring is touched.
gnupg_home=$(mktemp -d)
trap 'gpgconf --homedir "$gnupg_home" --kill all 2>/dev/null || true; rm -rf "$gnupg_home"' EXIT
make_pgp_key() {
    name=$1
    user_id=$2
    gpg --homedir "$gnupg_home" --batch --quiet --pinentry-mode loopback --passphrase '' \
        --quick-gen-key "$user_id" future-default default never
    gpg --homedir "$gnupg_home" --batch --armor --export "$user_id" > "$name.pgp-public.asc"
    gpg --homedir "$gnupg_home" --batch --pinentry-mode loopback --passphrase '' \
        --armor --export-secret-keys "$user_id" > "$name.pgp-secret.asc"
}
make_pgp_key example-agency "Example Agency (EXAMPLE KEY, NOT FOR PRODUCTION) <keys@example-agency.invalid>"
make_pgp_key creditor "Example Creditor (EXAMPLE KEY, NOT FOR PRODUCTION) <keys@example-creditor.invalid>"

# The creditor's Ed25519 signing key in the gateway's format: the 32-byte seed is the last
# 32 bytes of OpenSSL's PKCS#8 DER, the public key the last 32 of the SPKI DER.
pem=$(mktemp)
openssl genpkey -algorithm ed25519 -out "$pem"
seed=$(openssl pkey -in "$pem" -outform DER | tail -c 32 | base64 -w0)
public=$(openssl pkey -in "$pem" -pubout -outform DER | tail -c 32 | base64 -w0)
rm -f "$pem"
printf '# dcagw ed25519 secret key \342\200\224 keep private (mode 0600)\nDCAGW-ED25519-SECRET-KEY-1%s\n' "$seed" > creditor-signing.ed25519.key
printf '# dcagw ed25519 public key (safe to share)\ndcagw-ed25519-public-1%s\n' "$public" > creditor-signing.ed25519.pub

# One pseudonym key per agency, so the agencies' references cannot be linked.
for agency in example-agency ophelos indebted; do
    key=$(head -c 32 /dev/urandom | base64 -w0)
    printf '# dcagw pseudonym secret key \342\200\224 keep private (mode 0600)\nDCAGW-PSEUDONYM-KEY-1%s\n' "$key" > "$agency.pseudonym.key"
done

chmod 600 ./*.key ./*secret*
chmod 644 ./*.txt ./*.pub ./*public*
echo "make-example-keys: wrote EXAMPLE keys to $out (never use them in production)"
