//! Every server function and page × every role × another tenant's data. Expected statuses
//! are written as a table; a new route or server function without a row here is a defect.
//! "Allowed" mutations are sent with input that fails validation (422) where possible, so the
//! table proves authorization ran first without changing data.

use crate::{both, support::*};
use app::backend::{auth::operator_scope, services};

/// Columns: anonymous, admin, reviewer, finance, owner A, editor A, viewer A, owner B.
const ROLES: [Option<&str>; 8] = [
    None,
    Some(ADMIN),
    Some(REVIEWER),
    Some(FINANCE),
    Some(OWNER_A),
    Some(EDITOR_A),
    Some(VIEWER_A),
    Some(OWNER_B),
];

#[derive(Clone, Copy)]
enum Arg {
    Lit(&'static str),
    TenantA,
    /// A fresh pending invitation (viewer) in tenant A, made for this call.
    FreshInvitation,
    /// An outbox email id.
    Email,
    /// An address never used before (so account throttling does not interfere).
    UniqueEmail,
    /// The user id of tenant A's editor.
    EditorA,
    /// A draft template of tenant A (with a blocking finding).
    TemplateA,
    /// A phone number of tenant A.
    NumberA,
}

struct Case {
    endpoint: &'static str,
    args: &'static [(&'static str, Arg)],
    expect: [u16; 8],
}

use Arg::*;

