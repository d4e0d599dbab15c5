//! The search benchmark without the rest of antq (a quicker release build):
//! `cargo run --release -p antq-storage --example bench_search -- 100000 30`.

fn main() {
    let mut args = std::env::args().skip(1);
    let items = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let rounds = args.next().and_then(|a| a.parse().ok()).unwrap_or(30);
    if let Err(e) = antq_storage::search::bench::run(items, rounds) {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
