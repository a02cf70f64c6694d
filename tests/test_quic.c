/* test_quic.c - QUIC client Initials (RFC 9001 A, RFC 9369 A, RFC 9000). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "quic.h"
#include "rfc9001.h"

/*
 * The Destination Connection ID of every example in RFC 9001 Appendix A and
 * RFC 9369 Appendix A.
 */
static const uint8_t rfc_dcid[] = {
	0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08,
};


/*
 * RFC 9001 A.2 and RFC 9369 A.2: the CRYPTO frame of both client Initials
 * (type 06, offset 0, length 0x40f1 = 241), then its ClientHello for
 * example.com; PADDING fills the rest of the 1162-byte payload.
 */
static const uint8_t rfc_crypto[] = {
	0x06, 0x00, 0x40, 0xf1, 0x01, 0x00, 0x00, 0xed, 0x03, 0x03, 0xeb, 0xf8,
	0xfa, 0x56, 0xf1, 0x29, 0x39, 0xb9, 0x58, 0x4a, 0x38, 0x96, 0x47, 0x2e,
	0xc4, 0x0b, 0xb8, 0x63, 0xcf, 0xd3, 0xe8, 0x68, 0x04, 0xfe, 0x3a, 0x47,
	0xf0, 0x6a, 0x2b, 0x69, 0x48, 0x4c, 0x00, 0x00, 0x04, 0x13, 0x01, 0x13,
	0x02, 0x01, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x10, 0x00, 0x0e, 0x00,
	0x00, 0x0b, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x63, 0x6f,
	0x6d, 0xff, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0a, 0x00, 0x08, 0x00, 0x06,
	0x00, 0x1d, 0x00, 0x17, 0x00, 0x18, 0x00, 0x10, 0x00, 0x07, 0x00, 0x05,
	0x04, 0x61, 0x6c, 0x70, 0x6e, 0x00, 0x05, 0x00, 0x05, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x33, 0x00, 0x26, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20,
	0x93, 0x70, 0xb2, 0xc9, 0xca, 0xa4, 0x7f, 0xba, 0xba, 0xf4, 0x55, 0x9f,
	0xed, 0xba, 0x75, 0x3d, 0xe1, 0x71, 0xfa, 0x71, 0xf5, 0x0f, 0x1c, 0xe1,
	0x5d, 0x43, 0xe9, 0x94, 0xec, 0x74, 0xd7, 0x48, 0x00, 0x2b, 0x00, 0x03,
	0x02, 0x03, 0x04, 0x00, 0x0d, 0x00, 0x10, 0x00, 0x0e, 0x04, 0x03, 0x05,
	0x03, 0x06, 0x03, 0x02, 0x03, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x00,
	0x2d, 0x00, 0x02, 0x01, 0x01, 0x00, 0x1c, 0x00, 0x02, 0x40, 0x01, 0x00,
	0x39, 0x00, 0x32, 0x04, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0x05, 0x04, 0x80, 0x00, 0xff, 0xff, 0x07, 0x04, 0x80, 0x00, 0xff,
	0xff, 0x08, 0x01, 0x10, 0x01, 0x04, 0x80, 0x00, 0x75, 0x30, 0x09, 0x01,
	0x10, 0x0f, 0x08, 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08, 0x06,
	0x04, 0x80, 0x00, 0xff, 0xff,
};

/* RFC 9001 A.2: the header with header protection removed: pn 2. */
static const uint8_t rfc9001_client_hdr[] = {
	0xc3,				/* Initial, 4-byte packet number */
	0x00, 0x00, 0x00, 0x01,		/* version 1 */
	0x08, 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08,	/* DCID */
	0x00,				/* SCID: empty */
	0x00,				/* token: empty */
	0x44, 0x9e,			/* length 1182 */
	0x00, 0x00, 0x00, 0x02,		/* packet number 2 */
};

/*
 * RFC 9001 A.3: the server's Initial (ACK and CRYPTO with the ServerHello),
 * which client keys cannot open.
 */
static const uint8_t rfc9001_server[] = {
	0xcf, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0xf0, 0x67, 0xa5, 0x50, 0x2a,
	0x42, 0x62, 0xb5, 0x00, 0x40, 0x75, 0xc0, 0xd9, 0x5a, 0x48, 0x2c, 0xd0,
	0x99, 0x1c, 0xd2, 0x5b, 0x0a, 0xac, 0x40, 0x6a, 0x58, 0x16, 0xb6, 0x39,
	0x41, 0x00, 0xf3, 0x7a, 0x1c, 0x69, 0x79, 0x75, 0x54, 0x78, 0x0b, 0xb3,
	0x8c, 0xc5, 0xa9, 0x9f, 0x5e, 0xde, 0x4c, 0xf7, 0x3c, 0x3e, 0xc2, 0x49,
	0x3a, 0x18, 0x39, 0xb3, 0xdb, 0xcb, 0xa3, 0xf6, 0xea, 0x46, 0xc5, 0xb7,
	0x68, 0x4d, 0xf3, 0x54, 0x8e, 0x7d, 0xde, 0xb9, 0xc3, 0xbf, 0x9c, 0x73,
	0xcc, 0x3f, 0x3b, 0xde, 0xd7, 0x4b, 0x56, 0x2b, 0xfb, 0x19, 0xfb, 0x84,
	0x02, 0x2f, 0x8e, 0xf4, 0xcd, 0xd9, 0x37, 0x95, 0xd7, 0x7d, 0x06, 0xed,
	0xbb, 0x7a, 0xaf, 0x2f, 0x58, 0x89, 0x18, 0x50, 0xab, 0xbd, 0xca, 0x3d,
	0x20, 0x39, 0x8c, 0x27, 0x64, 0x56, 0xcb, 0xc4, 0x21, 0x58, 0x40, 0x7d,
	0xd0, 0x74, 0xee,
};

