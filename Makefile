# Monocoque: build, install, test. `make install PREFIX=DIR` lays out
# DIR/lib/libzmq.so.5.2.5 (+ .so.5 and .so links), DIR/include/zmq.h,
# zmq_utils.h and DIR/lib/pkgconfig/libzmq.pc.
PREFIX ?= /usr/local
LIBDIR = $(PREFIX)/lib

.PHONY: build install demo test clean

build:
	cargo build --release
	ln -sf libzmq.so target/release/libzmq.so.5

install: build
	install -d $(LIBDIR)/pkgconfig $(PREFIX)/include
	install -m 755 target/release/libzmq.so $(LIBDIR)/libzmq.so.5.2.5
	ln -sf libzmq.so.5.2.5 $(LIBDIR)/libzmq.so.5
	ln -sf libzmq.so.5 $(LIBDIR)/libzmq.so
	install -m 644 include/zmq.h include/zmq_utils.h $(PREFIX)/include/
	sed 's|@PREFIX@|$(abspath $(PREFIX))|' pkgconfig/libzmq.pc.in > $(LIBDIR)/pkgconfig/libzmq.pc

demo:
	scripts/demo

test:
	scripts/test

clean:
	cargo clean
	rm -rf build zmq-compat-suite/build capi-tests/build perf/build
