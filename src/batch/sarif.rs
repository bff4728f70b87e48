//! Findings as SARIF 2.1.0, for code-scanning dashboards, written as they
//! come: results first, then the rules they used.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::json;

use crate::detection::Engine;
use crate::finding::RuleIndex;

use super::pipeline::Located;

/// Writes one SARIF log with one run.
#[derive(Debug)]
pub struct SarifWriter<W: Write> {
    out: W,
    rules: Vec<RuleIndex>,
    index: HashMap<RuleIndex, usize>,
    any: bool,
}

/// `path` as a relative URI reference: bytes other than unreserved ones and
/// `/` percent-encoded.
fn uri(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

impl<W: Write> SarifWriter<W> {
    /// Starts the log.
    pub fn new(mut out: W) -> io::Result<SarifWriter<W>> {
        out.write_all(
            br#"{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"columnKind":"unicodeCodePoints","results":["#,
        )?;
        Ok(SarifWriter { out, rules: Vec::new(), index: HashMap::new(), any: false })
    }

    /// Adds a finding in the input named `file` (never its value).
    pub fn result(&mut self, engine: &Engine, file: &str, f: &Located) -> io::Result<()> {
        let next = self.rules.len();
        let index = *self.index.entry(f.rule).or_insert(next);
        if index == next {
            self.rules.push(f.rule);
        }
        let rule = engine.rule(f.rule);
        let r = json!({
            "ruleId": rule.id(),
            "ruleIndex": index,
            "level": "warning",
            "message": {"text": format!("{} found (rule {})", f.label.as_str(), rule.id())},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(file)},
                    "region": {
                        "startLine": f.start.line + 1,
                        "startColumn": f.start.column + 1,
                        "endLine": f.end.line + 1,
                        "endColumn": f.end.column + 1,
                        "charOffset": f.start.char,
                        "charLength": f.end.char - f.start.char,
                        "byteOffset": f.start.byte,
                        "byteLength": f.end.byte - f.start.byte,
                    }
                }
            }],
            "properties": {
                "label": f.label.as_str(),
                "confidence": (f64::from(f.confidence) * 1000.0).round() / 1000.0,
            }
        });
        if self.any {
            self.out.write_all(b",\n")?;
        }
        self.any = true;
        serde_json::to_writer(&mut self.out, &r)?;
        Ok(())
    }

    /// Ends the log with the tool and the rules used; returns the writer.
    pub fn finish(mut self, engine: &Engine) -> io::Result<W> {
        let rules: Vec<serde_json::Value> = self
            .rules
            .iter()
            .map(|&i| {
                let rule = engine.rule(i);
                json!({
                    "id": rule.id(),
                    "name": rule.id(),
                    "shortDescription": {"text": if rule.description().is_empty() { rule.id() } else { rule.description() }},
                    "defaultConfiguration": {"level": "warning"},
                    "properties": {"label": rule.label().as_str(), "pack": rule.pack()},
                })
            })
            .collect();
        let tool = json!({
            "driver": {
                "name": "cloak",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }
        });
        self.out.write_all(b"],\"tool\":")?;
        serde_json::to_writer(&mut self.out, &tool)?;
        self.out.write_all(b"}]}\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::Position;
    use crate::{EngineBuilder, PackSet};

    #[test]
    fn a_valid_log_without_values() {
        let engine = EngineBuilder::new().build(&PackSet::builtin().unwrap()).unwrap();
        let text = "mail jane.roe@example.org";
        let f = engine.scan(text)[0];
        let at = |b: usize| Position { byte: b as u64, char: b as u64, line: 0, column: b as u64 };
        let located = Located {
            rule: f.rule,
            label: f.label,
            confidence: f.confidence,
            start: at(f.span.start),
            end: at(f.span.end),
            value: None,
        };
        let mut w = SarifWriter::new(Vec::new()).unwrap();
        w.result(&engine, "dir/a b.txt", &located).unwrap();
        w.result(&engine, "dir/a b.txt", &located).unwrap();
        let out = String::from_utf8(w.finish(&engine).unwrap()).unwrap();
        assert!(!out.contains("jane.roe"));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        assert_eq!(run["results"].as_array().unwrap().len(), 2);
        assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 1);
        let loc = &run["results"][0]["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "dir/a%20b.txt");
        assert_eq!(loc["region"]["startColumn"], 6);
        assert_eq!(loc["region"]["byteLength"], 20);
        let empty = SarifWriter::new(Vec::new()).unwrap().finish(&engine).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&empty).unwrap();
        assert!(v["runs"][0]["results"].as_array().unwrap().is_empty());
    }
}