/* RFC 9369 A.2: the same client Initial under QUIC v2, 1200 bytes. */
static const uint8_t rfc9369_client[] = {
	0xd7, 0x6b, 0x33, 0x43, 0xcf, 0x08, 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51,
	0x57, 0x08, 0x00, 0x00, 0x44, 0x9e, 0xa0, 0xc9, 0x5e, 0x82, 0xff, 0xe6,
	0x7b, 0x6a, 0xbc, 0xdb, 0x42, 0x98, 0xb4, 0x85, 0xdd, 0x04, 0xde, 0x80,
	0x60, 0x71, 0xbf, 0x03, 0xdc, 0xee, 0xbf, 0xa1, 0x62, 0xe7, 0x5d, 0x6c,
	0x96, 0x05, 0x8b, 0xdb, 0xfb, 0x12, 0x7c, 0xdf, 0xcb, 0xf9, 0x03, 0x38,
	0x8e, 0x99, 0xad, 0x04, 0x9f, 0x9a, 0x3d, 0xd4, 0x42, 0x5a, 0xe4, 0xd0,
	0x99, 0x2c, 0xff, 0xf1, 0x8e, 0xcf, 0x0f, 0xdb, 0x5a, 0x84, 0x2d, 0x09,
	0x74, 0x70, 0x52, 0xf1, 0x7a, 0xc2, 0x05, 0x3d, 0x21, 0xf5, 0x7c, 0x5d,
	0x25, 0x0f, 0x2c, 0x4f, 0x0e, 0x02, 0x02, 0xb7, 0x07, 0x85, 0xb7, 0x94,
	0x6e, 0x99, 0x2e, 0x58, 0xa5, 0x9a, 0xc5, 0x2d, 0xea, 0x67, 0x74, 0xd4,
	0xf0, 0x3b, 0x55, 0x54, 0x52, 0x43, 0xcf, 0x1a, 0x12, 0x83, 0x4e, 0x3f,
	0x24, 0x9a, 0x78, 0xd3, 0x95, 0xe0, 0xd1, 0x8f, 0x4d, 0x76, 0x60, 0x04,
	0xf1, 0xa2, 0x67, 0x48, 0x02, 0xa7, 0x47, 0xea, 0xa9, 0x01, 0xc3, 0xf1,
	0x0c, 0xda, 0x55, 0x00, 0xcb, 0x91, 0x22, 0xfa, 0xa9, 0xf1, 0xdf, 0x66,
	0xc3, 0x92, 0x07, 0x9a, 0x1b, 0x40, 0xf0, 0xde, 0x1c, 0x60, 0x54, 0x19,
	0x6a, 0x11, 0xcb, 0xea, 0x40, 0xaf, 0xb6, 0xef, 0x52, 0x53, 0xcd, 0x68,
	0x18, 0xf6, 0x62, 0x5e, 0xfc, 0xe3, 0xb6, 0xde, 0xf6, 0xba, 0x7e, 0x4b,
	0x37, 0xa4, 0x0f, 0x77, 0x32, 0xe0, 0x93, 0xda, 0xa7, 0xd5, 0x21, 0x90,
	0x93, 0x5b, 0x8d, 0xa5, 0x89, 0x76, 0xff, 0x33, 0x12, 0xae, 0x50, 0xb1,
	0x87, 0xc1, 0x43, 0x3c, 0x0f, 0x02, 0x8e, 0xdc, 0xc4, 0xc2, 0x83, 0x8b,
	0x6a, 0x9b, 0xfc, 0x22, 0x6c, 0xa4, 0xb4, 0x53, 0x0e, 0x7a, 0x4c, 0xce,
	0xe1, 0xbf, 0xa2, 0xa3, 0xd3, 0x96, 0xae, 0x5a, 0x3f, 0xb5, 0x12, 0x38,
	0x4b, 0x2f, 0xdd, 0x85, 0x1f, 0x78, 0x4a, 0x65, 0xe0, 0x3f, 0x2c, 0x4f,
	0xbe, 0x11, 0xa5, 0x3c, 0x77, 0x77, 0xc0, 0x23, 0x46, 0x22, 0x39, 0xdd,
	0x6f, 0x75, 0x21, 0xa3, 0xf6, 0xc7, 0xd5, 0xdd, 0x3e, 0xc9, 0xb3, 0xf2,
	0x33, 0x77, 0x3d, 0x4b, 0x46, 0xd2, 0x3c, 0xc3, 0x75, 0xeb, 0x19, 0x8c,
	0x63, 0x30, 0x1c, 0x21, 0x80, 0x1f, 0x65, 0x20, 0xbc, 0xfb, 0x79, 0x66,
	0xfc, 0x49, 0xb3, 0x93, 0xf0, 0x06, 0x1d, 0x97, 0x4a, 0x27, 0x06, 0xdf,
	0x8c, 0x4a, 0x94, 0x49, 0xf1, 0x1d, 0x7f, 0x3d, 0x2d, 0xcb, 0xb9, 0x0c,
	0x6b, 0x87, 0x70, 0x45, 0x63, 0x6e, 0x7c, 0x0c, 0x0f, 0xe4, 0xeb, 0x0f,
	0x69, 0x75, 0x45, 0x46, 0x0c, 0x80, 0x69, 0x10, 0xd2, 0xc3, 0x55, 0xf1,
	0xd2, 0x53, 0xbc, 0x9d, 0x24, 0x52, 0xaa, 0xa5, 0x49, 0xe2, 0x7a, 0x1f,
	0xac, 0x7c, 0xf4, 0xed, 0x77, 0xf3, 0x22, 0xe8, 0xfa, 0x89, 0x4b, 0x6a,
	0x83, 0x81, 0x0a, 0x34, 0xb3, 0x61, 0x90, 0x17, 0x51, 0xa6, 0xf5, 0xeb,
	0x65, 0xa0, 0x32, 0x6e, 0x07, 0xde, 0x7c, 0x12, 0x16, 0xcc, 0xce, 0x2d,
	0x01, 0x93, 0xf9, 0x58, 0xbb, 0x38, 0x50, 0xa8, 0x33, 0xf7, 0xae, 0x43,
	0x2b, 0x65, 0xbc, 0x5a, 0x53, 0x97, 0x5c, 0x15, 0x5a, 0xa4, 0xbc, 0xb4,
	0xf7, 0xb2, 0xc4, 0xe5, 0x4d, 0xf1, 0x6e, 0xfa, 0xf6, 0xdd, 0xea, 0x94,
	0xe2, 0xc5, 0x0b, 0x4c, 0xd1, 0xdf, 0xe0, 0x60, 0x17, 0xe0, 0xe9, 0xd0,
	0x29, 0x00, 0xcf, 0xfe, 0x19, 0x35, 0xe0, 0x49, 0x1d, 0x77, 0xff, 0xb4,
	0xfd, 0xf8, 0x52, 0x90, 0xfd, 0xd8, 0x93, 0xd5, 0x77, 0xb1, 0x13, 0x1a,
	0x61, 0x0e, 0xf6, 0xa5, 0xc3, 0x2b, 0x2e, 0xe0, 0x29, 0x36, 0x17, 0xa3,
	0x7c, 0xbb, 0x08, 0xb8, 0x47, 0x74, 0x1c, 0x3b, 0x80, 0x17, 0xc2, 0x5c,
	0xa9, 0x05, 0x2c, 0xa1, 0x07, 0x9d, 0x8b, 0x78, 0xae, 0xbd, 0x47, 0x87,
	0x6d, 0x33, 0x0a, 0x30, 0xf6, 0xa8, 0xc6, 0xd6, 0x1d, 0xd1, 0xab, 0x55,
	0x89, 0x32, 0x9d, 0xe7, 0x14, 0xd1, 0x9d, 0x61, 0x37, 0x0f, 0x81, 0x49,
	0x74, 0x8c, 0x72, 0xf1, 0x32, 0xf0, 0xfc, 0x99, 0xf3, 0x4d, 0x76, 0x6c,
	0x69, 0x38, 0x59, 0x70, 0x40, 0xd8, 0xf9, 0xe2, 0xbb, 0x52, 0x2f, 0xf9,
	0x9c, 0x63, 0xa3, 0x44, 0xd6, 0xa2, 0xae, 0x8a, 0xa8, 0xe5, 0x1b, 0x7b,
	0x90, 0xa4, 0xa8, 0x06, 0x10, 0x5f, 0xcb, 0xca, 0x31, 0x50, 0x6c, 0x44,
	0x61, 0x51, 0xad, 0xfe, 0xce, 0xb5, 0x1b, 0x91, 0xab, 0xfe, 0x43, 0x96,
	0x09, 0x77, 0xc8, 0x74, 0x71, 0xcf, 0x9a, 0xd4, 0x07, 0x4d, 0x30, 0xe1,
	0x0d, 0x6a, 0x7f, 0x03, 0xc6, 0x3b, 0xd5, 0xd4, 0x31, 0x7f, 0x68, 0xff,
	0x32, 0x5b, 0xa3, 0xbd, 0x80, 0xbf, 0x4d, 0xc8, 0xb5, 0x2a, 0x0b, 0xa0,
	0x31, 0x75, 0x80, 0x22, 0xeb, 0x02, 0x5c, 0xdd, 0x77, 0x0b, 0x44, 0xd6,
	0xd6, 0xcf, 0x06, 0x70, 0xf4, 0xe9, 0x90, 0xb2, 0x23, 0x47, 0xa7, 0xdb,
	0x84, 0x82, 0x65, 0xe3, 0xe5, 0xeb, 0x72, 0xdf, 0xe8, 0x29, 0x9a, 0xd7,
	0x48, 0x1a, 0x40, 0x83, 0x22, 0xca, 0xc5, 0x57, 0x86, 0xe5, 0x2f, 0x63,
	0x3b, 0x2f, 0xb6, 0xb6, 0x14, 0xea, 0xed, 0x18, 0xd7, 0x03, 0xdd, 0x84,
	0x04, 0x5a, 0x27, 0x4a, 0xe8, 0xbf, 0xa7, 0x33, 0x79, 0x66, 0x13, 0x88,
	0xd6, 0x99, 0x1f, 0xe3, 0x9b, 0x0d, 0x93, 0xde, 0xbb, 0x41, 0x70, 0x0b,
	0x41, 0xf9, 0x0a, 0x15, 0xc4, 0xd5, 0x26, 0x25, 0x02, 0x35, 0xdd, 0xcd,
	0x67, 0x76, 0xfc, 0x77, 0xbc, 0x97, 0xe7, 0xa4, 0x17, 0xeb, 0xcb, 0x31,
	0x60, 0x0d, 0x01, 0xe5, 0x7f, 0x32, 0x16, 0x2a, 0x85, 0x60, 0xca, 0xcc,
	0x7e, 0x27, 0xa0, 0x96, 0xd3, 0x7a, 0x1a, 0x86, 0x95, 0x2e, 0xc7, 0x1b,
	0xd8, 0x9a, 0x3e, 0x9a, 0x30, 0xa2, 0xa2, 0x61, 0x62, 0x98, 0x4d, 0x77,
	0x40, 0xf8, 0x11, 0x93, 0xe8, 0x23, 0x8e, 0x61, 0xf6, 0xb5, 0xb9, 0x84,
	0xd4, 0xd3, 0xdf, 0xa0, 0x33, 0xc1, 0xbb, 0x7e, 0x4f, 0x00, 0x37, 0xfe,
	0xbf, 0x40, 0x6d, 0x91, 0xc0, 0xdc, 0xcf, 0x32, 0xac, 0xf4, 0x23, 0xcf,
	0xa1, 0xe7, 0x07, 0x10, 0x10, 0xd3, 0xf2, 0x70, 0x12, 0x1b, 0x49, 0x3c,
	0xe8, 0x50, 0x54, 0xef, 0x58, 0xba, 0xda, 0x42, 0x31, 0x01, 0x38, 0xfe,
	0x08, 0x1a, 0xdb, 0x04, 0xe2, 0xbd, 0x90, 0x1f, 0x2f, 0x13, 0x45, 0x8b,
	0x3d, 0x67, 0x58, 0x15, 0x81, 0x97, 0x10, 0x7c, 0x14, 0xeb, 0xb1, 0x93,
	0x23, 0x0c, 0xd1, 0x15, 0x73, 0x80, 0xaa, 0x79, 0xca, 0xe1, 0x37, 0x4a,
	0x7c, 0x1e, 0x5b, 0xbc, 0xb8, 0x0e, 0xe2, 0x3e, 0x06, 0xeb, 0xfd, 0xe2,
	0x06, 0xbf, 0xb0, 0xfc, 0xbc, 0x0e, 0xdc, 0x4e, 0xbe, 0xc3, 0x09, 0x66,
	0x1b, 0xdd, 0x90, 0x8d, 0x53, 0x2e, 0xb0, 0xc6, 0xad, 0xc3, 0x8b, 0x7c,
	0xa7, 0x33, 0x1d, 0xce, 0x8d, 0xfc, 0xe3, 0x9a, 0xb7, 0x1e, 0x7c, 0x32,
	0xd3, 0x18, 0xd1, 0x36, 0xb6, 0x10, 0x06, 0x71, 0xa1, 0xae, 0x6a, 0x66,
	0x00, 0xe3, 0x89, 0x9f, 0x31, 0xf0, 0xee, 0xd1, 0x9e, 0x34, 0x17, 0xd1,
	0x34, 0xb9, 0x0c, 0x90, 0x58, 0xf8, 0x63, 0x2c, 0x79, 0x8d, 0x44, 0x90,
	0xda, 0x49, 0x87, 0x30, 0x7c, 0xba, 0x92, 0x2d, 0x61, 0xc3, 0x98, 0x05,
	0xd0, 0x72, 0xb5, 0x89, 0xbd, 0x52, 0xfd, 0xf1, 0xe8, 0x62, 0x15, 0xc2,
	0xd5, 0x4e, 0x66, 0x70, 0xe0, 0x73, 0x83, 0xa2, 0x7b, 0xbf, 0xfb, 0x5a,
	0xdd, 0xf4, 0x7d, 0x66, 0xaa, 0x85, 0xa0, 0xc6, 0xf9, 0xf3, 0x2e, 0x59,
	0xd8, 0x5a, 0x44, 0xdd, 0x5d, 0x3b, 0x22, 0xdc, 0x2b, 0xe8, 0x09, 0x19,
	0xb4, 0x90, 0x43, 0x7a, 0xe4, 0xf3, 0x6a, 0x0a, 0xe5, 0x5e, 0xdf, 0x1d,
	0x0b, 0x5c, 0xb4, 0xe9, 0xa3, 0xec, 0xab, 0xee, 0x93, 0xdf, 0xc6, 0xe3,
	0x8d, 0x20, 0x9d, 0x0f, 0xa6, 0x53, 0x6d, 0x27, 0xa5, 0xd6, 0xfb, 0xb1,
	0x76, 0x41, 0xcd, 0xe2, 0x75, 0x25, 0xd6, 0x10, 0x93, 0xf1, 0xb2, 0x80,
	0x72, 0xd1, 0x11, 0xb2, 0xb4, 0xae, 0x5f, 0x89, 0xd5, 0x97, 0x4e, 0xe1,
	0x2e, 0x5c, 0xf7, 0xd5, 0xda, 0x4d, 0x6a, 0x31, 0x12, 0x30, 0x41, 0xf3,
	0x3e, 0x61, 0x40, 0x7e, 0x76, 0xcf, 0xfc, 0xdc, 0xfd, 0x7e, 0x19, 0xba,
	0x58, 0xcf, 0x4b, 0x53, 0x6f, 0x4c, 0x49, 0x38, 0xae, 0x79, 0x32, 0x4d,
	0xc4, 0x02, 0x89, 0x4b, 0x44, 0xfa, 0xf8, 0xaf, 0xba, 0xb3, 0x52, 0x82,
	0xab, 0x65, 0x9d, 0x13, 0xc9, 0x3f, 0x70, 0x41, 0x2e, 0x85, 0xcb, 0x19,
	0x9a, 0x37, 0xdd, 0xec, 0x60, 0x05, 0x45, 0x47, 0x3c, 0xfb, 0x5a, 0x05,
	0xe0, 0x8d, 0x0b, 0x20, 0x99, 0x73, 0xb2, 0x17, 0x2b, 0x4d, 0x21, 0xfb,
	0x69, 0x74, 0x5a, 0x26, 0x2c, 0xcd, 0xe9, 0x6b, 0xa1, 0x8b, 0x2f, 0xaa,
	0x74, 0x5b, 0x6f, 0xe1, 0x89, 0xcf, 0x77, 0x2a, 0x9f, 0x84, 0xcb, 0xfc,
};

