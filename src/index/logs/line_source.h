// Internal to the log readers: splits a byte stream (file descriptor or memory) into lines through
// one fixed buffer, read in large chunks.
//
// Memory: the buffer starts at one chunk plus 64 KiB and grows, for long lines only, up to
// max_line + 1 + chunk bytes.
//
// Contract: a line is returned without its '\n' (and without a '\r' before it) and stays valid
// until the next call; it is followed in memory by at least kLinePadding readable bytes, so
// simdjson can parse it in place. A line longer than max_line is never held whole: its bytes are
// dropped as they arrive and next() reports kTooLong once, when its end is reached. The last line
// need not end in '\n'. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace sw::index::logs {

inline constexpr size_t kLinePadding = 64;  // >= simdjson::SIMDJSON_PADDING (checked in the .cpp)

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to `n` bytes into `dst`; 0 at the end; -1 on error (error() says why).
  virtual long read(char* dst, size_t n) = 0;
  const std::string& error() const { return error_; }

 protected:
  std::string error_;
};

// Reads a file descriptor; closes it when `owned`.
std::unique_ptr<ByteSource> fd_source(int fd, bool owned);
std::unique_ptr<ByteSource> memory_source(std::string data);

class LineSource {
 public:
  LineSource(std::unique_ptr<ByteSource> source, size_t max_line, size_t chunk);

  enum class Status { kLine, kTooLong, kEnd, kError };
  Status next(std::string_view& line);

  const std::string& error() const { return source_->error(); }
  uint64_t bytes_read() const { return bytes_; }

 private:
  std::unique_ptr<ByteSource> source_;
  size_t max_line_, chunk_;
  size_t capacity_;              // the most the buffer grows to: max_line_ + 1 + chunk_
  size_t size_;                  // the buffer's current size
  std::unique_ptr<char[]> buf_;  // size_ + kLinePadding bytes
  size_t begin_ = 0;             // start of the current line
  size_t scan_ = 0;              // [begin_, scan_) holds no '\n'
  size_t end_ = 0;               // end of the buffered bytes
  bool eof_ = false;
  bool discarding_ = false;  // inside a line that is too long
  uint64_t bytes_ = 0;
};

}  // namespace sw::index::logs
