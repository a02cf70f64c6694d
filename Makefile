# kasaudit - non-recursive Makefile.  `make demo` and `make check` install
# missing Debian packages first (scripts/install-deps); building alone
# (`make`, `make install`, `make deb`) never installs anything: it stops
# and names what is missing.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DATADIR	?= $(PREFIX)/share/kasaudit
DOCDIR	?= $(PREFIX)/share/doc/kasaudit
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# systemd reads units from /usr/local/lib/systemd/system too; the .deb
# uses /lib/systemd/system (debian/rules).
UNITDIR	?= $(PREFIX)/lib/systemd/system
DESTDIR	?=
# install -s strips; debian/rules empties it so that dh_strip keeps the
# symbols in a -dbgsym package.
INSTALL_STRIP ?= -s
B	?= build
CC	?= cc
CFLAGS	?= -O2 -g
PKG_CONFIG ?= pkg-config

VERSION	:= 0.1.0
PKGS	:= libpcap ldns libevent jansson
# dnstap: libfstrm for Frame Streams control frames, libprotobuf-c for the
# protobuf (src/input/dnstap.proto, compiled by protoc-c into $(B)).
PKGS	+= libfstrm libprotobuf-c
# Compressed captures and logs (.gz .xz .zst .bz2, told by their magic,
# src/input/zread.c): zlib, liblzma, libzstd; libbz2 ships no .pc file in
# Debian 12, so it is linked by name (BZ_LIBS) and checked by its header.
PKGS	+= zlib liblzma libzstd
BZ_LIBS	:= -lbz2
PROTOC_C ?= protoc-c
TPKGS	:= cmocka
# QUIC=0 builds without libcrypto: everything but the QUIC Initial decoder.
QUIC	?= 1
ifeq ($(QUIC),1)
PKGS	+= libcrypto
QUIC_CFLAGS := -DKASAUDIT_QUIC
else
QUIC_OUT := src/proto/quic.c tests/test_quic.c tests/tools/gen-gquic.c
endif

# Recursively expanded on purpose: pkg-config runs when a recipe needs the
# flags, which is after `deps` has checked that nothing is missing.
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) $(BZ_LIBS)
T_CFLAGS   = $(shell $(PKG_CONFIG) --cflags $(TPKGS) 2>/dev/null)
T_LIBS     = $(shell $(PKG_CONFIG) --libs $(TPKGS) 2>/dev/null)

# Every stage folder is on the include path: #include "dns.h" names no
# folder (doc/design.md).
SRC_INC	:= $(addprefix -I,$(sort $(dir $(wildcard src/*/*.h src/*/*.c))))

XCFLAGS	= $(CPPFLAGS) -std=c11 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 \
	  -DKASAUDIT_VERSION='"$(VERSION)"' $(QUIC_CFLAGS) \
	  -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion \
	  $(SRC_INC) -I$(B) -MMD -MP

