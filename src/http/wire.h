// The Beast side of a request: turning a parsed request head into a Request and a Response into
// a Beast message. Shared by the server and the fuzz target (which parses bytes in memory).
#pragma once

#include <boost/beast/http.hpp>

#include "http/message.h"

namespace sw::http {

namespace bhttp = boost::beast::http;

// Method, target and header fields of `head` into `req`.
void fill_request(Request& req, const bhttp::request_header<>& head);

// The whole-body message for `res` (already finalized). For HEAD the Content-Length is that of
// the body a GET would get, and no body is sent.
bhttp::response<bhttp::string_body> to_message(Response&& res, bool head_request, unsigned version,
                                               bool keep_alive);

// The head of a chunked (streaming) response.
bhttp::response<bhttp::empty_body> to_stream_head(const Response& res, unsigned version, bool keep_alive);

}  // namespace sw::http
