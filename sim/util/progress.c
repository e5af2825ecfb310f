/* Counting finished runs for progress callbacks (progress.h). */
#include "util/progress.h"

void ts_progress_count(ts_progress_counter *p, int failed)
{
	if (!p || (!p->report && !p->report_failed))
		return;
	pthread_mutex_lock(&p->lock);
	p->done++;
	p->failed += failed != 0;
	if (p->report_failed)
		p->report_failed(p->ctx, p->failed);
	if (p->report)
		p->report(p->ctx, p->done, p->total);
	pthread_mutex_unlock(&p->lock);
}
