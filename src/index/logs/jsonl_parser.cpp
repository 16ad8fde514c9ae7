// `jsonl`: one JSON object per line, of no particular schema. Taken, where index::classify()
// recognises it:
//  - every string value of a top-level field ("key"), and every string in a top-level array of
//    strings;
//  - the same one level down: the fields of a top-level object ("parent.key");
// deeper values are not looked at. The record's timestamp is the top-level "timestamp",
// "@timestamp", "ts" or "time" (a string or a number), when there is one.
// Blank lines are not records; anything but an object is skipped (kNotObject).
#include <simdjson.h>

#include "index/logs/json_util.h"

namespace sw::index::logs {
namespace {

namespace od = simdjson::ondemand;

class JsonlParser final : public FormatParser {
 public:
  Outcome parse(std::string_view line, RecordBuilder& b) override {
    std::string_view trimmed = line;
    while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) {
      trimmed.remove_prefix(1);
    }
    if (trimmed.empty()) return Outcome::none();
    od::document doc;
    od::object obj;
    bool not_object = false;
    if (auto e = json::start(parser_, line, doc, obj, not_object)) {
      if (not_object) return Outcome::skip(SkipReason::kNotObject, "not a JSON object");
      return json::failure(e, line);
    }
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return json::failure(e, line);
      std::string_view key;
      if (auto e = f.unescaped_key().get(key)) return json::failure(e, line);
      if (auto e = top_value(key, f.value(), b)) return json::failure(e, line);
    }
    if (!json::at_end(doc)) return Outcome::skip(SkipReason::kInvalidJson, "text after the object");
    return Outcome::record();
  }

 private:
  static void add_classified(RecordBuilder& b, std::string_view s, std::string_view key) {
    if (auto k = classify(s)) b.add(*k, s, key);
  }
  static void add_classified(RecordBuilder& b, std::string_view s, std::string_view parent,
                             std::string_view key) {
    if (auto k = classify(s)) {
      const size_t field = b.begin();
      b.append(parent);
      b.append('.');
      b.append(key);
      b.add_with_composed_field(*k, s, field);
    }
  }

  simdjson::error_code top_value(std::string_view key, od::value v, RecordBuilder& b) {
    od::json_type t;
    if (auto e = v.type().get(t)) return e;
    switch (t) {
      case od::json_type::string:
      case od::json_type::number: {
        if (key == "timestamp" || key == "@timestamp" || key == "ts" || key == "time") {
          if (b.record().timestamp.empty()) b.record().timestamp = json::scalar_text(v);
          return simdjson::SUCCESS;
        }
        if (t == od::json_type::number) return simdjson::SUCCESS;
        std::string_view s;
        if (auto e = v.get_string().get(s)) return e;
        add_classified(b, s, key);
        return simdjson::SUCCESS;
      }
      case od::json_type::array:
        return json::each_string(v, [&](std::string_view s) { add_classified(b, s, key); });
      case od::json_type::object: {
        od::object obj;
        if (auto e = v.get_object().get(obj)) return e;
        for (auto fr : obj) {
          od::field f;
          if (auto e = std::move(fr).get(f)) return e;
          std::string_view sub;
          if (auto e = f.unescaped_key().get(sub)) return e;
          if (auto e = json::each_string(
                  f.value(), [&](std::string_view s) { add_classified(b, s, key, sub); })) {
            return e;
          }
        }
        return simdjson::SUCCESS;
      }
      default:
        return simdjson::SUCCESS;
    }
  }

  od::parser parser_;
};

}  // namespace

std::unique_ptr<FormatParser> make_jsonl_parser() { return std::make_unique<JsonlParser>(); }

}  // namespace sw::index::logs
