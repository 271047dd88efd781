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
# Handler code the CLI runs too: the account mails (users reset-password,
# users resend-confirmations) are the site's own.
CLI_SHARED := app/auth/account_mail.cpp
MAIL_SRC := $(sort $(wildcard app/mailer/*.cpp))
UNIT_SRC := $(sort $(wildcard tests/unit/*.cpp))
INTG_SRC := $(sort $(wildcard tests/integration/*.cpp))

obj = $(patsubst %.cpp,$(BUILD)/obj/%.o,$(1))
LIB      := $(BUILD)/libinkwell.a
HANDLERS := $(BUILD)/libhandlers.a
BINS     := $(BUILD)/inkwell-fcgi $(BUILD)/inkwell $(if $(MAIL_SRC),$(BUILD)/inkwell-mailer)
TESTS    := $(BUILD)/unit-tests $(BUILD)/integration-tests $(BUILD)/bench-bare-fcgi

.PHONY: all deps build bins run test test-faults test-package test-browser test-upgrade unit \
        integration bench bench-scale fuzz fuzzers install uninstall deb clean format \
        run-cluster test-cluster test-cluster-faults bench-cluster
all: build
build: $(BINS) $(TESTS)

deps:
	@scripts/install-deps.sh

$(BUILD)/obj/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -MF $(@:.o=.d) -MT $@ -c $< -o $@.$$$$ && mv $@.$$$$ $@

# Archives are written aside and renamed, so a parallel link never sees half of one.
$(LIB): $(call obj,$(LIB_SRC))
	@rm -f $@.$$$$ && ar rcs $@.$$$$ $^ && mv $@.$$$$ $@
$(HANDLERS): $(call obj,$(HAND_SRC))
	@rm -f $@.$$$$ && ar rcs $@.$$$$ $^ && mv $@.$$$$ $@

$(BUILD)/inkwell-fcgi: $(call obj,$(FCGI_SRC)) $(HANDLERS) $(LIB)
	$(CXX) $(LDFLAGS) -o $@.$$$$ $^ $(LDLIBS) && mv $@.$$$$ $@
$(BUILD)/inkwell: $(call obj,$(CLI_SRC) $(CLI_SHARED)) $(LIB)
	$(CXX) $(LDFLAGS) -o $@.$$$$ $^ $(LDLIBS) && mv $@.$$$$ $@
$(BUILD)/inkwell-mailer: $(call obj,$(MAIL_SRC)) $(LIB)
	$(CXX) $(LDFLAGS) -o $@.$$$$ $^ $(LDLIBS) && mv $@.$$$$ $@
$(BUILD)/unit-tests: $(call obj,$(UNIT_SRC) app/mailer/mime.cpp) $(HANDLERS) $(LIB)
	$(CXX) $(LDFLAGS) -o $@.$$$$ $^ $(LDLIBS) && mv $@.$$$$ $@
$(BUILD)/integration-tests: $(call obj,$(INTG_SRC)) $(LIB)
	$(CXX) $(LDFLAGS) -o $@.$$$$ $^ $(LDLIBS) && mv $@.$$$$ $@
$(BUILD)/bench-bare-fcgi: $(call obj,tests/bench/bare_fcgi.cpp)
	$(CXX) $(LDFLAGS) -o $@.$$$$ $^ $(LDLIBS) && mv $@.$$$$ $@

# The two commands of the README. Both install what is missing first.
run: deps
	@$(MAKE) --no-print-directory -j2 build
	@tests/stack/run-stack.sh dev

test: deps
	@$(MAKE) --no-print-directory -j2 build
	@tests/run-tests.sh

# The fault suite (tests/faults/run.py) against its own throwaway stack.
test-faults: deps
	@$(MAKE) --no-print-directory -j2 build
	@tests/faults/run.py

# The browser tests (tests/browser/run.py): headless Chromium through the
# flows of a throwaway stack, with axe-core from npm (tests/browser/package.json).
test-browser: deps
	@$(MAKE) --no-print-directory -j2 build
	@test -f tests/browser/node_modules/axe-core/axe.min.js || \
	  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
	@/usr/bin/python3 tests/browser/run.py

# Restarts and binary upgrades of the pool under wrk load: 0 failed requests.
test-upgrade: deps
	@$(MAKE) --no-print-directory -j2 build
	@tests/upgrade/run.py

bench: deps
	@$(MAKE) --no-print-directory -j2 build
	@scripts/bench.sh

# The same rows at ten times the data (a million posts).
bench-scale: deps
	@$(MAKE) --no-print-directory -j2 build
	@BENCH_SCALE=1 scripts/bench.sh

# ---- several app hosts on a MariaDB Galera cluster (README: Cluster) -------
# Three Galera nodes, two app hosts, nginx on 127.0.0.1:8084 (var/cluster).
run-cluster: deps
	@$(MAKE) --no-print-directory -j2 build
	@tests/stack/run-stack.sh cluster

# Every integration test through the cluster stack.
test-cluster: deps
	@$(MAKE) --no-print-directory -j2 build
	@INKWELL_TEST_STACK=cluster tests/run-tests.sh

# A Galera node killed and restarted, an app host's pool killed, under wrk load.
test-cluster-faults: deps
	@$(MAKE) --no-print-directory -j2 build
	@tests/faults/cluster.py

# The bench rows through the cluster against the single stack.
bench-cluster: deps
	@$(MAKE) --no-print-directory -j2 build
	@scripts/bench.sh --cluster

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

# ---- install / uninstall ----------------------------------------------------
# Every path honours PREFIX and DESTDIR. The units, the nginx site and the
# example settings are written for PREFIX=/usr/local and /etc; `install`
# copies them through sed, which puts the real directories in (PREFIX=/usr:
# units run /usr/bin/inkwell-fcgi, nginx serves /usr/share/inkwell/...).
# Without DESTDIR (a live install, as root) it also creates the inkwell user,
# /run/inkwell and, only if missing, /etc/inkwell/inkwell.env with a fresh
# random secret key; `uninstall` removes what `install` copied and leaves
# /etc/inkwell and the database alone.
BINDIR      ?= $(PREFIX)/bin
DATADIR     ?= $(PREFIX)/share/inkwell
SYSCONFDIR  ?= /etc
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
NGINXDIR    ?= $(SYSCONFDIR)/nginx
UNITS       := inkwell.service inkwell.socket inkwell-mailer.service inkwell-purge.service \
               inkwell-purge.timer
SUBST        = sed -e 's|/usr/local/bin|$(BINDIR)|g' -e 's|/usr/local/share/inkwell|$(DATADIR)|g' \
                   -e 's|/etc/inkwell|$(SYSCONFDIR)/inkwell|g' -e 's|/etc/nginx|$(NGINXDIR)|g'
ENV_FILE    := $(DESTDIR)$(SYSCONFDIR)/inkwell/inkwell.env

bins: $(BINS)

install: $(BINS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(UNITDIR) \
	  $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) \
	  $(DESTDIR)$(NGINXDIR)/sites-available $(DESTDIR)$(NGINXDIR)/snippets
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)/
	cp -R --no-preserve=ownership views sql $(DESTDIR)$(DATADIR)/
	$(SUBST) systemd/inkwell.env >$(DESTDIR)$(DATADIR)/inkwell.env.example
	for u in $(UNITS); do $(SUBST) systemd/$$u >$(DESTDIR)$(UNITDIR)/$$u; done
	install -m 644 systemd/inkwell.sysusers $(DESTDIR)$(SYSUSERSDIR)/inkwell.conf
	install -m 644 systemd/inkwell.tmpfiles $(DESTDIR)$(TMPFILESDIR)/inkwell.conf
	$(SUBST) nginx/inkwell.conf >$(DESTDIR)$(NGINXDIR)/sites-available/inkwell.conf
	$(SUBST) nginx/inkwell-site.conf >$(DESTDIR)$(NGINXDIR)/snippets/inkwell-site.conf
	$(SUBST) nginx/security-headers.conf >$(DESTDIR)$(NGINXDIR)/snippets/inkwell-security-headers.conf
	chmod 644 $(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS)) $(DESTDIR)$(NGINXDIR)/sites-available/inkwell.conf \
	  $(DESTDIR)$(NGINXDIR)/snippets/inkwell-*.conf $(DESTDIR)$(DATADIR)/inkwell.env.example
	@if [ -z "$(DESTDIR)" ]; then \
	  command -v systemd-sysusers >/dev/null && systemd-sysusers $(SYSUSERSDIR)/inkwell.conf; \
	  command -v systemd-tmpfiles >/dev/null && systemd-tmpfiles --create $(TMPFILESDIR)/inkwell.conf; \
	  if [ ! -e $(ENV_FILE) ]; then \
	    install -d -m 755 $(SYSCONFDIR)/inkwell && \
	    key=$$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n') && \
	    (umask 027 && sed "s/^INKWELL_SECRET_KEY=.*/INKWELL_SECRET_KEY=$$key/" \
	       $(DATADIR)/inkwell.env.example >$(ENV_FILE).new) && \
	    { chgrp inkwell $(ENV_FILE).new 2>/dev/null || true; } && \
	    mv $(ENV_FILE).new $(ENV_FILE) && echo "wrote $(ENV_FILE) (with a new secret key)"; \
	  fi; \
	fi

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(BINS)))
	rm -rf $(DESTDIR)$(DATADIR)
	rm -f $(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS))
	rm -f $(DESTDIR)$(SYSUSERSDIR)/inkwell.conf $(DESTDIR)$(TMPFILESDIR)/inkwell.conf
	rm -f $(DESTDIR)$(NGINXDIR)/sites-available/inkwell.conf \
	  $(DESTDIR)$(NGINXDIR)/snippets/inkwell-site.conf \
	  $(DESTDIR)$(NGINXDIR)/snippets/inkwell-security-headers.conf
	@echo "kept $(SYSCONFDIR)/inkwell (settings, passwords) and the database;" \
	  "remove $(NGINXDIR)/sites-enabled/inkwell.conf if you enabled the site"

# ---- Debian package -----------------------------------------------------------
# build/deb/inkwell_<version>_amd64.deb (and -dbgsym), lintian-checked.
# test-package installs it in a fresh Debian root and serves a page from it.
deb: deps
	@scripts/build-deb.sh $(BUILD)/deb

test-package: deb
	@tests/package/run.sh $(BUILD)/deb

format:
	clang-format -i $$(find app tests -name '*.cpp' -o -name '*.hpp')

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)
