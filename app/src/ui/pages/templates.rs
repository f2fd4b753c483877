//! A tenant's templates: the list, the builder, one template, its history.

mod builder;
mod detail;
mod history;
mod list;
mod route;

pub use builder::{EditTemplatePage, NewTemplatePage};
pub use detail::TemplatePage;
pub use history::TemplateHistoryPage;
pub use list::TemplatesPage;
