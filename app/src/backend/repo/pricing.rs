//! Rate cards, price lists, usage records and tier counters. Cards and the default price
//! lists are the BSP's own (platform scope); usage records and tenant price lists are
//! tenant-owned: reads take a `TenantScope`, the rating job writes through its system scope.

mod cards;
mod common;
mod lists;
mod rating;
mod reports;
mod usage;

pub use cards::*;
pub use common::{DRAFT, PUBLISHED};
pub use lists::*;
pub use rating::*;
pub use reports::*;
pub use usage::*;
