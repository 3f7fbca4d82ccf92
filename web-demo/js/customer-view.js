// The customer panel: who, by which means, at which profile; the cashier may change the profile
// of a card holder or an anonymous customer (not of a QR code, which carries its own).
export function renderCustomer({ label, means, select, profiles }, customer, onProfile) {
  label.textContent = customer.label;
  means.textContent = { anonymous: "", qr: "QR code Izly", card: `carte ${customer.cardType ?? ""} ${customer.card?.idSupport ?? ""}` }[customer.kind];
  select.replaceChildren();
  for (const p of profiles) {
    const option = document.createElement("option");
    option.value = `${p.codeSociete}/${p.tarif}`;
    option.textContent = `${p.libelle} (${p.codeSociete}/${p.tarif})`;
    select.append(option);
  }
  select.value = `${customer.profile.codeSociete}/${customer.profile.tarif}`;
  select.disabled = customer.kind === "qr";
  select.onchange = () => {
    const [codeSociete, tarif] = select.value.split("/").map(Number);
    onProfile({ codeSociete, tarif });
  };
}
