// `zeek`: Zeek logs, TSV (the ASCII writer's default) or JSON (LogAscii::use_json), told apart per
// line: '#' starts a TSV header, '{' a JSON record, anything else is a TSV row. Fields taken, by
// name (the same names in both forms; JSON may also nest "id": {"orig_h": …}):
//   conn:   id.orig_h, id.resp_h (addresses; also the flow), id.orig_p, id.resp_p, proto, service
//   dns:    query (domain), answers (each address or domain by form; TTLs and the like dropped)
//   http:   host (domain or address), uri (URL; a path is joined to host: http://host/uri)
//   files:  md5, sha1, sha256; tx_hosts, rx_hosts (addresses)
//   ssl:    server_name (domain)
//   smtp:   mailfrom, rcptto, from, to, cc, reply_to (e-mail; "Name <a@b>" gives a@b)
//   notice: src, dst (addresses)
// and, in TSV, every other column whose #types type is addr, subnet, set[addr] or vector[addr].
// ts is the record's timestamp.
//
// TSV: headers #separator (with \xNN escapes), #set_separator, #empty_field, #unset_field,
// #fields and #types are honoured and may change between log blocks; unset and empty values are
// skipped; set/vector values are split on the set separator; \xNN escapes in values are decoded.
// A row before any #fields is skipped (kNoHeader), a row whose column count differs from #fields
// is skipped (kFieldCount: usually a truncated line).
#include <simdjson.h>

#include <string>
#include <vector>

#include "core/hex.h"
#include "index/logs/json_util.h"

