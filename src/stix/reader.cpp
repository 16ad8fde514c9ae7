#include "stix/reader.h"

#include <simdjson.h>
#include <zlib.h>

#include <cstdlib>
#include <cstring>
#include <vector>

namespace sw::stix {

using core::Error;
using core::Result;

// Where bytes come from: a plain file, a gzip file, or memory.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes; 0 at end; -1 on error (see error()).
  virtual long read(char* dst, size_t n) = 0;
  virtual uint64_t position() const = 0;  // bytes consumed from the stored file
  std::string error;
};

namespace {

constexpr size_t kPadding = simdjson::SIMDJSON_PADDING;
constexpr size_t kInitialCapacity = 1 << 20;

// A plain file or pipe. `prefix` holds bytes already read to sniff the format (pipes cannot
// rewind).
class FileSource final : public ByteSource {
 public:
  FileSource(FILE* f, std::string prefix) : f_(f), prefix_(std::move(prefix)) {}
  ~FileSource() override { std::fclose(f_); }
  long read(char* dst, size_t n) override {
    if (prefix_pos_ < prefix_.size()) {
      n = std::min(n, prefix_.size() - prefix_pos_);
      std::memcpy(dst, prefix_.data() + prefix_pos_, n);
      prefix_pos_ += n;
      pos_ += n;
      return static_cast<long>(n);
    }
    size_t got = std::fread(dst, 1, n, f_);
    if (got == 0 && std::ferror(f_)) {
      error = std::strerror(errno);
      return -1;
    }
    pos_ += got;
    return static_cast<long>(got);
  }
  uint64_t position() const override { return pos_; }

 private:
  FILE* f_;
  std::string prefix_;
  size_t prefix_pos_ = 0;
  uint64_t pos_ = 0;
};

// Gzip (one or more concatenated members) decompressed as a stream with zlib's inflate, so pipes
// work too. position() counts compressed bytes.
class GzipSource final : public ByteSource {
 public:
  explicit GzipSource(std::unique_ptr<FileSource> in) : in_(std::move(in)), inbuf_(1 << 18) {
    std::memset(&zs_, 0, sizeof zs_);
    ok_ = inflateInit2(&zs_, 16 + MAX_WBITS) == Z_OK;
  }
  ~GzipSource() override { inflateEnd(&zs_); }
  long read(char* dst, size_t n) override {
    if (!ok_) {
      error = "cannot start gzip decompression";
      return -1;
    }
    if (n > (1u << 30)) n = 1u << 30;
    zs_.next_out = reinterpret_cast<Bytef*>(dst);
    zs_.avail_out = static_cast<uInt>(n);
    while (zs_.avail_out == n) {
      if (zs_.avail_in == 0) {
        if (in_eof_) {
          if (!member_done_) {
            error = "gzip data ends early (truncated file?)";
            return -1;
          }
          return 0;
        }
        long got = in_->read(reinterpret_cast<char*>(inbuf_.data()), inbuf_.size());
        if (got < 0) {
          error = in_->error;
          return -1;
        }
        if (got == 0) {
          in_eof_ = true;
          continue;
        }
        zs_.next_in = inbuf_.data();
        zs_.avail_in = static_cast<uInt>(got);
      }
      if (member_done_) {  // another gzip member follows the previous one
        inflateReset(&zs_);
        member_done_ = false;
      }
      int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        member_done_ = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        error = std::string("gzip data is corrupt: ") + (zs_.msg ? zs_.msg : "inflate failed");
        return -1;
      }
    }
    return static_cast<long>(n - zs_.avail_out);
  }
  uint64_t position() const override { return in_->position() - zs_.avail_in; }

 private:
  std::unique_ptr<FileSource> in_;
  std::vector<Bytef> inbuf_;
  z_stream zs_;
  bool ok_ = false;
  bool in_eof_ = false;
  bool member_done_ = false;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string data) : data_(std::move(data)) {}
  long read(char* dst, size_t n) override {
    n = std::min(n, data_.size() - pos_);
    std::memcpy(dst, data_.data() + pos_, n);
    pos_ += n;
    return static_cast<long>(n);
  }
  uint64_t position() const override { return pos_; }

 private:
  std::string data_;
  size_t pos_ = 0;
};

bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

}  // namespace

Result<std::unique_ptr<ObjectReader>> ObjectReader::open(const std::filesystem::path& file,
                                                         ReaderOptions options) {
  const std::string name = file.string();
  FILE* f = std::fopen(name.c_str(), "rb");
  if (!f) return Error::io(std::string("cannot open: ") + std::strerror(errno), name);
  std::error_code ec;
  uint64_t size = std::filesystem::is_regular_file(file, ec) ? std::filesystem::file_size(file, ec) : 0;
  if (ec) size = 0;
  // Sniff the format from the first bytes; they are handed back to the reader (pipes cannot seek).
  char magic[2] = {0, 0};
  const size_t got = std::fread(magic, 1, 2, f);
  const bool gzip = got == 2 && static_cast<unsigned char>(magic[0]) == 0x1f &&
                    static_cast<unsigned char>(magic[1]) == 0x8b;
  if (!gzip && file.extension() == ".gz") {
    std::fclose(f);
    return Error::invalid("not a gzip file: the name ends in .gz but the file does not start with "
                          "the gzip signature (1f 8b)",
                          name);
  }
  auto plain = std::make_unique<FileSource>(f, std::string(magic, got));
  std::unique_ptr<ByteSource> src;
  if (gzip) src = std::make_unique<GzipSource>(std::move(plain));
  else src = std::move(plain);
  return std::unique_ptr<ObjectReader>(
      new ObjectReader(std::move(src), name, options, ec ? 0 : size));
}

std::unique_ptr<ObjectReader> ObjectReader::from_memory(std::string data, std::string name,
                                                        ReaderOptions options) {
  const uint64_t size = data.size();
  return std::unique_ptr<ObjectReader>(new ObjectReader(
      std::make_unique<MemorySource>(std::move(data)), std::move(name), options, size));
}

ObjectReader::ObjectReader(std::unique_ptr<ByteSource> src, std::string name,
                           ReaderOptions options, uint64_t file_size)
    : src_(std::move(src)), name_(std::move(name)), opt_(options), file_size_(file_size) {
  capacity_ = kInitialCapacity;
  buf_ = static_cast<char*>(std::malloc(capacity_ + kPadding));
  std::memset(buf_ + capacity_, 0, kPadding);
}

ObjectReader::~ObjectReader() { std::free(buf_); }

uint64_t ObjectReader::bytes_read() const { return src_->position(); }

Error ObjectReader::fatal(Error e) {
  state_ = State::kFailed;
  failure_ = e;
  return e;
}

Error ObjectReader::fail(std::string msg, uint64_t at, std::string path) {
  std::string where = name_ + ":byte " + std::to_string(at);
  if (!path.empty()) where += " (" + path + ")";
  return Error::invalid(std::move(msg), std::move(where));
}

void ObjectReader::compact() {
  if (begin_ == 0) return;
  std::memmove(buf_, buf_ + begin_, end_ - begin_);
  consumed_ += begin_;
  end_ -= begin_;
  begin_ = 0;
}

bool ObjectReader::fill() {
  if (eof_) return false;
  if (end_ == capacity_) {
    if (begin_ > 0) {
      compact();
    } else {
      const size_t cap = capacity_ * 2;
      char* nb = static_cast<char*>(std::malloc(cap + kPadding));
      std::memcpy(nb, buf_, end_);
      std::memset(nb + cap, 0, kPadding);
      std::free(buf_);
      buf_ = nb;
      capacity_ = cap;
    }
  }
  long n = src_->read(buf_ + end_, capacity_ - end_);
  if (n < 0) {
    state_ = State::kFailed;
    failure_ = fail(src_->error, consumed_ + end_, "");
    eof_ = true;
    return false;
  }
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += static_cast<size_t>(n);
  std::memset(buf_ + end_, 0, std::min(kPadding, capacity_ + kPadding - end_));
  return true;
}

bool ObjectReader::ensure(size_t n) {
  while (end_ - begin_ < n)
    if (!fill()) return false;
  return true;
}

