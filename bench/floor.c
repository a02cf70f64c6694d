/* floor.c - the bench floor: count a capture's packets with bare libpcap. */

/*
 * floor FILE prints the number of packets in FILE.  It is the least any
 * reader of the file must do: libpcap's pcap_next_ex() loop, reading
 * through a 1 MiB stdio buffer (pcap_fopen_offline() on our own FILE;
 * libpcap's default small reads are much slower, and a floor must not be
 * slow on purpose).  `make bench` divides every tool's time by this one's.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

static char buf[1 << 20];

int
main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const unsigned char *data;
	unsigned long long n = 0;
	pcap_t *p;
	FILE *fp;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: floor FILE\n");
		return 2;
	}
	if ((fp = fopen(argv[1], "rb")) == NULL) {
		fprintf(stderr, "floor: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	/* A buffer of our own: given NULL, glibc ignores the size and reads
	 * in st_blksize (4 KiB) steps, which made this floor 4x too slow.
	 * bench/run checks with strace that reads are 1 MiB. */
	if (setvbuf(fp, buf, _IOFBF, sizeof(buf)) != 0) {
		fprintf(stderr, "floor: setvbuf failed\n");
		return 1;
	}
	if ((p = pcap_fopen_offline(fp, errbuf)) == NULL) {
		fprintf(stderr, "floor: %s: %s\n", argv[1], errbuf);
		fclose(fp);
		return 1;
	}
	while ((r = pcap_next_ex(p, &h, &data)) == 1)
		n++;
	if (r == PCAP_ERROR) {
		fprintf(stderr, "floor: %s: %s\n", argv[1], pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	pcap_close(p);			/* closes fp too */
	printf("%llu\n", n);
	return 0;
}
