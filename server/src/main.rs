//! `server`: the BSP Console binary. `server serve` runs the web app; the other subcommands
//! are the operator CLI (see `server --help`).

// glibc's malloc took a third of the server's CPU under load (perf, review-queue benchmark).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    server::telemetry::init();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    rt.block_on(server::cli::main())
}
