#ifndef TRADESIM_H
#define TRADESIM_H
/* tradesim: agent-based trade-retaliation simulator. */
#include <tradesim/version.h>
#include <tradesim/error.h>
#include <tradesim/scenario.h>
#include <tradesim/sim.h>
#include <tradesim/output.h>
#endif
