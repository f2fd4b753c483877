//! B5, sign-in under attack (run it with `bench/scripts/sign_in.sh`): against a running
//! console, a signed-in page's latency at rest and while `flood` anonymous clients sign in
//! without pause (each attempt for a new account from a new address, so every one is hashed),
//! and the sign-in rate the console reaches, against a plain argon2 loop with the console's
//! parameters on as many threads as there are cores, measured in the same run. Prints JSON.
//!
//! The flood runs on a runtime of its own whose thread is niced: the attacker's own CPU is
//! not the server's on a real deployment, and on this shared machine it must not be taken
//! from the server at normal priority.

use anyhow::{bail, Context};
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};
use clap::Parser;
use std::{
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(about = "B5: a signed-in page under a sign-in flood, and the sign-in rate")]
struct Cli {
    /// The console's base URL (started with TRUST_FORWARDED_FOR=true).
    #[arg(long)]
    url: String,
    /// `email:password` of the user whose page is measured.
    #[arg(long)]
    sign_in: String,
    /// The page measured.
    #[arg(long, default_value = "/tenants")]
    page: String,
    /// Anonymous clients signing in at once.
    #[arg(long, default_value_t = 500)]
    flood: usize,
    /// Seconds of each phase.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
}

/// OWASP's argon2id parameters, as `app::backend::password` uses them.
fn argon2() -> anyhow::Result<Argon2<'static>> {
    let params = Params::new(19_456, 2, 1, None).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Verifications per second of a plain loop on every core, for `secs`.
fn plain_rate(secs: u64) -> anyhow::Result<f64> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2()?
        .hash_password(b"a password", &salt)
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .to_string();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let threads: Vec<_> = (0..cores)
        .map(|_| {
            let (hash, done, stop) = (hash.clone(), done.clone(), stop.clone());
            std::thread::spawn(move || -> anyhow::Result<()> {
                let a = argon2()?;
                let parsed = PasswordHash::new(&hash).map_err(|e| anyhow::anyhow!("{e}"))?;
                while !stop.load(Ordering::Relaxed) {
                    std::hint::black_box(a.verify_password(b"wrong guess", &parsed).is_ok());
                    done.fetch_add(1, Ordering::Relaxed);
                }
                Ok(())
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(secs));
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().map_err(|_| anyhow::anyhow!("thread"))??;
    }
    Ok(done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64())
}

/// Sequential GETs of the page for `secs`: latencies in milliseconds, and failures.
async fn page_latencies(
    client: &reqwest::Client,
    url: &str,
    secs: u64,
) -> anyhow::Result<(Vec<f64>, u64)> {
    let end = Instant::now() + Duration::from_secs(secs);
    let (mut lat, mut failed) = (Vec::new(), 0);
    while Instant::now() < end {
        let t = Instant::now();
        match client.get(url).send().await {
            Ok(r) if r.status().is_success() => {
                r.bytes().await?;
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            _ => failed += 1,
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok((lat, failed))
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

#[derive(Default)]
struct Counts {
    wrong: AtomicU64,
    busy: AtomicU64,
    throttled: AtomicU64,
    other: AtomicU64,
}

/// A one-thread runtime at nice 19 for the flood.
fn attacker_runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .on_thread_start(|| {
            // SAFETY: a plain system call on the calling thread.
            unsafe {
                libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 19);
            }
        })
        .build()?)
}

/// `clients` tasks signing in without pause until `stop`, counting the answers.
fn flood(
    rt: &tokio::runtime::Runtime,
    base: &str,
    clients: usize,
    counts: &Arc<Counts>,
    stop: &Arc<AtomicBool>,
) -> anyhow::Result<Vec<tokio::task::JoinHandle<()>>> {
    let base = base.to_owned();
    let flood_client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .timeout(Duration::from_secs(30))
        .build()?;
    let n = Arc::new(AtomicU64::new(0));
    let flooders: Vec<_> = (0..clients)
        .map(|_| {
            let (c, counts, stop, n, url) = (
                flood_client.clone(),
                counts.clone(),
                stop.clone(),
                n.clone(),
                format!("{base}/api/sign_in"),
            );
            let origin = base.clone();
            rt.spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let i = n.fetch_add(1, Ordering::Relaxed);
                    // A new account from a new address (RFC 2544's benchmarking range) each
                    // time: nothing is refused early.
                    let addr = format!(
                        "198.{}.{}.{}",
                        18 + ((i >> 16) & 1),
                        (i >> 8) & 255,
                        i & 255
                    );
                    let r = c
                        .post(&url)
                        .header("origin", &origin)
                        .header("x-forwarded-for", addr)
                        .form(&[
                            ("email", format!("stranger{i}@flood.test")),
                            ("password", "not the password".into()),
                        ])
                        .send()
                        .await;
                    let slot = match r.map(|r| r.status().as_u16()) {
                        Ok(401) => &counts.wrong,
                        Ok(503) => &counts.busy,
                        Ok(429) => &counts.throttled,
                        _ => &counts.other,
                    };
                    slot.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    Ok(flooders)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let base = cli.url.trim_end_matches('/').to_owned();
    let (email, password) = cli
        .sign_in
        .split_once(':')
        .context("--sign-in email:password")?;
    let me = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let r = me
        .post(format!("{base}/api/sign_in"))
        .header("origin", &base)
        .form(&[("email", email), ("password", password)])
        .send()
        .await?;
    if !r.status().is_success() {
        bail!("sign-in failed: {}", r.status());
    }
    let page = format!("{base}{}", cli.page);
    // Warm up, then the page at rest.
    page_latencies(&me, &page, 2).await?;
    let (mut rest, rest_failed) = page_latencies(&me, &page, cli.seconds).await?;
    // The plain argon2 loop, on every core, while the console is idle.
    let plain = tokio::task::spawn_blocking(move || plain_rate(cli.seconds)).await??;
    // The flood, and the page during it.
    let counts = Arc::new(Counts::default());
    let stop = Arc::new(AtomicBool::new(false));
    let rt = attacker_runtime()?;
    let flooders = flood(&rt, &base, cli.flood, &counts, &stop)?;
    // Let the flood reach its steady state first.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let before = counts.wrong.load(Ordering::Relaxed);
    let t = Instant::now();
    let (mut flood, flood_failed) = page_latencies(&me, &page, cli.seconds).await?;
    let checked =
        (counts.wrong.load(Ordering::Relaxed) - before) as f64 / t.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for f in flooders {
        let _ = f.await;
    }
    rt.shutdown_background();
    let (rest_p99, flood_p99) = (percentile(&mut rest, 0.99), percentile(&mut flood, 0.99));
    println!(
        "{}",
        serde_json::json!({
            "page": cli.page,
            "rest": {"requests": rest.len(), "failed": rest_failed,
                     "p50_ms": percentile(&mut rest, 0.5), "p99_ms": rest_p99},
            "flood": {"clients": cli.flood, "requests": flood.len(), "failed": flood_failed,
                      "p50_ms": percentile(&mut flood, 0.5), "p99_ms": flood_p99},
            "p99_ratio": flood_p99 / rest_p99,
            "sign_ins_checked_per_s": checked,
            "plain_argon2_per_s": plain,
            "rate_ratio": checked / plain,
            "answers": {
                "401": counts.wrong.load(Ordering::Relaxed),
                "503": counts.busy.load(Ordering::Relaxed),
                "429": counts.throttled.load(Ordering::Relaxed),
                "other": counts.other.load(Ordering::Relaxed),
            },
        })
    );
    Ok(())
}
