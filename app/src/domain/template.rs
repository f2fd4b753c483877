//! Message templates: the platform's rules (https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates) as pure functions — names,
//! languages, the create-template JSON shape, placeholders, the pre-check lint and the status
//! state machine. No I/O: the browser runs the same checks as the server and the CLI.

pub mod diff;
pub mod draft;
pub mod language;
pub mod lint;
pub mod media;
pub mod model;
pub mod name;
pub mod placeholders;
pub mod preview;
pub mod review;
pub mod status;
