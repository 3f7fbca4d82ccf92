//! A Z report ([`ZReport`], core) as a printable HTML section: the period's totals per VAT code
//! and per payment method, the ticket count and number range, the period and perpetual grand
//! totals, the closure's chain position, and a bar chart of the sales per hour (inline SVG, no
//! script, so it prints and archives as it is).

use crous_till_core::journal::{ClosureKind, Totals, ZReport};
use crous_till_core::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write;

/// The payment methods the Crous ticket names (specs 001, `codeReglement`).
fn payment_name(code: u32) -> String {
    match code {
        4 => "Carte bancaire".into(),
        9 => "Izly".into(),
        12 => "Fidélité".into(),
        other => format!("Règlement {other}"),
    }
}

fn kind_name(kind: ClosureKind) -> &'static str {
    match kind {
        ClosureKind::Day => "journalière",
        ClosureKind::Month => "mensuelle",
        ClosureKind::Year => "annuelle",
    }
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn totals_table(out: &mut String, caption: &str, totals: &Totals) {
    let _ = write!(
        out,
        "<table><caption>{caption}</caption><thead><tr><th>TVA</th><th>HT</th><th>TVA</th><th>TTC</th></tr></thead><tbody>"
    );
    for rate in &totals.vat {
        let _ = write!(
            out,
            "<tr><td>code TVA {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            rate.code_tva, rate.total_ht, rate.total_tva, rate.total_ttc
        );
    }
    let _ = write!(
        out,
        "</tbody><tfoot><tr><th>Total ({} tickets)</th><td>{}</td><td>{}</td><td>{}</td></tr></tfoot></table>",
        totals.ticket_count, totals.total_ht, totals.total_tva, totals.total_ttc
    );
    out.push_str("<table><thead><tr><th>Règlement</th><th>Nombre</th><th>Montant</th></tr></thead><tbody>");
    for payment in &totals.payments {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&payment_name(payment.code_reglement)),
            payment.count,
            payment.montant
        );
    }
    out.push_str("</tbody></table>");
}

/// The hourly bar chart: one bar per hour, its height the hour's TTC total.
fn chart(out: &mut String, report: &ZReport) {
    if report.by_hour.is_empty() {
        out.push_str("<p>Aucune vente sur la période.</p>");
        return;
    }
    let max = report.by_hour.iter().map(|h| h.total_ttc).max().unwrap_or_default();
    let (bar, gap, height) = (32u32, 8u32, 120u32);
    let width = report.by_hour.len() as u32 * (bar + gap);
    let _ = write!(
        out,
        "<svg class=\"chart\" role=\"img\" aria-label=\"Ventes par heure\" viewBox=\"0 0 {width} {}\" width=\"{width}\" height=\"{}\">",
        height + 30,
        height + 30
    );
    for (i, hour) in report.by_hour.iter().enumerate() {
        let h = if max.is_zero() {
            0
        } else {
            (hour.total_ttc * Decimal::from(height) / max).round().to_u32().unwrap_or(0)
        };
        let x = i as u32 * (bar + gap);
        let _ = write!(
            out,
            "<g><title>{}h : {} tickets, {} €</title><rect x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{h}\"/><text x=\"{}\" y=\"{}\">{}h</text></g>",
            hour.hour,
            hour.tickets,
            hour.total_ttc,
            height - h,
            x + bar / 2,
            height + 18,
            hour.hour
        );
    }
    out.push_str("</svg>");
}

/// One closure's report as an HTML `<section>`.
pub fn section(report: &ZReport) -> String {
    let mut out = String::new();
    let range = match (&report.first_ticket, &report.last_ticket) {
        (Some(first), Some(last)) => format!("tickets n° {} à {}", escape(first), escape(last)),
        _ => "aucun ticket".to_owned(),
    };
    let _ = write!(
        out,
        "<section class=\"z\"><h2>Clôture {} {} — point de vente {}</h2>\
         <p>Clôture n° {} · écritures {} à {} du journal · {range}</p>",
        kind_name(report.kind),
        report.period,
        report.point_of_sale,
        report.closure_sequence,
        report.first_sequence,
        report.through_sequence
    );
    totals_table(&mut out, "Totaux de la période", &report.totals);
    out.push_str("<h3>Ventes par heure (TTC)</h3>");
    chart(&mut out, report);
    totals_table(&mut out, "Grand total perpétuel", &report.grand_total);
    let _ = write!(
        out,
        "<p class=\"hash\">Empreinte de la clôture (SHA-256) : <code>{}</code></p>",
        escape(&report.closure_hash)
    );
    match &report.closure_signature {
        Some(signature) => {
            let _ = write!(
                out,
                "<p class=\"hash\">Signature de la caisse (Ed25519) : <code>{}</code></p>",
                escape(signature)
            );
        }
        None => out.push_str("<p>Clôture non signée (faite avant la signature des clôtures).</p>"),
    }
    out.push_str("</section>");
    out
}

/// A whole printable page of reports.
pub fn page(title: &str, sections: &[String]) -> String {
    format!(
        "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>{}</title><style>\
         body{{font:14px system-ui,sans-serif;margin:2em}}table{{border-collapse:collapse;margin:.5em 0 1em}}\
         th,td{{border:1px solid #999;padding:.2em .6em;text-align:right}}caption{{text-align:left;font-weight:bold}}\
         .chart rect{{fill:#3468a8}}.chart text{{font-size:11px;text-anchor:middle}}.hash code{{word-break:break-all}}\
         section{{page-break-after:always}}@media print{{body{{margin:0}}}}</style><h1>{}</h1>{}</html>\n",
        escape(title),
        escape(title),
        sections.join("")
    )
}