/* RFC 9369 A.2: its unprotected header, Initial type bits 01, pn 2. */
static const uint8_t rfc9369_client_hdr[] = {
	0xd3,				/* Initial (v2), 4-byte packet number */
	0x6b, 0x33, 0x43, 0xcf,		/* version 2 */
	0x08, 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08,	/* DCID */
	0x00,				/* SCID: empty */
	0x00,				/* token: empty */
	0x44, 0x9e,			/* length 1182 */
	0x00, 0x00, 0x00, 0x02,		/* packet number 2 */
};

/* RFC 9369 A.3: the server's v2 Initial. */
static const uint8_t rfc9369_server[] = {
	0xdc, 0x6b, 0x33, 0x43, 0xcf, 0x00, 0x08, 0xf0, 0x67, 0xa5, 0x50, 0x2a,
	0x42, 0x62, 0xb5, 0x00, 0x40, 0x75, 0xd9, 0x2f, 0xaa, 0xf1, 0x6f, 0x05,
	0xd8, 0xa4, 0x39, 0x8c, 0x47, 0x08, 0x96, 0x98, 0xba, 0xee, 0xa2, 0x6b,
	0x91, 0xeb, 0x76, 0x1d, 0x9b, 0x89, 0x23, 0x7b, 0xbf, 0x87, 0x26, 0x30,
	0x17, 0x91, 0x53, 0x58, 0x23, 0x00, 0x35, 0xf7, 0xfd, 0x39, 0x45, 0xd8,
	0x89, 0x65, 0xcf, 0x17, 0xf9, 0xaf, 0x6e, 0x16, 0x88, 0x6c, 0x61, 0xbf,
	0xc7, 0x03, 0x10, 0x6f, 0xba, 0xf3, 0xcb, 0x4c, 0xfa, 0x52, 0x38, 0x2d,
	0xd1, 0x6a, 0x39, 0x3e, 0x42, 0x75, 0x75, 0x07, 0x69, 0x80, 0x75, 0xb2,
	0xc9, 0x84, 0xc7, 0x07, 0xf0, 0xa0, 0x81, 0x2d, 0x8c, 0xd5, 0xa6, 0x88,
	0x1e, 0xaf, 0x21, 0xce, 0xda, 0x98, 0xf4, 0xbd, 0x23, 0xf6, 0xfe, 0x1a,
	0x3e, 0x2c, 0x43, 0xed, 0xd9, 0xce, 0x7c, 0xa8, 0x4b, 0xed, 0x85, 0x21,
	0xe2, 0xe1, 0x40,
};

#define DGRAM_MAX	4096

static uint8_t scratch[65536];
static struct quic *q;

static int
setup(void **state)
{
	(void)state;
	return (q = quic_new()) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	quic_free(q);
	q = NULL;
	return 0;
}

/* ----- an Initial packet builder: the sender's side, from RFC 9001 5 ----- */

struct spec {
	uint32_t	 version;
	const uint8_t	*dcid;		/* as sent */
	size_t		 dcid_len;
	const uint8_t	*key_cid;	/* keys from; NULL: dcid */
	size_t		 key_cid_len;
	const uint8_t	*scid;
	size_t		 scid_len;
	const uint8_t	*token;
	size_t		 token_len;
	uint32_t	 pn;		/* fits pn_len bytes */
	size_t		 pn_len;	/* 1 to 4 */
	bool		 no_fixed_bit;	/* RFC 9287 */
	const uint8_t	*frames;
	size_t		 frames_len;
	size_t		 pad_to;	/* PADDING up to this plaintext size */
};

static const uint8_t scid8[] = {
	0xf0, 0x67, 0xa5, 0x50, 0x2a, 0x42, 0x62, 0xb5,
};

static void
put_varint(uint8_t *b, size_t *n, uint64_t v)
{
	if (v < 64)
		b[(*n)++] = (uint8_t)v;
	else {
		assert_true(v < 16384);
		b[(*n)++] = (uint8_t)(0x40 | v >> 8);
		b[(*n)++] = (uint8_t)v;
	}
}

/*
 * Writes the protected Initial of s at out (room bytes) and returns its
 * length.  Keys come from quic_client_keys(), checked against the RFCs in
 * test_keys_*; encryption and header protection use libcrypto directly.
 */
static size_t
build_initial(const struct spec *s, uint8_t *out, size_t room)
{
	struct quic_keys k;
	EVP_CIPHER_CTX *ctx;
	uint8_t pt[DGRAM_MAX], mask[16], nonce[12];
	size_t n = 0, pn_off, pt_len, i;
	int outl = 0;

	assert_int_equal(quic_client_keys(q, s->version,
	    s->key_cid != NULL ? s->key_cid : s->dcid,
	    s->key_cid != NULL ? s->key_cid_len : s->dcid_len, &k), ERR_OK);
	assert_true(s->pn_len >= 1 && s->pn_len <= 4);
	pt_len = s->frames_len > s->pad_to ? s->frames_len : s->pad_to;
	if (pt_len + s->pn_len < 4)	/* room for the sample */
		pt_len = 4 - s->pn_len;
	assert_true(pt_len <= sizeof(pt));
	memset(pt, 0, pt_len);
	if (s->frames_len > 0)
		memcpy(pt, s->frames, s->frames_len);

	out[n++] = (uint8_t)((s->no_fixed_bit ? 0x80 : 0xc0) |
	    (s->version == QUIC_V2 ? 0x10 : 0x00) | (s->pn_len - 1));
	out[n++] = (uint8_t)(s->version >> 24);
	out[n++] = (uint8_t)(s->version >> 16);
	out[n++] = (uint8_t)(s->version >> 8);
	out[n++] = (uint8_t)s->version;
	out[n++] = (uint8_t)s->dcid_len;
	memcpy(out + n, s->dcid, s->dcid_len);
	n += s->dcid_len;
	out[n++] = (uint8_t)s->scid_len;
	if (s->scid_len > 0)
		memcpy(out + n, s->scid, s->scid_len);
	n += s->scid_len;
	put_varint(out, &n, s->token_len);
	if (s->token_len > 0)
		memcpy(out + n, s->token, s->token_len);
	n += s->token_len;
	/* The length always in two bytes, as RFC 9001 A.2 writes it. */
	out[n++] = (uint8_t)(0x40 | (s->pn_len + pt_len + 16) >> 8);
	out[n++] = (uint8_t)(s->pn_len + pt_len + 16);
	pn_off = n;
	for (i = s->pn_len; i-- > 0; )
		out[n++] = (uint8_t)(s->pn >> (8 * i));
	assert_true(n + pt_len + 16 <= room);

	memcpy(nonce, k.iv, 12);
	for (i = 0; i < 4; i++)
		nonce[11 - i] ^= (uint8_t)(s->pn >> (8 * i));
	assert_non_null(ctx = EVP_CIPHER_CTX_new());
	assert_int_equal(EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), NULL,
	    k.key, nonce), 1);
	assert_int_equal(EVP_EncryptUpdate(ctx, NULL, &outl, out, (int)n), 1);
	assert_int_equal(EVP_EncryptUpdate(ctx, out + n, &outl, pt,
	    (int)pt_len), 1);
	assert_int_equal(EVP_EncryptFinal_ex(ctx, out + n + outl, &outl), 1);
	n += pt_len;
	assert_int_equal(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16,
	    out + n), 1);
	n += 16;

	assert_int_equal(EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL,
	    k.hp, NULL), 1);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	assert_int_equal(EVP_EncryptUpdate(ctx, mask, &outl, out + pn_off + 4,
	    16), 1);
	EVP_CIPHER_CTX_free(ctx);
	out[0] ^= mask[0] & 0x0f;
	for (i = 0; i < s->pn_len; i++)
		out[pn_off + i] ^= mask[1 + i];
	return n;
}

