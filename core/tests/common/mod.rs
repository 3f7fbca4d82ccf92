//! Shared fixtures of the core's integration tests: a demo Crous's reference data and a sale.
#![allow(dead_code)]

use chrono::{DateTime, FixedOffset};
use crous_till_core::builder::{build_ticket, BuiltTicket, IzlyCustomer, Payment, SaleContext};
use crous_till_core::numbering::NumberingState;
use crous_till_core::pricing::{price_cart, CartItem};
use crous_till_core::reference::{CustomerProfile, ReferenceData};
use crous_till_core::ticket::{Ticket, TypeDistribution};
use crous_till_core::Decimal;
use std::str::FromStr;

pub fn reference() -> ReferenceData {
    serde_json::from_str(include_str!("../fixtures/reference.json")).expect("fixture parses")
}

pub fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

pub fn at(rfc3339: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap()
}

pub fn sale(rfc3339: &str) -> SaleContext {
    SaleContext {
        version_logiciel: "crous-till-tests 0.1.0".into(),
        id_logiciel: 39,
        type_distribution: TypeDistribution::SurPlace,
        sold_at: at(rfc3339),
    }
}

pub fn izly_student() -> IzlyCustomer {
    IzlyCustomer {
        code_client: Some("0000A11e3s".into()),
        solde_client: Some(dec("15.25")),
        nom_client: Some("Camille Martin".into()),
        ..IzlyCustomer::default()
    }
}

pub fn qr_payment() -> Payment {
    Payment::IzlyQrCode {
        qr_code: "AIZ;6000050617;2026-11-23 11:45:02;3;8a1f;MEUCIQ==".into(),
        id_transaction_izly: "63535".into(),
    }
}

/// A student's two-article tray paid by Izly QR code: the canonical valid ticket of the tests.
pub fn student_ticket() -> BuiltTicket {
    let reference = reference();
    let cart = [CartItem::new(100, 1), CartItem::new(201, 2)];
    let priced =
        price_cart(&reference, &cart, CustomerProfile::ETUDIANT, at("2026-11-23T11:45:02+01:00").date_naive()).unwrap();
    build_ticket(
        &reference,
        &NumberingState::starting_at(140000011),
        &sale("2026-11-23T11:45:02.123+01:00"),
        &priced,
        Some(&izly_student()),
        &qr_payment(),
    )
    .unwrap()
}

pub fn to_json(ticket: &Ticket) -> serde_json::Value {
    serde_json::to_value(ticket).unwrap()
}
