//! Reading a change's value into what it means (`interpret`); unknown shapes are
//! `Change::Unknown`, never a panic.

use super::{
    change::*,
    envelope::*,
    messages::*,
    vocabulary::{
        AccountEvent, AlertEntity, AlertSeverity, AlertStatus, AlertType, BanState, NameDecision,
        NumberEvent,
    },
};
use crate::domain::{
    messaging_tier::{Quality, Tier},
    template::status::PlatformEvent,
};
use serde_json::Value;

/// Reads a stored change.
pub fn interpret(field: &str, value: &Value) -> Change {
    match field {
        NUMBER_HEALTH => number_health(value),
        "message_template_status_update" => template_status(value),
        "message_template_quality_update" => template_quality(value),
        "template_category_update" => template_category(value),
        "phone_number_quality_update" => number_quality(value),
        "phone_number_name_update" => number_name(value),
        "business_capability_update" => capability(value),
        "account_update" => account(value),
        "account_alerts" => account_alert(value),
        "security" => security(value),
        "messages" => messages(value),
        _ => Change::Unknown,
    }
}

fn number_health(value: &Value) -> Change {
    Change::NumberHealth(NumberHealthChange {
        display_phone_number: text(value, "display_phone_number").unwrap_or_default(),
        status: text(value, "status")
            .map(|s| s.trim().to_ascii_uppercase())
            .filter(|s| !s.is_empty()),
        quality: text(value, "quality_rating")
            .as_deref()
            .and_then(Quality::parse)
            .or_else(|| {
                value
                    .pointer("/quality_score/score")
                    .and_then(Value::as_str)
                    .and_then(Quality::parse)
            }),
        tier: value.get("messaging_limit_tier").and_then(Tier::parse),
        portfolio_limit: value
            .get("whatsapp_business_manager_messaging_limit")
            .and_then(Tier::parse),
        throughput_high: value
            .pointer("/throughput/level")
            .and_then(Value::as_str)
            .map(|l| l.eq_ignore_ascii_case("HIGH")),
    })
}

fn template_status(value: &Value) -> Change {
    {
        let raw_event = text(value, "event").unwrap_or_default();
        let rejection = value.get("rejection_info").map(|r| {
            (
                text(r, "reason").unwrap_or_default(),
                text(r, "recommendation").unwrap_or_default(),
            )
        });
        let other = value.get("other_info");
        Change::TemplateStatus(TemplateStatusChange {
            template: TemplateRef::of(value),
            event: PlatformEvent::parse(&raw_event),
            raw_event,
            reason: text(value, "reason").filter(|r| r != "NONE"),
            rejection,
            pause_title: other.and_then(|o| text(o, "title")),
            description: other.and_then(|o| text(o, "description")),
            disable_date: value.pointer("/disable_info/disable_date").and_then(unix),
        })
    }
    // Meta's own example labels quality updates as status updates: both are read by shape.
}

fn template_quality(value: &Value) -> Change {
    match text(value, "new_quality_score")
        .as_deref()
        .and_then(Quality::parse)
    {
        Some(new) => Change::TemplateQuality(TemplateQualityChange {
            template: TemplateRef::of(value),
            previous: text(value, "previous_quality_score")
                .as_deref()
                .and_then(Quality::parse),
            new,
        }),
        None => Change::Unknown,
    }
}

fn template_category(value: &Value) -> Change {
    let template = TemplateRef::of(value);
    let change = match (
        text(value, "correct_category"),
        text(value, "previous_category"),
        text(value, "new_category"),
    ) {
        (Some(correct), _, _) => CategoryChange::Impending {
            correct,
            at: value.get("category_update_timestamp").and_then(unix),
        },
        (None, previous, Some(new)) => CategoryChange::Completed { previous, new },
        _ => return Change::Unknown,
    };
    Change::TemplateCategory(TemplateCategoryChange { template, change })
}

fn number_quality(value: &Value) -> Change {
    Change::NumberQuality(NumberQualityChange {
        display_phone_number: text(value, "display_phone_number").unwrap_or_default(),
        event: NumberEvent::parse(&text(value, "event").unwrap_or_default()),
        current_limit: value.get("current_limit").and_then(Tier::parse),
        old_limit: value.get("old_limit").and_then(Tier::parse),
        portfolio_limit: value
            .get("max_daily_conversations_per_business")
            .and_then(Tier::parse),
    })
}

fn number_name(value: &Value) -> Change {
    Change::NumberName(NumberNameChange {
        display_phone_number: text(value, "display_phone_number").unwrap_or_default(),
        decision: NameDecision::parse(&text(value, "decision").unwrap_or_default()),
        requested_name: text(value, "requested_verified_name"),
        rejection_reason: text(value, "rejection_reason"),
    })
}

fn capability(value: &Value) -> Change {
    Change::Capability(CapabilityChange {
        portfolio_limit: value
            .get("max_daily_conversations_per_business")
            .and_then(Tier::parse),
        per_phone_limit: value
            .get("max_daily_conversation_per_phone")
            .and_then(Tier::parse),
        max_phone_numbers: value
            .get("max_phone_numbers_per_business")
            .and_then(Value::as_i64),
    })
}

fn account(value: &Value) -> Change {
    Change::Account(AccountChange {
        event: AccountEvent::parse(&text(value, "event").unwrap_or_default()),
        ban_state: value
            .get("ban_info")
            .and_then(|b| text(b, "waba_ban_state"))
            .map(|b| BanState::parse(&b)),
        ban_date: value.get("ban_info").and_then(|b| text(b, "waba_ban_date")),
        violation: value
            .get("violation_info")
            .and_then(|b| text(b, "violation_type")),
        restrictions: value
            .get("restriction_info")
            .and_then(Value::as_array)
            .map(|rs| {
                rs.iter()
                    .filter_map(|r| {
                        Some((
                            text(r, "restriction_type")?,
                            r.get("expiration").and_then(unix),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
}

fn account_alert(value: &Value) -> Change {
    let info = value.get("alert_info").cloned().unwrap_or(Value::Null);
    Change::AccountAlert(AccountAlertChange {
        entity_type: AlertEntity::parse(&text(value, "entity_type").unwrap_or_default()),
        entity_id: text(value, "entity_id").unwrap_or_default(),
        severity: text(&info, "alert_severity")
            .map_or(AlertSeverity::Informational, |s| AlertSeverity::parse(&s)),
        status: text(&info, "alert_status").map_or(AlertStatus::Active, |s| AlertStatus::parse(&s)),
        alert_type: AlertType::parse(&text(&info, "alert_type").unwrap_or_default()),
        description: text(&info, "alert_description"),
    })
}

fn security(value: &Value) -> Change {
    Change::Security(SecurityChange {
        display_phone_number: text(value, "display_phone_number").unwrap_or_default(),
        event: text(value, "event")
            .unwrap_or_default()
            .to_ascii_uppercase(),
    })
}

fn messages(value: &Value) -> Change {
    Change::Messages(MessagesChange {
        statuses: statuses(value),
        inbound: inbound(value),
    })
}
