/* err.h - return codes shared by every module (header only).
 * ERR_OK is 0; every failure is a negative ERR_ code. */
#ifndef KASAUDIT_ERR_H
#define KASAUDIT_ERR_H

#define ERR_OK		  0
#define ERR_SHORT	(-1)	/* incomplete: call again with more bytes */
#define ERR_MALFORMED	(-2)	/* the bytes cannot be what they claim */
#define ERR_UNSUPPORTED	(-3)	/* valid, but not something we decode */
#define ERR_NOTFOUND	(-4)	/* parsed fine; the thing asked for is absent */
#define ERR_NOMEM	(-5)
#define ERR_IO		(-6)
#define ERR_FULL	(-7)	/* a bounded table refused an entry */
#define ERR_END		(-8)	/* a clean end of input */
#define ERR_DUP		(-9)	/* already there: it would count twice */

/* Set-up errors are written as "what: why" into a buffer of this size. */
#define ERRBUF_LEN	512

#endif