CLI_SRCS := src/cmd/main.c
LIB_SRCS := $(filter-out $(CLI_SRCS) $(QUIC_OUT),$(wildcard src/*/*.c))
LIB_OBJS := $(LIB_SRCS:src/%.c=$(B)/%.o) $(B)/sigs_builtin.o \
	    $(B)/dnstap.pb-c.o
TESTS	 := $(patsubst tests/%.c,$(B)/%,$(filter-out $(QUIC_OUT),\
	    $(wildcard tests/test_*.c)))
TOOLS	 := $(patsubst tests/tools/%.c,$(B)/tools/%,$(filter-out $(QUIC_OUT),\
	    $(wildcard tests/tools/*.c)))

.PHONY: all check unit e2e corpus asan demo clean install uninstall deps \
	tdeps pcaps deb logs
all: $(B)/kasaudit $(B)/kasaudit.bash $(TOOLS)

# Checks, never installs: a missing library stops the build with its
# Debian package's name and the command that installs it.
deps:
	@$(PKG_CONFIG) --exists $(PKGS) 2>/dev/null || { \
	    m=; for p in $(PKGS); do \
	    $(PKG_CONFIG) --exists $$p 2>/dev/null && continue; \
	    case $$p in libpcap) d=libpcap-dev;; ldns) d=libldns-dev;; \
	    libevent) d=libevent-dev;; jansson) d=libjansson-dev;; \
	    libcrypto) d=libssl-dev;; cmocka) d=libcmocka-dev;; \
	    libfstrm) d=libfstrm-dev;; libprotobuf-c) d=libprotobuf-c-dev;; \
	    zlib) d=zlib1g-dev;; liblzma) d=liblzma-dev;; \
	    libzstd) d=libzstd-dev;; \
	    *) d=$$p;; esac; m="$$m $$d"; done; \
	    echo "make: missing libraries; Debian packages:$$m" >&2; \
	    echo "make: install them with scripts/install-deps" \
	    "(or apt-get install$$m), or run make demo / make check," \
	    "which install them" >&2; exit 1; }
	@echo '#include <bzlib.h>' | $(CC) -E -x c - >/dev/null 2>&1 || { \
	    echo "make: missing bzlib.h; Debian package: libbz2-dev" \
	    "(scripts/install-deps installs it)" >&2; exit 1; }
	@command -v $(PROTOC_C) >/dev/null 2>&1 || { \
	    echo "make: missing $(PROTOC_C); Debian package:" \
	    "protobuf-c-compiler (scripts/install-deps installs it)" >&2; \
	    exit 1; }

# cmocka: the unit tests only (a package build needs no test library).
tdeps:
	@$(PKG_CONFIG) --exists $(TPKGS) 2>/dev/null || { \
	    echo "make: missing cmocka; Debian package: libcmocka-dev" \
	    "(scripts/install-deps or make check installs it)" >&2; exit 1; }

$(B)/%.o: src/%.c | deps
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

# The default signature set is compiled in (kasaudit read x.pcap needs no file).
# successor.sigs: UltraAV, the product Kaspersky moved U.S. users to.
BUILTIN_SIGS := signatures/kaspersky.sigs signatures/encrypted-dns.sigs \
    signatures/successor.sigs
$(B)/sigs_builtin.c: $(BUILTIN_SIGS) scripts/embed-sigs
	@mkdir -p $(@D)
	./scripts/embed-sigs $(BUILTIN_SIGS) > $@.tmp && mv $@.tmp $@

$(B)/sigs_builtin.o: $(B)/sigs_builtin.c
	$(CC) $(XCFLAGS) $(CFLAGS) -c -o $@ $<

# The dnstap schema's C code is generated at build time, never committed.
$(B)/dnstap.pb-c.c: src/input/dnstap.proto | deps
	@mkdir -p $(@D)
	$(PROTOC_C) --c_out=$(B) --proto_path=src/input $<
$(B)/dnstap.pb-c.h: $(B)/dnstap.pb-c.c
$(B)/input/dnstap.o $(B)/test_dnstap.o: $(B)/dnstap.pb-c.h

# Generated: built without the warnings our own code is held to.
$(B)/dnstap.pb-c.o: $(B)/dnstap.pb-c.c
	$(CC) -I$(B) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/libkasaudit.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

# kasaudit links none of PKGS' libraries: each is opened at the first call
# of one of its functions (src/base/lazy_libs.c), so that start-up does
# not load and relocate them (an empty capture: 12 ms and 400 page faults
# before, most of it the loader).  The tests link them as usual.
LAZY_LIBS := -ldl
$(B)/kasaudit: $(CLI_SRCS:src/%.c=$(B)/%.o) $(B)/libkasaudit.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LAZY_LIBS)

$(B)/test_%.o: tests/test_%.c | deps tdeps
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(PKG_CFLAGS) $(T_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/test_%: $(B)/test_%.o $(B)/libkasaudit.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(T_LIBS)

# Made by a chain of pattern rules, the test objects would be intermediate
# and deleted after each link, so every make check compiled them again.
.SECONDARY: $(TESTS:%=%.o)

$(B)/tools/%: tests/tools/%.c tests/tools/pcapw.h | deps
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

# Writes dnstap with the field's own libraries, as resolvers do.
$(B)/tools/gen-dnstap: tests/tools/gen-dnstap.c $(B)/dnstap.pb-c.o | deps
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< \
	    $(B)/dnstap.pb-c.o $(PKG_LIBS)

# Seals Q050 Initials with libcrypto's own HKDF, not kasaudit's code.
$(B)/tools/gen-gquic: tests/tools/gen-gquic.c tests/tools/pcapw.h | deps
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< \
	    $$($(PKG_CONFIG) --cflags --libs libcrypto)

unit: $(TESTS)
	@$(RESULTS) unit ./tests/run-unit $(TESTS)

# The bundled captures are made by tests/tools/gen-pcaps; regenerate them
# and insist they are byte-identical to the committed ones.
pcaps: $(B)/tools/gen-pcaps $(B)/tools/gen-names $(B)/tools/gen-dnstap \
    $(B)/tools/gen-tunnels $(B)/tools/gen-machnames $(B)/tools/gen-gquic
	@mkdir -p $(B)/pcaps
	$(B)/tools/gen-pcaps $(B)/pcaps
	$(B)/tools/gen-tunnels $(B)/pcaps
	$(B)/tools/gen-names $(B)/pcaps
	$(B)/tools/gen-machnames $(B)/pcaps
	$(B)/tools/gen-gquic $(B)/pcaps
	$(B)/tools/gen-dnstap cases $(B)/pcaps
	$(B)/tools/gen-dnstap from-pcap pcaps/real-dns-nosni.pcap \
	    $(B)/pcaps/dnstap-nosni.dnstap
	@for f in $(B)/pcaps/*; do \
	    cmp -s $$f pcaps/$${f##*/} || { \
	    echo "pcaps/$${f##*/} differs from what gen-pcaps makes" >&2; \
	    exit 1; }; done

# The test logs (Zeek TSV and JSON, Suricata EVE) likewise, from
# tests/tools/gen-logs.
logs: $(B)/tools/gen-logs
	@rm -rf $(B)/logs; mkdir -p $(B)/logs
	$(B)/tools/gen-logs $(B)/logs
	@for f in $(B)/logs/*; do \
	    cmp -s $$f tests/logs/$${f##*/} || { \
	    echo "tests/logs/$${f##*/} differs from what gen-logs makes" >&2; \
	    exit 1; }; done