/* A v1 Initial to dcid carrying frames, padded as clients pad. */
static size_t
build_v1(const uint8_t *dcid, size_t dcid_len, uint32_t pn,
    const uint8_t *frames, size_t frames_len, uint8_t *out, size_t room)
{
	struct spec s = {
		.version = QUIC_V1, .dcid = dcid, .dcid_len = dcid_len,
		.scid = scid8, .scid_len = sizeof(scid8), .pn = pn,
		.pn_len = 2, .frames = frames, .frames_len = frames_len,
		.pad_to = 200,
	};

	return build_initial(&s, out, room);
}

/* Appends a long-header packet that is not an Initial (garbage inside). */
static size_t
put_other(uint8_t *out, uint32_t version, unsigned type, size_t body_len)
{
	size_t n = 0, i;

	out[n++] = (uint8_t)(0xc0 | type << 4 | 1);
	out[n++] = (uint8_t)(version >> 24);
	out[n++] = (uint8_t)(version >> 16);
	out[n++] = (uint8_t)(version >> 8);
	out[n++] = (uint8_t)version;
	out[n++] = 4;			/* DCID */
	out[n++] = 0xaa; out[n++] = 0xbb; out[n++] = 0xcc; out[n++] = 0xdd;
	out[n++] = 0;			/* SCID */
	out[n++] = (uint8_t)(0x40 | body_len >> 8);
	out[n++] = (uint8_t)body_len;
	for (i = 0; i < body_len; i++)
		out[n++] = (uint8_t)(i * 7 + 1);
	return n;
}

static const uint8_t dcid_a[] = {
	0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
};
static const uint8_t dcid_b[] = { 0xb0, 0xb1, 0xb2, 0xb3, 0xb4 };

/* CRYPTO frame, offset 0: "hello" */
static const uint8_t frames_hello[] = {
	0x06, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o',
};

static void
assert_frag(const struct quic_frag *f, uint64_t off, const void *data,
    size_t len)
{
	assert_true(f->off == off);
	assert_int_equal(f->len, len);
	assert_memory_equal(f->data, data, len);
	/* Fragments point into scratch, not into the datagram. */
	assert_true(f->data >= scratch && f->data + len <= scratch +
	    sizeof(scratch));
}

/* ----- keys: RFC 9001 A.1 and RFC 9369 A.1 ----- */

static void
test_keys_v1(void **state)
{
	/* client_initial_secret, key, iv and hp of RFC 9001 A.1 */
	static const uint8_t secret[] = {
		0xc0, 0x0c, 0xf1, 0x51, 0xca, 0x5b, 0xe0, 0x75,
		0xed, 0x0e, 0xbf, 0xb5, 0xc8, 0x03, 0x23, 0xc4,
		0x2d, 0x6b, 0x7d, 0xb6, 0x78, 0x81, 0x28, 0x9a,
		0xf4, 0x00, 0x8f, 0x1f, 0x6c, 0x35, 0x7a, 0xea,
	};
	static const uint8_t key[] = {
		0x1f, 0x36, 0x96, 0x13, 0xdd, 0x76, 0xd5, 0x46,
		0x77, 0x30, 0xef, 0xcb, 0xe3, 0xb1, 0xa2, 0x2d,
	};
	static const uint8_t iv[] = {
		0xfa, 0x04, 0x4b, 0x2f, 0x42, 0xa3, 0xfd, 0x3b,
		0x46, 0xfb, 0x25, 0x5c,
	};
	static const uint8_t hp[] = {
		0x9f, 0x50, 0x44, 0x9e, 0x04, 0xa0, 0xe8, 0x10,
		0x28, 0x3a, 0x1e, 0x99, 0x33, 0xad, 0xed, 0xd2,
	};
	struct quic_keys k;

	(void)state;
	assert_int_equal(quic_client_keys(q, QUIC_V1, rfc_dcid,
	    sizeof(rfc_dcid), &k), ERR_OK);
	assert_memory_equal(k.secret, secret, sizeof(secret));
	assert_memory_equal(k.key, key, sizeof(key));
	assert_memory_equal(k.iv, iv, sizeof(iv));
	assert_memory_equal(k.hp, hp, sizeof(hp));
}

static void
test_keys_v2(void **state)
{
	/* client_initial_secret, key, iv and hp of RFC 9369 A.1 */
	static const uint8_t secret[] = {
		0x14, 0xec, 0x9d, 0x6e, 0xb9, 0xfd, 0x7a, 0xf8,
		0x3b, 0xf5, 0xa6, 0x68, 0xbc, 0x17, 0xa7, 0xe2,
		0x83, 0x76, 0x6a, 0xad, 0xe7, 0xec, 0xd0, 0x89,
		0x1f, 0x70, 0xf9, 0xff, 0x7f, 0x4b, 0xf4, 0x7b,
	};
	static const uint8_t key[] = {
		0x8b, 0x1a, 0x0b, 0xc1, 0x21, 0x28, 0x42, 0x90,
		0xa2, 0x9e, 0x09, 0x71, 0xb5, 0xcd, 0x04, 0x5d,
	};
	static const uint8_t iv[] = {
		0x91, 0xf7, 0x3e, 0x23, 0x51, 0xd8, 0xfa, 0x91,
		0x66, 0x0e, 0x90, 0x9f,
	};
	static const uint8_t hp[] = {
		0x45, 0xb9, 0x5e, 0x15, 0x23, 0x5d, 0x6f, 0x45,
		0xa6, 0xb1, 0x9c, 0xbc, 0xb0, 0x29, 0x4b, 0xa9,
	};
	struct quic_keys k;

	(void)state;
	assert_int_equal(quic_client_keys(q, QUIC_V2, rfc_dcid,
	    sizeof(rfc_dcid), &k), ERR_OK);
	assert_memory_equal(k.secret, secret, sizeof(secret));
	assert_memory_equal(k.key, key, sizeof(key));
	assert_memory_equal(k.iv, iv, sizeof(iv));
	assert_memory_equal(k.hp, hp, sizeof(hp));
}

static void
test_keys_draft29(void **state)
{
	/* client_initial_secret, key, iv, hp: draft-ietf-quic-tls-29 A.1 */
	static const uint8_t secret[] = {
		0x00, 0x88, 0x11, 0x92, 0x88, 0xf1, 0xd8, 0x66,
		0x73, 0x3c, 0xee, 0xed, 0x15, 0xff, 0x9d, 0x50,
		0x90, 0x2c, 0xf8, 0x29, 0x52, 0xee, 0xe2, 0x7e,
		0x9d, 0x4d, 0x49, 0x18, 0xea, 0x37, 0x1d, 0x87,
	};
	static const uint8_t key[] = {
		0x17, 0x52, 0x57, 0xa3, 0x1e, 0xb0, 0x9d, 0xea,
		0x93, 0x66, 0xd8, 0xbb, 0x79, 0xad, 0x80, 0xba,
	};
	static const uint8_t iv[] = {
		0x6b, 0x26, 0x11, 0x4b, 0x9c, 0xba, 0x2b, 0x63,
		0xa9, 0xe8, 0xdd, 0x4f,
	};
	static const uint8_t hp[] = {
		0x9d, 0xdd, 0x12, 0xc9, 0x94, 0xc0, 0x69, 0x8b,
		0x89, 0x37, 0x4a, 0x9c, 0x07, 0x7a, 0x30, 0x77,
	};
	struct quic_keys k;

	(void)state;
	assert_int_equal(quic_client_keys(q, QUIC_DRAFT29, rfc_dcid,
	    sizeof(rfc_dcid), &k), ERR_OK);
	assert_memory_equal(k.secret, secret, sizeof(secret));
	assert_memory_equal(k.key, key, sizeof(key));
	assert_memory_equal(k.iv, iv, sizeof(iv));
	assert_memory_equal(k.hp, hp, sizeof(hp));
}

static void
test_keys_refused(void **state)
{
	uint8_t cid[QUIC_CID_MAX + 1] = { 0 };
	struct quic_keys k;

	(void)state;
	assert_int_equal(quic_client_keys(q, 0xff000014u, rfc_dcid,
	    sizeof(rfc_dcid), &k), ERR_UNSUPPORTED);	/* draft-20 */
	assert_int_equal(quic_client_keys(q, 0x1a2a3a4au, rfc_dcid,
	    sizeof(rfc_dcid), &k), ERR_UNSUPPORTED);	/* reserved */
	assert_int_equal(quic_client_keys(q, 0x51303436u, rfc_dcid,
	    sizeof(rfc_dcid), &k), ERR_UNSUPPORTED);	/* gQUIC Q046 */
	assert_int_equal(quic_client_keys(q, QUIC_V1, cid, sizeof(cid), &k),
	    ERR_MALFORMED);
	assert_int_equal(quic_client_keys(q, QUIC_V1, cid, QUIC_CID_MAX, &k),
	    ERR_OK);
	assert_int_equal(quic_client_keys(q, QUIC_V1, NULL, 0, &k), ERR_OK);
}

