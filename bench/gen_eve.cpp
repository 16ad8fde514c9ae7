// sw-gen-eve: writes a Suricata EVE JSON log (one event per line) for the matching benchmark
// (bench/run-engine: `shieldwall match --format suricata-eve`).
//
//   sw-gen-eve --lines N --out FILE|- [--seed S] [--hit-rate P] [--feeds DIR]
//
// Events, in the proportions of a busy sensor at the edge of an office network:
//   flow 38 %      TCP (with the tcp block) or UDP flow records, app_proto when known
//   dns 27 %       half queries, half v2 answers (a CNAME now and then, 1-3 A records, grouped)
//   tls 15 %       SNI, subject, issuer, JA3/JA3S
//   http 11 %      hostname, url, user agent, content type, status
//   fileinfo 5 %   a download over HTTP with the file's MD5, SHA-1, SHA-256
//   alert 4 %      an ET signature with the flow (and the HTTP transaction for half of them)
// 300-950 bytes a line (~545 on average; fileinfo, tls and alert are the longest). Clients are
// in 10.0.0.0/14, the resolver is 10.0.0.53; servers are random public addresses (most fall in some
// country's block, as real traffic does) and names from a made-up population of ~30,000 sites,
// popular ones more often.
//
// A fraction P (default 0.02) of the external values — server addresses (with the port of an
// ip:port trail), DNS names, SNIs, HTTP hosts and URLs, file hashes — are real feed values
// (bench/feeds.h: the values sw-gen-bundle turns into indicators), so a node that imported such
// a bundle finds hits. Deterministic: line i depends only on (seed, i), so a shorter file is a
// prefix of a longer one.
#include <time.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "feeds.h"

namespace {

namespace fs = std::filesystem;
using namespace sw::bench;

constexpr int64_t kStart = 1'709'251'200;  // 2024-03-01T00:00:00Z
constexpr int64_t kLinesPerSecond = 10'000;

// "YYYY-MM-DDTHH:MM:SS" of a second, cached (lines come in time order).
class TimeText {
 public:
  const std::string& at(int64_t sec) {
    if (sec != sec_) {
      sec_ = sec;
      const time_t t = static_cast<time_t>(sec);
      tm g{};
      gmtime_r(&t, &g);
      char buf[80];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", g.tm_year + 1900,
                    g.tm_mon + 1, g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec);
      text_ = buf;
    }
    return text_;
  }

 private:
  int64_t sec_ = -1;
  std::string text_;
};

struct FeedPicks {
  std::vector<const Value*> ipv4, ipv4port, domain, url, md5, sha1, sha256;
};

class Gen {
 public:
  Gen(const Corpus& c, double hit_rate) : hit_(hit_rate) {
    for (const Value& v : c.values) {
      switch (v.kind) {
        case Kind::kIpv4:
          feed_.ipv4.push_back(&v);
          break;
        case Kind::kIpv4Port:
          feed_.ipv4port.push_back(&v);
          break;
        case Kind::kDomain:
          feed_.domain.push_back(&v);
          break;
        case Kind::kUrl:
          feed_.url.push_back(&v);
          break;
        case Kind::kMd5:
          feed_.md5.push_back(&v);
          break;
        case Kind::kSha1:
          feed_.sha1.push_back(&v);
          break;
        case Kind::kSha256:
          feed_.sha256.push_back(&v);
          break;
        default:
          break;
      }
    }
    // The site population: made-up names, fixed by a seed of their own.
    Rng r(0x51735u);
    sites_.reserve(kSites);
    for (size_t i = 0; i < kSites; ++i) {
      std::string s = word(r, 2 + r.below(2));
      if (r.below(3) == 0) s += std::to_string(r.below(100));
      s += '.';
      s += kTlds[r.below(std::size(kTlds))];
      sites_.push_back(std::move(s));
    }
  }

  uint64_t hits() const { return hits_; }
  const uint64_t* counts() const { return counts_; }