e2e: $(B)/kasaudit pcaps logs
	@$(RESULTS) e2e ./tests/run-e2e $(B)/kasaudit
	@$(RESULTS) logs-run ./tests/run-logs $(B)/kasaudit
	@$(RESULTS) compressed ./tests/run-compressed $(B)/kasaudit

corpus: $(B)/kasaudit
	@$(RESULTS) corpus ./tests/run-corpus $(B)/kasaudit

# Damaged captures (tests/tools/gen-hostile), peak memory under a flood
# (tests/tools/gen-memflood, doc/memory.md), byte-identical output.
.PHONY: hostile memory determinism startup workers
hostile: $(B)/kasaudit $(B)/tools/gen-hostile
	@rm -rf $(B)/hostile
	$(B)/tools/gen-hostile $(B)/hostile
	@$(RESULTS) hostile ./tests/run-hostile $(B)/kasaudit $(B)/hostile

memory: $(B)/kasaudit $(B)/tools/gen-memflood $(B)/tools/peak-rss
	@$(RESULTS) memory ./tests/run-memory $(B)/kasaudit $(B)/tools

# A big --state read back by kasaudit live (tests/run-bigstate: root, a
# network namespace): 5000 hosts in check, the default --max-hosts
# (1000000) with `make bigstate-full` (minutes; not in CI).
.PHONY: bigstate bigstate-full
bigstate: $(B)/kasaudit $(B)/tools/gen-state
	@$(RESULTS) bigstate ./tests/run-bigstate $(B)/kasaudit $(B)/tools 5000
bigstate-full: $(B)/kasaudit $(B)/tools/gen-state
	./tests/run-bigstate $(B)/kasaudit $(B)/tools 1000000

# Start-up: an empty capture within STARTUP_FAULTS page faults (140; 108
# measured, 400 the target) and 3 times the CPU of /bin/true.
startup: $(B)/kasaudit $(B)/tools/faults
	@$(RESULTS) startup ./tests/run-startup $(B)/kasaudit $(B)/tools

determinism: $(B)/kasaudit
	@$(RESULTS) determinism ./tests/run-determinism $(B)/kasaudit

workers: $(B)/kasaudit $(B)/bench/gen-bench
	@$(RESULTS) workers ./tests/run-workers $(B)/kasaudit \
	    $(B)/bench/gen-bench

# kasaudit live on a veth pair in a network namespace of its own: root
# only (it skips otherwise); tcpreplay is installed by .ci/run.
.PHONY: live
live: $(B)/kasaudit $(B)/tools/gen-liveflood
	@$(RESULTS) live ./tests/run-live $(B)/kasaudit $(B)/tools/gen-liveflood

# kasaudit live --events: a file reopened on SIGHUP, a FIFO nobody reads
# (drops counted, capture not blocked), syslog to a real rsyslogd; root
# only (it skips otherwise), like live.
.PHONY: live-events
live-events: $(B)/kasaudit $(B)/tools/gen-liveflood
	@$(RESULTS) live-events ./tests/run-live-events $(B)/kasaudit $(B)/tools/gen-liveflood

