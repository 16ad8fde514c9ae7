#include "http/wire.h"

namespace sw::http {

void fill_request(Request& req, const bhttp::request_header<>& head) {
  req.method = std::string(head.method_string());
  req.target = std::string(head.target());
  for (const auto& f : head) req.headers.add(std::string(f.name_string()), std::string(f.value()));
}

namespace {
template <class Message>
void set_common(Message& m, const Response& res, unsigned version, bool keep_alive) {
  m.version(version);
  m.result(static_cast<unsigned>(res.status));
  m.set(bhttp::field::server, "shieldwall");
  if (!res.content_type.empty()) m.set(bhttp::field::content_type, res.content_type);
  for (const auto& [k, v] : res.headers) m.insert(k, v);
  m.keep_alive(keep_alive);
}
}  // namespace

bhttp::response<bhttp::string_body> to_message(Response&& res, bool head_request, unsigned version,
                                               bool keep_alive) {
  bhttp::response<bhttp::string_body> m;
  set_common(m, res, version, keep_alive);
  const bool no_body = res.status == 204 || res.status == 304 || (res.status >= 100 && res.status < 200);
  if (head_request) {
    if (!no_body) m.content_length(res.body.size());
  } else if (!no_body) {
    m.body() = std::move(res.body);
    m.prepare_payload();
  }
  return m;
}

bhttp::response<bhttp::empty_body> to_stream_head(const Response& res, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::empty_body> m;
  set_common(m, res, version, keep_alive);
  m.chunked(true);
  return m;
}

}  // namespace sw::http
