# Inkwell build: out of tree into build/. `make run`, `make test`, `make bench`.
BUILD    ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
CCACHE   := $(shell command -v ccache 2>/dev/null)
CXX      := $(CCACHE) g++
PKGS     := fcgi libcrypto++ libctemplate_nothreads libcmark libesmtp-1.0 libcurl openssl sqlite3 libqrencode
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CXXFLAGS ?= -O2 -g
CXXFLAGS += -std=c++20 -Wall -Wextra -Werror -MMD -MP -Iapp $(PKG_CFLAGS)
LDLIBS   := $(PKG_LIBS) -lmysqlcppconn
MAKEFLAGS += --no-builtin-rules

LIB_SRC  := $(sort $(wildcard app/core/*.cpp app/models/*.cpp))
HAND_SRC := $(sort $(wildcard app/auth/*.cpp app/main/*.cpp app/api/*.cpp app/ops/*.cpp)) app/routes.cpp
FCGI_SRC := app/main.cpp
CLI_SRC  := $(sort $(wildcard app/cli/*.cpp))
MAIL_SRC := $(sort $(wildcard app/mailer/*.cpp))
UNIT_SRC := $(sort $(wildcard tests/unit/*.cpp))
INTG_SRC := $(sort $(wildcard tests/integration/*.cpp))

obj = $(patsubst %.cpp,$(BUILD)/obj/%.o,$(1))
LIB      := $(BUILD)/libinkwell.a
HANDLERS := $(BUILD)/libhandlers.a
BINS     := $(BUILD)/inkwell-fcgi $(BUILD)/inkwell $(if $(MAIL_SRC),$(BUILD)/inkwell-mailer)
TESTS    := $(BUILD)/unit-tests $(BUILD)/integration-tests $(BUILD)/bench-bare-fcgi

.PHONY: all deps build run test test-faults test-upgrade unit integration bench fuzz fuzzers install clean format
all: build
build: $(BINS) $(TESTS)

deps:
	@scripts/install-deps.sh

$(BUILD)/obj/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -MF $(@:.o=.d) -MT $@ -c $< -o $@.$$$$ && mv $@.$$$$ $@

# Archives are written aside and renamed, so a parallel link never sees half of one.
$(LIB): $(call obj,$(LIB_SRC))
	@rm -f $@.$$$$ && ar rcs $@.$$$$ $^ && mv $@.$$$$ $@
$(HANDLERS): $(call obj,$(HAND_SRC))
	@rm -f $@.$$$$ && ar rcs $@.$$$$ $^ && mv $@.$$$$ $@

$(BUILD)/inkwell-fcgi: $(call obj,$(FCGI_SRC)) $(HANDLERS) $(LIB)
	$(CXX) -o $@.$$$$ $^ $(LDLIBS) && mv $@.$$$$ $@
$(BUILD)/inkwell: $(call obj,$(CLI_SRC)) $(LIB)
	$(CXX) -o $@.$$$$ $^ $(LDLIBS) && mv $@.$$$$ $@
$(BUILD)/inkwell-mailer: $(call obj,$(MAIL_SRC)) $(LIB)
	$(CXX) -o $@.$$$$ $^ $(LDLIBS) && mv $@.$$$$ $@
$(BUILD)/unit-tests: $(call obj,$(UNIT_SRC) app/mailer/mime.cpp) $(HANDLERS) $(LIB)
	$(CXX) -o $@.$$$$ $^ $(LDLIBS) && mv $@.$$$$ $@
$(BUILD)/integration-tests: $(call obj,$(INTG_SRC)) $(LIB)
	$(CXX) -o $@.$$$$ $^ $(LDLIBS) && mv $@.$$$$ $@
$(BUILD)/bench-bare-fcgi: $(call obj,tests/bench/bare_fcgi.cpp)
	$(CXX) -o $@.$$$$ $^ $(LDLIBS) && mv $@.$$$$ $@

# The two commands of the README. Both install what is missing first.
run: deps
	@$(MAKE) --no-print-directory -j2 build
	@tests/stack/run-dev.sh

test: deps
	@$(MAKE) --no-print-directory -j2 build
	@tests/run-tests.sh

# The fault suite (tests/faults/run.py) against its own throwaway stack.
test-faults: deps
	@$(MAKE) --no-print-directory -j2 build
	@tests/faults/run.py

# Restarts and binary upgrades of the pool under wrk load: 0 failed requests.
test-upgrade: deps
	@$(MAKE) --no-print-directory -j2 build
	@tests/upgrade/run.py

bench: deps
	@$(MAKE) --no-print-directory -j2 build
	@scripts/bench.sh

# ---- fuzzing: libFuzzer harnesses (tests/fuzz/) under ASan and UBSan --------
# Built with clang-16 into their own tree, never mixed with the g++ objects.
# The app code gets coverage instrumentation (fuzzer-no-link) so libFuzzer
# sees its branches; only the harnesses link libFuzzer's main.
FUZZ_BUILD    := $(BUILD)/fuzz
FUZZ_CXX      := $(CCACHE) clang++-16
FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CXXFLAGS := -std=c++20 -O1 -g -fno-omit-frame-pointer -Wall -Wextra -MMD -MP -Iapp \
                 $(PKG_CFLAGS) $(FUZZ_SAN)
FUZZ_SECONDS  ?= 60
FUZZ_APP_SRC  := $(LIB_SRC) app/api/json.cpp app/mailer/mime.cpp
FUZZ_SRC      := $(sort $(wildcard tests/fuzz/*.cpp))
FUZZERS       := $(patsubst tests/fuzz/%.cpp,$(FUZZ_BUILD)/bin/%,$(FUZZ_SRC))
FUZZ_MAIN_OBJ := $(patsubst %.cpp,$(FUZZ_BUILD)/obj/%.o,$(FUZZ_SRC))
FUZZ_LIB      := $(FUZZ_BUILD)/libinkwell-fuzz.a

$(FUZZ_BUILD)/obj/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer-no-link -MF $(@:.o=.d) -MT $@ -c $< -o $@.$$$$ \
	  && mv $@.$$$$ $@
$(FUZZ_LIB): $(patsubst %.cpp,$(FUZZ_BUILD)/obj/%.o,$(FUZZ_APP_SRC))
	@rm -f $@.$$$$ && ar rcs $@.$$$$ $^ && mv $@.$$$$ $@
$(FUZZ_BUILD)/bin/%: $(FUZZ_BUILD)/obj/tests/fuzz/%.o $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(FUZZ_SAN) -fsanitize=fuzzer -o $@.$$$$ $^ $(LDLIBS) && mv $@.$$$$ $@

fuzzers: $(FUZZERS)
# Kept after linking (make would delete them as intermediates) so a rebuild
# compiles only what changed.
.SECONDARY: $(FUZZ_MAIN_OBJ)

# Runs every harness FUZZ_SECONDS (default 60) on its seed corpus and fails if
# any of them crashes, leaks, hits undefined behaviour or times out.
fuzz: deps
	@$(MAKE) --no-print-directory -j2 fuzzers
	@tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(notdir $(FUZZERS))

install: $(BINS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/inkwell
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	cp -r views sql $(DESTDIR)$(PREFIX)/share/inkwell/
	install -d $(DESTDIR)/etc/nginx/sites-available $(DESTDIR)/lib/systemd/system
	install -d $(DESTDIR)/etc/nginx/snippets
	install -m 644 nginx/inkwell.conf $(DESTDIR)/etc/nginx/sites-available/inkwell.conf
	install -m 644 nginx/inkwell-site.conf $(DESTDIR)/etc/nginx/snippets/inkwell-site.conf
	install -m 644 nginx/security-headers.conf $(DESTDIR)/etc/nginx/snippets/inkwell-security-headers.conf
	install -m 644 systemd/*.service systemd/*.socket systemd/*.timer $(DESTDIR)/lib/systemd/system/

format:
	clang-format -i $$(find app tests -name '*.cpp' -o -name '*.hpp')

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)