# kasaudit live --workers 2: PACKET_FANOUT sockets, answers and the
# connections they explain on different workers, one report and state;
# root only (it skips otherwise), like live.
.PHONY: live-workers
live-workers: $(B)/kasaudit $(B)/tools/gen-attrib
	@$(RESULTS) live-workers ./tests/run-live-workers $(B)/kasaudit \
	    $(B)/tools/gen-attrib

# dnstap from Debian's unbound in network namespaces of its own, live and
# through fstrm_capture: root only (it skips otherwise).
.PHONY: dnstap
dnstap: $(B)/kasaudit
	@$(RESULTS) dnstap ./tests/run-dnstap $(B)/kasaudit

# --leases with Kea's lease file, a udhcpc client and a SIGHUP (~15 s).
.PHONY: leases
leases: $(B)/kasaudit
	@$(RESULTS) leases ./tests/run-leases $(B)/kasaudit

.PHONY: dhcp-names
# Machine names from a real DHCP exchange: dnsmasq and busybox udhcpc in
# network namespaces of their own, kasaudit live between them.
dhcp-names: $(B)/kasaudit
	@$(RESULTS) dhcp-names ./tests/run-dhcp-names $(B)/kasaudit

# kasaudit merge: order and steps do not show; equals read (tests/run-merge).
.PHONY: merge
merge: $(B)/kasaudit
	@$(RESULTS) merge ./tests/run-merge $(B)/kasaudit

# The HTML report rendered by headless Chromium must not be blank; skipped
# (with a message) where chromium is not installed.
.PHONY: html
html: $(B)/kasaudit
	@$(RESULTS) html ./tests/run-html $(B)/kasaudit

# Real JSON outputs against the JSON Schemas in doc/schema/, and
# doc/json.md against the schemas (python3-jsonschema; tests/run-schemas).
.PHONY: schemas
schemas: $(B)/kasaudit
	@$(RESULTS) schemas ./tests/run-schemas $(B)/kasaudit

# Every path README.md and doc/*.md name exists (tests/check-docs).
.PHONY: docs
docs:
	@$(RESULTS) docs ./tests/check-docs

# Reports where others could plant links (tests/run-planted).
.PHONY: planted
planted: $(B)/kasaudit
	@$(RESULTS) planted ./tests/run-planted $(B)/kasaudit

# kasaudit sigs export loaded by the real unbound (RPZ and local-zone) and
# dnsmasq in a network namespace of its own: root only (it skips
# otherwise); make check installs them (scripts/install-deps --test).
.PHONY: export
export: $(B)/kasaudit
	@$(RESULTS) export ./tests/run-export $(B)/kasaudit

# src/ keeps its layout (doc/design.md): stage folders, includes only
# from earlier stages, no file over 1,000 lines.
.PHONY: layout
layout:
	@$(RESULTS) layout ./tests/check-layout

# The real programs the tests start (tcpreplay, chromium...): installed by
# make check, never by make.
.PHONY: testdeps
testdeps:
	@./scripts/install-deps --test

# make check: every suite, on after a failure (make -k), then one line
# "N passed, N failed, N skipped" over all of them (tests/results: each
# suite's counts are in $(B)/results/).
CHECKS	:= layout unit e2e corpus hostile memory determinism live merge html \
	   schemas install-test docs planted live-events export dnstap \
	   startup leases dhcp-names bigstate
# read --workers 1, 2, 3 write the same bytes (tests/run-workers).
CHECKS	+= workers live-workers
RESULTS	= ./tests/results run $(B)/results
.PHONY: check-run
check: testdeps
	@rm -rf $(B)/results
	@st=0; $(MAKE) --no-print-directory -k check-run || st=$$?; \
	    echo "make check:"; ./tests/results sum $(B)/results $$st

check-run: $(CHECKS)

# -fsanitize=undefined leaves float-cast-overflow out; a double turned
# into an int64 out of range is undefined too (the HTML timeline had one).
ASAN_FLAGS := -fsanitize=address,undefined,float-cast-overflow
asan:
	$(MAKE) B=build-asan CFLAGS="-O1 -g $(ASAN_FLAGS) \
	    -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    LDFLAGS="$(ASAN_FLAGS)" check

# make valgrind: the unit tests and a few whole reads under memcheck; any
# error or a definite/indirect leak at exit fails.  VALGRIND_SKIP names
# unit tests too slow for memcheck (test_load parses every prefix of a
# report: minutes); make asan's LeakSanitizer still covers them.
VALGRIND ?= valgrind -q --leak-check=full --error-exitcode=1 \
	    --errors-for-leak-kinds=definite,indirect
