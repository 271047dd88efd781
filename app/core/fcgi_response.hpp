// http::Response → the FastCGI records that carry it (FastCGI 1.0, §5.3 and
// §6.1): its bytes in FCGI_STDOUT records, the empty FCGI_STDOUT record that
// ends the stream, and FCGI_END_REQUEST. Only bytes, no socket, so it can be
// unit tested; the worker writes them with one write (core/fcgi.cpp).
#pragma once

#include <string>
#include <string_view>

namespace inkwell::core {

// The records of one answer to request request_id: head then body (the body
// may be empty, as for HEAD), split into records of at most 65,535 bytes,
// then the end of the stream and FCGI_END_REQUEST with application status 0
// and FCGI_REQUEST_COMPLETE.
std::string fastcgi_response_records(int request_id, std::string_view head, std::string_view body);

}  // namespace inkwell::core
