#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"

static char cfg_path[] = "/tmp/tqtop-conf-XXXXXX";

static void write_cfg(const char *text)
{
	FILE *fp = fopen(cfg_path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void clear_env(void)
{
	static const char *vars[] = { "TQTOP_REFRESH", "TQTOP_WINDOW", "TQTOP_SLA", "TQTOP_TOKEN",
				      "TWILIO_AUTH_TOKEN", "NO_COLOR", "TQTOP_OUTPUT", NULL };
	for (size_t i = 0; vars[i]; i++)
		unsetenv(vars[i]);
}

static int setup(void **state)
{
	int fd = mkstemp(cfg_path);
	(void)state;
	if (fd < 0)
		return -1;
	close(fd);
	setenv("TQTOP_CONFIG", cfg_path, 1);
	clear_env();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(cfg_path);
	return 0;
}

static bool load(struct config *cfg, char **argv, char **err)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	return config_load(cfg, argc, argv, err);
}

static void test_precedence(void **state)
{
	struct config cfg;
	char *err = NULL;
	char *argv[] = { "tqtop", "--window", "60", NULL };
	(void)state;

	write_cfg("# comment\nrefresh = 5\nwindow = 30\nsla = 10,30\ntheme = \"mono\"\n");
	setenv("TQTOP_WINDOW", "240", 1);
	setenv("TQTOP_SLA", "5", 1);
	assert_true(load(&cfg, argv, &err));
	/* default < file */
	assert_true(cfg_num(&cfg, OPT_REFRESH) == 5.0);
	assert_string_equal(cfg.v[OPT_REFRESH].where + strlen(cfg_path), ":2");
	assert_string_equal(cfg_str(&cfg, OPT_THEME), "mono");
	/* file < env */
	assert_string_equal(cfg_str(&cfg, OPT_SLA), "5");
	assert_string_equal(cfg.v[OPT_SLA].where, "env TQTOP_SLA");
	/* env < flag */
	assert_int_equal(cfg_int(&cfg, OPT_WINDOW), 60);
	assert_string_equal(cfg.v[OPT_WINDOW].where, "--window");
	/* untouched default */
	assert_string_equal(cfg_str(&cfg, OPT_OUTPUT), "text");
	assert_string_equal(cfg.v[OPT_OUTPUT].where, "default");
	assert_int_equal(cfg.n_warnings, 0);
	config_free(&cfg);
	clear_env();
}

static void test_bad_lines_rest_applies(void **state)
{
	struct config cfg;
	char *err = NULL;
	char *argv[] = { "tqtop", NULL };
	(void)state;

	write_cfg("window = abc\nnonsense here\ncolour = red\nrefresh = 3\n"
		  "auth-token = x\nsla = 60,20\n\nmax-retries = forever\n");
	assert_true(load(&cfg, argv, &err));
	assert_int_equal(cfg.n_warnings, 5);
	char *w1 = NULL;
	assert_non_null(w1 = strstr(cfg.warnings[0], ":1: window: expected an integer"));
	assert_non_null(strstr(cfg.warnings[1], ":2: expected 'key = value'"));
	assert_non_null(strstr(cfg.warnings[2], ":3: unknown setting 'colour'"));
	assert_non_null(strstr(cfg.warnings[3], ":5: 'auth-token' cannot be set in the config file"));
	assert_non_null(strstr(cfg.warnings[4], ":6: sla: thresholds must be ascending"));
	assert_true(cfg_num(&cfg, OPT_REFRESH) == 3.0);
	assert_int_equal(cfg_int(&cfg, OPT_WINDOW), 15);
	assert_int_equal(cfg_int(&cfg, OPT_MAX_RETRIES), -1);
	config_free(&cfg);
}

static void test_flag_errors(void **state)
{
	static const struct { char *argv[4]; const char *msg; } cases[] = {
		{ { "tqtop", "--window", "0", NULL }, "window: expected an integer 1..43200, got '0'" },
		{ { "tqtop", "-o", "xml", NULL }, "output: expected one of text json tsv, got 'xml'" },
		{ { "tqtop", "--bogus", NULL }, "unknown option --bogus" },
		{ { "tqtop", "-d", NULL }, "-d needs a value" },
		{ { "tqtop", "-d", "0.1", NULL }, "refresh: expected a number of seconds" },
		{ { "tqtop", "stray", NULL }, "unexpected argument 'stray'" },
		{ { "tqtop", "--token", "x", NULL }, "unknown option --token" },	/* secrets: env only */
	};
	(void)state;
	write_cfg("");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config cfg;
		char *err = NULL;
		assert_false(load(&cfg, (char **)cases[i].argv, &err));
		assert_non_null(err);
		if (!strstr(err, cases[i].msg))
			fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].msg);
		free(err);
		config_free(&cfg);
	}
	setenv("TQTOP_WINDOW", "nope", 1);
	struct config cfg;
	char *err = NULL;
	char *argv[] = { "tqtop", NULL };
	assert_false(load(&cfg, argv, &err));
	assert_non_null(strstr(err, "window: expected an integer"));
	free(err);
	config_free(&cfg);
	clear_env();
}

