// The test's own oracle for prices, straight from the sandbox's fixtures, in integer cents: the
// row of articles-societes-tarifs-periodes for the period holding today (no float arithmetic).
const pad = (n) => String(n).padStart(2, "0");

/** The till's local date, as the page computes it. */
export function today(date = new Date()) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** "3.30" → 330. */
export function cents(text) {
  const [whole, frac = ""] = String(text).split(".");
  return Number(whole) * 100 + Number((frac + "00").slice(0, 2));
}

export function priceCents(fixtures, codeArticle, { codeSociete, tarif }, day = today()) {
  const ref = fixtures.crous.reference;
  const periods = ref.periodes.filter((p) => p.dateDebut <= day && (!p.dateFin || day <= p.dateFin)).map((p) => p.idPeriode);
  const rows = ref.articlesSocietesTarifsPeriodes.filter((r) =>
    r.codeArticle === codeArticle && r.codeSociete === codeSociete && r.tarif === tarif && periods.includes(r.idPeriode));
  if (rows.length !== 1) throw new Error(`no single price for ${codeArticle} at ${codeSociete}/${tarif} on ${day}`);
  return cents(rows[0].prixTtc);
}

/** A ticket amount (a JSON number such as 3.85) in cents. */
export const amountCents = (n) => Math.round(Number(n) * 100);

/** What a profile pays for one unit: the price row less the profile's subsidy for the article. */
export function paidCents(fixtures, codeArticle, profile, day = today()) {
  const subsidy = fixtures.crous.reference.subventions.find((s) =>
    s.codeArticle === codeArticle && s.codeSociete === profile.codeSociete && s.tarif === profile.tarif);
  return priceCents(fixtures, codeArticle, profile, day) - (subsidy ? cents(subsidy.montant) : 0);
}

/** The profile's entry fee for a tray holding `codeArticle` once: [fee article, cents], or null. */
export function feeFor(fixtures, codeArticle, { codeSociete, tarif }) {
  const fee = fixtures.crous.reference.droitsEntree.find((d) =>
    d.codeSociete === codeSociete && d.tarif === tarif && (d.codesArticlesRepas ?? [codeArticle]).includes(codeArticle));
  return fee ? [fee.codeArticle, cents(fee.montant)] : null;
}
