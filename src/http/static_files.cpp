#include "http/static_files.h"

#include <sys/stat.h>

#include <ctime>
#include <fstream>
#include <memory>

#include "http/problem.h"
#include "http/server.h"

namespace sw::http {

namespace fs = std::filesystem;

namespace {

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n;
    if (c < 0x80) n = 1;
    else if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) n = 3;
    else if (c >= 0xF0 && c <= 0xF4) n = 4;
    else return false;
    if (i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    if (n == 3) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) return false;  // overlong, surrogates
    }
    if (n == 4) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90)) return false;
    }
    i += n;
  }
  return true;
}

std::string http_date(time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

bool is_under(const fs::path& p, const fs::path& root) {
  auto r = root.native();
  auto s = p.native();
  if (s == r) return true;
  if (!r.empty() && r.back() != '/') r += '/';
  return s.compare(0, r.size(), r) == 0;
}

}  // namespace

StaticFiles::StaticFiles(StaticOptions options) : opt_(std::move(options)) {
  std::error_code ec;
  root_ = fs::canonical(opt_.root, ec);
  if (ec) root_ = fs::weakly_canonical(opt_.root, ec);
}

std::string_view StaticFiles::content_type_for(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},   {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"}, {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},     {".json", "application/json"},
      {".map", "application/json"},            {".svg", "image/svg+xml"},
      {".png", "image/png"},                   {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},                 {".gif", "image/gif"},
      {".webp", "image/webp"},                 {".ico", "image/x-icon"},
      {".woff", "font/woff"},                  {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},   {".wasm", "application/wasm"},
      {".webmanifest", "application/manifest+json"},
  };
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string_view ext = name.substr(dot);
  for (const auto& [e, t] : kTypes)
    if (iequals(e, ext)) return t;
  return "application/octet-stream";
}

bool StaticFiles::hashed_name(std::string_view name) {
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  std::string_view stem = name.substr(0, dot);
  size_t sep = stem.find_last_of("-.");
  if (sep == std::string_view::npos) return false;
  std::string_view hash = stem.substr(sep + 1);
  if (hash.size() < 8) return false;
  bool digit = false;
  for (char c : hash) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
    if (c >= '0' && c <= '9') digit = true;
  }
  return digit;
}

Response StaticFiles::serve(const Request& req, std::string_view rel) const {
  auto not_found = [&](bool traversal) {
    Response r = problem(Problem::kNotFound, "no such file", req.path);
    if (traversal) r.security_event = "path-traversal";
    return r;
  };
  if (root_.empty()) return not_found(false);
  // Segment checks on the decoded path: this is where `..`, `%2e%2e`, `..%2f` and `..\` end up.
  fs::path rel_path;
  size_t start = 0;
  bool last_has_ext = false;
  std::string_view last;
  while (start <= rel.size()) {
    size_t slash = rel.find('/', start);
    std::string_view seg = rel.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    const bool final_seg = slash == std::string_view::npos;
    if (seg.empty()) {
      if (!(final_seg && start > 0) && !(rel.empty())) return not_found(false);  // "//", leading '/'
    } else {
      if (seg == "." || seg == "..") return not_found(true);
      if (seg.find('\\') != std::string_view::npos) return not_found(seg.find("..") != std::string_view::npos);
      for (char c : seg)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return not_found(true);
      if (!valid_utf8(seg)) return not_found(true);
      if (seg.front() == '.') return not_found(false);  // dot files (.git, .env)
      rel_path /= std::string(seg);
      last = seg;
    }
    if (final_seg) break;
    start = slash + 1;
  }
  last_has_ext = last.find('.') != std::string_view::npos;

  fs::path candidate = root_ / rel_path;
  std::error_code ec;
  fs::path real = fs::canonical(candidate, ec);
  if (!ec) {
    if (!is_under(real, root_)) return not_found(true);  // a symlink out of the root
    if (fs::is_directory(real, ec)) {
      real = fs::canonical(real / opt_.index, ec);
      if (ec || !is_under(real, root_)) return not_found(false);
    }
    if (fs::is_regular_file(real, ec)) return file_response(req, real, false);
  }
  if (opt_.spa_fallback && !last_has_ext) {
    fs::path index = fs::canonical(root_ / opt_.index, ec);
    if (!ec && is_under(index, root_) && fs::is_regular_file(index, ec)) return file_response(req, index, true);
  }
  return not_found(false);
}

Response StaticFiles::file_response(const Request& req, const fs::path& file, bool fallback) const {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0 || static_cast<uint64_t>(st.st_size) > opt_.max_file_bytes)
    return problem(Problem::kNotFound, "no such file", req.path);
  char etag[64];
  std::snprintf(etag, sizeof etag, "\"%llx-%llx\"", static_cast<unsigned long long>(st.st_size),
                static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1000000000ULL +
                    static_cast<unsigned long long>(st.st_mtim.tv_nsec));
  Response r;
  r.content_type = std::string(content_type_for(file.filename().native()));
  r.headers.set("Content-Security-Policy", opt_.csp);
  r.headers.set("X-Frame-Options", "DENY");
  r.headers.set("Referrer-Policy", "no-referrer");
  r.headers.set("ETag", etag);
  r.headers.set("Last-Modified", http_date(st.st_mtim.tv_sec));
  if (!fallback && hashed_name(file.filename().native()))
    r.headers.set("Cache-Control", "public, max-age=31536000, immutable");
  else
    r.headers.set("Cache-Control", "no-cache");
  if (auto inm = req.headers.get("If-None-Match"); inm && (inm->find(etag) != std::string_view::npos || *inm == "*")) {
    r.status = 304;
    return r;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return problem(Problem::kNotFound, "no such file", req.path);
  r.body.resize(static_cast<size_t>(st.st_size));
  in.read(r.body.data(), static_cast<std::streamsize>(r.body.size()));
  r.body.resize(static_cast<size_t>(in.gcount()));
  return r;
}

void StaticFiles::mount(Server& server, const std::string& prefix) const {
  auto self = std::make_shared<StaticFiles>(*this);
  RouteOptions o;
  o.authenticate = false;  // the UI's files are public; its data comes from the API
  server.route("GET", prefix + "{path...}", [self](const Request& req) { return self->serve(req, req.param("path")); },
               o);
}

}  // namespace sw::http
