// Result<T> and Error: how every fallible call in Shieldwall reports failure.
//
// A function that can fail returns Result<T> (or Status, i.e. Result<void>). An Error carries a
// stable code, a message a person can act on, and `where` — the place in untrusted input that
// caused it (file and JSON path, line and column, header name, config key). Exceptions never cross
// a module boundary; modules that call throwing libraries convert at their edge.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace sw::core {

enum class Code {
  kInvalidArgument,   // the caller's input is wrong (bad flag, bad id, bad JSON)
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,  // the system is not in a state that allows the call
  kPermissionDenied,
  kResourceExhausted,   // a limit was hit (object size, nesting depth, rate)
  kIo,                  // file system or network
  kStore,               // the database refused or failed
  kUnavailable,         // try again later
  kInternal,            // a bug in Shieldwall
};

const char* code_name(Code code);

struct Error {
  Code code = Code::kInternal;
  std::string message;
  std::string where;  // empty when the error is not tied to a place in some input

  // "where: message" (or just the message).
  std::string to_string() const;

  static Error invalid(std::string msg, std::string where = {}) {
    return {Code::kInvalidArgument, std::move(msg), std::move(where)};
  }
  static Error not_found(std::string msg, std::string where = {}) {
    return {Code::kNotFound, std::move(msg), std::move(where)};
  }
  static Error io(std::string msg, std::string where = {}) {
    return {Code::kIo, std::move(msg), std::move(where)};
  }
  static Error store(std::string msg, std::string where = {}) {
    return {Code::kStore, std::move(msg), std::move(where)};
  }
  static Error exhausted(std::string msg, std::string where = {}) {
    return {Code::kResourceExhausted, std::move(msg), std::move(where)};
  }
  static Error precondition(std::string msg, std::string where = {}) {
    return {Code::kFailedPrecondition, std::move(msg), std::move(where)};
  }
  static Error internal(std::string msg, std::string where = {}) {
    return {Code::kInternal, std::move(msg), std::move(where)};
  }
};

// Holds either a T or an Error. Check with ok()/operator bool before value().
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : err_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { assert(!ok_); return err_; }
  Error&& error() && { assert(!ok_); return std::move(err_); }

 private:
  Error err_;
  bool ok_ = true;
};

using Status = Result<void>;
inline Status ok_status() { return {}; }

}  // namespace sw::core

#define SW_CONCAT_INNER(a, b) a##b
#define SW_CONCAT(a, b) SW_CONCAT_INNER(a, b)

// SW_TRY(expr): evaluate a Result/Status; on error return the error from the enclosing function.
#define SW_TRY(expr)                                   \
  do {                                                 \
    auto&& sw_try_r_ = (expr);                         \
    if (!sw_try_r_.ok()) return std::move(sw_try_r_).error(); \
  } while (0)

// SW_ASSIGN(lhs, expr): `lhs = value of expr`, or return its error. lhs may declare (`auto x`).
#define SW_ASSIGN(lhs, expr) SW_ASSIGN_IMPL(SW_CONCAT(sw_assign_r_, __LINE__), lhs, expr)
#define SW_ASSIGN_IMPL(tmp, lhs, expr)              \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return std::move(tmp).error();     \
  lhs = std::move(tmp).value()
