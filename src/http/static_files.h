// StaticFiles: serves a directory (the web UI) over GET and HEAD.
//
// Guarantees: nothing outside the root is ever read — a path with `..`, `.`, empty or dot-file
// segments, backslashes, NUL or control bytes, invalid UTF-8 (after percent-decoding, so `%2e%2e`
// and `..%2f` count), or that resolves through a symlink to outside the root is a 404 (and a
// "path-traversal" security event when it tried to climb out). Responses carry a strict
// Content-Security-Policy (`default-src 'self'`, no inline scripts), ETag and Last-Modified
// (304 on If-None-Match), and `immutable` caching for content-hashed asset names
// (`assets/index-BXq2Lz9a.js`). Paths without a file extension that match no file get the
// index.html of the root (single-page-app routes).
//
// Thread-safety: immutable after construction; serve() may run on many threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "http/message.h"
#include "http/router.h"

namespace sw::http {

class Server;

struct StaticOptions {
  std::filesystem::path root;
  std::string index = "index.html";
  bool spa_fallback = true;
  uint64_t max_file_bytes = 64 << 20;
  std::string csp =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
      "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
};

class StaticFiles {
 public:
  explicit StaticFiles(StaticOptions options);

  // The response for `rel`, the path below the root (decoded; the `{path...}` parameter).
  Response serve(const Request& req, std::string_view rel) const;

  // Registers GET `prefix{path...}` (HEAD follows) on `server`; prefix ends with '/' ("/", "/ui/").
  void mount(Server& server, const std::string& prefix) const;

  // Content type by file extension (application/octet-stream when unknown).
  static std::string_view content_type_for(std::string_view filename);
  // True for content-hashed file names that may be cached forever.
  static bool hashed_name(std::string_view filename);

 private:
  Response file_response(const Request& req, const std::filesystem::path& file, bool fallback) const;
  StaticOptions opt_;
  std::filesystem::path root_;  // canonical
};

}  // namespace sw::http
