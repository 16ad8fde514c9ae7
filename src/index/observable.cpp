#include "index/observable.h"

#include <array>

#include "index/internal/keys.h"
#include "pattern/ip.h"

namespace sw::index {
namespace {

constexpr std::array<std::string_view, kKindCount> kNames = {
    "ipv4", "ipv6", "domain", "url", "email", "md5", "sha1", "sha256", "sha512", "other"};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
// RFC 3986 §2.3.
bool is_unreserved(char c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
// Control characters, space and DEL never occur in a value we would match on.
bool is_space_or_control(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u == 0x7F;
}

bool normalise_ip(std::string_view value, bool v6, std::string& out) {
  pattern::IpNet net;
  if (!pattern::parse_ip_net(value, net) || net.v6 != v6) return false;
  internal::clear_host_bits(net);
  char buf[internal::kKeyTextMax];
  out.assign(buf, internal::format_ip(net, buf));
  return true;
}

// Appends the domain's canonical form to `out`.
bool append_domain(std::string_view value, std::string& out) {
  if (!value.empty() && value.back() == '.') value.remove_suffix(1);
  if (value.empty() || value.size() > 253) return false;
  size_t label = 0;
  for (char c : value) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
    } else if (is_alpha(c) || is_digit(c) || c == '-' || c == '_') {
      if (++label > 63) return false;
    } else {
      return false;
    }
    out += lower(c);
  }
  return label != 0;
}

bool is_domain(std::string_view value) {
  thread_local std::string scratch;
  scratch.clear();
  return append_domain(value, scratch);
}

bool normalise_hash(std::string_view value, size_t length, std::string& out) {
  if (value.size() != length) return false;
  for (char c : value) {
    if (hex_value(c) < 0) return false;
    out += lower(c);
  }
  return true;
}

bool normalise_email(std::string_view value, std::string& out) {
  const size_t at = value.rfind('@');
  if (at == std::string_view::npos || at == 0) return false;
  const std::string_view local = value.substr(0, at);
  const std::string_view host = value.substr(at + 1);
  for (char c : local) {
    if (is_space_or_control(c)) return false;
  }
  out.append(local);
  out += '@';
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    // An address literal: "[198.51.100.7]", "[IPv6:2001:db8::1]".
    for (char c : host) {
      if (is_space_or_control(c)) return false;
      out += lower(c);
    }
    return true;
  }
  if (!host.empty() && host.back() == '.') return false;
  return append_domain(host, out);
}

std::string_view default_port(std::string_view scheme) {
  if (scheme == "http") return "80";
  if (scheme == "https") return "443";
  if (scheme == "ftp") return "21";
  return {};
}

// Appends `part` with percent-encoding normalised: unreserved characters decoded, the hex digits
// of the rest upper-cased; a '%' not followed by two hex digits is kept as written.
void append_percent_normalised(std::string_view part, std::string& out) {
  for (size_t i = 0; i < part.size(); ++i) {
    const char c = part[i];
    if (c == '%' && i + 2 < part.size() && hex_value(part[i + 1]) >= 0 &&
        hex_value(part[i + 2]) >= 0) {
      const char decoded = static_cast<char>(hex_value(part[i + 1]) * 16 + hex_value(part[i + 2]));
      if (is_unreserved(decoded)) {
        out += decoded;
      } else {
        out += '%';
        out += upper(part[i + 1]);
        out += upper(part[i + 2]);
      }
      i += 2;
      continue;
    }
    out += c;
  }
}

