// `suricata-eve`: Suricata EVE JSON, one event per line (any event_type). Taken:
//   src_ip, dest_ip                        IPv4 or IPv6 by form (also the record's flow addresses)
//   dns.rrname                             domain (EVE v1/v2 DNS; also dns.rdata of v1 answers)
//   dns.queries[].rrname, dns.query[].rrname   domain (v3 DNS; DNS metadata of alerts)
//   dns.answers[].rrname                   domain
//   dns.answers[].rdata, dns.answer[].rdata    address for A/AAAA, domain for CNAME/NS/PTR/MX/
//                                          SRV/DNAME, either by form when rrtype is absent
//   dns.grouped.{A,AAAA,CNAME,NS,PTR,MX}[] likewise
//   http.hostname                          domain or address (a ":port" is dropped)
//   http.url                               URL; a path is made absolute: http://hostname[:port]/…
//                                          (port from http.http_port when not 80)
//   tls.sni                                domain
//   fileinfo.md5, .sha1, .sha256           hashes
//   smtp.mail_from, smtp.rcpt_to[]         e-mail ('<' '>' stripped)
//   email.from, email.to[], email.cc[]     e-mail ("Name <a@b>" gives a@b)
// Flow facts: timestamp, src_port, dest_port, proto, app_proto.
//
// One pass over the event with simdjson On-Demand: keys are compared as written (no unescaping),
// objects that are not listed are skipped without being parsed.
#include <simdjson.h>

#include "index/logs/json_util.h"

namespace sw::index::logs {
namespace {

namespace od = simdjson::ondemand;
using json::raw_key;

// DNS record types whose data is a name.
bool rrtype_is_name(std::string_view t) {
  return t == "CNAME" || t == "NS" || t == "PTR" || t == "MX" || t == "SRV" || t == "DNAME";
}

void add_rdata(RecordBuilder& b, std::string_view rrtype, std::string_view rdata,
               std::string_view field) {
  if (rdata.empty()) return;
  if (rrtype == "A" || rrtype == "AAAA") {
    add_checked(b, rrtype == "A" ? Kind::kIpv4 : Kind::kIpv6, rdata, field);
  } else if (rrtype_is_name(rrtype)) {
    // MX and SRV data may carry a priority/weight/port before the name ("10 mx.example.com").
    const size_t sp = rdata.rfind(' ');
    add_checked(b, Kind::kDomain, sp == std::string_view::npos ? rdata : rdata.substr(sp + 1),
                field);
  } else if (rrtype.empty()) {
    if (auto k = ip_kind(rdata)) {
      b.add(*k, rdata, field);
    } else if (is_domain(rdata)) {
      b.add(Kind::kDomain, rdata, field);
    }
  }
}

class EveParser final : public FormatParser {
 public:
  Outcome parse(std::string_view line, RecordBuilder& b) override {
    size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i == line.size()) return Outcome::none();
    end_ = line.data() + line.size();
    od::document doc;
    od::object obj;
    bool not_object = false;
    if (auto e = json::start(parser_, line, doc, obj, not_object)) {
      if (not_object) return Outcome::skip(SkipReason::kNotObject, "not a JSON object");
      return json::failure(e, line);
    }
    Record& r = b.record();
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return json::failure(e, line);
      const std::string_view key = raw_key(f, end_);
      simdjson::error_code e = simdjson::SUCCESS;
      switch (key.size()) {
        case 3:
          if (key == "dns") e = dns(f.value(), b);
          else if (key == "tls") e = tls(f.value(), b);
          break;
        case 4:
          if (key == "http") e = http(f.value(), b);
          else if (key == "smtp") e = smtp(f.value(), b);
          break;
        case 5:
          if (key == "proto") r.transport = json::str(f.value());
          else if (key == "email") e = email(f.value(), b);
          break;
        case 6:
          if (key == "src_ip") {
            r.src_ip = json::str(f.value());
            add_checked(b, Kind::kIpv4, r.src_ip, "src_ip");
          }
          break;
        case 7:
          if (key == "dest_ip") {
            r.dst_ip = json::str(f.value());
            add_checked(b, Kind::kIpv4, r.dst_ip, "dest_ip");
          }
          break;
        case 8:
          if (key == "src_port") r.src_port = static_cast<int32_t>(json::uint(f.value()));
          else if (key == "fileinfo") e = fileinfo(f.value(), b);
          break;
        case 9:
          if (key == "timestamp") r.timestamp = json::str(f.value());
          else if (key == "dest_port") r.dst_port = static_cast<int32_t>(json::uint(f.value()));
          else if (key == "app_proto") r.app_protocol = json::str(f.value());
          break;
        default:
          break;
      }
      if (e) return json::failure(e, line);
    }
    if (!json::at_end(doc)) return Outcome::skip(SkipReason::kInvalidJson, "text after the object");
    return Outcome::record();
  }