/* ----- the RFC client Initials ----- */

static void
check_rfc_initial(const uint8_t *pkt, size_t len, uint32_t version,
    const uint8_t *hdr, size_t hdr_len)
{
	struct quic_initial out;
	int pass;

	/* Keys from the packet's own DCID, then from the same odcid. */
	for (pass = 0; pass < 2; pass++) {
		memset(&out, 0xa5, sizeof(out));
		memset(scratch, 0, sizeof(scratch));
		assert_int_equal(quic_client_initial(q, pkt, len,
		    pass ? rfc_dcid : NULL, pass ? sizeof(rfc_dcid) : 0,
		    scratch, sizeof(scratch), &out), ERR_OK);
		assert_true(out.version == version);
		assert_int_equal(out.dcid_len, sizeof(rfc_dcid));
		assert_memory_equal(out.dcid, rfc_dcid, sizeof(rfc_dcid));
		assert_int_equal(out.n_packets, 1);
		assert_int_equal(out.n_failed, 0);
		assert_int_equal(out.n_frags, 1);
		assert_false(out.frags_dropped);
		/* The ClientHello: 01 00 00 ed 03 03 eb f8 fa 56 ... */
		assert_frag(&out.frags[0], 0, rfc_crypto + 4,
		    sizeof(rfc_crypto) - 4);
		assert_int_equal(out.frags[0].data[0], 0x01);
		assert_int_equal(out.frags[0].data[3], 0xed);
		/* The header, unprotected: packet number 2. */
		assert_memory_equal(scratch, hdr, hdr_len);
		assert_true(out.frags[0].data == scratch + hdr_len + 4);
	}
}

static void
test_rfc9001_client_initial(void **state)
{
	(void)state;
	assert_true(quic_is_initial(rfc9001_client, sizeof(rfc9001_client)));
	check_rfc_initial(rfc9001_client, sizeof(rfc9001_client), QUIC_V1,
	    rfc9001_client_hdr, sizeof(rfc9001_client_hdr));
}

static void
test_rfc9369_client_initial(void **state)
{
	(void)state;
	assert_true(quic_is_initial(rfc9369_client, sizeof(rfc9369_client)));
	check_rfc_initial(rfc9369_client, sizeof(rfc9369_client), QUIC_V2,
	    rfc9369_client_hdr, sizeof(rfc9369_client_hdr));
}

/*
 * The builder that makes the other tests' packets reproduces both RFC
 * packets byte for byte, so what it makes is what a client sends.
 */
static void
test_builder_matches_rfc(void **state)
{
	uint8_t out[DGRAM_MAX];
	struct spec s = {
		.dcid = rfc_dcid, .dcid_len = sizeof(rfc_dcid),
		.pn = 2, .pn_len = 4, .frames = rfc_crypto,
		.frames_len = sizeof(rfc_crypto), .pad_to = 1162,
	};

	(void)state;
	s.version = QUIC_V1;
	assert_int_equal(build_initial(&s, out, sizeof(out)),
	    sizeof(rfc9001_client));
	assert_memory_equal(out, rfc9001_client, sizeof(rfc9001_client));
	s.version = QUIC_V2;
	assert_int_equal(build_initial(&s, out, sizeof(out)),
	    sizeof(rfc9369_client));
	assert_memory_equal(out, rfc9369_client, sizeof(rfc9369_client));
}

/* Server Initials do not open with client keys: counted, not listed. */
static void
test_server_initial(void **state)
{
	uint8_t dgram[DGRAM_MAX];
	struct quic_initial out;
	size_t n;

	(void)state;
	assert_true(quic_is_initial(rfc9001_server, sizeof(rfc9001_server)));
	assert_int_equal(quic_client_initial(q, rfc9001_server,
	    sizeof(rfc9001_server), rfc_dcid, sizeof(rfc_dcid), scratch,
	    sizeof(scratch), &out), ERR_MALFORMED);
	assert_int_equal(quic_client_initial(q, rfc9001_server,
	    sizeof(rfc9001_server), NULL, 0, scratch, sizeof(scratch), &out),
	    ERR_MALFORMED);
	assert_int_equal(quic_client_initial(q, rfc9369_server,
	    sizeof(rfc9369_server), rfc_dcid, sizeof(rfc_dcid), scratch,
	    sizeof(scratch), &out), ERR_MALFORMED);

	/* Server's then client's, coalesced: one fails, one opens. */
	memcpy(dgram, rfc9001_server, sizeof(rfc9001_server));
	n = sizeof(rfc9001_server);
	memcpy(dgram + n, rfc9001_client, sizeof(rfc9001_client));
	n += sizeof(rfc9001_client);
	assert_int_equal(quic_client_initial(q, dgram, n, rfc_dcid,
	    sizeof(rfc_dcid), scratch, sizeof(scratch), &out), ERR_OK);
	assert_int_equal(out.n_packets, 1);
	assert_int_equal(out.n_failed, 1);
	assert_int_equal(out.dcid_len, 0);	/* the first Initial's */
	assert_int_equal(out.n_frags, 1);
	assert_frag(&out.frags[0], 0, rfc_crypto + 4, sizeof(rfc_crypto) - 4);
}

/* ----- coalesced packets (RFC 9000 12.2) ----- */

static void
test_coalesced(void **state)
{
	/* CRYPTO frame, offset 5: " world" */
	static const uint8_t frames_world[] = {
		0x06, 0x05, 0x06, ' ', 'w', 'o', 'r', 'l', 'd',
	};
	uint8_t dgram[DGRAM_MAX];
	struct quic_initial out;
	size_t n = 0;

	(void)state;
	/* Initial, 0-RTT (type 1), Handshake (type 2), then zero padding. */
	n += build_v1(dcid_a, sizeof(dcid_a), 0, frames_hello,
	    sizeof(frames_hello), dgram + n, sizeof(dgram) - n);
	n += put_other(dgram + n, QUIC_V1, 1, 100);
	n += put_other(dgram + n, QUIC_V1, 2, 60);
	memset(dgram + n, 0, 300);
	n += 300;
	assert_int_equal(quic_client_initial(q, dgram, n, dcid_a,
	    sizeof(dcid_a), scratch, sizeof(scratch), &out), ERR_OK);
	assert_int_equal(out.n_packets, 1);
	assert_int_equal(out.n_failed, 0);
	assert_int_equal(out.n_frags, 1);
	assert_frag(&out.frags[0], 0, "hello", 5);

	/* Two Initials, then a short-header packet that ends the walk. */
	n = build_v1(dcid_a, sizeof(dcid_a), 0, frames_hello,
	    sizeof(frames_hello), dgram, sizeof(dgram));
	n += build_v1(dcid_a, sizeof(dcid_a), 1, frames_world,
	    sizeof(frames_world), dgram + n, sizeof(dgram) - n);
	dgram[n++] = 0x41;		/* short header */
	memset(dgram + n, 0xc3, 40);	/* would read as long headers */
	n += 40;
	assert_int_equal(quic_client_initial(q, dgram, n, NULL, 0, scratch,
	    sizeof(scratch), &out), ERR_OK);
	assert_int_equal(out.n_packets, 2);
	assert_int_equal(out.n_failed, 0);
	assert_int_equal(out.n_frags, 2);
	assert_frag(&out.frags[0], 0, "hello", 5);
	assert_frag(&out.frags[1], 5, " world", 6);

	/* A v2 Handshake (type 3) packet first, then the v2 Initial. */
	n = put_other(dgram, QUIC_V2, 3, 50);
	memcpy(dgram + n, rfc9369_client, sizeof(rfc9369_client));
	n += sizeof(rfc9369_client);
	assert_true(quic_is_initial(dgram, n));	/* behind the Handshake */
	assert_int_equal(quic_client_initial(q, dgram, n, rfc_dcid,
	    sizeof(rfc_dcid), scratch, sizeof(scratch), &out), ERR_OK);
	assert_true(out.version == QUIC_V2);
	assert_int_equal(out.n_packets, 1);
	assert_frag(&out.frags[0], 0, rfc_crypto + 4, sizeof(rfc_crypto) - 4);

	/* An Initial after a v1 Retry (type 3, no Length) is not reached. */
	n = put_other(dgram, QUIC_V1, 3, 50);
	memcpy(dgram + n, rfc9001_client, sizeof(rfc9001_client));
	n += sizeof(rfc9001_client);
	assert_int_equal(quic_client_initial(q, dgram, n, rfc_dcid,
	    sizeof(rfc_dcid), scratch, sizeof(scratch), &out), ERR_NOTFOUND);
}

/* ----- frames (RFC 9000 19) ----- */

