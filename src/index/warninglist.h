// MISP warning lists (github.com/MISP/misp-warninglists): lists of known-benign or noisy values —
// cloud and CDN ranges, public resolvers, top sites, empty-file hashes — used to flag a value (an
// indicator, or a hit in a log) as a probable false positive.
//
// A list is a JSON file with "name", "version", "description", "type" (string, substring, hostname,
// cidr, regex), "list" (the entries) and optionally "matching_attributes" (the MISP attribute types
// it applies to). How each type matches a value:
//  - cidr:      an address, or a block wholly inside, falls within the listed blocks (IPv4 and IPv6;
//               bare addresses are /32 and /128 blocks; blocks of one list are merged, so a block
//               covered by several adjacent entries counts as inside);
//  - hostname:  the DNS name or one of its parent domains is listed (".example.com" and
//               "example.com" are the same entry); for a URL its host, for an e-mail its domain;
//  - string:    the whole value equals an entry, ignoring ASCII case (for a URL also its host, for
//               an e-mail also its domain);
//  - substring: the value contains an entry, ignoring ASCII case;
//  - regex:     RE2 finds the entry in the value; entries in PCRE form "/…/flags" are accepted with
//               the flags i, m, s (and u, a no-op); an entry RE2 cannot compile (back-references,
//               look-around) is rejected and counted.
// matching_attributes restricts a list to the kinds its MISP types map to (ip-src/ip-dst… → IPv4
// and IPv6, domain/hostname → domain, url/uri/link → URL, email-* → e-mail, md5/sha1/sha256/sha512
// with their filename| and x509-fingerprint- forms → that hash, anything else → kOther); a list
// without it applies to every kind.
//
// Thread-safety: loading is not thread-safe; once loaded, check() and the accessors are const and
// may be called from any number of threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "index/observable.h"

namespace sw::index {

enum class WarningListType : uint8_t { kString, kSubstring, kHostname, kCidr, kRegex };

// "string", "substring", "hostname", "cidr", "regex".
std::string_view warning_list_type_name(WarningListType type);

struct WarningListInfo {
  std::string id;           // the folder of <id>/list.json, or the file's stem
  std::string name;         // "List of known IPv4 public DNS resolvers"
  std::string description;
  int64_t version = 0;
  WarningListType type = WarningListType::kString;
  std::vector<std::string> matching_attributes;
  uint32_t kinds = 0;   // bit (1 << Kind) for each kind the list applies to
  size_t entries = 0;   // entries in use
  size_t rejected = 0;  // entries not used: empty, not an address block, not compilable by RE2
  std::string source;   // the file (or the `where` given to add_json)

  bool applies_to(Kind k) const { return (kinds >> static_cast<unsigned>(k)) & 1u; }
};

class WarningLists {
 public:
  WarningLists();
  ~WarningLists();
  WarningLists(WarningLists&&) noexcept;
  WarningLists& operator=(WarningLists&&) noexcept;

  // Loads every list under `dir`: each file named list.json at any depth (the MISP repository's
  // lists/<id>/list.json layout) and each other *.json file directly in `dir`, in path order. A
  // file that cannot be read or is not a valid list is skipped — skipped() names it and says why
  // — and the others still load. Errors: kNotFound / kIo when `dir` is not a readable directory.
  static core::Result<WarningLists> load_directory(const std::filesystem::path& dir);

  // Adds one list file; `id` defaults as in WarningListInfo::id. Errors name the file.
  core::Status load_file(const std::filesystem::path& file, std::string id = {});

  // Adds one list from its JSON text; `where` names it in errors. On error nothing is added.
  core::Status add_json(std::string_view json, std::string id, std::string where);

  // The lists that flag `value` taken as `kind`: indices into lists(), ascending, each once.
  std::vector<uint32_t> check(Kind kind, std::string_view value) const;
  // The same into `out` (cleared first), to reuse its memory.
  void check(Kind kind, std::string_view value, std::vector<uint32_t>& out) const;

  const std::vector<WarningListInfo>& lists() const;
  const WarningListInfo& info(uint32_t index) const { return lists()[index]; }
  // Files load_directory() skipped, each error's `where` naming the file.
  const std::vector<core::Error>& skipped() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sw::index
