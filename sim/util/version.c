/* The library's version at run time (tradesim/version.h). */
#include <tradesim/version.h>

const char *ts_version(void)
{
	return TS_VERSION_STRING;
}