static void
test_crypto_out_of_order(void **state)
{
	static const uint8_t frames[] = {
		0x03, 0x05, 0x40, 0x10,	/* ACK_ECN: largest 5, delay 16 */
		0x02, 0x01,		/* 2 ranges, first range 1 */
		0x00, 0x00, 0x01, 0x00,	/* gap 0 len 0, gap 1 len 0 */
		0x01, 0x00, 0x80, 0x00, 0x00, 0x02,	/* ECT0 ECT1 CE */
		0x06, 0x06, 0x05, 'w', 'o', 'r', 'l', 'd',	/* CRYPTO 6 */
		0x00, 0x00, 0x00,	/* PADDING */
		0x01,			/* PING */
		0x02, 0x00, 0x00, 0x00, 0x00,	/* ACK, no ranges */
		0x06, 0x00, 0x06, 'h', 'e', 'l', 'l', 'o', ' ',	/* CRYPTO 0 */
		0x06, 0x40, 0x0b, 0x00,	/* CRYPTO 11, empty: not listed */
		0x1c, 0x07, 0x00, 0x02, 'n', 'o',	/* CONNECTION_CLOSE */
		0x1d, 0x01, 0x00,	/* CONNECTION_CLOSE (application) */
		0x06, 0x80, 0x00, 0x00, 0x0b, 0x01, '!',	/* CRYPTO 11 */
	};
	uint8_t dgram[DGRAM_MAX];
	struct quic_initial out;
	size_t n;

	(void)state;
	n = build_v1(dcid_a, sizeof(dcid_a), 0, frames, sizeof(frames),
	    dgram, sizeof(dgram));
	assert_int_equal(quic_client_initial(q, dgram, n, dcid_a,
	    sizeof(dcid_a), scratch, sizeof(scratch), &out), ERR_OK);
	assert_int_equal(out.n_frags, 3);
	assert_frag(&out.frags[0], 6, "world", 5);
	assert_frag(&out.frags[1], 0, "hello ", 6);
	assert_frag(&out.frags[2], 11, "!", 1);
}

/* A frame an Initial cannot hold ends the walk; what came before stays. */
static void
test_frames_stop(void **state)
{
	static const uint8_t stream[] = {
		0x06, 0x00, 0x02, 'h', 'i',	/* CRYPTO 0 */
		0x08, 0x00, 0x01, 'x',		/* STREAM: not in an Initial */
		0x06, 0x02, 0x01, '!',		/* CRYPTO 2: not reached */
	};
	static const uint8_t overlong[] = {
		0x06, 0x00, 0x02, 'h', 'i',	/* CRYPTO 0 */
		0x06, 0x02, 0x44, 0x00, '!',	/* CRYPTO 2, 1024 bytes */
	};
	static const uint8_t many_ranges[] = {
		0x06, 0x00, 0x02, 'h', 'i',	/* CRYPTO 0 */
		0x02, 0x00, 0x00, 0x44, 0x00, 0x00,	/* ACK, 1024 ranges */
		0x06, 0x02, 0x01, '!',		/* CRYPTO 2: not reached */
	};
	static const uint8_t huge_off[] = {
		0x06, 0x00, 0x02, 'h', 'i',	/* CRYPTO 0 */
		0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x01, '!',		/* CRYPTO 2^62-1, 1 byte: past 2^62 */
	};
	static const struct {
		const uint8_t	*f;
		size_t		 len;
	} cases[] = {
		{ stream, sizeof(stream) },
		{ overlong, sizeof(overlong) },
		{ many_ranges, sizeof(many_ranges) },
		{ huge_off, sizeof(huge_off) },
	};
	uint8_t dgram[DGRAM_MAX];
	struct quic_initial out;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* No padding: the overlong CRYPTO would swallow it. */
		struct spec s = {
			.version = QUIC_V1, .dcid = dcid_a,
			.dcid_len = sizeof(dcid_a), .pn_len = 1,
			.frames = cases[i].f, .frames_len = cases[i].len,
		};

		n = build_initial(&s, dgram, sizeof(dgram));
		assert_int_equal(quic_client_initial(q, dgram, n, dcid_a,
		    sizeof(dcid_a), scratch, sizeof(scratch), &out), ERR_OK);
		assert_int_equal(out.n_packets, 1);
		assert_int_equal(out.n_frags, 1);
		assert_frag(&out.frags[0], 0, "hi", 2);
	}
}

static void
test_frags_capped(void **state)
{
	uint8_t frames[(QUIC_MAX_FRAGS + 6) * 5], dgram[DGRAM_MAX];
	struct quic_initial out;
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < QUIC_MAX_FRAGS + 6; i++) {
		frames[n++] = 0x06;		/* CRYPTO i, 1 byte */
		frames[n++] = 0x40;		/* 2-byte varint */
		frames[n++] = (uint8_t)i;
		frames[n++] = 0x01;
		frames[n++] = (uint8_t)('A' + i % 26);
	}
	n = build_v1(dcid_a, sizeof(dcid_a), 0, frames, sizeof(frames),
	    dgram, sizeof(dgram));
	assert_int_equal(quic_client_initial(q, dgram, n, dcid_a,
	    sizeof(dcid_a), scratch, sizeof(scratch), &out), ERR_OK);
	assert_int_equal(out.n_frags, QUIC_MAX_FRAGS);
	assert_true(out.frags_dropped);
	for (i = 0; i < QUIC_MAX_FRAGS; i++) {
		uint8_t ch = (uint8_t)('A' + i % 26);

		assert_frag(&out.frags[i], i, &ch, 1);
	}
}

/* ----- connection IDs (RFC 9000 7.2, RFC 9001 5.2) ----- */

/*
 * A ClientHello in two Initials, the second sent to the server's chosen
 * DCID after its first Initial came back: both keyed by the original DCID.
 */
static void
test_split_across_initials(void **state)
{
	/* CRYPTO frame, offset 3: "lo" */
	static const uint8_t frames_lo[] = { 0x06, 0x03, 0x02, 'l', 'o' };
	/* CRYPTO frame, offset 0: "hel" */
	static const uint8_t frames_hel[] = { 0x06, 0x00, 0x03, 'h', 'e', 'l' };
	uint8_t d1[DGRAM_MAX], d2[DGRAM_MAX];
	struct quic_initial out;
	size_t n1, n2;
	struct spec s = {
		.version = QUIC_V1, .dcid = dcid_b, .dcid_len = sizeof(dcid_b),
		.key_cid = dcid_a, .key_cid_len = sizeof(dcid_a),
		.pn = 1, .pn_len = 1, .frames = frames_lo,
		.frames_len = sizeof(frames_lo), .pad_to = 1100,
	};

	(void)state;
	n1 = build_v1(dcid_a, sizeof(dcid_a), 0, frames_hel,
	    sizeof(frames_hel), d1, sizeof(d1));
	n2 = build_initial(&s, d2, sizeof(d2));

	/* The second arrives first: the caller has no odcid yet. */
	assert_int_equal(quic_client_initial(q, d2, n2, NULL, 0, scratch,
	    sizeof(scratch), &out), ERR_MALFORMED);

	assert_int_equal(quic_client_initial(q, d1, n1, NULL, 0, scratch,
	    sizeof(scratch), &out), ERR_OK);
	assert_int_equal(out.dcid_len, sizeof(dcid_a));
	assert_memory_equal(out.dcid, dcid_a, sizeof(dcid_a));
	assert_int_equal(out.n_frags, 1);
	assert_frag(&out.frags[0], 0, "hel", 3);

	assert_int_equal(quic_client_initial(q, d2, n2, out.dcid,
	    out.dcid_len, scratch, sizeof(scratch), &out), ERR_OK);
	assert_int_equal(out.dcid_len, sizeof(dcid_b));	/* as sent */
	assert_memory_equal(out.dcid, dcid_b, sizeof(dcid_b));
	assert_int_equal(out.n_frags, 1);
	assert_frag(&out.frags[0], 3, "lo", 2);
}

/* After a Retry the client keys its Initials by the Retry's CID. */
static void
test_after_retry(void **state)
{
	static const uint8_t token[30] = { 0x5a, 0x5b, 0x5c };
	uint8_t dgram[DGRAM_MAX];
	struct quic_initial out;
	size_t n;
	struct spec s = {
		.version = QUIC_V2, .dcid = dcid_b, .dcid_len = sizeof(dcid_b),
		.scid = scid8, .scid_len = sizeof(scid8), .token = token,
		.token_len = sizeof(token), .pn = 0, .pn_len = 4,
		.frames = frames_hello, .frames_len = sizeof(frames_hello),
		.pad_to = 1150,
	};

	(void)state;
	n = build_initial(&s, dgram, sizeof(dgram));
	assert_int_equal(quic_client_initial(q, dgram, n, dcid_a,
	    sizeof(dcid_a), scratch, sizeof(scratch), &out), ERR_OK);
	assert_true(out.version == QUIC_V2);
	assert_int_equal(out.n_failed, 0);
	assert_frag(&out.frags[0], 0, "hello", 5);
}

/* More connections than the key cache holds, in turn and back again. */
static void
test_key_cache(void **state)
{
	uint8_t dgram[DGRAM_MAX], cid[QUIC_CID_MAX];
	struct quic_initial out;
	size_t n;
	int i, round;

	(void)state;
	for (round = 0; round < 2; round++)
		for (i = 0; i < 20; i++) {
			unsigned c = (unsigned)(round ? 19 - i : i);

			memset(cid, (int)c, sizeof(cid));
			n = build_v1(cid, 8 + c % 13, c, frames_hello,
			    sizeof(frames_hello), dgram, sizeof(dgram));
			assert_int_equal(quic_client_initial(q, dgram, n, cid,
			    8 + c % 13, scratch, sizeof(scratch), &out),
			    ERR_OK);
			assert_int_equal(out.n_failed, 0);
			assert_frag(&out.frags[0], 0, "hello", 5);
		}
}

/*
 * Packet number lengths 1 to 4, each version, and a cleared fixed bit
 * (RFC 9287).
 */