  void line(std::string& o, uint64_t i, uint64_t seed, TimeText& tt) {
    Rng r(mix64(seed * 0x9e3779b97f4a7c15ull + i));
    r_ = &r;
    const int64_t sec = kStart + static_cast<int64_t>(i / kLinesPerSecond);
    const uint64_t usec = (i % kLinesPerSecond) * (1'000'000 / kLinesPerSecond) + r.below(100);
    ts_.clear();
    ts_ += tt.at(sec);
    char frac[40];
    std::snprintf(frac, sizeof frac, ".%06llu+0000", static_cast<unsigned long long>(usec));
    ts_ += frac;
    sec_ = sec;
    const uint64_t e = r.below(1000);
    if (e < 380)
      flow(o);
    else if (e < 650)
      dns(o);
    else if (e < 800)
      tls(o);
    else if (e < 910)
      http(o);
    else if (e < 960)
      fileinfo(o);
    else
      alert(o);
    o += '\n';
  }

  static constexpr const char* kTypes[] = {"flow", "dns", "tls", "http", "fileinfo", "alert"};

 private:
  static constexpr size_t kSites = 30'000;
  static constexpr const char* kTlds[] = {"com", "com",   "com", "net",  "org",  "io",
                                          "de",  "co.uk", "fr",  "nl",   "info", "ru",
                                          "cn",  "xyz",   "app", "cloud"};
  static constexpr const char* kSyl[] = {"ka",  "lo",  "mer", "tin", "sa",   "vor", "el",
                                         "qua", "zen", "pri", "do",  "ba",   "nex", "tor",
                                         "li",  "um",  "ra",  "cel", "gen",  "bi",  "ox",
                                         "fi",  "mo",  "tra", "net", "soft", "data"};
  static constexpr const char* kSubs[] = {"www",    "www",    "www",    "api",      "cdn",
                                          "static", "img",    "login",  "mail",     "app",
                                          "m",      "assets", "update", "telemetry"};
  static constexpr const char* kUas[] = {
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/122.0.0.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) "
      "Version/17.3 Safari/605.1.15",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0",
      "Microsoft-CryptoAPI/10.0",
      "Windows-Update-Agent/10.0.10011.16384 Client-Protocol/2.50",
      "curl/8.5.0",
      "python-requests/2.31.0"};
  static constexpr const char* kPaths[] = {"/",
                                           "/index.html",
                                           "/api/v1/status",
                                           "/static/js/app.js",
                                           "/images/logo.png",
                                           "/login",
                                           "/search?q=report",
                                           "/wp-admin/",
                                           "/downloads/setup.exe",
                                           "/update/check?v=10.2.1",
                                           "/favicon.ico"};
  static constexpr const char* kSigs[][2] = {
      {"ET MALWARE Possible Cobalt Strike Beacon Observed", "A Network Trojan was detected"},
      {"ET POLICY Observed DNS Query to .cloud TLD", "Potentially Bad Traffic"},
      {"ET INFO Executable Download from dotted-quad Host", "Potentially Bad Traffic"},
      {"ET SCAN Suspicious inbound to MSSQL port 1433", "Potentially Bad Traffic"},
      {"ET HUNTING Suspicious User-Agent (python-requests)", "Misc activity"},
      {"ET PHISHING Successful Generic Phish 2024-02-12", "Possible Social Engineering Attempted"}};

  static std::string word(Rng& r, uint64_t syllables) {
    std::string w;
    for (uint64_t k = 0; k < syllables; ++k) w += kSyl[r.below(std::size(kSyl))];
    return w;
  }

  bool hit() {
    if (hit_ <= 0) return false;
    return static_cast<double>(r_->below(1'000'000)) < hit_ * 1e6;
  }
  template <typename V>
  const Value* pick(const V& v) {
    if (v.empty()) return nullptr;
    ++hits_;
    return v[r_->below(v.size())];
  }

  // A site, popular ones more often (~x^3 skew).
  std::string site() {
    const double u = static_cast<double>(r_->below(1'000'000)) / 1e6;
    return sites_[static_cast<size_t>(u * u * u * kSites)];
  }
  std::string host_name() {
    if (hit()) {
      if (const Value* v = pick(feed_.domain)) return v->text;
    }
    std::string h = kSubs[r_->below(std::size(kSubs))];
    h += '.';
    h += site();
    return h;
  }
  std::string client() {
    const uint32_t ip = 0x0A000000u | static_cast<uint32_t>(r_->below(1u << 18));
    return ipv4_string((ip & 0xFF) == 0 ? ip + 1 : ip);
  }
  // A server address, and a port when a feed ip:port was drawn (else `port` is left).
  std::string server(int& port) {
    if (hit()) {
      if (r_->below(3) == 0) {
        if (const Value* v = pick(feed_.ipv4port)) {
          const auto colon = v->text.rfind(':');
          port = std::atoi(v->text.c_str() + colon + 1);
          return v->text.substr(0, colon);
        }
      } else if (const Value* v = pick(feed_.ipv4)) {
        return v->text;
      }
    }
    for (;;) {
      const auto ip = static_cast<uint32_t>(r_->next());
      if (public_ipv4(ip)) return ipv4_string(ip);
    }
  }
  int eph() { return 49152 + static_cast<int>(r_->below(16384)); }
  std::string hex(size_t n) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s(n, '0');
    for (size_t k = 0; k < n; k += 16) {
      uint64_t x = r_->next();
      for (size_t j = k; j < n && j < k + 16; ++j, x >>= 4) s[j] = kHex[x & 15];
    }
    return s;
  }
  void num(std::string& o, uint64_t v) { o += std::to_string(v); }

  void head(std::string& o, const char* type, const std::string& src, int sport,
            const std::string& dst, int dport, const char* proto) {
    o += R"({"timestamp":")";
    o += ts_;
    o += R"(","flow_id":)";
    num(o, r_->next() >> 12);
    o += R"(,"in_iface":"eth0","event_type":")";
    o += type;
    o += R"(","src_ip":")";
    o += src;
    o += R"(","src_port":)";
    num(o, static_cast<uint64_t>(sport));
    o += R"(,"dest_ip":")";
    o += dst;
    o += R"(","dest_port":)";
    num(o, static_cast<uint64_t>(dport));
    o += R"(,"proto":")";
    o += proto;
    o += '"';
  }

  void flow(std::string& o) {
    ++counts_[0];
    const bool tcp = r_->below(10) < 7;
    int port = tcp ? (r_->below(4) ? 443 : 80) : (r_->below(2) ? 53 : 123);
    const std::string dst = server(port);
    head(o, "flow", client(), eph(), dst, port, tcp ? "TCP" : "UDP");
    const char* app = port == 443   ? "tls"
                      : port == 80  ? "http"
                      : port == 53  ? "dns"
                      : port == 123 ? "ntp"
                                    : nullptr;
    if (app) {
      o += R"(,"app_proto":")";
      o += app;
      o += '"';
    }
    const uint64_t pts = 1 + r_->below(40), ptc = 1 + r_->below(60), age = r_->below(120);
    o += R"(,"flow":{"pkts_toserver":)";
    num(o, pts);
    o += R"(,"pkts_toclient":)";
    num(o, ptc);
    o += R"(,"bytes_toserver":)";
    num(o, pts * (60 + r_->below(900)));
    o += R"(,"bytes_toclient":)";
    num(o, ptc * (60 + r_->below(1400)));
    o += R"(,"start":")";
    o += ts_;
    o += R"(","end":")";
    o += ts_;
    o += R"(","age":)";
    num(o, age);
    o += tcp ? R"(,"state":"closed","reason":"timeout","alerted":false})"
             : R"(,"state":"established","reason":"timeout","alerted":false})";
    if (tcp)
      o +=
          R"(,"tcp":{"tcp_flags":"1b","syn":true,"fin":true,"psh":true,"ack":true,"state":"closed"})";
    o += '}';
  }

  void dns(std::string& o) {
    ++counts_[1];
    const std::string name = host_name();
    const bool answer = r_->below(2) == 0;
    const std::string cl = client();
    const int port = eph();
    const uint64_t id = r_->below(65536);
    if (!answer) {
      head(o, "dns", cl, port, "10.0.0.53", 53, "UDP");
      o += R"(,"pkt_src":"wire/pcap","dns":{"type":"query","id":)";
      num(o, id);
      o += R"(,"rrname":")";
      o += name;
      o += R"(","rrtype":")";
      o += r_->below(5) == 0 ? "AAAA" : "A";
      o += R"(","tx_id":0,"opcode":0}})";
      return;
    }
    head(o, "dns", "10.0.0.53", 53, cl, port, "UDP");
    o += R"(,"pkt_src":"wire/pcap","dns":{"version":2,"type":"answer","id":)";
    num(o, id);
    o += R"(,"flags":"8180","qr":true,"rd":true,"ra":true,"opcode":0,"rrname":")";
    o += name;
    o += R"(","rrtype":"A","rcode":"NOERROR","answers":[)";
    std::string owner = name, cname;
    if (r_->below(4) == 0) {
      cname = "edge" + std::to_string(r_->below(100)) + "." + site();
      o += R"({"rrname":")";
      o += name;
      o += R"(","rrtype":"CNAME","ttl":300,"rdata":")";
      o += cname;
      o += R"("},)";
      owner = cname;
    }
    const uint64_t n = 1 + r_->below(3);
    std::vector<std::string> addrs;
    for (uint64_t k = 0; k < n; ++k) {
      int unused = 0;
      addrs.push_back(server(unused));
      if (k) o += ',';
      o += R"({"rrname":")";
      o += owner;
      o += R"(","rrtype":"A","ttl":)";
      num(o, 30 + r_->below(3600));
      o += R"(,"rdata":")";
      o += addrs.back();
      o += R"("})";
    }
    o += R"(],"grouped":{)";
    if (!cname.empty()) {
      o += R"("CNAME":[")";
      o += cname;
      o += R"("],)";
    }
    o += R"("A":[)";
    for (size_t k = 0; k < addrs.size(); ++k) {
      o += k ? ",\"" : "\"";
      o += addrs[k];
      o += '"';
    }
    o += "]}}}";
  }

  void tls(std::string& o) {
    ++counts_[2];
    int port = 443;
    const std::string dst = server(port);
    const std::string sni = host_name();
    head(o, "tls", client(), eph(), dst, port, "TCP");
    o += R"(,"pkt_src":"wire/pcap","tls":{"subject":"CN=)";
    o += sni;
    o += R"(","issuerdn":")";
    o += r_->below(2) ? "C=US, O=Let's Encrypt, CN=R3"
                      : "C=US, O=DigiCert Inc, CN=DigiCert TLS RSA SHA256 2020 CA1";
    o += R"(","serial":")";
    const std::string s = hex(12);
    for (size_t k = 0; k < s.size(); k += 2) {
      if (k) o += ':';
      o += static_cast<char>(std::toupper(static_cast<unsigned char>(s[k])));
      o += static_cast<char>(std::toupper(static_cast<unsigned char>(s[k + 1])));
    }
    o += R"(","fingerprint":")";
    const std::string f = hex(40);
    for (size_t k = 0; k < f.size(); k += 2) {
      if (k) o += ':';
      o.append(f, k, 2);
    }
    o += R"(","sni":")";
    o += sni;
    o += R"(","version":"TLS 1.)";
    o += r_->below(3) ? "3" : "2";
    o += R"(","notbefore":"2024-01-10T00:00:00","notafter":"2024-04-09T23:59:59","ja3":{"hash":")";
    o += hex(32);
    o += R"("},"ja3s":{"hash":")";
    o += hex(32);
    o += R"("}}})";
  }

  // host and path of an HTTP request; a feed URL now and then.
  void request(std::string& host, std::string& path, int& port) {
    if (hit()) {
      if (const Value* v = pick(feed_.url)) {
        std::string_view u = v->text;
        const bool https = starts_with(u, "https://");
        u.remove_prefix(u.find("://") + 3);
        const size_t slash = u.find('/');
        host = std::string(u.substr(0, slash));
        path = slash == std::string_view::npos ? "/" : std::string(u.substr(slash));
        if (https) port = 443;
        if (const auto colon = host.rfind(':'); colon != std::string::npos) {
          port = std::atoi(host.c_str() + colon + 1);
          host.resize(colon);
        }
        return;
      }
    }
    host = host_name();
    path = kPaths[r_->below(std::size(kPaths))];
  }

  void http_block(std::string& o, const std::string& host, const std::string& path, int port,
                  const char* ctype, uint64_t len, bool short_ua = false) {
    o += R"("http":{"hostname":")";
    append_json_escaped(o, host);
    if (port != 80) {
      o += R"(","http_port":)";
      num(o, static_cast<uint64_t>(port));
      o += R"(,"url":")";
    } else {
      o += R"(","url":")";
    }
    append_json_escaped(o, path);
    o += R"(","http_user_agent":")";
    o += kUas[short_ua ? 3 + r_->below(std::size(kUas) - 3) : r_->below(std::size(kUas))];
    o += R"(","http_content_type":")";
    o += ctype;
    o += R"(","http_method":"GET","protocol":"HTTP/1.1","status":200,"length":)";
    num(o, len);
    o += '}';
  }

  void http(std::string& o) {
    ++counts_[3];
    int port = 80;
    std::string host, path;
    request(host, path, port);
    int dport = port;  // a feed ip:port sets its own
    const std::string dst = server(dport);
    head(o, "http", client(), eph(), dst, dport, "TCP");
    o += R"(,"pkt_src":"wire/pcap","tx_id":)";
    num(o, r_->below(4));
    o += ',';
    http_block(o, host, path, port, r_->below(2) ? "text/html" : "application/json",
               200 + r_->below(60000));
    o += R"(,"app_proto":"http"})";
  }

  void fileinfo(std::string& o) {
    ++counts_[4];
    int port = 80;
    std::string host, path;
    request(host, path, port);
    if (path == "/") path = "/download/setup.exe";
    int sport = port;
    const std::string src = server(sport);
    const uint64_t size = 10'000 + r_->below(4'000'000);
    head(o, "fileinfo", src, port, client(), eph(), "TCP");
    o += R"(,"pkt_src":"wire/pcap",)";
    http_block(o, host, path, port, "application/octet-stream", size, true);
    o += R"(,"app_proto":"http","fileinfo":{"filename":")";
    append_json_escaped(o, path.substr(0, path.find('?')));
    o += R"(","gaps":false,"state":"CLOSED",)";
    std::string md5 = hex(32), sha1 = hex(40), sha256 = hex(64);
    if (hit()) {
      switch (r_->below(3)) {
        case 0:
          if (const Value* v = pick(feed_.md5)) md5 = v->text;
          break;
        case 1:
          if (const Value* v = pick(feed_.sha1)) sha1 = v->text;
          break;
        default:
          if (const Value* v = pick(feed_.sha256)) sha256 = v->text;
          break;
      }
    }
    o += R"("md5":")";
    o += md5;
    o += R"(","sha1":")";
    o += sha1;
    o += R"(","sha256":")";
    o += sha256;
    o += R"(","stored":false,"size":)";
    num(o, size);
    o += R"(,"tx_id":0}})";
  }

  void alert(std::string& o) {
    ++counts_[5];
    int port = r_->below(2) ? 80 : 443;
    const std::string dst = server(port);
    const std::string src = client();
    const int sport = eph();
    head(o, "alert", src, sport, dst, port, "TCP");
    const auto& sig = kSigs[r_->below(std::size(kSigs))];
    o += R"(,"pkt_src":"wire/pcap","tx_id":0,"alert":{"action":"allowed","gid":1,"signature_id":)";
    num(o, 2'000'000 + r_->below(60'000));
    o += R"(,"rev":)";
    num(o, 1 + r_->below(9));
    o += R"(,"signature":")";
    o += sig[0];
    o += R"(","category":")";
    o += sig[1];
    o += R"(","severity":)";
    num(o, 1 + r_->below(3));
    o += R"(},)";
    if (port == 80) {
      std::string host, path;
      int p = 80;
      request(host, path, p);
      http_block(o, host, path, 80, "text/html", 100 + r_->below(9000), true);
      o += R"(,"app_proto":"http",)";
    } else {
      o += R"("app_proto":"tls",)";
    }
    o += R"("direction":"to_server","flow":{"pkts_toserver":)";
    num(o, 1 + r_->below(20));
    o += R"(,"pkts_toclient":)";
    num(o, r_->below(20));
    o += R"(,"start":")";
    o += ts_;
    o += R"("}})";
  }

  double hit_;
  FeedPicks feed_;
  std::vector<std::string> sites_;
  Rng* r_ = nullptr;
  std::string ts_;
  int64_t sec_ = 0;
  uint64_t hits_ = 0;
  uint64_t counts_[6] = {};
};