VALGRIND_SKIP ?= test_load
VG_TESTS := $(filter-out $(VALGRIND_SKIP:%=$(B)/%),$(TESTS))
.PHONY: valgrind valgrind-read
valgrind: $(VG_TESTS:$(B)/%=valgrind-%) valgrind-read
	@echo "make valgrind: no errors, no leaks"

valgrind-test_%: $(B)/test_%
	@echo "== valgrind $<"
	@$(VALGRIND) ./$< >$<.vg 2>&1 || { cat $<.vg; exit 1; }

valgrind-read: $(B)/kasaudit
	@echo "== valgrind kasaudit read"
	@set -e; k="$(VALGRIND) ./$(B)/kasaudit read"; \
	    $$k -F json --events /dev/null pcaps/demo.pcap pcaps/tcp-*.pcap \
	    pcaps/real-chromium-quic.pcap pcaps/lt-pcapng-*.pcapng \
	    pcaps/frags.pcap >/dev/null; \
	    $$k -n tests/networks.txt -f 'udp or tcp' pcaps/demo.pcap \
	    pcaps/real-chromium.pcap >/dev/null; \
	    cat pcaps/real-curl-https.pcap | $$k --no-default-sigs \
	    -s signatures/all.sigs -F json --max-flows 4 --stream-buffers 2 \
	    --max-names 2 - >/dev/null; \
	    $$k -F json --events /dev/null pcaps/dnstap-mixed.dnstap \
	    pcaps/dnstap-badproto.dnstap pcaps/dnstap-nosni.dnstap \
	    pcaps/real-dns-nosni.pcap >/dev/null 2>&1; \
	    r=0; $$k pcaps/bad-truncated.pcap pcaps/bad-corrupt.pcapng \
	    pcaps/bad-hugecaplen.pcap pcaps/missing.pcap >/dev/null \
	    2>&1 || r=$$?; [ $$r = 3 ] || { echo "bad inputs: exit $$r, \
	    want 3 (1: valgrind found an error)"; exit 1; }

# make fuzz: every tests/fuzz/fuzz_NAME.c built with clang's libFuzzer, ASan
# and UBSan into build-fuzz/, started from its committed corpus
# (tests/fuzz/corpus/NAME/) and seeds made from pcaps/, the hostile
# captures and the signature, networks, letter, log and state files, and
# run for its share of FUZZ_SECONDS; a crash fails (the input is left in
# build-fuzz/fuzz/crashes/).  -j2 runs two at a time, the longest first.
# What a run finds goes to build-fuzz/fuzz/corpus/NAME/; `make fuzz-merge`
# minimises it into tests/fuzz/corpus/ (libFuzzer's -merge=1: the fewest,
# smallest inputs keeping every feature), to be committed.
FUZZ_SECONDS ?= 20
FUZZ_CC	?= clang
FUZZ_FLAGS := B=build-fuzz QUIC=1 CC=$(FUZZ_CC) CFLAGS="-O1 -g \
	    -fsanitize=fuzzer-no-link,address,undefined \
	    -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined"
# Each target's time in tenths of FUZZ_SECONDS (10 when not listed).  The
# pipeline and capture targets run 100-400 inputs a second, decode ~500,
# the log and state parsers (eve, zeek, load, sigs) a few thousand, the
# packet parsers 10,000-100,000 (and reach their coverage in seconds), so
# the slow ones get more (tunnel took its 4 from decode, whose code it
# shares; the parsers added later, zread, leases, proxyhdr, dhcp, mdns and
# nbns, brought their own), so the total is the shares' sum x FUZZ_SECONDS
# / 10.  Rates measured are in the commits.
FUZZ_SHARE_pipeline	:= 36
FUZZ_SHARE_capture	:= 30
FUZZ_SHARE_decode	:= 9
FUZZ_SHARE_tunnel	:= 4
FUZZ_SHARE_eve		:= 12
FUZZ_SHARE_zeek		:= 10
FUZZ_SHARE_load		:= 10
FUZZ_SHARE_sigexport	:= 8
FUZZ_SHARE_sigs		:= 8
FUZZ_SHARE_quic		:= 4
FUZZ_SHARE_dnstap	:= 5
FUZZ_SHARE_dns		:= 4
FUZZ_SHARE_http		:= 4
FUZZ_SHARE_letter	:= 4
FUZZ_SHARE_netmap	:= 4
FUZZ_SHARE_tls		:= 3
# gquic: a packet parser; its 2 from quic and tls, whose code it shares.
FUZZ_SHARE_gquic	:= 2
FUZZ_SHARE_socks	:= 3
FUZZ_SHARE_zread	:= 5
# leases: a line parser like netmap (8 s more in CI).
FUZZ_SHARE_leases	:= 4
FUZZ_SHARE_proxyhdr	:= 3
# The machine-name parsers are small and reach their coverage in seconds.
FUZZ_SHARE_dhcp		:= 3
FUZZ_SHARE_mdns		:= 3
FUZZ_SHARE_nbns		:= 2
FUZZ_SLOW := pipeline capture
FUZZERS	:= $(FUZZ_SLOW) $(filter-out $(FUZZ_SLOW),\
	    $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
.PHONY: fuzz fuzz-build fuzz-run fuzz-merge fuzz-merge-run
fuzz:
	$(MAKE) $(FUZZ_FLAGS) fuzz-run
fuzz-merge:
	$(MAKE) $(FUZZ_FLAGS) fuzz-merge-run

fuzz-build: $(FUZZERS:%=$(B)/fuzz/fuzz_%) $(B)/fuzz/seeds/.done

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(B)/libkasaudit.a
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(PKG_CFLAGS) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) \
	    -o $@ $< $(B)/libkasaudit.a $(PKG_LIBS)

