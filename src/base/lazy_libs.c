/* lazy_libs.c - the libraries kasaudit uses, each opened at the first call
 * of one of its functions: stubs with the libraries' own prototypes. */

/*
 * Why: linked the usual way, every run of kasaudit had the dynamic loader
 * map and relocate 21 libraries before main() (libcrypto, libldns with
 * libssl, libpcap with libdbus, libsystemd, libgcrypt...): 12.6 ms of
 * CPU and 325 page faults for an empty main() against 2.2 ms and 47
 * with libc alone, on our 2 vCPU VM, though reading a plain pcap file uses
 * none of them.  Now the kasaudit binary links none of them (Makefile,
 * LAZY_LIBS): each function below has the library's prototype (its header
 * is included, so the compiler holds the two to agree), and its first
 * call opens the library with dlopen() and looks the function up; later
 * calls cost one indirect call.  The tests link the libraries as well:
 * dlopen() then finds them loaded.
 *
 * To use a new function of one of these libraries, add a LAZY() line in
 * its block, with the header's prototype; the link of build/kasaudit
 * fails until then.  A new library: a row of lazy_libs[] and a block.
 * Only functions: a library's data (none used today) cannot be reached
 * this way.  debian/control lists the packages (no longer found by
 * dpkg-shlibdeps).
 */
#include <pcap.h>
#include <ldns/ldns.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <event2/http.h>
#include <event2/util.h>
#include <jansson.h>
#include <fstrm.h>
#include <protobuf-c/protobuf-c.h>
#include <zlib.h>
#include <lzma.h>
#include <zstd.h>
#include <bzlib.h>
#ifdef KASAUDIT_QUIC
#include <openssl/evp.h>
#include <openssl/params.h>
#endif

#include "lazy.h"
#include "lazy_libs.h"

/* SONAMEs of Debian 12's packages; tests/test_lazy.c checks each is the
 * one the build links against. */
struct lazy_lib lazy_libs[LAZY_N] = {
	[LAZY_PCAP] = { "libpcap.so.0.8", "live capture and -f filters",
	    NULL },
	[LAZY_LDNS] = { "libldns.so.3", "DNS answers", NULL },
	[LAZY_EVENT] = { "libevent-2.1.so.7", "kasaudit live", NULL },
	[LAZY_JANSSON] = { "libjansson.so.4", "reading JSON", NULL },
	[LAZY_FSTRM] = { "libfstrm.so.0", "dnstap", NULL },
	[LAZY_PROTOBUF_C] = { "libprotobuf-c.so.1", "dnstap", NULL },
	[LAZY_Z] = { "libz.so.1", "gzip input", NULL },
	[LAZY_LZMA] = { "liblzma.so.5", "xz input", NULL },
	[LAZY_ZSTD] = { "libzstd.so.1", "zstd input", NULL },
	[LAZY_CRYPTO] = { "libcrypto.so.3", "QUIC and --anonymize", NULL },
	[LAZY_BZ2] = { "libbz2.so.1.0", "bzip2 input", NULL },
};

/*
 * The function's pointer is looked up once; two threads calling it first
 * at once both store the same address.
 */
