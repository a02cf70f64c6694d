/* msg.h - messages to the person at the terminal: "kasaudit: " and one
 * line on standard error.  Only the commands and their options call it. */
#ifndef KASAUDIT_MSG_H
#define KASAUDIT_MSG_H

#include <stdbool.h>

void	warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Whether standard error is the systemd journal's stream (JOURNAL_STREAM
 * names its device and inode): lines then start with a syslog priority,
 * "<3>" for an error, so that `journalctl -p err` finds them.
 */
bool	msg_to_journal(void);

#endif
