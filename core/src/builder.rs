//! Builds a finished ticket from a priced tray, the customer and the payment.
//!
//! The builder numbers the ticket, writes every field specs 001 asks for, and runs
//! [`crate::checks::check_ticket`] on the result before handing it out: a ticket it returns has
//! passed every check, and the property tests show the safety net never fires.

use crate::checks::{check_ticket, Violation};
use crate::numbering::{NumberingError, NumberingState, TicketNumbers};
use crate::pricing::PricedCart;
use crate::reference::ReferenceData;
use crate::ticket::{
    CodeReglement, Complementaire, LigneTicket, Reglement, Ticket, TypeDistribution, CODE_EVENEMENT_VENTE,
};
use chrono::{DateTime, FixedOffset, SecondsFormat};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Facts about the till and the moment of sale. JSON: `{"versionLogiciel", "idLogiciel",
/// "idTypeDistribution": 1 | 2, "soldAt": RFC 3339 with offset}` (the ticket's own names).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SaleContext {
    /// `versionLogiciel`, "pour aide au débogage".
    pub version_logiciel: String,
    /// `idLogiciel`, the software's id at the Crous.
    pub id_logiciel: u32,
    #[serde(rename = "idTypeDistribution")]
    #[cfg_attr(feature = "ts", ts(type = "1 | 2"))]
    pub type_distribution: TypeDistribution,
    /// When the sale happened, in the till's local offset: its local date is the numbering day.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub sold_at: DateTime<FixedOffset>,
}

/// How the tray was paid (one payment per ticket: "listeReglements (un seul élément)").
/// JSON: `{"type": "carteBancaire"}`, `{"type": "izlyCard", "idSupport", "numeroApplicatif",
/// "idTransactionIzly"}`, `{"type": "izlyQrCode", "qrCode", "idTransactionIzly"}`, `{"type": "fidelite"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum Payment {
    /// Bank card (codeReglement 4), e.g. through esipay.
    CarteBancaire,
    /// Izly, debited with the card's support id read from its ZDC (codeReglement 9).
    IzlyCard { id_support: String, numero_applicatif: String, id_transaction_izly: String },
    /// Izly, debited with a payment QR code (codeReglement 9).
    IzlyQrCode { qr_code: String, id_transaction_izly: String },
    /// Izly, paid online through IzlyPay (specs 002; codeReglement 9): no card nor QR code, the
    /// payer is the complementaire's codeClient and the debit is `IdTransactionDebitIzly`. Our
    /// choice: specs 001 covers "caisse ou commandes en lignes" but only names a till's fields.
    IzlyPay { id_transaction_izly: String },
    /// Loyalty points (codeReglement 12).
    Fidelite,
}

/// What the till knows of an Izly customer (from searchQRCode, the card, or IzlyConnect).
/// JSON: the ticket's `complementaire` names; every field optional.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct IzlyCustomer {
    pub code_client: Option<String>,
    /// Balance after the debit, "en € et centimes d'€".
    #[serde(with = "crate::exact_decimal::option")]
    #[cfg_attr(feature = "ts", ts(type = "Amount", optional = nullable))]
    pub solde_client: Option<Decimal>,
    pub nom_client: Option<String>,
    pub date_fin_validite_client: Option<String>,
    pub code_crous_client: Option<String>,
    pub rne_etablissement: Option<String>,
    pub affectation: Option<String>,
    pub adresse_mail: Option<String>,
}

/// A ticket and the numbering state to persist once it is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BuiltTicket {
    pub ticket: Ticket,
    pub numbering: NumberingState,
}

/// What a ticket is built from besides its priced tray: the bindings' `buildTicket` input
/// (`{numbering, sale, customer?, payment}`), read in one go.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "TrayTicketInput"))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TicketInput {
    pub numbering: NumberingState,
    pub sale: SaleContext,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub customer: Option<IzlyCustomer>,
    pub payment: Payment,
}

/// The bindings' `Reference.buildTicket` input: a priced tray and what [`TicketInput`] holds
/// (other keys are ignored, as they always were there).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BuildTicketInput {
    pub priced_cart: PricedCart,
    pub numbering: NumberingState,
    pub sale: SaleContext,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub customer: Option<IzlyCustomer>,
    pub payment: Payment,
}

impl BuildTicketInput {
    /// [`build_ticket`] for its tray.
    pub fn build(&self, reference: &ReferenceData) -> Result<BuiltTicket, BuildError> {
        build_ticket(reference, &self.numbering, &self.sale, &self.priced_cart, self.customer.as_ref(), &self.payment)
    }
}

