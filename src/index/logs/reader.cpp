#include "index/logs/reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "index/logs/line_source.h"
#include "index/logs/record_builder.h"

namespace sw::index::logs {

std::string_view format_name(Format format) {
  switch (format) {
    case Format::kLines: return "lines";
    case Format::kJsonl: return "jsonl";
    case Format::kSuricataEve: return "suricata-eve";
    case Format::kZeek: return "zeek";
  }
  return "?";
}

std::optional<Format> parse_format(std::string_view name) {
  for (Format f : {Format::kLines, Format::kJsonl, Format::kSuricataEve, Format::kZeek}) {
    if (format_name(f) == name) return f;
  }
  if (name == "eve") return Format::kSuricataEve;
  return std::nullopt;
}

std::string_view skip_reason_name(SkipReason reason) {
  switch (reason) {
    case SkipReason::kTooLong: return "too-long";
    case SkipReason::kBinary: return "binary";
    case SkipReason::kInvalidUtf8: return "invalid-utf8";
    case SkipReason::kInvalidJson: return "invalid-json";
    case SkipReason::kNotObject: return "not-an-object";
    case SkipReason::kNoHeader: return "no-header";
    case SkipReason::kFieldCount: return "field-count";
  }
  return "?";
}

uint64_t ReaderStats::skipped_total() const {
  uint64_t n = 0;
  for (uint64_t s : skipped) n += s;
  return n;
}

namespace {

std::unique_ptr<FormatParser> make_parser(Format format) {
  switch (format) {
    case Format::kLines: return make_lines_parser();
    case Format::kJsonl: return make_jsonl_parser();
    case Format::kSuricataEve: return make_eve_parser();
    case Format::kZeek: return make_zeek_parser();
  }
  return make_lines_parser();
}

}  // namespace

LogReader::LogReader(Format format, std::unique_ptr<LineSource> source, std::string name,
                     ReaderOptions options)
    : format_(format),
      name_(std::move(name)),
      options_(options),
      source_(std::move(source)),
      parser_(make_parser(format)),
      builder_(std::make_unique<RecordBuilder>(options.max_observables)),
      too_long_("line longer than " + std::to_string(options.max_line_bytes) + " bytes") {}

LogReader::~LogReader() = default;

core::Result<std::unique_ptr<LogReader>> LogReader::open(Format format,
                                                         const std::filesystem::path& file,
                                                         ReaderOptions options) {
  int fd = 0;
  bool owned = false;
  std::string name = file.string();
  if (name == "-") {
    name = "<stdin>";
  } else {
    fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return core::Error::io(std::strerror(errno), name);
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      ::close(fd);
      return core::Error::io("is a directory", name);
    }
    owned = true;
  }
  auto source = std::make_unique<LineSource>(fd_source(fd, owned), options.max_line_bytes,
                                             options.read_chunk_bytes);
  return std::unique_ptr<LogReader>(
      new LogReader(format, std::move(source), std::move(name), options));
}

std::unique_ptr<LogReader> LogReader::from_memory(Format format, std::string data,
                                                  std::string name, ReaderOptions options) {
  auto source = std::make_unique<LineSource>(memory_source(std::move(data)),
                                             options.max_line_bytes, options.read_chunk_bytes);
  return std::unique_ptr<LogReader>(
      new LogReader(format, std::move(source), std::move(name), options));
}

void LogReader::skip(SkipReason reason, std::string_view message) {
  ++stats_.skipped[static_cast<size_t>(reason)];
  if (errors_.size() < options_.max_errors_kept) {
    errors_.push_back({stats_.lines, reason, std::string(message),
                       name_ + ":" + std::to_string(stats_.lines)});
  }
}

core::Result<bool> LogReader::next(Record& out) {
  while (!done_) {
    std::string_view line;
    const LineSource::Status st = source_->next(line);
    stats_.bytes = source_->bytes_read();
    switch (st) {
      case LineSource::Status::kEnd:
        done_ = true;
        return false;
      case LineSource::Status::kError:
        done_ = true;
        return core::Error::io("read failed: " + source_->error(),
                               name_ + ":" + std::to_string(stats_.lines + 1));
      case LineSource::Status::kTooLong:
        ++stats_.lines;
        skip(SkipReason::kTooLong, too_long_);
        continue;
      case LineSource::Status::kLine:
        break;
    }
    ++stats_.lines;
    builder_->reset(stats_.lines, line);
    const Outcome o = parser_->parse(line, *builder_);
    switch (o.kind) {
      case Outcome::Kind::kNoRecord:
        continue;
      case Outcome::Kind::kSkip:
        skip(o.reason, o.message);
        continue;
      case Outcome::Kind::kRecord:
        builder_->finish(out, stats_);
        ++stats_.records;
        return true;
    }
  }
  return false;
}

}  // namespace sw::index::logs
