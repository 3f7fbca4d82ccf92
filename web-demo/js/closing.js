// The day's closure and the journal's archive (art. 286 I-3° bis CGI): the cashier closes the
// day (core chains the closure with its totals; the day takes no more sales), and exports the
// journal as a signed archive, downloaded as a file that `crous-till journal verify` checks. It
// is signed by the till's own key (`openTillKey`: WebCrypto Ed25519, non-extractable, kept in
// IndexedDB), whose public key is shown for the verifier. The latest closure's Z report is shown
// below (core's ZReport).
import { openTillKey } from "./package.js";
import { renderZReport } from "./z-report-view.js";

export function startClosing({ till, day, closeButton, exportButton, info, report, onError }) {
  let key = null;
  const showLatest = async () => renderZReport(report, (await till.zReports()).at(-1));

  closeButton.addEventListener("click", async () => {
    try {
      await till.close(day());
      info.textContent = `Journée du ${day()} clôturée.`;
      info.dataset.state = "closed";
      await showLatest();
    } catch (e) {
      onError(e, "Clôture");
    }
  });

  exportButton.addEventListener("click", async () => {
    try {
      key ??= await openTillKey();
      const archive = await till.exportArchive(key);
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([archive.file], { type: "application/json" }));
      link.download = `journal-${archive.pointOfSale}-${day()}.json`;
      link.click();
      URL.revokeObjectURL(link.href);
      info.textContent = `Journal exporté : ${archive.entries} ticket(s), ${archive.closures} clôture(s), signé par la clé ${archive.publicKey}.`;
      info.dataset.publicKey = archive.publicKey;
      info.dataset.state = "exported";
    } catch (e) {
      onError(e, "Export du journal");
    }
  });

  showLatest().catch((e) => onError(e, "Rapport Z"));
}
