//! The pricing versions in force (rate cards per currency and day, price lists per tenant,
//! currency and day): the one place rating, late pricing and re-rating price a message
//! (`services::rating` fills and reads it). The event processor keeps one between batches
//! (`AppState::versions`), valid while nothing new is published: published cards and lists
//! are never changed or removed, so their count is the cache's stamp.

use crate::domain::pricing::{card::Rates, prices::PriceRule};
use chrono::NaiveDate;
use std::{collections::HashMap, sync::Mutex};
use uuid::Uuid;

pub(crate) type CardKey = (String, NaiveDate);
pub(crate) type ListKey = (Uuid, String, NaiveDate);

/// Cards and lists looked up so far (`None`: none in force), and the stamp they were read at.
#[derive(Default)]
pub struct PricingVersions {
    stamp: Option<i64>,
    pub(crate) cards: HashMap<CardKey, Option<(Uuid, Rates)>>,
    pub(crate) lists: HashMap<ListKey, Option<(Uuid, Vec<PriceRule>)>>,
}

/// More days than this in the cache and it starts again (a backlog of old messages).
const CACHED_DAYS: usize = 4_096;

impl PricingVersions {
    /// The process's versions in `slot`, if `stamp` (the count of published versions) is still
    /// the one they were read at; else empty. Taken out for the batch (a concurrent batch
    /// starts empty) and put back with `keep`.
    pub(crate) fn take(slot: &Mutex<Self>, stamp: i64) -> Self {
        let cached = slot
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default();
        let fresh =
            cached.stamp == Some(stamp) && cached.cards.len() + cached.lists.len() < CACHED_DAYS;
        if fresh {
            cached
        } else {
            Self {
                stamp: Some(stamp),
                ..Self::default()
            }
        }
    }

    /// Puts the versions back for the next batch.
    pub(crate) fn keep(self, slot: &Mutex<Self>) {
        if let Ok(mut v) = slot.lock() {
            *v = self;
        }
    }
}
