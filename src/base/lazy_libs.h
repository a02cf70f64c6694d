/* lazy_libs.h - the libraries kasaudit opens at their first use (the rows
 * of lazy_libs[] in lazy_libs.c). */
#ifndef KASAUDIT_LAZY_LIBS_H
#define KASAUDIT_LAZY_LIBS_H

#include "lazy.h"

enum {
	LAZY_PCAP, LAZY_LDNS, LAZY_EVENT, LAZY_JANSSON, LAZY_FSTRM,
	LAZY_PROTOBUF_C, LAZY_Z, LAZY_LZMA, LAZY_ZSTD, LAZY_CRYPTO, LAZY_BZ2,
	LAZY_N
};

extern struct lazy_lib lazy_libs[LAZY_N];

#endif