Result<bool> ObjectReader::skip_ws() {
  for (;;) {
    while (begin_ < end_ && is_ws(buf_[begin_])) ++begin_;
    if (begin_ < end_) return true;
    if (!fill()) {
      if (state_ == State::kFailed) return failure_;
      return false;
    }
  }
}

// Finds the end of the JSON value that starts at begin_. Strings are skipped with memchr; only
// bytes outside strings are looked at one by one. An oversized value is dropped from the buffer as
// it is scanned, so memory stays bounded whatever the input.
Result<bool> ObjectReader::scan_value(size_t& len, bool& oversize, const std::string& path) {
  const uint64_t start_offset = consumed_ + begin_;
  size_t i = 0;           // scan position relative to begin_
  size_t dropped = 0;     // bytes of this value already dropped (oversize)
  uint64_t depth = 0;
  bool too_deep = false;  // nested deeper than max_depth: dropped like an oversized value
  bool in_string = false;
  bool escape = false;    // the previous byte in a string was an unescaped backslash
  oversize = false;
  const char first = buf_[begin_];
  const bool scalar = first != '{' && first != '[' && first != '"';
  for (;;) {
    const size_t avail = end_ - begin_;
    while (i < avail) {
      const char* p = buf_ + begin_ + i;
      if (in_string) {
        if (escape) {
          escape = false;
          ++i;
          continue;
        }
        const char* e = buf_ + end_;
        const char* q = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(e - p)));
        const char* b = static_cast<const char*>(
            std::memchr(p, '\\', static_cast<size_t>((q ? q : e) - p)));
        if (b) {
          i = static_cast<size_t>(b - (buf_ + begin_)) + 1;
          escape = true;
          continue;
        }
        if (!q) {
          i = avail;
          break;
        }
        i = static_cast<size_t>(q - (buf_ + begin_)) + 1;
        in_string = false;
        if (depth == 0) {  // a top-level string value
          len = i;
          return true;
        }
        continue;
      }
      const char c = *p;
      if (scalar) {
        if (c == ',' || c == '}' || c == ']' || is_ws(c)) {
          len = i;
          return true;
        }
        ++i;
        continue;
      }
      ++i;
      switch (c) {
        case '"': in_string = true; break;
        case '{':
        case '[':
          // Too deep for the parser: keep scanning (a counter, no recursion) and skip the value.
          if (++depth > opt_.max_depth) too_deep = true;
          break;
        case '}':
        case ']':
          if (depth == 0)
            return fatal(fail(std::string("unexpected '") + c + "'", consumed_ + begin_ + i - 1, path));
          if (--depth == 0) {
            len = i;
            if (dropped + i > opt_.max_object_bytes) oversize = true;
            if (oversize || too_deep) {
              begin_ += i;
              len = 0;
            }
            if (too_deep && !oversize) {
              skipped_deep_ = true;
              oversize = true;  // the caller drops it the same way
            }
            return true;
          }
          break;
        default: break;
      }
    }
    if (dropped + i > opt_.max_object_bytes) oversize = true;
    if (oversize && i > 0) {  // drop what was scanned; keep scanning state
      begin_ += i;
      dropped += i;
      i = 0;
    }
    if (!fill()) {
      if (state_ == State::kFailed) return failure_;
      if (scalar && i > 0) {
        len = i;
        return true;
      }
      state_ = State::kFailed;
      failure_ = fail("file ends inside this value (truncated?) that began at byte " +
                          std::to_string(start_offset),
                      consumed_ + end_, path);
      return failure_;
    }
  }
}

Result<std::string> ObjectReader::read_string_token(const std::string& path) {
  if (buf_[begin_] != '"')
    return fatal(fail("expected a property name in quotes", consumed_ + begin_, path));
  size_t len = 0;
  bool oversize = false;
  SW_ASSIGN(bool found, scan_value(len, oversize, path));
  (void)found;
  if (oversize) return fatal(fail("property name too long or nested", consumed_ + begin_, path));
  std::string s(buf_ + begin_ + 1, len - 2);
  begin_ += len;
  return s;
}

