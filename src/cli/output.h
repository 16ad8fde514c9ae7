// Buffered standard output for commands that stream many lines (export, match, lookup): one
// fwrite per megabyte instead of one per object.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace sw::cli {

class Out {
 public:
  Out() { buf_.reserve(kChunk + (64 << 10)); }
  ~Out() { flush(); }
  Out(const Out&) = delete;
  Out& operator=(const Out&) = delete;
  void add(std::string_view s) {
    buf_.append(s);
    if (buf_.size() >= kChunk) flush();
  }
  // The buffer itself, for appending in place; call maybe_flush() after.
  std::string& buffer() { return buf_; }
  void maybe_flush() {
    if (buf_.size() >= kChunk) flush();
  }
  void flush() {
    if (!buf_.empty()) std::fwrite(buf_.data(), 1, buf_.size(), stdout);
    buf_.clear();
    std::fflush(stdout);
  }

 private:
  static constexpr size_t kChunk = 1 << 20;
  std::string buf_;
};

}  // namespace sw::cli