$(B)/fuzz/gen-seeds: tests/fuzz/gen-seeds.c $(B)/libkasaudit.a
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< \
	    $(B)/libkasaudit.a $(PKG_LIBS)

$(B)/fuzz/gen-hostile: tests/tools/gen-hostile.c
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

# The hostile captures (tests/tools/gen-hostile) seed capture and pipeline,
# all but the few over 16 KiB (as gen-seeds: big inputs only slow a fuzzer).
# Compressed seeds (zread, capture) at the lowest levels: xz -6's 8 MiB
# dictionary, allocated three times a run under ASan, made 12 runs a second.
$(B)/fuzz/seeds/.done: $(B)/fuzz/gen-seeds $(B)/fuzz/gen-hostile \
    $(wildcard pcaps/*.pcap*) \
    $(wildcard signatures/*.sigs tests/*.sigs tests/*networks.txt \
    tests/letter*.txt) $(wildcard tests/logs/* tests/leases/*)
	rm -rf $(B)/fuzz/seeds $(B)/fuzz/hostile
	$(B)/fuzz/gen-seeds $(B)/fuzz/seeds pcaps/*.pcap*
	$(B)/fuzz/gen-hostile $(B)/fuzz/hostile >/dev/null
	@set -e; s=$(B)/fuzz/seeds; for f in $(FUZZERS); do \
	    mkdir -p $$s/$$f; done; \
	    cp pcaps/*.pcap* $$s/capture/; cp pcaps/*.pcap* $$s/pipeline/; \
	    for f in $(B)/fuzz/hostile/*; do \
	    [ "$${f##*/}" != MANIFEST ] && \
	    [ $$(stat -c %s $$f) -le 16384 ] || continue; \
	    cp $$f $$s/capture/h-$${f##*/}; \
	    cp $$f $$s/pipeline/h-$${f##*/}; done; \
	    cp signatures/*.sigs tests/*.sigs $$s/sigs/; \
	    cp signatures/*.sigs tests/*.sigs $$s/sigexport/; \
	    cp tests/*networks.txt $$s/netmap/; \
	    cp tests/letter*.txt $$s/letter/; \
	    cp tests/leases/* $$s/leases/; \
	    cp tests/merge/*.json $$s/load/; \
	    cp tests/logs/zeek* tests/logs/cross* $$s/zeek/; \
	    cp tests/logs/eve.json $$s/eve/; \
	    for f in pcaps/*.dnstap; do \
	    { printf '\000'; cat $$f; } >$$s/dnstap/$${f##*/}; done; \
	    for z in gzip xz zstd bzip2; do command -v $$z >/dev/null || \
	    continue; o=-1; [ $$z = xz ] && o=-0; \
	    $$z $$o -c pcaps/demo.pcap >$$s/zread/demo.$$z; \
	    $$z $$o -c pcaps/lt-nflog.pcap >$$s/capture/lt-nflog.$$z; done
	@touch $@

fuzz-run: $(FUZZERS:%=fuzz-run-%)

