// Structured logs of the HTTP server: one JSON object per line, for the access log (one line per
// request) and application errors. Lines go to a LogSink; the default writes them to stderr
// through spdlog (its own logger, "shieldwall.http", whose pattern is the bare line, so each line
// is a complete JSON object even when the node's own logs are text).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace sw::http {

// Receives one complete JSON object (no trailing newline). Called from I/O threads: thread-safe.
using LogSink = std::function<void(std::string_view line)>;

LogSink default_log_sink();

// Builds one JSON log line: {"time":..., "level":..., "type":..., "msg":..., more fields}.
class LogLine {
 public:
  LogLine(std::string_view level, std::string_view type, std::string_view msg);
  LogLine& str(std::string_view key, std::string_view value);
  LogLine& num(std::string_view key, int64_t value);
  LogLine& real(std::string_view key, double value);
  std::string finish();  // the line; the builder is spent

 private:
  std::string out_;
};

}  // namespace sw::http