static void
test_header_forms(void **state)
{
	uint8_t dgram[DGRAM_MAX];
	struct quic_initial out;
	size_t n, len;
	static const uint32_t vers[] = {
		QUIC_V1, QUIC_V2, QUIC_DRAFT29, QUIC_V2,
	};
	struct spec s = {
		.version = QUIC_V1, .dcid = dcid_a, .dcid_len = sizeof(dcid_a),
		.frames = frames_hello, .frames_len = sizeof(frames_hello),
	};

	(void)state;
	for (len = 1; len <= 4; len++) {
		s.pn_len = len;
		s.pn = len == 1 ? 0x7f : 0x1234;
		s.no_fixed_bit = len == 3;
		s.version = vers[len - 1];
		n = build_initial(&s, dgram, sizeof(dgram));
		assert_true(quic_is_initial(dgram, n));
		assert_int_equal(quic_client_initial(q, dgram, n, dcid_a,
		    sizeof(dcid_a), scratch, sizeof(scratch), &out), ERR_OK);
		assert_frag(&out.frags[0], 0, "hello", 5);
		/* The plaintext follows the clear packet number. */
		assert_int_equal(scratch[0] & 3, len - 1);
		assert_int_equal(scratch[n - 16 - sizeof(frames_hello) - 1],
		    s.pn & 0xff);
	}

	/* No plaintext at all: with a 4-byte pn the sample is the tag. */
	s.version = QUIC_V1;
	s.pn_len = 4;
	s.pn = 0;
	s.no_fixed_bit = false;
	s.frames = NULL;
	s.frames_len = 0;
	n = build_initial(&s, dgram, sizeof(dgram));
	assert_int_equal(quic_client_initial(q, dgram, n, dcid_a,
	    sizeof(dcid_a), scratch, sizeof(scratch), &out), ERR_OK);
	assert_int_equal(out.n_frags, 0);
}

/* ----- damage ----- */

static void
test_damaged(void **state)
{
	uint8_t dgram[sizeof(rfc9001_client)];
	struct quic_initial out;
	static const size_t flips[] = {
		0,			/* first byte: AAD */
		6,			/* DCID: AAD (and keys) */
		19,			/* packet number */
		100,			/* ciphertext */
		sizeof(rfc9001_client) - 1,	/* tag */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
		memcpy(dgram, rfc9001_client, sizeof(dgram));
		dgram[flips[i]] ^= 0x04;
		memset(&out, 0xa5, sizeof(out));
		assert_int_equal(quic_client_initial(q, dgram, sizeof(dgram),
		    rfc_dcid, sizeof(rfc_dcid), scratch, sizeof(scratch),
		    &out), ERR_MALFORMED);
		/* The counts are this datagram's, for the caller's stats. */
		assert_int_equal(out.n_packets, 0);
		assert_int_equal(out.n_failed, 1);
		assert_int_equal(out.n_frags, 0);
	}
	/* Length reaching past the datagram. */
	memcpy(dgram, rfc9001_client, sizeof(dgram));
	dgram[17] = 0x9f;		/* 0x449f: one byte too many */
	assert_int_equal(quic_client_initial(q, dgram, sizeof(dgram),
	    rfc_dcid, sizeof(rfc_dcid), scratch, sizeof(scratch), &out),
	    ERR_MALFORMED);
	/* DCID longer than 20 bytes. */
	memcpy(dgram, rfc9001_client, sizeof(dgram));
	dgram[5] = 21;
	assert_int_equal(quic_client_initial(q, dgram, sizeof(dgram),
	    rfc_dcid, sizeof(rfc_dcid), scratch, sizeof(scratch), &out),
	    ERR_MALFORMED);
}

static void
test_not_initial(void **state)
{
	/* A DNS query: 12-byte header, nothing else. */
	static const uint8_t dns[] = {
		0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,
	};
	/* Short header: form bit clear. */
	static const uint8_t short_hdr[] = {
		0x43, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x00,
	};
	/* Version Negotiation: version 0. */
	static const uint8_t vneg[] = {
		0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x01, 0x02, 0x03,
		0x04, 0x00, 0x00, 0x00, 0x01,
	};
	/* A long header of Google QUIC Q046, a version not read here. */
	static const uint8_t q046[] = {
		0xc3, 0x51, 0x30, 0x34, 0x36, 0x50, 0x83, 0x94, 0xc8, 0xf0,
		0x3e, 0x51, 0x57, 0x08, 0x00, 0x00, 0x40, 0x20,
	};
	uint8_t dgram[DGRAM_MAX];
	struct quic_initial out;
	size_t n;

	(void)state;
	assert_int_equal(quic_client_initial(q, dns, 0, NULL, 0, scratch,
	    sizeof(scratch), &out), ERR_NOTFOUND);
	assert_int_equal(quic_client_initial(q, dns, sizeof(dns), NULL, 0,
	    scratch, sizeof(scratch), &out), ERR_NOTFOUND);
	assert_int_equal(quic_client_initial(q, short_hdr, sizeof(short_hdr),
	    NULL, 0, scratch, sizeof(scratch), &out), ERR_NOTFOUND);
	assert_int_equal(quic_client_initial(q, vneg, sizeof(vneg), NULL, 0,
	    scratch, sizeof(scratch), &out), ERR_NOTFOUND);
	assert_int_equal(quic_client_initial(q, q046, sizeof(q046),
	    NULL, 0, scratch, sizeof(scratch), &out), ERR_NOTFOUND);
	/* 0-RTT then Handshake, no Initial. */
	n = put_other(dgram, QUIC_V1, 1, 40);
	n += put_other(dgram + n, QUIC_V1, 2, 40);
	assert_int_equal(quic_client_initial(q, dgram, n, NULL, 0, scratch,
	    sizeof(scratch), &out), ERR_NOTFOUND);
}

static void
test_arguments(void **state)
{
	uint8_t cid[QUIC_CID_MAX + 1] = { 0 };
	struct quic_initial out;

	(void)state;
	assert_int_equal(quic_client_initial(q, rfc9001_client,
	    sizeof(rfc9001_client), cid, sizeof(cid), scratch,
	    sizeof(scratch), &out), ERR_MALFORMED);
	assert_int_equal(quic_client_initial(q, rfc9001_client,
	    sizeof(rfc9001_client), NULL, 0, scratch,
	    sizeof(rfc9001_client) - 1, &out), ERR_FULL);
	quic_free(NULL);
}

