//! Uploads over plain HTTP: profile photos and template header samples. Each is a
//! multipart form that works without JavaScript (the browser is sent back to its page with the
//! result, or the reason next to the field; scripts get JSON with a precise status), and what
//! is stored is served with a strong ETag (the content's hash). Same session, same scopes as
//! the server functions.

use app::{
    backend::{auth, context::RequestCtx, services, state::AppState},
    contract::AppError,
    domain::{
        locale::Locale,
        profile::{photo::MAX_BYTES, ProfileError, ProfileRule},
        roles::TenantAction,
        template::media::MediaError,
    },
};
use axum::{
    extract::{
        multipart::{Multipart, MultipartRejection},
        Path, State,
    },
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Json,
};
use tower_sessions::Session;

/// The multipart envelope around a 5 MB photo: boundaries, headers, the other fields.
pub const BODY_LIMIT: usize = MAX_BYTES + 256 * 1024;
/// The same around the largest header sample (16 MB).
pub const SAMPLE_BODY_LIMIT: usize = 16 * 1024 * 1024 + 256 * 1024;

fn wants_html(h: &HeaderMap) -> bool {
    h.get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

fn declared_length(h: &HeaderMap) -> usize {
    h.get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0)
}

fn photo_error(rule: ProfileRule) -> AppError {
    AppError::ProfileInvalid {
        errors: vec![ProfileError {
            field: "photo".into(),
            rule,
        }],
    }
}

/// The bytes of the form's file field `name` (other fields are ignored); `too_large` and
/// `missing` are the errors for a body over the limit and a form without the file.
async fn read_file(
    form: Result<Multipart, MultipartRejection>,
    name: &str,
    too_large: AppError,
    missing: AppError,
) -> Result<Vec<u8>, AppError> {
    let bad = |message: &str| AppError::Request {
        message: message.into(),
    };
    let mut form = form.map_err(|_| bad("expected a multipart form"))?;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return Err(missing),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large),
            Err(_) => return Err(bad("not a multipart form")),
        };
        if field.name() != Some(name) {
            continue;
        }
        return match field.bytes().await {
            Ok(b) => Ok(b.to_vec()),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(too_large),
            Err(_) => Err(bad("the upload was interrupted")),
        };
    }
}

/// The answer to an upload: to a browser, a redirect to `page` with `?{ok_key}=value` or
/// `?{err_key}=<the refusal as JSON>`; to a script, JSON with the status.
fn answer(
    headers: &HeaderMap,
    page: &str,
    ok_key: &str,
    err_key: &str,
    result: Result<String, AppError>,
) -> Response {
    if wants_html(headers) {
        let refusal = match &result {
            Ok(v) => {
                return Redirect::to(&format!(
                    "{page}?{}",
                    form_urlencoded::Serializer::new(String::new())
                        .append_pair(ok_key, v)
                        .finish()
                ))
                .into_response()
            }
            Err(AppError::ProfileInvalid { errors }) => errors
                .first()
                .map(|e| serde_json::to_string(&e.rule).unwrap_or_default()),
            Err(AppError::MediaInvalid { error }) => {
                Some(serde_json::to_string(error).unwrap_or_default())
            }
            Err(_) => None,
        };
        return match (refusal, result) {
            (Some(json), _) => Redirect::to(&format!(
                "{page}?{}",
                form_urlencoded::Serializer::new(String::new())
                    .append_pair(err_key, &json)
                    .finish()
            ))
            .into_response(),
            (None, Err(e)) => status(&e),
            (None, Ok(_)) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        };
    }
    match result {
        Ok(v) => Json(serde_json::json!({ ok_key: v })).into_response(),
        Err(e) => status(&e),
    }
}

fn status(e: &AppError) -> Response {
    let code = match e {
        AppError::ProfileInvalid { errors } => match errors.first().map(|e| &e.rule) {
            Some(ProfileRule::PhotoTooLarge { .. }) => StatusCode::PAYLOAD_TOO_LARGE,
            Some(ProfileRule::PhotoWrongType { .. }) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        },
        AppError::MediaInvalid {
            error: MediaError::TooLarge { .. },
        } => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::MediaInvalid {
            error: MediaError::WrongType { .. },
        } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        e => StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
    };
    let mut body = serde_json::to_value(e).unwrap_or_default();
    if let Some(o) = body.as_object_mut() {
        o.insert("message".into(), e.message(Locale::En).into());
    }
    (code, Json(body)).into_response()
}

