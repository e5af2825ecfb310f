/* Error records: diagnostics accumulate line by line in a caller-owned buffer. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <tradesim/error.h>

void ts_error_clear(ts_error *err)
{
	if (!err)
		return;
	err->status = TS_OK;
	err->count = 0;
	err->message[0] = '\0';
}

ts_status ts_error_set(ts_error *err, ts_status status, const char *fmt, ...)
{
	if (!err)
		return status;
	if (err->status == TS_OK)
		err->status = status;
	err->count++;
	if (err->count > TS_ERROR_MAX_DIAGNOSTICS)
		return status;  /* keep the first ones: later ones are often echoes */
	size_t used = strlen(err->message);
	if (used > 0 && used + 1 < sizeof err->message) {
		err->message[used++] = '\n';
		err->message[used] = '\0';
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message + used, sizeof err->message - used, fmt, ap);
	va_end(ap);
	return status;
}

const char *ts_status_name(ts_status status)
{
	switch (status) {
	case TS_OK: return "ok";
	case TS_ENOMEM: return "out of memory";
	case TS_EINPUT: return "bad input";
	case TS_EIO: return "input/output error";
	case TS_ERUN: return "run failure";
	case TS_ECANCELED: return "canceled";
	case TS_EBUSY: return "in use";
	}
	return "unknown status";
}
