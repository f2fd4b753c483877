//! A template's standing at the platform: status, quality, pauses, and how long they last.

use super::text::{fmt_time, use_locale};
use crate::{contract::TemplateAtPlatform, i18n::T};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// "2 h 05 min" from `now` to `then` (nothing if past).
pub fn remaining(now: DateTime<Utc>, then: DateTime<Utc>) -> Option<String> {
    let secs = (then - now).num_seconds();
    if secs <= 0 {
        return None;
    }
    // Whole minutes, rounded up: "1 min" until the very end.
    let mins = (secs + 59) / 60;
    let (d, h, m) = (mins / 1_440, (mins % 1_440) / 60, mins % 60);
    Some(if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m:02} min")
    } else {
        format!("{m} min")
    })
}

pub fn quality_badge(q: &str) -> &'static str {
    match q {
        "GREEN" => "badge badge-green",
        "YELLOW" => "badge badge-yellow",
        "RED" => "badge badge-red",
        _ => "badge badge-gray",
    }
}

/// The template's state at WhatsApp, shown on its page once it was sent.
#[component]
pub fn HealthCard(h: TemplateAtPlatform) -> impl IntoView {
    let l = use_locale();
    let status = h.status.map(super::badges::status_badge);
    let next = match h.outlook.as_deref() {
        Some("first_pause") => Some(T::NextAfterFirstPause),
        Some("second_pause") => Some(T::NextAfterSecondPause),
        Some("rate_limited") => Some(T::NextRateLimited),
        Some("disabled") => Some(T::NextDisabled),
        _ => None,
    };
    let countdown = h.paused_until.map(|u| (fmt_time(u), remaining(h.as_of, u)));
    view! {
        <section class="card card-spaced" data-testid="platform-health">
            <div class="card-header"><h2>{T::AtWhatsApp.get(l)}</h2></div>
            <div class="card-body">
                <dl class="facts">
                    <dt>{T::Status.get(l)}</dt>
                    <dd>{status.map(|(class, label)| view! { <span class=class data-testid="platform-status">{label}</span> })}
                        {h.status_at.map(|a| view! { <span class="muted small">" " {fmt_time(a)}</span> })}</dd>
                    <dt>{T::Quality.get(l)}</dt>
                    <dd>{match h.quality.clone() {
                        Some(q) => view! { <span class=quality_badge(&q) data-testid="quality">{q.to_lowercase()}</span> }.into_any(),
                        None => view! { <span class="muted">{T::QualityPending.get(l)}</span> }.into_any(),
                    }}</dd>
                    {(h.pause_count > 0).then(|| view! { <dt>{T::Pauses.get(l)}</dt><dd>{h.pause_count}</dd> })}
                </dl>
                {countdown.map(|(until, left)| view! {
                    <p class="flash flash-warning" data-testid="countdown">
                        {T::PausedUntil.fill(l, &[&until])}
                        {left.map(|x| view! { " — " <strong>{T::TimeLeft.fill(l, &[&x])}</strong> })}
                    </p>
                })}
                {h.disable_date.map(|d| view! { <p class="flash flash-error" data-testid="disabled-on">{T::DisabledOn.fill(l, &[&fmt_time(d)])}</p> })}
                {next.map(|n| view! { <p data-testid="what-next"><strong>{T::WhatHappensNext.get(l)} ": "</strong>{n.get(l)}</p> })}
                {h.rejection_reason.clone().map(|r| view! { <p><strong>{T::Reason.get(l)} ": "</strong><span class="mono">{r}</span></p> })}
                {h.rejection_detail.clone().map(|r| view! { <p>{r}</p> })}
                {h.recommendation.clone().map(|r| view! { <p class="muted">{T::Recommendation.get(l)} ": " {r}</p> })}
                {h.description.clone().map(|r| view! { <p class="muted">{r}</p> })}
                {h.pending_category.clone().map(|c| view! {
                    <p class="flash flash-info" data-testid="pending-category">
                        {T::CategoryWillChange.fill(l, &[&h.category.to_lowercase(), &c.to_lowercase(), &h.category_change_at.map(fmt_time).unwrap_or_default()])}
                    </p>
                })}
                {(!h.history.is_empty()).then(|| view! {
                    <details>
                        <summary>{T::PlatformHistory.get(l)} " (" {h.history.len()} ")"</summary>
                        <table class="table small">
                            <tbody>{h.history.iter().map(|e| view! {
                                <tr><td class="nowrap">{fmt_time(e.at)}</td><td>{e.kind.clone()}</td><td class="mono">{e.value.clone()}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                    </details>
                })}
            </div>
        </section>
    }
}
