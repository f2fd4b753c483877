//! The review queue's page as markup: its rows, filters, pager and shortcut help (the
//! benchmark's subject: a view per cell made fifty rows cost several times the query).

use super::writer::{push_time, Markup};
use crate::{
    contract::QueueRow,
    domain::{
        locale::Locale,
        template::{draft::CATEGORIES, language::LANGUAGES},
    },
    i18n::T,
    ui::components::{
        badges::{sla_badge, sla_text},
        text::category_text,
    },
};

/// The queue's rows, written into `m` (see `ui::markup`: a view per cell made the render of
/// fifty rows cost several times the query). The keyboard shortcuts find a row by `data-row`
/// and its template from the checkbox's value (`tenant/template/revision`).
pub fn queue_rows(
    m: &mut Markup,
    rows: &[QueueRow],
    l: Locale,
    me: Option<uuid::Uuid>,
    checked: &[String],
) {
    let (select, you) = (T::Select.get(l), T::You.get(l));
    let (mut tenant_buf, mut template_buf) = (
        [0u8; uuid::fmt::Hyphenated::LENGTH],
        [0u8; uuid::fmt::Hyphenated::LENGTH],
    );
    for (i, r) in rows.iter().enumerate() {
        // Each id is written three times: encoded once.
        let tenant: &str = r.tenant.0.hyphenated().encode_lower(&mut tenant_buf);
        let template: &str = r.template.0.hyphenated().encode_lower(&mut template_buf);
        // The value is `BulkItem::key` (ids and a number: nothing to escape).
        m.raw("<tr data-row tabindex=\"-1\"><td class=\"check\"><input type=\"checkbox\" name=\"items[").display(i).raw("]\" value=\"");
        m.raw(tenant)
            .raw("/")
            .raw(template)
            .raw("/")
            .display(r.revision)
            .raw("\"")
            .attr("aria-label", select);
        // Rows chosen in a refused bulk decision (without JavaScript) stay chosen.
        if !checked.is_empty()
            && checked.iter().any(|k| {
                k.strip_prefix(tenant)
                    .and_then(|k| k.strip_prefix('/'))
                    .and_then(|k| k.strip_prefix(template))
                    .is_some()
            })
        {
            m.raw(" checked");
        }
        m.raw("></td>");
        m.raw("<td class=\"nowrap\"><span")
            .attr("class", sla_badge(r.sla))
            .raw(" title=\"")
            .text(sla_text(r.sla).get(l))
            .raw(" · ");
        push_time(m, r.submitted_at);
        m.raw("\">").text(&r.age).raw("</span></td>");
        // (The column's head says what the tenant link does: once, not on every row.)
        m.raw("<td><a href=\"/review?tenant=")
            .raw(tenant)
            .raw("\">")
            .text(&r.tenant_name)
            .raw("</a></td>");
        m.raw("<td><a href=\"/review/")
            .raw(tenant)
            .raw("/")
            .raw(template)
            .raw("\">")
            .text(&r.name)
            .raw("</a> <span class=\"muted small\">#")
            .display(r.revision)
            .raw("</span></td>");
        m.raw("<td>")
            .text(&r.language)
            .raw("</td><td>")
            .text(&category_text(&r.category))
            .raw("</td><td class=\"num\">");
        if r.error_count > 0 {
            m.raw("<span class=\"badge badge-red\">")
                .display(r.error_count)
                .raw("</span> ");
        }
        if r.warning_count > 0 {
            m.raw("<span class=\"badge badge-yellow\">")
                .display(r.warning_count)
                .raw("</span>");
        }
        if r.error_count == 0 && r.warning_count == 0 {
            m.raw("<span class=\"muted\">—</span>");
        }
        m.raw("</td><td>");
        if let Some(c) = &r.claim {
            let mine = Some(c.by) == me;
            m.raw("<span")
                .attr(
                    "class",
                    if mine {
                        "badge badge-blue"
                    } else {
                        "badge badge-gray"
                    },
                )
                .raw(" title=\"");
            push_time(m, c.until);
            m.raw("\">")
                .text(if mine { you } else { &c.by_name })
                .raw("</span>");
        }
        m.raw("</td></tr>");
    }
}

/// The shortcuts' help, as markup (a static list: no view per key).
pub fn shortcuts_markup(keys: &[(&str, T)], l: Locale) -> String {
    let mut m = Markup::with_capacity(1024);
    m.raw("<summary>")
        .text(T::KeyboardShortcuts.get(l))
        .raw("</summary><dl>");
    for (k, d) in keys {
        m.raw("<dt><kbd>")
            .text(k)
            .raw("</kbd></dt><dd>")
            .text(d.get(l))
            .raw("</dd>");
    }
    m.raw("</dl>");
    m.into_string()
}

