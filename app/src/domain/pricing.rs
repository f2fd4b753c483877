//! Pricing and rating: markets, cost rate cards, sell prices, rating one message, money.

pub mod card;
pub mod export;
pub mod category;
pub mod market;
pub mod money;
pub mod prices;
pub mod reconcile;
pub mod rating;
