// Credentials of the people and machines that use a node: passwords (Argon2id), API keys and
// session tokens (256 random bits, stored hashed), one-time passwords. What is stored never lets
// anyone sign in: password hashes cost seconds of memory-hard work per guess, key and token
// hashes are of 256-bit random secrets.
//
// Thread-safe; libsodium does the cryptography.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace sw::policy {

// An Argon2id hash in libsodium's self-describing string form ("$argon2id$v=19$m=…").
// Errors (kResourceExhausted) only when the system cannot provide the memory.
core::Result<std::string> hash_password(std::string_view password);
// Constant-time check of a password against hash_password()'s output; false for a malformed hash.
bool verify_password(std::string_view password, std::string_view hash);
// Whether a stored hash was made with weaker parameters than hash_password() uses now (rehash on
// the next successful sign-in).
bool password_needs_rehash(std::string_view hash);

// A password for a new account, shown once: 20 characters from an alphabet without look-alikes
// (about 115 bits).
std::string one_time_password();

// An API key: "swk_" + a 12-character id (the visible prefix, how the node finds the key and how
// people tell keys apart) + "_" + 43 characters of base64url (256 random bits).
struct NewApiKey {
  std::string key;     // shown once, never stored
  std::string id;      // the visible prefix: "swk_" + 12 characters
  std::string digest;  // hex SHA-256 of the secret part: what is stored
};
NewApiKey make_api_key();

struct ParsedApiKey {
  std::string id;      // "swk_…"
  std::string digest;  // hex SHA-256 of the secret part
};
// Splits a key as presented (a bearer token or a Basic password). Errors (kInvalidArgument, with a
// message that does not echo the key): not the form make_api_key() produces.
core::Result<ParsedApiKey> parse_api_key(std::string_view key);

// A random token (session ids, CSRF tokens): 256 bits as 43 base64url characters.
std::string random_token();
// Hex SHA-256 of a token, for storing session ids.
std::string token_digest(std::string_view token);

// Constant-time equality of two digests (equal lengths required; false otherwise).
bool digests_equal(std::string_view a, std::string_view b);

}  // namespace sw::policy
