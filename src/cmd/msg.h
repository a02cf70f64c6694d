/* msg.h - messages to the person at the terminal: "kasaudit: " and one
 * line on standard error.  Only the commands and their options call it. */
#ifndef KASAUDIT_MSG_H
#define KASAUDIT_MSG_H

void	warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
