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
HAND_SRC := $(sort $(wildcard app/auth/*.cpp app/main/*.cpp app/api/*.cpp)) app/routes.cpp
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

.PHONY: all deps build run test test-faults unit integration bench install clean format
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

bench: deps
	@$(MAKE) --no-print-directory -j2 build
	@scripts/bench.sh

install: $(BINS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/inkwell
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	cp -r views sql $(DESTDIR)$(PREFIX)/share/inkwell/
	install -d $(DESTDIR)/etc/nginx/sites-available $(DESTDIR)/lib/systemd/system
	install -d $(DESTDIR)/etc/nginx/snippets
	install -m 644 nginx/inkwell.conf $(DESTDIR)/etc/nginx/sites-available/inkwell.conf
	install -m 644 nginx/inkwell-site.conf $(DESTDIR)/etc/nginx/snippets/inkwell-site.conf
	install -m 644 nginx/security-headers.conf $(DESTDIR)/etc/nginx/snippets/inkwell-security-headers.conf
	install -m 644 systemd/*.service $(DESTDIR)/lib/systemd/system/

format:
	clang-format -i $$(find app tests -name '*.cpp' -o -name '*.hpp')

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
