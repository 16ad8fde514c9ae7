// Fuzz target: arbitrary bytes as an HTTP request through the same path the server takes without
// its sockets — Beast's parser with the server's limits, the Dispatcher (target and query parsing,
// routing, 404/405/413/415, the handler, header checks) — and a JSON-body route parsed with
// core::parse_json. Invariants checked: nothing throws out, every response serialises, and no
// header value a handler echoed from the request can inject a header field.
#include <boost/asio/buffer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "core/json.h"
#include "http/dispatch.h"
#include "http/problem.h"
#include "http/wire.h"

namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
using namespace sw::http;

Dispatcher& dispatcher() {
  static Dispatcher* d = [] {
    auto* x = new Dispatcher;
    x->set_default_body_limit(4096);
    auto echo = [](Request& req) {
      Response r{200, "application/json", "{}"};
      r.body = "{\"n\":" + std::to_string(req.params.size() + req.query.size()) + "}";
      // Echo untrusted input into a header: finalize() must refuse CR/LF.
      if (auto to = req.query.get("to")) r.headers.set("Location", std::string(*to));
      if (auto h = req.header("X-Echo")) r.headers.set("X-Echo", std::string(*h));
      return r;
    };
    (void)x->router().add("GET", "/api/v1/objects/{id}", echo);
    (void)x->router().add("DELETE", "/api/v1/objects/{id}", echo);
    (void)x->router().add("GET", "/taxii2/{root}/collections/{id}/objects/", echo);
    (void)x->router().add("GET", "/ui/{path...}", echo);
    RouteOptions json;
    json.accepts = {"application/json", "application/taxii+json;version=2.1"};
    (void)x->router().add("POST", "/api/v1/objects/", [](Request& req) {
      auto v = sw::core::parse_json(req.body, "body");
      if (!v.ok()) return problem(Problem::kBadRequest, v.error().to_string(), req.path);
      return Response{201, "application/json", sw::core::canonical_json(*v)};
    }, json);
    return x;
  }();
  return *d;
}

void check(bhttp::response<bhttp::string_body>&& msg) {
  std::ostringstream os;
  os << msg;
  const std::string out = os.str();
  // Parse our own output back: it must be one well-formed response without injected fields.
  bhttp::response_parser<bhttp::string_body> p;
  p.eager(true);
  beast::error_code ec;
  p.put(boost::asio::buffer(out), ec);
  if (ec && ec != bhttp::error::need_more) std::abort();
  for (const auto& f : p.get())
    if (beast::iequals(f.name_string(), "Set-Cookie") || beast::iequals(f.name_string(), "X-Injected")) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Dispatcher& d = dispatcher();
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(boost::none);
  boost::asio::const_buffer in(data, size);
  beast::error_code ec;
  while (!parser.is_header_done()) {
    size_t n = parser.put(in, ec);
    in += n;
    if (ec || n == 0) break;
  }
  Request req;
  req.remote = "192.0.2.1";
  if (!parser.is_header_done()) {
    if (!ec || ec == bhttp::error::need_more) return 0;  // incomplete: the server would wait
    Response r = ec == bhttp::error::header_limit ? problem(Problem::kHeadersTooLarge, "too large")
                                                   : problem(Problem::kBadRequest, "malformed: " + ec.message());
    d.finalize(req, r, nullptr);
    check(to_message(std::move(r), false, 11, false));
    return 0;
  }
  const auto& head = parser.get();
  fill_request(req, head.base());
  const bool has_body = !parser.is_done();
  std::optional<uint64_t> length;
  if (auto l = parser.content_length()) length = *l;
  auto prepared = d.prepare(req, length, has_body);
  const bool head_request = head.method() == bhttp::verb::head;
  if (prepared.reject) {
    d.finalize(req, *prepared.reject, nullptr);
    check(to_message(std::move(*prepared.reject), head_request, head.version(), false));
    return 0;
  }
  if (has_body) {
    parser.body_limit(prepared.body_limit);
    parser.eager(true);
    while (!parser.is_done()) {
      size_t n = parser.put(in, ec);
      in += n;
      if (ec || n == 0) break;
    }
    if (!parser.is_done()) {
      if (ec == bhttp::error::need_more || !ec) parser.put_eof(ec);
      if (!parser.is_done()) return 0;
    }
  }
  req.body = std::move(parser.get().body());
  Response r = d.handle(req, *prepared.route);
  d.finalize(req, r, nullptr);
  check(to_message(std::move(r), head_request, parser.get().version(), parser.get().keep_alive()));
  return 0;
}