#define LAZY_PTR(lib, ret, name, params)				\
	static ret (*fp) params;					\
	ret (*f) params = __atomic_load_n(&fp, __ATOMIC_ACQUIRE);	\
									\
	if (f == NULL) {						\
		f = (ret (*) params)lazy_sym(&lazy_libs[lib], #name);	\
		__atomic_store_n(&fp, f, __ATOMIC_RELEASE);		\
	}

#define LAZY(lib, ret, name, params, args)				\
ret name params								\
{									\
	LAZY_PTR(lib, ret, name, params)				\
	return f args;							\
}

#define LAZY_VOID(lib, name, params, args)				\
void name params							\
{									\
	LAZY_PTR(lib, void, name, params)				\
	f args;								\
}

/*
 * A free function that does nothing with NULL, as its library documents:
 * freeing what was never made (a QUIC decoder that saw no Initial) must
 * not load the library.
 */
#define LAZY_FREE(lib, name, type)					\
void name(type a0)							\
{									\
	if (a0 == NULL)							\
		return;							\
	LAZY_PTR(lib, void, name, (type))				\
	f(a0);								\
}

/* libpcap */
LAZY(LAZY_PCAP, int, pcap_activate, (pcap_t *a0), (a0))
LAZY_VOID(LAZY_PCAP, pcap_close, (pcap_t *a0), (a0))
LAZY(LAZY_PCAP, int, pcap_compile,
    (pcap_t *a0, struct bpf_program *a1, const char *a2, int a3,
    bpf_u_int32 a4), (a0, a1, a2, a3, a4))
LAZY(LAZY_PCAP, pcap_t *, pcap_create, (const char *a0, char *a1), (a0, a1))
LAZY(LAZY_PCAP, int, pcap_datalink, (pcap_t *a0), (a0))
LAZY_VOID(LAZY_PCAP, pcap_freecode, (struct bpf_program *a0), (a0))
LAZY(LAZY_PCAP, int, pcap_get_selectable_fd, (pcap_t *a0), (a0))
LAZY(LAZY_PCAP, int, pcap_get_tstamp_precision, (pcap_t *a0), (a0))
LAZY(LAZY_PCAP, char *, pcap_geterr, (pcap_t *a0), (a0))
LAZY(LAZY_PCAP, int, pcap_lookupnet,
    (const char *a0, bpf_u_int32 *a1, bpf_u_int32 *a2, char *a3), (a0, a1, a2,
    a3))
LAZY(LAZY_PCAP, int, pcap_next_ex,
    (pcap_t *a0, struct pcap_pkthdr **a1, const u_char **a2), (a0, a1, a2))
LAZY(LAZY_PCAP, int, pcap_offline_filter,
    (const struct bpf_program *a0, const struct pcap_pkthdr *a1,
    const u_char *a2), (a0, a1, a2))
LAZY(LAZY_PCAP, pcap_t *, pcap_open_dead, (int a0, int a1), (a0, a1))
LAZY(LAZY_PCAP, int, pcap_set_buffer_size, (pcap_t *a0, int a1), (a0, a1))
LAZY(LAZY_PCAP, int, pcap_set_promisc, (pcap_t *a0, int a1), (a0, a1))
LAZY(LAZY_PCAP, int, pcap_set_snaplen, (pcap_t *a0, int a1), (a0, a1))
LAZY(LAZY_PCAP, int, pcap_set_timeout, (pcap_t *a0, int a1), (a0, a1))
LAZY(LAZY_PCAP, int, pcap_set_tstamp_precision, (pcap_t *a0, int a1), (a0, a1))
LAZY(LAZY_PCAP, int, pcap_setfilter,
    (pcap_t *a0, struct bpf_program *a1), (a0, a1))
LAZY(LAZY_PCAP, int, pcap_setnonblock,
    (pcap_t *a0, int a1, char *a2), (a0, a1, a2))
LAZY(LAZY_PCAP, int, pcap_snapshot, (pcap_t *a0), (a0))
LAZY(LAZY_PCAP, int, pcap_stats, (pcap_t *a0, struct pcap_stat *a1), (a0, a1))
LAZY(LAZY_PCAP, const char *, pcap_statustostr, (int a0), (a0))

/* libldns */
LAZY(LAZY_LDNS, ldns_rr_list *, ldns_pkt_answer, (const ldns_pkt *a0), (a0))
LAZY_FREE(LAZY_LDNS, ldns_pkt_free, ldns_pkt *)
LAZY(LAZY_LDNS, uint8_t *, ldns_rdf_data, (const ldns_rdf *a0), (a0))
LAZY(LAZY_LDNS, ldns_rdf_type, ldns_rdf_get_type, (const ldns_rdf *a0), (a0))
LAZY(LAZY_LDNS, size_t, ldns_rdf_size, (const ldns_rdf *a0), (a0))
LAZY(LAZY_LDNS, ldns_rr_type, ldns_rr_get_type, (const ldns_rr *a0), (a0))
LAZY(LAZY_LDNS, ldns_rr *, ldns_rr_list_rr,
    (const ldns_rr_list *a0, size_t a1), (a0, a1))
LAZY(LAZY_LDNS, size_t, ldns_rr_list_rr_count, (const ldns_rr_list *a0), (a0))
LAZY(LAZY_LDNS, ldns_rdf *, ldns_rr_owner, (const ldns_rr *a0), (a0))
LAZY(LAZY_LDNS, ldns_rdf *, ldns_rr_rdf,
    (const ldns_rr *a0, size_t a1), (a0, a1))
LAZY(LAZY_LDNS, uint32_t, ldns_rr_ttl, (const ldns_rr *a0), (a0))
LAZY(LAZY_LDNS, ldns_status, ldns_wire2pkt,
    (ldns_pkt **a0, const uint8_t *a1, size_t a2), (a0, a1, a2))

/* libevent */
LAZY(LAZY_EVENT, int, bufferevent_decref, (struct bufferevent *a0), (a0))
LAZY(LAZY_EVENT, int, bufferevent_disable,
    (struct bufferevent *a0, short int a1), (a0, a1))
LAZY(LAZY_EVENT, int, bufferevent_enable,
    (struct bufferevent *a0, short int a1), (a0, a1))
LAZY_VOID(LAZY_EVENT, bufferevent_free, (struct bufferevent *a0), (a0))
LAZY(LAZY_EVENT, struct evbuffer *, bufferevent_get_input,
    (struct bufferevent *a0), (a0))
LAZY(LAZY_EVENT, struct evbuffer *, bufferevent_get_output,
    (struct bufferevent *a0), (a0))
LAZY_VOID(LAZY_EVENT, bufferevent_getcb,
    (struct bufferevent *a0, bufferevent_data_cb *a1, bufferevent_data_cb *a2,
    bufferevent_event_cb *a3, void **a4), (a0, a1, a2, a3, a4))
LAZY(LAZY_EVENT, int, bufferevent_getfd, (struct bufferevent *a0), (a0))
LAZY_VOID(LAZY_EVENT, bufferevent_incref, (struct bufferevent *a0), (a0))
LAZY_VOID(LAZY_EVENT, bufferevent_setcb,
    (struct bufferevent *a0, bufferevent_data_cb a1, bufferevent_data_cb a2,
    bufferevent_event_cb a3, void *a4), (a0, a1, a2, a3, a4))
LAZY_VOID(LAZY_EVENT, bufferevent_setwatermark,
    (struct bufferevent *a0, short int a1, size_t a2, size_t a3), (a0, a1, a2,
    a3))
LAZY(LAZY_EVENT, struct bufferevent *, bufferevent_socket_new,
    (struct event_base *a0, int a1, int a2), (a0, a1, a2))
LAZY(LAZY_EVENT, int, bufferevent_write,
    (struct bufferevent *a0, const void *a1, size_t a2), (a0, a1, a2))
LAZY(LAZY_EVENT, int, evbuffer_add,
    (struct evbuffer *a0, const void *a1, size_t a2), (a0, a1, a2))
LAZY(LAZY_EVENT, struct evbuffer_cb_entry *, evbuffer_add_cb,
    (struct evbuffer *a0, evbuffer_cb_func a1, void *a2), (a0, a1, a2))
LAZY(LAZY_EVENT, int, evbuffer_add_file_segment,
    (struct evbuffer *a0, struct evbuffer_file_segment *a1, int64_t a2,
    int64_t a3), (a0, a1, a2, a3))
LAZY(LAZY_EVENT, ssize_t, evbuffer_copyout_from,
    (struct evbuffer *a0, const struct evbuffer_ptr *a1, void *a2, size_t a3),
    (a0, a1, a2, a3))
LAZY(LAZY_EVENT, int, evbuffer_drain,
    (struct evbuffer *a0, size_t a1), (a0, a1))
LAZY_VOID(LAZY_EVENT, evbuffer_file_segment_free,
    (struct evbuffer_file_segment *a0), (a0))
LAZY(LAZY_EVENT, struct evbuffer_file_segment *, evbuffer_file_segment_new,
    (int a0, int64_t a1, int64_t a2, unsigned int a3), (a0, a1, a2, a3))
LAZY_VOID(LAZY_EVENT, evbuffer_free, (struct evbuffer *a0), (a0))
LAZY(LAZY_EVENT, size_t, evbuffer_get_length,
    (const struct evbuffer *a0), (a0))
LAZY(LAZY_EVENT, struct evbuffer *, evbuffer_new, (void), ())
LAZY(LAZY_EVENT, int, evbuffer_ptr_set,
    (struct evbuffer *a0, struct evbuffer_ptr *a1, size_t a2,
    enum evbuffer_ptr_how a3), (a0, a1, a2, a3))
LAZY(LAZY_EVENT, unsigned char *, evbuffer_pullup,
    (struct evbuffer *a0, ssize_t a1), (a0, a1))
LAZY(LAZY_EVENT, int, evbuffer_remove_cb,
    (struct evbuffer *a0, evbuffer_cb_func a1, void *a2), (a0, a1, a2))
LAZY(LAZY_EVENT, int, evconnlistener_disable,
    (struct evconnlistener *a0), (a0))
LAZY(LAZY_EVENT, int, evconnlistener_enable, (struct evconnlistener *a0), (a0))
LAZY_VOID(LAZY_EVENT, evconnlistener_free, (struct evconnlistener *a0), (a0))
LAZY(LAZY_EVENT, struct evconnlistener *, evconnlistener_new,
    (struct event_base *a0, evconnlistener_cb a1, void *a2, unsigned int a3,
    int a4, int a5), (a0, a1, a2, a3, a4, a5))
LAZY_VOID(LAZY_EVENT, event_active,
    (struct event *a0, int a1, short int a2), (a0, a1, a2))
LAZY(LAZY_EVENT, int, event_add,
    (struct event *a0, const struct timeval *a1), (a0, a1))
LAZY(LAZY_EVENT, int, event_base_dispatch, (struct event_base *a0), (a0))
LAZY_VOID(LAZY_EVENT, event_base_free, (struct event_base *a0), (a0))
LAZY(LAZY_EVENT, int, event_base_loopbreak, (struct event_base *a0), (a0))
LAZY(LAZY_EVENT, struct event_base *, event_base_new_with_config,
    (const struct event_config *a0), (a0))
LAZY_VOID(LAZY_EVENT, event_config_free, (struct event_config *a0), (a0))
LAZY(LAZY_EVENT, struct event_config *, event_config_new, (void), ())
LAZY(LAZY_EVENT, int, event_config_set_flag,
    (struct event_config *a0, int a1), (a0, a1))
LAZY(LAZY_EVENT, int, event_del, (struct event *a0), (a0))
LAZY_VOID(LAZY_EVENT, event_free, (struct event *a0), (a0))
LAZY(LAZY_EVENT, struct event *, event_new,
    (struct event_base *a0, int a1, short int a2, event_callback_fn a3,
    void *a4), (a0, a1, a2, a3, a4))
LAZY(LAZY_EVENT, struct evhttp_bound_socket *,
    evhttp_accept_socket_with_handle,
    (struct evhttp *a0, int a1), (a0, a1))
LAZY(LAZY_EVENT, int, evhttp_add_header,
    (struct evkeyvalq *a0, const char *a1, const char *a2), (a0, a1, a2))
LAZY(LAZY_EVENT, struct evconnlistener *, evhttp_bound_socket_get_listener,
    (struct evhttp_bound_socket *a0), (a0))
LAZY_VOID(LAZY_EVENT, evhttp_connection_set_closecb,
    (struct evhttp_connection *a0,
    void (*a1)(struct evhttp_connection *, void *), void *a2), (a0, a1, a2))
LAZY(LAZY_EVENT, const char *, evhttp_find_header,
    (const struct evkeyvalq *a0, const char *a1), (a0, a1))
LAZY_VOID(LAZY_EVENT, evhttp_free, (struct evhttp *a0), (a0))
LAZY(LAZY_EVENT, struct evhttp *, evhttp_new, (struct event_base *a0), (a0))
LAZY(LAZY_EVENT, enum evhttp_cmd_type, evhttp_request_get_command,
    (const struct evhttp_request *a0), (a0))
LAZY(LAZY_EVENT, const struct evhttp_uri *, evhttp_request_get_evhttp_uri,
    (const struct evhttp_request *a0), (a0))
LAZY(LAZY_EVENT, struct evkeyvalq *, evhttp_request_get_input_headers,
    (struct evhttp_request *a0), (a0))
LAZY(LAZY_EVENT, struct evkeyvalq *, evhttp_request_get_output_headers,
    (struct evhttp_request *a0), (a0))
LAZY_VOID(LAZY_EVENT, evhttp_send_reply,
    (struct evhttp_request *a0, int a1, const char *a2, struct evbuffer *a3),
    (a0, a1, a2, a3))
LAZY_VOID(LAZY_EVENT, evhttp_set_allowed_methods,
    (struct evhttp *a0, uint16_t a1), (a0, a1))
LAZY_VOID(LAZY_EVENT, evhttp_set_bevcb,
    (struct evhttp *a0, struct bufferevent *(*a1)(struct event_base *, void *),
    void *a2), (a0, a1, a2))
LAZY_VOID(LAZY_EVENT, evhttp_set_gencb,
    (struct evhttp *a0, void (*a1)(struct evhttp_request *, void *), void *a2),
    (a0, a1, a2))
LAZY_VOID(LAZY_EVENT, evhttp_set_max_body_size,
    (struct evhttp *a0, ssize_t a1), (a0, a1))
LAZY_VOID(LAZY_EVENT, evhttp_set_max_headers_size,
    (struct evhttp *a0, ssize_t a1), (a0, a1))
LAZY_VOID(LAZY_EVENT, evhttp_set_timeout,
    (struct evhttp *a0, int a1), (a0, a1))
LAZY(LAZY_EVENT, const char *, evhttp_uri_get_path,
    (const struct evhttp_uri *a0), (a0))
LAZY(LAZY_EVENT, int, evutil_closesocket, (int a0), (a0))
LAZY(LAZY_EVENT, int, evutil_make_socket_nonblocking, (int a0), (a0))

/* libjansson */
LAZY(LAZY_JANSSON, json_t *, json_array_get,
    (const json_t *a0, size_t a1), (a0, a1))
LAZY(LAZY_JANSSON, size_t, json_array_size, (const json_t *a0), (a0))
LAZY_VOID(LAZY_JANSSON, json_delete, (json_t *a0), (a0))
LAZY(LAZY_JANSSON, json_int_t, json_integer_value, (const json_t *a0), (a0))
LAZY(LAZY_JANSSON, json_t *, json_loadb,
    (const char *a0, size_t a1, size_t a2, json_error_t *a3), (a0, a1, a2, a3))
LAZY(LAZY_JANSSON, json_t *, json_object_get,
    (const json_t *a0, const char *a1), (a0, a1))
LAZY(LAZY_JANSSON, size_t, json_string_length, (const json_t *a0), (a0))
LAZY(LAZY_JANSSON, const char *, json_string_value, (const json_t *a0), (a0))

/* libfstrm */
LAZY(LAZY_FSTRM, fstrm_res, fstrm_control_add_field_content_type,
    (struct fstrm_control *a0, const uint8_t *a1, size_t a2), (a0, a1, a2))
LAZY(LAZY_FSTRM, fstrm_res, fstrm_control_decode,
    (struct fstrm_control *a0, const void *a1, size_t a2, const uint32_t a3),
    (a0, a1, a2, a3))
LAZY_VOID(LAZY_FSTRM, fstrm_control_destroy, (struct fstrm_control **a0), (a0))
LAZY(LAZY_FSTRM, fstrm_res, fstrm_control_encode,
    (const struct fstrm_control *a0, void *a1, size_t *a2, const uint32_t a3),
    (a0, a1, a2, a3))
LAZY(LAZY_FSTRM, fstrm_res, fstrm_control_get_field_content_type,
    (const struct fstrm_control *a0, const size_t a1, const uint8_t **a2,
    size_t *a3), (a0, a1, a2, a3))
LAZY(LAZY_FSTRM, fstrm_res, fstrm_control_get_num_field_content_type,
    (const struct fstrm_control *a0, size_t *a1), (a0, a1))
LAZY(LAZY_FSTRM, fstrm_res, fstrm_control_get_type,
    (const struct fstrm_control *a0, fstrm_control_type *a1), (a0, a1))
LAZY(LAZY_FSTRM, struct fstrm_control *, fstrm_control_init, (void), ())
LAZY(LAZY_FSTRM, fstrm_res, fstrm_control_match_field_content_type,
    (const struct fstrm_control *a0, const uint8_t *a1, const size_t a2), (a0,
    a1, a2))
LAZY(LAZY_FSTRM, fstrm_res, fstrm_control_set_type,
    (struct fstrm_control *a0, fstrm_control_type a1), (a0, a1))

/* libprotobuf-c */
LAZY_VOID(LAZY_PROTOBUF_C, protobuf_c_message_free_unpacked,
    (ProtobufCMessage *a0, ProtobufCAllocator *a1), (a0, a1))
LAZY(LAZY_PROTOBUF_C, size_t, protobuf_c_message_get_packed_size,
    (const ProtobufCMessage *a0), (a0))
LAZY(LAZY_PROTOBUF_C, size_t, protobuf_c_message_pack,
    (const ProtobufCMessage *a0, uint8_t *a1), (a0, a1))
LAZY(LAZY_PROTOBUF_C, size_t, protobuf_c_message_pack_to_buffer,
    (const ProtobufCMessage *a0, ProtobufCBuffer *a1), (a0, a1))
LAZY(LAZY_PROTOBUF_C, ProtobufCMessage *, protobuf_c_message_unpack,
    (const ProtobufCMessageDescriptor *a0, ProtobufCAllocator *a1, size_t a2,
    const uint8_t *a3), (a0, a1, a2, a3))

/* zlib */
LAZY(LAZY_Z, int, inflate, (z_streamp a0, int a1), (a0, a1))
LAZY(LAZY_Z, int, inflateEnd, (z_streamp a0), (a0))
LAZY(LAZY_Z, int, inflateInit2_,
    (z_streamp a0, int a1, const char *a2, int a3), (a0, a1, a2, a3))
LAZY(LAZY_Z, int, inflateReset, (z_streamp a0), (a0))

/* liblzma */
LAZY(LAZY_LZMA, lzma_ret, lzma_code,
    (lzma_stream *a0, lzma_action a1), (a0, a1))
LAZY_VOID(LAZY_LZMA, lzma_end, (lzma_stream *a0), (a0))
LAZY(LAZY_LZMA, lzma_ret, lzma_stream_decoder,
    (lzma_stream *a0, uint64_t a1, uint32_t a2), (a0, a1, a2))

/* libzstd */
LAZY(LAZY_ZSTD, ZSTD_DStream *, ZSTD_createDStream, (void), ())
LAZY(LAZY_ZSTD, size_t, ZSTD_decompressStream,
    (ZSTD_DStream *a0, ZSTD_outBuffer *a1, ZSTD_inBuffer *a2), (a0, a1, a2))
LAZY(LAZY_ZSTD, size_t, ZSTD_freeDStream, (ZSTD_DStream *a0), (a0))
LAZY(LAZY_ZSTD, const char *, ZSTD_getErrorName, (size_t a0), (a0))
LAZY(LAZY_ZSTD, size_t, ZSTD_initDStream, (ZSTD_DStream *a0), (a0))
LAZY(LAZY_ZSTD, unsigned int, ZSTD_isError, (size_t a0), (a0))

#ifdef KASAUDIT_QUIC
/* libcrypto: QUIC Initials, Crypto-PAn */
LAZY(LAZY_CRYPTO, int, EVP_CIPHER_CTX_ctrl,
    (EVP_CIPHER_CTX *a0, int a1, int a2, void *a3), (a0, a1, a2, a3))
LAZY_FREE(LAZY_CRYPTO, EVP_CIPHER_CTX_free, EVP_CIPHER_CTX *)
LAZY(LAZY_CRYPTO, EVP_CIPHER_CTX *, EVP_CIPHER_CTX_new, (void), ())
LAZY(LAZY_CRYPTO, int, EVP_CIPHER_CTX_set_padding,
    (EVP_CIPHER_CTX *a0, int a1), (a0, a1))
LAZY(LAZY_CRYPTO, int, EVP_DecryptFinal_ex,
    (EVP_CIPHER_CTX *a0, unsigned char *a1, int *a2), (a0, a1, a2))
LAZY(LAZY_CRYPTO, int, EVP_DecryptInit_ex,
    (EVP_CIPHER_CTX *a0, const EVP_CIPHER *a1, ENGINE *a2,
    const unsigned char *a3, const unsigned char *a4), (a0, a1, a2, a3, a4))
LAZY(LAZY_CRYPTO, int, EVP_DecryptUpdate,
    (EVP_CIPHER_CTX *a0, unsigned char *a1, int *a2, const unsigned char *a3,
    int a4), (a0, a1, a2, a3, a4))
LAZY(LAZY_CRYPTO, int, EVP_EncryptInit_ex,
    (EVP_CIPHER_CTX *a0, const EVP_CIPHER *a1, ENGINE *a2,
    const unsigned char *a3, const unsigned char *a4), (a0, a1, a2, a3, a4))
LAZY(LAZY_CRYPTO, int, EVP_EncryptUpdate,
    (EVP_CIPHER_CTX *a0, unsigned char *a1, int *a2, const unsigned char *a3,
    int a4), (a0, a1, a2, a3, a4))
LAZY_FREE(LAZY_CRYPTO, EVP_MAC_CTX_free, EVP_MAC_CTX *)
LAZY(LAZY_CRYPTO, EVP_MAC_CTX *, EVP_MAC_CTX_new, (EVP_MAC *a0), (a0))
LAZY(LAZY_CRYPTO, int, EVP_MAC_CTX_set_params,
    (EVP_MAC_CTX *a0, const OSSL_PARAM *a1), (a0, a1))
LAZY(LAZY_CRYPTO, EVP_MAC *, EVP_MAC_fetch,
    (OSSL_LIB_CTX *a0, const char *a1, const char *a2), (a0, a1, a2))
LAZY(LAZY_CRYPTO, int, EVP_MAC_final,
    (EVP_MAC_CTX *a0, unsigned char *a1, size_t *a2, size_t a3), (a0, a1, a2,
    a3))
LAZY_FREE(LAZY_CRYPTO, EVP_MAC_free, EVP_MAC *)
LAZY(LAZY_CRYPTO, int, EVP_MAC_init,
    (EVP_MAC_CTX *a0, const unsigned char *a1, size_t a2,
    const OSSL_PARAM *a3), (a0, a1, a2, a3))
LAZY(LAZY_CRYPTO, int, EVP_MAC_update,
    (EVP_MAC_CTX *a0, const unsigned char *a1, size_t a2), (a0, a1, a2))
LAZY(LAZY_CRYPTO, const EVP_CIPHER *, EVP_aes_128_ecb, (void), ())
LAZY(LAZY_CRYPTO, const EVP_CIPHER *, EVP_aes_128_gcm, (void), ())
LAZY(LAZY_CRYPTO, OSSL_PARAM, OSSL_PARAM_construct_end, (void), ())
LAZY(LAZY_CRYPTO, OSSL_PARAM, OSSL_PARAM_construct_utf8_string,
    (const char *a0, char *a1, size_t a2), (a0, a1, a2))
#endif

/* libbz2 */
LAZY(LAZY_BZ2, int, BZ2_bzDecompress, (bz_stream *a0), (a0))
LAZY(LAZY_BZ2, int, BZ2_bzDecompressEnd, (bz_stream *a0), (a0))
LAZY(LAZY_BZ2, int, BZ2_bzDecompressInit,
    (bz_stream *a0, int a1, int a2), (a0, a1, a2))