/// Stored content under its hash: strong ETag, a year of private caching, 304 on a match.
fn serve_stored(headers: &HeaderMap, id: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    let etag = format!("\"{id}\"");
    let cache = [
        (
            header::ETAG,
            HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\"")),
        ),
        // Private: a tenant's files are behind its sign-in, never in a shared cache.
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, max-age=31536000, immutable"),
        ),
    ];
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == etag || t.trim() == "*")
        });
    if matches {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    let ct = HeaderValue::from_str(content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    (cache, [(header::CONTENT_TYPE, ct)], bytes).into_response()
}

fn refused(e: &AppError) -> Response {
    (
        StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        e.message(Locale::En),
    )
        .into_response()
}

/// `POST /tenants/{tenant}/numbers/{number}/photo` (multipart, field `photo`): `{"photo": id}`,
/// or 413 too large, 415 not a JPEG/PNG, 422 the other rules; browsers go back to the profile.
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    Path((tenant, number)): Path<(String, String)>,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let declared = declared_length(&headers);
    let run = async {
        let ctx = RequestCtx::for_http(state, session).await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::Edit).await?;
        let id = number.parse().map_err(|_| AppError::NotFound)?;
        let too_large = photo_error(ProfileRule::PhotoTooLarge {
            max_bytes: MAX_BYTES,
            actual: declared,
        });
        // Refused before reading: the declared body is already past the limit.
        if declared > BODY_LIMIT {
            return Err(too_large);
        }
        let bytes = read_file(form, "photo", too_large, photo_error(ProfileRule::Required)).await?;
        services::profiles::upload_photo(&scope, id, bytes).await
    };
    let result = run.await;
    answer(
        &headers,
        &format!("/tenants/{tenant}/numbers/{number}/profile"),
        "photo",
        "photo_error",
        result,
    )
}

/// `GET /tenants/{tenant}/photos/{id}`: the JPEG.
pub async fn serve(
    State(state): State<AppState>,
    session: Session,
    Path((tenant, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let id = id.trim_end_matches(".jpg").to_owned();
    let run = async {
        let ctx = RequestCtx::for_http(state, session).await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::View).await?;
        services::profiles::photo(&scope, &id).await
    };
    match run.await {
        Ok(bytes) => serve_stored(&headers, &id, "image/jpeg", bytes),
        Err(e) => refused(&e),
    }
}

/// `POST /tenants/{tenant}/templates/{template}/sample` (multipart, field `sample`): attaches
/// the header's sample file: `{"sample": "media:<sha256>"}`, or 413 / 415 / 422; browsers go
/// back to the template page.
pub async fn upload_sample(
    State(state): State<AppState>,
    session: Session,
    Path((tenant, template)): Path<(String, String)>,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let declared = declared_length(&headers);
    let run = async {
        let ctx = RequestCtx::for_http(state, session).await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::Edit).await?;
        let id = template.parse().map_err(|_| AppError::NotFound)?;
        let too_large = AppError::MediaInvalid {
            error: MediaError::TooLarge {
                max_bytes: SAMPLE_BODY_LIMIT - 256 * 1024,
                actual: declared,
            },
        };
        if declared > SAMPLE_BODY_LIMIT {
            return Err(too_large);
        }
        let bytes = read_file(
            form,
            "sample",
            too_large,
            AppError::MediaInvalid {
                error: MediaError::Empty,
            },
        )
        .await?;
        services::templates::attach_sample(&scope, id, bytes).await
    };
    let result = run.await;
    answer(
        &headers,
        &format!("/tenants/{tenant}/templates/{template}"),
        "sample",
        "sample_error",
        result,
    )
}

