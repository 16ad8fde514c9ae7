// TLS end to end, with a self-signed certificate made here with the OpenSSL API.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <filesystem>

#include "server_fixture.h"

namespace sw::http::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
namespace fs = std::filesystem;

// Writes a P-256 key and a self-signed certificate for 127.0.0.1 and localhost (valid for an hour).
bool make_certificate(const fs::path& cert, const fs::path& key) {
  EVP_PKEY* pkey = EVP_EC_gen("P-256");
  if (!pkey) return false;
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -60);
  X509_gmtime_adj(X509_getm_notAfter(x), 3600);
  X509_set_pubkey(x, pkey);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  X509_add_ext(x, san, -1);
  X509_EXTENSION_free(san);
  bool ok = X509_sign(x, pkey, EVP_sha256()) > 0;
  FILE* f = std::fopen(cert.c_str(), "w");
  ok = ok && f && PEM_write_X509(f, x);
  if (f) std::fclose(f);
  f = std::fopen(key.c_str(), "w");
  ok = ok && f && PEM_write_PrivateKey(f, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  if (f) std::fclose(f);
  X509_free(x);
  EVP_PKEY_free(pkey);
  return ok;
}

class HttpTls : public HttpServer {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sw-http-tls-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    cert_ = dir_ / "cert.pem";
    key_ = dir_ / "key.pem";
    ASSERT_TRUE(make_certificate(cert_, key_));
  }
  void TearDown() override {
    server_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  ServerOptions tls_options() {
    auto o = options();
    o.tls_cert_file = cert_.string();
    o.tls_key_file = key_.string();
    return o;
  }
  fs::path dir_, cert_, key_;
};

TEST_F(HttpTls, ServesOverTlsWithKeepAliveAndVerifiesAgainstTheCertificate) {
  auto o = tls_options();
  o.listen = "0.0.0.0:0";  // TLS may listen on every address
  start(o, [](Server& s) {
    s.route("GET", "/whoami", [](const Request& req) {
      return Response{200, "application/json", req.tls ? R"({"tls":true})" : R"({"tls":false})"};
    });
  });
  asio::io_context io;
  ssl::context ctx(ssl::context::tls_client);
  ctx.load_verify_file(cert_.string());
  ctx.set_verify_mode(ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> s(io, ctx);
  s.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
  beast::get_lowest_layer(s).connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  beast::error_code ec;
  s.handshake(ssl::stream_base::client, ec);
  ASSERT_FALSE(ec) << ec.message();
  const std::string version = SSL_get_version(s.native_handle());
  EXPECT_TRUE(version == "TLSv1.2" || version == "TLSv1.3") << version;
  beast::flat_buffer buf;
  for (const char* target : {"/whoami", "/healthz"}) {
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, target, 11};
    req.set(bhttp::field::host, "localhost");
    bhttp::write(s, req, ec);
    ASSERT_FALSE(ec) << ec.message();
    bhttp::response<bhttp::string_body> res;
    bhttp::read(s, buf, res, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(res.result_int(), 200u);
    if (std::string(target) == "/whoami") {
      EXPECT_EQ(res.body(), R"({"tls":true})");
    }
  }
}

TEST_F(HttpTls, OldProtocolsAndPlainHttpAreRefused) {
  start(tls_options());
  {
    // A client that offers only TLS 1.1 (its security level lowered so it would): no handshake.
    asio::io_context io;
    ssl::context ctx(ssl::context::tls_client);
    SSL_CTX_set_security_level(ctx.native_handle(), 0);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_VERSION);
    SSL_CTX_set_max_proto_version(ctx.native_handle(), TLS1_1_VERSION);
    ctx.set_verify_mode(ssl::verify_none);
    beast::ssl_stream<beast::tcp_stream> s(io, ctx);
    beast::get_lowest_layer(s).connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    beast::get_lowest_layer(s).expires_after(10s);
    beast::error_code ec;
    s.handshake(ssl::stream_base::client, ec);
    EXPECT_TRUE(ec) << "TLS 1.1 was accepted";
  }
  // Plain HTTP on the TLS port: closed, never answered in clear text, and the server serves on.
  Conn plain(port_);
  ASSERT_TRUE(plain.send(get("/healthz")));
  EXPECT_TRUE(plain.closed_by_server());
  Conn silent(port_);
  EXPECT_TRUE(silent.closed_by_server()) << "a client that never completes the handshake is closed";
}

TEST_F(HttpTls, UnreadableCertificateOrKeyIsAClearError) {
  auto o = tls_options();
  o.tls_cert_file = (dir_ / "missing.pem").string();
  Server a(o);
  auto r = a.start();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().where, "server.tls_cert");
  EXPECT_NE(r.error().message.find("missing.pem"), std::string::npos);

  auto o2 = tls_options();
  o2.tls_key_file = cert_.string();  // a certificate where the key should be
  Server b(o2);
  auto r2 = b.start();
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().where, "server.tls_key");

  auto o3 = tls_options();
  o3.tls_key_file.clear();
  Server c(o3);
  auto r3 = c.start();
  ASSERT_FALSE(r3.ok());
  EXPECT_EQ(r3.error().where, "server.tls_key");
}

}  // namespace
}  // namespace sw::http::test