[[noreturn]] void usage(const char* msg) {
  if (msg) std::fprintf(stderr, "sw-gen-eve: %s\n", msg);
  std::fprintf(stderr,
               "usage: sw-gen-eve --lines N --out FILE|- [--seed S] [--hit-rate P] [--feeds DIR]\n"
               "  --lines N     events, one per line\n"
               "  --out FILE    output file, '-' for stdout\n"
               "  --seed S      seed (default 1)\n"
               "  --hit-rate P  share of external values taken from the feeds (default 0.02)\n"
               "  --feeds DIR   block lists (default $SW_SHARED_DATA/feeds)\n");
  std::exit(2);
}

uint64_t parse_u64(const char* s, const char* what) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(s, &end, 10);
  if (errno || !end || *end || *s == '-') usage((std::string("bad ") + what).c_str());
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t lines = 0, seed = 1;
  bool have_lines = false;
  double hit_rate = 0.02;
  std::string out_path;
  fs::path feeds = default_feeds_dir();
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage((std::string(a) + " needs a value").c_str());
      return argv[++i];
    };
    if (a == "--lines")
      lines = parse_u64(value(), "--lines"), have_lines = true;
    else if (a == "--out")
      out_path = value();
    else if (a == "--seed")
      seed = parse_u64(value(), "--seed");
    else if (a == "--hit-rate")
      hit_rate = std::atof(value());
    else if (a == "--feeds")
      feeds = value();
    else if (a == "-h" || a == "--help")
      usage(nullptr);
    else
      usage(("unknown argument " + std::string(a)).c_str());
  }
  if (!have_lines || out_path.empty()) usage("--lines and --out are required");

  const auto t0 = std::chrono::steady_clock::now();
  const Corpus corpus = load_corpus(feeds);
  if (corpus.values.empty() && hit_rate > 0) {
    std::fprintf(stderr, "sw-gen-eve: no values found under %s\n", feeds.c_str());
    return 1;
  }
  Gen gen(corpus, hit_rate);
  FILE* f = out_path == "-" ? stdout : std::fopen(out_path.c_str(), "wb");
  if (!f) {
    std::fprintf(stderr, "sw-gen-eve: cannot write %s: %s\n", out_path.c_str(),
                 std::strerror(errno));
    return 1;
  }
  std::string buf;
  buf.reserve((1 << 20) + 4096);
  TimeText tt;
  uint64_t written = 0;
  bool ok = true;
  for (uint64_t i = 0; i < lines && ok; ++i) {
    gen.line(buf, i, seed, tt);
    if (buf.size() >= (1 << 20)) {
      ok = std::fwrite(buf.data(), 1, buf.size(), f) == buf.size();
      written += buf.size();
      buf.clear();
    }
  }
  if (ok && !buf.empty()) {
    ok = std::fwrite(buf.data(), 1, buf.size(), f) == buf.size();
    written += buf.size();
  }
  ok = (f == stdout ? std::fflush(f) : std::fclose(f)) == 0 && ok;
  if (!ok) {
    std::fprintf(stderr, "sw-gen-eve: writing %s failed: %s\n", out_path.c_str(),
                 std::strerror(errno));
    return 1;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::string mix;
  for (int k = 0; k < 6; ++k) {
    mix += (k ? ", " : "");
    mix += Gen::kTypes[k];
    mix += ' ';
    mix += std::to_string(gen.counts()[k]);
  }
  std::fprintf(stderr,
               "sw-gen-eve: %llu lines (%s), %.1f MB, avg %.0f bytes/line, %llu feed values "
               "placed, %.1f s\n",
               static_cast<unsigned long long>(lines), mix.c_str(), double(written) / 1e6,
               lines ? double(written) / double(lines) : 0.0,
               static_cast<unsigned long long>(gen.hits()), secs);
  return 0;
}
