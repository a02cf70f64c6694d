# kasaudit - non-recursive Makefile.  `make demo` and `make check` install
# missing Debian packages first (scripts/install-deps).

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DESTDIR	?=
B	?= build
CC	?= cc
CFLAGS	?= -O2 -g
PKG_CONFIG ?= pkg-config

VERSION	:= 0.1.0
PKGS	:= libpcap ldns libevent
TPKGS	:= cmocka
# QUIC=0 builds without libcrypto: everything but the QUIC Initial decoder.
QUIC	?= 1
ifeq ($(QUIC),1)
PKGS	+= libcrypto
QUIC_CFLAGS := -DKASAUDIT_QUIC
else
QUIC_OUT := src/quic.c tests/test_quic.c
endif

# Recursively expanded on purpose: pkg-config runs when a recipe needs the
# flags, which is after `deps` has installed what was missing.
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
T_CFLAGS   = $(shell $(PKG_CONFIG) --cflags $(TPKGS) 2>/dev/null)
T_LIBS     = $(shell $(PKG_CONFIG) --libs $(TPKGS) 2>/dev/null)

XCFLAGS	= -std=c11 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 \
	  -DKASAUDIT_VERSION='"$(VERSION)"' $(QUIC_CFLAGS) \
	  -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion \
	  -Isrc -I$(B) -MMD -MP

CLI_SRCS := $(wildcard src/cli*.c)
LIB_SRCS := $(filter-out $(CLI_SRCS) $(QUIC_OUT),$(wildcard src/*.c))
LIB_OBJS := $(LIB_SRCS:src/%.c=$(B)/%.o) $(B)/sigs_builtin.o
TESTS	 := $(patsubst tests/%.c,$(B)/%,$(filter-out $(QUIC_OUT),\
	    $(wildcard tests/test_*.c)))
TOOLS	 := $(patsubst tests/tools/%.c,$(B)/tools/%,$(wildcard tests/tools/*.c))

.PHONY: all check unit e2e corpus asan demo clean install deps pcaps
all: $(B)/kasaudit $(TOOLS)

deps:
	@$(PKG_CONFIG) --exists $(PKGS) $(TPKGS) 2>/dev/null || \
	    ./scripts/install-deps

$(B)/%.o: src/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

# The default signature set is compiled in (kasaudit read x.pcap needs no file).
BUILTIN_SIGS := signatures/kaspersky.sigs signatures/encrypted-dns.sigs
$(B)/sigs_builtin.c: $(BUILTIN_SIGS) scripts/embed-sigs
	@mkdir -p $(@D)
	./scripts/embed-sigs $(BUILTIN_SIGS) > $@.tmp && mv $@.tmp $@

$(B)/sigs_builtin.o: $(B)/sigs_builtin.c
	$(CC) $(XCFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/libkasaudit.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/kasaudit: $(CLI_SRCS:src/%.c=$(B)/%.o) $(B)/libkasaudit.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(B)/test_%.o: tests/test_%.c | deps
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(PKG_CFLAGS) $(T_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/test_%: $(B)/test_%.o $(B)/libkasaudit.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(T_LIBS)

$(B)/tools/%: tests/tools/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

unit: $(TESTS)
	@set -e; for t in $(TESTS); do \
	    echo "== $$t"; ./$$t; done

# The bundled captures are made by tests/tools/gen-pcaps; regenerate them
# and insist they are byte-identical to the committed ones.
pcaps: $(B)/tools/gen-pcaps
	@mkdir -p $(B)/pcaps
	$(B)/tools/gen-pcaps $(B)/pcaps
	@for f in $(B)/pcaps/*; do \
	    cmp -s $$f pcaps/$${f##*/} || { \
	    echo "pcaps/$${f##*/} differs from what gen-pcaps makes" >&2; \
	    exit 1; }; done

e2e: $(B)/kasaudit pcaps
	./tests/run-e2e $(B)/kasaudit

corpus: $(B)/kasaudit
	./tests/run-corpus $(B)/kasaudit

check: deps all unit e2e corpus
	@echo "make check: all tests passed"

asan:
	$(MAKE) B=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined \
	    -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" check

demo: deps $(B)/kasaudit
	./$(B)/kasaudit read pcaps/demo.pcap

install: $(B)/kasaudit
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(B)/kasaudit $(DESTDIR)$(BINDIR)/kasaudit
	install -m 644 kasaudit.1 $(DESTDIR)$(MANDIR)/man1/kasaudit.1

clean:
	rm -rf build build-asan

-include $(wildcard $(B)/*.d $(B)/tools/*.d)

# make bench: generated captures (outside the tree), timed against a bare
# libpcap loop; bench/README.md.  Not part of `make check`.
BENCH_DIR	?= /tmp/kasaudit-bench
BENCH_SCALE	?= 1
.PHONY: bench
bench: $(B)/kasaudit $(B)/bench/gen-bench $(B)/bench/floor
	BENCH_DIR='$(BENCH_DIR)' BENCH_SCALE='$(BENCH_SCALE)' \
	    ./bench/run $(B)

$(B)/bench/gen-bench: bench/gen-bench.c
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

$(B)/bench/floor: bench/floor.c | deps
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(shell $(PKG_CONFIG) --cflags libpcap) $(CFLAGS) \
	    $(LDFLAGS) -o $@ $< $(shell $(PKG_CONFIG) --libs libpcap)