static void
test_is_initial(void **state)
{
	static const struct {
		uint8_t		 b[5];
		size_t		 len;
		bool		 initial;
	} cases[] = {
		{ { 0xc0, 0x00, 0x00, 0x00, 0x01 }, 5, true },	/* v1 */
		{ { 0x83, 0x00, 0x00, 0x00, 0x01 }, 5, true },	/* fixed 0 */
		{ { 0xd0, 0x00, 0x00, 0x00, 0x01 }, 5, false },	/* v1 0-RTT */
		{ { 0xe0, 0x00, 0x00, 0x00, 0x01 }, 5, false },	/* Handshake */
		{ { 0xf0, 0x00, 0x00, 0x00, 0x01 }, 5, false },	/* Retry */
		{ { 0xd1, 0x6b, 0x33, 0x43, 0xcf }, 5, true },	/* v2 */
		{ { 0xc1, 0x6b, 0x33, 0x43, 0xcf }, 5, false },	/* v2 Retry */
		{ { 0xe1, 0x6b, 0x33, 0x43, 0xcf }, 5, false },	/* v2 0-RTT */
		{ { 0x40, 0x00, 0x00, 0x00, 0x01 }, 5, false },	/* short */
		{ { 0xc0, 0xff, 0x00, 0x00, 0x1d }, 5, true },	/* draft-29 */
		{ { 0xc0, 0xff, 0x00, 0x00, 0x1c }, 5, true },	/* draft-28 */
		{ { 0xc0, 0xff, 0x00, 0x00, 0x14 }, 5, false },	/* draft-20 */
		{ { 0xc0, 0xfa, 0xce, 0xb0, 0x02 }, 5, true },	/* mvfst */
		{ { 0xc0, 0x54, 0x30, 0x35, 0x31 }, 5, true },	/* T051 */
		{ { 0xc0, 0x1a, 0x2a, 0x3a, 0x4a }, 5, false },	/* reserved */
		{ { 0xc3, 0x51, 0x30, 0x35, 0x30 }, 5, true },	/* Q050 */
		{ { 0xc3, 0x51, 0x30, 0x34, 0x36 }, 5, false },	/* Q046 */
		{ { 0xc0, 0x00, 0x00, 0x00, 0x00 }, 5, false },	/* VN */
		{ { 0xc0, 0x00, 0x00, 0x00, 0x01 }, 4, false },	/* short read */
		{ { 0xc0 }, 0, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(quic_is_initial(cases[i].b, cases[i].len),
		    cases[i].initial);
}

/* ----- every prefix, each in a heap block of its exact size ----- */

static void
test_truncated_rfc(void **state)
{
	struct quic_initial out;
	uint8_t *buf, *scr;
	size_t len;
	int r;

	(void)state;
	for (len = 0; len < sizeof(rfc9001_client); len++) {
		assert_non_null(buf = malloc(len ? len : 1));
		assert_non_null(scr = malloc(len ? len : 1));
		memcpy(buf, rfc9001_client, len);
		assert_false(quic_is_initial(buf, len) != (len >= 5));
		r = quic_client_initial(q, buf, len, rfc_dcid,
		    sizeof(rfc_dcid), scr, len, &out);
		/* Once the version is read it is an Initial that failed. */
		assert_int_equal(r, len < 5 ? ERR_NOTFOUND : ERR_MALFORMED);
		r = quic_client_initial(q, buf, len, NULL, 0, scr, len, &out);
		assert_int_equal(r, len < 5 ? ERR_NOTFOUND : ERR_MALFORMED);
		free(scr);
		free(buf);
	}
}

static void
test_truncated_coalesced(void **state)
{
	/* CRYPTO frame, offset 5: "!" */
	static const uint8_t frames_bang[] = { 0x06, 0x05, 0x01, '!' };
	uint8_t dgram[DGRAM_MAX], *buf, *scr;
	struct quic_initial out;
	size_t n1, n, len;
	int r;

	(void)state;
	n1 = build_v1(dcid_a, sizeof(dcid_a), 0, frames_hello,
	    sizeof(frames_hello), dgram, sizeof(dgram));
	n = n1 + build_v1(dcid_a, sizeof(dcid_a), 1, frames_bang,
	    sizeof(frames_bang), dgram + n1, sizeof(dgram) - n1);
	for (len = 0; len <= n; len++) {
		assert_non_null(buf = malloc(len ? len : 1));
		assert_non_null(scr = malloc(len ? len : 1));
		memcpy(buf, dgram, len);
		r = quic_client_initial(q, buf, len, dcid_a, sizeof(dcid_a),
		    scr, len, &out);
		if (len < n1) {
			assert_int_equal(r, len < 5 ? ERR_NOTFOUND :
			    ERR_MALFORMED);
		} else {
			assert_int_equal(r, ERR_OK);
			assert_int_equal(out.n_packets, len == n ? 2 : 1);
			assert_int_equal(out.n_failed,
			    len == n || len < n1 + 5 ? 0 : 1);
			assert_int_equal(out.n_frags, len == n ? 2 : 1);
			assert_int_equal(out.frags[0].len, 5);
			assert_memory_equal(out.frags[0].data, "hello", 5);
		}
		free(scr);
		free(buf);
	}
}

/* ----- the drafts, mvfst, T051 and versions not read ----- */

static void
keys_of(uint32_t version, struct quic_keys *k)
{
	assert_int_equal(quic_client_keys(q, version, rfc_dcid,
	    sizeof(rfc_dcid), k), ERR_OK);
}

static void
test_keys_versions(void **state)
{
	struct quic_keys v1, d34, d33, d29, d32, d27, d23, d22, fb1, fb2, t51;
	struct quic_keys q50;

	(void)state;
	keys_of(QUIC_V1, &v1);
	keys_of(QUIC_DRAFT34, &d34);
	keys_of(0xff000021u, &d33);
	keys_of(QUIC_DRAFT29, &d29);
	keys_of(0xff000020u, &d32);
	keys_of(QUIC_DRAFT27, &d27);
	keys_of(0xff000017u, &d23);
	keys_of(0xff000016u, &d22);
	keys_of(QUIC_MVFST22, &fb1);
	keys_of(QUIC_MVFST27, &fb2);
	keys_of(QUIC_T051, &t51);
	keys_of(QUIC_Q050, &q50);
	/* Salts shared: draft-33/34 and v1, 29 to 32, 23 to 28. */
	assert_memory_equal(&d34, &v1, sizeof(v1));
	assert_memory_equal(&d33, &v1, sizeof(v1));
	assert_memory_equal(&d32, &d29, sizeof(v1));
	assert_memory_equal(&d23, &d27, sizeof(v1));
	assert_memory_equal(&fb1, &d22, sizeof(v1));
	assert_memory_equal(&fb2, &d27, sizeof(v1));
	/* and different ones */
	assert_memory_not_equal(&d27, &d29, sizeof(v1));
	assert_memory_not_equal(&d22, &d27, sizeof(v1));
	assert_memory_not_equal(&t51, &v1, sizeof(v1));
	assert_memory_not_equal(&t51, &d29, sizeof(v1));
	assert_memory_not_equal(&q50, &t51, sizeof(v1));
	assert_memory_not_equal(&q50, &v1, sizeof(v1));
}

/* An Initial of each version, built and read back. */
static void
test_versions_read(void **state)
{
	static const uint32_t vs[] = {
		QUIC_DRAFT27, 0xff000017u, 0xff00001cu, QUIC_DRAFT29,
		0xff000020u, 0xff000021u, QUIC_DRAFT34, QUIC_MVFST22,
		QUIC_MVFST27, 0xfaceb00eu, 0xff000016u,
	};
	/* T05x number CRYPTO 0x08. */
	static const uint8_t frames_t05[] = {
		0x08, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o',
	};
	uint8_t dgram[DGRAM_MAX];
	struct quic_initial out;
	struct spec s = {
		.dcid = dcid_a, .dcid_len = sizeof(dcid_a), .scid = scid8,
		.scid_len = sizeof(scid8), .pn_len = 2,
		.frames = frames_hello, .frames_len = sizeof(frames_hello),
		.pad_to = 1200,
	};
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
		s.version = vs[i];
		n = build_initial(&s, dgram, sizeof(dgram));
		assert_true(quic_is_initial(dgram, n));
		assert_int_equal(quic_client_initial(q, dgram, n, NULL, 0,
		    scratch, sizeof(scratch), &out), ERR_OK);
		assert_true(out.version == vs[i]);
		assert_int_equal(out.n_frags, 1);
		assert_frag(&out.frags[0], 0, "hello", 5);
	}
	/* T051: its CRYPTO is 0x08; a 0x06 frame ends the walk. */
	s.version = QUIC_T051;
	s.frames = frames_t05;
	s.frames_len = sizeof(frames_t05);
	n = build_initial(&s, dgram, sizeof(dgram));
	assert_int_equal(quic_client_initial(q, dgram, n, NULL, 0, scratch,
	    sizeof(scratch), &out), ERR_OK);
	assert_int_equal(out.n_frags, 1);
	assert_frag(&out.frags[0], 0, "hello", 5);
	/* Q050: the same frame numbers, its own salt (a CHLO inside). */
	s.version = QUIC_Q050;
	n = build_initial(&s, dgram, sizeof(dgram));
	assert_true(quic_is_initial(dgram, n));
	assert_int_equal(quic_client_initial(q, dgram, n, NULL, 0, scratch,
	    sizeof(scratch), &out), ERR_OK);
	assert_true(out.version == QUIC_Q050);
	assert_int_equal(out.n_frags, 1);
	assert_frag(&out.frags[0], 0, "hello", 5);
	s.version = QUIC_T051;
	s.frames = frames_hello;
	s.frames_len = sizeof(frames_hello);
	n = build_initial(&s, dgram, sizeof(dgram));
	assert_int_equal(quic_client_initial(q, dgram, n, NULL, 0, scratch,
	    sizeof(scratch), &out), ERR_OK);
	assert_int_equal(out.n_frags, 0);
}

/* Issue 22 item 12: any number of other packets before the Initial. */
static void
test_many_before_initial(void **state)
{
	uint8_t dgram[DGRAM_MAX];
	struct quic_initial out;
	size_t n = 0, i;

	(void)state;
	for (i = 0; i < 200; i++)
		n += put_other(dgram + n, QUIC_V1, 1 + i % 2, 4);
	n += build_v1(dcid_a, sizeof(dcid_a), 0, frames_hello,
	    sizeof(frames_hello), dgram + n, sizeof(dgram) - n);
	assert_true(n <= sizeof(dgram));
	assert_true(quic_is_initial(dgram, n));
	assert_int_equal(quic_client_initial(q, dgram, n, NULL, 0, scratch,
	    sizeof(scratch), &out), ERR_OK);
	assert_int_equal(out.n_packets, 1);
	assert_frag(&out.frags[0], 0, "hello", 5);
}

static void
test_other_version(void **state)
{
	uint8_t dgram[1300];
	uint32_t v = 0;

	(void)state;
	memset(dgram, 0, sizeof(dgram));
	/* Q048: long header, 8-byte DCID, no SCID, padded. */
	memcpy(dgram, "\xc3Q048\x08\x11\x22\x33\x44\x55\x66\x77\x88\x00",
	    15);
	assert_false(quic_is_initial(dgram, sizeof(dgram)));
	assert_int_equal(quic_other_version(dgram, sizeof(dgram), &v),
	    QUIC_OTHER_UNKNOWN);
	assert_true(v == 0x51303438u);
	/* Too small for a client's first datagram. */
	assert_int_equal(quic_other_version(dgram, 1199, &v),
	    QUIC_OTHER_NONE);
	/* Reserved, forcing version negotiation. */
	memcpy(dgram + 1, "\x3a\x4a\x5a\x6a", 4);
	assert_int_equal(quic_other_version(dgram, sizeof(dgram), &v),
	    QUIC_OTHER_RESERVED);
	assert_true(v == 0x3a4a5a6au);
	/* Version Negotiation (0), a version read, a short header. */
	memset(dgram + 1, 0, 4);
	assert_int_equal(quic_other_version(dgram, sizeof(dgram), &v),
	    QUIC_OTHER_NONE);
	dgram[4] = 1;
	assert_int_equal(quic_other_version(dgram, sizeof(dgram), &v),
	    QUIC_OTHER_NONE);
	dgram[0] = 0x43;
	dgram[4] = 7;
	assert_int_equal(quic_other_version(dgram, sizeof(dgram), &v),
	    QUIC_OTHER_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_v1),
		cmocka_unit_test(test_keys_v2),
		cmocka_unit_test(test_keys_draft29),
		cmocka_unit_test(test_keys_refused),
		cmocka_unit_test(test_rfc9001_client_initial),
		cmocka_unit_test(test_rfc9369_client_initial),
		cmocka_unit_test(test_builder_matches_rfc),
		cmocka_unit_test(test_server_initial),
		cmocka_unit_test(test_coalesced),
		cmocka_unit_test(test_crypto_out_of_order),
		cmocka_unit_test(test_frames_stop),
		cmocka_unit_test(test_frags_capped),
		cmocka_unit_test(test_split_across_initials),
		cmocka_unit_test(test_after_retry),
		cmocka_unit_test(test_key_cache),
		cmocka_unit_test(test_header_forms),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_not_initial),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_is_initial),
		cmocka_unit_test(test_truncated_rfc),
		cmocka_unit_test(test_truncated_coalesced),
		cmocka_unit_test(test_keys_versions),
		cmocka_unit_test(test_versions_read),
		cmocka_unit_test(test_many_before_initial),
		cmocka_unit_test(test_other_version),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
