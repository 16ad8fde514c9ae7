#include "http/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>

#include "core/time.h"
#include "http/json_text.h"

namespace sw::http {

LogSink default_log_sink() {
  std::shared_ptr<spdlog::logger> logger = spdlog::get("shieldwall.http");
  if (!logger) {
    // stderr_sink_mt shares spdlog's console mutex with the node's own stderr logger, so lines of
    // the two never interleave.
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    sink->set_pattern("%v");
    logger = std::make_shared<spdlog::logger>("shieldwall.http", sink);
    logger->set_level(spdlog::level::info);
    try {
      spdlog::register_logger(logger);
    } catch (const spdlog::spdlog_ex&) {
      logger = spdlog::get("shieldwall.http");  // another thread registered it first
    }
  }
  return [logger](std::string_view line) { logger->info("{}", line); };
}

LogLine::LogLine(std::string_view level, std::string_view type, std::string_view msg) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  out_.reserve(256);
  out_ = "{\"time\":\"" + core::format_timestamp(core::from_micros(micros), 3) + "\"";
  str("level", level);
  str("type", type);
  str("msg", msg);
}

LogLine& LogLine::str(std::string_view key, std::string_view value) {
  out_ += ",";
  append_json(out_, key);
  out_ += ":";
  append_json(out_, value);
  return *this;
}

LogLine& LogLine::num(std::string_view key, int64_t value) {
  out_ += ",";
  append_json(out_, key);
  out_ += ":" + std::to_string(value);
  return *this;
}

LogLine& LogLine::real(std::string_view key, double value) {
  out_ += ",";
  append_json(out_, key);
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, 3);
  out_ += ":";
  out_.append(buf, r.ptr);
  return *this;
}

std::string LogLine::finish() {
  out_ += "}";
  return std::move(out_);
}

}  // namespace sw::http
