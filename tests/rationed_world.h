#ifndef TS_RATIONED_WORLD_H
#define TS_RATIONED_WORLD_H
/* A world where firms sell rationed by their inputs into a factored
 * segment (market.c, TS_SALES_RATIONED): JP's phone maker X and CN's Z buy
 * half their chips from the US's Q, half from CN's S; from step 1 the US
 * controls its exports to JP and CN, so X and Z, with no stockpile and no
 * re-sourcing, have half their chips and sell half of what they would in
 * CN's market, against CN's Z2, which buys from S alone.
 * No home bias, no wedge: the segments have no exceptions and their ties
 * are settled, and capacities are far from binding. */
static const char *const rationed_world =
	"run = { steps = 2; start = \"2018Q1\"; };\n"
	"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
	"countries = { US = { }; JP = { }; CN = { markets = { phones = { size = 400.0; government = 0.2; }; }; }; };\n"
	"sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
	"firms = {\n"
	"  Q = { country = \"US\"; sector = \"chips\"; capacity = 1000.0; };\n"
	"  S = { country = \"CN\"; sector = \"chips\"; capacity = 1000.0; };\n"
	"  X = { country = \"JP\"; sector = \"phones\"; capacity = 1000.0; tech = 0.3;\n"
	"        suppliers = { chips = { Q = 0.5; S = 0.5; }; }; };\n"
	"  Z = { country = \"CN\"; sector = \"phones\"; capacity = 800.0; suppliers = { chips = { Q = 0.5; S = 0.5; }; }; };\n"
	"  Z2 = { country = \"CN\"; sector = \"phones\"; capacity = 1000.0; suppliers = { chips = { S = 1.0; }; }; };\n"
	"};\n"
	"measures = {\n"
	"  ctl = { type = \"export_control\"; actor = \"US\"; target = \"JP\"; start = 1; };\n"
	"  ctl2 = { type = \"export_control\"; actor = \"US\"; target = \"CN\"; start = 1; };\n"
	"};\n";

#endif
