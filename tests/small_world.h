#ifndef TS_SMALL_WORLD_H
#define TS_SMALL_WORLD_H
/* A small world for the run and batch tests: 10 quarters, two countries,
 * four firms, an export control and a procurement ban. */
static const char *const small_world =
	"run = { steps = 10; start = \"2018Q1\"; seed = 5; };\n"
	"countries = {\n"
	"  US = { markets = { chips = { size = 100.0; }; phones = { size = 300.0; government = 0.1; }; }; };\n"
	"  CN = { markets = { phones = { size = 400.0; government = 0.08; }; }; };\n"
	"};\n"
	"sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
	"firms = {\n"
	"  Q = { country = \"US\"; sector = \"chips\"; capacity = 300.0; rd_intensity = 0.2; };\n"
	"  S = { country = \"CN\"; sector = \"chips\"; capacity = 100.0; tech = -0.5; rd_intensity = 0.1; };\n"
	"  Apple = { country = \"US\"; sector = \"phones\"; capacity = 400.0; rd_intensity = 0.06; jobs_per_bn = 500.0;\n"
	"            suppliers = { chips = { Q = 1.0; }; }; };\n"
	"  ZTE = { country = \"CN\"; sector = \"phones\"; capacity = 400.0; rd_intensity = 0.1;\n"
	"          suppliers = { chips = { Q = 0.7; S = 0.3; }; }; stockpile_months = { chips = 2.1; }; };\n"
	"};\n"
	"measures = {\n"
	"  zte_denial = { type = \"export_control\"; actor = \"US\"; target = \"ZTE\"; start = \"2018Q2\"; end = \"2018Q3\"; };\n"
	"  state_ban = { type = \"procurement_ban\"; actor = \"CN\"; target = \"Apple\"; segment = \"government\"; start = 6; };\n"
	"};\n";

#endif
