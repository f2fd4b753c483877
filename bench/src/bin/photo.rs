//! Profile photo processing benchmark: a 5 MB JPEG (camera-like noise) through the console's
//! whole pipeline (sniff, header check, decode with limits, EXIF turn, crop, Lanczos scale
//! to 640, flatten, JPEG encode, hash), against a plain decode of the same file in the same
//! run. Prints milliseconds per photo and the ratio.
//!     cargo run --release -p bench --bin photo [-- RUNS]

use image::{codecs::jpeg::JpegEncoder, RgbImage};
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let file = five_megabyte_jpeg()?;
    println!("input: {} bytes JPEG", file.len());
    let mut decode = Vec::new();
    let mut process = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let img = image::load_from_memory(&file)?;
        decode.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(img);
        let t = Instant::now();
        let p = app::backend::photo::process(&file).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        process.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(p);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let (d, p) = (median(&mut decode), median(&mut process));
    let out = app::backend::photo::process(&file).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    println!("plain decode (baseline): {d:.1} ms");
    println!(
        "console pipeline:        {p:.1} ms  ({:.2}x the decode), output {}x{} {} bytes",
        p / d,
        out.side,
        out.side,
        out.jpeg.len()
    );
    Ok(())
}

/// Noise compresses badly, so a few megapixels at quality 95 reach ~5 MB.
fn five_megabyte_jpeg() -> anyhow::Result<Vec<u8>> {
    let mut side = 4000u32;
    loop {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let img = RgbImage::from_fn(side, side * 3 / 4, |x, y| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let n = (seed & 0x3f) as u8;
            image::Rgb([
                ((x / 8) % 200) as u8 + n,
                ((y / 8) % 200) as u8 + n / 2,
                90 + n,
            ])
        });
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 95).encode_image(&img)?;
        // From above: the first size under the 5 MB limit.
        if out.len() <= app::domain::profile::photo::MAX_BYTES || side <= 500 {
            return Ok(out);
        }
        side -= 100;
    }
}
