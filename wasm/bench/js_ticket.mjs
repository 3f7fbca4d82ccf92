// The comparison point of the benchmark: pricing, ticket building and the main Crous checks
// written in plain JavaScript with decimal.js, following core's rules (core/src/pricing.rs,
// builder.rs, money.rs, checks/). Not part of the package: it exists to be measured against it,
// and the benchmark first checks that both produce the same ticket.
import Decimal from "decimal.js";

const D = (v) => new Decimal(v);
const cent = (d) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/** Indexes reference data once, like `new Reference(data)`. */
export function jsReference(data) {
  return {
    tva: new Map(data.tva.map((t) => [t.codeTva, D(t.taux)])),
    articles: new Map(data.articles.map((a) => [a.codeArticle, a])),
    periodes: new Map(data.periodes.map((p) => [p.idPeriode, p])),
    prices: data.articlesSocietesTarifsPeriodes,
    stp: data.societesTarifsPeriodes ?? [],
    st: data.societesTarifs ?? [],
    subventions: data.subventions ?? [],
    droitsEntree: data.droitsEntree ?? [],
  };
}

function currentPrice(ref, codeArticle, profile, day) {
  let best = null;
  for (const row of ref.prices) {
    if (row.codeArticle !== codeArticle || row.codeSociete !== profile.codeSociete || row.tarif !== profile.tarif) continue;
    const p = ref.periodes.get(row.idPeriode);
    if (!p || p.dateDebut > day || (p.dateFin && p.dateFin < day)) continue;
    if (!best || p.dateDebut > best.start) best = { row, start: p.dateDebut };
  }
  if (!best) throw new Error(`no price for ${codeArticle}`);
  return best.row;
}

function vatCode(ref, article, profile, idPeriode) {
  const forPeriod = ref.stp.find((s) => s.codeSociete === profile.codeSociete && s.tarif === profile.tarif && s.idPeriode === idPeriode);
  if (forPeriod?.codeTva != null) return forPeriod.codeTva;
  const st = ref.st.find((s) => s.codeSociete === profile.codeSociete && s.tarif === profile.tarif);
  return st?.codeTva ?? article.codeTva;
}

/** HT from TTC, half-up to the cent (core's money::ht_from_ttc). */
const htFromTtc = (ttc, rate) => cent(ttc.mul(100).div(rate.add(100)));

function inPeriod(ref, idPeriode, day) {
  if (idPeriode == null) return true;
  const p = ref.periodes.get(idPeriode);
  return !!p && p.dateDebut <= day && (!p.dateFin || p.dateFin >= day);
}

/** The subsidy lowering what `profile` pays for an article (core's pricing/subsidy.rs). */
function subsidy(ref, codeArticle, profile, day, gross, q) {
  const rows = ref.subventions.filter((s) => s.codeArticle === codeArticle && s.codeSociete === profile.codeSociete
    && s.tarif === profile.tarif && inPeriod(ref, s.idPeriode, day));
  if (!rows.length) return null;
  if (rows.length > 1) throw new Error(`ambiguous subsidy for ${codeArticle}`);
  const m = D(rows[0].montant);
  if (m.isNeg() || !cent(m).eq(m) || m.gt(gross)) throw new Error(`invalid subsidy ${rows[0].codeSubvention}`);
  return { codeSubvention: rows[0].codeSubvention, libelle: rows[0].libelle, montantUnitaire: m, total: cent(m.mul(q)),
    prixUnitaireAvantSubventionTtc: gross };
}

function pricedLine(ref, article, q, codeTva, unitTtc) {
  const rate = ref.tva.get(codeTva);
  const ttc = cent(unitTtc);
  const ht = htFromTtc(ttc, rate);
  return { codeArticle: article.codeArticle, libelle: article.libelle, quantite: q, codeTva, tauxTva: rate,
    prixUnitaireTtc: ttc, prixUnitaireHt: ht, totalTtc: cent(ttc.mul(q)), totalHt: cent(ht.mul(q)) };
}

/** The profile's period on `day` (core's fees::profile_period). */
function profilePeriod(ref, profile, day) {
  let best = null;
  for (const s of ref.stp) {
    if (s.codeSociete !== profile.codeSociete || s.tarif !== profile.tarif) continue;
    const p = ref.periodes.get(s.idPeriode);
    if (!p || !inPeriod(ref, s.idPeriode, day)) continue;
    if (!best || p.dateDebut > best.start) best = { id: s.idPeriode, start: p.dateDebut };
  }
  return best?.id;
}

