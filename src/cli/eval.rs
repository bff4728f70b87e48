//! `cloak eval`: scores the engine on a gold file.

use std::io::Write;
use std::time::Instant;

use cloak::eval::{self, PredSpan};
use cloak::{Engine, Error};

use super::Outcome;
use super::args::EvalArgs;

pub(crate) fn run(engine: &Engine, args: &EvalArgs) -> Result<Outcome, Error> {
    let gold = eval::read_gold(&args.gold)?;
    let started = Instant::now();
    let findings: Vec<_> = gold.iter().map(|doc| engine.scan(&doc.text)).collect();
    let seconds = started.elapsed().as_secs_f64();
    let bytes: usize = gold.iter().map(|d| d.text.len()).sum();
    let predictions: Vec<Vec<PredSpan>> = gold
        .iter()
        .zip(&findings)
        .map(|(doc, found)| {
            let mut spans: Vec<(usize, usize)> = found.iter().map(|f| (f.span.start, f.span.end)).collect();
            eval::byte_to_char_spans(&doc.text, &mut spans);
            spans
                .into_iter()
                .zip(found)
                .map(|((start, end), f)| PredSpan { start, end, label: Some(f.label.as_str().to_string()) })
                .collect()
        })
        .collect();
    if let Some(path) = &args.predictions {
        let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
        let mut w = std::io::BufWriter::new(file);
        eval::write_predictions(&mut w, &gold, &predictions)
            .and_then(|()| w.flush())
            .map_err(|e| Error::io(path, e))?;
    }
    let report = eval::score(&gold, &predictions);
    if args.json {
        println!("{}", report.to_json());
    } else {
        print!("{report}");
    }
    eprintln!(
        "cloak eval: {} documents, {:.3} MB scanned in {:.3} s ({:.1} MB/s, one thread)",
        gold.len(),
        bytes as f64 / 1e6,
        seconds,
        bytes as f64 / 1e6 / seconds.max(1e-9)
    );
    Ok(Outcome::Success)
}
