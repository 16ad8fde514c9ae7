#include "pattern/lexer.h"

#include <array>
#include <utility>

#include "pattern/text.h"

namespace sw::pattern {
namespace {

struct Keyword {
  std::string_view word;
  Tok tok;
};

constexpr std::array<Keyword, 18> kKeywords{{
    {"AND", Tok::kAnd},
    {"OR", Tok::kOr},
    {"NOT", Tok::kNot},
    {"FOLLOWEDBY", Tok::kFollowedBy},
    {"LIKE", Tok::kLike},
    {"MATCHES", Tok::kMatches},
    {"ISSUBSET", Tok::kIsSubset},
    {"ISSUPERSET", Tok::kIsSuperset},
    {"IN", Tok::kIn},
    {"EXISTS", Tok::kExists},
    {"START", Tok::kStart},
    {"STOP", Tok::kStop},
    {"WITHIN", Tok::kWithin},
    {"SECONDS", Tok::kSeconds},
    {"REPEATS", Tok::kRepeats},
    {"TIMES", Tok::kTimes},
    {"true", Tok::kTrue},
    {"false", Tok::kFalse},
}};

bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9') || c == '-'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool is_reserved_word(std::string_view word) {
  for (const Keyword& k : kKeywords) {
    if (k.word == word) return true;
  }
  return false;
}

std::string location(std::string_view pattern, size_t offset) {
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < offset && i < pattern.size(); ++i) {
    if (pattern[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  const size_t column =
      text::code_points_before(pattern.substr(line_start), offset - std::min(offset, line_start)) +
      1;
  if (line == 1) return "column " + std::to_string(column);
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

core::Error error_at(std::string_view pattern, size_t offset, std::string message) {
  return core::Error::invalid(std::move(message), location(pattern, offset));
}

std::string describe(std::string_view pattern, const Token& t) {
  if (t.kind == Tok::kEnd) return "the end of the pattern";
  return "'" + text::excerpt(pattern.substr(t.offset, t.length), 40) + "'";
}

core::Status Lexer::skip_space() {
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
      const size_t end = text_.find("*/", pos_ + 2);
      if (end == std::string_view::npos) {
        return error_at(text_, pos_, "unterminated comment: '/*' without '*/'");
      }
      pos_ = end + 2;
      continue;
    }
    if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
      while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '\r') ++pos_;
      continue;
    }
    size_t i = pos_;
    char32_t cp;
    if (!text::next_code_point(text_, i, cp) || !text::is_whitespace(cp)) break;
    pos_ = i;
  }
  return core::ok_status();
}

core::Result<Token> Lexer::next() {
  SW_TRY(skip_space());
  Token t;
  t.offset = static_cast<uint32_t>(pos_);
  if (pos_ >= text_.size()) {
    t.kind = Tok::kEnd;
    return t;
  }
  const size_t start = pos_;
  const char c = text_[pos_];
  const auto single = [&](Tok k, size_t len) {
    t.kind = k;
    t.length = static_cast<uint32_t>(len);
    pos_ += len;
    return t;
  };
  const char n1 = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
  switch (c) {
    case '[':
      return single(Tok::kLBrack, 1);
    case ']':
      return single(Tok::kRBrack, 1);
    case '(':
      return single(Tok::kLParen, 1);
    case ')':
      return single(Tok::kRParen, 1);
    case ':':
      return single(Tok::kColon, 1);
    case ',':
      return single(Tok::kComma, 1);
    case '*':
      return single(Tok::kStar, 1);
    case '=':
      return single(Tok::kEq, n1 == '=' ? 2 : 1);  // '==' is the grammar's alias
    case '!':
      if (n1 == '=') return single(Tok::kNe, 2);
      return error_at(text_, pos_, "unexpected '!': did you mean '!='?");
    case '<':
      if (n1 == '=') return single(Tok::kLe, 2);
      if (n1 == '>') return single(Tok::kNe, 2);  // '<>' is the grammar's alias for '!='
      return single(Tok::kLt, 1);
    case '>':
      if (n1 == '=') return single(Tok::kGe, 2);
      return single(Tok::kGt, 1);
    case '\'':
      return quoted(Tok::kString, start, start);
    default:
      break;
  }
  if (c == '.') {
    if (digit(n1)) return number(start);
    return single(Tok::kDot, 1);
  }
  if (digit(c) || ((c == '+' || c == '-') && (digit(n1) || n1 == '.'))) return number(start);
  if (ident_start(c)) {
    // Typed constants: h'…', b'…', t'…'.
    if (n1 == '\'' && (c == 'h' || c == 'b' || c == 't')) {
      return quoted(c == 'h'   ? Tok::kHex
                    : c == 'b' ? Tok::kBinary
                               : Tok::kTimestamp,
                    start, start + 1);
    }
    size_t i = pos_;
    bool hyphen = false;
    while (i < text_.size() && ident_char(text_[i])) {
      hyphen |= text_[i] == '-';
      ++i;
    }
    const std::string_view word = text_.substr(pos_, i - pos_);
    t.length = static_cast<uint32_t>(i - pos_);
    pos_ = i;
    t.kind = Tok::kIdent;
    t.hyphen = hyphen;
    for (const Keyword& k : kKeywords) {
      if (k.word == word) {
        t.kind = k.tok;
        break;
      }
    }
    // EXISTS is STIX 2.1; in 2.0 it is an ordinary word (and the parser says why it fails).
    if (t.kind == Tok::kExists && version_ == StixVersion::k20) t.kind = Tok::kIdent;
    if (t.kind == Tok::kIdent) t.value.assign(word);
    return t;
  }
  size_t i = pos_;
  char32_t cp;
  text::next_code_point(text_, i, cp);
  if (c == '"') {
    return error_at(text_, pos_,
                    "unexpected '\"': strings and quoted property names use apostrophes ('…')");
  }
  if (c == '/')
    return error_at(text_, pos_, "unexpected '/': a regular expression is a string '…'");
  return error_at(text_, pos_,
                  "unexpected character '" + std::string(text_.substr(pos_, i - pos_)) + "'");
}