static void test_show_config_masks_secrets(void **state)
{
	struct config cfg;
	char *err = NULL, *out = NULL;
	size_t len = 0;
	char *argv[] = { "tqtop", "-b", "--show-config", NULL };
	(void)state;

	write_cfg("region = ie1-ix\n");
	setenv("TQTOP_TOKEN", "eyJhbGciOiJIUzI1NiJ9.e30.SIGNATURE", 1);
	setenv("TWILIO_AUTH_TOKEN", "0123456789abcdef0123456789abcdef", 1);
	setenv("NO_COLOR", "anything", 1);
	assert_true(load(&cfg, argv, &err));
	assert_int_equal(cfg.action, OPT_SHOW_CONFIG);
	assert_true(cfg_flag(&cfg, OPT_NO_COLOR));
	FILE *fp = open_memstream(&out, &len);
	config_print_show(fp, &cfg);
	fclose(fp);
	assert_null(strstr(out, "SIGNATURE"));
	assert_null(strstr(out, "eyJ"));
	assert_null(strstr(out, "0123456789abcdef"));
	assert_non_null(strstr(out, "auth-token       = ********"));
	assert_non_null(strstr(out, "env TWILIO_AUTH_TOKEN"));
	assert_non_null(strstr(out, "region           = ie1-ix"));
	assert_non_null(strstr(out, "no-color         = yes"));
	free(out);
	config_free(&cfg);
	clear_env();
}

static void test_help_and_man_from_one_table(void **state)
{
	char *out = NULL;
	size_t len = 0;
	(void)state;

	FILE *fp = open_memstream(&out, &len);
	config_print_help(fp, "tqtop");
	fclose(fp);
	assert_non_null(strstr(out, "-b, --batch"));
	assert_non_null(strstr(out, "--token-cmd COMMAND"));
	assert_null(strstr(out, "man-options"));
	free(out);
	fp = open_memstream(&out, &len);
	config_print_man_options(fp);
	fclose(fp);
	assert_non_null(strstr(out, "\\fB\\-b\\fR, \\fB\\-\\-batch\\fR"));
	assert_non_null(strstr(out, "Environment: \\fBTQTOP_WINDOW\\fR."));
	free(out);
}

static void test_list_parse(void **state)
{
	long *v;
	size_t n;
	char *err = NULL;
	(void)state;

	assert_true(cfg_parse_list("20,60", 1, 86400, &v, &n, &err));
	assert_int_equal(n, 2);
	assert_int_equal(v[1], 60);
	free(v);
	assert_true(cfg_parse_list("", 1, 86400, &v, &n, &err));
	assert_int_equal(n, 0);
	assert_false(cfg_parse_list("20,,60", 1, 86400, &v, &n, &err));
	free(err);
	assert_false(cfg_parse_list("1,2,3,4,5,6,7,8,9,10,11", 1, 86400, &v, &n, &err));
	assert_non_null(strstr(err, "at most 10"));
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_bad_lines_rest_applies),
		cmocka_unit_test(test_flag_errors),
		cmocka_unit_test(test_show_config_masks_secrets),
		cmocka_unit_test(test_help_and_man_from_one_table),
		cmocka_unit_test(test_list_parse),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
