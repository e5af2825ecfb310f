#ifndef TRADESIM_API_H
#define TRADESIM_API_H
/* TS_API marks the library's public functions, the only symbols its shared
 * library exports (it is built with -fvisibility=hidden); TS_BEGIN_DECLS
 * and TS_END_DECLS give the public headers C linkage in C++. */
#if defined(__GNUC__)
#define TS_API __attribute__((visibility("default")))
#else
#define TS_API
#endif

#ifdef __cplusplus
#define TS_BEGIN_DECLS extern "C" {
#define TS_END_DECLS }
#else
#define TS_BEGIN_DECLS
#define TS_END_DECLS
#endif

#endif