/// The language filter's options: "any", then every language the platform has, `chosen`
/// selected. The list itself is written once per process.
fn language_options(any: &str, chosen: &str) -> String {
    static ALL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let all = ALL.get_or_init(|| {
        let mut m = Markup::with_capacity(8192);
        for (c, n) in LANGUAGES {
            m.raw("<option")
                .attr("value", c)
                .raw(">")
                .text(n)
                .raw(" — ")
                .text(c)
                .raw("</option>");
        }
        m.into_string()
    });
    let mut m = Markup::with_capacity(all.len() + 64);
    m.option("", any, chosen.is_empty());
    // Only a code of the list is looked for (codes are letters and `_`, written as they are).
    let at = LANGUAGES
        .iter()
        .find(|(c, _)| *c == chosen)
        .map(|(c, _)| format!("<option value=\"{c}\""));
    match at.and_then(|at| all.find(&at).map(|i| i + at.len())) {
        Some(end) => m.raw(&all[..end]).raw(" selected").raw(&all[end..]),
        None => m.raw(all),
    };
    m.into_string()
}

/// The filter form's fields as markup: a plain `GET` form, nothing in it reacts, so no view
/// per field and option (70 languages, up to 50 tenants, the rest).
pub fn filters_markup(
    tenants: &[(crate::domain::ids::TenantId, String)],
    q: &leptos_router::params::ParamsMap,
    l: Locale,
) -> String {
    let g = |k: &str| q.get_str(k).unwrap_or_default();
    let (tenant, category, language, severity) = (
        g("tenant"),
        g("category").to_ascii_uppercase(),
        g("language"),
        g("severity"),
    );
    let any = T::Any.get(l);
    let mut m = Markup::with_capacity(4096);
    let label = |m: &mut Markup, id: &str, t: T| {
        m.raw("<div class=\"field\"><label for=\"")
            .raw(id)
            .raw("\">")
            .text(t.get(l))
            .raw("</label>");
    };
    m.raw("<div class=\"card-body filter-row\">");
    label(&mut m, "q-search", T::Search);
    m.raw("<input id=\"q-search\" type=\"search\" name=\"q\"")
        .attr("value", g("q"))
        .attr("placeholder", T::SearchQueue.get(l))
        .raw("></div>");
    label(&mut m, "q-tenant", T::Tenant);
    m.raw("<select id=\"q-tenant\" name=\"tenant\">")
        .option("", any, tenant.is_empty());
    let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
    for (id, n) in tenants {
        let id: &str = id.0.hyphenated().encode_lower(&mut buf);
        m.option(id, n, id == tenant);
    }
    m.raw("</select></div>");
    label(&mut m, "q-category", T::Category);
    m.raw("<select id=\"q-category\" name=\"category\">")
        .option("", any, category.is_empty());
    for c in CATEGORIES {
        m.option(c, &c.to_lowercase(), c == category);
    }
    m.raw("</select></div>");
    label(&mut m, "q-language", T::Language);
    m.raw("<select id=\"q-language\" name=\"language\">")
        .raw(&language_options(any, language))
        .raw("</select></div>");
    label(&mut m, "q-severity", T::Findings);
    m.raw("<select id=\"q-severity\" name=\"severity\">")
        .option("", any, severity.is_empty());
    for (v, t) in [
        ("errors", T::WithErrors),
        ("warnings", T::WarningsOnly),
        ("clean", T::NoFindingsShort),
    ] {
        m.option(v, t.get(l), v == severity);
    }
    m.raw("</select></div><div class=\"field filter-actions\"><button type=\"submit\" class=\"btn btn-secondary\">").text(T::Filter.get(l));
    m.raw("</button><a class=\"btn btn-ghost\" href=\"/review\">")
        .text(T::Clear.get(l))
        .raw("</a></div></div>");
    m.into_string()
}

/// The queue's table (head and rows) as markup, the table element included.
pub fn table_markup(
    rows: &[QueueRow],
    l: Locale,
    me: Option<uuid::Uuid>,
    checked: &[String],
) -> String {
    // A row is about 750 bytes (more with long names): one allocation for the whole table.
    let mut m = Markup::with_capacity(rows.len() * 900 + 1024);
    m.raw("<table class=\"table queue\" data-testid=\"queue\"><thead><tr><th class=\"check\"><span class=\"sr-only\">").text(T::Select.get(l)).raw("</span></th>");
    m.raw("<th>")
        .text(T::Waiting.get(l))
        .raw("</th><th")
        .attr("title", T::OnlyThisTenant.get(l))
        .raw(">")
        .text(T::Tenant.get(l))
        .raw("</th>");
    for t in [T::TemplateName, T::Language, T::Category] {
        m.raw("<th>").text(t.get(l)).raw("</th>");
    }
    m.raw("<th class=\"num\">")
        .text(T::Findings.get(l))
        .raw("</th><th>")
        .text(T::ClaimedBy.get(l))
        .raw("</th></tr></thead><tbody>");
    queue_rows(&mut m, rows, l, me, checked);
    m.raw("</tbody></table>");
    m.into_string()
}

