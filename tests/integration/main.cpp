#define DOCTEST_CONFIG_IMPLEMENT
#include <curl/curl.h>
#include <doctest/doctest.h>

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  doctest::Context ctx(argc, argv);
  int rc = ctx.run();
  curl_global_cleanup();
  return rc;
}
