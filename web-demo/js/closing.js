// The day's closure and the journal's archive (art. 286 I-3° bis CGI): the cashier closes the
// day (core chains the closure with its totals and the till's key signs it; the day takes no
// more sales), and exports the journal, with its technical events, as a signed archive,
// downloaded as a file that `crous-till journal verify` checks. The key is the till's own
// (`openTillKey`: WebCrypto Ed25519, non-extractable, kept in IndexedDB), whose public key is
// shown for the verifier. The latest closure's Z report is shown below (core's ZReport).
import { openTillKey } from "./package.js";
import { renderZReport } from "./z-report-view.js";

export function startClosing({ till, day, closeButton, exportButton, info, report, onError }) {
  let key = null;
  const tillKey = async () => (key ??= await openTillKey());
  const showLatest = async () => renderZReport(report, (await till.zReports()).at(-1));

  closeButton.addEventListener("click", async () => {
    try {
      await till.close(day(), await tillKey());
      info.textContent = `Journée du ${day()} clôturée.`;
      info.dataset.state = "closed";
      await showLatest();
    } catch (e) {
      onError(e, "Clôture");
    }
  });

  exportButton.addEventListener("click", async () => {
    try {
      const archive = await till.exportArchive(await tillKey());
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([archive.file], { type: "application/json" }));
      link.download = `journal-${archive.pointOfSale}-${day()}.json`;
      link.click();
      URL.revokeObjectURL(link.href);
      info.textContent = `Journal exporté : ${archive.entries} ticket(s), ${archive.closures} clôture(s), ${archive.events} événement(s) techniques, signé par la clé ${archive.publicKey}.`;
      info.dataset.publicKey = archive.publicKey;
      info.dataset.state = "exported";
    } catch (e) {
      onError(e, "Export du journal");
    }
  });

  showLatest().catch((e) => onError(e, "Rapport Z"));
}
