#include "http/message.h"

namespace sw::http {

namespace {
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

void Headers::set(std::string name, std::string value) {
  erase(name);
  add(std::move(name), std::move(value));
}

void Headers::erase(std::string_view name) {
  std::erase_if(fields_, [&](const Field& f) { return iequals(f.first, name); });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& f : fields_)
    if (iequals(f.first, name)) return std::string_view(f.second);
  return std::nullopt;
}

std::optional<std::string_view> Query::get(std::string_view key) const {
  for (const auto& i : items_)
    if (i.first == key) return std::string_view(i.second);
  return std::nullopt;
}

std::vector<std::string_view> Query::all(std::string_view key) const {
  std::vector<std::string_view> out;
  for (const auto& i : items_)
    if (i.first == key) out.emplace_back(i.second);
  return out;
}

std::string_view Params::get(std::string_view name) const {
  for (const auto& i : items_)
    if (i.first == name) return i.second;
  return {};
}

core::Result<std::string> percent_decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      int hi = i + 1 < in.size() ? hex_value(in[i + 1]) : -1;
      int lo = i + 2 < in.size() ? hex_value(in[i + 2]) : -1;
      if (hi < 0 || lo < 0)
        return core::Error::invalid("'%' not followed by two hex digits at offset " + std::to_string(i),
                                    "request target");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

core::Result<Query> parse_query(std::string_view raw) {
  Query q;
  while (!raw.empty()) {
    size_t amp = raw.find('&');
    std::string_view item = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view{} : raw.substr(amp + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    SW_ASSIGN(auto key, percent_decode(item.substr(0, eq), true));
    std::string value;
    if (eq != std::string_view::npos) {
      SW_ASSIGN(value, percent_decode(item.substr(eq + 1), true));
    }
    q.add(std::move(key), std::move(value));
  }
  return q;
}

Response sse_response(StreamProducer producer) {
  Response r;
  r.status = 200;
  r.content_type = "text/event-stream";
  r.headers.set("Cache-Control", "no-store");
  r.headers.set("X-Accel-Buffering", "no");  // reverse proxies: do not buffer the stream
  r.stream = std::move(producer);
  return r;
}

std::string sse_event(std::string_view data, std::string_view event, std::string_view id) {
  // Field values must not contain line breaks (they would start a new field).
  auto one_line = [](std::string_view v) {
    std::string s(v);
    for (auto& c : s)
      if (c == '\r' || c == '\n') c = ' ';
    return s;
  };
  std::string out;
  if (!event.empty()) out += "event: " + one_line(event) + "\n";
  if (!id.empty()) out += "id: " + one_line(id) + "\n";
  size_t start = 0;
  for (;;) {
    size_t nl = data.find('\n', start);
    std::string_view line = data.substr(start, nl == std::string_view::npos ? nl : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out += "data: ";
    out += line;
    out += "\n";
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  out += "\n";
  return out;
}

}  // namespace sw::http