fuzz-run-%: $(B)/fuzz/fuzz_% $(B)/fuzz/seeds/.done
	@mkdir -p $(B)/fuzz/corpus/$* $(B)/fuzz/crashes tests/fuzz/corpus/$*
	@t=$$(( $(FUZZ_SECONDS) * $(or $(FUZZ_SHARE_$*),10) / 10 )); \
	    [ $$t -ge 1 ] || t=1; \
	    echo "== fuzz $* for $$t s"; \
	    ./$(B)/fuzz/fuzz_$* -max_total_time=$$t -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix=$(B)/fuzz/crashes/$*- \
	    $(B)/fuzz/corpus/$* tests/fuzz/corpus/$* $(B)/fuzz/seeds/$* \
	    >$(B)/fuzz/$*.log 2>&1 || { tail -n 60 $(B)/fuzz/$*.log; \
	    echo "fuzz $*: FAILED (log $(B)/fuzz/$*.log)"; exit 1; }
	@grep -h "^stat::number_of_executed_units\|^#.*DONE" \
	    $(B)/fuzz/$*.log | sed 's/^/   $* /'

fuzz-merge-run: $(FUZZERS:%=fuzz-merge-%)

fuzz-merge-%: $(B)/fuzz/fuzz_% $(B)/fuzz/seeds/.done
	@rm -rf $(B)/fuzz/merge/$*
	@mkdir -p $(B)/fuzz/merge/$* $(B)/fuzz/corpus/$* tests/fuzz/corpus/$*
	@./$(B)/fuzz/fuzz_$* -merge=1 -timeout=10 -rss_limit_mb=2048 \
	    $(B)/fuzz/merge/$* tests/fuzz/corpus/$* $(B)/fuzz/corpus/$* \
	    $(B)/fuzz/seeds/$* >$(B)/fuzz/merge-$*.log 2>&1 || { \
	    tail -n 20 $(B)/fuzz/merge-$*.log; exit 1; }
	@rm -rf tests/fuzz/corpus/$*
	@mv $(B)/fuzz/merge/$* tests/fuzz/corpus/$*
	@echo "   $* $$(ls tests/fuzz/corpus/$* | wc -l) inputs," \
	    "$$(du -sk tests/fuzz/corpus/$* | cut -f1) KiB"

demo:
	./scripts/install-deps
	$(MAKE) $(B)/kasaudit
	./$(B)/kasaudit read pcaps/demo.pcap

# The bash completion, made from the --help texts (which tests/test_opts
# holds to the option table).
$(B)/kasaudit.bash: $(B)/kasaudit scripts/gen-completion
	./scripts/gen-completion $(B)/kasaudit >$@.tmp && mv $@.tmp $@