/// The queue's pager: previous and next page links (`link(page)` gives a page's address).
pub fn pager_markup(page: u32, has_next: bool, link: impl Fn(u32) -> String, l: Locale) -> String {
    let mut pager = Markup::default();
    if page > 0 {
        pager
            .raw("<a class=\"btn btn-ghost\"")
            .attr("href", &link(page - 1))
            .raw(">")
            .text(T::PreviousPage.get(l))
            .raw("</a>");
    }
    if has_next {
        pager
            .raw("<a class=\"btn btn-ghost\"")
            .attr("href", &link(page + 1))
            .raw(">")
            .text(T::NextPage.get(l))
            .raw("</a>");
    }
    pager.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{contract::QueuePage, domain::template::review::Sla};

    /// The options written the plain way, one by one: what `language_options` must equal.
    fn written_one_by_one(chosen: &str) -> String {
        let mut m = Markup::default();
        m.option("", "Any", chosen.is_empty());
        for (c, n) in LANGUAGES {
            m.raw("<option").attr("value", c);
            if *c == chosen {
                m.raw(" selected");
            }
            m.raw(">").text(n).raw(" — ").text(c).raw("</option>");
        }
        m.into_string()
    }

    #[test]
    fn language_options_select_exactly_the_chosen_language() {
        // Every code (a code that is the prefix of another, `ar` / `ar_EG`, included), none, and
        // one the platform does not have.
        for chosen in LANGUAGES
            .iter()
            .map(|(c, _)| *c)
            .chain(["", "xx_YY", "\"><script>"])
        {
            let got = language_options("Any", chosen);
            assert_eq!(got, written_one_by_one(chosen), "{chosen}");
            let known = chosen.is_empty() || LANGUAGES.iter().any(|(c, _)| *c == chosen);
            assert_eq!(
                got.matches(" selected").count(),
                usize::from(known),
                "{chosen}"
            );
        }
    }

    #[test]
    fn the_filters_keep_the_query_selected_and_escaped() {
        let q: leptos_router::params::ParamsMap = [
            ("q", "\"><b>x"),
            ("category", "utility"),
            ("language", "fr"),
            ("severity", "clean"),
            ("tenant", "00000000-0000-0000-0000-000000000001"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let tenants = vec![
            (
                crate::domain::ids::TenantId(uuid::Uuid::from_u128(1)),
                "A & B".to_owned(),
            ),
            (
                crate::domain::ids::TenantId(uuid::Uuid::from_u128(2)),
                "C".to_owned(),
            ),
        ];
        let html = filters_markup(&tenants, &q, Locale::En);
        assert!(
            html.contains("value=\"&quot;&gt;&lt;b&gt;x\""),
            "the search is escaped: {html}"
        );
        assert!(html.contains("<option value=\"00000000-0000-0000-0000-000000000001\" selected>A &amp; B</option>"), "{html}");
        assert!(
            html.contains("<option value=\"UTILITY\" selected>utility</option>"),
            "{html}"
        );
        assert!(html.contains("<option value=\"fr\" selected>"), "{html}");
        assert!(html.contains("<option value=\"clean\" selected>"), "{html}");
        assert_eq!(html.matches(" selected").count(), 4, "{html}");
        let none = filters_markup(&tenants, &Default::default(), Locale::En);
        assert_eq!(
            none.matches(" selected").count(),
            4,
            "every select on \"any\": {none}"
        );
    }

    #[test]
    fn categories_are_shown_in_lowercase() {
        for c in CATEGORIES {
            assert_eq!(category_text(c), c.to_lowercase());
        }
        assert_eq!(category_text("Ünknown"), "ünknown");
    }

    #[test]
    fn the_hydration_data_of_the_queue_leaves_the_rows_out() {
        let row = QueueRow {
            tenant: crate::domain::ids::TenantId(uuid::Uuid::from_u128(
                0x1111_2222_3333_4444_5555_6666_7777_8888,
            )),
            tenant_name: "Acme".into(),
            template: crate::domain::ids::TemplateId(uuid::Uuid::from_u128(
                0x9999_aaaa_bbbb_cccc_dddd_eeee_ffff_0000,
            )),
            name: "order_shipped".into(),
            language: "en_US".into(),
            category: "UTILITY".into(),
            revision: 2,
            submitted_at: chrono::DateTime::UNIX_EPOCH,
            error_count: 0,
            warning_count: 1,
            age: "1 h".into(),
            sla: Sla::OnTime,
            claim: None,
        };
        let page = QueuePage {
            rows: vec![row.clone()],
            page: 3,
            has_next: true,
            tenants: vec![(row.tenant, "Acme".into())],
            sla: Default::default(),
        };
        let mut m = Markup::default();
        queue_rows(&mut m, &page.rows, Locale::En, None, &[]);
        let html = m.into_string();
        let key = crate::domain::template::review::BulkItem {
            tenant: row.tenant.0,
            template: row.template.0,
            revision: 2,
        }
        .key();
        assert!(
            html.contains(&format!("value=\"{key}\"")),
            "the checkbox carries the bulk key: {html}"
        );
        assert!(
            html.contains(&format!("href=\"/review/{}/{}\"", row.tenant, row.template)),
            "{html}"
        );
        assert!(
            html.contains(&format!("href=\"/review?tenant={}\">Acme</a>", row.tenant)),
            "{html}"
        );
        assert!(html.contains("<td>utility</td>"), "{html}");
    }
}
