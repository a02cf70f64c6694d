/* capture_link.c - link types: LINKTYPE_ names (tcpdump.org/linktypes) and
 * the DLT_ values libpcap uses where they differ from those in files. */
#include "capture_int.h"

/* Link types whose DLT_ value differs from the LINKTYPE_ value in files. */
int
cap_dlt(int linktype)
{
	switch (linktype) {
	case LINK_RAW_OLD:
	case LINK_RAW_OLD2:
	case LINK_RAW:
		return DLT_RAW;
	case LINK_LOOP:
		return DLT_LOOP;
	case 100:
		return DLT_ATM_RFC1483;
	case 102:
		return DLT_SLIP_BSDOS;
	case 103:
		return DLT_PPP_BSDOS;
	case 106:
		return DLT_ATM_CLIP;
	case 117:
		return DLT_PFLOG;
	default:
		return linktype;
	}
}

/* libpcap's DLT_ values that differ from the LINKTYPE_ values decode knows. */
int
cap_linktype(int dlt)
{
	switch (dlt) {
	case DLT_RAW:
		return LINK_RAW;
#ifdef DLT_LOOP
	case DLT_LOOP:
		return LINK_LOOP;
#endif
	default:
		return dlt;
	}
}

const char *
capture_linktype_name(int linktype)
{
	static const char *const user[] = {
		"USER0", "USER1", "USER2", "USER3", "USER4", "USER5",
		"USER6", "USER7", "USER8", "USER9", "USER10", "USER11",
		"USER12", "USER13", "USER14", "USER15",
	};

	if (linktype >= 147 && linktype <= 162)
		return user[linktype - 147];
	switch (linktype) {
	case LINK_NULL:		return "NULL";
	case LINK_ETHERNET:	return "EN10MB";
	case 6:			return "IEEE802";
	case 8:			return "SLIP";
	case 9:			return "PPP";
	case 10:		return "FDDI";
	case LINK_RAW_OLD:
	case LINK_RAW_OLD2:
	case LINK_RAW:		return "RAW";
	case 50:		return "PPP_HDLC";
	case 51:		return "PPP_ETHER";
	case 100:		return "ATM_RFC1483";
	case 104:		return "C_HDLC";
	case 105:		return "IEEE802_11";
	case 107:		return "FRELAY";
	case LINK_LOOP:		return "LOOP";
	case LINK_LINUX_SLL:	return "LINUX_SLL";
	case 117:		return "PFLOG";
	case 119:		return "PRISM_HEADER";
	case 127:		return "IEEE802_11_RADIO";
	case 143:		return "DOCSIS";
	case 163:		return "IEEE802_11_RADIO_AVS";
	case 187:		return "BLUETOOTH_HCI_H4";
	case 189:		return "USB_LINUX";
	case 192:		return "PPI";
	case 195:		return "IEEE802_15_4";
	case 197:		return "ERF";
	case LINK_PPP_WITH_DIR:	return "PPP_WITH_DIR";
	case 220:		return "USB_LINUX_MMAPPED";
	case LINK_IPV4:		return "IPV4";
	case LINK_IPV6:		return "IPV6";
	case 239:		return "NFLOG";
	case 249:		return "USBPCAP";
	case 252:		return "WIRESHARK_UPPER_PDU";
	case LINK_PKTAP:	return "PKTAP";
	case LINK_LINUX_SLL2:	return "LINUX_SLL2";
	default:		return NULL;
	}
}
