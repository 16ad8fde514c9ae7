#include "policy/credentials.h"

#include <sodium.h>

#include <array>
#include <cstdint>

namespace sw::policy {

namespace {

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  (void)ready;
}

// Argon2id with libsodium's "moderate" limits would cost ~0.7 s and 256 MiB per sign-in on this
// class of machine; "interactive" (64 MiB, 2 passes) keeps sign-in fast and guessing expensive.
constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr size_t kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

constexpr std::string_view kKeyPrefix = "swk_";
constexpr size_t kKeyIdChars = 12;      // after the prefix
constexpr size_t kSecretChars = 43;     // base64url of 32 bytes, no padding

std::string base64url(const unsigned char* bytes, size_t n) {
  std::string out(sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> h;
  crypto_hash_sha256(h.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
  std::string hex(2 * h.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), h.data(), h.size());
  hex.pop_back();
  return hex;
}

// Random characters from `alphabet` (uniform: randombytes_uniform has no modulo bias).
std::string random_chars(std::string_view alphabet, size_t n) {
  std::string s(n, '\0');
  for (char& c : s) c = alphabet[randombytes_uniform(static_cast<uint32_t>(alphabet.size()))];
  return s;
}

bool is_base64url(std::string_view s) {
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

core::Result<std::string> hash_password(std::string_view password) {
  ensure_sodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str(out.data(), password.data(), password.size(), kOpsLimit, kMemLimit) != 0) {
    return core::Error::exhausted("out of memory while hashing a password", "argon2id");
  }
  return std::string(out.data());
}

bool verify_password(std::string_view password, std::string_view hash) {
  ensure_sodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::array<char, crypto_pwhash_STRBYTES> h{};
  std::copy(hash.begin(), hash.end(), h.begin());
  return crypto_pwhash_str_verify(h.data(), password.data(), password.size()) == 0;
}

bool password_needs_rehash(std::string_view hash) {
  ensure_sodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return true;
  std::array<char, crypto_pwhash_STRBYTES> h{};
  std::copy(hash.begin(), hash.end(), h.begin());
  return crypto_pwhash_str_needs_rehash(h.data(), kOpsLimit, kMemLimit) != 0;
}

std::string one_time_password() {
  ensure_sodium();
  // No 0/O, 1/l/I: read aloud or copied from a screen without mistakes. 55 symbols, 20 of them.
  return random_chars("23456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ", 20);
}

NewApiKey make_api_key() {
  ensure_sodium();
  NewApiKey k;
  k.id = std::string(kKeyPrefix) +
         random_chars("0123456789abcdefghijklmnopqrstuvwxyz", kKeyIdChars);
  std::array<unsigned char, 32> secret;
  randombytes_buf(secret.data(), secret.size());
  const std::string text = base64url(secret.data(), secret.size());
  sodium_memzero(secret.data(), secret.size());
  k.key = k.id + "_" + text;
  k.digest = sha256_hex(text);
  return k;
}

core::Result<ParsedApiKey> parse_api_key(std::string_view key) {
  const size_t id_len = kKeyPrefix.size() + kKeyIdChars;
  if (key.size() != id_len + 1 + kSecretChars || !key.starts_with(kKeyPrefix) ||
      key[id_len] != '_' || !is_base64url(key.substr(kKeyPrefix.size(), kKeyIdChars)) ||
      !is_base64url(key.substr(id_len + 1))) {
    return core::Error::invalid(
        "not a Shieldwall API key (expected swk_<12 characters>_<43 characters>)", "API key");
  }
  ensure_sodium();
  return ParsedApiKey{std::string(key.substr(0, id_len)), sha256_hex(key.substr(id_len + 1))};
}

std::string random_token() {
  ensure_sodium();
  std::array<unsigned char, 32> bytes;
  randombytes_buf(bytes.data(), bytes.size());
  return base64url(bytes.data(), bytes.size());
}

std::string token_digest(std::string_view token) {
  ensure_sodium();
  return sha256_hex(token);
}

bool digests_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace sw::policy
