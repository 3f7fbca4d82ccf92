//! The technical event journal (JET) of an archive as an HTML section of `crous-till journal
//! report`: what an auditor reads next to the Z reports (starts and stops, offline starts, the
//! clock going back, integrity defects, exports, closings).

use crate::z_report_html::escape;
use crous_till_core::journal::{Event, EventKind};
use std::fmt::Write;

/// The events as one `<section>` with a table, oldest first.
pub fn section(events: &[Event]) -> String {
    let mut out = String::from(
        "<section class=\"jet\"><h2>Journal des événements techniques</h2><table>\
         <tr><th>n°</th><th>code</th><th>événement</th><th>date (UTC)</th><th>détail</th></tr>",
    );
    for event in events {
        let label = event.kind().map_or("code inconnu de cette version", EventKind::label);
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td style=\"text-align:left\">{}</td><td>{}</td><td style=\"text-align:left\">{}</td></tr>",
            event.sequence,
            event.code,
            escape(label),
            escape(&event.at),
            escape(&event.detail)
        );
    }
    if events.is_empty() {
        out.push_str("<tr><td colspan=\"5\">aucun événement (archive de format 1)</td></tr>");
    }
    out.push_str("</table></section>");
    out
}