Result<ObjectReader::Next> ObjectReader::next(RawObject& out) {
  for (;;) {
    switch (state_) {
      case State::kFailed: return failure_;
      case State::kDone: {
        SW_ASSIGN(bool more, skip_ws());
        if (!more) return Next::kEnd;
        // Another top-level document follows (JSON lines / concatenated JSON).
        state_ = State::kStart;
        is_bundle_ = saw_objects_ = false;
        bundle_id_.clear();
        bundle_type_.clear();
        continue;
      }
      case State::kStart: {
        SW_ASSIGN(bool more, skip_ws());
        if (!more) {
          if (documents_ == 0) return fatal(fail("the file holds no JSON (it is empty)", 0, ""));
          state_ = State::kDone;
          return Next::kEnd;
        }
        if (consumed_ + begin_ == 0 && ensure(3) &&
            std::memcmp(buf_ + begin_, "\xEF\xBB\xBF", 3) == 0) {  // UTF-8 byte order mark
          begin_ += 3;
          continue;
        }
        const char c = buf_[begin_];
        ++documents_;
        if (c == '[') {
          ++begin_;
          state_ = State::kArray;
          expect_comma_ = false;
          saw_objects_ = false;
          continue;
        }
        if (c == '{') {
          ++begin_;
          state_ = State::kBundleMembers;
          member_comma_ = false;
          single_ = "{";
          continue;
        }
        state_ = State::kFailed;
        failure_ = fail("expected a STIX bundle, an object or a list of objects (a JSON '{' or '['), "
                        "found '" + std::string(1, c) + "'",
                        consumed_ + begin_, "$");
        return failure_;
      }
      case State::kArray: {
        auto r = next_element(out, ']', is_bundle_ || saw_objects_ ? "$.objects" : "$");
        if (!r.ok()) return r;
        if (*r == Next::kObject) return r;
        state_ = saw_objects_ ? State::kBundleMembers : State::kDone;
        continue;
      }
      case State::kBundleMembers: {
        auto r = read_bundle_member(out);
        if (!r.ok()) return r;
        if (*r == Next::kObject) return r;
        continue;  // state changed
      }
    }
  }
}

// Reads one element of an array (or its end). Elements that are not objects are reported as
// errors and skipped; reading continues.
Result<ObjectReader::Next> ObjectReader::next_element(RawObject& out, char close,
                                                      const std::string& prefix) {
  const std::string path = prefix + "[" + std::to_string(index_) + "]";
  SW_ASSIGN(bool more, skip_ws());
  if (!more) {
    state_ = State::kFailed;
    failure_ = fail("file ends inside the list of objects (truncated?)", consumed_ + end_, path);
    return failure_;
  }
  if (buf_[begin_] == close) {
    ++begin_;
    expect_comma_ = false;
    return Next::kEnd;
  }
  if (expect_comma_ != (buf_[begin_] == ',')) {
    state_ = State::kFailed;
    failure_ = fail(expect_comma_ ? std::string("expected ',' or '") + close + "' after an object"
                                  : std::string("unexpected ','"),
                    consumed_ + begin_, path);
    return failure_;
  }
  if (expect_comma_) {
    ++begin_;
    SW_ASSIGN(bool more2, skip_ws());
    if (!more2) {
      state_ = State::kFailed;
      failure_ = fail("file ends inside the list of objects (truncated?)", consumed_ + end_, path);
      return failure_;
    }
  }
  out.byte_offset = consumed_ + begin_;
  out.index = index_++;
  out.path = path;
  expect_comma_ = true;
  const char first = buf_[begin_];
  size_t len = 0;
  bool oversize = false;
  auto scanned = scan_value(len, oversize, path);
  if (!scanned.ok()) return scanned.error();
  if (oversize) {
    if (skipped_deep_) {
      skipped_deep_ = false;
      return fail("JSON nested deeper than " + std::to_string(opt_.max_depth) + " levels; skipped",
                  out.byte_offset, path);
    }
    return fail("object larger than the limit of " + std::to_string(opt_.max_object_bytes) +
                    " bytes (import.max_object_bytes); skipped",
                out.byte_offset, path);
  }
  out.json = std::string_view(buf_ + begin_, len);
  begin_ += len;
  if (first != '{') return fail("not a JSON object; a STIX object must be one", out.byte_offset, path);
  return Next::kObject;
}

