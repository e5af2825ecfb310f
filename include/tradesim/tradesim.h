#ifndef TRADESIM_H
#define TRADESIM_H
/* tradesim: agent-based trade-retaliation simulator. */
#include <tradesim/version.h>
#include <tradesim/error.h>
#include <tradesim/scenario.h>
#include <tradesim/sim.h>
#include <tradesim/output.h>
#include <tradesim/ensemble.h>
#include <tradesim/sweep.h>
#include <tradesim/design.h>
#include <tradesim/sensitivity.h>
#include <tradesim/stats.h>
#include <tradesim/check.h>
#include <tradesim/calibrate.h>
#endif
