//! Turns an uploaded profile photo into the square JPEG the console keeps and sends: type by
//! content, size and declared dimensions checked before any pixel is decoded, then decoded
//! with allocation limits, turned upright (EXIF), cropped to the centred square, scaled to at
//! most 640×640 and flattened onto white. The rules and numbers are `domain::profile::photo`'s.
//! CPU-bound: callers run it on the blocking pool.

use crate::domain::profile::{
    photo::{self, PhotoFormat},
    ProfileRule,
};
use image::{
    codecs::jpeg::JpegEncoder, imageops::FilterType, DynamicImage, ImageDecoder, ImageError,
    ImageFormat, ImageReader, Limits, Rgb, RgbImage,
};
use sha2::Digest;
use std::io::Cursor;

/// JPEG quality of the kept photo: no visible loss at 640 px, ~60–120 KB.
const QUALITY: u8 = 88;

/// A processed photo: its content hash (the id it is stored and served under) and the JPEG.
#[derive(Clone, Debug)]
pub struct ProcessedPhoto {
    pub id: String,
    pub jpeg: Vec<u8>,
    pub side: u32,
    /// The uploaded image's dimensions (after turning it upright).
    pub original: (u32, u32),
}

fn limits() -> Limits {
    let mut l = Limits::default();
    // Belt and braces behind `check_dimensions`: the decoder itself refuses anything larger.
    l.max_image_width = Some(20_000);
    l.max_image_height = Some(20_000);
    l.max_alloc = Some(photo::MAX_PIXELS * 4 + 16 * 1024 * 1024);
    l
}

fn reader(bytes: &[u8], format: PhotoFormat, limits: Limits) -> ImageReader<Cursor<&[u8]>> {
    let format = match format {
        PhotoFormat::Jpeg => ImageFormat::Jpeg,
        PhotoFormat::Png => ImageFormat::Png,
    };
    let mut r = ImageReader::with_format(Cursor::new(bytes), format);
    r.limits(limits);
    r
}

fn decode_error(e: ImageError, (width, height): (u32, u32)) -> ProfileRule {
    match e {
        ImageError::Limits(_) => ProfileRule::PhotoTooManyPixels {
            max_pixels: photo::MAX_PIXELS,
            width,
            height,
        },
        // Truncated, malformed, or a variant of the format the decoder does not support.
        _ => ProfileRule::PhotoCorrupt,
    }
}

/// Checks and processes an upload; every refusal is the rule it broke.
/// Photos processed at once in this process: one per core. A 6000×6000 JPEG takes 250 MB and
/// seconds of CPU while it is decoded and scaled; unbounded, a burst of uploads would take the
/// server's memory.
static TURNS: std::sync::LazyLock<std::sync::Arc<tokio::sync::Semaphore>> =
    std::sync::LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        std::sync::Arc::new(tokio::sync::Semaphore::new(cores))
    });

/// How long an upload waits for its turn before it is told to come back (503).
const WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// `process` on the blocking pool, bounded by `TURNS`.
pub async fn process_bounded(
    bytes: Vec<u8>,
) -> Result<Result<ProcessedPhoto, ProfileRule>, crate::contract::AppError> {
    process_within(bytes, WAIT).await
}

async fn process_within(
    bytes: Vec<u8>,
    wait: std::time::Duration,
) -> Result<Result<ProcessedPhoto, ProfileRule>, crate::contract::AppError> {
    use crate::{backend::error::internal, contract::AppError};
    let permit = match tokio::time::timeout(wait, TURNS.clone().acquire_owned()).await {
        Ok(Ok(p)) => p,
        Ok(Err(closed)) => return Err(internal(&closed)),
        Err(_) => {
            return Err(AppError::Busy {
                retry_after_secs: 5,
            })
        }
    };
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        process(&bytes)
    })
    .await
    .map_err(|e| internal(&e))
}

pub fn process(bytes: &[u8]) -> Result<ProcessedPhoto, ProfileRule> {
    photo::check_size(bytes.len())?;
    let format = photo::sniff(bytes)?;
    // Reading the header allocates no pixels: no limits, so a bomb is reported with the
    // dimensions it declares.
    let declared = reader(bytes, format, Limits::no_limits())
        .into_dimensions()
        .map_err(|e| decode_error(e, (0, 0)))?;
    photo::check_dimensions(declared.0, declared.1)?;
    let mut decoder = reader(bytes, format, limits())
        .into_decoder()
        .map_err(|e| decode_error(e, declared))?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| decode_error(e, declared))?;
    img.apply_orientation(orientation);
    let original = (img.width(), img.height());
    let ((x, y, side), out) = photo::square(original.0, original.1);
    let mut square = img.crop_imm(x, y, side, side);
    if out < side {
        square = square.resize_exact(out, out, FilterType::Lanczos3);
    }
    let rgb = flatten_on_white(&square);
    let mut jpeg = Vec::with_capacity(128 * 1024);
    JpegEncoder::new_with_quality(&mut jpeg, QUALITY)
        .encode_image(&rgb)
        .map_err(|_| ProfileRule::PhotoCorrupt)?;
    let id = hex::encode(sha2::Sha256::digest(&jpeg));
    Ok(ProcessedPhoto {
        id,
        jpeg,
        side: out,
        original,
    })
}

/// Transparent pixels over white: WhatsApp would show them black.
fn flatten_on_white(img: &DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.to_rgb8();
    }
    let rgba = img.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u16::from(p[3]);
        let mix = |c: u8| ((u16::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
        Rgb([mix(p[0]), mix(p[1]), mix(p[2])])
    })
}

// Tests: `server/src/photos.rs` (this module is built with `ssr` only, which the app's own
// unit tests are not).

#[cfg(test)]
mod bound_tests {
    use super::*;

    #[tokio::test]
    async fn an_upload_that_gets_no_turn_in_time_is_refused_as_busy() {
        let cores =
            u32::try_from(std::thread::available_parallelism().map_or(2, |n| n.get())).unwrap_or(2);
        let held = TURNS
            .clone()
            .acquire_many_owned(cores)
            .await
            .expect("turns");
        let r = process_within(vec![0u8; 10], std::time::Duration::from_millis(50)).await;
        assert!(
            matches!(r, Err(crate::contract::AppError::Busy { .. })),
            "{r:?}"
        );
        drop(held);
        let r = process_within(vec![0u8; 10], std::time::Duration::from_millis(500)).await;
        assert!(
            matches!(r, Ok(Err(_))),
            "a free turn runs (and refuses garbage): {r:?}"
        );
    }
}
