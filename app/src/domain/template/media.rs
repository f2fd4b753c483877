//! Sample files of media headers (https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/components): which files the platform takes for an
//! IMAGE, VIDEO or DOCUMENT header, told by their content, and how samples stored in the
//! console are named in a template until the platform gives them a handle. Pure.

use serde::{Deserialize, Serialize};

/// A header sample kept by the console is written `media:<sha256>` in `example.header_handle`
/// until the hand-over to the platform uploads it and puts the platform's handle there.
pub const STORED_PREFIX: &str = "media:";

/// The media header formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MediaKind {
    Image,
    Video,
    Document,
}

impl MediaKind {
    /// From the header's `format` (`IMAGE`, `VIDEO`, `DOCUMENT`); text and location have none.
    pub fn of_format(format: &str) -> Option<Self> {
        match format {
            "IMAGE" => Some(MediaKind::Image),
            "VIDEO" => Some(MediaKind::Video),
            "DOCUMENT" => Some(MediaKind::Document),
            _ => None,
        }
    }

    /// The platform's media limits: images 5 MB, videos 16 MB; documents may be 100 MB at the
    /// platform, the console keeps samples up to 16 MB.
    pub fn max_bytes(self) -> usize {
        match self {
            MediaKind::Image => 5 * 1024 * 1024,
            MediaKind::Video | MediaKind::Document => 16 * 1024 * 1024,
        }
    }

    /// What the file chooser offers.
    pub fn accept(self) -> &'static str {
        match self {
            MediaKind::Image => "image/jpeg,image/png",
            MediaKind::Video => "video/mp4",
            MediaKind::Document => "application/pdf",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MediaError {
    #[error("the template has no media header")]
    NoMediaHeader,
    #[error("the file is empty")]
    Empty,
    #[error("too large")]
    TooLarge { max_bytes: usize, actual: usize },
    /// Not what the header's format takes (`expected`: e.g. "JPEG or PNG").
    #[error("wrong type")]
    WrongType { expected: String },
    /// The tenant's stored samples would pass its quota (`MEDIA_QUOTA_MB`).
    #[error("quota full")]
    QuotaFull { quota_bytes: usize },
}

/// The content type of a sample for a `kind` header, by the file's first bytes.
pub fn sniff(kind: MediaKind, bytes: &[u8]) -> Result<&'static str, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    if bytes.len() > kind.max_bytes() {
        return Err(MediaError::TooLarge {
            max_bytes: kind.max_bytes(),
            actual: bytes.len(),
        });
    }
    let found = match kind {
        MediaKind::Image if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) => Some("image/jpeg"),
        MediaKind::Image if bytes.starts_with(b"\x89PNG\r\n\x1a\n") => Some("image/png"),
        // ISO base media: a box size, then `ftyp` and a brand.
        MediaKind::Video if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" => Some("video/mp4"),
        MediaKind::Document if bytes.starts_with(b"%PDF-") => Some("application/pdf"),
        _ => None,
    };
    found.ok_or(MediaError::WrongType {
        expected: match kind {
            MediaKind::Image => "JPEG or PNG",
            MediaKind::Video => "MP4",
            MediaKind::Document => "PDF",
        }
        .to_owned(),
    })
}

/// The stored sample an `example.header_handle` names, if it is one of ours.
pub fn stored_id(handle: &str) -> Option<&str> {
    handle
        .strip_prefix(STORED_PREFIX)
        .filter(|id| crate::domain::is_content_id(id))
}

/// The template's media header: its kind and its sample's handle, if any.
pub fn media_header(t: &super::model::CreateTemplate) -> Option<(MediaKind, Option<&str>)> {
    let h = t
        .components
        .iter()
        .find(|c| c.kind.eq_ignore_ascii_case("HEADER"))?;
    let kind = MediaKind::of_format(&h.format.as_deref().unwrap_or("").to_ascii_uppercase())?;
    Some((
        kind,
        h.example
            .as_ref()
            .and_then(|e| e.header_handle.as_ref())
            .and_then(|v| v.first())
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty()),
    ))
}

/// Sets the media header's sample handle (the header's other example fields are kept).
pub fn set_handle(t: &mut super::model::CreateTemplate, handle: &str) {
    if let Some(h) = t
        .components
        .iter_mut()
        .find(|c| c.kind.eq_ignore_ascii_case("HEADER"))
    {
        h.example.get_or_insert_with(Default::default).header_handle =
            Some(vec![handle.to_owned()]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_media_header_and_its_sample_are_found_and_replaced() {
        let mut t: crate::domain::template::model::CreateTemplate = serde_json::from_value(serde_json::json!({
            "name": "n", "language": "en", "category": "MARKETING",
            "components": [{"type": "HEADER", "format": "IMAGE"}, {"type": "BODY", "text": "Hi"}]
        }))
        .unwrap_or_default();
        assert_eq!(media_header(&t), Some((MediaKind::Image, None)));
        set_handle(&mut t, "media:x");
        assert_eq!(media_header(&t), Some((MediaKind::Image, Some("media:x"))));
        set_handle(&mut t, "4::h");
        assert_eq!(media_header(&t), Some((MediaKind::Image, Some("4::h"))));
    }

    #[test]
    fn each_header_format_takes_its_own_files_by_content() {
        assert_eq!(
            sniff(MediaKind::Image, &[0xFF, 0xD8, 0xFF, 0xE0]),
            Ok("image/jpeg")
        );
        assert_eq!(
            sniff(MediaKind::Image, b"\x89PNG\r\n\x1a\n...."),
            Ok("image/png")
        );
        assert_eq!(
            sniff(MediaKind::Video, b"\0\0\0\x18ftypmp42\0\0\0\0"),
            Ok("video/mp4")
        );
        assert_eq!(
            sniff(MediaKind::Document, b"%PDF-1.7\n"),
            Ok("application/pdf")
        );
        assert_eq!(
            sniff(MediaKind::Image, b"%PDF-1.7\n"),
            Err(MediaError::WrongType {
                expected: "JPEG or PNG".into()
            })
        );
        assert_eq!(
            sniff(MediaKind::Document, &[0xFF, 0xD8, 0xFF, 0xE0]),
            Err(MediaError::WrongType {
                expected: "PDF".into()
            })
        );
        assert_eq!(
            sniff(MediaKind::Video, b"ftyp"),
            Err(MediaError::WrongType {
                expected: "MP4".into()
            })
        );
    }

    #[test]
    fn sizes_follow_the_platforms_limits() {
        let mut jpeg = vec![0xFF, 0xD8, 0xFF];
        jpeg.resize(5 * 1024 * 1024, 0);
        assert!(sniff(MediaKind::Image, &jpeg).is_ok());
        jpeg.push(0);
        assert_eq!(
            sniff(MediaKind::Image, &jpeg),
            Err(MediaError::TooLarge {
                max_bytes: 5 * 1024 * 1024,
                actual: 5 * 1024 * 1024 + 1
            })
        );
        assert_eq!(sniff(MediaKind::Document, b""), Err(MediaError::Empty));
    }

    #[test]
    fn stored_samples_are_named_by_their_hash() {
        let id = "ab".repeat(32);
        assert_eq!(stored_id(&format!("media:{id}")), Some(id.as_str()));
        assert_eq!(stored_id("4::aW1hZ2U="), None);
        assert_eq!(stored_id("media:short"), None);
        assert_eq!(MediaKind::of_format("IMAGE"), Some(MediaKind::Image));
        assert_eq!(MediaKind::of_format("TEXT"), None);
    }
}
