// ObjectReader: streams the top-level STIX objects out of a file without holding the file in
// memory — a bundle ({"type":"bundle","objects":[…]}), a JSON array of objects, or one object;
// plain .json or gzip (.json.gz, recognised by its magic bytes).
//
// Memory is bounded by the largest single object (limit: ReaderOptions::max_object_bytes), not by
// the file: a 2 GB bundle is read through a buffer of a few megabytes. The reader only finds object
// boundaries; each object's JSON is checked by the parser (stix/parse.h). An object larger than the
// limit is skipped with an error and reading goes on after it.
//
// Not thread-safe; one reader per file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sw::stix {

struct ReaderOptions {
  uint64_t max_object_bytes = 64ull << 20;
  uint32_t max_depth = 1024;  // objects nested deeper are skipped with an error (simdjson's limit)
};

// One object found in the file. `json` stays valid until the next call to next(), and is followed
// in memory by at least simdjson::SIMDJSON_PADDING readable bytes (so it can be parsed in place).
struct RawObject {
  std::string_view json;
  uint64_t index = 0;        // position among the file's objects, from 0
  uint64_t byte_offset = 0;  // where it starts in the (uncompressed) file
  std::string path;          // "$.objects[17]", "$[3]" or "$"
};

class ByteSource;

class ObjectReader {
 public:
  static core::Result<std::unique_ptr<ObjectReader>> open(const std::filesystem::path& file,
                                                          ReaderOptions options = {});
  // Reads from memory (tests, HTTP bodies). `name` is used in error places.
  static std::unique_ptr<ObjectReader> from_memory(std::string data, std::string name,
                                                   ReaderOptions options = {});
  ~ObjectReader();

  enum class Next { kObject, kEnd };
  // The next object, kEnd after the last, or an error. After an error about one object (too large)
  // reading may continue; after a structural error (truncated file, malformed bundle) every later
  // call returns the same error. Errors carry "file:byte N ($.objects[i])" in `where`.
  core::Result<Next> next(RawObject& out);

  // True after a structural error: the rest of the file cannot be read.
  bool failed() const { return state_ == State::kFailed; }

  // Bundle header fields seen so far (empty if the file is not a bundle).
  const std::string& bundle_id() const { return bundle_id_; }
  bool is_bundle() const { return is_bundle_; }

  // Progress: bytes consumed from the file as stored (compressed bytes for gzip), and its size.
  uint64_t bytes_read() const;
  uint64_t file_size() const { return file_size_; }

 private:
  ObjectReader(std::unique_ptr<ByteSource> src, std::string name, ReaderOptions options,
               uint64_t file_size);

  enum class State { kStart, kBundleMembers, kArray, kDone, kFailed };

  bool fill();                         // reads more bytes; false at end of input
  bool ensure(size_t n);               // at least n unread bytes buffered (false at EOF)
  core::Result<bool> skip_ws();        // false at EOF
  core::Error fail(std::string msg, uint64_t at, std::string path);
  core::Error fatal(core::Error e);  // marks the reader failed; every later next() returns `e`
  // Scans a JSON value starting at pos_; sets `len`. If `keep` is false the value's bytes are
  // dropped as they are scanned (oversized objects).
  core::Result<bool> scan_value(size_t& len, bool& oversize, const std::string& path);
  core::Result<std::string> read_string_token(const std::string& path);
  core::Result<Next> next_element(RawObject& out, char close, const std::string& prefix);
  core::Result<Next> read_bundle_member(RawObject& out);
  void compact();

  std::unique_ptr<ByteSource> src_;
  std::string name_;
  ReaderOptions opt_;
  uint64_t file_size_ = 0;

  char* buf_ = nullptr;     // capacity_ + padding bytes
  size_t capacity_ = 0;
  size_t begin_ = 0, end_ = 0;  // unread bytes are [begin_, end_)
  uint64_t consumed_ = 0;       // file offset of buf_[0]
  bool eof_ = false;

  State state_ = State::kStart;
  core::Error failure_;
  uint64_t index_ = 0;
  uint64_t documents_ = 0;  // top-level JSON values begun
  bool skipped_deep_ = false;  // the value scan_value just dropped was too deep, not too large
  bool is_bundle_ = false;
  bool saw_objects_ = false;
  bool expect_comma_ = false;  // an element was read; ',' or the closing bracket must follow
  bool member_comma_ = false;  // likewise for the members of the top-level object
  std::string bundle_id_, bundle_type_;
  std::string single_;  // a top-level single object, captured whole
};

}  // namespace sw::stix
