//! The review pages' keyboard (the browser build only; the pages document the shortcuts): move through the queue, select, open,
//! claim, approve, reject.

use crate::api::review::ClaimTemplate;
use leptos::prelude::*;
use web_sys::wasm_bindgen::JsCast;

fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return true;
    }
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| {
            matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || e.closest("[contenteditable]").ok().flatten().is_some()
        })
}

fn doc() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

fn rows() -> Vec<web_sys::HtmlElement> {
    let Some(list) = doc().and_then(|d| d.query_selector_all("[data-row]").ok()) else {
        return vec![];
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

fn focused(rows: &[web_sys::HtmlElement]) -> Option<usize> {
    rows.iter().position(|r| r.class_list().contains("focused"))
}

fn focus(rows: &[web_sys::HtmlElement], i: usize) {
    for r in rows {
        let _ = r.class_list().remove_1("focused");
    }
    if let Some(r) = rows.get(i) {
        let _ = r.class_list().add_1("focused");
        let _ = r.focus();
    }
}

fn checkbox(row: &web_sys::HtmlElement) -> Option<web_sys::HtmlInputElement> {
    row.query_selector("input[type=checkbox]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
}

/// The row's tenant and template, from its checkbox (`tenant/template/revision`).
fn row_template(row: &web_sys::HtmlElement) -> Option<(String, String)> {
    let key = checkbox(row)?.value();
    let mut parts = key.split('/');
    Some((parts.next()?.to_owned(), parts.next()?.to_owned()))
}

fn select_value(id: &str, value: &str) {
    if let Some(s) = doc()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
    {
        s.set_value(value);
    }
}

fn focus_id(id: &str) {
    if let Some(e) = doc()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = e.focus();
    }
}

pub fn queue(claim: ServerAction<ClaimTemplate>) {
    let navigate = leptos_router::hooks::use_navigate();
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if typing(&ev) {
            return;
        }
        let rows = rows();
        let cur = focused(&rows);
        let key = ev.key();
        match key.as_str() {
            "j" | "ArrowDown" => focus(
                &rows,
                cur.map_or(0, |i| (i + 1).min(rows.len().saturating_sub(1))),
            ),
            "k" | "ArrowUp" => focus(&rows, cur.map_or(0, |i| i.saturating_sub(1))),
            "x" => {
                if let Some(cb) = cur.and_then(|i| rows.get(i)).and_then(checkbox) {
                    cb.set_checked(!cb.checked());
                }
            }
            "o" | "Enter" => {
                if let Some((tenant, id)) = cur.and_then(|i| rows.get(i)).and_then(row_template) {
                    navigate(&format!("/review/{tenant}/{id}"), Default::default());
                }
            }
            "c" => {
                if let Some((tenant, id)) = cur.and_then(|i| rows.get(i)).and_then(row_template) {
                    claim.dispatch(ClaimTemplate { tenant, id });
                }
            }
            "a" | "r" => {
                // Acts on the checked rows, or on the focused row when none is checked.
                if !rows.iter().filter_map(checkbox).any(|c| c.checked()) {
                    if let Some(cb) = cur.and_then(|i| rows.get(i)).and_then(checkbox) {
                        cb.set_checked(true);
                    }
                }
                if key == "a" {
                    select_value("f-decision", "approve");
                    focus_id("bulk-submit");
                } else {
                    select_value("f-decision", "reject");
                    focus_id("f-reason");
                }
            }
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || handle.remove());
}

pub fn review(claim: ServerAction<ClaimTemplate>, mine: bool, tenant: String, id: String) {
    let (t2, i2) = (tenant.clone(), id.clone());
    let navigate = leptos_router::hooks::use_navigate();
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if typing(&ev) {
            return;
        }
        match ev.key().as_str() {
            "a" => {
                select_value("f-decision", "approve");
                focus_id("decision-submit");
            }
            "r" => {
                select_value("f-decision", "reject");
                focus_id("f-reason");
            }
            "e" => {
                select_value("f-decision", "request_changes");
                focus_id("f-note");
            }
            "c" => {
                claim.dispatch(ClaimTemplate {
                    tenant: t2.clone(),
                    id: i2.clone(),
                });
            }
            "q" => navigate("/review", Default::default()),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || handle.remove());
    // While the reviewer is active, the claim is extended (every 2 minutes, if there
    // was a key press, click or scroll since the last extension).
    if mine {
        let active = StoredValue::new(false);
        let h1 = window_event_listener(leptos::ev::keydown, move |_| active.set_value(true));
        let h2 = window_event_listener(leptos::ev::click, move |_| active.set_value(true));
        let h3 = window_event_listener(leptos::ev::scroll, move |_| active.set_value(true));
        let interval = set_interval_with_handle(
            move || {
                if active.get_value() {
                    active.set_value(false);
                    let (tenant, id) = (tenant.clone(), id.clone());
                    leptos::task::spawn_local(async move {
                        let _ = crate::api::review::claim_template(tenant, id).await;
                    });
                }
            },
            std::time::Duration::from_secs(120),
        )
        .ok();
        on_cleanup(move || {
            h1.remove();
            h2.remove();
            h3.remove();
            if let Some(i) = interval {
                i.clear();
            }
        });
    }
}
