#include "http/router.h"

#include <algorithm>

namespace sw::http {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  // "/a/b/" -> "a", "b", ""; "/" -> ""
  std::vector<std::string_view> out;
  path.remove_prefix(1);
  for (;;) {
    size_t s = path.find('/');
    out.push_back(path.substr(0, s));
    if (s == std::string_view::npos) break;
    path.remove_prefix(s + 1);
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

struct MediaType {
  std::string_view type;
  std::vector<std::pair<std::string_view, std::string_view>> params;
};

MediaType parse_media_type(std::string_view s) {
  MediaType m;
  size_t semi = s.find(';');
  m.type = trim(s.substr(0, semi));
  while (semi != std::string_view::npos) {
    s.remove_prefix(semi + 1);
    semi = s.find(';');
    std::string_view p = s.substr(0, semi);
    size_t eq = p.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view v = trim(p.substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    m.params.emplace_back(trim(p.substr(0, eq)), v);
  }
  return m;
}

}  // namespace

core::Status Router::add(std::string method, std::string path_template, Handler handler,
                         RouteOptions options) {
  const std::string where = method + " " + path_template;
  if (path_template.empty() || path_template.front() != '/')
    return core::Error::invalid("route template must start with '/'", where);
  auto r = std::make_unique<Route>();
  for (std::string_view seg : split_path(path_template)) {
    Route::Segment s;
    if (!seg.empty() && seg.front() == '{') {
      if (seg.back() != '}' || seg.size() < 3)
        return core::Error::invalid("a parameter must be a whole segment: {name}", where);
      std::string_view name = seg.substr(1, seg.size() - 2);
      if (name.size() > 3 && name.substr(name.size() - 3) == "...") {
        s.rest = true;
        name.remove_suffix(3);
      }
      if (name.empty() || name.find_first_of("{}/") != std::string_view::npos)
        return core::Error::invalid("bad parameter name", where);
      s.param = true;
      s.text = name;
      for (const auto& prev : r->segments)
        if (prev.param && prev.text == s.text)
          return core::Error::invalid("parameter {" + s.text + "} appears twice", where);
    } else {
      if (seg.find_first_of("{}") != std::string_view::npos)
        return core::Error::invalid("a parameter must be a whole segment: {name}", where);
      s.text = seg;
    }
    if (!r->segments.empty() && r->segments.back().rest)
      return core::Error::invalid("{name...} must be the last segment", where);
    r->segments.push_back(std::move(s));
  }
  r->method = std::move(method);
  r->path_template = std::move(path_template);
  r->handler = std::move(handler);
  r->options = std::move(options);
  for (auto& existing : routes_) {
    if (existing->method == r->method && existing->path_template == r->path_template) {
      existing = std::move(r);
      return core::ok_status();
    }
  }
  routes_.push_back(std::move(r));
  return core::ok_status();
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match m;
  if (path.empty() || path.front() != '/') {
    m.kind = Match::kBadPath;
    m.error = "the request target must be a path starting with '/'";
    return m;
  }
  auto raw = split_path(path);
  std::vector<std::string> seg;
  seg.reserve(raw.size());
  for (auto s : raw) {
    auto d = percent_decode(s);
    if (!d.ok()) {
      m.kind = Match::kBadPath;
      m.error = d.error().message;
      return m;
    }
    seg.push_back(std::move(*d));
  }

  // Score of a match: per segment, literal beats parameter beats rest; compared lexicographically.
  auto try_route = [&](const Route& r, std::vector<int>* score) -> bool {
    const auto& t = r.segments;
    size_t i = 0;
    for (; i < t.size(); ++i) {
      if (t[i].rest) {
        score->push_back(0);
        return true;
      }
      if (i >= seg.size()) return false;
      if (t[i].param) {
        if (seg[i].empty()) return false;
        score->push_back(1);
      } else {
        if (t[i].text != seg[i]) return false;
        score->push_back(2);
      }
    }
    return i == seg.size();
  };

  const Route* best = nullptr;
  std::vector<int> best_score;
  const Route* best_get = nullptr;  // for HEAD
  std::vector<int> best_get_score;
  std::vector<std::string> allowed;
  for (const auto& r : routes_) {
    std::vector<int> score;
    if (!try_route(*r, &score)) continue;
    if (std::find(allowed.begin(), allowed.end(), r->method) == allowed.end()) allowed.push_back(r->method);
    if (r->method == method) {
      if (!best || score > best_score) best = r.get(), best_score = std::move(score);
    } else if (method == "HEAD" && r->method == "GET") {
      if (!best_get || score > best_get_score) best_get = r.get(), best_get_score = std::move(score);
    }
  }
  if (!best) best = best_get;
  if (!best) {
    if (allowed.empty()) return m;  // 404
    m.kind = Match::kMethodNotAllowed;
    if (std::find(allowed.begin(), allowed.end(), "GET") != allowed.end() &&
        std::find(allowed.begin(), allowed.end(), "HEAD") == allowed.end())
      allowed.push_back("HEAD");
    std::sort(allowed.begin(), allowed.end());
    for (const auto& a : allowed) m.allowed += (m.allowed.empty() ? "" : ", ") + a;
    return m;
  }
  m.kind = Match::kFound;
  m.route = best;
  const auto& t = best->segments;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].rest) {
      // The rest of the path, decoded segment by segment and joined again.
      std::string rest;
      for (size_t k = i; k < seg.size(); ++k) rest += (k == i ? "" : "/") + seg[k];
      m.params.add(t[i].text, std::move(rest));
      break;
    }
    if (t[i].param) m.params.add(t[i].text, seg[i]);
  }
  return m;
}

bool media_type_accepted(std::string_view content_type, const std::vector<std::string>& accepts) {
  if (accepts.empty()) return true;
  MediaType got = parse_media_type(content_type);
  for (const auto& a : accepts) {
    MediaType want = parse_media_type(a);
    if (!iequals(want.type, got.type)) continue;
    bool all = true;
    for (const auto& [k, v] : want.params) {
      bool found = false;
      for (const auto& [gk, gv] : got.params)
        if (iequals(gk, k) && gv == v) found = true;
      if (!found) all = false;
    }
    if (all) return true;
  }
  return false;
}

}  // namespace sw::http