 private:
  simdjson::error_code dns(od::value v, RecordBuilder& b) {
    std::string_view rrtype, rdata;
    auto e = json::each_field(v, end_, [&](std::string_view key, od::value fv) {
      if (key == "rrname") {
        add_checked(b, Kind::kDomain, json::str(fv), "dns.rrname");
      } else if (key == "rrtype") {
        rrtype = json::str(fv);
      } else if (key == "rdata") {
        rdata = json::str(fv);
      } else if (key == "queries" || key == "query") {
        return json::each_object(fv, [&](od::value q) {
          return json::each_field(q, end_, [&](std::string_view k, od::value qv) {
            if (k == "rrname") add_checked(b, Kind::kDomain, json::str(qv), "dns.queries[].rrname");
            return simdjson::SUCCESS;
          });
        });
      } else if (key == "answers" || key == "answer" || key == "authorities") {
        return json::each_object(fv, [&](od::value a) {
          std::string_view t, d;
          auto ae = json::each_field(a, end_, [&](std::string_view k, od::value av) {
            if (k == "rrname") {
              add_checked(b, Kind::kDomain, json::str(av), "dns.answers[].rrname");
            } else if (k == "rrtype") {
              t = json::str(av);
            } else if (k == "rdata") {
              d = json::str(av);
            }
            return simdjson::SUCCESS;
          });
          if (!ae) add_rdata(b, t, d, "dns.answers[].rdata");
          return ae;
        });
      } else if (key == "grouped") {
        return json::each_field(fv, end_, [&](std::string_view type, od::value gv) {
          if (type != "A" && type != "AAAA" && !rrtype_is_name(type)) return simdjson::SUCCESS;
          return json::each_string(gv, [&](std::string_view s) {
            add_rdata(b, type, s, "dns.grouped");
          });
        });
      }
      return simdjson::SUCCESS;
    });
    if (!e) add_rdata(b, rrtype, rdata, "dns.rdata");
    return e;
  }

  simdjson::error_code http(od::value v, RecordBuilder& b) {
    std::string_view host, url;
    int64_t port = -1;
    auto e = json::each_field(v, end_, [&](std::string_view key, od::value fv) {
      if (key == "hostname") {
        host = json::str(fv);
      } else if (key == "url") {
        url = json::str(fv);
      } else if (key == "http_port") {
        port = json::uint(fv);
      }
      return simdjson::SUCCESS;
    });
    if (e) return e;
    add_host_and_url(b, host, "http.hostname", url, port, "http.url");
    return simdjson::SUCCESS;
  }

  simdjson::error_code tls(od::value v, RecordBuilder& b) {
    return json::each_field(v, end_, [&](std::string_view key, od::value fv) {
      if (key == "sni") add_checked(b, Kind::kDomain, json::str(fv), "tls.sni");
      return simdjson::SUCCESS;
    });
  }

  simdjson::error_code fileinfo(od::value v, RecordBuilder& b) {
    return json::each_field(v, end_, [&](std::string_view key, od::value fv) {
      if (key == "md5") {
        add_checked(b, Kind::kMd5, json::str(fv), "fileinfo.md5");
      } else if (key == "sha1") {
        add_checked(b, Kind::kSha1, json::str(fv), "fileinfo.sha1");
      } else if (key == "sha256") {
        add_checked(b, Kind::kSha256, json::str(fv), "fileinfo.sha256");
      }
      return simdjson::SUCCESS;
    });
  }

  simdjson::error_code smtp(od::value v, RecordBuilder& b) {
    return json::each_field(v, end_, [&](std::string_view key, od::value fv) {
      if (key == "mail_from") {
        return json::each_string(
            fv, [&](std::string_view s) { add_checked(b, Kind::kEmail, s, "smtp.mail_from"); });
      }
      if (key == "rcpt_to") {
        return json::each_string(
            fv, [&](std::string_view s) { add_checked(b, Kind::kEmail, s, "smtp.rcpt_to"); });
      }
      return simdjson::SUCCESS;
    });
  }

  simdjson::error_code email(od::value v, RecordBuilder& b) {
    return json::each_field(v, end_, [&](std::string_view key, od::value fv) {
      std::string_view field;
      if (key == "from") {
        field = "email.from";
      } else if (key == "to") {
        field = "email.to";
      } else if (key == "cc") {
        field = "email.cc";
      } else {
        return simdjson::SUCCESS;
      }
      return json::each_string(fv, [&](std::string_view s) { add_emails(b, s, field); });
    });
  }

  // A header value may list several addresses: "A <a@x>, b@y".
  static void add_emails(RecordBuilder& b, std::string_view s, std::string_view field) {
    while (!s.empty()) {
      size_t comma = s.find(',');
      // A comma inside a quoted display name is not a separator.
      if (const size_t quote = s.find('"'); quote < comma) {
        const size_t close = s.find('"', quote + 1);
        comma = close == std::string_view::npos ? std::string_view::npos : s.find(',', close);
      }
      add_checked(b, Kind::kEmail, s.substr(0, comma), field);
      if (comma == std::string_view::npos) break;
      s.remove_prefix(comma + 1);
    }
  }

  od::parser parser_;
  const char* end_ = nullptr;
};

}  // namespace

std::unique_ptr<FormatParser> make_eve_parser() { return std::make_unique<EveParser>(); }

}  // namespace sw::index::logs
