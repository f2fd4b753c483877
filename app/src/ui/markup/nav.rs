//! The frame's navigation: a few dozen links on every page, written as one string (a view per
//! link cost more than the rest of the frame).

use super::writer::Markup;

/// An entry of the navigation.
pub enum NavItem {
    Section(String),
    Link {
        href: String,
        label: &'static str,
        exact: bool,
    },
}

/// Whether the link to `href` is the current page's, as the router's links decide: the same
/// path or, unless `exact`, a path below it.
fn is_current(href: &str, path: &str, exact: bool) -> bool {
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    path == href
        || !exact
            && path
                .strip_prefix(href)
                .is_some_and(|rest| rest.starts_with('/'))
}

/// The navigation's sections and links, the current one marked `aria-current="page"`.
pub fn nav_markup(items: &[NavItem], path: &str) -> String {
    let mut m = Markup::with_capacity(1024);
    for item in items {
        match item {
            NavItem::Section(name) => m
                .raw("<div class=\"nav-section\">")
                .text(name)
                .raw("</div>"),
            NavItem::Link { href, label, exact } => {
                m.raw("<a").attr("href", href);
                if is_current(href, path, *exact) {
                    m.raw(" aria-current=\"page\"");
                }
                m.raw(">").text(label).raw("</a>")
            }
        };
    }
    m.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_link_is_the_path_or_its_parent_unless_exact() {
        assert!(is_current("/review", "/review", false));
        assert!(is_current("/review", "/review/", false));
        assert!(is_current("/review", "/review/a/b", false));
        assert!(
            !is_current("/review", "/reviews", false),
            "a longer name is another page"
        );
        assert!(is_current("/tenants/1", "/tenants/1", true));
        assert!(
            !is_current("/tenants/1", "/tenants/1/templates", true),
            "the overview is exact"
        );
        assert!(!is_current("/tenants", "/", false));
    }

    #[test]
    fn the_navigation_marks_only_the_current_link_and_escapes_names() {
        let items = vec![
            NavItem::Section("<Acme & Co>".into()),
            NavItem::Link {
                href: "/tenants/1".into(),
                label: "Overview",
                exact: true,
            },
            NavItem::Link {
                href: "/tenants/1/templates".into(),
                label: "Templates",
                exact: false,
            },
        ];
        let html = nav_markup(&items, "/tenants/1/templates/2");
        assert!(html.contains("&lt;Acme &amp; Co&gt;"), "{html}");
        assert_eq!(html.matches("aria-current").count(), 1, "{html}");
        assert!(
            html.contains("<a href=\"/tenants/1/templates\" aria-current=\"page\">Templates</a>"),
            "{html}"
        );
        assert_eq!(
            nav_markup(&items, "/tenants/1")
                .matches("aria-current")
                .count(),
            1
        );
    }
}
