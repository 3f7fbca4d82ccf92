//! `crous-till`: the command-line face of the SDK.

mod demo_bridge;
mod demo_cmd;
mod demo_errors;
mod demo_routes;
mod demo_shop;
mod demo_static;
mod jet_html;
mod journal_export;
mod journal_report;
mod journal_verify;
mod probe;
mod sandbox_cmd;
mod ticket_check;
mod z_report_html;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "crous-till", version, about = "Tills for Crous university restaurants: tickets, Izly, esipay")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Work with Crous sales tickets.
    Ticket {
        #[command(subcommand)]
        command: TicketCommand,
    },
    /// Work with the inalterable sales journal (art. 286 I-3° bis CGI).
    Journal {
        #[command(subcommand)]
        command: journal_verify::JournalCommand,
    },
    /// Run the local simulators of the Crous API, Izly and esipay on 127.0.0.1 until Ctrl-C.
    Sandbox(sandbox_cmd::Args),
    /// The browser till against the sandbox: the page, the sandbox and the card bridge (simulated
    /// reader) in one process on 127.0.0.1; prints the URL, serves until Ctrl-C.
    Demo(demo_cmd::Args),
    /// Check our shape choices (docs/api-choices.md) against the services a configuration names:
    /// a read-mostly scenario per service, a table of confirmed / contradicted / not exercised.
    Probe(probe::Args),
}

#[derive(Subcommand)]
enum TicketCommand {
    /// Check a ticket JSON file against the Crous rules (exit 0 valid, 1 violations, 2 unreadable).
    Check(ticket_check::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Ticket { command: TicketCommand::Check(args) } => ticket_check::run(&args),
        Command::Journal { command } => journal_verify::run(&command),
        Command::Sandbox(args) => sandbox_cmd::run(&args),
        Command::Demo(args) => demo_cmd::run(&args),
        Command::Probe(args) => probe::run(&args),
    }
}
