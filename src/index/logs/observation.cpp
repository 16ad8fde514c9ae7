#include "index/logs/observation.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/uuid.h"
#include "index/logs/record_builder.h"

namespace sw::index::logs {
namespace {

bool digits_only(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

core::Error bad_time(std::string_view text, std::string_view why) {
  return core::Error::invalid("invalid log time \"" + std::string(text.substr(0, 64)) + "\": " +
                              std::string(why));
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

struct Sco {
  std::string type;
  std::string value;  // value SCOs; "" for file / network-traffic
  std::string id;
  std::string json;   // without the closing '}' until finished
  std::vector<size_t> resolves_to;
};

class Builder {
 public:
  // The SCO for (type, value), created on first use.
  size_t value_sco(std::string_view type, std::string value) {
    for (size_t i = 0; i < scos_.size(); ++i) {
      if (scos_[i].type == type && scos_[i].value == value) return i;
    }
    std::string contrib = "{\"value\":";
    core::append_json_string(contrib, value);
    contrib += '}';
    Sco s;
    s.type = type;
    s.id = std::string(type) + "--" +
           core::to_string(core::uuid_v5(core::stix_sco_namespace(), contrib));
    s.json = "{\"type\":\"" + s.type + "\",\"spec_version\":\"2.1\",\"id\":\"" + s.id +
             "\",\"value\":";
    core::append_json_string(s.json, value);
    s.value = std::move(value);
    scos_.push_back(std::move(s));
    return scos_.size() - 1;
  }

  size_t add(Sco s) {
    scos_.push_back(std::move(s));
    return scos_.size() - 1;
  }

  std::vector<Sco>& scos() { return scos_; }

 private:
  std::vector<Sco> scos_;
};

std::string normalised(Kind kind, std::string_view value) {
  if (auto n = normalise(kind, value)) return std::move(*n);
  return std::string(value);
}

std::optional<size_t> ip_sco(Builder& b, std::string_view text) {
  const auto k = ip_kind(text);
  if (!k) return std::nullopt;
  return b.value_sco(*k == Kind::kIpv6 ? "ipv6-addr" : "ipv4-addr", normalised(*k, text));
}

bool is_dns_query_field(std::string_view f) {
  return f == "dns.rrname" || f == "dns.queries[].rrname" || f == "query";
}
bool is_dns_answer_field(std::string_view f) {
  return f == "dns.answers[].rdata" || f == "dns.rdata" || f == "dns.grouped" || f == "answers";
}

std::string uuid_of(std::string_view text) {
  return core::to_string(core::uuid_v5(core::stix_sco_namespace(), text));
}

}  // namespace

core::Result<core::Timestamp> parse_log_time(std::string_view t) {
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  if (t.empty()) return bad_time(t, "empty");
  // Epoch seconds.
  if (const size_t dot = t.find('.'); digits_only(t.substr(0, dot)) &&
                                      (dot == std::string_view::npos ||
                                       dot + 1 == t.size() || digits_only(t.substr(dot + 1)))) {
    const std::string_view whole = t.substr(0, dot);
    if (whole.size() > 11) return bad_time(t, "epoch seconds out of range");
    core::Timestamp ts;
    ts.seconds = 0;
    for (char c : whole) ts.seconds = ts.seconds * 10 + (c - '0');
    ts.digits = 0;
    ts.nanos = 0;
    if (dot != std::string_view::npos) {
      const std::string_view frac = t.substr(dot + 1);
      uint32_t scale = 100'000'000;
      for (size_t i = 0; i < frac.size() && i < 9; ++i, scale /= 10) {
        ts.nanos += static_cast<uint32_t>(frac[i] - '0') * scale;
      }
      ts.digits = static_cast<uint8_t>(std::min<size_t>(frac.size(), 9));
    }
    if (ts.seconds > 253402300799) return bad_time(t, "epoch seconds out of range");
    return ts;
  }
  // ISO 8601: date, time, fraction, then the zone.
  if (t.size() < 19 || (t[10] != 'T' && t[10] != ' ' && t[10] != 't')) {
    return bad_time(t, "expected epoch seconds or YYYY-MM-DDTHH:MM:SS");
  }
  size_t i = 19;
  if (i < t.size() && (t[i] == '.' || t[i] == ',')) {
    ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
  }
  std::string base(t.substr(0, i));
  base[10] = 'T';
  if (base.size() > 19 && base[19] == ',') base[19] = '.';
  base += 'Z';
  int64_t offset = 0;
  const std::string_view zone = t.substr(i);
  if (!zone.empty() && zone != "Z" && zone != "z") {
    const char sign = zone[0];
    std::string_view hm = zone.substr(1);
    if ((sign != '+' && sign != '-') || hm.empty()) return bad_time(t, "bad time zone");
    std::string digits;
    for (char c : hm) {
      if (c != ':') digits.push_back(c);
    }
    if (!digits_only(digits) || (digits.size() != 2 && digits.size() != 4)) {
      return bad_time(t, "bad time zone");
    }
    const int hours = (digits[0] - '0') * 10 + (digits[1] - '0');
    const int minutes = digits.size() == 4 ? (digits[2] - '0') * 10 + (digits[3] - '0') : 0;
    if (hours > 23 || minutes > 59) return bad_time(t, "bad time zone");
    offset = (hours * 3600 + minutes * 60) * (sign == '+' ? 1 : -1);
  }
  auto ts = core::parse_timestamp(base);
  if (!ts.ok()) return bad_time(t, ts.error().message);
  ts->seconds -= offset;
  return ts;
}

pattern::ObservationSource observation_json(const Record& r, const core::Timestamp& now) {
  Builder b;
  std::vector<size_t> queries, answers;
  std::vector<std::pair<std::string_view, std::string>> hashes;  // STIX hash name, value
  for (const LogObservable& o : r.observables) {
    std::optional<size_t> sco;
    switch (o.kind) {
      case Kind::kIpv4:
      case Kind::kIpv6: sco = ip_sco(b, o.value); break;
      case Kind::kDomain: sco = b.value_sco("domain-name", normalised(o.kind, o.value)); break;
      case Kind::kUrl: sco = b.value_sco("url", normalised(o.kind, o.value)); break;
      case Kind::kEmail: sco = b.value_sco("email-addr", normalised(o.kind, o.value)); break;
      case Kind::kMd5: hashes.emplace_back("MD5", normalised(o.kind, o.value)); break;
      case Kind::kSha1: hashes.emplace_back("SHA-1", normalised(o.kind, o.value)); break;
      case Kind::kSha256: hashes.emplace_back("SHA-256", normalised(o.kind, o.value)); break;
      case Kind::kSha512: hashes.emplace_back("SHA-512", normalised(o.kind, o.value)); break;
      case Kind::kOther: break;
    }
    if (!sco) continue;
    if (o.kind == Kind::kDomain && is_dns_query_field(o.field)) queries.push_back(*sco);
    if (is_dns_answer_field(o.field)) answers.push_back(*sco);
  }
  for (size_t q : queries) {
    for (size_t a : answers) {
      auto& refs = b.scos()[q].resolves_to;
      if (a != q && std::find(refs.begin(), refs.end(), a) == refs.end()) refs.push_back(a);
    }
  }

  if (!hashes.empty()) {
    std::string h = "{";
    std::vector<std::string_view> seen;
    for (const auto& [name, value] : hashes) {
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;  // first of each
      seen.push_back(name);
      if (h.size() > 1) h += ',';
      core::append_json_string(h, name);
      h += ':';
      core::append_json_string(h, value);
    }
    h += '}';
    // The deterministic id uses one hash, preferring MD5, SHA-1, SHA-256, SHA-512 (§2.9).
    std::string contrib;
    for (std::string_view pref : {"MD5", "SHA-1", "SHA-256", "SHA-512"}) {
      for (const auto& [name, value] : hashes) {
        if (name != pref || !contrib.empty()) continue;
        contrib = "{\"hashes\":{";
        core::append_json_string(contrib, name);
        contrib += ':';
        core::append_json_string(contrib, value);
        contrib += "}}";
      }
    }
    Sco f;
    f.type = "file";
    f.id = "file--" + uuid_of(contrib);
    f.json = "{\"type\":\"file\",\"spec_version\":\"2.1\",\"id\":\"" + f.id + "\",\"hashes\":" + h;
    b.add(std::move(f));
  }

  // The flow.
  const std::optional<size_t> src = r.src_ip.empty() ? std::nullopt : ip_sco(b, r.src_ip);
  const std::optional<size_t> dst = r.dst_ip.empty() ? std::nullopt : ip_sco(b, r.dst_ip);
  if (src || dst) {
    std::vector<std::string> protocols;
    const auto& any = b.scos()[src ? *src : *dst];
    protocols.emplace_back(any.type == "ipv6-addr" ? "ipv6" : "ipv4");
    const auto add_protocol = [&](std::string p) {
      if (p.empty() || p == "failed" || p == "unknown" || p == "-") return;
      if (std::find(protocols.begin(), protocols.end(), p) == protocols.end()) {
        protocols.push_back(std::move(p));
      }
    };
    add_protocol(lower(r.transport));
    for (std::string_view rest = r.app_protocol; !rest.empty();) {
      const size_t comma = rest.find(',');
      add_protocol(lower(rest.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    std::string body;
    if (src) body += ",\"src_ref\":\"" + b.scos()[*src].id + "\"";
    if (dst) body += ",\"dst_ref\":\"" + b.scos()[*dst].id + "\"";
    if (r.src_port >= 0 && r.src_port <= 65535) {
      body += ",\"src_port\":" + std::to_string(r.src_port);
    }
    if (r.dst_port >= 0 && r.dst_port <= 65535) {
      body += ",\"dst_port\":" + std::to_string(r.dst_port);
    }
    body += ",\"protocols\":[";
    for (size_t i = 0; i < protocols.size(); ++i) {
      if (i > 0) body += ',';
      core::append_json_string(body, protocols[i]);
    }
    body += ']';
    Sco n;
    n.type = "network-traffic";
    n.id = "network-traffic--" + uuid_of(body);
    n.json = "{\"type\":\"network-traffic\",\"spec_version\":\"2.1\",\"id\":\"" + n.id + "\"" + body;
    b.add(std::move(n));
  }

  core::Timestamp when = now;
  if (!r.timestamp.empty()) {
    if (auto ts = parse_log_time(r.timestamp); ts.ok()) when = *ts;
  }
  const std::string time = core::format_timestamp(when, 3);
  const std::string created = core::format_timestamp(now, 3);

  pattern::ObservationSource out;
  std::string refs;
  for (Sco& s : b.scos()) {
    if (!s.resolves_to.empty()) {
      s.json += ",\"resolves_to_refs\":[";
      for (size_t i = 0; i < s.resolves_to.size(); ++i) {
        if (i > 0) s.json += ',';
        s.json += '"' + b.scos()[s.resolves_to[i]].id + '"';
      }
      s.json += ']';
    }
    s.json += '}';
    if (!refs.empty()) refs += ',';
    refs += '"' + s.id + '"';
    out.objects.push_back(std::move(s.json));
  }
  const std::string od_id =
      "observed-data--" + uuid_of(std::to_string(r.line) + "\n" + time + "\n" + std::string(r.text));
  out.observed_data = "{\"type\":\"observed-data\",\"spec_version\":\"2.1\",\"id\":\"" + od_id +
                      "\",\"created\":\"" + created + "\",\"modified\":\"" + created +
                      "\",\"first_observed\":\"" + time + "\",\"last_observed\":\"" + time +
                      "\",\"number_observed\":1,\"object_refs\":[" + refs + "]}";
  return out;
}

core::Result<pattern::Observation> build_observation(const Record& record,
                                                     const core::Timestamp& now) {
  const pattern::ObservationSource src = observation_json(record, now);
  std::vector<std::string_view> objects(src.objects.begin(), src.objects.end());
  auto o = pattern::Observation::from_json_21(src.observed_data, objects);
  if (!o.ok()) {
    core::Error e = std::move(o).error();
    return core::Error::internal("record at line " + std::to_string(record.line) +
                                 " gave observed data the matcher refused: " + e.message);
  }
  return o;
}

}  // namespace sw::index::logs
