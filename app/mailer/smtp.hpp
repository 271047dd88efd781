// SmtpClient: hands one prebuilt RFC 5322 message to the configured SMTP
// server through libESMTP: STARTTLS (required) when INKWELL_MAIL_USE_TLS is
// on, AUTH when INKWELL_MAIL_USERNAME is set, INKWELL_MAIL_TIMEOUT on the
// connect (checked first, libESMTP has no connect timeout), the greeting and
// every later step. One SMTP session per message, so every outcome belongs
// to one message.
#pragma once

#include <memory>
#include <string>

#include "core/config.hpp"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace inkwell::mailer {

// What became of one message.
enum class Delivery {
  sent,     // the server accepted it (2xx)
  retry,    // not delivered, may succeed later (down, timeout, 4xx, TLS...)
  refused,  // the server refused it for good (a 5xx reply)
};

class SmtpClient {
 public:
  // Reads the mail_* settings. Throws std::invalid_argument when
  // mail_sender has no usable address (it is the envelope reverse path).
  explicit SmtpClient(const core::Config& config);
  ~SmtpClient();
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;

  // Sends `message` (headers included, CRLF line endings, as made by
  // build_message) to the one envelope recipient `to` (a bare address).
  // Delivery::sent once the server accepted it with a 2xx reply. Otherwise
  // a readable reason in `error` (cannot connect, TLS refused, a non-2xx
  // reply with its text...), and Delivery::refused when the reply was a 5xx.
  // Never throws on network or protocol failures.
  Delivery send(const std::string& to, const std::string& message, std::string& error);

  // "host:port", for logs.
  const std::string& server() const { return server_; }
  // True when AUTH may use mechanisms that send the password as it is
  // (PLAIN, LOGIN): only over TLS. Without TLS only CRAM-MD5 is offered.
  bool plaintext_auth_allowed() const { return use_tls_; }

 private:
  std::string server_;
  std::string host_;
  int port_;
  long timeout_ms_;
  bool use_tls_;
  std::string username_;
  std::string password_;
  std::string reverse_path_;
  struct TlsDeleter {
    void operator()(ssl_ctx_st* ctx) const;
  };
  std::unique_ptr<ssl_ctx_st, TlsDeleter> tls_;  // set when use_tls_
};

}  // namespace inkwell::mailer
