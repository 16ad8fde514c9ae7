// JSON string escaping for text that came from the network: unlike core::append_json_string it
// accepts any bytes (invalid UTF-8 becomes U+FFFD), so a hostile path cannot break a log line or
// a problem body.
#pragma once

#include <string>
#include <string_view>

namespace sw::http {

void append_json(std::string& out, std::string_view s);

}  // namespace sw::http
