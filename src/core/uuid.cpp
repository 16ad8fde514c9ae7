#include "core/uuid.h"

#include <openssl/sha.h>
#include <sodium.h>

#include <cstring>

namespace sw::core {

Uuid uuid_v4() {
  static const bool ready = sodium_init() >= 0;
  (void)ready;
  Uuid u;
  randombytes_buf(u.data(), u.size());
  u[6] = static_cast<uint8_t>((u[6] & 0x0f) | 0x40);
  u[8] = static_cast<uint8_t>((u[8] & 0x3f) | 0x80);
  return u;
}

Uuid uuid_v5(const Uuid& ns, std::string_view name) {
  SHA_CTX ctx;
  unsigned char digest[SHA_DIGEST_LENGTH];
  // SHA1_* are deprecated in OpenSSL 3 in favour of EVP but remain exact and allocation-free.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  SHA1_Init(&ctx);
  SHA1_Update(&ctx, ns.data(), ns.size());
  SHA1_Update(&ctx, name.data(), name.size());
  SHA1_Final(digest, &ctx);
#pragma GCC diagnostic pop
  Uuid u;
  std::memcpy(u.data(), digest, 16);
  u[6] = static_cast<uint8_t>((u[6] & 0x0f) | 0x50);
  u[8] = static_cast<uint8_t>((u[8] & 0x3f) | 0x80);
  return u;
}

std::string to_string(const Uuid& u) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
    s.push_back(kHex[u[i] >> 4]);
    s.push_back(kHex[u[i] & 15]);
  }
  return s;
}

bool parse_uuid(std::string_view t, Uuid& out) {
  if (t.size() != 36) return false;
  size_t b = 0;
  for (size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (t[i] != '-') return false;
      ++i;
      continue;
    }
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    int hi = hex(t[i]), lo = hex(t[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[b++] = static_cast<uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return true;
}

bool is_rfc4122_uuid(std::string_view text) {
  Uuid u;
  if (!parse_uuid(text, u)) return false;
  const int version = uuid_version(u);
  return (u[8] & 0xc0) == 0x80 && version >= 1 && version <= 8;
}

const Uuid& stix_sco_namespace() {
  static const Uuid ns = [] {
    Uuid u{};
    parse_uuid("00abedb4-aa42-466c-9c01-fed23315a9b7", u);
    return u;
  }();
  return ns;
}

}  // namespace sw::core