namespace sw::index::logs {
namespace {

namespace od = simdjson::ondemand;

enum class Action : uint8_t {
  kIgnore,
  kTs,
  kSrcIp,
  kDstIp,
  kSrcPort,
  kDstPort,
  kProto,
  kService,
  kIp,
  kDomain,
  kAnswers,
  kHttpHost,
  kHttpUri,
  kMd5,
  kSha1,
  kSha256,
  kEmail,
};

// Called for every key of every JSON record: dispatch on the length first.
Action action_for(std::string_view n) {
  switch (n.size()) {
    case 2:
      if (n == "ts") return Action::kTs;
      if (n == "to" || n == "cc") return Action::kEmail;
      break;
    case 3:
      if (n == "uri") return Action::kHttpUri;
      if (n == "md5") return Action::kMd5;
      if (n == "src" || n == "dst") return Action::kIp;
      break;
    case 4:
      if (n == "host") return Action::kHttpHost;
      if (n == "sha1") return Action::kSha1;
      if (n == "from") return Action::kEmail;
      break;
    case 5:
      if (n == "proto") return Action::kProto;
      if (n == "query") return Action::kDomain;
      break;
    case 6:
      if (n == "sha256") return Action::kSha256;
      if (n == "rcptto") return Action::kEmail;
      break;
    case 7:
      if (n == "service") return Action::kService;
      if (n == "answers") return Action::kAnswers;
      break;
    case 8:
      if (n == "mailfrom" || n == "reply_to") return Action::kEmail;
      if (n == "tx_hosts" || n == "rx_hosts") return Action::kIp;
      break;
    case 9:
      if (!n.starts_with("id.")) break;
      if (n == "id.orig_h") return Action::kSrcIp;
      if (n == "id.resp_h") return Action::kDstIp;
      if (n == "id.orig_p") return Action::kSrcPort;
      if (n == "id.resp_p") return Action::kDstPort;
      break;
    case 11:
      if (n == "server_name") return Action::kDomain;
      break;
    default:
      break;
  }
  return Action::kIgnore;
}

// Decodes Zeek's \xNN escapes (other backslashes are kept).
std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x' && core::hex_value(s[i + 2]) >= 0 &&
        core::hex_value(s[i + 3]) >= 0) {
      out.push_back(static_cast<char>(core::hex_value(s[i + 2]) * 16 + core::hex_value(s[i + 3])));
      i += 3;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

int32_t port_value(std::string_view s) {
  if (s.empty() || s.size() > 5) return -1;
  int32_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n <= 65535 ? n : -1;
}

class ZeekParser final : public FormatParser {
 public:
  ZeekParser() { reset_header(); }

  Outcome parse(std::string_view line, RecordBuilder& b) override {
    size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\r')) ++i;
    if (i == line.size()) return Outcome::none();
    if (line[i] == '#') return header(line);
    if (line[i] == '{') return json_row(line, b);
    return tsv_row(line, b);
  }

 private:
  struct Column {
    Action action = Action::kIgnore;
    bool set = false;  // a set or vector: split on the set separator
  };

  // What a record's values add up to once the whole row is seen (a URL needs its host).
  struct Pending {
    std::string_view host, uri, host_field, uri_field;
  };

  void reset_header() {
    sep_ = "\t";
    set_sep_ = ",";
    empty_ = "(empty)";
    unset_ = "-";
  }

  Outcome header(std::string_view line) {
    if (line.starts_with("#separator ")) {
      reset_header();
      sep_ = unescape(line.substr(11));
      if (sep_.empty()) sep_ = "\t";
      return Outcome::none();
    }
    const size_t cut = line.find(sep_);
    if (cut == std::string_view::npos) return Outcome::none();
    const std::string_view name = line.substr(0, cut);
    const std::string_view rest = line.substr(cut + sep_.size());
    if (name == "#set_separator") {
      set_sep_ = unescape(rest);
      if (set_sep_.empty()) set_sep_ = ",";
    } else if (name == "#empty_field") {
      empty_ = unescape(rest);
    } else if (name == "#unset_field") {
      unset_ = unescape(rest);
    } else if (name == "#fields") {
      split_header(rest, names_);
      types_.clear();
      have_fields_ = true;
      build_columns();
    } else if (name == "#types") {
      split_header(rest, types_);
      build_columns();
    }
    return Outcome::none();
  }

  void split_header(std::string_view rest, std::vector<std::string>& out) {
    out.clear();
    for (;;) {
      const size_t cut = rest.find(sep_);
      out.emplace_back(rest.substr(0, cut));
      if (cut == std::string_view::npos) break;
      rest.remove_prefix(cut + sep_.size());
    }
  }

  void build_columns() {
    cols_.assign(names_.size(), Column{});
    for (size_t i = 0; i < names_.size(); ++i) {
      Column& c = cols_[i];
      c.action = action_for(names_[i]);
      const std::string_view type = i < types_.size() ? std::string_view(types_[i]) : "";
      c.set = type.starts_with("set[") || type.starts_with("vector[");
      if (c.action == Action::kIgnore &&
          (type == "addr" || type == "subnet" || type == "set[addr]" || type == "vector[addr]" ||
           type == "set[subnet]")) {
        c.action = Action::kIp;
      }
      // Without #types, the fields that Zeek writes as sets.
      if (types_.empty()) {
        c.set = c.action == Action::kAnswers || names_[i] == "rcptto" || names_[i] == "to" ||
                names_[i] == "cc" || names_[i] == "tx_hosts" || names_[i] == "rx_hosts";
      }
    }
  }

  // Adds a value; one with \xNN escapes is decoded into the builder's scratch first (rare).
  static void add_value(RecordBuilder& b, Kind kind, std::string_view v, std::string_view field) {
    if (v.find('\\') == std::string_view::npos) {
      add_checked(b, kind, v, field);
      return;
    }
    const std::string u = unescape(v);
    const auto c = simdjson::validate_utf8(u.data(), u.size()) ? check_value(kind, u)
                                                               : std::nullopt;
    if (!c) {
      b.unrecognised();
      return;
    }
    const size_t begin = b.begin();
    b.append(c->value);
    b.add_composed(c->kind, begin, field);
  }

  // `v` with its \xNN escapes decoded into `buf` (when it has any and the result is UTF-8).
  static std::string_view decoded(std::string_view v, std::string& buf) {
    if (v.find('\\') == std::string_view::npos) return v;
    buf = unescape(v);
    return simdjson::validate_utf8(buf.data(), buf.size()) ? std::string_view(buf) : v;
  }

  // Handles one (unset/empty-filtered, single) value of a column.
  void element(RecordBuilder& b, Action a, std::string_view v, std::string_view field,
               Pending& p) {
    Record& r = b.record();
    switch (a) {
      case Action::kIgnore: break;
      case Action::kTs: r.timestamp = v; break;
      case Action::kSrcIp:
        r.src_ip = v;
        add_value(b, Kind::kIpv4, v, field);
        break;
      case Action::kDstIp:
        r.dst_ip = v;
        add_value(b, Kind::kIpv4, v, field);
        break;
      case Action::kSrcPort: r.src_port = port_value(v); break;
      case Action::kDstPort: r.dst_port = port_value(v); break;
      case Action::kProto: r.transport = v; break;
      case Action::kService: r.app_protocol = v; break;
      case Action::kIp: add_value(b, Kind::kIpv4, v, field); break;
      case Action::kDomain: add_value(b, Kind::kDomain, v, field); break;
      case Action::kAnswers:
        if (const auto k = ip_kind(v)) {
          b.add(*k, v, field);
        } else if (is_domain(v)) {
          b.add(Kind::kDomain, v, field);
        }  // TXT and other data: not an observable
        break;
      case Action::kHttpHost:
        p.host = decoded(v, host_buf_);
        p.host_field = field;
        break;
      case Action::kHttpUri:
        p.uri = decoded(v, uri_buf_);
        p.uri_field = field;
        break;
      case Action::kMd5: add_value(b, Kind::kMd5, v, field); break;
      case Action::kSha1: add_value(b, Kind::kSha1, v, field); break;
      case Action::kSha256: add_value(b, Kind::kSha256, v, field); break;
      case Action::kEmail: add_value(b, Kind::kEmail, v, field); break;
    }
  }

  static void finish_pending(RecordBuilder& b, const Pending& p) {
    add_host_and_url(b, p.host, p.host_field, p.uri, -1, p.uri_field);
  }

  Outcome tsv_row(std::string_view line, RecordBuilder& b) {
    if (!have_fields_) return Outcome::skip(SkipReason::kNoHeader, "a row before any #fields line");
    if (has_binary(line)) return Outcome::skip(SkipReason::kBinary, "control bytes in the line");
    if (!simdjson::validate_utf8(line.data(), line.size())) {
      return Outcome::skip(SkipReason::kInvalidUtf8, "the line is not valid UTF-8");
    }
    values_.clear();
    std::string_view rest = line;
    for (;;) {
      const size_t cut = sep_.size() == 1 ? rest.find(sep_[0]) : rest.find(sep_);
      values_.push_back(rest.substr(0, cut));
      if (cut == std::string_view::npos) break;
      rest.remove_prefix(cut + sep_.size());
    }
    if (values_.size() != cols_.size()) {
      return Outcome::skip(SkipReason::kFieldCount, "the number of columns differs from #fields");
    }
    Pending p;
    for (size_t i = 0; i < cols_.size(); ++i) {
      const Column& c = cols_[i];
      if (c.action == Action::kIgnore) continue;
      std::string_view v = values_[i];
      if (v == unset_ || v == empty_ || v.empty()) continue;
      const std::string_view field = names_[i];
      if (!c.set) {
        element(b, c.action, v, field, p);
        continue;
      }
      for (;;) {
        const size_t cut = v.find(set_sep_);
        const std::string_view e = v.substr(0, cut);
        if (!e.empty() && e != unset_) element(b, c.action, e, field, p);
        if (cut == std::string_view::npos) break;
        v.remove_prefix(cut + set_sep_.size());
      }
    }
    finish_pending(b, p);
    return Outcome::record();
  }

  Outcome json_row(std::string_view line, RecordBuilder& b) {
    const char* end = line.data() + line.size();
    od::document doc;
    od::object obj;
    bool not_object = false;
    if (auto e = json::start(parser_, line, doc, obj, not_object)) {
      if (not_object) return Outcome::skip(SkipReason::kNotObject, "not a JSON object");
      return json::failure(e, line);
    }
    Pending p;
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return json::failure(e, line);
      const std::string_view key = json::raw_key(f, end);
      if (key == "id") {
        // Nested form of the connection id.
        auto e = json::each_field(f.value(), end, [&](std::string_view k, od::value v) {
          static constexpr std::string_view kNames[] = {"id.orig_h", "id.resp_h", "id.orig_p",
                                                        "id.resp_p"};
          for (std::string_view full : kNames) {
            if (full.substr(3) == k) return json_value(b, action_for(full), v, full, p);
          }
          return simdjson::SUCCESS;
        });
        if (e) return json::failure(e, line);
        continue;
      }
      const Action a = action_for(key);
      if (a == Action::kIgnore) continue;
      if (auto e = json_value(b, a, f.value(), key, p)) return json::failure(e, line);
    }
    if (!json::at_end(doc)) return Outcome::skip(SkipReason::kInvalidJson, "text after the object");
    finish_pending(b, p);
    return Outcome::record();
  }

  simdjson::error_code json_value(RecordBuilder& b, Action a, od::value v, std::string_view field,
                                  Pending& p) {
    switch (a) {
      case Action::kTs: b.record().timestamp = json::scalar_text(v); return simdjson::SUCCESS;
      case Action::kSrcPort:
      case Action::kDstPort: {
        const int64_t n = json::uint(v);
        (a == Action::kSrcPort ? b.record().src_port : b.record().dst_port) =
            n >= 0 && n <= 65535 ? static_cast<int32_t>(n) : -1;
        return simdjson::SUCCESS;
      }
      default:
        return json::each_string(v, [&](std::string_view s) {
          if (!s.empty()) element(b, a, s, field, p);
        });
    }
  }

  std::string sep_, set_sep_, empty_, unset_;
  std::vector<std::string> names_, types_;
  std::vector<Column> cols_;
  std::vector<std::string_view> values_;
  std::string host_buf_, uri_buf_;  // decoded HTTP host and URI of the current row
  bool have_fields_ = false;
  od::parser parser_;
};

}  // namespace

std::unique_ptr<FormatParser> make_zeek_parser() { return std::make_unique<ZeekParser>(); }

}  // namespace sw::index::logs
