// The customer panel: who, by which means, their Izly balance, at which profile. The profile of
// an Izly holder (QR code or card) is Izly's; the cashier may only change an anonymous customer's.
import { formatEuros } from "./money.js";

export function renderCustomer({ label, means, select, profiles }, customer, onProfile) {
  label.textContent = customer.label;
  const by = { anonymous: "", qr: "QR code Izly", card: `carte ${customer.cardType ?? ""} ${customer.card?.idSupport ?? ""}` }[customer.kind];
  const balance = customer.balance === null || customer.balance === undefined ? "" : ` · solde ${formatEuros(customer.balance)}`;
  means.textContent = by + balance;
  means.dataset.refusal = customer.refusal ?? "";
  select.replaceChildren();
  for (const p of profiles) {
    const option = document.createElement("option");
    option.value = `${p.codeSociete}/${p.tarif}`;
    option.textContent = `${p.libelle} (${p.codeSociete}/${p.tarif})`;
    select.append(option);
  }
  const value = `${customer.profile.codeSociete}/${customer.profile.tarif}`;
  if (![...select.options].some((o) => o.value === value)) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = `Profil Izly (${value})`;
    select.append(option);
  }
  select.value = value;
  select.disabled = customer.kind !== "anonymous";
  select.onchange = () => {
    const [codeSociete, tarif] = select.value.split("/").map(Number);
    onProfile({ codeSociete, tarif });
  };
}