impl TicketInput {
    /// [`build_ticket`] for `cart`.
    pub fn build(&self, reference: &ReferenceData, cart: &PricedCart) -> Result<BuiltTicket, BuildError> {
        build_ticket(reference, &self.numbering, &self.sale, cart, self.customer.as_ref(), &self.payment)
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Numbering(#[from] NumberingError),
    /// Izly payments need to know who paid: specs 001 wants codeClient or idSupport.
    #[error("an Izly payment by QR code needs the customer's codeClient (from searchQRCode)")]
    MissingIzlyCustomer,
    /// The safety net: the built ticket failed a check. A bug, reported rather than sent.
    #[error("the built ticket fails the Crous checks: {}", .0.iter().map(|v| v.to_string()).collect::<Vec<_>>().join("; "))]
    Violations(Vec<Violation>),
}

/// Builds and checks the ticket of a sale, numbered by `numbering`'s next numbers.
pub fn build_ticket(
    reference: &ReferenceData,
    numbering: &NumberingState,
    sale: &SaleContext,
    cart: &PricedCart,
    customer: Option<&IzlyCustomer>,
    payment: &Payment,
) -> Result<BuiltTicket, BuildError> {
    let (numbers, next_state) = numbering.next(sale.sold_at.date_naive())?;
    let ticket = build_numbered_ticket(reference, &numbers, sale, cart, customer, payment)?;
    Ok(BuiltTicket { ticket, numbering: next_state })
}

/// Builds and checks the ticket of a sale under numbers already reserved (the sale engine
/// reserves them before the payment, which they reference: [`crate::sale`]).
pub fn build_numbered_ticket(
    reference: &ReferenceData,
    numbers: &TicketNumbers,
    sale: &SaleContext,
    cart: &PricedCart,
    customer: Option<&IzlyCustomer>,
    payment: &Payment,
) -> Result<Ticket, BuildError> {
    if matches!(payment, Payment::IzlyQrCode { .. } | Payment::IzlyPay { .. })
        && customer.and_then(|c| c.code_client.as_ref()).is_none()
    {
        return Err(BuildError::MissingIzlyCustomer);
    }
    let liste_lignes = cart
        .lines
        .iter()
        .zip(1u32..)
        .map(|(l, numero)| LigneTicket {
            numero_ligne: Some(numero),
            code_article: Some(l.code_article),
            quantite: Some(l.quantite),
            code_tva: Some(l.code_tva),
            prix_unitaire_ht: Some(l.prix_unitaire_ht),
            prix_unitaire_ttc: Some(l.prix_unitaire_ttc),
            total_ht: Some(l.total_ht),
            total_ttc: Some(l.total_ttc),
            gain_fidelite: None,
        })
        .collect();
    let ticket = Ticket {
        id_ticket_entete: Some(numbers.id_ticket_entete.clone()),
        numero_ticket: Some(numbers.numero_ticket.clone()),
        version_logiciel: Some(sale.version_logiciel.clone()),
        date: Some(sale.sold_at.to_rfc3339_opts(SecondsFormat::Millis, true)),
        code_evenement: Some(CODE_EVENEMENT_VENTE.to_owned()),
        liste_lignes: Some(liste_lignes),
        liste_reglements: Some(vec![reglement(payment, cart.total_ttc)]),
        complementaire: Some(complementaire(sale, cart, customer, payment)),
    };
    let report = check_ticket(&ticket, Some(reference));
    if !report.is_valid() {
        return Err(BuildError::Violations(report.violations));
    }
    Ok(ticket)
}

fn reglement(payment: &Payment, montant: Decimal) -> Reglement {
    let base = |code: CodeReglement| Reglement {
        code_reglement: Some(code.code()),
        montant: Some(montant),
        ..Reglement::default()
    };
    match payment {
        Payment::CarteBancaire => base(CodeReglement::CarteBancaire),
        Payment::Fidelite => base(CodeReglement::Fidelite),
        Payment::IzlyCard { id_support, numero_applicatif, id_transaction_izly } => Reglement {
            id_support: Some(id_support.clone()),
            numero_applicatif: Some(numero_applicatif.clone()),
            id_transaction_izly: Some(id_transaction_izly.clone()),
            ..base(CodeReglement::Izly)
        },
        Payment::IzlyQrCode { qr_code, id_transaction_izly } => Reglement {
            qr_code: Some(qr_code.clone()),
            id_transaction_izly: Some(id_transaction_izly.clone()),
            ..base(CodeReglement::Izly)
        },
        Payment::IzlyPay { id_transaction_izly } => {
            Reglement { id_transaction_izly: Some(id_transaction_izly.clone()), ..base(CodeReglement::Izly) }
        }
    }
}

fn complementaire(
    sale: &SaleContext,
    cart: &PricedCart,
    customer: Option<&IzlyCustomer>,
    payment: &Payment,
) -> Complementaire {
    let c = customer.cloned().unwrap_or_default();
    let id_support = match payment {
        Payment::IzlyCard { id_support, .. } => Some(id_support.clone()),
        _ => None,
    };
    Complementaire {
        code_client: c.code_client,
        solde_client: c.solde_client,
        cumul_points_fidelite: None,
        solde_points_fidelite: None,
        nom_client: c.nom_client,
        date_fin_validite_client: c.date_fin_validite_client,
        code_societe_client: Some(cart.profile.code_societe),
        tarif_client: Some(cart.profile.tarif),
        code_crous_client: c.code_crous_client,
        rne_etablissement: c.rne_etablissement,
        affectation: c.affectation,
        adresse_mail: c.adresse_mail,
        id_support,
        id_type_distribution: Some(sale.type_distribution.code()),
        id_logiciel: Some(sale.id_logiciel),
    }
}
