# Monocoque: build, install, package, test.
#
#   make install [PREFIX=/usr/local] [LIBDIR=PREFIX/lib] [DESTDIR=]
#
# lays out (under DESTDIR, for staging)
#   LIBDIR/libzmq.so.5.2.5        stripped, with a .gnu_debuglink
#   LIBDIR/libzmq.so.5, .so       links
#   PREFIX/include/zmq.h, zmq_utils.h
#   LIBDIR/pkgconfig/libzmq.pc
#   LIBDIR/cmake/ZeroMQ/ZeroMQConfig.cmake, ZeroMQConfigVersion.cmake
#   PREFIX/lib/debug/LIBDIR/libzmq.so.5.2.5.debug   the split debug info
#   PREFIX/lib/debug/.build-id/xx/yyyy.debug        (link to it)
# gdb, perf and eu-stack find the debug info by itself when PREFIX is /usr
# (debug-file-directory /usr/lib/debug); for another prefix, tell gdb:
# `set debug-file-directory PREFIX/lib/debug`.
#
#   make build DRAFT=1 / make install DRAFT=1
#                 the draft-API variant (cargo feature `draft`): libzmq
#                 4.3.5 --enable-drafts' 96 exports, zmq_has("draft") = 1,
#                 and libzmq.pc's Cflags carry -DZMQ_BUILD_DRAFT_API=1
#
#   make deb      build/deb/*.deb (packaging/deb/build): the library as a
#                 replacement for Debian's libzmq5, plus -dev and -dbgsym
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DEBUGDIR ?= $(PREFIX)/lib/debug
DESTDIR ?=
LIBFILE = libzmq.so.5.2.5
LEAN = build/lean
DRAFT ?=
CARGO_FEATURES = $(if $(filter 1 yes on,$(DRAFT)),--features draft,)
PC_CFLAGS = $(if $(filter 1 yes on,$(DRAFT)), -DZMQ_BUILD_DRAFT_API=1,)

.PHONY: build lean install deb demo test clean

build:
	cargo build --release $(CARGO_FEATURES)
	ln -sf libzmq.so target/release/libzmq.so.5

# The installed library: stripped, its debug info (zlib-compressed DWARF and
# the full symbol table) in a separate file named by a .gnu_debuglink.
lean: build
	mkdir -p $(LEAN)
	objcopy --only-keep-debug --compress-debug-sections=zlib \
	    target/release/libzmq.so $(LEAN)/$(LIBFILE).debug
	objcopy --strip-unneeded --remove-section=.comment \
	    --add-gnu-debuglink=$(LEAN)/$(LIBFILE).debug \
	    target/release/libzmq.so $(LEAN)/$(LIBFILE)
	readelf -n $(LEAN)/$(LIBFILE) | awk '/Build ID/ {print $$3}' > $(LEAN)/build-id

install: lean
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) \
	    $(DESTDIR)$(LIBDIR)/cmake/ZeroMQ $(DESTDIR)$(DEBUGDIR)$(abspath $(LIBDIR))
	install -m 644 $(LEAN)/$(LIBFILE) $(DESTDIR)$(LIBDIR)/$(LIBFILE)
	ln -sf $(LIBFILE) $(DESTDIR)$(LIBDIR)/libzmq.so.5
	ln -sf libzmq.so.5 $(DESTDIR)$(LIBDIR)/libzmq.so
	install -m 644 $(LEAN)/$(LIBFILE).debug $(DESTDIR)$(DEBUGDIR)$(abspath $(LIBDIR))/
	id=$$(cat $(LEAN)/build-id); if [ -n "$$id" ]; then \
	    d=$(DESTDIR)$(DEBUGDIR)/.build-id/$$(echo $$id | cut -c1-2); install -d $$d; \
	    ln -sf ../..$(abspath $(LIBDIR))/$(LIBFILE).debug $$d/$$(echo $$id | cut -c3-).debug; fi
	install -m 644 include/zmq.h include/zmq_utils.h $(DESTDIR)$(INCLUDEDIR)/
	sed -e 's|@PREFIX@|$(abspath $(PREFIX))|' \
	    -e 's|@LIBDIR@|$(patsubst $(abspath $(PREFIX))/%,$${prefix}/%,$(abspath $(LIBDIR)))|' \
	    -e 's|@INCLUDEDIR@|$(patsubst $(abspath $(PREFIX))/%,$${prefix}/%,$(abspath $(INCLUDEDIR)))|' \
	    -e 's|^Cflags: .*|&$(PC_CFLAGS)|' \
	    $$(readelf -d $(LEAN)/$(LIBFILE) | grep -q 'libsodium' || echo '-e /^Requires.private:/d') \
	    pkgconfig/libzmq.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/libzmq.pc
	install -m 644 pkgconfig/ZeroMQConfig.cmake $(DESTDIR)$(LIBDIR)/cmake/ZeroMQ/
	sed 's|@VERSION@|4.3.5|' pkgconfig/ZeroMQConfigVersion.cmake.in \
	    > $(DESTDIR)$(LIBDIR)/cmake/ZeroMQ/ZeroMQConfigVersion.cmake

deb: lean
	packaging/deb/build

demo:
	scripts/demo

test:
	scripts/test

clean:
	cargo clean
	rm -rf build zmq-compat-suite/build capi-tests/build perf/build
