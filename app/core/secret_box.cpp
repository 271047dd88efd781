#include "core/secret_box.hpp"

#include <cryptopp/aes.h>
#include <cryptopp/filters.h>
#include <cryptopp/gcm.h>

#include "core/security.hpp"

namespace inkwell::security {
namespace {

constexpr std::size_t kNonceBytes = 12;
constexpr int kTagBytes = 16;

// A key of its own for this use, never the secret key itself.
std::string box_key(std::string_view secret_key) {
  return hmac_sha256(secret_key, "inkwell secret box v1");
}

const CryptoPP::byte* bytes(std::string_view s) {
  return reinterpret_cast<const CryptoPP::byte*>(s.data());
}

}  // namespace

std::string seal(std::string_view secret_key, std::string_view associated,
                 std::string_view plaintext) {
  const std::string key = box_key(secret_key);
  const std::string nonce = random_bytes(kNonceBytes);
  CryptoPP::GCM<CryptoPP::AES>::Encryption enc;
  enc.SetKeyWithIV(bytes(key), key.size(), bytes(nonce), nonce.size());
  std::string sealed;
  CryptoPP::AuthenticatedEncryptionFilter filter(enc, new CryptoPP::StringSink(sealed), false,
                                                 kTagBytes);
  filter.ChannelPut(CryptoPP::AAD_CHANNEL, bytes(associated), associated.size());
  filter.ChannelMessageEnd(CryptoPP::AAD_CHANNEL);
  filter.ChannelPut(CryptoPP::DEFAULT_CHANNEL, bytes(plaintext), plaintext.size());
  filter.ChannelMessageEnd(CryptoPP::DEFAULT_CHANNEL);
  return base64url_encode(nonce + sealed);
}

std::optional<std::string> open(std::string_view secret_key, std::string_view associated,
                                std::string_view box) {
  auto raw = base64url_decode(box);
  if (!raw || raw->size() < kNonceBytes + kTagBytes) return std::nullopt;
  const std::string key = box_key(secret_key);
  std::string_view all(*raw);
  std::string_view nonce = all.substr(0, kNonceBytes);
  std::string_view cipher = all.substr(kNonceBytes, all.size() - kNonceBytes - kTagBytes);
  std::string_view tag = all.substr(all.size() - kTagBytes);
  try {
    CryptoPP::GCM<CryptoPP::AES>::Decryption dec;
    dec.SetKeyWithIV(bytes(key), key.size(), bytes(nonce), nonce.size());
    std::string plain;
    CryptoPP::AuthenticatedDecryptionFilter filter(
        dec, new CryptoPP::StringSink(plain),
        CryptoPP::AuthenticatedDecryptionFilter::MAC_AT_BEGIN |
            CryptoPP::AuthenticatedDecryptionFilter::THROW_EXCEPTION,
        kTagBytes);
    filter.ChannelPut(CryptoPP::DEFAULT_CHANNEL, bytes(tag), tag.size());
    filter.ChannelPut(CryptoPP::AAD_CHANNEL, bytes(associated), associated.size());
    filter.ChannelPut(CryptoPP::DEFAULT_CHANNEL, bytes(cipher), cipher.size());
    filter.ChannelMessageEnd(CryptoPP::AAD_CHANNEL);
    filter.ChannelMessageEnd(CryptoPP::DEFAULT_CHANNEL);
    return plain;
  } catch (const CryptoPP::Exception&) {
    return std::nullopt;
  }
}

}  // namespace inkwell::security