// Reads the next member of the top-level object. The "objects" list of a bundle is streamed;
// everything else is kept so a top-level object that turns out not to be a bundle is returned
// whole.
Result<ObjectReader::Next> ObjectReader::read_bundle_member(RawObject& out) {
  SW_ASSIGN(bool more, skip_ws());
  if (!more) {
    state_ = State::kFailed;
    failure_ = fail("file ends inside the top-level object (truncated?)", consumed_ + end_, "$");
    return failure_;
  }
  char c = buf_[begin_];
  if (c == '}') {
    ++begin_;
    state_ = State::kDone;
    if (saw_objects_) {
      if (bundle_type_ != "bundle") {
        state_ = State::kFailed;
        failure_ = fail("the top-level object has an \"objects\" list but its type is \"" +
                            bundle_type_ + "\", not \"bundle\"",
                        consumed_ + begin_, "$.type");
        return failure_;
      }
      return Next::kEnd;
    }
    // A single object.
    if (single_.size() > 1 && single_.back() == ',') single_.pop_back();
    single_ += '}';
    out.path = "$";
    out.index = index_++;
    out.byte_offset = 0;
    single_.reserve(single_.size() + kPadding);
    out.json = single_;
    return Next::kObject;
  }
  if (member_comma_ != (c == ',')) {
    state_ = State::kFailed;
    failure_ = fail(member_comma_ ? "expected ',' or '}' after a property" : "unexpected ','",
                    consumed_ + begin_, "$");
    return failure_;
  }
  if (member_comma_) {
    ++begin_;
    SW_ASSIGN(bool m2, skip_ws());
    if (!m2) {
      state_ = State::kFailed;
      failure_ = fail("file ends inside the top-level object (truncated?)", consumed_ + end_, "$");
      return failure_;
    }
  }
  SW_ASSIGN(std::string key, read_string_token("$"));
  SW_ASSIGN(bool m3, skip_ws());
  if (!m3 || buf_[begin_] != ':') {
    state_ = State::kFailed;
    failure_ = fail("expected ':' after the property name \"" + key + "\"", consumed_ + begin_,
                    "$." + key);
    return failure_;
  }
  ++begin_;
  SW_ASSIGN(bool m4, skip_ws());
  if (!m4) {
    state_ = State::kFailed;
    failure_ = fail("file ends inside the top-level object (truncated?)", consumed_ + end_, "$." + key);
    return failure_;
  }
  if (key == "objects" && buf_[begin_] == '[' && (bundle_type_.empty() || bundle_type_ == "bundle")) {
    ++begin_;
    saw_objects_ = true;
    is_bundle_ = true;
    member_comma_ = true;
    expect_comma_ = false;
    state_ = State::kArray;
    return Next::kEnd;  // caller loops; kArray state streams the elements
  }
  size_t len = 0;
  bool oversize = false;
  SW_ASSIGN(bool found, scan_value(len, oversize, "$." + key));
  (void)found;
  if (oversize || single_.size() + len > opt_.max_object_bytes) {
    state_ = State::kFailed;
    failure_ = fail(skipped_deep_ ? "JSON nested deeper than " + std::to_string(opt_.max_depth) + " levels"
                                  : "object larger than the limit of " +
                                        std::to_string(opt_.max_object_bytes) +
                                        " bytes (import.max_object_bytes)",
                    consumed_ + begin_, "$");
    return failure_;
  }
  std::string_view value(buf_ + begin_, len);
  begin_ += len;
  member_comma_ = true;
  if (value.size() >= 2 && value.front() == '"') {
    if (key == "type") bundle_type_ = std::string(value.substr(1, value.size() - 2));
    if (key == "id") bundle_id_ = std::string(value.substr(1, value.size() - 2));
  }
  single_ += '"';
  single_ += key;  // the raw key text, escapes included
  single_ += "\":";
  single_.append(value);
  single_ += ',';
  return Next::kEnd;  // member consumed; caller loops
}

}  // namespace sw::stix
