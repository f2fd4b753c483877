//! Recipients of message statuses seen lately: their keyed hash and country, so a number is
//! parsed once rather than once per status (a message has several, in different batches).
//! Never stale: both are functions of the number (and of the hash key, fixed for the process).

/// A bounded memo of recipient number → (keyed hash, country): emptied when it is full.
#[derive(Default)]
pub struct RecipientCache(
    std::sync::Mutex<std::collections::HashMap<String, (String, Option<String>)>>,
);

impl RecipientCache {
    /// At most this many numbers (a few megabytes).
    pub const CAPACITY: usize = 50_000;

    /// The hash and country of `who`, worked out by `compute` unless seen lately.
    pub fn get_or(
        &self,
        who: &str,
        compute: impl FnOnce() -> (String, Option<String>),
    ) -> (String, Option<String>) {
        if let Some(hit) = self.0.lock().ok().and_then(|m| m.get(who).cloned()) {
            return hit;
        }
        let value = compute();
        if let Ok(mut m) = self.0.lock() {
            if m.len() >= Self::CAPACITY {
                m.clear();
            }
            m.insert(who.to_owned(), value.clone());
        }
        value
    }

    pub fn len(&self) -> usize {
        self.0.lock().map(|m| m.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::RecipientCache;

    #[test]
    fn a_recipient_is_worked_out_once_and_the_cache_stays_bounded() {
        let cache = RecipientCache::default();
        let mut computed = 0;
        for _ in 0..3 {
            let got = cache.get_or("447700900123", || {
                computed += 1;
                ("hash".into(), Some("GB".into()))
            });
            assert_eq!(got, ("hash".to_owned(), Some("GB".to_owned())));
        }
        assert_eq!(computed, 1);
        for i in 0..RecipientCache::CAPACITY + 10 {
            cache.get_or(&i.to_string(), || (String::new(), None));
        }
        assert!(cache.len() <= RecipientCache::CAPACITY, "{}", cache.len());
        assert!(!cache.is_empty());
    }
}
