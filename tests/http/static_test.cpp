// Static files: content types, caching, the SPA fallback, and no way out of the root.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "http/static_files.h"
#include "server_fixture.h"

namespace sw::http::test {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

class HttpStatic : public HttpServer {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("sw-http-static-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "www";
    write_file(root_ / "index.html", "<!doctype html><title>shieldwall</title>");
    write_file(root_ / "assets" / "index-4f3a9c1b.js", "console.log(1)");
    write_file(root_ / "favicon.svg", "<svg/>");
    write_file(root_ / ".env", "SECRET=1");
    write_file(base_ / "secret.txt", "TOP-SECRET");
    fs::create_symlink(base_ / "secret.txt", root_ / "link-out.txt");
    fs::create_directory_symlink(base_, root_ / "dir-out");
    StaticOptions so;
    so.root = root_;
    StaticFiles files(so);
    start(options(), [&](Server& s) { files.mount(s, "/"); });
  }
  void TearDown() override {
    server_.reset();
    std::error_code ec;
    fs::remove_all(base_, ec);
  }
  fs::path base_, root_;
};

TEST_F(HttpStatic, ServesFilesWithTypesCachingAndCsp) {
  Conn c(port_);
  auto index = c.exchange(get("/"));
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(index->header("content-security-policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(index->header("content-security-policy").find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(index->header("x-content-type-options"), "nosniff");
  EXPECT_EQ(index->header("cache-control"), "no-cache");

  auto js = c.exchange(get("/assets/index-4f3a9c1b.js"));
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->body, "console.log(1)");
  EXPECT_EQ(js->header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js->header("cache-control"), "public, max-age=31536000, immutable");

  auto svg = c.exchange(get("/favicon.svg"));
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->header("content-type"), "image/svg+xml");
  ASSERT_FALSE(svg->header("etag").empty());
  EXPECT_FALSE(svg->header("last-modified").empty());
  auto cached = c.exchange(get("/favicon.svg", "If-None-Match: " + svg->header("etag") + "\r\n"));
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->status, 304);
  EXPECT_TRUE(cached->body.empty());

  auto head = c.exchange("HEAD /favicon.svg HTTP/1.1\r\nHost: x\r\n\r\n", true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("content-length"), "6");

  // Single-page-app routes get index.html; missing files with an extension are 404.
  auto spa = c.exchange(get("/objects/indicator--1"));
  ASSERT_TRUE(spa);
  EXPECT_EQ(spa->status, 200);
  EXPECT_EQ(spa->body, index->body);
  auto missing = c.exchange(get("/assets/missing.js"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);

  auto post = c.exchange("POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
}

TEST_F(HttpStatic, NoPathLeavesTheRoot) {
  const std::vector<std::string> attempts = {
      "/../secret.txt",          "/%2e%2e/secret.txt",      "/%2E%2E%2Fsecret.txt",   "/..%2fsecret.txt",
      "/..%5csecret.txt",        "/%252e%252e/secret.txt",  "//secret.txt",           "/assets/../../secret.txt",
      "/.%2e/secret.txt",        "/%c0%ae%c0%ae/secret.txt", "/link-out.txt",         "/dir-out/secret.txt",
      "/dir-out/",               "/..;/secret.txt",         "/%00/../secret.txt",     "/assets/%2e%2e/%2e%2e/secret.txt",
      "/.env",                   "/%2e/secret.txt",         "/assets/..%2F..%2Fsecret.txt", "/x/..%c0%af../secret.txt",
      "/%2fsecret.txt",          "/" + (base_ / "secret.txt").string().substr(1),
  };
  for (const auto& path : attempts) {
    Conn c(port_);
    auto r = c.exchange(get(path));
    ASSERT_TRUE(r) << path;
    EXPECT_TRUE(r->status == 404 || r->status == 400) << path << " -> " << r->status;
    EXPECT_EQ(r->body.find("TOP-SECRET"), std::string::npos) << path;
    EXPECT_EQ(r->body.find("SECRET=1"), std::string::npos) << path;
  }
  // Raw backslashes and dot segments straight on the wire too.
  for (const std::string raw : {"GET /..\\secret.txt HTTP/1.1\r\nHost: x\r\n\r\n",
                                "GET /assets/../../../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n"}) {
    Conn c(port_);
    auto r = c.exchange(raw);
    ASSERT_TRUE(r) << raw;
    EXPECT_TRUE(r->status == 404 || r->status == 400) << raw;
    EXPECT_EQ(r->body.find("TOP-SECRET"), std::string::npos);
  }
  EXPECT_TRUE(has_event("path-traversal"));
  // And the server still serves.
  Conn c(port_);
  auto ok = c.exchange(get("/favicon.svg"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

}  // namespace
}  // namespace sw::http::test
