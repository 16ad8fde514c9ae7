// Log readers for bulk matching (`shieldwall match --format lines|jsonl|suricata-eve|zeek`): they
// stream a sensor log from a file or stdin and yield, per record, the observables worth looking up
// in the index (addresses, domains, URLs, e-mail addresses, file hashes) with the field each came
// from, plus the few flow facts (time, addresses, ports, protocols) that a full pattern evaluation
// of a candidate indicator needs (logs/observation.h).
//
// Formats (what is taken from each record is listed in full in the .cpp of each format):
//  - lines:        one bare value per line; blank lines and '#' comments are skipped; the kind is
//                  index::classify()'s.
//  - jsonl:        one JSON object per line; every string value (also inside arrays of strings) of
//                  a top-level field and of the fields of top-level objects (one level down) whose
//                  classify() gives a kind. The field is named "key" or "parent.key".
//  - suricata-eve: Suricata EVE JSON (src_ip, dest_ip, dns, http, tls, fileinfo, smtp, email).
//  - zeek:         Zeek TSV logs (#separator/#fields/#types headers; several logs may follow each
//                  other) or Zeek JSON logs, told apart line by line by the first byte.
//
// Memory is bounded: the input is read in large chunks (ReaderOptions::read_chunk_bytes) into one
// buffer that grows, for long lines only, to at most max_line_bytes + read_chunk_bytes; a longer
// line is skipped (and counted) without being held. In steady state reading a record allocates nothing (lines and jsonl call classify(), which
// may allocate for some values).
//
// Bad input never stops reading: a line that is binary, not valid UTF-8, not valid JSON, truncated,
// too long or has the wrong number of Zeek columns is skipped and counted by reason, and the first
// few are kept with their line numbers (errors()). Only a failing read(2) ends the stream with an
// error.
//
// Not thread-safe; one reader per input. Readers for different inputs may run in parallel.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "index/observable.h"

namespace sw::index::logs {

enum class Format : uint8_t { kLines, kJsonl, kSuricataEve, kZeek };

// "lines", "jsonl", "suricata-eve", "zeek".
std::string_view format_name(Format format);
std::optional<Format> parse_format(std::string_view name);

enum class SkipReason : uint8_t {
  kTooLong,      // longer than ReaderOptions::max_line_bytes
  kBinary,       // NUL or other control bytes
  kInvalidUtf8,
  kInvalidJson,  // includes truncated JSON and trailing garbage
  kNotObject,    // valid JSON, but not an object
  kNoHeader,     // Zeek TSV data before any #fields header
  kFieldCount,   // Zeek TSV row whose column count differs from #fields (e.g. truncated)
};
inline constexpr int kSkipReasonCount = 7;

// "too-long", "binary", "invalid-utf8", "invalid-json", "not-an-object", "no-header",
// "field-count".
std::string_view skip_reason_name(SkipReason reason);

struct ReaderOptions {
  size_t max_line_bytes = 1 << 20;    // longer lines are skipped (kTooLong)
  size_t read_chunk_bytes = 1 << 20;  // bytes asked of each read(2)
  size_t max_errors_kept = 10;        // errors() keeps the first this many skipped lines
  size_t max_observables = 256;       // per record; further ones are dropped (stats.truncated)
};

// One value of a record. `value` is the text as found in the log (JSON unescaped, Zeek \xNN
// escapes decoded, '<' '>' stripped from mail addresses, an HTTP path joined with its host into an
// absolute URL); it is not normalised (index::normalise() does that on lookup). `field` names where
// it came from: "dest_ip", "dns.answers[].rdata", "id.resp_h", "url" (jsonl), "" (lines).
struct LogObservable {
  Kind kind = Kind::kOther;
  std::string_view value;
  std::string_view field;
};

// One record. Every view is valid until the next call to LogReader::next().
struct Record {
  uint64_t line = 0;      // 1-based line number in the input
  std::string_view text;  // the line as read, without its line break
  std::span<const LogObservable> observables;  // each (kind, value) at most once

  // Flow facts, where the format has them ("" / -1 otherwise).
  std::string_view timestamp;  // as written: EVE "2024-01-15T10:23:45.123456+0000", Zeek "1705…"
  std::string_view src_ip, dst_ip;
  int32_t src_port = -1, dst_port = -1;
  std::string_view transport;     // "TCP" (EVE proto), "tcp" (Zeek proto)
  std::string_view app_protocol;  // EVE app_proto ("http"), Zeek service ("ssl", "dns,http")
};

struct ReaderStats {
  uint64_t lines = 0;         // physical lines, including blank, comment, header and skipped ones
  uint64_t bytes = 0;         // bytes read
  uint64_t records = 0;       // records returned by next()
  uint64_t observables = 0;   // observables in those records
  uint64_t unrecognised = 0;  // values dropped because they are not what the field should hold
  uint64_t truncated = 0;     // records that had more than ReaderOptions::max_observables
  std::array<uint64_t, kSkipReasonCount> skipped{};

  uint64_t skipped_by(SkipReason r) const { return skipped[static_cast<size_t>(r)]; }
  uint64_t skipped_total() const;
};

// A skipped line. `where` is "<input name>:<line>".
struct LineError {
  uint64_t line = 0;
  SkipReason reason = SkipReason::kInvalidJson;
  std::string message;
  std::string where;
};

class LineSource;
class FormatParser;
class RecordBuilder;

class LogReader {
 public:
  // Opens `file` ("-" is standard input). Errors: kIo naming the file.
  static core::Result<std::unique_ptr<LogReader>> open(Format format,
                                                       const std::filesystem::path& file,
                                                       ReaderOptions options = {});
  // Reads from memory (tests, fuzzing). `name` is used in error places.
  static std::unique_ptr<LogReader> from_memory(Format format, std::string data, std::string name,
                                                ReaderOptions options = {});
  ~LogReader();
  LogReader(const LogReader&) = delete;
  LogReader& operator=(const LogReader&) = delete;

  // The next record: true with `out` filled, false at the end of the input. An error (kIo, where
  // "<name>:<line>") only when reading the input fails; the reader is then at its end.
  core::Result<bool> next(Record& out);

  Format format() const { return format_; }
  const std::string& name() const { return name_; }
  const ReaderStats& stats() const { return stats_; }
  // The first ReaderOptions::max_errors_kept skipped lines (stats() counts them all).
  const std::vector<LineError>& errors() const { return errors_; }

 private:
  LogReader(Format format, std::unique_ptr<LineSource> source, std::string name,
            ReaderOptions options);
  void skip(SkipReason reason, std::string_view message);

  Format format_;
  std::string name_;
  ReaderOptions options_;
  std::unique_ptr<LineSource> source_;
  std::unique_ptr<FormatParser> parser_;
  std::unique_ptr<RecordBuilder> builder_;
  ReaderStats stats_;
  std::vector<LineError> errors_;
  std::string too_long_;  // the message for kTooLong
  bool done_ = false;
};

}  // namespace sw::index::logs
