//! Profile photo rules (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/business-profiles): what the console accepts and the square it keeps.
//! Pure: the backend decodes the file (the `image` crate) and asks these rules; the numbers
//! live here once, so the page's hints and the server's refusals agree.

use super::ProfileRule;

/// Largest upload accepted (the platform's own maximum).
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// Smaller sides "may fail resizing" on the platform: refused here.
pub const MIN_SIDE: u32 = 192;
/// The platform shows at most 640×640; larger squares are scaled down.
pub const MAX_SIDE: u32 = 640;
/// Decoding needs width × height × 4 bytes: above this (≈ 36 megapixels, e.g. 6000×6000) the
/// file is refused before any pixel is decoded, so a decompression bomb allocates nothing.
pub const MAX_PIXELS: u64 = 36_000_000;

/// The image formats the platform takes, told by the file's first bytes (never its name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoFormat {
    Jpeg,
    Png,
}

/// What the first bytes say the file is: `Ok` for JPEG and PNG, else a refusal naming what
/// it looks like (GIF, WebP, PDF …) when that is known.
pub fn sniff(bytes: &[u8]) -> Result<PhotoFormat, ProfileRule> {
    const KNOWN: [(&[u8], &str); 7] = [
        (b"GIF8", "GIF"),
        (b"RIFF", "WebP"),
        (b"%PDF", "PDF"),
        (b"BM", "BMP"),
        (b"II*\0", "TIFF"),
        (b"MM\0*", "TIFF"),
        (b"<", "HTML/SVG"),
    ];
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(PhotoFormat::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(PhotoFormat::Png);
    }
    let detected = KNOWN
        .iter()
        .find(|(m, _)| bytes.starts_with(m))
        .map(|(_, n)| (*n).to_owned());
    Err(ProfileRule::PhotoWrongType { detected })
}

/// Checks the size of the upload before anything else is read.
pub fn check_size(len: usize) -> Result<(), ProfileRule> {
    if len > MAX_BYTES {
        return Err(ProfileRule::PhotoTooLarge {
            max_bytes: MAX_BYTES,
            actual: len,
        });
    }
    if len == 0 {
        return Err(ProfileRule::Required);
    }
    Ok(())
}

/// Checks the dimensions the file's header declares, before decoding.
pub fn check_dimensions(width: u32, height: u32) -> Result<(), ProfileRule> {
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ProfileRule::PhotoTooManyPixels {
            max_pixels: MAX_PIXELS,
            width,
            height,
        });
    }
    if width < MIN_SIDE || height < MIN_SIDE {
        return Err(ProfileRule::PhotoTooSmall {
            min: MIN_SIDE,
            width,
            height,
        });
    }
    Ok(())
}

/// The centred square kept from a `width` × `height` image: (x, y, side), and the side it is
/// scaled to (at most [`MAX_SIDE`], never enlarged).
pub fn square(width: u32, height: u32) -> ((u32, u32, u32), u32) {
    let side = width.min(height);
    (
        ((width - side) / 2, (height - side) / 2, side),
        side.min(MAX_SIDE),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_and_png_are_told_by_their_first_bytes() {
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Ok(PhotoFormat::Jpeg)
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Ok(PhotoFormat::Png)
        );
    }

    #[test]
    fn other_files_are_refused_naming_what_they_look_like() {
        assert_eq!(
            sniff(b"GIF89a..."),
            Err(ProfileRule::PhotoWrongType {
                detected: Some("GIF".into())
            })
        );
        assert_eq!(
            sniff(b"%PDF-1.7"),
            Err(ProfileRule::PhotoWrongType {
                detected: Some("PDF".into())
            })
        );
        assert_eq!(
            sniff(b"hello"),
            Err(ProfileRule::PhotoWrongType { detected: None })
        );
        assert_eq!(
            sniff(b""),
            Err(ProfileRule::PhotoWrongType { detected: None })
        );
        // A PNG signature cut short is not a PNG.
        assert_eq!(
            sniff(b"\x89PNG"),
            Err(ProfileRule::PhotoWrongType { detected: None })
        );
    }

    #[test]
    fn five_megabytes_is_the_largest_upload() {
        assert_eq!(check_size(MAX_BYTES), Ok(()));
        assert_eq!(
            check_size(MAX_BYTES + 1),
            Err(ProfileRule::PhotoTooLarge {
                max_bytes: MAX_BYTES,
                actual: MAX_BYTES + 1
            })
        );
        assert_eq!(check_size(0), Err(ProfileRule::Required));
    }

    #[test]
    fn sides_under_192_pixels_are_refused() {
        assert_eq!(check_dimensions(192, 192), Ok(()));
        assert_eq!(
            check_dimensions(191, 800),
            Err(ProfileRule::PhotoTooSmall {
                min: 192,
                width: 191,
                height: 800
            })
        );
        assert_eq!(
            check_dimensions(800, 191),
            Err(ProfileRule::PhotoTooSmall {
                min: 192,
                width: 800,
                height: 191
            })
        );
    }

    #[test]
    fn declared_dimensions_beyond_the_pixel_budget_are_refused_before_decoding() {
        assert_eq!(check_dimensions(6000, 6000), Ok(()));
        assert_eq!(
            check_dimensions(6001, 6000),
            Err(ProfileRule::PhotoTooManyPixels {
                max_pixels: MAX_PIXELS,
                width: 6001,
                height: 6000
            })
        );
        // No overflow on the largest values a header can declare.
        assert!(check_dimensions(u32::MAX, u32::MAX).is_err());
    }

    #[test]
    fn the_kept_square_is_centred_and_scaled_to_at_most_640() {
        assert_eq!(square(1000, 600), ((200, 0, 600), 600));
        assert_eq!(square(600, 1001), ((0, 200, 600), 600));
        assert_eq!(square(4000, 3000), ((500, 0, 3000), 640));
        assert_eq!(square(192, 192), ((0, 0, 192), 192));
    }
}
