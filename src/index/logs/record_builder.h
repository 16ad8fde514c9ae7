// Internal to the log readers: what the format parsers share — the RecordBuilder that collects a
// record's observables without allocating in steady state, the FormatParser interface, and cheap
// checks that a field's text is what the field should hold (faster than index::classify(), which
// the EVE and Zeek readers do not need: their fields say what they hold).
//
// Not thread-safe; one of each per LogReader.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "index/logs/reader.h"

namespace sw::index::logs {

// Collects one record. Values and field names are either borrowed (they must stay valid until the
// next reset(), e.g. views into the line or into the JSON parser's string buffer) or composed in
// the builder's own scratch text (an absolute URL, an unescaped Zeek value, "parent.key").
class RecordBuilder {
 public:
  explicit RecordBuilder(size_t max_observables);

  void reset(uint64_t line, std::string_view text);

  // Adds a borrowed value (duplicates are dropped in finish()).
  void add(Kind kind, std::string_view value, std::string_view field) {
    if (value.empty() || full()) return;
    items_.push_back({kind, borrowed(value), borrowed(field)});
  }

  // Composing: begin(), then append() pieces, then add_composed(): the value is what was appended
  // since begin(). A composed field name is made the same way for add_with_composed_field().
  size_t begin() const { return scratch_.size(); }
  void append(std::string_view s) { scratch_.append(s); }
  void append(char c) { scratch_.push_back(c); }
  void add_composed(Kind kind, size_t begin, std::string_view field);
  // Borrowed value, field composed since `field_begin`.
  void add_with_composed_field(Kind kind, std::string_view value, size_t field_begin);

  void unrecognised() { ++unrecognised_; }

  // Flow facts (borrowed).
  Record& record() { return rec_; }

  // Resolves composed texts, drops duplicate (kind, value) pairs, fills `out` (views valid until
  // the next reset()) and adds this record's counts to `stats`.
  void finish(Record& out, ReaderStats& stats);

 private:
  struct Text {
    const char* ptr = nullptr;  // nullptr: [off, off + len) of scratch_
    uint32_t off = 0, len = 0;
  };
  struct Item {
    Kind kind;
    Text value, field;
  };
  Text borrowed(std::string_view s) const { return {s.data(), 0, static_cast<uint32_t>(s.size())}; }
  std::string_view view(const Text& t) const {
    return t.ptr != nullptr ? std::string_view(t.ptr, t.len)
                            : std::string_view(scratch_.data() + t.off, t.len);
  }
  bool full() {
    if (items_.size() < max_) return false;
    truncated_ = true;
    return true;
  }

  size_t max_;
  Record rec_;
  std::string scratch_;
  std::vector<Item> items_;
  std::vector<LogObservable> out_;
  uint64_t unrecognised_ = 0;
  bool truncated_ = false;
};

// What a line came to.
struct Outcome {
  enum class Kind : uint8_t { kRecord, kNoRecord, kSkip };
  Kind kind = Kind::kRecord;
  SkipReason reason = SkipReason::kInvalidJson;
  std::string_view message;  // static text (kSkip)

  static Outcome record() { return {}; }
  static Outcome none() { return {Kind::kNoRecord, {}, {}}; }
  static Outcome skip(SkipReason r, std::string_view msg) { return {Kind::kSkip, r, msg}; }
};

// Parses one line into the builder (already reset for it). The line is followed in memory by at
// least kLinePadding readable bytes.
class FormatParser {
 public:
  virtual ~FormatParser() = default;
  virtual Outcome parse(std::string_view line, RecordBuilder& b) = 0;
};

std::unique_ptr<FormatParser> make_lines_parser();
std::unique_ptr<FormatParser> make_jsonl_parser();
std::unique_ptr<FormatParser> make_eve_parser();
std::unique_ptr<FormatParser> make_zeek_parser();

// --- value checks --------------------------------------------------------------------------------

// kIpv4 / kIpv6 when `s` is an address (or CIDR block), else nullopt.
std::optional<Kind> ip_kind(std::string_view s);
// A DNS name as classify() sees one: at least two labels of letters, digits, '-' and '_', 1-63
// characters each, at most 253 in all (a trailing dot allowed), the last label not all digits.
bool is_domain(std::string_view s);
// Hex of the length of `kind` (kMd5, kSha1, kSha256, kSha512).
bool is_hash(Kind kind, std::string_view s);
// The address in "Name <local@domain>", "<local@domain>" or "local@domain"; nullopt unless it has
// one '@' with a non-empty local part and a domain is_domain() accepts.
std::optional<std::string_view> email_address(std::string_view s);
// A host (DNS name or address, with an optional ":port" that is dropped) as an observable kind;
// `host` is set to the part without the port.
std::optional<Kind> host_kind(std::string_view s, std::string_view& host);
// Whether `s` starts with a URL scheme ("http://", "hxxp://" …: letters, digits, "+.-", then "://").
bool has_scheme(std::string_view s);

// `value` as `kind` if it passes that kind's check (an IP address's kind is set by its form; an
// e-mail address is cut out of "Name <a@b>"), else nullopt.
struct Checked {
  Kind kind;
  std::string_view value;  // a part of the value given
};
std::optional<Checked> check_value(Kind kind, std::string_view value);
// Adds `value` as check_value() accepts it, else counts it unrecognised.
void add_checked(RecordBuilder& b, Kind kind, std::string_view value, std::string_view field);
// Adds a DNS name or address (e.g. an HTTP host, a DNS answer) by its form.
void add_host(RecordBuilder& b, std::string_view value, std::string_view field);
// Adds the URL for `url` (an absolute URL, or a path joined to `host` as http://host[:port]/path).
void add_url(RecordBuilder& b, std::string_view host, std::string_view url, int64_t port,
             std::string_view field);
// add_host(b, host, host_field) then add_url(b, host, url, port, url_field), the host checked
// once.
void add_host_and_url(RecordBuilder& b, std::string_view host, std::string_view host_field,
                      std::string_view url, int64_t port, std::string_view url_field);

// Whether the line holds bytes no text log has (NUL and other C0 controls except tab).
bool has_binary(std::string_view s);
// Why a JSON line failed: binary, invalid UTF-8 or invalid JSON.
SkipReason json_failure(std::string_view line);

}  // namespace sw::index::logs
