/*
 * builtin.c -- the features built into the core, in the order their
 * routes are added: the one list the server's composition root calls
 * (server/health.c), so the runtime itself knows none of them.
 */
#include "config.h"
#include "builtin/builtin.h"

static tp_rc (*const builtin_routes[])(tp_router *) = {
    tp_home_routes_add,           tp_login_routes_add,
    tp_directory_routes_add,      tp_tree_routes_add,
    tp_customer_routes_add,       tp_selfcare_routes_add,
    tp_password_reset_routes_add, tp_profile_routes_add,
    tp_brand_admin_routes_add,    tp_users_routes_add,
    tp_secq_routes_add,           tp_category_routes_add,
};

tp_rc tp_builtin_routes_add(tp_router *rt)
{
	for (size_t i = 0; i < sizeof(builtin_routes) / sizeof(*builtin_routes);
	     i++)
		if (builtin_routes[i](rt) != TP_OK)
			return TP_EINTERNAL;
	return TP_OK;
}
