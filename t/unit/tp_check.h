/* tp_check.h -- what every libcheck suite of tierport shares: the main()
 * that runs one suite and turns failures into the exit status. */
#ifndef TP_CHECK_H
#define TP_CHECK_H

#include <check.h>
#include <stdlib.h>

#define TP_CHECK_MAIN(make_suite)                                              \
	int main(void)                                                         \
	{                                                                      \
		SRunner *sr = srunner_create(make_suite());                    \
		srunner_run_all(sr, CK_NORMAL);                                \
		int failed = srunner_ntests_failed(sr);                        \
		srunner_free(sr);                                              \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;                   \
	}

#endif
