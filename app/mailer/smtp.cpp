#include "mailer/smtp.hpp"

// Include order matters: libesmtp.h declares smtp_auth_set_context only after
// auth-client.h, and smtp_starttls_set_ctx only after openssl/ssl.h.
// clang-format off
#include <auth-client.h>
#include <openssl/ssl.h>
#include <libesmtp.h>
// clang-format on

#include <cstdarg>
#include <memory>
#include <mutex>
#include <string_view>
#include <type_traits>

#include "mailer/connect_check.hpp"
#include "mailer/mime.hpp"

namespace inkwell::mailer {
namespace {

// RFC 5321's minimum timeouts are minutes; a mailer that retries anyway is
// better served by failing fast: INKWELL_MAIL_TIMEOUT for every step, but
// twice that after the final "." (the server may be scanning the message,
// and giving up there risks a duplicate if it accepts after all).
constexpr long kData2Factor = 2;

struct SessionDeleter {
  void operator()(std::remove_pointer_t<smtp_session_t>* s) const { smtp_destroy_session(s); }
};
using SessionPtr = std::unique_ptr<std::remove_pointer_t<smtp_session_t>, SessionDeleter>;

struct AuthDeleter {
  void operator()(std::remove_pointer_t<auth_context_t>* a) const { auth_destroy_context(a); }
};
using AuthPtr = std::unique_ptr<std::remove_pointer_t<auth_context_t>, AuthDeleter>;

// The TLS context for STARTTLS: TLS 1.2 or later, the system's trusted CAs.
// libESMTP checks the verification result and the host name itself after the
// handshake. Each session takes its own reference (smtp_starttls_set_ctx).
// Not libESMTP's default context: version 1.1 keeps one default context for
// the process but frees it with the first session that used it, so the
// second STARTTLS session of a process would use freed memory.
SSL_CTX* new_tls_context() {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (!ctx) return nullptr;
  if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
      SSL_CTX_set_default_verify_paths(ctx) != 1) {
    SSL_CTX_free(ctx);
    return nullptr;
  }
  return ctx;
}

// No TLS client key may ask for a password on a terminal: a daemon has none.
int no_tls_password(char*, int, int, void*) {
  return 0;
}

void init_library_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    auth_client_init();
    smtp_starttls_set_password_cb(no_tls_password, nullptr);
  });
}

struct Credentials {
  const std::string& username;
  const std::string& password;
};

// libESMTP's SASL plugins ask for the user name and password here.
int supply_credentials(auth_client_request_t request, char** result, int fields, void* arg) {
  const auto* c = static_cast<const Credentials*>(arg);
  for (int i = 0; i < fields; ++i) {
    if (request[i].flags & AUTH_USER) {
      result[i] = const_cast<char*>(c->username.c_str());
    } else if (request[i].flags & AUTH_PASS) {
      result[i] = const_cast<char*>(c->password.c_str());
    } else if (request[i].flags & AUTH_REALM) {
      result[i] = const_cast<char*>("");
    } else {
      return 0;
    }
  }
  return 1;
}

// Protocol events: the TLS ones explain why a session ended early. Every
// "int *ok" libESMTP passes starts at 0 (refuse) and is left that way: an
// untrusted or mismatched certificate ends the session.
void on_event(smtp_session_t, int event_no, void* arg, ...) {
  auto* error = static_cast<std::string*>(arg);
  va_list ap;
  va_start(ap, arg);
  switch (event_no) {
    case SMTP_EV_EXTNA_STARTTLS:
      *error = "the server does not offer STARTTLS (INKWELL_MAIL_USE_TLS is on)";
      break;
    case SMTP_EV_INVALID_PEER_CERTIFICATE: {
      long result = va_arg(ap, long);
      *error = "TLS: the server certificate is not trusted (X509 verify error " +
               std::to_string(result) + ")";
      break;
    }
    case SMTP_EV_NO_PEER_CERTIFICATE:
      *error = "TLS: the server sent no certificate";
      break;
    case SMTP_EV_WRONG_PEER_CERTIFICATE: {
      (void)va_arg(ap, int*);
      const char* name = va_arg(ap, const char*);
      *error = std::string("TLS: the server certificate is for '") + (name ? name : "") +
               "', not for the configured host";
      break;
    }
    case SMTP_EV_WEAK_CIPHER:
      *error = "TLS: the negotiated cipher is too weak";
      break;
    case SMTP_EV_UNUSABLE_CA_LIST:
      *error = "TLS: the trusted CA list cannot be used";
      break;
    case SMTP_EV_NO_CLIENT_CERTIFICATE:
    case SMTP_EV_UNUSABLE_CLIENT_CERTIFICATE:
      *error = "TLS: the client certificate cannot be used";
      break;
    default:
      break;
  }
  va_end(ap);
}