bool normalise_url(std::string_view value, std::string& out) {
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
  size_t i = 0;
  if (value.empty() || !is_alpha(value[0])) return false;
  while (i < value.size() && (is_alpha(value[i]) || is_digit(value[i]) || value[i] == '+' ||
                              value[i] == '-' || value[i] == '.')) {
    ++i;
  }
  if (i == value.size() || value[i] != ':') return false;
  for (char c : value) {
    if (is_space_or_control(c)) return false;
  }
  for (size_t k = 0; k < i; ++k) out += lower(value[k]);
  const std::string_view default_port_text = default_port(out);
  out += ':';
  std::string_view rest = value.substr(i + 1);
  if (const size_t hash = rest.find('#'); hash != std::string_view::npos)
    rest = rest.substr(0, hash);
  if (rest.substr(0, 2) == "//") {
    rest.remove_prefix(2);
    const size_t end = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    out += "//";
    if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
      out.append(authority.substr(0, at + 1));  // userinfo, as written
      authority.remove_prefix(at + 1);
    }
    std::string_view host = authority;
    std::string_view port;
    const size_t close = authority.rfind(']');
    const size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos && (close == std::string_view::npos || colon > close)) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
      for (char c : port) {
        if (!is_digit(c)) return false;
      }
    }
    if (host.empty()) return false;
    for (char c : host) out += lower(c);
    // Leading zeros do not change the port.
    while (port.size() > 1 && port.front() == '0') port.remove_prefix(1);
    if (!port.empty() && port != default_port_text) {
      out += ':';
      out.append(port);
    }
    if (rest.empty() || rest.front() == '?') out += '/';
  }
  append_percent_normalised(rest, out);
  return true;
}

bool all_hex(std::string_view v) {
  for (char c : v) {
    if (hex_value(c) < 0) return false;
  }
  return true;
}

}  // namespace

std::string_view kind_name(Kind kind) {
  const auto i = static_cast<size_t>(kind);
  return i < kNames.size() ? kNames[i] : std::string_view("?");
}

std::optional<Kind> parse_kind(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Kind>(i);
  }
  return std::nullopt;
}

bool normalise_into(Kind kind, std::string_view value, std::string& out) {
  out.clear();
  switch (kind) {
    case Kind::kIpv4:
      return normalise_ip(value, false, out);
    case Kind::kIpv6:
      return normalise_ip(value, true, out);
    case Kind::kDomain:
      return append_domain(value, out);
    case Kind::kUrl:
      return normalise_url(value, out);
    case Kind::kEmail:
      return normalise_email(value, out);
    case Kind::kMd5:
      return normalise_hash(value, 32, out);
    case Kind::kSha1:
      return normalise_hash(value, 40, out);
    case Kind::kSha256:
      return normalise_hash(value, 64, out);
    case Kind::kSha512:
      return normalise_hash(value, 128, out);
    case Kind::kOther:
      out.assign(value);
      return true;
  }
  return false;
}

std::optional<std::string> normalise(Kind kind, std::string_view value) {
  std::string out;
  if (!normalise_into(kind, value, out)) return std::nullopt;
  return out;
}

std::optional<Kind> classify(std::string_view value) {
  if (value.empty()) return std::nullopt;
  pattern::IpNet net;
  if (pattern::parse_ip_net(value, net)) return net.v6 ? Kind::kIpv6 : Kind::kIpv4;
  thread_local std::string scratch;
  if (const size_t colon = value.find("://"); colon != std::string_view::npos && colon > 0) {
    scratch.clear();
    if (normalise_url(value, scratch)) return Kind::kUrl;
  }
  if (value.find('@') != std::string_view::npos) {
    scratch.clear();
    return normalise_email(value, scratch) ? std::optional<Kind>(Kind::kEmail) : std::nullopt;
  }
  if (all_hex(value)) {
    switch (value.size()) {
      case 32:
        return Kind::kMd5;
      case 40:
        return Kind::kSha1;
      case 64:
        return Kind::kSha256;
      case 128:
        return Kind::kSha512;
      default:
        break;
    }
  }
  // A domain has at least two labels, and its last label is not a number ("10.1.2" is not a name).
  std::string_view name = value;
  if (name.back() == '.') name.remove_suffix(1);
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot + 1 >= name.size()) return std::nullopt;
  bool numeric = true;
  for (char c : name.substr(dot + 1)) numeric = numeric && is_digit(c);
  if (numeric || !is_domain(value)) return std::nullopt;
  return Kind::kDomain;
}

}  // namespace sw::index