/** Entry fees (droits d'entrée) as lines, once per meal (core's pricing/fees.rs). */
function feeLines(ref, cart, profile, day) {
  const rows = ref.droitsEntree.filter((d) => d.codeSociete === profile.codeSociete && d.tarif === profile.tarif
    && inPeriod(ref, d.idPeriode, day)).sort((a, b) => a.codeDroitEntree - b.codeDroitEntree);
  const lines = [];
  for (const row of rows) {
    const article = ref.articles.get(row.codeArticle);
    if (!article) throw new Error(`unknown article ${row.codeArticle}`);
    if (cart.some((i) => i.codeArticle === row.codeArticle)) continue;
    const meals = row.codesArticlesRepas
      ? cart.filter((i) => row.codesArticlesRepas.includes(i.codeArticle)).reduce((s, i) => s.add(D(i.quantite)), D(0))
      : D(1);
    if (meals.isZero()) continue;
    const codeTva = vatCode(ref, article, profile, profilePeriod(ref, profile, day));
    lines.push(pricedLine(ref, article, meals, codeTva, D(row.montant)));
  }
  return lines;
}

export function jsPriceCart(ref, cart, profile, day) {
  const lines = cart.map((item) => {
    const article = ref.articles.get(item.codeArticle);
    if (!article) throw new Error(`unknown article ${item.codeArticle}`);
    const q = D(item.quantite);
    const price = currentPrice(ref, item.codeArticle, profile, day);
    const gross = cent(D(price.prixTtc));
    const subvention = subsidy(ref, item.codeArticle, profile, day, gross, q);
    const line = pricedLine(ref, article, q, vatCode(ref, article, profile, price.idPeriode), subvention ? gross.sub(subvention.montantUnitaire) : gross);
    if (subvention) line.subvention = subvention;
    return line;
  });
  lines.push(...feeLines(ref, cart, profile, day));
  return { profile, lines, totalTtc: lines.reduce((s, l) => s.add(l.totalTtc), D(0)) };
}

const num = (d) => d.toNumber();

export function jsBuildTicket(ref, { numbering, sale, pricedCart, payment }) {
  const day = sale.soldAt.slice(0, 10);
  const daySequence = numbering.day === day ? numbering.daySequence + 1 : 1;
  const id = numbering.lastIdTicketEntete + 1;
  const ticket = {
    idTicketEntete: String(id),
    numeroTicket: day.slice(2, 4) + day.slice(5, 7) + day.slice(8, 10) + daySequence,
    versionLogiciel: sale.versionLogiciel,
    date: sale.soldAt,
    codeEvenement: "VT",
    listeLignes: pricedCart.lines.map((l, i) => ({
      numeroLigne: i + 1, codeArticle: l.codeArticle, quantite: num(l.quantite), codeTva: l.codeTva,
      prixUnitaireHt: num(l.prixUnitaireHt), prixUnitaireTtc: num(l.prixUnitaireTtc), totalHt: num(l.totalHt), totalTtc: num(l.totalTtc),
    })),
    listeReglements: [{ codeReglement: payment.type === "carteBancaire" ? 4 : 9, montant: num(pricedCart.totalTtc) }],
    complementaire: { codeSocieteClient: pricedCart.profile.codeSociete, tarifClient: pricedCart.profile.tarif,
      idTypeDistribution: sale.idTypeDistribution, idLogiciel: sale.idLogiciel },
  };
  const violations = jsCheckTicket(ref, ticket);
  if (violations.length) throw new Error(`check failed: ${violations.map((v) => v.code).join(", ")}`);
  return { ticket, numbering: { lastIdTicketEntete: id, day, daySequence } };
}

/** The main Crous coherence checks: header fields, lines (known article and VAT code, totals =
 * unit × quantity, HT = TTC / (1 + rate)), one payment equal to the lines' total. */
export function jsCheckTicket(ref, t) {
  const out = [];
  const v = (code, path) => out.push({ code, path });
  for (const f of ["idTicketEntete", "numeroTicket", "versionLogiciel", "date", "codeEvenement"]) if (!t[f]) v("missing_field", f);
  if (!t.listeLignes?.length) v("no_lines", "listeLignes");
  let sum = D(0);
  const seen = new Set();
  (t.listeLignes ?? []).forEach((l, i) => {
    const p = `listeLignes[${i}]`;
    if (seen.has(l.numeroLigne)) v("duplicate_line_number", `${p}.numeroLigne`);
    seen.add(l.numeroLigne);
    if (!ref.articles.has(l.codeArticle)) v("unknown_article", `${p}.codeArticle`);
    const rate = ref.tva.get(l.codeTva);
    if (!rate) v("unknown_vat_code", `${p}.codeTva`);
    const q = D(l.quantite);
    if (!cent(D(l.prixUnitaireTtc).mul(q)).eq(D(l.totalTtc))) v("line_total_mismatch", `${p}.totalTtc`);
    if (!cent(D(l.prixUnitaireHt).mul(q)).eq(D(l.totalHt))) v("line_total_mismatch", `${p}.totalHt`);
    if (rate && !htFromTtc(D(l.prixUnitaireTtc), rate).eq(D(l.prixUnitaireHt))) v("vat_mismatch", `${p}.prixUnitaireHt`);
    sum = sum.add(D(l.totalTtc));
  });
  if (t.listeReglements?.length !== 1) v("payment_count", "listeReglements");
  else if (!D(t.listeReglements[0].montant).eq(sum)) v("payment_total_mismatch", "listeReglements[0].montant");
  return out;
}
