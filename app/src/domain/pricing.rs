//! Pricing and rating: markets, cost rate cards, sell prices, rating one message, money.

pub mod card;
pub mod category;
pub mod export;
pub mod market;
pub mod money;
pub mod prices;
pub mod rating;
pub mod reconcile;
pub mod sheet;
