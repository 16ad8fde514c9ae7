#include "core/result.h"

namespace sw::core {

const char* code_name(Code code) {
  switch (code) {
    case Code::kInvalidArgument: return "invalid-argument";
    case Code::kNotFound: return "not-found";
    case Code::kAlreadyExists: return "already-exists";
    case Code::kFailedPrecondition: return "failed-precondition";
    case Code::kPermissionDenied: return "permission-denied";
    case Code::kResourceExhausted: return "resource-exhausted";
    case Code::kIo: return "io";
    case Code::kStore: return "store";
    case Code::kUnavailable: return "unavailable";
    case Code::kInternal: return "internal";
  }
  return "unknown";
}

std::string Error::to_string() const {
  if (where.empty()) return message;
  return where + ": " + message;
}

}  // namespace sw::core
