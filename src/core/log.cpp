#include "core/log.h"

#include <spdlog/sinks/stdout_sinks.h>

namespace sw::core {

void init_logging(LogFormat format, spdlog::level::level_enum level) {
  auto logger = spdlog::stderr_logger_mt("shieldwall");
  if (format == LogFormat::kJson) {
    logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%v"})",
                        spdlog::pattern_time_type::utc);
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  }
  logger->set_level(level);
  spdlog::set_default_logger(logger);
}

}  // namespace sw::core