# make install: what a Debian tool installs (make uninstall removes exactly
# that).  DESTDIR is respected; the .deb is made by the same rule.
SIGS_INST := $(wildcard signatures/*.sigs)
DOCS_INST := README.md CHANGELOG.md SECURITY.md LICENSE \
	     $(wildcard doc/*.md) signatures/README.md
SCHEMA_INST := $(wildcard doc/schema/*.json)
DOC_NAMES := $(notdir $(filter-out signatures/README.md,$(DOCS_INST))) \
	     signatures.md
install: $(B)/kasaudit $(B)/kasaudit.bash
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)/schema \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(UNITDIR)
	install $(INSTALL_STRIP) -m 755 $(B)/kasaudit \
	    $(DESTDIR)$(BINDIR)/kasaudit
	gzip -9n <kasaudit.1 >$(DESTDIR)$(MANDIR)/man1/kasaudit.1.gz
	chmod 644 $(DESTDIR)$(MANDIR)/man1/kasaudit.1.gz
	install -m 644 $(SIGS_INST) $(DESTDIR)$(DATADIR)/
	install -m 644 $(filter-out signatures/README.md,$(DOCS_INST)) \
	    $(DESTDIR)$(DOCDIR)/
	install -m 644 signatures/README.md $(DESTDIR)$(DOCDIR)/signatures.md
	install -m 644 $(SCHEMA_INST) $(DESTDIR)$(DOCDIR)/schema/
	install -m 644 $(B)/kasaudit.bash $(DESTDIR)$(BASHCOMPDIR)/kasaudit
	sed 's|@BINDIR@|$(BINDIR)|g' contrib/kasaudit.service \
	    >$(DESTDIR)$(UNITDIR)/kasaudit.service
	chmod 644 $(DESTDIR)$(UNITDIR)/kasaudit.service

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/kasaudit \
	    $(DESTDIR)$(MANDIR)/man1/kasaudit.1.gz \
	    $(addprefix $(DESTDIR)$(DATADIR)/,$(notdir $(SIGS_INST))) \
	    $(addprefix $(DESTDIR)$(DOCDIR)/,$(DOC_NAMES)) \
	    $(addprefix $(DESTDIR)$(DOCDIR)/schema/,$(notdir $(SCHEMA_INST))) \
	    $(DESTDIR)$(BASHCOMPDIR)/kasaudit \
	    $(DESTDIR)$(UNITDIR)/kasaudit.service
	-rmdir $(DESTDIR)$(DOCDIR)/schema $(DESTDIR)$(DOCDIR) \
	    $(DESTDIR)$(DATADIR) 2>/dev/null

# make deb: a .deb of this tree, built by dpkg-buildpackage (debian/) in a
# copy under $(B)/deb (the .deb lands beside the copy, not beside the
# tree), then lintian: an error fails.  Needs debhelper, dpkg-dev,
# fakeroot and lintian (scripts/install-deps --test); installs nothing.
deb:
	@command -v dpkg-buildpackage >/dev/null && \
	    command -v dh >/dev/null && command -v lintian >/dev/null || { \
	    echo "make deb: needs dpkg-dev, debhelper, fakeroot and lintian" \
	    "(scripts/install-deps --test installs them)" >&2; exit 1; }
	rm -rf $(B)/deb
	mkdir -p $(B)/deb/kasaudit-$(VERSION)
	tar -cf - --exclude='./build*' --exclude=./.git --exclude='./.ci' . | \
	    tar -xf - -C $(B)/deb/kasaudit-$(VERSION)
	cd $(B)/deb/kasaudit-$(VERSION) && dpkg-buildpackage -us -uc -b
	@echo "make deb: $$(ls $(B)/deb/*.deb)"
	@st=0; lintian --fail-on error $(B)/deb/kasaudit_$(VERSION)_*.deb \
	    >$(B)/deb/lintian.txt 2>&1 || st=$$?; \
	    grep -v '^running with root' $(B)/deb/lintian.txt; \
	    echo "make deb: lintian: $$(grep -c '^E:' $(B)/deb/lintian.txt)" \
	    "errors, $$(grep -c '^W:' $(B)/deb/lintian.txt) warnings"; \
	    exit $$st

# The .deb installed for real (dpkg -i, then purged; root only): .ci/run.
.PHONY: deb-test
deb-test: deb
	@$(RESULTS) deb ./tests/run-deb $$(ls $(B)/deb/kasaudit_$(VERSION)_*.deb)

# make install and make uninstall into a temporary DESTDIR (make check).
.PHONY: install-test
install-test: $(B)/kasaudit $(B)/kasaudit.bash
	@$(RESULTS) install ./tests/run-install $(B)

clean:
	rm -rf build build-asan build-fuzz

-include $(wildcard $(B)/*.d $(B)/*/*.d)

# make bench: generated captures (outside the tree), timed against a bare
# libpcap loop; bench/README.md.  Not part of `make check`.
BENCH_DIR	?= /tmp/kasaudit-bench
BENCH_SCALE	?= 1
.PHONY: bench
bench: $(B)/kasaudit $(B)/bench/gen-bench $(B)/bench/floor
	BENCH_DIR='$(BENCH_DIR)' BENCH_SCALE='$(BENCH_SCALE)' \
	    ./bench/run $(B)

# dnstap against pcap: the same client queries both ways (bench/README.md).
.PHONY: bench-dnstap
bench-dnstap: $(B)/kasaudit $(B)/tools/gen-dnstap
	BENCH_DIR='$(BENCH_DIR)' ./bench/run-dnstap $(B)

$(B)/bench/gen-bench: bench/gen-bench.c
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

$(B)/bench/gen-logbench: bench/gen-logbench.c
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

# make bench-logs: 1 M lookups as Zeek TSV, Zeek JSON, EVE and a pcap,
# each read once (bench/README.md, "Logs against packets").
BENCH_LOG_N	?= 1000000
.PHONY: bench-logs
bench-logs: $(B)/kasaudit $(B)/bench/gen-logbench
	@mkdir -p '$(BENCH_DIR)/logs'
	$(B)/bench/gen-logbench '$(BENCH_DIR)/logs' $(BENCH_LOG_N)
	@for f in dns.pcap dns.log dns.json eve.json; do \
	    cat '$(BENCH_DIR)/logs/'$$f >/dev/null; \
	    /usr/bin/env time -f "$$f %e s wall, %U s user, %S s sys, %M KiB" $(B)/kasaudit read -F json \
	    -o /dev/null '$(BENCH_DIR)/logs/'$$f; done

$(B)/bench/floor: bench/floor.c | deps
	@mkdir -p $(@D)
	$(CC) $(XCFLAGS) $(shell $(PKG_CONFIG) --cflags libpcap) $(CFLAGS) \
	    $(LDFLAGS) -o $@ $< $(shell $(PKG_CONFIG) --libs libpcap)
