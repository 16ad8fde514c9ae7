// `lines`: one bare value per line. Surrounding blanks are trimmed; blank lines and lines starting
// with '#' are not records. The value's kind is index::classify()'s; a value it does not recognise
// gives a record without observables (counted in ReaderStats::unrecognised).
#include <simdjson.h>

#include "index/logs/record_builder.h"

namespace sw::index::logs {
namespace {

class LinesParser final : public FormatParser {
 public:
  Outcome parse(std::string_view line, RecordBuilder& b) override {
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') return Outcome::none();
    if (has_binary(line)) return Outcome::skip(SkipReason::kBinary, "control bytes in the line");
    if (!simdjson::validate_utf8(line.data(), line.size())) {
      return Outcome::skip(SkipReason::kInvalidUtf8, "the line is not valid UTF-8");
    }
    if (auto kind = classify(line)) {
      b.add(*kind, line, "");
    } else {
      b.unrecognised();
    }
    return Outcome::record();
  }
};

}  // namespace

std::unique_ptr<FormatParser> make_lines_parser() { return std::make_unique<LinesParser>(); }

}  // namespace sw::index::logs