// Keeps the last line the server sent (never what we sent: that includes
// the AUTH exchange). It explains sessions that end without a message status,
// such as a refused AUTH.
void on_protocol(const char* buf, int len, int writing, void* arg) {
  if (writing != SMTP_CB_READING || len <= 0) return;
  std::string_view data(buf, static_cast<std::size_t>(len));
  while (!data.empty() && (data.back() == '\n' || data.back() == '\r')) data.remove_suffix(1);
  std::size_t nl = data.rfind('\n');
  if (nl != std::string_view::npos) data.remove_prefix(nl + 1);
  if (data.empty()) return;
  auto* last = static_cast<std::string*>(arg);
  last->assign(data.substr(0, 200));
  for (char& c : *last) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  }
}

std::string library_error() {
  char buf[256];
  const char* text = smtp_strerror(smtp_errno(), buf, sizeof buf);
  return text ? text : "unknown error";
}

bool is_2xx(const smtp_status_t* s) {
  return s && s->code >= 200 && s->code <= 299;
}

bool is_5xx(const smtp_status_t* s) {
  return s && s->code >= 500 && s->code <= 599;
}

// "550 mailbox unavailable" from a reply, without its trailing line break.
std::string describe(const smtp_status_t* s) {
  std::string text = s->text ? s->text : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return std::to_string(s->code) + (text.empty() ? "" : " " + text);
}

bool valid_envelope_address(const std::string& a) {
  if (a.empty()) return false;
  for (unsigned char c : a) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>') return false;
  }
  return true;
}

}  // namespace

SmtpClient::SmtpClient(const core::Config& config)
    : server_(config.mail_server + ":" + std::to_string(config.mail_port)),
      host_(config.mail_server),
      port_(config.mail_port),
      timeout_ms_(config.mail_timeout * 1000L),
      use_tls_(config.mail_use_tls),
      username_(config.mail_username),
      password_(config.mail_password),
      reverse_path_(envelope_address(config.mail_sender)) {
  init_library_once();
  if (use_tls_) tls_.reset(new_tls_context());
}

SmtpClient::~SmtpClient() = default;

void SmtpClient::TlsDeleter::operator()(ssl_ctx_st* ctx) const {
  SSL_CTX_free(ctx);
}

