//! Pricing categories and the platform's pricing types, with every spelling the webhooks,
//! analytics and SDKs use.

use serde::{Deserialize, Serialize};

/// A category a rate card prices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Marketing,
    Utility,
    Authentication,
    AuthenticationInternational,
    /// Non-template messages in a customer service window.
    Service,
    /// Marketing Messages Lite: priced at the marketing rate unless the card says otherwise.
    MarketingLite,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Marketing,
        Category::Utility,
        Category::Authentication,
        Category::AuthenticationInternational,
        Category::Service,
        Category::MarketingLite,
    ];
    /// The columns of the platform's published card, in its order.
    pub const CARD: [Category; 5] = [
        Category::Marketing,
        Category::Utility,
        Category::Authentication,
        Category::AuthenticationInternational,
        Category::Service,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::Marketing => "marketing",
            Category::Utility => "utility",
            Category::Authentication => "authentication",
            Category::AuthenticationInternational => "authentication_international",
            Category::Service => "service",
            Category::MarketingLite => "marketing_lite",
        }
    }

    /// Any spelling: `AUTHENTICATION_INTERNATIONAL`, `authentication-international`, `group_marketing`
    /// (groups are priced as their category).
    pub fn parse(raw: &str) -> Option<Category> {
        let t = raw.trim().to_ascii_lowercase().replace('-', "_");
        let t = t.strip_prefix("group_").unwrap_or(&t);
        Category::ALL.into_iter().find(|c| c.code() == t)
    }

    /// Categories with monthly volume tiers on the platform's cards.
    pub fn tiered(self) -> bool {
        matches!(self, Category::Utility | Category::Authentication)
    }
}

/// How the platform priced one message, from its webhook (`pricing.type`, or `billable`
/// before per-message pricing).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PricingType {
    Regular,
    FreeCustomerService,
    FreeEntryPoint,
    /// Ours, never the platform's: a further message of a conversation already charged under
    /// conversation-based pricing (before 2025-07). Free, and counted.
    InConversation,
}

impl PricingType {
    pub fn code(self) -> &'static str {
        match self {
            PricingType::Regular => "regular",
            PricingType::FreeCustomerService => "free_customer_service",
            PricingType::FreeEntryPoint => "free_entry_point",
            PricingType::InConversation => "in_conversation",
        }
    }

    /// The platform's spellings (`free_group_customer_service` counts as customer service);
    /// case-insensitive. `in_conversation` is not one of them.
    pub fn parse(raw: &str) -> Option<PricingType> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "regular" => Some(PricingType::Regular),
            "free_customer_service" | "free_group_customer_service" => {
                Some(PricingType::FreeCustomerService)
            }
            "free_entry_point" | "free_entry" => Some(PricingType::FreeEntryPoint),
            _ => None,
        }
    }

    /// The type of a status's pricing block: `type` when given; before per-message pricing,
    /// `billable` (true → regular, false → free; a free-entry-point origin says which free).
    pub fn of_status(
        kind: Option<&str>,
        billable: Option<bool>,
        category: Option<&str>,
    ) -> Option<PricingType> {
        if let Some(t) = kind.and_then(PricingType::parse) {
            return Some(t);
        }
        match billable? {
            true => Some(PricingType::Regular),
            false if category.is_some_and(|c| c.eq_ignore_ascii_case("referral_conversion")) => {
                Some(PricingType::FreeEntryPoint)
            }
            false => Some(PricingType::FreeCustomerService),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_is_read() {
        assert_eq!(
            Category::parse("authentication-international"),
            Some(Category::AuthenticationInternational)
        );
        assert_eq!(
            Category::parse("AUTHENTICATION_INTERNATIONAL"),
            Some(Category::AuthenticationInternational)
        );
        assert_eq!(
            Category::parse("group_marketing"),
            Some(Category::Marketing)
        );
        assert_eq!(
            Category::parse("marketing_lite"),
            Some(Category::MarketingLite)
        );
        assert_eq!(Category::parse("referral_conversion"), None);
        for c in Category::ALL {
            assert_eq!(Category::parse(c.code()), Some(c));
        }
        assert!(
            Category::Utility.tiered()
                && Category::Authentication.tiered()
                && !Category::Marketing.tiered()
        );
    }

    #[test]
    fn pricing_type_from_type_or_billable() {
        assert_eq!(
            PricingType::of_status(Some("regular"), None, None),
            Some(PricingType::Regular)
        );
        assert_eq!(
            PricingType::of_status(Some("free_group_customer_service"), Some(true), None),
            Some(PricingType::FreeCustomerService)
        );
        assert_eq!(
            PricingType::of_status(None, Some(true), Some("utility")),
            Some(PricingType::Regular)
        );
        assert_eq!(
            PricingType::of_status(None, Some(false), Some("referral_conversion")),
            Some(PricingType::FreeEntryPoint)
        );
        assert_eq!(
            PricingType::of_status(None, Some(false), Some("service")),
            Some(PricingType::FreeCustomerService)
        );
        assert_eq!(PricingType::of_status(None, None, Some("service")), None);
    }
}
