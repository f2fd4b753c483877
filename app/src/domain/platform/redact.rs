//! What staff see of a platform payload: end customers' numbers replaced by a keyed hash
//! (the same hash the console counts users by, so one customer's events still line up) and
//! their profile names removed. Payload fields:
//! https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples

use serde_json::Value;

/// Keys whose string values are an end customer's number (`messages[].from`,
/// `contacts[].wa_id`, `statuses[].recipient_id`, shared contact cards' `phones[].phone`, a
/// changed number's `system.new_wa_id` and `system.customer`, an echo's `to`).
const NUMBER_KEYS: [&str; 8] = [
    "from",
    "wa_id",
    "recipient_id",
    "phone",
    "user_id",
    "new_wa_id",
    "customer",
    "to",
];

/// What a removed text reads as (a system message's `body` names the old and new numbers).
pub const TEXT_REMOVED: &str = "(text removed)";

/// What a removed name reads as.
pub const NAME_REMOVED: &str = "(name removed)";

/// Rewrites `v` in place: every number under [`NUMBER_KEYS`] becomes `hash:<first 16 hex
/// digits of hash(number)>`, every `profile.name` and contact card's `name` is removed, and a
/// system message's text.
pub fn redact_people(v: &mut Value, hash: &dyn Fn(&str) -> String) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                match (k.as_str(), &*child) {
                    (key, Value::String(s)) if NUMBER_KEYS.contains(&key) => {
                        let h: String = hash(s).chars().take(16).collect();
                        *child = Value::String(format!("hash:{h}"));
                    }
                    ("profile" | "name", Value::Object(_)) => redact_names(child),
                    ("system", Value::Object(_)) => {
                        if let Some(Value::String(body)) = child.get_mut("body") {
                            *body = TEXT_REMOVED.to_owned();
                        }
                        redact_people(child, hash);
                    }
                    _ => redact_people(child, hash),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| redact_people(i, hash)),
        _ => {}
    }
}

/// A `profile` (`{"name": …}`) or a contact card's `name` object (`formatted_name`,
/// `first_name`, …): every string in it goes.
fn redact_names(v: &mut Value) {
    match v {
        Value::Object(map) => map.values_mut().for_each(redact_names),
        Value::Array(items) => items.iter_mut().for_each(redact_names),
        Value::String(s) => *s = NAME_REMOVED.to_owned(),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fake(s: &str) -> String {
        format!("{:0>20}", s.len())
    }

    #[test]
    fn numbers_become_hashes_and_names_go() {
        let mut v = json!({"entry": [{"changes": [{"value": {
            "metadata": {"display_phone_number": "15550001111", "phone_number_id": "123"},
            "contacts": [{"profile": {"name": "Ana Lima"}, "wa_id": "5511999990000"}],
            "messages": [{"from": "5511999990000", "id": "wamid.X", "type": "text",
                          "text": {"body": "hi"},
                          "contacts": [{"name": {"formatted_name": "Bo B", "first_name": "Bo"},
                                        "phones": [{"phone": "+1 555 0100", "wa_id": "15550100"}]}]}],
            "statuses": [{"recipient_id": "447700900000", "status": "read"}],
            "system": {"body": "User A changed from 447700900001 to 447700900002",
                       "new_wa_id": "447700900002", "type": "user_changed_number"}
        }}]}]});
        redact_people(&mut v, &fake);
        let text = v.to_string();
        for gone in [
            "5511999990000",
            "Ana Lima",
            "447700900000",
            "Bo B",
            "+1 555 0100",
            "15550100",
            "447700900001",
            "447700900002",
        ] {
            assert!(!text.contains(gone), "{gone} still in {text}");
        }
        let value = &v["entry"][0]["changes"][0]["value"];
        assert_eq!(value["messages"][0]["from"], "hash:0000000000000000");
        assert_eq!(value["contacts"][0]["profile"]["name"], NAME_REMOVED);
        // The business's own number and the ids stay.
        assert_eq!(value["metadata"]["display_phone_number"], "15550001111");
        assert_eq!(value["messages"][0]["id"], "wamid.X");
        assert_eq!(value["messages"][0]["text"]["body"], "hi");
    }
}
