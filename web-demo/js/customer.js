// Who is at the till, and which société/tarif prices the tray (specs 001: 10/1 étudiants,
// 8000/1 hôtes de passage). A QR code or a tapped card is looked up at Izly, whose answer gives
// the holder's name, balance and profile (specs 001: "l'api Izly [...] permettra ensuite de
// connaître le profil tarifaire de l'ayant droit").
export const VISITOR = { codeSociete: 8000, tarif: 1 };

export const anonymous = () => ({ kind: "anonymous", profile: VISITOR, label: "Client non identifié" });

/** A right holder as Izly answered, with the profile and ticket fields core read from it. */
function holderCustomer({ rightHolder: holder, profile, customer }) {
  return {
    holder,
    customer,
    profile,
    balance: holder.Balance ?? null,
    label: `${holder.Prenom ?? ""} ${holder.Nom ?? ""}`.trim() || holder.CodeClient,
  };
}

/** An Izly QR code: searchQRCode gives the right holder. */
export async function byQrCode(izly, qrText) {
  return { kind: "qr", qrText, ...holderCustomer(await izly.searchQrCode(qrText)) };
}

/**
 * An Izly card read on the bridge: its idSupport and numeroApplicatif (the debit's keys) are
 * looked up at Izly (searchCard). Rejects with the look-up's coded error (`izly_pos.unknown_card`,
 * `izly_pos.account_blocked`, `izly_pos.right_expired`): the till then sells to a visitor.
 */
export async function byCard(izly, read) {
  const card = { idSupport: read.idSupport, numeroApplicatif: read.numeroApplicatif };
  return { kind: "card", card, cardType: read.cardType, ...holderCustomer(await izly.searchCard(card)) };
}

/** The customer after a refused card: a visitor, with why the card was refused. */
export const refusedCard = (error) => ({ ...anonymous(), label: "Hôte de passage (carte refusée)", refusal: error.code });
