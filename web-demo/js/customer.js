// Who is at the till, and which société/tarif prices the tray (specs 001: 10/1 étudiants,
// 8000/1 hôtes de passage).
import { rightHolderCustomer } from "./package.js";

export const VISITOR = { codeSociete: 8000, tarif: 1 };
export const STUDENT = { codeSociete: 10, tarif: 1 };

export const anonymous = () => ({ kind: "anonymous", profile: VISITOR, label: "Client non identifié" });

/** An Izly QR code: searchQRCode gives the right holder, so the profile and the ticket's customer. */
export async function byQrCode(izly, qrText) {
  const holder = await izly.searchQrCode(qrText);
  return {
    kind: "qr",
    qrText,
    holder,
    customer: rightHolderCustomer(holder),
    profile: { codeSociete: holder.Societe, tarif: holder.Tarif },
    label: `${holder.Prenom ?? ""} ${holder.Nom ?? ""}`.trim() || holder.CodeClient,
  };
}

/**
 * An Izly card read on the bridge: its idSupport and numeroApplicatif (the debit's keys). The
 * Izly POS API as built offers no look-up by card, so the profile is the cashier's choice,
 * student by default; the account's codeClient and balance come back with the debit.
 */
export function byCard(read, label) {
  return {
    kind: "card",
    card: { idSupport: read.idSupport, numeroApplicatif: read.numeroApplicatif },
    cardType: read.cardType,
    profile: STUDENT,
    label: label ?? `Carte Izly ${read.idSupport}`,
  };
}