core::Result<Token> Lexer::quoted(Tok kind, size_t start, size_t open) {
  Token t;
  t.kind = kind;
  t.offset = static_cast<uint32_t>(start);
  size_t i = open + 1;
  std::string raw;  // the text between the quotes, escapes resolved
  bool closed = false;
  while (i < text_.size()) {
    const char c = text_[i];
    if (c == '\'') {
      closed = true;
      ++i;
      break;
    }
    if (c == '\\') {
      if (kind != Tok::kString) {
        return error_at(text_, i,
                        "a backslash is not allowed inside " +
                            std::string(kind == Tok::kHex      ? "h'…'"
                                        : kind == Tok::kBinary ? "b'…'"
                                                               : "t'…'") +
                            " constants");
      }
      const char e = i + 1 < text_.size() ? text_[i + 1] : '\0';
      if (e != '\'' && e != '\\') {
        size_t k = i + 1;
        char32_t cp = 0;
        std::string shown = k < text_.size() && text::next_code_point(text_, k, cp)
                                ? std::string(text_.substr(i, k - i))
                                : std::string("\\");
        return error_at(text_, i,
                        "invalid escape '" + shown +
                            "' in a string: only \\' and \\\\ are escapes (write \\\\ for a "
                            "backslash, e.g. '\\\\d' in a regular expression)");
      }
      raw.push_back(e);
      i += 2;
      continue;
    }
    raw.push_back(c);
    ++i;
  }
  if (!closed) {
    return error_at(text_, start,
                    "unterminated string constant: the quote opened here is never closed");
  }
  t.length = static_cast<uint32_t>(i - start);
  pos_ = i;
  switch (kind) {
    case Tok::kString:
      t.value = std::move(raw);
      break;
    case Tok::kHex:
      if (!text::decode_hex(raw, t.value)) {
        return error_at(text_, start,
                        "invalid hex constant h'" + text::excerpt(raw) +
                            "': expected an even number of hexadecimal digits");
      }
      break;
    case Tok::kBinary:
      if (raw.empty() || !text::decode_base64(raw, t.value, /*skip_line_feeds=*/true)) {
        return error_at(text_, start,
                        "invalid binary constant b'" + text::excerpt(raw) +
                            "': expected base64 (RFC 4648, with '=' padding)");
      }
      break;
    case Tok::kTimestamp:
      t.value = std::move(raw);
      break;
    default:
      break;
  }
  return t;
}

core::Result<Token> Lexer::number(size_t start) {
  size_t i = start;
  if (text_[i] == '+' || text_[i] == '-') ++i;
  const size_t int_start = i;
  while (i < text_.size() && digit(text_[i])) ++i;
  const size_t int_digits = i - int_start;
  Token t;
  t.offset = static_cast<uint32_t>(start);
  if (i < text_.size() && text_[i] == '.' && i + 1 < text_.size() && digit(text_[i + 1])) {
    ++i;
    while (i < text_.size() && digit(text_[i])) ++i;
    t.kind = Tok::kFloat;
  } else {
    t.kind = Tok::kInt;
    if (int_digits > 1 && text_[int_start] == '0') {
      return error_at(text_, start,
                      "invalid integer '" + std::string(text_.substr(start, i - start)) +
                          "': integers have no leading zeros");
    }
  }
  if (i < text_.size() && (ident_start(text_[i]) || text_[i] == '.')) {
    size_t k = i;
    while (k < text_.size() && (ident_char(text_[k]) || text_[k] == '.')) ++k;
    return error_at(text_, start,
                    "invalid number '" + text::excerpt(text_.substr(start, k - start)) + "'");
  }
  t.length = static_cast<uint32_t>(i - start);
  t.value.assign(text_.substr(start, i - start));
  pos_ = i;
  return t;
}

}  // namespace sw::pattern
