//! BSP review: the queue across tenants (`queue`) and the review page of one revision
//! (`decision`), with their keyboard (`keys`).

mod decision;
#[cfg(feature = "hydrate")]
mod keys;
mod queue;

pub use decision::ReviewPage;
pub use queue::ReviewQueuePage;
