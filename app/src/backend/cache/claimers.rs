//! The names of the reviewers holding claims in the review queue, by user id (their name, else
//! their email): the queue's page is one statement without a join on users, and a reviewer
//! not seen yet is read then (by the review service). Emptied whenever the users generation
//! moves.

use super::users::generation;
use std::{collections::HashMap, sync::Mutex};
use uuid::Uuid;

#[derive(Default)]
pub struct ClaimerNames(Mutex<(u64, HashMap<Uuid, String>)>);

/// What the cache knew of some ids: their names, the ids it did not know, and the generation
/// it looked at (pass it back to `keep`).
pub struct Lookup {
    pub known: HashMap<Uuid, String>,
    pub missing: Vec<Uuid>,
    pub generation: u64,
}

impl ClaimerNames {
    /// Names kept at most (emptied when full).
    const CAPACITY: usize = 10_000;

    pub fn lookup(&self, ids: &[Uuid]) -> Lookup {
        let generation = generation();
        let mut known = HashMap::new();
        let mut missing = Vec::new();
        if let Ok(mut m) = self.0.lock() {
            if m.0 != generation {
                *m = (generation, HashMap::new());
            }
            for id in ids {
                match m.1.get(id) {
                    Some(n) => {
                        known.insert(*id, n.clone());
                    }
                    None => missing.push(*id),
                }
            }
        } else {
            missing.extend_from_slice(ids);
        }
        Lookup {
            known,
            missing,
            generation,
        }
    }

    /// Keeps names read after `lookup`, unless a user changed since (then they may be old).
    pub fn keep(&self, looked_at: u64, read: &[(Uuid, String)]) {
        if let Ok(mut m) = self.0.lock() {
            if m.0 == looked_at && generation() == looked_at {
                if m.1.len() >= Self::CAPACITY {
                    m.1.clear();
                }
                m.1.extend(read.iter().cloned());
            }
        }
    }
}
