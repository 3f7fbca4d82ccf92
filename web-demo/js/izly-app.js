// Stands in for the student's Izly app: mints a fresh single-use QR code for a sandbox account
// (POST /sandbox/izly/qrcodes, a sandbox route) and types it into the till's QR field, as a
// scanner would.
export function startIzlyApp({ select, button, accounts, onQrCode, onError }) {
  select.replaceChildren();
  for (const a of accounts) {
    const option = document.createElement("option");
    option.value = a.idIzly;
    option.textContent = `${a.name}${a.blocked ? " (compte bloqué)" : ""}`;
    select.append(option);
  }
  button.addEventListener("click", async () => {
    try {
      const response = await fetch("/sandbox/izly/qrcodes", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ id_izly: select.value }),
      });
      const body = await response.json();
      if (!response.ok) throw Object.assign(new Error(body.error ?? response.statusText), { code: "sandbox.qr_code" });
      onQrCode(body.text);
    } catch (e) {
      onError(e);
    }
  });
}