const SERVER_FNS: &[Case] = &[
    Case {
        endpoint: "session",
        args: &[],
        expect: [200, 200, 200, 200, 200, 200, 200, 200],
    },
    Case {
        endpoint: "sign_in",
        args: &[("email", UniqueEmail), ("password", Lit("wrong"))],
        expect: [401; 8],
    },
    Case {
        endpoint: "sign_in_options",
        args: &[],
        expect: [200; 8],
    },
    Case {
        endpoint: "invite_preview",
        args: &[("token", Lit("bogus"))],
        expect: [410; 8],
    },
    Case {
        endpoint: "accept_invite",
        args: &[
            ("token", Lit("bogus")),
            ("name", Lit("n")),
            ("password", Lit("p")),
            ("confirm", Lit("p")),
        ],
        expect: [410; 8],
    },
    Case {
        endpoint: "request_password_reset",
        args: &[("email", UniqueEmail)],
        expect: [200; 8],
    },
    Case {
        endpoint: "reset_link",
        args: &[("token", Lit("bogus"))],
        expect: [200; 8],
    },
    Case {
        endpoint: "reset_password",
        args: &[
            ("token", Lit("bogus")),
            ("password", Lit("p")),
            ("confirm", Lit("p")),
        ],
        expect: [410; 8],
    },
    Case {
        endpoint: "change_password",
        args: &[
            ("current", Lit("wrong")),
            ("password", Lit("short")),
            ("confirm", Lit("short")),
        ],
        expect: [401, 422, 422, 422, 422, 422, 422, 422],
    },
    Case {
        endpoint: "list_my_sessions",
        args: &[],
        expect: [401, 200, 200, 200, 200, 200, 200, 200],
    },
    Case {
        endpoint: "sign_in_code",
        args: &[("code", Lit("123456"))],
        expect: [401; 8],
    },
    Case {
        endpoint: "list_api_keys",
        args: &[("owner", TenantA)],
        expect: [401, 200, 403, 403, 200, 403, 403, 404],
    },
    Case {
        endpoint: "list_api_keys",
        args: &[("owner", Lit("bsp"))],
        expect: [401, 200, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "create_api_key",
        args: &[
            ("owner", TenantA),
            ("name", Lit("")),
            ("expires_on", Lit("")),
        ],
        expect: [401, 422, 403, 403, 422, 403, 403, 404],
    },
    Case {
        endpoint: "create_api_key",
        args: &[
            ("owner", Lit("bsp")),
            ("name", Lit("")),
            ("expires_on", Lit("")),
        ],
        expect: [401, 422, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "rotate_api_key",
        args: &[
            ("owner", TenantA),
            ("id", Lit("00000000-0000-0000-0000-000000000000")),
            ("overlap", Lit("bogus")),
        ],
        expect: [401, 422, 403, 403, 422, 403, 403, 404],
    },
    Case {
        endpoint: "revoke_api_key",
        args: &[
            ("owner", TenantA),
            ("id", Lit("00000000-0000-0000-0000-000000000000")),
        ],
        expect: [401, 404, 403, 403, 404, 403, 403, 404],
    },
    Case {
        endpoint: "revoke_api_key",
        args: &[
            ("owner", Lit("bsp")),
            ("id", Lit("00000000-0000-0000-0000-000000000000")),
        ],
        expect: [401, 404, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "take_new_api_key",
        args: &[("owner", TenantA)],
        expect: [401, 200, 403, 403, 200, 403, 403, 404],
    },
    Case {
        endpoint: "two_factor_status",
        args: &[],
        expect: [401, 200, 200, 200, 200, 200, 200, 200],
    },
    Case {
        endpoint: "begin_two_factor",
        args: &[],
        expect: [401, 200, 200, 200, 200, 200, 200, 200],
    },
    Case {
        endpoint: "confirm_two_factor",
        args: &[("code", Lit("not a code"))],
        expect: [401, 422, 422, 422, 422, 422, 422, 422],
    },
    Case {
        endpoint: "take_recovery_codes",
        args: &[],
        expect: [401, 200, 200, 200, 200, 200, 200, 200],
    },
    Case {
        endpoint: "disable_two_factor",
        args: &[("off_password", Lit("wrong"))],
        expect: [401, 422, 422, 422, 422, 422, 422, 422],
    },
    Case {
        endpoint: "reset_two_factor",
        args: &[("user", Lit("not-an-id"))],
        expect: [401, 404, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "end_other_sessions",
        args: &[],
        expect: [401, 200, 200, 200, 200, 200, 200, 200],
    },
    Case {
        endpoint: "end_session",
        args: &[("handle", Lit("not-a-session"))],
        expect: [401, 404, 404, 404, 404, 404, 404, 404],
    },
    Case {
        endpoint: "list_tenants",
        args: &[],
        expect: [401, 200, 200, 200, 403, 403, 403, 403],
    },
    Case {
        endpoint: "list_staff",
        args: &[],
        expect: [401, 200, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "create_tenant",
        args: &[
            ("legal_name", Lit("")),
            ("display_name", Lit("")),
            ("country", Lit("")),
            ("locale", Lit("")),
            ("billing_email", Lit("")),
            ("alert_emails", Lit("")),
            ("currency", Lit("")),
            ("account_manager", Lit("")),
            ("waba_id", Lit("")),
        ],
        expect: [401, 422, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "update_tenant",
        args: &[
            ("id", TenantA),
            ("legal_name", Lit("")),
            ("display_name", Lit("")),
            ("country", Lit("")),
            ("locale", Lit("")),
            ("billing_email", Lit("")),
            ("alert_emails", Lit("")),
            ("currency", Lit("")),
            ("account_manager", Lit("")),
        ],
        expect: [401, 422, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "get_tenant",
        args: &[("id", TenantA)],
        expect: [401, 200, 200, 200, 200, 200, 200, 404],
    },
    Case {
        endpoint: "get_tenant",
        args: &[("id", Lit("not-an-id"))],
        expect: [401, 404, 404, 404, 404, 404, 404, 404],
    },
    Case {
        endpoint: "set_tenant_status",
        args: &[("id", TenantA), ("status", Lit("bogus"))],
        expect: [401, 400, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "set_tenant_graph_token",
        args: &[("id", TenantA), ("token", Lit("short"))],
        expect: [401, 422, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "set_waba_time_zone",
        args: &[
            ("tenant", TenantA),
            ("waba", Lit("not-an-id")),
            ("time_zone", Lit("Mars/Olympus")),
        ],
        expect: [401, 422, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "set_waba_time_zone",
        args: &[
            ("tenant", TenantA),
            ("waba", Lit("not-an-id")),
            ("time_zone", Lit("Europe/Paris")),
        ],
        expect: [401, 404, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "get_tenant",
        args: &[],
        expect: [400; 8],
    },
    Case {
        endpoint: "add_phone_number",
        args: &[
            ("tenant", TenantA),
            ("waba", Lit("")),
            ("number", Lit("bad")),
            ("phone_number_id", Lit("")),
            ("display_name", Lit("")),
        ],
        expect: [401, 422, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "invite_user",
        args: &[
            ("tenant", TenantA),
            ("email", Lit("bad")),
            ("role", Lit("viewer")),
        ],
        expect: [401, 422, 403, 403, 422, 403, 403, 404],
    },
    Case {
        endpoint: "resend_invitation",
        args: &[("tenant", TenantA), ("invitation", FreshInvitation)],
        expect: [401, 200, 403, 403, 200, 403, 403, 404],
    },
    Case {
        endpoint: "revoke_invitation",
        args: &[("tenant", TenantA), ("invitation", FreshInvitation)],
        expect: [401, 200, 403, 403, 200, 403, 403, 404],
    },
    Case {
        endpoint: "get_staff",
        args: &[],
        expect: [401, 200, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "invite_staff",
        args: &[("email", Lit("bad")), ("role", Lit("reviewer"))],
        expect: [401, 422, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "revoke_staff_invitation",
        args: &[("invitation", Lit("not-an-id"))],
        expect: [401, 404, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "set_staff_role",
        args: &[("user", Lit("not-an-id")), ("role", Lit("admin"))],
        expect: [401, 404, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "set_staff_disabled",
        args: &[("user", Lit("not-an-id")), ("disabled", Lit("true"))],
        expect: [401, 404, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "set_member_role",
        args: &[
            ("tenant", TenantA),
            ("user", EditorA),
            ("role", Lit("root")),
        ],
        expect: [401, 422, 403, 403, 422, 403, 403, 404],
    },
    Case {
        endpoint: "remove_member",
        args: &[("tenant", TenantA), ("user", Lit("not-an-id"))],
        expect: [401, 404, 403, 403, 404, 403, 403, 404],
    },
    Case {
        endpoint: "list_templates",
        args: &[("tenant", TenantA)],
        expect: [401, 200, 200, 200, 200, 200, 200, 404],
    },
    Case {
        endpoint: "template_builder",
        args: &[("tenant", TenantA)],
        expect: [401, 200, 403, 403, 200, 200, 403, 404],
    },
    Case {
        endpoint: "create_template",
        args: &[
            ("tenant", TenantA),
            ("name", Lit("Bad")),
            ("language", Lit("en")),
            ("category", Lit("utility")),
            ("header", Lit("")),
            ("body", Lit("")),
            ("footer", Lit("")),
            ("examples", Lit("")),
        ],
        expect: [401, 422, 403, 403, 422, 422, 403, 404],
    },
    Case {
        endpoint: "get_template",
        args: &[("tenant", TenantA), ("id", TemplateA)],
        expect: [401, 200, 200, 200, 200, 200, 200, 404],
    },
    // The template has a blocking finding, so allowed roles get 422 and nothing changes.
    Case {
        endpoint: "submit_template",
        args: &[("tenant", TenantA), ("id", TemplateA)],
        expect: [401, 422, 403, 403, 422, 422, 403, 404],
    },
    Case {
        endpoint: "edit_template",
        args: &[
            ("tenant", TenantA),
            ("id", TemplateA),
            ("category", Lit("utility")),
            ("header", Lit("")),
            ("body", Lit("")),
            ("footer", Lit("")),
            ("examples", Lit("")),
        ],
        expect: [401, 422, 403, 403, 422, 422, 403, 404],
    },
    Case {
        endpoint: "list_review_queue",
        args: QUEUE_ARGS,
        expect: [401, 200, 200, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "decide_template",
        args: &[
            ("tenant", TenantA),
            ("id", TemplateA),
            ("revision", Lit("1")),
            ("decision", Lit("reject")),
            ("reason", Lit("")),
            ("note", Lit("")),
        ],
        expect: [401, 422, 422, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "open_review",
        args: &[("tenant", TenantA), ("id", TemplateA)],
        expect: [401, 200, 200, 403, 403, 403, 403, 403],
    },
    // The template is a draft: nothing to claim or mark submitted.
    Case {
        endpoint: "claim_template",
        args: &[("tenant", TenantA), ("id", TemplateA)],
        expect: [401, 409, 409, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "release_template",
        args: &[("tenant", TenantA), ("id", TemplateA)],
        expect: [401, 200, 200, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "bulk_decide",
        args: &[
            ("decision", Lit("approve")),
            ("reason", Lit("")),
            ("note", Lit("")),
        ],
        expect: [401, 422, 422, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "mark_template_submitted",
        args: &[("tenant", TenantA), ("id", TemplateA)],
        expect: [401, 409, 409, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "template_history",
        args: &[("tenant", TenantA), ("id", TemplateA)],
        expect: [401, 200, 200, 200, 200, 200, 200, 404],
    },
    Case {
        endpoint: "list_domains",
        args: &[("tenant", TenantA)],
        expect: [401, 200, 200, 200, 200, 200, 200, 404],
    },
    Case {
        endpoint: "declare_domain",
        args: &[("tenant", TenantA), ("domain", Lit("not a domain"))],
        expect: [401, 422, 403, 403, 422, 422, 403, 404],
    },
    Case {
        endpoint: "remove_domain",
        args: &[("tenant", TenantA), ("id", Lit("not-an-id"))],
        expect: [401, 404, 403, 403, 404, 404, 403, 404],
    },
    Case {
        endpoint: "get_profile",
        args: &[("tenant", TenantA), ("number", NumberA)],
        expect: [401, 200, 200, 200, 200, 200, 200, 404],
    },
    // An empty profile fails validation: allowed roles get 422 and nothing changes.
    Case {
        endpoint: "save_profile",
        args: &[
            ("tenant", TenantA),
            ("number", NumberA),
            ("version", Lit("0")),
            ("about", Lit("")),
            ("address", Lit("")),
            ("description", Lit("")),
            ("email", Lit("")),
            ("website1", Lit("")),
            ("website2", Lit("")),
            ("vertical", Lit("")),
        ],
        expect: [401, 422, 403, 403, 422, 422, 403, 404],
    },
    Case {
        endpoint: "restore_profile",
        args: &[
            ("tenant", TenantA),
            ("number", NumberA),
            ("version", Lit("0")),
            ("restore", Lit("1")),
        ],
        expect: [401, 404, 403, 403, 404, 404, 403, 404],
    },
    Case {
        endpoint: "get_checklist",
        args: &[("tenant", TenantA)],
        expect: [401, 200, 200, 200, 200, 200, 200, 404],
    },
    // Badge requests: a bad link is refused (422) for those who may write; there is no
    // request to move, so moving one is 404 for those allowed; only BSP admins decide.
    Case {
        endpoint: "save_oba_request",
        args: &[
            ("tenant", TenantA),
            ("number", NumberA),
            ("links[0]", Lit("not a link")),
            ("parent", Lit("")),
            ("notes", Lit("")),
        ],
        expect: [401, 422, 403, 403, 422, 422, 403, 404],
    },
    Case {
        endpoint: "advance_oba_request",
        args: &[
            ("tenant", TenantA),
            ("number", NumberA),
            ("request", Lit("not-an-id")),
            ("step", Lit("submit")),
        ],
        expect: [401, 404, 403, 403, 404, 404, 403, 404],
    },
    Case {
        endpoint: "advance_oba_request",
        args: &[
            ("tenant", TenantA),
            ("number", NumberA),
            ("request", Lit("not-an-id")),
            ("step", Lit("approve")),
        ],
        expect: [401, 404, 403, 403, 403, 403, 403, 404],
    },
    Case {
        endpoint: "list_profiles",
        args: &[("filter", Lit("attention"))],
        expect: [401, 200, 200, 200, 403, 403, 403, 403],
    },
    Case {
        endpoint: "save_checklist",
        args: &[
            ("tenant", TenantA),
            ("other", Lit("")),
            ("consent_record", Lit("")),
            ("opt_in[0]", Lit("carrier_pigeon")),
        ],
        expect: [401, 422, 403, 403, 422, 422, 403, 404],
    },
    Case {
        endpoint: "template_health",
        args: &[("tenant", TenantA), ("id", TemplateA)],
        expect: [401, 200, 200, 200, 200, 200, 200, 404],
    },
    Case {
        endpoint: "number_health",
        args: &[("tenant", TenantA)],
        expect: [401, 200, 200, 200, 200, 200, 200, 404],
    },
    Case {
        endpoint: "list_alerts",
        args: &[("tenant", TenantA), ("status", Lit(""))],
        expect: [401, 200, 200, 200, 200, 200, 200, 404],
    },
    Case {
        endpoint: "list_all_alerts",
        args: &[("status", Lit("open"))],
        expect: [401, 200, 200, 200, 403, 403, 403, 403],
    },
    Case {
        endpoint: "set_alert_status",
        args: &[("tenant", TenantA), ("id", Lit("not-an-id"))],
        expect: [401, 404, 403, 403, 404, 404, 403, 404],
    },
    Case {
        endpoint: "get_alert_prefs",
        args: &[("tenant", TenantA)],
        expect: [401, 200, 200, 200, 200, 200, 200, 404],
    },
    // Critical alerts cannot be muted: allowed callers get 422 and nothing changes.
    Case {
        endpoint: "set_alert_prefs",
        args: &[
            ("tenant", TenantA),
            ("subscribed", Lit("1")),
            ("critical", Lit("off")),
            ("warning", Lit("off")),
            ("info", Lit("off")),
        ],
        expect: [401, 422, 422, 422, 422, 422, 422, 404],
    },
    Case {
        endpoint: "event_log",
        args: &[
            ("tenant", TenantA),
            ("field", Lit("")),
            ("status", Lit("")),
            ("search", Lit("")),
            ("page", Lit("")),
        ],
        expect: [401, 200, 200, 200, 403, 403, 403, 403],
    },
    Case {
        endpoint: "unmatched_events",
        args: &[
            ("field", Lit("")),
            ("status", Lit("")),
            ("search", Lit("")),
            ("page", Lit("")),
        ],
        expect: [401, 200, 200, 200, 403, 403, 403, 403],
    },
    Case {
        endpoint: "replay_event",
        args: &[("tenant", TenantA), ("id", Lit("not-an-id"))],
        expect: [401, 404, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "verify_domain",
        args: &[
            ("tenant", TenantA),
            ("id", Lit("not-an-id")),
            ("verified", Lit("true")),
        ],
        expect: [401, 404, 404, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "get_pricing",
        args: &[],
        expect: [401, 200, 403, 200, 403, 403, 403, 403],
    },
    Case {
        endpoint: "get_rate_card",
        args: &[("card", Lit("not-an-id"))],
        expect: [401, 404, 403, 404, 403, 403, 403, 403],
    },
    Case {
        endpoint: "stage_rate_card",
        args: &[
            ("card", Lit("")),
            ("csv", Lit("")),
            ("effective_from", Lit("")),
            ("note", Lit("")),
        ],
        expect: [401, 422, 403, 422, 403, 403, 403, 403],
    },
    Case {
        endpoint: "publish_rate_card",
        args: &[("card", Lit("not-an-id"))],
        expect: [401, 404, 403, 404, 403, 403, 403, 403],
    },
    Case {
        endpoint: "discard_rate_card",
        args: &[("card", Lit("not-an-id"))],
        expect: [401, 404, 403, 404, 403, 403, 403, 403],
    },
    Case {
        endpoint: "stage_price_list",
        args: &[
            ("tenant", Lit("")),
            ("currency", Lit("")),
            ("list_effective_from", Lit("")),
            ("list_note", Lit("")),
        ],
        expect: [401, 422, 403, 422, 403, 403, 403, 403],
    },
    Case {
        endpoint: "get_price_list",
        args: &[("list", Lit("not-an-id"))],
        expect: [401, 404, 403, 404, 403, 403, 403, 403],
    },
    Case {
        endpoint: "publish_price_list",
        args: &[("list", Lit("not-an-id"))],
        expect: [401, 404, 403, 404, 403, 403, 403, 403],
    },
    // Billing: every member of the tenant and finance; reviewers see no one's spending.
    Case {
        endpoint: "get_billing",
        args: &[("tenant", TenantA)],
        expect: [401, 200, 403, 200, 200, 200, 200, 404],
    },
    Case {
        endpoint: "get_billing",
        args: &[("tenant", TenantA), ("month", Lit("2026-01"))],
        expect: [401, 200, 403, 200, 200, 200, 200, 404],
    },
    Case {
        endpoint: "finance_usage",
        args: &[],
        expect: [401, 200, 403, 200, 403, 403, 403, 403],
    },
    Case {
        endpoint: "finance_usage",
        args: &[("month", Lit("2026-10")), ("sort", Lit("margin"))],
        expect: [401, 200, 403, 200, 403, 403, 403, 403],
    },
    Case {
        endpoint: "list_cost_imports",
        args: &[],
        expect: [401, 200, 403, 200, 403, 403, 403, 403],
    },
    Case {
        endpoint: "import_costs",
        args: &[("csv", Lit("")), ("note", Lit(""))],
        expect: [401, 422, 403, 422, 403, 403, 403, 403],
    },
    Case {
        endpoint: "get_reconciliation",
        args: &[("import", Lit("not-an-id"))],
        expect: [401, 404, 403, 404, 403, 403, 403, 403],
    },
    Case {
        endpoint: "rerate_preview",
        args: &[("month", Lit("2026-10")), ("currency", Lit("EUR"))],
        expect: [401, 200, 403, 200, 403, 403, 403, 403],
    },
    Case {
        endpoint: "apply_rerate",
        args: &[("month", Lit("bogus")), ("currency", Lit("EUR"))],
        expect: [401, 422, 403, 422, 403, 403, 403, 403],
    },
    Case {
        endpoint: "get_invoice",
        args: &[("tenant", TenantA), ("invoice", Lit("not-an-id"))],
        expect: [401, 404, 403, 404, 404, 404, 404, 404],
    },
    Case {
        endpoint: "list_outbox",
        args: &[],
        expect: [401, 200, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "resend_email",
        args: &[("id", Email)],
        expect: [401, 200, 403, 403, 403, 403, 403, 403],
    },
    Case {
        endpoint: "list_audit",
        args: &[],
        expect: [401, 200, 403, 403, 200, 403, 403, 200],
    },
    Case {
        endpoint: "list_audit",
        args: &[("tenant", TenantA)],
        expect: [401, 200, 403, 403, 200, 403, 403, 404],
    },
    Case {
        endpoint: "switch_tenant",
        args: &[("tenant_id", TenantA)],
        expect: [401, 404, 404, 404, 200, 200, 200, 404],
    },
    Case {
        endpoint: "set_locale",
        args: &[("locale", Lit("fr"))],
        expect: [401, 200, 200, 200, 200, 200, 200, 200],
    },
    Case {
        endpoint: "set_locale",
        args: &[("locale", Lit("xx"))],
        expect: [401, 422, 422, 422, 422, 422, 422, 422],
    },
];

const QUEUE_ARGS: &[(&str, Arg)] = &[
    ("tenant", Lit("")),
    ("category", Lit("")),
    ("language", Lit("")),
    ("severity", Lit("")),
    ("search", Lit("")),
    ("page", Lit("")),
];

/// Pages (GET, server-rendered). 302 = redirected to sign-in (or home's redirect).
const PAGES: &[(&str, [u16; 8])] = &[
    // Signed-in users are sent on from the sign-in page.
    ("/sign-in", [200, 302, 302, 302, 302, 302, 302, 302]),
    ("/", [302; 8]),
    ("/tenants", [302, 200, 200, 200, 403, 403, 403, 403]),
    ("/tenants/new", [302, 200, 403, 403, 403, 403, 403, 403]),
    ("/tenants/{A}", [302, 200, 200, 200, 200, 200, 200, 404]),
    (
        "/tenants/{A}/edit",
        [302, 200, 403, 403, 403, 403, 403, 403],
    ),
    ("/audit", [302, 200, 403, 403, 200, 403, 403, 200]),
    (
        "/tenants/{A}/templates",
        [302, 200, 200, 200, 200, 200, 200, 404],
    ),
    (
        "/tenants/{A}/templates/new",
        [302, 200, 403, 403, 200, 200, 403, 404],
    ),
    (
        "/tenants/{A}/templates/{T}",
        [302, 200, 200, 200, 200, 200, 200, 404],
    ),
    ("/review", [302, 200, 200, 403, 403, 403, 403, 403]),
    (
        "/tenants/{A}/templates/{T}/edit",
        [302, 200, 403, 403, 200, 200, 403, 404],
    ),
    (
        "/tenants/{A}/templates/{T}/history",
        [302, 200, 200, 200, 200, 200, 200, 404],
    ),
    ("/review/{A}/{T}", [302, 200, 200, 403, 403, 403, 403, 403]),
    (
        "/tenants/{A}/numbers/{N}/profile",
        [302, 200, 200, 200, 200, 200, 200, 404],
    ),
    (
        "/tenants/{A}/compliance",
        [302, 200, 200, 200, 200, 200, 200, 404],
    ),
    ("/profiles", [302, 200, 200, 200, 403, 403, 403, 403]),
    (
        "/profiles?filter=missing_photo&page=2",
        [302, 200, 200, 200, 403, 403, 403, 403],
    ),
    (
        "/review?severity=errors&q=x",
        [302, 200, 200, 403, 403, 403, 403, 403],
    ),
    (
        "/audit?tenant={A}",
        [302, 200, 403, 403, 200, 403, 403, 404],
    ),
    ("/admin/outbox", [302, 200, 403, 403, 403, 403, 403, 403]),
    (
        "/tenants/{A}/numbers",
        [302, 200, 200, 200, 200, 200, 200, 404],
    ),
    (
        "/tenants/{A}/alerts",
        [302, 200, 200, 200, 200, 200, 200, 404],
    ),
    (
        "/tenants/{A}/alerts?status=resolved",
        [302, 200, 200, 200, 200, 200, 200, 404],
    ),
    (
        "/tenants/{A}/events",
        [302, 200, 200, 200, 403, 403, 403, 403],
    ),
    (
        "/tenants/{A}/events?q=x&status=failed",
        [302, 200, 200, 200, 403, 403, 403, 403],
    ),
    ("/alerts", [302, 200, 200, 200, 403, 403, 403, 403]),
    ("/admin/events", [302, 200, 200, 200, 403, 403, 403, 403]),
    ("/admin/staff", [302, 200, 403, 403, 403, 403, 403, 403]),
    ("/admin/api-keys", [302, 200, 403, 403, 403, 403, 403, 403]),
    (
        "/tenants/{A}/api-keys",
        [302, 200, 403, 403, 200, 403, 403, 404],
    ),
    ("/finance/pricing", [302, 200, 403, 200, 403, 403, 403, 403]),
    ("/finance/usage", [302, 200, 403, 200, 403, 403, 403, 403]),
    (
        "/finance/reconciliation",
        [302, 200, 403, 200, 403, 403, 403, 403],
    ),
    ("/finance/rerate", [302, 200, 403, 200, 403, 403, 403, 403]),
    (
        "/finance/rerate?month=2026-10&currency=GBP",
        [302, 200, 403, 200, 403, 403, 403, 403],
    ),
    (
        "/finance/reconciliation/not-an-id",
        [302, 404, 403, 404, 403, 403, 403, 403],
    ),
    (
        "/finance/usage?month=2026-10&sort=country",
        [302, 200, 403, 200, 403, 403, 403, 403],
    ),
    (
        "/finance/rates/not-an-id",
        [302, 404, 403, 404, 403, 403, 403, 403],
    ),
    (
        "/finance/prices/not-an-id",
        [302, 404, 403, 404, 403, 403, 403, 403],
    ),
    (
        "/tenants/{A}/billing",
        [302, 200, 403, 200, 200, 200, 200, 404],
    ),
    (
        "/tenants/{A}/billing?month=2025-12",
        [302, 200, 403, 200, 200, 200, 200, 404],
    ),
    (
        "/tenants/{A}/invoices/not-an-id",
        [302, 404, 403, 404, 404, 404, 404, 404],
    ),
    // Downloads answer with a status, not a sign-in page.
    (
        "/finance/rates/not-an-id/csv",
        [401, 404, 403, 404, 403, 403, 403, 403],
    ),
    (
        "/finance/usage.csv?from=2026-11-01&to=2026-11-30",
        [401, 200, 403, 200, 403, 403, 403, 403],
    ),
    (
        "/tenants/{A}/photos/0000000000000000000000000000000000000000000000000000000000000000",
        [401, 404, 404, 404, 404, 404, 404, 404],
    ),
    (
        "/tenants/{A}/photos/not-a-photo",
        [401, 404, 404, 404, 404, 404, 404, 404],
    ),
    (
        "/tenants/{A}/media/0000000000000000000000000000000000000000000000000000000000000000",
        [401, 404, 404, 404, 404, 404, 404, 404],
    ),
    (
        "/finance/usage.csv?from=2026-11-30&to=2026-11-01",
        [401, 400, 403, 400, 403, 403, 403, 403],
    ),
    ("/invite/bogus", [410; 8]),
    ("/forgot-password", [200; 8]),
    // Single sign-on is not configured in this app: nothing there for anyone.
    ("/auth/oidc/start", [404; 8]),
    ("/auth/oidc/callback?code=x&state=y", [404; 8]),
    // A page that says the link is invalid (the token is checked by its server function).
    ("/reset-password/bogus", [200; 8]),
    ("/account", [302, 200, 200, 200, 200, 200, 200, 200]),
    ("/sign-in/code", [200; 8]),
    // Anonymous visitors are sent to sign in.
    (
        "/account/two-factor",
        [302, 200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "/account/recovery-codes",
        [302, 200, 200, 200, 200, 200, 200, 200],
    ),
    ("/no-such-page", [404; 8]),
];

/// Uploads (multipart POST).
/// The photo is too small, and template A has no media header: allowed roles get 422.
const UPLOADS: &[(&str, &str, [u16; 8])] = &[
    (
        "/tenants/{A}/numbers/{N}/photo",
        "photo",
        [401, 422, 403, 403, 422, 422, 403, 404],
    ),
    (
        "/tenants/{A}/numbers/not-an-id/photo",
        "photo",
        [401, 404, 403, 403, 404, 404, 403, 404],
    ),
    (
        "/tenants/{A}/templates/{T}/sample",
        "sample",
        [401, 422, 403, 403, 422, 422, 403, 404],
    ),
    (
        "/tenants/{A}/templates/not-an-id/sample",
        "sample",
        [401, 404, 403, 403, 404, 404, 403, 404],
    ),
];

/// The endpoints the app registers, so a new one cannot be forgotten here.
const ALL_ENDPOINTS: &[&str] = &[
    "session",
    "list_api_keys",
    "create_api_key",
    "rotate_api_key",
    "revoke_api_key",
    "take_new_api_key",
    "sign_in",
    "sign_in_options",
    "sign_out",
    "switch_tenant",
    "set_locale",
    "invite_preview",
    "accept_invite",
    "request_password_reset",
    "reset_link",
    "reset_password",
    "change_password",
    "list_my_sessions",
    "end_session",
    "end_other_sessions",
    "sign_in_code",
    "two_factor_status",
    "begin_two_factor",
    "confirm_two_factor",
    "take_recovery_codes",
    "disable_two_factor",
    "reset_two_factor",
    "list_tenants",
    "list_staff",
    "create_tenant",
    "update_tenant",
    "get_tenant",
    "set_tenant_status",
    "set_tenant_graph_token",
    "set_waba_time_zone",
    "add_phone_number",
    "invite_user",
    "resend_invitation",
    "revoke_invitation",
    "list_outbox",
    "resend_email",
    "list_audit",
    "set_member_role",
    "remove_member",
    "list_templates",
    "template_builder",
    "create_template",
    "get_template",
    "submit_template",
    "list_review_queue",
    "decide_template",
    "edit_template",
    "open_review",
    "claim_template",
    "release_template",
    "bulk_decide",
    "mark_template_submitted",
    "template_history",
    "list_domains",
    "declare_domain",
    "remove_domain",
    "verify_domain",
    "get_profile",
    "save_profile",
    "restore_profile",
    "get_checklist",
    "save_checklist",
    "save_oba_request",
    "advance_oba_request",
    "list_profiles",
    "get_staff",
    "invite_staff",
    "revoke_staff_invitation",
    "set_staff_role",
    "set_staff_disabled",
    "template_health",
    "number_health",
    "list_alerts",
    "list_all_alerts",
    "set_alert_status",
    "get_alert_prefs",
    "set_alert_prefs",
    "event_log",
    "unmatched_events",
    "replay_event",
    "get_pricing",
    "get_rate_card",
    "stage_rate_card",
    "publish_rate_card",
    "discard_rate_card",
    "stage_price_list",
    "get_price_list",
    "publish_price_list",
    "get_billing",
    "get_invoice",
    "finance_usage",
    "list_cost_imports",
    "import_costs",
    "get_reconciliation",
    "rerate_preview",
    "apply_rerate",
];

async fn fresh_invitation(app: &TestApp, f: &Fixture, n: usize) -> String {
    let op = operator_scope(&app.state, "test");
    let scope = app::backend::auth::staff_in_tenant(&op, f.a)
        .await
        .expect("scope");
    services::invitations::invite(&scope, &format!("matrix{n}@a.test"), "viewer")
        .await
        .expect("invite")
        .to_string()
}

both!(
    every_route_and_server_function_answers_each_role_as_the_table_says,
    async |app: &TestApp| {
        let f = fixture(app).await;
        let email_id = {
            fresh_invitation(app, &f, 0).await;
            let op = operator_scope(&app.state, "test");
            services::outbox::list(&op).await.expect("outbox")[0]
                .id
                .to_string()
        };
        let editor_a = app::backend::repo::users::find_by_email(&app.state.db, EDITOR_A)
            .await
            .expect("editor")
            .map(|u| u.id.to_string())
            .unwrap_or_default();
        let template_a = {
            let op = operator_scope(&app.state, "test");
            let scope = app::backend::auth::staff_in_tenant(&op, f.a)
                .await
                .expect("scope");
            let form = app::domain::template::draft::DraftForm {
                name: "matrix".into(),
                language: "en".into(),
                category: "UTILITY".into(),
                body: "{{1}} starts badly but is otherwise a fine sentence.".into(),
                examples: "x".into(),
                ..Default::default()
            };
            services::templates::create(&scope, &form, false)
                .await
                .expect("template")
                .to_string()
        };
        let number_a = crate::profiles::phone_of_a(app, &f).await;
        let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
            .map(|(p, _)| p.trim_start_matches("/api/").to_owned())
            .collect();
        for r in &registered {
            assert!(
                ALL_ENDPOINTS.contains(&r.as_str()),
                "server function {r} is missing from the access matrix"
            );
        }
        let mut failures = Vec::new();
        let mut n = 1;
        for (col, role) in ROLES.iter().enumerate() {
            let s = match role {
                Some(email) => app.signed_in(email, PW).await,
                None => app.client(),
            };
            for case in SERVER_FNS {
                let mut args = Vec::new();
                for (k, v) in case.args {
                    let v = match v {
                        Lit(s) => (*s).to_owned(),
                        TenantA => f.a.to_string(),
                        FreshInvitation => {
                            n += 1;
                            fresh_invitation(app, &f, n).await
                        }
                        Email => email_id.clone(),
                        EditorA => editor_a.clone(),
                        TemplateA => template_a.clone(),
                        NumberA => number_a.clone(),
                        UniqueEmail => {
                            n += 1;
                            format!("nobody{n}@x.test")
                        }
                    };
                    args.push((*k, v));
                }
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let r = s.call(case.endpoint, &args).await;
                if r.status.as_u16() != case.expect[col] {
                    failures.push(format!(
                        "{:>20} as {:<18} expected {} got {} {}",
                        case.endpoint,
                        role.unwrap_or("anonymous"),
                        case.expect[col],
                        r.status.as_u16(),
                        r.body.chars().take(120).collect::<String>()
                    ));
                }
            }
            for (path, expect) in PAGES {
                let path = path
                    .replace("{A}", &f.a.to_string())
                    .replace("{T}", &template_a)
                    .replace("{N}", &number_a);
                let r = s.get(&path).await;
                if r.status.as_u16() != expect[col] {
                    failures.push(format!(
                        "{:>20} as {:<18} expected {} got {}",
                        path,
                        role.unwrap_or("anonymous"),
                        expect[col],
                        r.status.as_u16()
                    ));
                }
            }
            // The photo upload (a multipart POST, not a server function): a photo too small is
            // refused (422) for those who may edit, so nothing is stored.
            for (path, field, expect) in UPLOADS {
                let path = path
                    .replace("{A}", &f.a.to_string())
                    .replace("{N}", &number_a)
                    .replace("{T}", &template_a);
                let r = s
                    .upload(
                        &path,
                        field,
                        "p.png",
                        "image/png",
                        &crate::photos::png(100, 100),
                        false,
                    )
                    .await;
                if r.status.as_u16() != expect[col] {
                    failures.push(format!(
                        "{:>20} as {:<18} expected {} got {}",
                        path,
                        role.unwrap_or("anonymous"),
                        expect[col],
                        r.status.as_u16()
                    ));
                }
            }
            // Last: signing out ends this role's session.
            let r = s.call("sign_out", &[]).await;
            if r.status.as_u16() != 200 {
                failures.push(format!(
                    "sign_out as {} got {}",
                    role.unwrap_or("anonymous"),
                    r.status
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "access matrix mismatches:\n{}",
            failures.join("\n")
        );
    }
);
