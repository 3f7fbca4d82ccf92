use serde::Serialize;
use std::fmt;

/// The stable code of each rule. These strings are part of the public API: tools match on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ViolationCode {
    /// A mandatory field of specs 001 is absent or blank.
    MissingField,
    /// A field holds a value the spec doesn't allow (codeEvenement ≠ VT, codeReglement ∉ {4, 9, 12},
    /// idTypeDistribution ∉ {1, 2}, a negative or sub-cent amount, a malformed date or number...).
    InvalidValue,
    /// listeLignes is absent or empty ("au moins un élément").
    NoLines,
    /// Two lines share a numeroLigne ("Chaque numéro de ligne est unique pour un ticket").
    DuplicateLineNumber,
    /// "pour chaque ligne code article doit exister dans la ressource article".
    UnknownArticle,
    /// A codeTva absent from the tva table.
    UnknownVatCode,
    /// "pour chaque ligne : total = PU * quantité" fails, for HT or TTC.
    LineTotalMismatch,
    /// "pour chaque ligne : calcul de la TVA": prixUnitaireHt ≠ round(prixUnitaireTtc / (1 + taux)).
    VatMismatch,
    /// listeReglements must hold exactly one element ("un seul élément").
    PaymentCount,
    /// "total listeLignes = total listeReglements".
    PaymentTotalMismatch,
    /// "idSupport ou qrCode si codeReglement = 9", "idTransactionIzly si codeReglement = 9",
    /// "numeroApplicatif si idSupport renseigné".
    IzlyPaymentFields,
    /// complementaire.idSupport "obligatoire si paiement à partir de la carte Izly"; an Izly
    /// customer needs codeClient or idSupport.
    IzlyCustomerFields,
    /// "total des gainFidelite = cumulPointsFidelite".
    FidelityMismatch,
}

impl ViolationCode {
    /// The rules that need reference data (articles, VAT table).
    pub const NEEDING_REFERENCE: [ViolationCode; 3] =
        [ViolationCode::UnknownArticle, ViolationCode::UnknownVatCode, ViolationCode::VatMismatch];

    pub fn as_str(self) -> &'static str {
        match self {
            ViolationCode::MissingField => "missing_field",
            ViolationCode::InvalidValue => "invalid_value",
            ViolationCode::NoLines => "no_lines",
            ViolationCode::DuplicateLineNumber => "duplicate_line_number",
            ViolationCode::UnknownArticle => "unknown_article",
            ViolationCode::UnknownVatCode => "unknown_vat_code",
            ViolationCode::LineTotalMismatch => "line_total_mismatch",
            ViolationCode::VatMismatch => "vat_mismatch",
            ViolationCode::PaymentCount => "payment_count",
            ViolationCode::PaymentTotalMismatch => "payment_total_mismatch",
            ViolationCode::IzlyPaymentFields => "izly_payment_fields",
            ViolationCode::IzlyCustomerFields => "izly_customer_fields",
            ViolationCode::FidelityMismatch => "fidelity_mismatch",
        }
    }
}

impl fmt::Display for ViolationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Violation {
    pub code: ViolationCode,
    /// Where in the ticket JSON: `numeroTicket`, `listeLignes[0].totalTtc`, `complementaire`.
    pub path: String,
    /// A sentence for humans; its wording may change, the code and path don't.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}: {}", self.code, self.path, self.message)
    }
}