/// `GET /tenants/{tenant}/media/{id}`: a header sample as it was uploaded.
pub async fn serve_sample(
    State(state): State<AppState>,
    session: Session,
    Path((tenant, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let run = async {
        let ctx = RequestCtx::for_http(state, session).await?;
        let scope = auth::tenant_scope(&ctx, &tenant, TenantAction::View).await?;
        services::templates::sample(&scope, &id).await
    };
    match run.await {
        Ok((content_type, bytes)) => {
            let mut res = serve_stored(&headers, &id, &content_type, bytes);
            if !content_type.starts_with("image/") {
                // A PDF or a video a tenant uploaded is downloaded, never rendered as a page
                // of ours (a PDF viewer runs scripts).
                let name = if content_type == "application/pdf" {
                    "sample.pdf"
                } else {
                    "sample.mp4"
                };
                if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
                    res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
                }
            }
            res
        }
        Err(e) => refused(&e),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use app::backend::photo::process;
    use app::domain::profile::{photo, ProfileRule};
    use image::{ImageEncoder, RgbaImage};

    fn png(w: u32, h: u32, px: [u8; 4]) -> Vec<u8> {
        let img = RgbaImage::from_pixel(w, h, image::Rgba(px));
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgba8)
            .unwrap();
        out
    }

    #[test]
    fn a_landscape_png_becomes_a_centred_square_jpeg() {
        let p = process(&png(800, 400, [200, 10, 10, 255])).unwrap();
        assert_eq!((p.side, p.original), (400, (800, 400)));
        assert!(p.jpeg.starts_with(&[0xFF, 0xD8, 0xFF]));
        let back = image::load_from_memory(&p.jpeg).unwrap();
        assert_eq!((back.width(), back.height()), (400, 400));
        assert_eq!(p.id.len(), 64);
    }

    #[test]
    fn large_images_are_scaled_to_640() {
        let p = process(&png(1500, 1000, [0, 0, 255, 255])).unwrap();
        assert_eq!(p.side, 640);
    }

    #[test]
    fn transparency_becomes_white_not_black() {
        let p = process(&png(200, 200, [0, 0, 0, 0])).unwrap();
        let back = image::load_from_memory(&p.jpeg).unwrap().to_rgb8();
        assert!(
            back.get_pixel(100, 100).0.iter().all(|c| *c > 245),
            "{:?}",
            back.get_pixel(100, 100)
        );
    }

    #[test]
    fn the_same_picture_gets_the_same_id() {
        let a = process(&png(300, 300, [1, 2, 3, 255])).unwrap();
        let b = process(&png(300, 300, [1, 2, 3, 255])).unwrap();
        assert_eq!(a.id, b.id);
    }

    #[test]
    fn each_bad_file_gets_its_own_rule() {
        assert_eq!(
            process(&png(191, 500, [0, 0, 0, 255])).unwrap_err(),
            ProfileRule::PhotoTooSmall {
                min: 192,
                width: 191,
                height: 500
            }
        );
        assert_eq!(
            process(b"GIF89a\x01\x00\x01\x00").unwrap_err(),
            ProfileRule::PhotoWrongType {
                detected: Some("GIF".into())
            }
        );
        let mut cut = png(400, 400, [9, 9, 9, 255]);
        cut.truncate(cut.len() / 2);
        assert_eq!(process(&cut).unwrap_err(), ProfileRule::PhotoCorrupt);
        assert_eq!(
            process(&[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5]).unwrap_err(),
            ProfileRule::PhotoCorrupt
        );
        assert!(matches!(
            process(&vec![0u8; photo::MAX_BYTES + 1]).unwrap_err(),
            ProfileRule::PhotoTooLarge { .. }
        ));
    }

    #[test]
    fn a_decompression_bomb_is_refused_from_its_header() {
        let bomb = png_declaring(50_000, 50_000);
        assert_eq!(
            process(&bomb).unwrap_err(),
            ProfileRule::PhotoTooManyPixels {
                max_pixels: photo::MAX_PIXELS,
                width: 50_000,
                height: 50_000
            }
        );
    }

    /// A tiny PNG whose header declares `w`×`h` (pixels that would need gigabytes).
    pub fn png_declaring(w: u32, h: u32) -> Vec<u8> {
        let mut f = png(1, 1, [0, 0, 0, 255]);
        // IHDR data starts after the 8-byte signature, 4-byte length and 4-byte type.
        f[16..20].copy_from_slice(&w.to_be_bytes());
        f[20..24].copy_from_slice(&h.to_be_bytes());
        let crc = crc32(&f[12..29]);
        f[29..33].copy_from_slice(&crc.to_be_bytes());
        f
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for b in data {
            c ^= u32::from(*b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
}
