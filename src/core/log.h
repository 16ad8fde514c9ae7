// Logging: spdlog underneath; one call sets the format (human text on a terminal, JSON lines
// otherwise) and the level. Log through SW_LOG_* so call sites stay independent of spdlog.
#pragma once

#include <spdlog/spdlog.h>

namespace sw::core {

enum class LogFormat { kText, kJson };
void init_logging(LogFormat format, spdlog::level::level_enum level);

}  // namespace sw::core

#define SW_LOG_DEBUG(...) spdlog::debug(__VA_ARGS__)
#define SW_LOG_INFO(...) spdlog::info(__VA_ARGS__)
#define SW_LOG_WARN(...) spdlog::warn(__VA_ARGS__)
#define SW_LOG_ERROR(...) spdlog::error(__VA_ARGS__)
