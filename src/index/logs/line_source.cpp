#include "index/logs/line_source.h"

#include <fcntl.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sw::index::logs {

static_assert(kLinePadding >= simdjson::SIMDJSON_PADDING);

namespace {

class FdSource final : public ByteSource {
 public:
  FdSource(int fd, bool owned) : fd_(fd), owned_(owned) {
#ifdef POSIX_FADV_SEQUENTIAL
    (void)posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);  // fails harmlessly on pipes
#endif
  }
  ~FdSource() override {
    if (owned_) ::close(fd_);
  }
  long read(char* dst, size_t n) override {
    for (;;) {
      const ssize_t got = ::read(fd_, dst, n);
      if (got >= 0) return static_cast<long>(got);
      if (errno == EINTR) continue;
      error_ = std::strerror(errno);
      return -1;
    }
  }

 private:
  int fd_;
  bool owned_;
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

 private:
  std::string data_;
  size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> fd_source(int fd, bool owned) {
  return std::make_unique<FdSource>(fd, owned);
}

std::unique_ptr<ByteSource> memory_source(std::string data) {
  return std::make_unique<MemorySource>(std::move(data));
}

LineSource::LineSource(std::unique_ptr<ByteSource> source, size_t max_line, size_t chunk)
    : source_(std::move(source)),
      max_line_(std::max<size_t>(max_line, 1)),
      chunk_(std::max<size_t>(chunk, 4096)),
      // After compaction at most max_line_ unread bytes remain, so a whole chunk always fits.
      capacity_(max_line_ + 1 + chunk_),
      // Start with room for a chunk and ordinary lines; grow only for long ones.
      size_(std::min(capacity_, chunk_ + std::min<size_t>(max_line_ + 1, 64 << 10))),
      buf_(new char[size_ + kLinePadding]) {
  std::memset(buf_.get() + size_, ' ', kLinePadding);
}

LineSource::Status LineSource::next(std::string_view& line) {
  for (;;) {
    if (scan_ < end_) {
      const char* base = buf_.get();
      const void* nl = std::memchr(base + scan_, '\n', end_ - scan_);
      if (nl != nullptr) {
        const size_t at = static_cast<size_t>(static_cast<const char*>(nl) - base);
        const size_t start = begin_;
        begin_ = scan_ = at + 1;
        if (discarding_ || at - start > max_line_) {
          discarding_ = false;
          return Status::kTooLong;
        }
        size_t len = at - start;
        if (len > 0 && base[start + len - 1] == '\r') --len;
        line = std::string_view(base + start, len);
        return Status::kLine;
      }
      scan_ = end_;
    }
    if (discarding_ || end_ - begin_ > max_line_) {
      // Too long: drop what we have of it, keep looking for its end.
      discarding_ = true;
      begin_ = scan_ = end_ = 0;
    }
    if (eof_) {
      if (discarding_) {
        discarding_ = false;
        return Status::kTooLong;
      }
      if (begin_ < end_) {
        size_t len = end_ - begin_;
        const char* start = buf_.get() + begin_;
        if (start[len - 1] == '\r') --len;
        begin_ = scan_ = end_;
        line = std::string_view(start, len);
        return Status::kLine;
      }
      return Status::kEnd;
    }
    if (size_ - end_ < chunk_) {
      const size_t unread = end_ - begin_;
      std::memmove(buf_.get(), buf_.get() + begin_, unread);
      scan_ -= begin_;
      begin_ = 0;
      end_ = unread;
      if (size_ - end_ < chunk_ && size_ < capacity_) {
        // A long line: grow (at most to capacity_, which always leaves room for a chunk).
        const size_t grown = std::min(capacity_, std::max(size_ * 2, end_ + chunk_));
        std::unique_ptr<char[]> bigger(new char[grown + kLinePadding]);
        std::memcpy(bigger.get(), buf_.get(), end_);
        std::memset(bigger.get() + grown, ' ', kLinePadding);
        buf_ = std::move(bigger);
        size_ = grown;
      }
    }
    const long got = source_->read(buf_.get() + end_, std::min(chunk_, size_ - end_));
    if (got < 0) {
      eof_ = true;
      return Status::kError;
    }
    if (got == 0) eof_ = true;
    end_ += static_cast<size_t>(got);
    bytes_ += static_cast<uint64_t>(got);
  }
}

}  // namespace sw::index::logs
