// Tokens of the STIX patterning grammar (the OASIS ANTLR grammar, STIXPattern.g4, for 2.0 and
// 2.1): punctuation, upper-case keywords, identifiers, and constants with their contents checked
// and decoded. Whitespace is Unicode White_Space; /* … */ and // … comments are skipped as the
// OASIS grammar does.
//
// Internal to the pattern module. A Lexer reads one pattern and is not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "pattern/ast.h"

namespace sw::pattern {

enum class Tok : uint8_t {
  kEnd,
  kLBrack,
  kRBrack,
  kLParen,
  kRParen,
  kColon,
  kDot,
  kComma,
  kStar,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  // keywords
  kAnd,
  kOr,
  kNot,
  kFollowedBy,
  kLike,
  kMatches,
  kIsSubset,
  kIsSuperset,
  kIn,
  kExists,
  kStart,
  kStop,
  kWithin,
  kSeconds,
  kRepeats,
  kTimes,
  kTrue,
  kFalse,
  // identifiers and constants
  kIdent,      // [a-zA-Z_][a-zA-Z0-9_-]*
  kInt,        // [+-]?(0|[1-9][0-9]*)
  kFloat,      // [+-]?[0-9]*.[0-9]+
  kString,     // '…' with \' and \\ escapes
  kHex,        // h'…'
  kBinary,     // b'…'
  kTimestamp,  // t'…'
};

struct Token {
  Tok kind = Tok::kEnd;
  uint32_t offset = 0;  // byte offset of the first character
  uint32_t length = 0;  // bytes of source text
  bool hyphen = false;  // kIdent: contains '-'
  // kString: unescaped text; kHex, kBinary: decoded octets; kTimestamp: the text between quotes.
  std::string value;
};

// True for the upper-case keywords and true/false, which cannot be unquoted property names.
bool is_reserved_word(std::string_view word);

// "'AND'", "']'", "the end of the pattern", "the string 'abc…'" — for error messages.
std::string describe(std::string_view pattern, const Token& t);

// "column 17", or "line 2, column 5" when the pattern has several lines (1-based, code points).
std::string location(std::string_view pattern, size_t offset);

// An invalid-argument error at `offset`: where = location(pattern, offset).
core::Error error_at(std::string_view pattern, size_t offset, std::string message);

class Lexer {
 public:
  // `text` must be valid UTF-8 and outlive the lexer.
  Lexer(std::string_view text, StixVersion version) : text_(text), version_(version) {}

  // The next token (kEnd at the end, repeatedly). Errors name the column of the bad character.
  core::Result<Token> next();

 private:
  core::Status skip_space();
  core::Result<Token> quoted(Tok kind, size_t start, size_t open);
  core::Result<Token> number(size_t start);

  std::string_view text_;
  StixVersion version_;
  size_t pos_ = 0;
};

}  // namespace sw::pattern