Delivery SmtpClient::send(const std::string& to, const std::string& message, std::string& error) {
  error.clear();
  if (!valid_envelope_address(to)) {
    error = "invalid recipient address";
    return Delivery::refused;
  }
  if (message.find('\0') != std::string::npos) {
    error = "message contains a NUL byte";
    return Delivery::refused;
  }
  // libESMTP's own connect waits as long as the kernel does (minutes for an
  // address that drops packets): first a connect bounded by the timeout.
  if (std::string why; !connect_within(host_, port_, static_cast<int>(timeout_ms_), why)) {
    error = "cannot connect to " + server_ + " within " + std::to_string(timeout_ms_ / 1000) +
            " s: " + why;
    return Delivery::retry;
  }

  // Declared before the session: the session refers to it, so it must be
  // destroyed after the session.
  AuthPtr auth;
  Credentials credentials{username_, password_};
  std::string event_error;
  std::string last_reply;

  SessionPtr session(smtp_create_session());
  if (!session) {
    error = "cannot create an SMTP session: " + library_error();
    return Delivery::retry;
  }
  smtp_session_t s = session.get();
  // Owned by the session: freed by smtp_destroy_session.
  smtp_message_t msg = smtp_add_message(s);
  if (!msg || !smtp_set_server(s, server_.c_str())) {
    error = "cannot set up the SMTP session: " + library_error();
    return Delivery::retry;
  }
  smtp_set_timeout(s, Timeout_GREETING | Timeout_OVERRIDE_RFC2822_MINIMUM, timeout_ms_);
  smtp_set_timeout(s, Timeout_ENVELOPE | Timeout_OVERRIDE_RFC2822_MINIMUM, timeout_ms_);
  smtp_set_timeout(s, Timeout_DATA | Timeout_OVERRIDE_RFC2822_MINIMUM, timeout_ms_);
  smtp_set_timeout(s, Timeout_TRANSFER | Timeout_OVERRIDE_RFC2822_MINIMUM, timeout_ms_);
  smtp_set_timeout(s, Timeout_DATA2 | Timeout_OVERRIDE_RFC2822_MINIMUM, timeout_ms_ * kData2Factor);
  smtp_set_eventcb(s, on_event, &event_error);
  smtp_set_monitorcb(s, on_protocol, &last_reply, 0);

  if (use_tls_) {
    if (!tls_) {
      error = "cannot set up TLS (OpenSSL context)";
      return Delivery::retry;
    }
    if (!smtp_starttls_set_ctx(s, tls_.get()) || !smtp_starttls_enable(s, Starttls_REQUIRED)) {
      error = "STARTTLS is not available in this libESMTP build";
      return Delivery::retry;
    }
  }
  if (!username_.empty()) {
    auth.reset(auth_create_context());
    if (!auth) {
      error = "cannot create an SMTP AUTH context";
      return Delivery::retry;
    }
    // PLAIN and LOGIN send the password as it is: only inside TLS.
    auth_set_mechanism_flags(auth.get(), use_tls_ ? AUTH_PLUGIN_PLAIN : 0, 0);
    auth_set_interact_cb(auth.get(), supply_credentials, &credentials);
    smtp_auth_set_context(s, auth.get());
  }

  smtp_set_reverse_path(msg, reverse_path_.c_str());
  smtp_recipient_t rcpt = smtp_add_recipient(msg, to.c_str());
  if (!rcpt) {
    error = "cannot add the recipient: " + library_error();
    return Delivery::retry;
  }
  // The message carries its own Date, From, To and Message-ID headers, so
  // libESMTP adds none (it only supplies required headers that are missing).
  smtp_set_message_str(msg, const_cast<char*>(message.c_str()));

  if (!smtp_start_session(s)) {
    error = "cannot deliver through " + server_ + ": " +
            (event_error.empty() ? library_error() : event_error);
    return Delivery::retry;
  }

  const smtp_status_t* transfer = smtp_message_transfer_status(msg);
  const smtp_status_t* rcpt_status = smtp_recipient_status(rcpt);
  if (is_2xx(transfer) && is_2xx(rcpt_status)) return Delivery::sent;

  const smtp_status_t* mail_status = smtp_reverse_path_status(msg);
  const bool refused = is_5xx(mail_status) || is_5xx(rcpt_status) || is_5xx(transfer);
  if (!event_error.empty()) {
    error = event_error;
  } else if (mail_status && mail_status->code != 0 && !is_2xx(mail_status)) {
    error = "sender refused: " + describe(mail_status);
  } else if (rcpt_status && rcpt_status->code != 0 && !is_2xx(rcpt_status)) {
    error = "recipient refused: " + describe(rcpt_status);
  } else if (transfer && transfer->code != 0) {
    error = "message refused: " + describe(transfer);
  } else {
    error = "the session with " + server_ +
            " ended before the message was accepted: " + library_error();
    if (!last_reply.empty()) error += " (last reply: " + last_reply + ")";
  }
  return refused && event_error.empty() ? Delivery::refused : Delivery::retry;
}

}  // namespace inkwell::mailer
